"""The one error type of the image pipeline: a file that cannot be shown, and why.

Pillow raises a zoo of exception types on hostile or broken input (OSError, SyntaxError,
ValueError, struct.error, DecompressionBombError, ...). The media package turns every one of
them into a :class:`MediaError` carrying the source and a short reason a user can read, so the
UI can show a placeholder with an explanation and the CLI can print a row per bad file.
"""

from __future__ import annotations

from pathlib import Path

from studio.core.errors import StudioError

# The reasons the package reports, kept as constants so callers and tests match on them
# instead of re-typing prose.
NOT_AN_IMAGE = "not an image"
CORRUPT = "truncated or corrupt image"


class MediaError(StudioError):
    """An image that cannot be opened, decoded or written.

    ``source`` names where the bytes came from (a file path, or ``<N bytes>`` for data held in
    memory); ``reason`` says why, e.g. ``"not an image"``, ``"format BMP is not allowed"``,
    ``"image too large (400 megapixels; the limit is 100)"``, ``"truncated or corrupt image"``.
    """

    def __init__(self, reason: str, *, source: str = "") -> None:
        self.reason = reason
        self.source = source
        super().__init__(f"{source}: {reason}" if source else reason)

    @property
    def path(self) -> Path | None:
        """The file the error is about, or None when the image came from memory."""
        if not self.source or self.source.startswith("<"):
            return None
        return Path(self.source)
