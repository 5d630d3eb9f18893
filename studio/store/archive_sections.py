"""The archive's shops, reviews and profile sections: what they add to the generic records code.

``studio.store.archive_records`` declares their record kinds (fields and types) and reads and
writes them like every other kind; this module holds what differs for them:

- ``curation_payload``: the outbox payload ShopStore, ReviewStore and ProfileStore write for a
  row (the same shape, so the sync cannot tell an imported record from an edited one), made
  by the stores' own ``outbox.as_payload``.
- ``REFERENCES`` and ``media_used``: the parent ids and the photos the import checks before it
  writes anything. Banners, avatars and review photos have no ``media`` row (see migration
  0004), so each of their hashes must be a photo in the archive or listed as missing.
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

import json
import sqlite3
from collections.abc import Callable, Mapping
from typing import Any

from studio.core.looks import ProductRef
from studio.core.profile import Affiliation, Profile, Relationship, Tier
from studio.core.reviews import Provenance, Review, ReviewStatus
from studio.core.shops import Shop, ShopItem, ShopSection
from studio.store.archive_zip import ArchiveError
from studio.store.outbox import as_payload

# (kind, field, parent kind): each record's parent must be in the archive (parents first).
REFERENCES: tuple[tuple[str, str, str], ...] = (
    ("shop_sections", "shop_id", "shops"),
    ("shop_items", "section_id", "shop_sections"),
    ("review_photos", "review_id", "reviews"),
)
# (kind, field) naming a photo with no ``media`` row: banner, avatar, review photos.
MEDIA_FIELDS: tuple[tuple[str, str], ...] = (
    ("shops", "banner_hash"),
    ("profile", "avatar_hash"),
    ("review_photos", "media_hash"),
)

Row = Mapping[str, Any]


def media_used(records: Mapping[str, list[dict[str, Any]]]) -> set[str]:
    """Every photo hash the shops, reviews and profile records name."""
    return {r[key] for kind, key in MEDIA_FIELDS for r in records.get(kind, []) if r[key]}


def _stamps(r: Row) -> dict[str, Any]:
    return {
        "created_at": r["created_at"],
        "updated_at": r["updated_at"],
        "deleted_at": r["deleted_at"],
    }


def curation_payload(kind: str, r: Row, product_id: int | None) -> dict[str, Any] | None:
    """The outbox payload the stores write for the row ``r`` (columns by name, as written:
    tags as JSON text) of ``kind``; None for a kind of another section."""
    if kind == "profile":
        return as_payload(
            Profile(r["display_name"], r["bio"], r["avatar_hash"], Tier(r["tier"]), r["updated_at"])
        )
    if kind == "affiliations":
        aff = Affiliation(r["brand"], r["category"], Relationship(r["relationship"]), r["id"])
        return as_payload(aff) | _stamps(r)
    if kind == "shops":
        return as_payload(
            Shop(
                r["id"],
                r["handle"],
                r["title"],
                r["tagline"],
                r["description"],
                r["banner_hash"],
                r["accent"],
                r["created_at"],
                r["updated_at"],
                r["deleted_at"],
            )
        )
    if kind == "shop_sections":
        section = ShopSection(r["id"], r["shop_id"], r["title"], r["position"])
        return as_payload(section) | _stamps(r)
    if kind == "shop_items":
        item = ShopItem(
            r["id"],
            r["section_id"],
            ProductRef(product_id, r["merchant"], r["offer_id"]),
            r["position"],
            r["note"],
            bool(r["featured"]),
            r["shelved_price_minor"],
            r["shelved_currency"],
        )
        return as_payload(item) | _stamps(r)
    if kind == "reviews":
        review = Review(
            r["id"],
            ProductRef(product_id, r["merchant"], r["offer_id"]),
            r["rating"],
            r["title"],
            r["body"],
            tuple(json.loads(r["pros"])),
            tuple(json.loads(r["cons"])),
            (),
            Provenance(r["provenance"]),
            ReviewStatus(r["status"]),
            r["created_at"],
            r["updated_at"],
            r["deleted_at"],
        )
        payload = as_payload(review)
        del payload["photos"]  # rows of their own (entity review_photo), as ReviewStore does
        return payload
    if kind == "review_photos":
        return {
            "id": r["id"],
            "review_id": r["review_id"],
            "media_hash": r["media_hash"],
            "position": r["position"],
        } | _stamps(r)
    return None


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
