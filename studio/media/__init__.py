"""Images: safe opening, orientation, metadata stripping, thumbnails, content-addressed blobs."""
