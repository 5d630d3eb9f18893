"""The portable archive: a workspace's looks, boards, shops, reviews, profile and photos in one zip.

``export_archive`` writes every record and every photo it references to one zip (format in
docs/archive.md: ``manifest.json`` first, ``records/<kind>.json``, ``media/ab/cdef...<ext>``);
``import_archive`` reads one into any workspace, re-linking products by merchant + offer id.

The store may not import the media library (layers), so media travel through what the caller
passes: ``media_file(sha256) -> Path`` for the export (a path that may not exist: that photo
is then listed as missing) and a ``MediaSink`` for the import (``MediaLibrary``: verifies the
hash, puts each photo through the photo pipeline - a clean master, as the studio exports
them, is kept byte for byte under its name; any other is cleaned and renamed, and the
records naming it follow: ``archive_media.remap_media`` - stages it, then publishes or
discards them).

An import checks everything before it changes anything: the container (``archive_zip``), the
manifest (a newer format or section version is refused naming both versions), every record
and every reference between them, and every photo's SHA-256 as it is staged. The photos are
staged in the background from the moment the manifest names them (``archive_media``) while
the records are checked and their rows prepared (``archive_write.plan_records``); only when
all of it is good are the photos moved into place (and synced in the background) and the
records committed in ONE transaction with their outbox entries (written while the last
photos are staged, rolled back if one of them is bad). A record whose id the
workspace already has is replaced only when the archive's copy was edited later
(``updated_at``): the newer edit wins.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from studio import __version__
from studio.store.archive_media import (
    Kinds,
    MediaSink,
    PhotoStager,
    Progress,
    read_checked,
    remap_media,
    tick,
)
from studio.store.archive_read import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA_EXTS,
    SECTIONS,
    check_archive,
    media_entries,
    media_member,
    read_manifest,
)
from studio.store.archive_records import KINDS, read_records
from studio.store.archive_sections import check_handle, media_used
from studio.store.archive_write import Plan, Unlinked, Written, is_kept, plan_records, writing
from studio.store.archive_zip import (
    ArchiveCancelled,
    ArchiveError,
    ArchiveWriter,
    Limits,
    StoredReader,
    check_members,
    open_zip,
    read_member,
)
from studio.store.db import Database
from studio.store.write_errors import room_errors

# The records' write takes about half as long as their plan (measured at the issue's scale:
# 0.41-0.45 s against 0.75-1.24 s), so the plan's time says when to start it.
WRITE_SHARE = 0.5

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "ArchiveCancelled",
    "ArchiveError",
    "ArchiveReport",
    "MediaSink",
    "Progress",
    "Unlinked",
    "export_archive",
    "import_archive",
]


@dataclass
class ArchiveReport:
    path: Path
    counts: dict[str, int] = field(default_factory=dict)  # records per kind in the archive
    media_files: int = 0
    media_bytes: int = 0
    missing_media: tuple[str, ...] = ()  # referenced, but absent from the source library
    added: int = 0  # import only: records new to the workspace
    updated: int = 0  # replaced by the archive's later edit
    kept: int = 0  # the workspace's copy was as new or newer
    unlinked: tuple[Unlinked, ...] = ()
    # import only: photos the pipeline cleaned (private metadata, a payload after the
    # picture...), so stored under a new name; the archive's names
    cleaned: tuple[str, ...] = ()


def _json(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1).encode()


# ---- export ----


def export_archive(
    db: Database, out: Path, media_file: Callable[[str], Path], progress: Progress | None = None
) -> ArchiveReport:
    """Write the workspace to the zip ``out`` (replaced atomically); ArchiveError on failure,
    and then no file was written. ``progress(done, total)`` counts record kinds and media
    bytes; returning False cancels (ArchiveCancelled)."""
    out = Path(out)
    with db.connect() as conn:
        conn.execute("BEGIN")  # one consistent snapshot of every table
        try:
            records = {
                name: read_records(conn, KINDS[name])
                for _, kinds in SECTIONS.values()
                for name in kinds
            }
        finally:
            conn.execute("COMMIT")
    hashes = {r["hash"] for r in records["media"]}
    hashes |= {r["media_hash"] for r in records["look_photos"]}
    hashes |= {r["media_hash"] for r in records["board_items"] if r["media_hash"]}
    hashes |= media_used(records)
    media: list[dict[str, Any]] = []
    files: list[tuple[str, Path]] = []
    missing: list[str] = []
    for sha in sorted(hashes):
        path = Path(media_file(sha))
        if not path.is_file():
            missing.append(sha)
            continue
        ext = path.suffix.lower()
        if ext not in MEDIA_EXTS:
            raise ArchiveError(
                f"the photo {path} is not a stored master (.jpg or .png)", where=str(out)
            )
        media.append({"sha256": sha, "path": media_member(sha, ext), "bytes": path.stat().st_size})
        files.append((sha, path))
    report = ArchiveReport(
        out,
        {k: len(v) for k, v in records.items()},
        len(media),
        sum(m["bytes"] for m in media),
        tuple(missing),
    )
    manifest = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "app_version": __version__,
        "counts": report.counts | {"media_files": len(media)},
        "sections": {
            name: {"version": version, "records": list(kinds)}
            for name, (version, kinds) in SECTIONS.items()
        },
        "media": media,
        "missing_media": missing,
    }
    total, done = len(records) + report.media_bytes, 0
    with ArchiveWriter(out) as writer:
        writer.write_bytes(MANIFEST, _json(manifest))
        for name, rows in records.items():
            writer.write_bytes(f"records/{name}.json", _json(rows))
            done += 1
            tick(progress, done, total)
        photos = read_checked(
            [(sha, path, e["bytes"]) for (sha, path), e in zip(files, media, strict=True)], str(out)
        )
        with closing(photos):  # a failure stops the readers
            for (sha, path), entry, data in zip(files, media, photos, strict=True):
                if data is None:
                    writer.copy_file(entry["path"], path, sha)
                else:
                    writer.write_photo(entry["path"], data)
                done += entry["bytes"]
                tick(progress, done, total)
    return report


# ---- import ----


def import_archive(
    db: Database,
    src: Path,
    media: MediaSink,
    progress: Progress | None = None,
    *,
    limits: Limits | None = None,
) -> ArchiveReport:
    """Read the archive ``src`` into the workspace (see the module doc); ArchiveError with
    nothing changed on a bad archive. ``progress(done, total)`` counts media bytes and the
    final write; returning False cancels (ArchiveCancelled) with nothing changed either.

    Each photo is read ONCE: its SHA-256 checked and its bytes staged beside their place in the
    library, in the background from the moment the manifest names it, while the records are
    checked and their rows prepared; only when every photo and every record is good are the
    photos moved into place, then the records that name them written. Afterwards, whatever
    the outcome, the library sweeps what dead jobs left in it (``MediaSink.sweep_stale``)."""
    try:
        return _import_archive(db, Path(src), media, progress, limits)
    finally:
        media.sweep_stale()


class _Rewritten(Exception):
    """Raised inside the write to roll it back: its rows name a photo by a name the
    pipeline has just changed (the photo was among the last staged)."""


def _write(
    db: Database,
    kinds: Kinds,
    where: str,
    plan: Plan | None,
    stager: PhotoStager,
    progress: Progress | None,
    total: int,
) -> Written:
    """The records in ONE transaction, committed once every photo is staged and put in
    place; ``plan`` (None: made now, under the lock) is the rows prepared meanwhile."""
    remapped = len(stager.remapped)
    with room_errors(db.path), writing(db, kinds, where, plan) as written:
        stager.wait(progress, total)  # a bad photo or a cancel: rolled back
        if len(stager.remapped) != remapped:
            raise _Rewritten
        stager.publish()
    return written


def _import_archive(
    db: Database, src: Path, media: MediaSink, progress: Progress | None, limits: Limits | None
) -> ArchiveReport:
    where = str(src)
    with open_zip(src) as zf, StoredReader(zf, src, where) as reader:
        members = check_members(zf, limits or Limits(), where)
        if MANIFEST not in members:
            raise ArchiveError("not a Vitrine Studio archive (no manifest.json)", where=where)
        manifest = read_manifest(read_member(zf, members[MANIFEST], where), where)
        entries = media_entries(manifest, members, where)
        total = sum(e["bytes"] for e in entries) + 1
        stager = PhotoStager(entries, zf, reader, media, where)
        published = False
        try:
            checked = check_archive(
                zf,
                members,
                manifest,
                entries,
                where,
                lambda: stager.report(progress, total),
                limits,
            )
            with db.connect() as conn:  # a clash refused before any photo is in place
                for shop in dict((k.table, r) for k, r in checked.kinds).get("shops", []):
                    if not is_kept(conn, "shops", shop):
                        check_handle(conn, shop, where)
            planned = time.perf_counter()
            plan: Plan | None = plan_records(db, checked.kinds, where)
            # The write holds the store's write lock (other edits wait): it starts when the
            # photos left should take about as long as it does, so the two overlap, and the
            # lock is not held while most of the photos are still to come.
            stager.wait(progress, total, lead=WRITE_SHARE * (time.perf_counter() - planned))
            kinds = checked.kinds
            if stager.remapped:  # known already: the plan names photos by their old names
                stager.wait(progress, total)
                kinds, plan = remap_media(kinds, stager.remapped), None
            try:
                counts, unlinked = _write(db, kinds, where, plan, stager, progress, total)
            except _Rewritten:  # a photo rewritten by the pipeline was met during the write
                kinds = remap_media(kinds, stager.remapped)
                counts, unlinked = _write(db, kinds, where, None, stager, progress, total)
            published = True
        except BaseException:
            # A bad photo or record, a cancel: no file stays (published ones, whose records
            # then failed to commit, are unreferenced and harmless).
            stager.close(discard=not published)
            raise
        stager.close(discard=False)
    # The photos reach the disk in the background: the import is as durable as the store's
    # own commits (WAL, synchronous=NORMAL: safe from an app crash or kill). Waiting here for
    # 1 GB to be written would double the import's time; after a power cut in the seconds
    # that follow, a photo not yet written is reported missing and a re-import restores it.
    threading.Thread(target=media.sync, name="archive-sync", daemon=True).start()
    report = ArchiveReport(
        src,
        {k.table: len(r) for k, r in checked.kinds},
        len(entries),
        sum(e["bytes"] for e in entries),
        checked.missing,
    )
    report.cleaned = tuple(sorted(stager.remapped))
    report.unlinked = unlinked
    report.added, report.updated, report.kept = counts.added, counts.updated, counts.kept
    if progress is not None:
        progress(total, total)  # done: too late to cancel, the records are committed
    return report
