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
import zipfile
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from studio import __version__
from studio.store.archive_media import MediaSink, PhotoStager, Progress, read_checked, tick
from studio.store.archive_records import KINDS, Kind, Record, check_records, read_records
from studio.store.archive_sections import (
    REFERENCES,
    check_handle,
    check_handles,
    media_used,
)
from studio.store.archive_write import Unlinked, is_kept, plan_records, writing
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
# The records' write takes about half as long as their plan (measured at the issue's scale:
# 0.41-0.45 s against 0.75-1.24 s), so the plan's time says when to start it.
WRITE_SHARE = 0.5

__all__ = [
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


def media_member(sha256: str, ext: str) -> str:
    return f"media/{sha256[:2]}/{sha256[2:]}{ext}"


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


def _manifest(data: bytes, where: str) -> dict[str, Any]:
    try:
        manifest = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ArchiveError(f"manifest.json is not valid JSON ({exc})", where=where) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError(
            f'not a Vitrine Studio archive (manifest.json has no "format": "{FORMAT}")', where=where
        )
    version = manifest.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ArchiveError(f"manifest.json has a bad version {version!r}", where=where)
    if version > FORMAT_VERSION:
        raise ArchiveError(
            f"this archive is format version {version}, made by a newer Vitrine "
            f"Studio; this one reads up to version {FORMAT_VERSION}: update the "
            "app to import it",
            where=where,
        )
    sections = manifest.get("sections")
    if not isinstance(sections, dict):
        raise ArchiveError('manifest.json has no "sections" object', where=where)
    for name, section in sections.items():
        if name not in SECTIONS:
            raise ArchiveError(
                f"this archive has a section {name!r} this Vitrine Studio does "
                "not know (made by a newer version?): update the app",
                where=where,
            )
        known, kinds = SECTIONS[name]
        got = section.get("version") if isinstance(section, dict) else None
        if isinstance(got, bool) or not isinstance(got, int) or got < 1:
            raise ArchiveError(f"section {name!r} has a bad version {got!r}", where=where)
        if got > known:
            raise ArchiveError(
                f"section {name!r} is version {got}, made by a newer Vitrine "
                f"Studio; this one reads up to version {known}",
                where=where,
            )
        if section.get("records") != list(kinds):
            raise ArchiveError(
                f"section {name!r} does not list its records {list(kinds)}", where=where
            )
    if not isinstance(manifest.get("counts"), dict):
        raise ArchiveError('manifest.json has no "counts" object', where=where)
    return manifest


@dataclass
class _Checked:
    kinds: list[tuple[Kind, list[Record]]]
    missing: tuple[str, ...]


def _media_entries(
    manifest: dict[str, Any], members: dict[str, zipfile.ZipInfo], where: str
) -> list[dict[str, Any]]:
    """The manifest's photos, each a well-formed entry naming a member of its declared size
    (its ``ext`` added); what the photo stager needs before the records are read."""
    media = manifest.get("media", [])
    if not isinstance(media, list) or not isinstance(manifest.get("missing_media", []), list):
        raise ArchiveError('manifest.json: "media" and "missing_media" must be arrays', where=where)
    for entry in media:
        ok = isinstance(entry, dict) and isinstance(entry.get("sha256"), str)
        sha = entry.get("sha256", "") if ok else ""
        exts = [e for e in MEDIA_EXTS if ok and entry.get("path") == media_member(sha, e)]
        if not (ok and len(sha) == 64 and all(c in "0123456789abcdef" for c in sha) and exts):
            raise ArchiveError(f"manifest.json: bad media entry {entry!r}", where=where)
        info = members.get(entry["path"])
        if info is None:
            raise ArchiveError(
                f"the photo {entry['path']} is missing from the archive", where=where
            )
        if info.file_size != entry.get("bytes"):
            raise ArchiveError(f"the photo {entry['path']} is not its declared size", where=where)
        entry["ext"] = exts[0]
    return media


def _check(
    zf: zipfile.ZipFile,
    members: dict[str, zipfile.ZipInfo],
    manifest: dict[str, Any],
    media: list[dict[str, Any]],
    where: str,
    between: Callable[[], None] = lambda: None,
) -> _Checked:
    """Every record of the archive checked, and every reference between them; no member
    left unaccounted for. ``between`` is called after each kind (progress, a cancel)."""
    expected = {MANIFEST} | {entry["path"] for entry in media}
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
                raise ArchiveError(
                    f"{member} holds {len(records)} records, the manifest "
                    f"counts {manifest['counts'].get(kind_name)!r}",
                    where=where,
                )
            kinds.append((KINDS[kind_name], records))
            between()
    extra = sorted(set(members) - expected)
    if extra:
        raise ArchiveError(f"unexpected member {extra[0]!r}", where=where)
    missing = tuple(map(str, manifest.get("missing_media", [])))
    _check_references(
        dict((k.name, r) for k, r in kinds), {e["sha256"] for e in media}, set(missing), where
    )
    return _Checked(kinds, missing)


def _check_references(
    records: dict[str, list[Record]], stored: set[str], missing: set[str], where: str
) -> None:
    """Every parent id and every photo a record names is in the archive."""

    def ids(kind: str, key: str = "id") -> set[str]:
        return {r[key] for r in records.get(kind, [])}

    for kind, key, parent in (
        ("look_photos", "look_id", "looks"),
        ("hotspots", "photo_id", "look_photos"),
        ("board_items", "board_id", "boards"),
        ("look_photos", "media_hash", "media"),
        *REFERENCES,
    ):
        known = ids(parent, "hash" if parent == "media" else "id")
        for record in records.get(kind, []):
            if record[key] not in known:
                raise ArchiveError(
                    f"records/{kind}.json: {record['id']} names {key} "
                    f"{record[key]!r}, which is not in the archive",
                    where=where,
                )
    used = (
        ids("media", "hash")
        | {r["media_hash"] for r in records.get("board_items", []) if r["media_hash"]}
        | media_used(records)
    )
    for sha in sorted(used - stored - missing):
        raise ArchiveError(
            f"the photo {sha} is referenced but missing from the archive", where=where
        )
    check_handles(records, where)


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


def _import_archive(
    db: Database, src: Path, media: MediaSink, progress: Progress | None, limits: Limits | None
) -> ArchiveReport:
    where = str(src)
    with open_zip(src) as zf, StoredReader(zf, src, where) as reader:
        members = check_members(zf, limits or Limits(), where)
        if MANIFEST not in members:
            raise ArchiveError("not a Vitrine Studio archive (no manifest.json)", where=where)
        manifest = _manifest(read_member(zf, members[MANIFEST], where), where)
        entries = _media_entries(manifest, members, where)
        total = sum(e["bytes"] for e in entries) + 1
        stager = PhotoStager(entries, zf, reader, media, where)
        published = False
        try:
            checked = _check(
                zf, members, manifest, entries, where, lambda: stager.report(progress, total)
            )
            with db.connect() as conn:  # a clash refused before any photo is in place
                for shop in dict((k.name, r) for k, r in checked.kinds).get("shops", []):
                    if not is_kept(conn, "shops", shop):
                        check_handle(conn, shop, where)
            planned = time.perf_counter()
            plan = plan_records(db, checked.kinds, where)
            # The write holds the store's write lock (other edits wait): it starts when the
            # photos left should take about as long as it does, so the two overlap, and the
            # lock is not held while most of the photos are still to come.
            stager.wait(progress, total, lead=WRITE_SHARE * (time.perf_counter() - planned))
            with room_errors(db.path), writing(db, checked.kinds, where, plan) as written:
                counts, unlinked = written
                stager.wait(progress, total)  # a bad photo or a cancel: rolled back
                stager.publish()
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
        {k.name: len(r) for k, r in checked.kinds},
        len(entries),
        sum(e["bytes"] for e in entries),
        checked.missing,
    )
    report.unlinked = unlinked
    report.added, report.updated, report.kept = counts.added, counts.updated, counts.kept
    if progress is not None:
        progress(total, total)  # done: too late to cancel, the records are committed
    return report
