"""The archive's container: a zip written atomically and read only after it proved harmless.

Writing (:class:`ArchiveWriter`): members go to a temporary file next to the target, which is
flushed, fsynced and moved into place with ``os.replace`` only when complete, so an interrupted
export leaves no half archive under the target name. A write that fails (a full disk, a quota,
``ulimit -f``) removes the temporary file and is reported as a ``DiskFullError`` naming the
target's folder and the disk (any other write failure as an ``ArchiveError``), never as a
traceback. The temporary file is locked (``flock``) while it is written; one a killed export
left (its lock free) is removed by the next export to the same file, never one an export
still running in another process is writing. Media blobs (JPEG/PNG, already
compressed) are stored (``ZIP_STORED``): deflating them would cost most of the export's time
for a percent or two; JSON members are deflated.

Reading (:func:`check_members`, :func:`read_member`): before any member is decompressed, every
entry is checked: its name (relative, no ``..``, no drive letter, no backslash, no NUL, no
duplicate), its type (no symlinks, no directories, no encryption), its declared size and its
compression ratio, and the total declared size. ``zipfile`` never inflates a member past its
declared size and checks its CRC, so the declared sizes bound the work: a zip bomb is refused
from its central directory alone. :class:`StoredReader` reads stored (uncompressed) members
straight from the file with ``os.pread``, for the photos of an import: threads then read in
parallel (``zipfile`` serialises reads on one shared file handle) and skip the CRC pass, as the
caller checks each photo's SHA-256, which is stronger.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
import struct
import tempfile
import threading
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

from studio.core.errors import DiskFullError, StudioError

try:
    import fcntl
except ImportError:  # Windows: no flock; an abandoned temporary file stays
    fcntl = None  # type: ignore[assignment]

_COPY_CHUNK = 1024 * 1024
_FLUSH_EVERY = 64 * 1024 * 1024  # photo bytes between two background flushes
_DRIVE = re.compile(r"^[A-Za-z]:")


class ArchiveError(StudioError):
    """An archive that cannot be written or read; nothing was changed. ``where`` names it."""

    def __init__(self, reason: str, *, where: str = "") -> None:
        self.reason = reason
        self.where = where
        super().__init__(f"{where}: {reason}" if where else reason)


class ArchiveCancelled(ArchiveError):
    """The progress callback asked to stop; nothing was changed (the export left no file)."""


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds an archive must keep to be read at all (checked on the central directory)."""

    max_members: int = 2_000_000
    max_total_bytes: int = 256 * 1024**3  # uncompressed, all members
    max_member_bytes: int = 1024**3  # uncompressed, one member (a photo master is <= 256 MB)
    max_ratio: float = 200.0  # uncompressed / compressed, for members above ratio_floor
    ratio_floor: int = 1024 * 1024  # small members may compress well without being bombs
    # The records are held in memory until they are written in one transaction, so they are
    # bounded on their own (``studio.store.archive_read``): in all, at most this many records
    # (~2 KB of Python objects each at the largest kinds: ~450 MB) and this much JSON, and
    # no single record larger than max_record_bytes. The large workspace (1,000
    # looks, 100 shops of 100 products, 1,000 reviews) is ~18,000 records and 8 MB.
    max_records: int = 200_000
    max_records_bytes: int = 96 * 1024**2  # uncompressed, all records/*.json members
    max_record_bytes: int = 1024**2  # the JSON of one record


def safe_name(name: str) -> str | None:
    """Why ``name`` is not a safe relative member path, or None when it is."""
    if not name:
        return "an empty member name"
    if "\x00" in name:
        return "a member name with a NUL character"
    if "\\" in name:
        return "a member name with a backslash"
    if name.startswith("/"):
        return "an absolute member path"
    if _DRIVE.match(name):
        return "a member path with a drive letter"
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "a member path escaping the archive (an empty, '.' or '..' part)"
    return None


def check_members(zf: zipfile.ZipFile, limits: Limits, where: str) -> dict[str, zipfile.ZipInfo]:
    """Every member by name, once each was found safe; ArchiveError naming the first that is not."""
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise ArchiveError(f"too many members ({len(infos)} > {limits.max_members})", where=where)
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = info.filename
        problem = safe_name(name)
        if problem is not None:
            raise ArchiveError(f"refused {problem}: {name!r}", where=where)
        mode = info.external_attr >> 16
        if info.create_system == 3 and stat.S_ISLNK(mode):
            raise ArchiveError(f"refused a symbolic link member: {name!r}", where=where)
        if info.is_dir():
            raise ArchiveError(f"refused a directory member: {name!r}", where=where)
        if info.flag_bits & 0x1:
            raise ArchiveError(f"refused an encrypted member: {name!r}", where=where)
        if name in members:
            raise ArchiveError(f"refused a member given twice: {name!r}", where=where)
        if info.file_size > limits.max_member_bytes:
            raise ArchiveError(
                f"member {name!r} too large when uncompressed "
                f"({info.file_size} > {limits.max_member_bytes} bytes)",
                where=where,
            )
        if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise ArchiveError(
                f"refused a zip bomb: member {name!r} expands "
                f"{info.file_size / max(info.compress_size, 1):.0f} times "
                f"(at most {limits.max_ratio:.0f})",
                where=where,
            )
        total += info.file_size
        if total > limits.max_total_bytes:
            raise ArchiveError(
                f"refused: members total more than {limits.max_total_bytes} bytes uncompressed",
                where=where,
            )
        members[name] = info
    return members


def open_zip(src: Path) -> zipfile.ZipFile:
    """The zip at ``src`` opened for reading (ArchiveError when it is not a readable zip)."""
    try:
        return zipfile.ZipFile(src, "r")
    except FileNotFoundError as exc:
        raise ArchiveError("no such file", where=str(src)) from exc
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as exc:
        raise ArchiveError(f"not a readable zip archive ({exc})", where=str(src)) from exc
    except OSError as exc:
        raise ArchiveError(f"cannot read the file ({exc.strerror or exc})", where=str(src)) from exc


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> bytes:
    """The member's bytes (never more than its declared size); ArchiveError when corrupt."""
    try:
        with zf.open(info) as fp:
            data = fp.read(info.file_size + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
        raise ArchiveError(f"member {info.filename!r} is corrupt ({exc})", where=where) from exc
    if len(data) != info.file_size:
        raise ArchiveError(f"member {info.filename!r} is not its declared size", where=where)
    return data


class ArchiveWriter:
    """A zip being written to a temporary file that replaces ``out`` on :meth:`commit`."""

    def __init__(self, out: Path) -> None:
        self.out = Path(out)
        folder = self.out.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            sweep_abandoned(self.out)
            fd, name = tempfile.mkstemp(prefix=f".{self.out.name}.", suffix=".tmp", dir=folder)
        except OSError as exc:
            raise self.write_error(exc) from exc
        if fcntl is not None:  # "in use" for as long as this process writes it
            fcntl.flock(fd, fcntl.LOCK_EX)
        self._tmp = Path(name)
        self._fp: IO[bytes] = os.fdopen(fd, "wb")
        self.zip = zipfile.ZipFile(self._fp, "w", allowZip64=True)
        self._written = self._flushed = 0  # photo bytes written; handed to the flusher
        self._flusher: threading.Thread | None = None

    def write_bytes(self, name: str, data: bytes, *, compress: bool = True) -> None:
        method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        self.zip.writestr(_info(name, method), data, compress_type=method, compresslevel=6)

    def write_photo(self, name: str, data: bytes) -> None:
        """Store ``data`` (a photo already read and checked) as ``name``."""
        self.zip.writestr(_info(name, zipfile.ZIP_STORED), data)
        self._written += len(data)
        if self._written - self._flushed >= _FLUSH_EVERY:
            self._flush_behind()

    def _flush_behind(self) -> None:
        """Start writing what is buffered so far to the disk, on a thread, while the export
        goes on: the final fsync then waits only for the tail, not for the whole archive."""
        if self._flusher is not None and self._flusher.is_alive():
            return  # the previous one is still writing; the next photo tries again
        self._fp.flush()
        self._flushed = self._written
        fd = self._fp.fileno()
        self._flusher = threading.Thread(
            target=_datasync, args=(fd,), name="archive-flush", daemon=True
        )
        self._flusher.start()

    def copy_file(self, name: str, path: Path, expected_sha256: str) -> int:
        """Store the file at ``path`` as ``name``, checking its SHA-256 on the way; its size
        (for photos too large to be read whole)."""
        digest = hashlib.sha256()
        try:
            with open(path, "rb") as src:
                size = os.fstat(src.fileno()).st_size
                info = _info(name, zipfile.ZIP_STORED)
                info.file_size = size
                with self.zip.open(info, "w", force_zip64=size > 2**31) as dst:
                    while chunk := src.read(_COPY_CHUNK):
                        digest.update(chunk)
                        try:
                            dst.write(chunk)
                        except OSError as exc:
                            raise self.write_error(exc) from exc
        except OSError as exc:
            raise ArchiveError(
                f"cannot read the photo {path} ({exc.strerror or exc})", where=str(self.out)
            ) from exc
        if digest.hexdigest() != expected_sha256:
            raise ArchiveError(
                f"the photo {path} does not match its SHA-256 (the media library file is damaged)",
                where=str(self.out),
            )
        return size

    def commit(self) -> None:
        """Finish the zip and move it into place (atomic)."""
        self.zip.close()
        self._fp.flush()
        self._join_flusher()
        os.fsync(self._fp.fileno())
        self._fp.close()
        os.replace(self._tmp, self.out)

    def _join_flusher(self) -> None:
        if self._flusher is not None:
            self._flusher.join()  # its descriptor must stay open until it is done
            self._flusher = None

    def abort(self) -> None:
        self._join_flusher()
        with contextlib.suppress(Exception):
            self.zip.close()
        with contextlib.suppress(Exception):
            self._fp.close()
        with contextlib.suppress(OSError):
            self._tmp.unlink()

    def __enter__(self) -> ArchiveWriter:
        return self

    def write_error(self, error: OSError) -> StudioError:
        """What a failed write of the archive is reported as: a DiskFullError naming the
        target's folder when there is no room, else an ArchiveError."""
        return DiskFullError.for_errno(error.errno, self.out.parent) or ArchiveError(
            f"cannot write the archive ({error.strerror or error})", where=str(self.out)
        )

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if kind is None:
            try:
                self.commit()
            except OSError as error:
                self.abort()
                raise self.write_error(error) from error
        else:
            self.abort()
            if isinstance(exc, OSError):  # a member's write failed: the disk is full, say
                raise self.write_error(exc) from exc


def sweep_abandoned(out: Path) -> int:
    """Remove the temporary files killed exports to ``out`` left beside it (their lock is
    free: the process that held it is gone); returns how many."""
    if fcntl is None:
        return 0
    removed = 0
    prefix = f".{out.name}."
    for name in os.listdir(out.parent):
        if not (name.startswith(prefix) and name.endswith(".tmp")):
            continue
        path = out.parent / name
        try:
            fd = os.open(path, os.O_RDWR)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            path.unlink()
            removed += 1
        except OSError:
            pass  # locked: an export still running in another process
        finally:
            os.close(fd)
    return removed


def _datasync(fd: int) -> None:
    # Only an early start: the commit's fsync is what makes the archive durable.
    with contextlib.suppress(OSError):
        os.fdatasync(fd) if hasattr(os, "fdatasync") else os.fsync(fd)


def _info(name: str, method: int) -> zipfile.ZipInfo:
    # A fixed date: the same workspace exports to the same member headers.
    info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
    info.compress_type = method
    info.external_attr = 0o644 << 16
    return info


_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # zipfile.structFileHeader: 30 bytes
_LOCAL_MAGIC = b"PK\x03\x04"


class StoredReader:
    """Member bytes read with ``os.pread`` from one descriptor shared by threads (see the
    module doc); a compressed member, or a platform without ``pread``, goes through
    ``read_member``. The local header is checked as ``zipfile`` checks it (signature, name)."""

    def __init__(self, zf: zipfile.ZipFile, src: Path, where: str) -> None:
        self._zf, self._where = zf, where
        self._fd = os.open(src, os.O_RDONLY) if hasattr(os, "pread") else None

    def read(self, info: zipfile.ZipInfo, into: bytearray | None = None) -> bytes | memoryview:
        """The member's bytes; with ``into`` (at least the member's size), read into it and
        returned as a view of it: a thread reading thousands of photos reuses one buffer
        instead of making the kernel map and clear fresh memory for each."""
        if (
            self._fd is None
            or info.compress_type != zipfile.ZIP_STORED
            or info.compress_size != info.file_size
        ):
            return read_member(self._zf, info, self._where)
        name = info.filename
        try:
            stored_name = info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437")
            # The header and the name it should hold in one read (each system call is a turn
            # of the GIL for the threads reading photos beside the records' work).
            head = os.pread(self._fd, _LOCAL_HEADER.size + len(stored_name), info.header_offset)
            fields = _LOCAL_HEADER.unpack_from(head) if len(head) >= _LOCAL_HEADER.size else None
            if fields is None or fields[0] != _LOCAL_MAGIC:
                raise ArchiveError(
                    f"member {name!r} is corrupt (bad local header)", where=self._where
                )
            name_len, extra_len = fields[10], fields[11]
            start = info.header_offset + _LOCAL_HEADER.size
            if name_len != len(stored_name) or head[_LOCAL_HEADER.size :] != stored_name:
                raise ArchiveError(
                    f"member {name!r} is corrupt (its local header names another file)",
                    where=self._where,
                )
            offset = start + name_len + extra_len
            data: bytes | memoryview
            if into is not None and len(into) >= info.file_size and hasattr(os, "preadv"):
                view = memoryview(into)[: info.file_size]
                data = view[: os.preadv(self._fd, [view], offset)]
            else:
                data = os.pread(self._fd, info.file_size, offset)
        except (OSError, UnicodeEncodeError) as exc:
            raise ArchiveError(f"member {name!r} is corrupt ({exc})", where=self._where) from exc
        if len(data) != info.file_size:
            raise ArchiveError(f"member {name!r} is not its declared size", where=self._where)
        return data

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> StoredReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
