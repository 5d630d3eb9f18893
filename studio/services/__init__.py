"""Work that spans feeds, the store and media, called alike by the desktop, the CLI and (next)
the sync engine: opening a workspace, the writer lane, feed and archive jobs. No Qt."""
