"""The import's record write: every record of a checked archive in ONE transaction.

``write_all`` runs once ``import_archive`` has checked the archive and put its photos in
place. It upserts the records kind by kind (parents
first), each with its outbox entry, re-links every product reference by merchant + offer id
against the workspace's catalog, and lists the ones it could not re-link (``Unlinked``). Kept
apart from ``archive`` so each module stays one concern and a readable size.
"""

from __future__ import annotations

from dataclasses import dataclass

from studio.store import outbox
from studio.store.archive_records import Kind, Record, WriteCounts, find_products, write_records
from studio.store.archive_sections import owners
from studio.store.db import Database


@dataclass(frozen=True, slots=True)
class Unlinked:
    """A product reference the target catalog has no product for (product_id left None)."""

    kind: str  # "hotspot", "board_item", "shop_item" or "review"
    owner: str  # the look's, board's or shop's title; a review's own title
    label: str  # the hotspot's label, else the product title recorded in the archive
    merchant: str
    offer_id: str


Written = tuple[WriteCounts, tuple[Unlinked, ...]]


def write_all(db: Database, kinds: list[tuple[Kind, list[Record]]], where: str) -> Written:
    """Every record in ONE transaction with its outbox entries; the products re-linked."""
    records = {kind.name: rows for kind, rows in kinds}
    look_title = {r["id"]: r["title"] for r in records.get("looks", [])}
    photo_look = {r["id"]: r["look_id"] for r in records.get("look_photos", [])}
    board_title = {r["id"]: r["title"] for r in records.get("boards", [])}
    owner_of = owners(records)
    counts = WriteCounts()
    unlinked: list[Unlinked] = []
    with outbox.write(db) as conn:
        # Every reference looked up at once (a large archive has tens of thousands).
        catalog = find_products(conn, ((r["merchant"], r["offer_id"]) for kind, rows in kinds
                                       if kind.product for r in rows
                                       if r["merchant"] is not None
                                       and r["offer_id"] is not None))

        def relink(record: Record) -> int | None:
            merchant, offer_id = record["merchant"], record["offer_id"]
            if merchant is None or offer_id is None:
                return None  # a photo or text item names no product
            product_id = catalog.get((merchant, offer_id))
            if product_id is None and record["deleted_at"] is None:
                if "section_id" in record or "rating" in record:
                    unlinked.append(Unlinked(*owner_of(
                        "shop_items" if "section_id" in record else "reviews", record),
                        merchant, offer_id))
                elif "photo_id" in record:
                    unlinked.append(Unlinked("hotspot", look_title[photo_look[record["photo_id"]]],
                                             record["label"] or record.get("product_title")
                                             or "", merchant, offer_id))
                else:
                    unlinked.append(Unlinked("board_item", board_title[record["board_id"]],
                                             record.get("product_title") or "", merchant,
                                             offer_id))
            return product_id

        for kind, rows in kinds:
            write_records(conn, kind, rows, relink, counts, where)
    return counts, tuple(unlinked)
