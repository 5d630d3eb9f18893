"""A content-addressed file store: each file is named by the SHA-256 of its bytes.

Layout: ``root/ab/cdef0123....ext`` (the first two hex digits name a folder, so no folder holds
more than ~1/256 of the library; the rest of the digest plus the file type name the file).
Writing is atomic and durable: the bytes go to a temporary file in the target's own folder
(same file system, so the rename cannot degrade into a copy), are flushed and fsynced, and the
file is moved into place with ``os.replace``; the folder is fsynced too so the rename survives
a power cut. A reader therefore sees either no file or the whole file, never a partial one,
and a crash leaves at most a ``.*.tmp`` file, named with its writer's owner tag, that
``studio.media.staging`` sweeps once that writer is gone.

Because a name is a function of the content, storing the same bytes twice is a no-op and two
processes writing the same file at once both end with the same, complete file.

A batch (an archive import) can be written in two steps: ``stage`` writes each file under its
temporary name, and only once every one of them is known good does ``publish`` rename them
into place; ``discard`` removes them instead, so a refused batch leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from studio.core.errors import DiskFullError, StudioError
from studio.media.errors import MediaError
from studio.media.staging import TMP_SUFFIX, Staging

_HASH = re.compile(r"[0-9a-f]{64}")
_STAGED = itertools.count()  # next() on it is atomic: threads stage at once


def sha256_hex(data: bytes | memoryview) -> str:
    return hashlib.sha256(data).hexdigest()


def check_hash(media_hash: str) -> str:
    """``media_hash`` if it is 64 lower-case hex digits; ValueError otherwise (never a path)."""
    if not isinstance(media_hash, str) or not _HASH.fullmatch(media_hash):
        raise ValueError(f"not a SHA-256 hex digest: {media_hash!r}")
    return media_hash


@dataclass(frozen=True, slots=True)
class Staged:
    """A blob written under its temporary name (``tmp``), not yet at ``target``."""

    tmp: Path
    target: Path


class BlobStore:
    """Files under ``root`` named by content; ``exts`` are the suffixes a blob may have;
    ``staging`` tags its temporary files with their owner (see ``studio.media.staging``)."""

    def __init__(self, root: Path, exts: tuple[str, ...], staging: Staging | None = None) -> None:
        self.root = Path(root)
        self.exts = exts
        self.staging = staging if staging is not None else Staging(self.root)
        self._folders: set[str] = set()  # made already (a batch stages thousands of files)

    def path_for(self, media_hash: str, ext: str) -> Path:
        check_hash(media_hash)
        return self.root / media_hash[:2] / f"{media_hash[2:]}{ext}"

    def find(self, media_hash: str) -> Path | None:
        """The stored file for ``media_hash`` whatever its suffix, or None."""
        for ext in self.exts:
            path = self.path_for(media_hash, ext)
            if path.is_file():
                return path
        return None

    def put(
        self, data: bytes, ext: str, *, media_hash: str | None = None
    ) -> tuple[str, Path, bool]:
        """Store ``data``; returns (hash, path, already_there). Nothing is written when present."""
        digest = media_hash or sha256_hex(data)
        existing = self.find(digest)
        if existing is not None:
            return digest, existing, True
        target = self.path_for(digest, ext)
        write_atomic(target, data, staging=self.staging)
        return digest, target, False

    def stage(self, data: bytes | memoryview, ext: str, media_hash: str) -> Staged | None:
        """Write ``data`` beside its place under a temporary name, not synced; None when the
        blob is already stored. MediaError (nothing left behind) if it cannot be written.

        Plain ``os`` calls, not pathlib: an archive import stages thousands of files from
        several threads, and every bit of Python here is time the GIL is held."""
        check_hash(media_hash)
        folder = os.path.join(self.root, media_hash[:2])
        stem = os.path.join(folder, media_hash[2:])
        if any(os.path.isfile(stem + e) for e in self.exts):
            return None
        staging = self.staging
        # One temporary name per owner and call (two photos of a batch may clean to the same
        # master): a counter, no random names to draw.
        tmp = (
            f"{os.path.join(folder, '.' + media_hash[2:])}{ext}.{staging.tag}-"
            f"{next(_STAGED)}{TMP_SUFFIX}"
        )
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
            staging.claim()  # before the first file: its lock says the files are in use
            if folder not in self._folders:
                os.makedirs(folder, exist_ok=True)
                self._folders.add(folder)
            try:
                fd = os.open(tmp, flags, 0o644)
            except FileNotFoundError:  # a discarded batch removed the folder meanwhile
                os.makedirs(folder, exist_ok=True)
                fd = os.open(tmp, flags, 0o644)
            try:
                _write_all(fd, data)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        except OSError as exc:
            raise write_failed(exc, stem + ext) from exc
        staging.changed(+1)
        return Staged(Path(tmp), Path(stem + ext))

    def publish(self, staged: Staged) -> Path:
        """Move a staged blob into place (atomic: readers see none or all of it)."""
        try:
            os.replace(staged.tmp, staged.target)
        except OSError as exc:
            raise write_failed(exc, staged.target) from exc
        self.staging.changed(-1)
        return staged.target

    def discard(self, staged: list[Staged]) -> None:
        """Remove staged blobs, and the folders the batch made that are left empty."""
        for s in staged:
            with contextlib.suppress(OSError):
                s.tmp.unlink()
                self.staging.changed(-1)
        for folder in {str(s.tmp.parent) for s in staged}:
            with contextlib.suppress(OSError):
                os.rmdir(folder)  # only when empty: another blob may live there
                self._folders.discard(folder)


def _write_all(fd: int, data: bytes | memoryview) -> None:
    """``data`` written to ``fd``, which is then closed: plain ``os.write`` calls (a file
    object would add an fstat, an ioctl and a seek: each a turn of the GIL, thousands of
    times in an archive import), repeated after a short write."""
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def write_atomic(
    target: Path, data: bytes, *, durable: bool = True, staging: Staging | None = None
) -> None:
    """Write ``data`` to ``target`` via a temp file in the same folder, fsync and os.replace;
    the temp file carries ``staging``'s owner tag (see ``studio.media.staging``).

    ``durable=False`` skips the fsyncs (for caches that are rebuilt if lost); the write stays
    atomic. Raises MediaError (DiskFullError when there is no room), with the temp file
    removed, if anything fails.
    """
    tmp_name = _write_temp(target, data, durable=durable, staging=staging)
    try:
        os.replace(tmp_name, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise write_failed(exc, target) from exc
    if durable:
        _fsync_dir(target.parent)


def _write_temp(target: Path, data: bytes, *, durable: bool, staging: Staging | None) -> str:
    """``data`` in a new temporary file beside ``target`` (fsynced if ``durable``); its name.
    MediaError, with nothing left behind, if it cannot be written."""
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        owner = ""
        if staging is not None:
            staging.claim()
            owner = f"{staging.tag}."
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.name}.{owner}", suffix=TMP_SUFFIX, dir=folder
        )
    except OSError as exc:
        raise write_failed(exc, target) from exc
    try:
        with os.fdopen(fd, "wb") as fp:
            fp.write(data)
            fp.flush()
            if durable:
                os.fsync(fp.fileno())
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        if isinstance(exc, OSError):
            raise write_failed(exc, target) from exc
        raise
    return tmp_name


def write_failed(exc: OSError, target: str | os.PathLike[str]) -> StudioError:
    """What a failed write of ``target`` is reported as: a DiskFullError naming its folder
    when the disk (quota, file size limit) is full, else a MediaError naming the file."""
    folder = os.path.dirname(os.fspath(target))
    return DiskFullError.for_errno(exc.errno, folder) or MediaError(
        f"cannot write the file ({exc.strerror or exc})", source=os.fspath(target)
    )


def sync_all(files: list[Path]) -> None:
    """Make earlier unsynced writes (published stages) durable: one ``sync()`` of the file
    systems where there is one (a single wait for all), else an fsync of each file and folder."""
    if hasattr(os, "sync"):
        os.sync()
        return
    for path in files:
        with contextlib.suppress(OSError), open(path, "rb+") as fp:
            os.fsync(fp.fileno())
    for folder in {p.parent for p in files}:
        _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
