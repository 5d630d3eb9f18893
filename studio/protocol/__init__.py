"""Wire schemas shared by the desktop client and the platform server."""
