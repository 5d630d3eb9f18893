"""What the studio says when a call to the platform fails, one sentence per kind of failure.

The typed errors of ``studio.sync.errors`` (mapped from the API's problem slugs) each get a
sentence that says what happened and what to do, translated; an error of another kind (a
bug) is named as such, its details left to the log.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication

from studio.sync import errors


def _tr(text: str) -> str:
    return QCoreApplication.translate("Account", text)


def describe(exc: BaseException) -> str:
    """One sentence for the user about ``exc``."""
    if isinstance(exc, errors.WrongCredentials):
        return _tr("The email or the password is wrong.")
    if isinstance(exc, errors.RateLimited):
        if exc.retry_after is None:
            return _tr("Too many attempts: wait a little, then try again.")
        return _tr("Too many attempts: try again in {seconds} s.").format(
            seconds=math.ceil(exc.retry_after)
        )
    if isinstance(exc, errors.TlsFailure):
        return _tr(
            "The server's certificate could not be verified, so nothing was sent: {why}"
        ).format(why=exc.reason)
    if isinstance(exc, errors.Offline):
        return _tr(
            "The server cannot be reached: check its address and your connection. Your work "
            "is kept here."
        )
    if isinstance(exc, errors.InsecureServer):
        return _tr(
            "This address is not safe for a password: use https:// (plain http:// only to "
            "this computer)."
        )
    if isinstance(exc, errors.SignInAgain):
        return _tr(
            "Your session ended on the server (signed out or revoked from another device): "
            "sign in again. Your work is kept here."
        )
    if isinstance(exc, errors.NotSignedIn):
        return _tr("You are not signed in: Account > Sign in…")
    if isinstance(exc, errors.AccountDisabled):
        return _tr("This account is disabled on the platform.")
    if isinstance(exc, errors.ServerError):
        return _tr("The server failed: {why}").format(why=exc.reason)
    if isinstance(exc, errors.PlatformError):
        return exc.reason
    return _tr("Something went wrong ({kind}); the details are in the log.").format(
        kind=type(exc).__name__
    )
