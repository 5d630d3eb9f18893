"""Turning record fields into stored values fast: the content hash, JSON text, lookup ids.

Used by ``studio.store.importer`` in its per-row loop (and by ``studio.store.platform_apply``),
so everything here is written for a million calls: dict hits, C-implemented encoders, no
per-call allocation it can avoid.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import re
import sqlite3
from datetime import UTC, datetime
from typing import Any

from studio.core.product import Availability, Condition, ProductRecord
from studio.store.codes import availability_code

_blake2b = hashlib.blake2b
_dumps = marshal.dumps
_from_bytes = int.from_bytes


def content_hash(fields: tuple[Any, ...]) -> int:
    """A signed 64-bit hash of stored field values (str, int, None).

    marshal format 2 is used because it writes every str the same way (no back-references or
    interning flags, which depend on object identity) and is several times faster than
    building a string; blake2b over it is fast and well distributed.
    """
    return _from_bytes(_blake2b(_dumps(fields, 2), digest_size=8).digest(), "little", signed=True)


AVAILABILITY_CODE = {a: availability_code(a) for a in Availability}
CONDITION_TEXT = {c: c.value for c in Condition}  # plain str: marshal refuses str subclasses
_JSON_UNSAFE = re.compile(r'["\\\x00-\x1f\x7f-\U0010ffff]')


def json_strings(values: tuple[str, ...]) -> str:
    """A JSON array of strings; plain ASCII URLs (nearly all) skip the json module's overhead."""
    joined = '", "'.join(values)
    if _JSON_UNSAFE.search(joined):
        return json.dumps(values)
    return f'["{joined}"]'


def iso_utc(dt: datetime | None) -> str | None:
    return None if dt is None else dt.astimezone(UTC).isoformat()


def extra_json(extra: tuple[tuple[str, str], ...]) -> str | None:
    if not extra:
        return None
    obj: dict[str, Any] = {}
    for key, value in extra:  # a repeated key (several shipping lines) keeps every value
        if key in obj:
            prior = obj[key]
            obj[key] = [*prior, value] if isinstance(prior, list) else [prior, value]
        else:
            obj[key] = value
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


class Lookup:
    """Brand or category ids by case-insensitive name; new names are inserted on first sight."""

    def __init__(self, conn: sqlite3.Connection, table: str, column: str) -> None:
        self._conn = conn
        # RETURNING, not cursor.lastrowid: the import's FTS writer thread inserts on the same
        # connection, and lastrowid reads the connection's LAST insert, which may be its row.
        self._insert = f"INSERT INTO {table} ({column}) VALUES (?) RETURNING id"
        self.ids: dict[str, int] = {}
        self.names: dict[int, str] = {}
        for row_id, name in conn.execute(f"SELECT id, {column} FROM {table}"):
            self.ids.setdefault(name.casefold(), row_id)
            self.names[row_id] = name

    def id_of(self, name: str) -> int:
        key = name.casefold()
        row_id = self.ids.get(key)
        if row_id is None:
            row_id = int(self._conn.execute(self._insert, (name,)).fetchone()[0])
            self.ids[key] = row_id
            self.names[row_id] = name
        return row_id


class FieldMaker:
    """A record's stored values, brand and category names turned into ids (new names are
    inserted on first sight): used by the feed importer and the platform's page apply, in
    the transaction of the connection given."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.brands = Lookup(conn, "brands", "name")
        self.categories = Lookup(conn, "categories", "path")
        self.brand_ids, self.category_ids = self.brands.ids, self.categories.ids

    def fields(self, r: ProductRecord) -> tuple[Any, ...]:
        """Stored values from item_group_id to extra, in PRODUCT_COLUMNS order."""
        price, sale = r.price, r.sale_price
        brand = r.brand
        category = r.product_type or r.google_category
        images = r.additional_images
        condition = r.condition
        # Dict hits inline: this runs a million times per big import.
        brand_id = (
            None
            if brand is None
            else (self.brand_ids.get(brand.casefold()) or self.brands.id_of(brand))
        )
        category_id = (
            None
            if category is None
            else (self.category_ids.get(category.casefold()) or self.categories.id_of(category))
        )
        return (
            r.item_group_id,
            r.title,
            r.description,
            r.link,
            r.image_link,
            json_strings(images) if images else None,
            price.currency if price is not None else (None if sale is None else sale.currency),
            None if price is None else price.minor,
            None if sale is None else sale.minor,
            None if r.sale_start is None else iso_utc(r.sale_start),
            None if r.sale_end is None else iso_utc(r.sale_end),
            AVAILABILITY_CODE[r.availability],
            None if r.availability_date is None else iso_utc(r.availability_date),
            None if condition is None else CONDITION_TEXT[condition],
            brand_id,
            category_id,
            r.gtin,
            r.mpn,
            r.google_category,
            r.product_type,
            r.color,
            r.size,
            r.gender,
            r.age_group,
            r.material,
            extra_json(r.extra) if r.extra else None,
        )
