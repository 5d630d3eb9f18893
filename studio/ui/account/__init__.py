"""The studio signed in to the Vitrine platform: the Account menu, sign-in, devices, the
catalog's updates from the platform and the connection shown in the status bar.

Every call to the platform runs on a worker (``studio.services.platform.PlatformService``);
the catalog update is a catalog write job on the writer lane. Nothing here touches the
curator's local work: signing out, or a device revoked elsewhere, only forgets tokens.
"""
