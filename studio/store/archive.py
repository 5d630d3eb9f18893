"""The portable archive: a workspace's looks, boards, shops, reviews, profile and photos in one zip.

``export_archive`` writes every record and every photo it references to one zip (format in
docs/archive.md: ``manifest.json`` first, ``records/<kind>.json``, ``media/ab/cdef...<ext>``);
``import_archive`` reads one into any workspace, re-linking products by merchant + offer id.

The store may not import the media library (layers), so media travel through what the caller
passes: ``media_file(sha256) -> Path`` for the export (a path that may not exist: that photo
is then listed as missing) and a ``MediaSink`` for the import (``MediaLibrary``: stages the
bytes unchanged under their name, verifying the hash, then publishes or discards them).

An import checks everything before it changes anything: the container (``archive_zip``), the
manifest (a newer format or section version is refused naming both versions), every record
and every reference between them, and every photo's SHA-256 as it is staged. Only then are
the photos moved into place (and synced in the background), and the records written in ONE
transaction with their outbox entries (``archive_write``). A record whose id the workspace
already has is replaced only when the archive's copy was edited later (``updated_at``): the
newer edit wins. The photos are read with ``archive_zip.StoredReader`` (parallel reads, no
CRC pass: the SHA-256 check is stronger) and staged by more threads than cores, as creating
files waits on the file system rather than the CPU.
"""

from __future__ import annotations

import json
import os
import threading
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from studio import __version__
from studio.core.errors import StudioError
from studio.store.archive_records import (
    KINDS,
    Kind,
    Record,
    check_records,
    is_kept,
    read_records,
)
from studio.store.archive_sections import (
    REFERENCES,
    check_handle,
    check_handles,
    media_used,
)
from studio.store.archive_write import Unlinked, write_all
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

FORMAT = "vitrine-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# Each section: its version and its record kinds, in the order they are written (parents
# first, for the foreign keys). An archive may lack any of them (an older one lacks the last
# three): the import then leaves that part of the workspace alone.
SECTIONS: dict[str, tuple[int, tuple[str, ...]]] = {
    "looks": (1, ("media", "looks", "look_photos", "hotspots")),
    "boards": (1, ("boards", "board_items")),
    "profile": (1, ("profile", "affiliations")),
    "shops": (1, ("shops", "shop_sections", "shop_items")),
    "reviews": (1, ("reviews", "review_photos")),
}
MEDIA_EXTS = (".jpg", ".png")  # what the media library stores (studio.media.encoding)

Progress = Callable[[int, int], bool]
_WORKERS = min(4, os.cpu_count() or 1)  # checking photos: hashing, bound by the CPU
# Staging photos waits on the file system (creating files), not the CPU: more writers than
# cores keep it busy. Measured on 2 cores, 1.1 GB in 2,100 photos: staging takes 4.5 s with 1
# writer, 1.6-2.6 s with 2, 1.7-1.9 with 4 and 8 (noisy: a shared disk). Each writer holds one
# photo in memory, so large masters get fewer writers.
_STORE_WORKERS = 8
_STORE_WORKERS_MAX_BYTES = 64 * 1024 * 1024


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


def media_member(sha256: str, ext: str) -> str:
    return f"media/{sha256[:2]}/{sha256[2:]}{ext}"


def _tick(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and progress(done, total) is False:
        raise ArchiveCancelled("cancelled; nothing was changed")


def _json(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1).encode()


# ---- export ----

def export_archive(db: Database, out: Path, media_file: Callable[[str], Path],
                   progress: Progress | None = None) -> ArchiveReport:
    """Write the workspace to the zip ``out`` (replaced atomically); ArchiveError on failure,
    and then no file was written. ``progress(done, total)`` counts record kinds and media
    bytes; returning False cancels (ArchiveCancelled)."""
    out = Path(out)
    with db.connect() as conn:
        conn.execute("BEGIN")  # one consistent snapshot of every table
        try:
            records = {name: read_records(conn, KINDS[name])
                       for _, kinds in SECTIONS.values() for name in kinds}
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
            raise ArchiveError(f"the photo {path} is not a stored master (.jpg or .png)",
                               where=str(out))
        media.append({"sha256": sha, "path": media_member(sha, ext),
                      "bytes": path.stat().st_size})
        files.append((sha, path))
    report = ArchiveReport(out, {k: len(v) for k, v in records.items()}, len(media),
                           sum(m["bytes"] for m in media), tuple(missing))
    manifest = {
        "format": FORMAT, "version": FORMAT_VERSION,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "app_version": __version__, "counts": report.counts | {"media_files": len(media)},
        "sections": {name: {"version": version, "records": list(kinds)}
                     for name, (version, kinds) in SECTIONS.items()},
        "media": media, "missing_media": missing,
    }
    total, done = len(records) + report.media_bytes, 0
    with ArchiveWriter(out) as writer:
        writer.write_bytes(MANIFEST, _json(manifest))
        for name, rows in records.items():
            writer.write_bytes(f"records/{name}.json", _json(rows))
            done += 1
            _tick(progress, done, total)
        for (sha, path), entry in zip(files, media, strict=True):
            writer.copy_file(entry["path"], path, sha)
            done += entry["bytes"]
            _tick(progress, done, total)
    return report


# ---- import ----

def _spread(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries reordered so that consecutive ones have different hash prefixes: the
    manifest lists them by hash, and a content-addressed store files a photo under its hash's
    first characters, so in that order the writers would all create, rename and fsync in the
    same folder at once and wait on each other (measured: an import ~15% faster spread)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        groups.setdefault(entry["sha256"][:2], []).append(entry)
    rounds = max(map(len, groups.values()), default=0)
    return [group[i] for i in range(rounds) for group in groups.values() if i < len(group)]


def _each(entries: list[dict[str, Any]], work: Callable[[dict[str, Any]], None],
          progress: Progress | None, done: int, total: int, workers: int = _WORKERS) -> int:
    """``work`` on every media entry on a few threads (hashing, reading and fsync release the
    GIL: this is what keeps an import near plain zipfile speed); the first error is raised
    and the rest is cancelled. Returns the progress count reached."""
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="archive") as pool:
        try:
            for entry, _ in zip(entries, pool.map(work, entries), strict=True):
                done += entry["bytes"]
                _tick(progress, done, total)
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return done


@dataclass
class _Checked:
    kinds: list[tuple[Kind, list[Record]]]
    media: list[dict[str, Any]]
    missing: tuple[str, ...]


def _manifest(data: bytes, where: str) -> dict[str, Any]:
    try:
        manifest = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ArchiveError(f"manifest.json is not valid JSON ({exc})", where=where) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError("not a Vitrine Studio archive (manifest.json has no "
                           f"\"format\": \"{FORMAT}\")", where=where)
    version = manifest.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ArchiveError(f"manifest.json has a bad version {version!r}", where=where)
    if version > FORMAT_VERSION:
        raise ArchiveError(f"this archive is format version {version}, made by a newer Vitrine "
                           f"Studio; this one reads up to version {FORMAT_VERSION}: update the "
                           "app to import it", where=where)
    sections = manifest.get("sections")
    if not isinstance(sections, dict):
        raise ArchiveError("manifest.json has no \"sections\" object", where=where)
    for name, section in sections.items():
        if name not in SECTIONS:
            raise ArchiveError(f"this archive has a section {name!r} this Vitrine Studio does "
                               "not know (made by a newer version?): update the app",
                               where=where)
        known, kinds = SECTIONS[name]
        got = section.get("version") if isinstance(section, dict) else None
        if isinstance(got, bool) or not isinstance(got, int) or got < 1:
            raise ArchiveError(f"section {name!r} has a bad version {got!r}", where=where)
        if got > known:
            raise ArchiveError(f"section {name!r} is version {got}, made by a newer Vitrine "
                               f"Studio; this one reads up to version {known}", where=where)
        if section.get("records") != list(kinds):
            raise ArchiveError(f"section {name!r} does not list its records "
                               f"{list(kinds)}", where=where)
    if not isinstance(manifest.get("counts"), dict):
        raise ArchiveError("manifest.json has no \"counts\" object", where=where)
    return manifest


def _check(zf: zipfile.ZipFile, src: Path, limits: Limits) -> _Checked:
    where = str(src)
    members = check_members(zf, limits, where)
    if MANIFEST not in members:
        raise ArchiveError("not a Vitrine Studio archive (no manifest.json)", where=where)
    manifest = _manifest(read_member(zf, members[MANIFEST], where), where)
    expected = {MANIFEST}
    kinds: list[tuple[Kind, list[Record]]] = []
    for name in manifest["sections"]:
        for kind_name in SECTIONS[name][1]:
            member = f"records/{kind_name}.json"
            if member not in members:
                raise ArchiveError(f"{member} is missing", where=where)
            expected.add(member)
            try:
                data = json.loads(read_member(zf, members[member], where))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise ArchiveError(f"{member} is not valid JSON ({exc})", where=where) from exc
            records = check_records(KINDS[kind_name], data, where)
            if manifest["counts"].get(kind_name) != len(records):
                raise ArchiveError(f"{member} holds {len(records)} records, the manifest "
                                   f"counts {manifest['counts'].get(kind_name)!r}", where=where)
            kinds.append((KINDS[kind_name], records))
    media = manifest.get("media", [])
    missing = manifest.get("missing_media", [])
    if not isinstance(media, list) or not isinstance(missing, list):
        raise ArchiveError("manifest.json: \"media\" and \"missing_media\" must be arrays",
                           where=where)
    stored: set[str] = set()
    for entry in media:
        ok = isinstance(entry, dict) and isinstance(entry.get("sha256"), str)
        sha = entry.get("sha256", "") if ok else ""
        exts = [e for e in MEDIA_EXTS if ok and entry.get("path") == media_member(sha, e)]
        if not (ok and len(sha) == 64 and all(c in "0123456789abcdef" for c in sha) and exts):
            raise ArchiveError(f"manifest.json: bad media entry {entry!r}", where=where)
        info = members.get(entry["path"])
        if info is None:
            raise ArchiveError(f"the photo {entry['path']} is missing from the archive",
                               where=where)
        if info.file_size != entry.get("bytes"):
            raise ArchiveError(f"the photo {entry['path']} is not its declared size",
                               where=where)
        entry["ext"] = exts[0]
        stored.add(sha)
        expected.add(entry["path"])
    extra = sorted(set(members) - expected)
    if extra:
        raise ArchiveError(f"unexpected member {extra[0]!r}", where=where)
    _check_references(dict((k.name, r) for k, r in kinds), stored, set(map(str, missing)),
                      where)
    return _Checked(kinds, media, tuple(map(str, missing)))


def _check_references(records: dict[str, list[Record]], stored: set[str], missing: set[str],
                      where: str) -> None:
    """Every parent id and every photo a record names is in the archive."""
    def ids(kind: str, key: str = "id") -> set[str]:
        return {r[key] for r in records.get(kind, [])}

    for kind, key, parent in (("look_photos", "look_id", "looks"),
                              ("hotspots", "photo_id", "look_photos"),
                              ("board_items", "board_id", "boards"),
                              ("look_photos", "media_hash", "media"), *REFERENCES):
        known = ids(parent, "hash" if parent == "media" else "id")
        for record in records.get(kind, []):
            if record[key] not in known:
                raise ArchiveError(f"records/{kind}.json: {record['id']} names {key} "
                                   f"{record[key]!r}, which is not in the archive", where=where)
    used = ids("media", "hash") | {r["media_hash"] for r in records.get("board_items", [])
                                   if r["media_hash"]} | media_used(records)
    for sha in sorted(used - stored - missing):
        raise ArchiveError(f"the photo {sha} is referenced but missing from the archive",
                           where=where)
    check_handles(records, where)


class MediaSink(Protocol):
    """Where an import's photos go (``studio.media.library.MediaLibrary``): each is staged
    (its SHA-256, name and type checked — a StudioError if they disagree — and written under a
    temporary name), all are published once every one is good,
    or discarded; ``sync`` makes the published ones durable."""

    def stage_blob(self, data: bytes, media_hash: str, ext: str) -> Any: ...
    def publish(self, staged: Any) -> object: ...
    def discard(self, staged: list[Any]) -> None: ...
    def sync(self) -> None: ...


def import_archive(db: Database, src: Path, media: MediaSink,
                   progress: Progress | None = None, *,
                   limits: Limits | None = None) -> ArchiveReport:
    """Read the archive ``src`` into the workspace (see the module doc); ArchiveError with
    nothing changed on a bad archive. ``progress(done, total)`` counts media bytes and the
    final write; returning False cancels (ArchiveCancelled) with nothing changed either.

    Each photo is read ONCE: its SHA-256 checked and its bytes staged beside their place in the
    library; only when every photo is good are they all moved into place, then the
    records that name them written."""
    src = Path(src)
    where = str(src)
    with open_zip(src) as zf, StoredReader(zf, src, where) as reader:
        checked = _check(zf, src, limits or Limits())
        total = sum(e["bytes"] for e in checked.media) + 1
        staged: list[Any] = []
        lock = threading.Lock()

        def stage(entry: dict[str, Any]) -> None:
            data = reader.read(zf.getinfo(entry["path"]))
            try:  # stage_blob checks the SHA-256 (once: it is the costliest step per photo)
                one = media.stage_blob(data, entry["sha256"], entry["ext"])
            except StudioError as exc:  # the media library's MediaError
                raise ArchiveError(f"the photo {entry['path']} is refused: {exc} (the archive "
                                   "is damaged)", where=where) from exc
            if one is not None:
                with lock:
                    staged.append(one)

        with db.connect() as conn:  # a clash refused before any photo is stored
            for shop in dict((k.name, r) for k, r in checked.kinds).get("shops", []):
                if not is_kept(conn, "shops", shop):
                    check_handle(conn, shop, where)
        largest = max((e["bytes"] for e in checked.media), default=0)
        try:
            _each(_spread(checked.media), stage, progress, 0, total,
                  _STORE_WORKERS if largest <= _STORE_WORKERS_MAX_BYTES else _WORKERS)
            for one in staged:
                media.publish(one)
        except BaseException:
            media.discard(staged)  # a bad photo or a cancel: no file of this archive stays
            raise
    # Writing the records on a thread of their own while the photos are staged was measured
    # no faster (2.5-3.1 s against 2.6-3.0 s for 1,161 MB): the two contend for the GIL.
    counts, unlinked = write_all(db, checked.kinds, where)
    # The photos reach the disk in the background: the import is as durable as the store's
    # own commits (WAL, synchronous=NORMAL: safe from an app crash or kill). Waiting here for
    # 1 GB to be written would double the import's time; after a power cut in the seconds
    # that follow, a photo not yet written is reported missing and a re-import restores it.
    threading.Thread(target=media.sync, name="archive-sync", daemon=True).start()
    report = ArchiveReport(src, {k.name: len(r) for k, r in checked.kinds},
                           len(checked.media), sum(e["bytes"] for e in checked.media),
                           checked.missing)
    report.unlinked = unlinked
    report.added, report.updated, report.kept = counts.added, counts.updated, counts.kept
    if progress is not None:
        progress(total, total)  # done: too late to cancel, the records are committed
    return report
