"""Reading an archive for import: the manifest, the photo entries and every record, checked.

``read_manifest`` refuses a file that is not an archive, or one from a newer format or section
version (naming both versions); ``media_entries`` checks the manifest's photos against the
zip's members; ``check_archive`` reads and checks every record kind of every section
(``archive_records.check_records``) and every reference between them: a parent that is not
in the archive, a photo used but neither in the archive nor listed as missing, two live
shops with one handle. Nothing here writes; ``studio.store.archive`` runs the import.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from studio.store.archive_records import KINDS, Kind, Record, check_records
from studio.store.archive_sections import REFERENCES, check_handles, media_used
from studio.store.archive_zip import ArchiveError, read_member

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


def media_member(sha256: str, ext: str) -> str:
    return f"media/{sha256[:2]}/{sha256[2:]}{ext}"


def read_manifest(data: bytes, where: str) -> dict[str, Any]:
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
class Checked:
    kinds: list[tuple[Kind, list[Record]]]
    missing: tuple[str, ...]


def media_entries(
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


def check_archive(
    zf: zipfile.ZipFile,
    members: dict[str, zipfile.ZipInfo],
    manifest: dict[str, Any],
    media: list[dict[str, Any]],
    where: str,
    between: Callable[[], None] = lambda: None,
) -> Checked:
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
    return Checked(kinds, missing)


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
