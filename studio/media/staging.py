"""Whose temporary files are in the photo library, and sweeping the ones nobody will finish.

Every file the library writes first exists under a temporary name beside its place: a photo
being imported, a preview being made, and above all the photos of an archive import, staged
for as long as the import runs (up to a gigabyte). A process killed meanwhile (a crash, a
kill -9, a power cut) leaves them behind, and nothing else would ever remove them.

**Owners.** Each ``MediaLibrary`` that writes is an *owner* with a tag unique to it (its
process id and a random part: ``o1234x9f3c0a1b``) that is part of every temporary name it
makes. Before its first write it *claims* the tag: it creates ``.staging/<tag>.lock`` under
the library's root and holds an exclusive ``flock`` on it for as long as it lives. The
kernel releases that lock when the process ends, however it ends, so "is its lock free?" is
exactly "is its owner gone?" - no guess from a file's age, and no process id that may have
been reused. The lock file is made and locked under another name, then renamed into place,
so no sweeper can ever see it unlocked while its owner lives. An owner that ends cleanly
with nothing left staged removes its lock file.

**Sweeping** (:meth:`Staging.sweep`) lists ``.staging``: while every lock there is held,
there is nothing to do (the common case: one small listing, no walk of the library). When a
lock is free, its owner died with its files in place: the sweeper takes that lock itself (so
two sweepers never race), walks the library, removes every temporary file tagged with a dead
owner's tag (and the folders this leaves empty), then the lock file. A temporary file is
never removed while its owner's lock is held - a job still running in another process keeps
every file - and a tag the listing did not know yet is looked up again before its file is
judged. Temporary files from before owners existed (no tag) are removed once, by the first
sweep: those of a process that is gone (their name holds its id), and the others when they
are over an hour old.

The app and the CLI sweep when they open the workspace (``studio.services.workspace.
open_workspace``, their one way in) and after each job that writes photos (an import of
photos, an archive import or export); ``MediaLibrary.sweep_stale`` is the call.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no flock; owners are then judged by their lock file's age
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

STAGING_DIR = ".staging"
TMP_SUFFIX = ".tmp"
LOCK_SUFFIX = ".lock"
LEGACY_MARKER = "untagged-swept"
LEGACY_AGE_S = 3600.0
"""An untagged temporary file (an older version's) whose writer cannot be known is left alone
until it is this old: no job takes an hour between writing a file and renaming it."""
NO_LOCKS_AGE_S = 24 * 3600.0  # without flock: an owner older than this is taken for gone
_TAG = re.compile(r"o\d+x[0-9a-f]{8}")
# An older version's staged photo: ".<name><ext>.<pid>-<thread>.tmp".
_LEGACY_STAGE = re.compile(r"\.(\d+)-\d+\.tmp$")


@dataclass(frozen=True, slots=True)
class Swept:
    files: int = 0
    bytes: int = 0


class Staging:
    """The owner tag of one photo library writer and the sweeping of dead owners' files."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.dir = self.root / STAGING_DIR
        self.tag = f"o{os.getpid()}x{os.urandom(4).hex()}"
        self._fd: int | None = None
        self._lock = threading.Lock()
        self.outstanding = 0  # staged files neither published nor discarded yet
        self._untagged_checked = False  # the walk for an older version's files: once

    # ---- the owner's side -------------------------------------------------------------

    def claim(self) -> None:
        """Hold this owner's lock (made on the first call; cheap after it)."""
        if self._fd is not None:
            return
        with self._lock:
            if self._fd is not None:
                return
            self.dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            making = self.dir / f"{self.tag}.claim"
            fd = os.open(making, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                if fcntl is not None:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                os.write(fd, f"{os.getpid()}\n".encode())
                os.replace(making, self.dir / f"{self.tag}{LOCK_SUFFIX}")
            except BaseException:
                os.close(fd)
                with contextlib.suppress(OSError):
                    os.unlink(making)
                raise
            self._fd = fd
            atexit.register(self.release)

    def release(self) -> None:
        """At a clean end: give up the lock, and remove its file when nothing is staged."""
        with self._lock:
            if self._fd is None:
                return
            if self.outstanding == 0:
                with contextlib.suppress(OSError):
                    os.unlink(self.dir / f"{self.tag}{LOCK_SUFFIX}")
            os.close(self._fd)
            self._fd = None

    def changed(self, delta: int) -> None:
        with self._lock:
            self.outstanding += delta

    # ---- the sweeper's side -----------------------------------------------------------

    def sweep(self) -> Swept:
        """Remove what dead owners left (see the module doc); what was removed."""
        if not self.root.is_dir():
            return Swept()
        dead: dict[str, int] = {}  # tag -> the lock we now hold for it
        try:
            for name in _names(self.dir):
                tag = name.removesuffix(LOCK_SUFFIX)
                if name.endswith(LOCK_SUFFIX) and tag != self.tag:
                    fd = _take(self.dir / name)
                    if fd is not None:
                        dead[tag] = fd
            legacy = not self._untagged_checked and not (self.dir / LEGACY_MARKER).exists()
            self._untagged_checked = True
            if not dead and not legacy:
                return Swept()
            swept, untagged_left = self._walk(dead)
            if legacy and not untagged_left:
                with contextlib.suppress(OSError):  # (a full disk: checked again next time)
                    self.dir.mkdir(mode=0o700, parents=True, exist_ok=True)
                    (self.dir / LEGACY_MARKER).touch()
        finally:
            for tag, fd in dead.items():
                with contextlib.suppress(OSError):
                    os.unlink(self.dir / f"{tag}{LOCK_SUFFIX}")
                os.close(fd)
        if swept.files:
            log.info(
                "removed %d files (%.1f MB) left in %s by interrupted jobs",
                swept.files,
                swept.bytes / 1e6,
                self.root,
            )
        return swept

    def _walk(self, dead: dict[str, int]) -> tuple[Swept, bool]:
        """Remove the dead owners' (and old untagged) temporary files under the root."""
        alive: set[str] = {self.tag}
        files = size = 0
        untagged_left = False
        now = time.time()
        for folder, dirs, names in os.walk(self.root):
            if folder == str(self.root):
                dirs[:] = [d for d in dirs if d != STAGING_DIR]
            removed_here = False
            for name in names:
                if not (name.startswith(".") and name.endswith(TMP_SUFFIX)):
                    continue
                path = os.path.join(folder, name)
                found = _TAG.search(name)
                if found is None:
                    if not _legacy_gone(path, name, now):
                        untagged_left = True
                        continue
                elif not self._gone(found.group(), dead, alive):
                    continue
                with contextlib.suppress(OSError):
                    length = os.stat(path).st_size
                    os.unlink(path)
                    files, size, removed_here = files + 1, size + length, True
            if removed_here and folder != str(self.root):
                with contextlib.suppress(OSError):
                    os.rmdir(folder)  # only when it is empty now: a batch's own folder
        return Swept(files, size), untagged_left

    def _gone(self, tag: str, dead: dict[str, int], alive: set[str]) -> bool:
        """Whether ``tag``'s owner is gone; an owner the listing did not know is looked up
        now (it may have started since: its lock file was made before its first file)."""
        if tag in dead:
            return True
        if tag in alive:
            return False
        lock = self.dir / f"{tag}{LOCK_SUFFIX}"
        if not lock.exists():
            return True  # ended (cleanly, or swept already): its files are orphans
        fd = _take(lock)
        if fd is None:
            alive.add(tag)
            return False
        dead[tag] = fd  # released (and its file removed) when the sweep ends
        return True


def _names(folder: Path) -> list[str]:
    try:
        return sorted(os.listdir(folder))
    except OSError:
        return []


def _take(lock: Path) -> int | None:
    """The lock of a gone owner, now held by the caller (its descriptor); None while its
    owner lives (or the file vanished)."""
    try:
        fd = os.open(lock, os.O_RDWR)
    except OSError:
        return None
    if fcntl is None:
        with contextlib.suppress(OSError):
            if time.time() - os.fstat(fd).st_mtime > NO_LOCKS_AGE_S:
                return fd
        os.close(fd)
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _legacy_gone(path: str, name: str, now: float) -> bool:
    """Whether an untagged temporary file's writer is surely gone: its process id (an older
    version's staged photo) is not running, or the file is over an hour old."""
    found = _LEGACY_STAGE.search(name)
    if found is not None and not _running(int(found.group(1))):
        return True
    try:
        return now - os.stat(path).st_mtime > LEGACY_AGE_S
    except OSError:
        return False


def _running(pid: int) -> bool:
    if pid == os.getpid() or os.name != "posix":  # (os.kill would end it on Windows)
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, but not ours to signal
        return True
    return True


def sweep_beside(out: Path) -> int:
    """Remove what killed exports to ``out`` left beside it: ``.<name>.<pid>.tmp`` files
    whose process is gone (an export's temporary file is named by its process id). Returns
    how many; called by an export before it writes ``out``."""
    removed = 0
    prefix = f".{out.name}."
    for name in _names(out.parent):
        if not (name.startswith(prefix) and name.endswith(TMP_SUFFIX)):
            continue
        pid = name[len(prefix) : -len(TMP_SUFFIX)]
        if pid.isdigit() and not _running(int(pid)):
            with contextlib.suppress(OSError):
                os.unlink(out.parent / name)
                removed += 1
    return removed
