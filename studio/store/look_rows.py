"""Loading and writing the records of ``studio.store.looks``, inside the caller's transaction.

Rows are read and written by the registry-driven ``studio.store.records`` (every ``put_*``
upserts one record, stamps it and appends its outbox entry); this module converts them to the
domain's records and holds the looks' own checks. ``tag_refusal`` applies the
conflict-of-interest rule to a product about to be tagged (on a look's photo or a board), as
``studio.store.shop_rows.allowed_product`` does for shelving.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from typing import Any, TypeVar

from studio.core.errors import StoreError
from studio.core.looks import Hotspot, Look, LookPhoto, ProductRef
from studio.core.rules import check_product
from studio.protocol.kinds import kind
from studio.store import records
from studio.store.curation_rows import load_affiliations, product_info

T = TypeVar("T")

LOOK, PHOTO, HOTSPOT = kind("look"), kind("look_photo"), kind("hotspot")


def replace(record: T, **changes: Any) -> T:
    """``dataclasses.replace`` for the frozen records (typed loosely: fields come from kwargs)."""
    return dataclasses.replace(record, **changes)  # type: ignore[type-var]


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


def find_look(conn: sqlite3.Connection, look_id: str) -> Look | None:
    record = records.find(conn, LOOK, look_id)
    return None if record is None else records.load(LOOK, record)


def get_look(conn: sqlite3.Connection, look_id: str) -> Look:
    look: Look = records.load(LOOK, records.get(conn, LOOK, look_id))
    return look


def get_photo(conn: sqlite3.Connection, photo_id: str) -> tuple[LookPhoto, str | None]:
    """The photo (removed or not) and its ``deleted_at``."""
    record = records.get(conn, PHOTO, photo_id)
    return records.load(PHOTO, record), record["deleted_at"]


def get_hotspot(conn: sqlite3.Connection, hotspot_id: str) -> Hotspot:
    hotspot: Hotspot = records.load(HOTSPOT, records.get(conn, HOTSPOT, hotspot_id))
    return hotspot


def live_photos(conn: sqlite3.Connection, look_id: str) -> list[LookPhoto]:
    """The look's photos not removed, by position."""
    rows = records.select(
        conn, PHOTO, "look_id = ? AND deleted_at IS NULL", [look_id], order="position, id"
    )
    return [records.load(PHOTO, r) for r in rows]


def photo_hotspots(
    conn: sqlite3.Connection, photo_id: str, deleted_at: str | None = None
) -> list[Hotspot]:
    """The photo's hotspots not removed (or removed at exactly ``deleted_at``)."""
    where = "photo_id = ? AND " + ("deleted_at IS NULL" if deleted_at is None else "deleted_at = ?")
    args = [photo_id] if deleted_at is None else [photo_id, deleted_at]
    return [records.load(HOTSPOT, r) for r in records.select(conn, HOTSPOT, where, args)]


def look_hotspots(conn: sqlite3.Connection, look_id: str) -> list[Hotspot]:
    """The live hotspots of the look's live photos, by photo order, then position."""
    rows = records.select(
        conn,
        HOTSPOT,
        "p.look_id = ? AND p.deleted_at IS NULL AND h.deleted_at IS NULL",
        [look_id],
        alias="h",
        join="JOIN look_photos p ON p.id = h.photo_id",
        order="p.position, p.id, h.position, h.id",
    )
    return [records.load(HOTSPOT, r) for r in rows]


def put_look(conn: sqlite3.Connection, look: Look) -> None:
    """Upsert the look (stamped as it says: its ``updated_at`` is the edit's time), log it."""
    records.put(conn, LOOK, records.record_of(LOOK, look), now=look.updated_at)


def put_photo(
    conn: sqlite3.Connection, photo: LookPhoto, now: str, *, deleted_at: str | None = None
) -> None:
    records.put(conn, PHOTO, records.record_of(PHOTO, photo, deleted_at=deleted_at), now=now)


def put_hotspot(
    conn: sqlite3.Connection, spot: Hotspot, now: str, *, deleted_at: str | None = None
) -> None:
    records.put(conn, HOTSPOT, records.record_of(HOTSPOT, spot, deleted_at=deleted_at), now=now)


def stored_position(
    conn: sqlite3.Connection, table: str, parent: str, parent_id: str, record_id: str | None
) -> str | None:
    """The stored position of ``record_id`` under ``parent_id`` (redo of an add puts a revived
    record back in its place), else None."""
    if record_id is None:
        return None
    row = conn.execute(
        f"SELECT position FROM {table} WHERE id = ? AND {parent} = ?", (record_id, parent_id)
    ).fetchone()
    return None if row is None else str(row[0])
