"""The studio's files are the user's alone: files 0600, folders 0700.

The store (the SQLite files and their ``-wal``/``-shm``), ``studio.log`` and its rotated
copies, the photo library, the settings and the caches hold the curator's work, catalog
prices and, in the logs, what they did: nobody else on the machine should read them.

Two halves, because a process creates files (new installs, every run) and finds files
(installs made by an earlier version, which left them 0644 in 0755 folders):

- :func:`restrict_umask`, called first thing by each composition root (the desktop app's
  ``main``, the CLI's ``main``): from then on every file and folder the process creates -
  SQLite's, the logging handler's, Qt's settings, the media library's - is made without any
  permission for the group or others, whatever library creates it.
- :func:`tighten`, called by ``Paths.ensure()`` at start-up: the data, cache, logs and config
  folders and the entries directly in them (the store, its journal files, the logs, the
  settings file, the media and backups folders) get the private modes. Deeper files need no
  visit: nobody else can reach them through a 0700 folder, and visiting a large photo
  library on every start would cost time for nothing.

Only the user's own entries are changed: a symbolic link is never followed (it may point
anywhere) and an entry that cannot be changed is logged and left alone, never fatal. On a
platform without POSIX modes (Windows) both are no-ops: the user's profile folders are
private there already.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)

PRIVATE_UMASK = 0o077
"""No permission for the group or others on anything the process creates."""
FILE_MODE = 0o600
DIR_MODE = 0o700
_POSIX = os.name == "posix"


def restrict_umask() -> int:
    """Make every file and folder this process creates from now on private (umask 0o077);
    returns the previous umask (a caller running inside another program restores it)."""
    return os.umask(PRIVATE_UMASK)


def private_mode(mode: int) -> int | None:
    """The private mode an entry of ``mode`` (``st_mode``) should have, or None when it is
    neither a regular file nor a folder (a socket, a fifo, a link: left alone)."""
    if stat.S_ISDIR(mode):
        return DIR_MODE
    if stat.S_ISREG(mode):
        # An executable file (a user's script left there) keeps its owner's execute bit.
        return FILE_MODE | (stat.S_IMODE(mode) & stat.S_IXUSR)
    return None


def tighten(folders: Iterable[Path]) -> list[Path]:
    """Give each folder, and every file and folder directly in it, its private mode.

    Returns the entries whose mode changed (an earlier version's 0644/0755 install); the
    folders must exist. Symbolic links are skipped, failures logged.
    """
    changed: list[Path] = []
    if not _POSIX:
        return changed
    for folder in folders:
        folder = Path(folder)
        _set_mode(folder, changed)
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            log.warning("cannot list %s to make it private: %s", folder, exc)
            continue
        for entry in entries:
            if not entry.is_symlink():
                _set_mode(Path(entry.path), changed)
    if changed:
        log.info("made %d files and folders private (0600/0700)", len(changed))
    return changed


def _set_mode(path: Path, changed: list[Path]) -> None:
    try:
        info = os.stat(path, follow_symlinks=False)
        wanted = private_mode(info.st_mode)
        if wanted is None or stat.S_IMODE(info.st_mode) == wanted:
            return
        if info.st_uid != os.getuid():
            log.warning("%s belongs to another user: its mode is left as it is", path)
            return
        os.chmod(path, wanted)
        changed.append(path)
    except OSError as exc:
        log.warning("cannot make %s private: %s", path, exc)
