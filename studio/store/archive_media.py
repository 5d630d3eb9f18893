"""An archive's photos, moved on worker threads: hashing, reading and writing release the GIL.

The photos are most of an archive's bytes and most of its time. On export, :func:`read_checked`
reads each photo and checks its SHA-256 ahead of the zip writer, in order, a bounded number of
bytes ahead. On import, they start as soon as the manifest has named them:
:class:`PhotoStager` reads each one ONCE (``StoredReader``: parallel ``pread``, no CRC pass),
has the sink check it (type, SHA-256) and put it through the photo pipeline, as ``studio media
import`` does, and write what is to be stored under a temporary name beside its place, while
the caller checks and prepares the records on its own thread.

**Photos the pipeline rewrites.** A photo the studio exported is a clean master and is
stored byte for byte under its own name. Any other (a planted one that keeps its GPS
position or carries a payload after its end) is cleaned, so it is stored under a new name
(the SHA-256 of the clean master): :attr:`PhotoStager.remapped` says which, and
:func:`remap_media` makes every record that names such a photo name the new one (the fields
of :data:`MEDIA_REFERENCES`) before the records are written.

Nothing is visible until :meth:`PhotoStager.publish`, called only once every photo and every
record proved good; on any failure or a cancel, :meth:`PhotoStager.close` discards what was
staged, so a refused import leaves no file behind.
"""

from __future__ import annotations

import hashlib
import threading
import time
import zipfile
from collections import deque
from collections.abc import Callable, Generator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

from studio.core.errors import DiskFullError, StudioError
from studio.protocol.kinds import KINDS, Record
from studio.store.archive_records import Kind
from studio.store.archive_zip import ArchiveCancelled, ArchiveError, StoredReader

Progress = Callable[[int, int], bool]
Entry = dict[str, Any]  # a checked media entry of the manifest: sha256, path, bytes, ext
Kinds = list[tuple[Kind, list[Record]]]

# Every record field naming a photo by its SHA-256 (table, field), as the registry of record
# kinds declares them (``RecordKind.media``): what a photo the pipeline rewrote is renamed in.
MEDIA_REFERENCES: tuple[tuple[str, str], ...] = tuple(
    (k.table, name) for k in KINDS for name in k.media
)
_MEDIA_TABLE = "media"  # the media records themselves: one per photo, keyed by its hash

# Staging waits on the file system (creating files) as much as on the CPU (hashing): more
# writers than cores keep both busy. Measured on 2 cores, 1.1 GB in 2,100 photos, staging
# alone: 4.5 s with 1 writer, 1.6-2.6 s with 2, 1.7-1.9 s with 4 and 8. Beside the records
# being checked on the caller's thread (each writer also takes the GIL between its system
# calls): 2, 4 and 8 writers within noise of each other (5.3-7.6 s on a slow day). Each writer
# holds one photo in memory, so an archive of large masters gets fewer of them.
_WORKERS = 4
_FEW_WORKERS = 2
_MANY_WORKERS_MAX_BYTES = 64 * 1024 * 1024


# Export: two readers (hashing is CPU work, the writer has the other core's share), at most
# this many bytes read ahead; a photo larger than the last is streamed by the writer instead.
_READERS = 2
_READ_AHEAD_BYTES = 64 * 1024 * 1024
_READ_WHOLE_MAX = 16 * 1024 * 1024


def read_checked(
    files: list[tuple[str, Path, int]], where: str
) -> Generator[bytes | None, None, None]:
    """The bytes of each (sha256, path, size) in order, read and checked against its SHA-256
    on worker threads ahead of the caller; None for a photo too large to be read whole.
    ArchiveError when one cannot be read or does not match its hash."""
    pool = ThreadPoolExecutor(max_workers=_READERS, thread_name_prefix="archive-read")
    ahead: deque[tuple[int, Future[bytes] | None]] = deque()  # None: too large, streamed
    todo = iter(files)
    in_memory = 0
    try:
        while True:
            while in_memory < _READ_AHEAD_BYTES and (item := next(todo, None)) is not None:
                sha, path, size = item
                if size <= _READ_WHOLE_MAX:
                    ahead.append((size, pool.submit(_read_photo, sha, path, where)))
                    in_memory += size
                else:
                    ahead.append((0, None))
            if not ahead:
                return
            size, job = ahead.popleft()
            in_memory -= size
            yield None if job is None else job.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _read_photo(sha: str, path: Path, where: str) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArchiveError(
            f"cannot read the photo {path} ({exc.strerror or exc})", where=where
        ) from exc
    if hashlib.sha256(data).hexdigest() != sha:
        raise ArchiveError(
            f"the photo {path} does not match its SHA-256 (the media library file is damaged)",
            where=where,
        )
    return data


class StagedPhoto(Protocol):
    """What the sink staged for a photo (``studio.media.library.StagedPhoto``)."""

    @property
    def staged(self) -> Any: ...  # None: the library holds it already
    @property
    def hash(self) -> str: ...  # the name it is stored under
    @property
    def length(self) -> int: ...
    @property
    def size(self) -> tuple[int, int] | None: ...  # when rewritten: (width, height)


class MediaSink(Protocol):
    """Where an import's photos go (``studio.media.library.MediaLibrary``): each is staged
    (its SHA-256, name and type checked — a StudioError if they disagree —, put through the
    photo pipeline and written under a temporary name), all are published once every one is
    good, or discarded; ``sync`` makes the published ones durable; ``sweep_stale``, called
    after the import, removes what jobs that died left staged (``studio.media.staging``)."""

    def stage_photo(self, data: bytes | memoryview, media_hash: str, ext: str) -> StagedPhoto: ...
    def publish(self, staged: Any) -> object: ...
    def discard(self, staged: list[Any]) -> None: ...
    def sync(self) -> None: ...
    def sweep_stale(self) -> object: ...


def tick(progress: Progress | None, done: int, total: int) -> None:
    """Report progress; ArchiveCancelled when the callback returns False."""
    if progress is not None and progress(done, total) is False:
        raise ArchiveCancelled("cancelled; nothing was changed")


def spread(entries: list[Entry]) -> list[Entry]:
    """The entries reordered so that consecutive ones have different hash prefixes: the
    manifest lists them by hash, and a content-addressed store files a photo under its hash's
    first characters, so in that order the writers would all create and rename in the same
    folder at once and wait on each other (measured: an import ~15% faster spread)."""
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(entry["sha256"][:2], []).append(entry)
    rounds = max(map(len, groups.values()), default=0)
    return [group[i] for i in range(rounds) for group in groups.values() if i < len(group)]


class PhotoStager:
    """Stages ``entries`` of the archive ``zf`` into ``sink`` from the moment it is made."""

    def __init__(
        self,
        entries: list[Entry],
        zf: zipfile.ZipFile,
        reader: StoredReader,
        sink: MediaSink,
        where: str,
    ) -> None:
        self._zf, self._reader, self._sink, self._where = zf, reader, sink, where
        self._staged: list[Any] = []
        # Photos the pipeline rewrote: the archive's name -> what was staged for it.
        self.remapped: dict[str, StagedPhoto] = {}
        self._lock = threading.Lock()
        self._done = 0  # bytes of the photos staged so far
        self._local = threading.local()
        self._largest = largest = max((e["bytes"] for e in entries), default=0)
        workers = _WORKERS if largest <= _MANY_WORKERS_MAX_BYTES else _FEW_WORKERS
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="archive")
        self._jobs: list[tuple[Entry, Future[None]]] = [
            (entry, self._pool.submit(self._stage, entry)) for entry in spread(entries)
        ]
        self._waited = 0  # jobs waited for (and reported) so far
        self._started = time.perf_counter()
        self._bytes: int = sum(int(e["bytes"]) for e in entries)

    def _stage(self, entry: Entry) -> None:
        buffer = getattr(self._local, "buffer", None)
        if buffer is None:  # one per worker thread, as large as the largest photo
            buffer = self._local.buffer = bytearray(self._largest)
        data = self._reader.read(self._zf.getinfo(entry["path"]), buffer)
        try:  # stage_photo checks the SHA-256 (once: it is the costliest step per photo)
            one = self._sink.stage_photo(data, entry["sha256"], entry["ext"])
        except DiskFullError:
            raise  # the archive is fine: this disk is full (the caller removes what was staged)
        except StudioError as exc:  # the media library's MediaError
            raise ArchiveError(
                f"the photo {entry['path']} is refused: {exc} (the archive is damaged)",
                where=self._where,
            ) from exc
        with self._lock:
            if one.staged is not None:  # None: the library holds that photo already
                self._staged.append(one.staged)
            if one.hash != entry["sha256"]:
                self.remapped[entry["sha256"]] = one
            self._done += entry["bytes"]

    def report(self, progress: Progress | None, total: int) -> None:
        """Report the bytes staged so far (the caller's thread: it may be cancelled here)."""
        with self._lock:
            done = self._done
        tick(progress, done, total)

    def wait(self, progress: Progress | None, total: int, *, lead: float = 0.0) -> None:
        """Until every photo is staged - or, with ``lead``, until the ones left should take
        no longer than ``lead`` seconds at the rate so far - reporting bytes as they are; the
        first failure is raised (ArchiveCancelled on a cancel). Called again, it goes on."""
        since, done_then = time.perf_counter(), self._staged_bytes()
        while self._waited < len(self._jobs):
            if lead and self._seconds_left(since, done_then) <= lead:
                return
            self._jobs[self._waited][1].result()
            self._waited += 1
            self.report(progress, total)

    def _staged_bytes(self) -> int:
        with self._lock:
            return self._done

    def _seconds_left(self, since: float, done_then: int) -> float:
        # At the rate since the wait began once it is measurable: before it, the caller's
        # thread was checking and planning the records beside the writers, slowing them.
        now, done = time.perf_counter(), self._staged_bytes()
        if done >= self._bytes:
            return 0.0
        if done - done_then > 0 and now - since >= 0.05:
            return (self._bytes - done) * (now - since) / (done - done_then)
        return (self._bytes - done) * (now - self._started) / done if done else float("inf")

    def publish(self) -> None:
        """Move every staged photo into place (after ``wait``)."""
        for one in self._staged:
            self._sink.publish(one)

    def close(self, *, discard: bool) -> None:
        """Stop the workers (what has not started is cancelled); with ``discard``, remove
        every staged photo: the import failed or was cancelled."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        if discard:
            self._sink.discard(self._staged)


def remap_media(kinds: Kinds, remapped: dict[str, StagedPhoto]) -> Kinds:
    """``kinds`` with every photo the pipeline rewrote named by its new hash, in every field
    of :data:`MEDIA_REFERENCES`; a media record also takes the new master's size (bytes, and
    its upright width and height), and two that now name the same photo become one. Kinds
    without such a photo are passed on as they are (not copied)."""
    fields: dict[str, tuple[str, ...]] = {}
    for table, field in MEDIA_REFERENCES:
        fields[table] = (*fields.get(table, ()), field)
    out: Kinds = []
    for kind, records in kinds:
        names = fields.get(kind.table, ())
        if not any(r[name] in remapped for r in records for name in names):
            out.append((kind, records))
            continue
        media = kind.table == _MEDIA_TABLE
        renamed: list[Record] = []
        seen: set[str] = set()
        for record in records:
            for name in names:
                stored = remapped.get(record[name])
                if stored is None:
                    continue
                record = {**record, name: stored.hash}
                if media:
                    record["bytes"] = stored.length
                    if stored.size is not None:
                        record["width"], record["height"] = stored.size
            if media:
                if record[kind.key] in seen:
                    continue
                seen.add(record[kind.key])
            renamed.append(record)
        out.append((kind, renamed))
    return out
