"""Row writers and loaders of ``studio.store.looks``, each inside the caller's transaction.

Every ``put_*`` upserts one record, stamps ``updated_at`` (``created_at`` only on insert) and
appends its outbox entry: the whole record with its stamps, action "delete" for a tombstone.
Kept apart from ``LookStore`` so each module stays one concern and a readable size.
``tag_refusal`` applies the conflict-of-interest rule to a product about to be tagged (on a
look's photo or a board), as ``studio.store.shop_rows.allowed_product`` does for shelving.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from typing import Any, TypeVar

from studio.core.errors import StoreError
from studio.core.looks import Crop, Hotspot, Look, LookPhoto, LookStatus, MatchKind, ProductRef
from studio.core.ordering import is_valid_key
from studio.core.rules import check_product
from studio.store import outbox
from studio.store.curation_rows import load_affiliations, product_info

T = TypeVar("T")

LOOK_COLS = (
    "id, title, caption, occasions, seasons, styles, status, created_at, updated_at, deleted_at"
)
PHOTO_COLS = (
    "id, look_id, media_hash, width, height, position, crop_left, crop_top, "
    "crop_right, crop_bottom, rotation, alt_text"
)
HOTSPOT_COLS = (
    "h.id, h.photo_id, h.product_id, h.merchant, h.offer_id, h.x, h.y, h.label, "
    "h.kind, h.note, h.position"
)


def replace(record: T, **changes: Any) -> T:
    """``dataclasses.replace`` for the frozen records (typed loosely: fields come from kwargs)."""
    return dataclasses.replace(record, **changes)  # type: ignore[type-var]


def order_key(value: object) -> str:
    """A valid fractional key (ValueError otherwise)."""
    if not isinstance(value, str) or not is_valid_key(value):
        raise ValueError(f"not an order key: {value!r}")
    return value


def product_ref(value: object) -> ProductRef:
    if not isinstance(value, ProductRef):
        raise ValueError(f"product must be a ProductRef, not {value!r}")
    if not value.merchant or not value.offer_id:
        raise ValueError(f"a product reference needs its merchant and offer id: {value!r}")
    return value


def tag_refusal(conn: sqlite3.Connection, product: ProductRef) -> str:
    """Why the curator may not tag ``product`` (the conflict rule's reason), or "" when they
    may. A product the catalog does not hold has no known brand or category: allowed, as the
    rule allows any product it cannot place (a look may keep a tag of a withdrawn product)."""
    affiliations = load_affiliations(conn)
    if not affiliations:  # the common case: nothing declared, no catalog read needed
        return ""
    info = product_info(conn, product.merchant, product.offer_id)
    if info is None:
        return ""
    return check_product(affiliations, info.brand, info.category).reason


def check_tag(conn: sqlite3.Connection, product: ProductRef) -> None:
    """StoreError (the rule's reason) when ``product`` may not be tagged (``tag_refusal``)."""
    reason = tag_refusal(conn, product)
    if reason:
        raise StoreError(reason)


def look_from_row(row: tuple[Any, ...]) -> Look:
    return Look(
        row[0],
        row[1],
        row[2],
        tuple(json.loads(row[3])),
        tuple(json.loads(row[4])),
        tuple(json.loads(row[5])),
        LookStatus(row[6]),
        row[7],
        row[8],
        row[9],
    )


def photo_from_row(row: tuple[Any, ...]) -> LookPhoto:
    return LookPhoto(
        row[0],
        row[1],
        row[2],
        row[3],
        row[4],
        row[5],
        Crop(row[6], row[7], row[8], row[9]),
        row[10],
        row[11],
    )


def hotspot_from_row(row: tuple[Any, ...]) -> Hotspot:
    return Hotspot(
        row[0],
        row[1],
        ProductRef(row[2], row[3], row[4]),
        row[5],
        row[6],
        row[7],
        MatchKind(row[8]),
        row[9],
        row[10],
    )


def find_look(conn: sqlite3.Connection, look_id: str) -> Look | None:
    row = conn.execute(f"SELECT {LOOK_COLS} FROM looks WHERE id = ?", (look_id,)).fetchone()
    return None if row is None else look_from_row(row)


def get_look(conn: sqlite3.Connection, look_id: str) -> Look:
    look = find_look(conn, look_id)
    if look is None:
        raise StoreError(f"there is no look with id {look_id!r}")
    return look


def get_photo(conn: sqlite3.Connection, photo_id: str) -> tuple[LookPhoto, str | None]:
    """The photo (removed or not) and its ``deleted_at``."""
    row = conn.execute(
        f"SELECT {PHOTO_COLS}, deleted_at FROM look_photos WHERE id = ?", (photo_id,)
    ).fetchone()
    if row is None:
        raise StoreError(f"there is no photo with id {photo_id!r}")
    return photo_from_row(row), row[-1]


def get_hotspot(conn: sqlite3.Connection, hotspot_id: str) -> Hotspot:
    row = conn.execute(
        f"SELECT {HOTSPOT_COLS} FROM hotspots h WHERE h.id = ?", (hotspot_id,)
    ).fetchone()
    if row is None:
        raise StoreError(f"there is no hotspot with id {hotspot_id!r}")
    return hotspot_from_row(row)


def _action(deleted_at: str | None) -> str:
    return outbox.DELETE if deleted_at is not None else outbox.UPSERT


def put_look(conn: sqlite3.Connection, look: Look) -> None:
    """Upsert the look (its stamps as given), mirror its tags into look_tags, log it."""
    conn.execute(
        f"INSERT INTO looks ({LOOK_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET title = excluded.title, caption = excluded.caption, "
        "occasions = excluded.occasions, seasons = excluded.seasons, styles = excluded.styles, "
        "status = excluded.status, updated_at = excluded.updated_at, "
        "deleted_at = excluded.deleted_at",
        (
            look.id,
            look.title,
            look.caption,
            json.dumps(look.occasions),
            json.dumps(look.seasons),
            json.dumps(look.styles),
            look.status.value,
            look.created_at,
            look.updated_at,
            look.deleted_at,
        ),
    )
    conn.execute("DELETE FROM look_tags WHERE look_id = ?", (look.id,))
    conn.executemany(
        "INSERT OR IGNORE INTO look_tags (look_id, facet, tag) VALUES (?, ?, ?)",
        [
            (look.id, facet, tag)
            for facet in ("occasions", "seasons", "styles")
            for tag in getattr(look, facet)
        ],
    )
    outbox.record(conn, "look", look.id, _action(look.deleted_at), outbox.as_payload(look))


def put_photo(
    conn: sqlite3.Connection, photo: LookPhoto, now: str, *, deleted_at: str | None = None
) -> None:
    created_at = conn.execute(
        "INSERT INTO look_photos (id, look_id, media_hash, width, height, position, crop_left, "
        "crop_top, crop_right, crop_bottom, rotation, alt_text, created_at, updated_at, "
        "deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET look_id = excluded.look_id, "
        "media_hash = excluded.media_hash, width = excluded.width, height = excluded.height, "
        "position = excluded.position, crop_left = excluded.crop_left, "
        "crop_top = excluded.crop_top, crop_right = excluded.crop_right, "
        "crop_bottom = excluded.crop_bottom, rotation = excluded.rotation, "
        "alt_text = excluded.alt_text, updated_at = excluded.updated_at, "
        "deleted_at = excluded.deleted_at RETURNING created_at",
        (
            photo.id,
            photo.look_id,
            photo.media_hash,
            photo.width,
            photo.height,
            photo.position,
            photo.crop.left,
            photo.crop.top,
            photo.crop.right,
            photo.crop.bottom,
            photo.rotation,
            photo.alt_text,
            now,
            now,
            deleted_at,
        ),
    ).fetchone()[0]
    payload = outbox.as_payload(photo) | {
        "created_at": created_at,
        "updated_at": now,
        "deleted_at": deleted_at,
    }
    outbox.record(conn, "look_photo", photo.id, _action(deleted_at), payload)


def put_hotspot(
    conn: sqlite3.Connection, spot: Hotspot, now: str, *, deleted_at: str | None = None
) -> None:
    ref = spot.product
    created_at = conn.execute(
        "INSERT INTO hotspots (id, photo_id, product_id, merchant, offer_id, x, y, label, kind, "
        "note, position, created_at, updated_at, deleted_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET photo_id = excluded.photo_id, "
        "product_id = excluded.product_id, merchant = excluded.merchant, "
        "offer_id = excluded.offer_id, x = excluded.x, y = excluded.y, label = excluded.label, "
        "kind = excluded.kind, note = excluded.note, position = excluded.position, "
        "updated_at = excluded.updated_at, deleted_at = excluded.deleted_at "
        "RETURNING created_at",
        (
            spot.id,
            spot.photo_id,
            ref.product_id,
            ref.merchant,
            ref.offer_id,
            spot.x,
            spot.y,
            spot.label,
            spot.kind.value,
            spot.note,
            spot.position,
            now,
            now,
            deleted_at,
        ),
    ).fetchone()[0]
    payload = outbox.as_payload(spot) | {
        "created_at": created_at,
        "updated_at": now,
        "deleted_at": deleted_at,
    }
    outbox.record(conn, "hotspot", spot.id, _action(deleted_at), payload)
