"""Images: safe opening, orientation, metadata stripping, thumbnails, content-addressed blobs.

``PHOTO_SUFFIXES`` is the one list of the file names taken for photos: every photo dialog of
the desktop (``studio.ui.widgets.photo_import.photo_filter``), its drops, and the command
line's folder walk use it, so no picker offers what another refuses. What a file really is
is decided by its bytes (``safe_open``), never by its name.
"""

PHOTO_SUFFIXES: tuple[str, ...] = (
    ".jpg",
    ".jpeg",
    ".jpe",
    ".png",
    ".webp",
    ".gif",
    ".heic",
    ".heif",
    ".avif",
    ".mpo",
)
