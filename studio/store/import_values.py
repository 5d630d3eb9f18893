"""Turning record fields into stored values fast: the content hash, JSON text, lookup ids.

Used by ``studio.store.importer`` in its per-row loop, so everything here is written for a
million calls: dict hits, C-implemented encoders, no per-call allocation it can avoid.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import re
import sqlite3
from datetime import UTC, datetime
from typing import Any

from studio.core.product import Availability, Condition
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
