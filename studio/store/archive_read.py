"""Reading an archive for import: the manifest, the photo entries and every record, checked.

**Records are read as a stream** (ijson, its C backend): a records file is never held whole,
as bytes or as one parsed document, only record by record, and what is kept is bounded
(``Limits``): the records files' declared sizes together (checked on the central directory,
before any is read), the number of records (counted as they come: the file that crosses the
cap is refused at once, naming it) and the size of any one record (the bytes read since the
last record). So a records file of any size, within the container's limits, costs little
memory to refuse, and an accepted archive's records fit a known ceiling.

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
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

import ijson

from studio.protocol.kinds import Record
from studio.store.archive_records import KINDS, Kind, check_records
from studio.store.archive_sections import REFERENCES, check_handles, media_used
from studio.store.archive_zip import ArchiveError, Limits

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
    limits: Limits | None = None,
) -> Checked:
    """Every record of the archive checked, and every reference between them; no member
    left unaccounted for. ``between`` is called after each kind (progress, a cancel)."""
    limits = limits or Limits()
    expected = {MANIFEST} | {entry["path"] for entry in media}
    names = [
        f"records/{kind_name}.json"
        for name in manifest["sections"]
        for kind_name in SECTIONS[name][1]
    ]
    declared = 0
    for member in names:
        if member not in members:
            raise ArchiveError(f"{member} is missing", where=where)
        declared += members[member].file_size
        if declared > limits.max_records_bytes:
            raise ArchiveError(
                f"{member}: the records files hold more than "
                f"{limits.max_records_bytes // 1024**2} MB of records in all, more than "
                "this Vitrine Studio reads at once",
                where=where,
            )
    budget = _Budget(limits, where)
    kinds: list[tuple[Kind, list[Record]]] = []
    for member in names:
        kind_name = member.removeprefix("records/").removesuffix(".json")
        expected.add(member)
        records = check_records(KINDS[kind_name], read_records(zf, members[member], budget), where)
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
        dict((k.table, r) for k, r in kinds), {e["sha256"] for e in media}, set(missing), where
    )
    return Checked(kinds, missing)


class _Budget:
    """How many records the archive has brought so far, against ``Limits.max_records``."""

    def __init__(self, limits: Limits, where: str) -> None:
        self.limits, self.where, self.records = limits, where, 0

    def take(self, member: str) -> None:
        self.records += 1
        if self.records > self.limits.max_records:
            raise ArchiveError(
                f"{member}: the archive holds more than {self.limits.max_records:,} records, "
                "more than this Vitrine Studio reads at once",
                where=self.where,
            )


class _Counted:
    """The member's bytes as ijson reads them, counted: a record for which more than
    ``Limits.max_record_bytes`` were read is refused before it is whole."""

    def __init__(self, fp: IO[bytes], member: str, budget: _Budget) -> None:
        self._fp, self._member, self._budget = fp, member, budget
        self.read_so_far = self.at_record = 0

    def read(self, size: int = -1) -> bytes:
        data = self._fp.read(size)
        self.read_so_far += len(data)
        limit = self._budget.limits.max_record_bytes
        if self.read_so_far - self.at_record > limit + 65536:  # (ijson reads 64 KB ahead)
            raise ArchiveError(
                f"{self._member}: a record larger than {limit // 1024} KB",
                where=self._budget.where,
            )
        return data


def read_records(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> list[Record]:
    """The records of the member ``info`` (a JSON array of objects), read as a stream within
    ``budget`` (see the module doc); ArchiveError when it is not that or crosses a cap. The
    records are checked by the caller."""
    member, where = info.filename, budget.where
    records: list[Record] = []
    try:
        with zf.open(info) as fp:
            if _first_byte(fp) != b"[":
                raise ArchiveError(f"{member} must hold a JSON array", where=where)
        with zf.open(info) as fp:
            counted = _Counted(fp, member, budget)
            for record in ijson.items(counted, "item", use_float=True):
                counted.at_record = counted.read_so_far
                budget.take(member)
                records.append(record)
    except ijson.JSONError as exc:
        raise ArchiveError(f"{member} is not valid JSON ({exc})", where=where) from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
        raise ArchiveError(f"member {member!r} is corrupt ({exc})", where=where) from exc
    return records


def _first_byte(fp: IO[bytes]) -> bytes:
    """The first byte of ``fp`` that is not JSON whitespace (b"" for none)."""
    while chunk := fp.read(65536):
        stripped = chunk.lstrip(b" \t\r\n")
        if stripped:
            return stripped[:1]
    return b""


def _check_references(
    records: dict[str, list[Record]], stored: set[str], missing: set[str], where: str
) -> None:
    """Every parent id and every photo a record names is in the archive."""

    def ids(kind: str, key: str = "id") -> set[str]:
        return {r[key] for r in records.get(kind, [])}

    for kind, key, parent in REFERENCES:
        known = ids(parent, "hash" if parent == "media" else "id")
        for record in records.get(kind, []):
            if record[key] not in known:
                raise ArchiveError(
                    f"records/{kind}.json: {record['id']} names {key} "
                    f"{record[key]!r}, which is not in the archive",
                    where=where,
                )
    used = ids("media", "hash") | media_used(records)
    for sha in sorted(used - stored - missing):
        raise ArchiveError(
            f"the photo {sha} is referenced but missing from the archive", where=where
        )
    check_handles(records, where)
