"""Typed errors shared by every layer, so the UI and the CLI can say what went wrong and where."""

from __future__ import annotations

import errno
import os


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


NOTHING_WRITTEN = "; nothing was written"


class DiskFullError(StudioError):
    """A write failed for lack of room: the disk, the user's quota or a file size limit is
    full. Whatever was being written was abandoned whole (a transaction rolled back, a
    temporary file removed), so nothing is half-written.

    ``where`` names the folder that could not be written to; ``reason`` says which limit was
    met, naming the disk by where it is mounted, e.g. ``"the disk is full (no space left on
    the file system mounted at /home); nothing was written"``.
    """

    def __init__(self, reason: str, *, where: str) -> None:
        self.reason = reason
        self.where = where
        super().__init__(f"{where}: {reason}")

    @classmethod
    def for_errno(cls, number: int | None, where: str | os.PathLike[str]) -> DiskFullError | None:
        """The error for a failed write's ``errno`` in the folder ``where``, or None when the
        errno is not about room (a permission, a broken disk...)."""
        folder = os.fspath(where)
        if number == errno.ENOSPC:
            reason = f"the disk is full (no space left on {_disk(folder)})"
        elif number == errno.EDQUOT:
            reason = f"your disk quota is used up (on {_disk(folder)})"
        elif number == errno.EFBIG:
            reason = _size_limit() or "a file grew larger than the file system allows"
        else:
            return None
        return cls(f"{reason}{NOTHING_WRITTEN}", where=folder)

    @classmethod
    def file_size_limit(cls, where: str | os.PathLike[str]) -> DiskFullError | None:
        """The error for a write refused by this process's file size limit (``ulimit -f``),
        or None when the process has no such limit."""
        reason = _size_limit()
        return cls(f"{reason}{NOTHING_WRITTEN}", where=os.fspath(where)) if reason else None


def _disk(folder: str) -> str:
    """How a user finds the disk holding ``folder``: the file system mounted at its mount point."""
    path = os.path.abspath(folder)
    while not os.path.ismount(path) and os.path.dirname(path) != path:
        path = os.path.dirname(path)
    return f"the file system mounted at {path}"


def _size_limit() -> str | None:
    try:
        import resource
    except ImportError:  # not POSIX: no such limit
        return None
    soft = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    if soft == resource.RLIM_INFINITY:
        return None
    return f"a file reached this session's file size limit ({soft:,} bytes, ulimit -f)"
