"""Typed errors shared by every layer, so the UI and the CLI can say what went wrong and where."""

from __future__ import annotations


class StudioError(Exception):
    """Base of every error the studio reports to a user."""


class FeedError(StudioError):
    """A feed file that is unusable as a whole; nothing from it is stored.

    ``where`` names the place (file, line, item) so the user can find the problem.
    """

    def __init__(self, reason: str, *, where: str = "") -> None:
        self.reason = reason
        self.where = where
        super().__init__(f"{where}: {reason}" if where else reason)


class RowError(StudioError):
    """One row or item of an otherwise good feed that cannot be imported."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class MoneyError(RowError):
    """A price that cannot be represented as exact money (NaN, infinite, negative, garbled)."""


class ImportCancelled(StudioError):
    """The user cancelled an import; the store is left exactly as it was."""


class StoreError(StudioError):
    """The local store cannot be opened or migrated (for example it comes from a newer version)."""
