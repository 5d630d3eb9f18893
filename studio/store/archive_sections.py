"""What the archive's import checks beyond each record's own fields, derived from the registry.

- ``REFERENCES`` and ``media_used``: the parent ids and the photos the import checks before it
  writes anything (``studio.protocol.kinds`` says which field names a parent or a photo).
  Banners, avatars and review photos have no ``media`` row (see migration 0004), so each of
  their hashes must be a photo in the archive or listed as missing.
- ``check_handles`` / ``check_handle``: a shop handle is unique among live shops, in the
  archive and against the workspace's own shops; a clash is refused with the reason instead
  of failing on the unique index half-way.
- ``owners``: what names an unlinked shop item or review in the import's report.

The profile is one row (id ``me``) merged by the same rule as every record: the archive's
profile replaces the workspace's only when it was edited later (``updated_at``), and is added
when the workspace never saved one. The tier is written in the archive as the workspace had
it, but an import never takes it: the platform sets the tier, so the workspace keeps its own
(``studio.store.profile.with_platform_tier``, applied by ``archive_write``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from typing import Any

from studio.protocol.kinds import KINDS, kind
from studio.store.archive_zip import ArchiveError

# (table, field, parent table): each record's parent must be in the archive (parents first);
# a look photo's master must be among the media records too (a foreign key of the table).
REFERENCES: tuple[tuple[str, str, str], ...] = (
    *((k.table, k.parent[0], kind(k.parent[1]).table) for k in KINDS if k.parent is not None),
    ("look_photos", "media_hash", "media"),
)
# (table, field) naming a photo: each must be a photo of the archive or listed as missing.
MEDIA_FIELDS: tuple[tuple[str, str], ...] = tuple(
    (k.table, name) for k in KINDS if k.name != "media" for name in k.media
)

Row = Mapping[str, Any]


def media_used(records: Mapping[str, list[dict[str, Any]]]) -> set[str]:
    """Every photo hash the records name (besides the media records themselves)."""
    return {r[key] for table, key in MEDIA_FIELDS for r in records.get(table, []) if r[key]}


def check_handles(records: Mapping[str, list[dict[str, Any]]], where: str) -> None:
    """No two live shops of the archive share a handle."""
    seen: dict[str, str] = {}
    for shop in records.get("shops", []):
        if shop["deleted_at"] is None:
            other = seen.setdefault(shop["handle"], shop["id"])
            if other != shop["id"]:
                raise ArchiveError(
                    f"records/shops.json: the shops {other} and {shop['id']} "
                    f"both use the handle {shop['handle']!r}",
                    where=where,
                )


def check_handle(conn: sqlite3.Connection, shop: Row, where: str) -> None:
    """Before a live shop of the archive is written: its handle is not used by another live
    shop of the workspace (ArchiveError naming both; the import's transaction rolls back)."""
    if shop["deleted_at"] is not None:
        return
    other = conn.execute(
        "SELECT title FROM shops WHERE handle = ? AND id != ? AND deleted_at IS NULL",
        (shop["handle"], shop["id"]),
    ).fetchone()
    if other is not None:
        raise ArchiveError(
            f"the archive's shop {shop['title']!r} uses the handle "
            f"{shop['handle']!r}, which your shop {other[0]!r} already uses; "
            "rename one of them first",
            where=where,
        )


def owners(
    records: Mapping[str, list[dict[str, Any]]],
) -> Callable[[str, Row], tuple[str, str, str]]:
    """``owner_of(kind, record)``: (report kind, owner, label) of an unlinked shop item (its
    shop's title, the product title) or review (its own title, the product title)."""
    shop_of = {s["id"]: s["shop_id"] for s in records.get("shop_sections", [])}
    titles = {s["id"]: s["title"] for s in records.get("shops", [])}

    def owner_of(kind: str, record: Row) -> tuple[str, str, str]:
        product = record.get("product_title") or ""
        if kind == "shop_items":
            return "shop_item", titles[shop_of[record["section_id"]]], product
        return "review", record["title"], product

    return owner_of
