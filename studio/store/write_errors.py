"""Store writes that fail for lack of room, reported as the typed errors of ``studio.core.errors``.

SQLite says "database or disk is full" (``SQLITE_FULL``) when the disk or the user's quota is
full, and "disk I/O error" (``SQLITE_IOERR_WRITE``) when a write is refused outright, which is
what a file size limit (``ulimit -f``: the write fails with ``EFBIG``) looks like to it.
Python's own writes raise ``OSError`` with ``ENOSPC``, ``EDQUOT`` or ``EFBIG``. Left alone,
each reaches the user as a traceback; :func:`room_errors` turns them into a
:class:`~studio.core.errors.DiskFullError` naming the store's folder and the disk, at the
place that knows which file was being written. The write itself needs no help to be whole:
an import or an archive is one transaction, which SQLite rolls back (a failed commit's hot
journal is rolled back by the next open at the latest).

A "disk I/O error" with no file size limit in force is not about room (a failing disk, a
file system gone read-only): it becomes a :class:`~studio.core.errors.StoreError` saying so,
still without a traceback.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from studio.core.errors import DiskFullError, StoreError, StudioError

SQLITE_IOERR = 10
SQLITE_FULL = 13


def store_write_error(exc: BaseException, database: Path) -> StudioError | None:
    """The typed error for ``exc``, raised while writing the store at ``database``, or None
    when ``exc`` is not about the store's files being unwritable."""
    folder = Path(database).parent
    if isinstance(exc, OSError):
        return DiskFullError.for_errno(exc.errno, folder)
    if not isinstance(exc, sqlite3.Error):
        return None
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary is None:  # an error made without SQLite's code: judge by its words
        text = str(exc)
        primary = (
            SQLITE_FULL
            if "database or disk is full" in text
            else SQLITE_IOERR
            if "disk I/O error" in text
            else None
        )
    if primary == SQLITE_FULL:
        return DiskFullError.file_size_limit(folder) or DiskFullError.for_errno(
            errno.ENOSPC, folder
        )
    if primary == SQLITE_IOERR:
        return DiskFullError.file_size_limit(folder) or StoreError(
            f"{database}: the store cannot be written ({exc}); nothing was written"
        )
    return None


@contextmanager
def room_errors(database: Path) -> Iterator[None]:
    """Run a store write; a failure for lack of room (or an I/O failure) is raised as the
    typed error of :func:`store_write_error` instead."""
    try:
        yield
    except (sqlite3.Error, OSError) as exc:
        typed = store_write_error(exc, database)
        if typed is None:
            raise
        raise typed from exc
