"""The archive's records: which tables each section holds, read (export) and checked (import).

Writing them back is ``studio.store.archive_write``'s.

Each record kind is one table, written as one JSON array of objects in ``records/<kind>.json``
holding every column under its own name (``studio.store.models`` says what each holds), with
these differences from the table:

- ``product_id`` is left out: it is a row number of the exporting workspace's catalog, and the
  import re-links by ``merchant`` + ``offer_id`` against its own catalog instead.
- Hotspots and board items add ``product_title`` and ``product_brand``, a snapshot of the
  catalog product for a human reading the archive (null when not in the catalog); import
  ignores them except to name an unlinked product.
- Look tags (``occasions``, ``seasons``, ``styles``) and review pros/cons are real JSON arrays,
  board item flips and shop item ``featured`` real booleans; ``look_tags`` is not exported (the
  import rebuilds it from the looks).
- Shop items and reviews name products like hotspots (merchant + offer id, with the snapshot).
  The profile (one row, id ``me``) has no ``created_at``/``deleted_at``.

Tombstoned records (``deleted_at`` set) are included: the trash and undo history are the
curator's work too, and a restore after an import must still work.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from studio.core.boards import BoardItemKind
from studio.core.looks import LookStatus, MatchKind
from studio.core.ordering import is_valid_key
from studio.core.profile import Relationship, Tier
from studio.core.reviews import RATING_MAX, RATING_MIN, Provenance, ReviewStatus
from studio.store.archive_zip import ArchiveError

Record = dict[str, Any]
_STAMPS = (("created_at", "stamp"), ("updated_at", "stamp"), ("deleted_at", "stamp?"))
_CROP = tuple((f"crop_{side}", "float") for side in ("left", "top", "right", "bottom"))
_SNAPSHOT = ("product_title", "product_brand")


@dataclass(frozen=True, slots=True)
class Kind:
    """One record kind: its table, its fields in table order and their types, its outbox
    entity, and whether it carries a product reference (re-linked on import)."""

    name: str
    fields: tuple[tuple[str, str], ...]
    entity: str
    product: bool = False
    # The fields' names, derived once (read for every record of an import).
    columns: tuple[str, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", tuple(name for name, _ in self.fields))


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "media",
            (
                ("hash", "hash"),
                ("width", "int"),
                ("height", "int"),
                ("format", "str?"),
                ("bytes", "int?"),
                ("created_at", "stamp"),
            ),
            "media",
        ),
        Kind(
            "looks",
            (
                ("id", "id"),
                ("title", "str"),
                ("caption", "str"),
                ("occasions", "tags"),
                ("seasons", "tags"),
                ("styles", "tags"),
                ("status", "status"),
                *_STAMPS,
            ),
            "look",
        ),
        Kind(
            "look_photos",
            (
                ("id", "id"),
                ("look_id", "id"),
                ("media_hash", "hash"),
                ("width", "int"),
                ("height", "int"),
                ("position", "key"),
                *_CROP,
                ("rotation", "int"),
                ("alt_text", "str"),
                *_STAMPS,
            ),
            "look_photo",
        ),
        Kind(
            "hotspots",
            (
                ("id", "id"),
                ("photo_id", "id"),
                ("merchant", "str"),
                ("offer_id", "str"),
                ("x", "float"),
                ("y", "float"),
                ("label", "str"),
                ("kind", "match"),
                ("note", "str"),
                ("position", "key"),
                *_STAMPS,
            ),
            "hotspot",
            product=True,
        ),
        Kind(
            "boards",
            (
                ("id", "id"),
                ("title", "str"),
                ("background", "str"),
                ("width", "int"),
                ("height", "int"),
                ("status", "status"),
                *_STAMPS,
            ),
            "board",
        ),
        Kind(
            "board_items",
            (
                ("id", "id"),
                ("board_id", "id"),
                ("kind", "item"),
                ("x", "float"),
                ("y", "float"),
                ("width", "float"),
                ("height", "float"),
                ("rotation", "float"),
                ("flip_h", "bool"),
                ("flip_v", "bool"),
                ("z", "key"),
                *_CROP,
                ("merchant", "str?"),
                ("offer_id", "str?"),
                ("media_hash", "hash?"),
                ("text", "str"),
                ("color", "str"),
                ("font_size", "float"),
                *_STAMPS,
            ),
            "board_item",
            product=True,
        ),
        # The shops, reviews and profile sections (migration 0004).
        Kind(
            "profile",
            (
                ("id", "profile_id"),
                ("display_name", "str"),
                ("bio", "str"),
                ("avatar_hash", "hash?"),
                ("tier", "tier"),
                ("updated_at", "stamp"),
            ),
            "profile",
        ),
        Kind(
            "affiliations",
            (
                ("id", "id"),
                ("brand", "str"),
                ("category", "str"),
                ("relationship", "relationship"),
                *_STAMPS,
            ),
            "affiliation",
        ),
        Kind(
            "shops",
            (
                ("id", "id"),
                ("handle", "str"),
                ("title", "str"),
                ("tagline", "str"),
                ("description", "str"),
                ("banner_hash", "hash?"),
                ("accent", "str"),
                *_STAMPS,
            ),
            "shop",
        ),
        Kind(
            "shop_sections",
            (("id", "id"), ("shop_id", "id"), ("title", "str"), ("position", "key"), *_STAMPS),
            "shop_section",
        ),
        Kind(
            "shop_items",
            (
                ("id", "id"),
                ("section_id", "id"),
                ("merchant", "str"),
                ("offer_id", "str"),
                ("position", "key"),
                ("note", "str"),
                ("featured", "bool"),
                ("shelved_price_minor", "int?"),
                ("shelved_currency", "str?"),
                *_STAMPS,
            ),
            "shop_item",
            product=True,
        ),
        Kind(
            "reviews",
            (
                ("id", "id"),
                ("merchant", "str"),
                ("offer_id", "str"),
                ("rating", "rating"),
                ("title", "str"),
                ("body", "str"),
                ("pros", "tags"),
                ("cons", "tags"),
                ("provenance", "provenance"),
                ("status", "review_status"),
                *_STAMPS,
            ),
            "review",
            product=True,
        ),
        Kind(
            "review_photos",
            (
                ("id", "id"),
                ("review_id", "id"),
                ("media_hash", "hash"),
                ("position", "key"),
                *_STAMPS,
            ),
            "review_photo",
        ),
    )
}

_ENUMS: dict[str, frozenset[str]] = {
    "status": frozenset(s.value for s in LookStatus),
    "match": frozenset(m.value for m in MatchKind),
    "item": frozenset(k.value for k in BoardItemKind),
    "profile_id": frozenset({"me"}),  # the one profile row (a CHECK of the table)
    "tier": frozenset(t.value for t in Tier),
    "relationship": frozenset(r.value for r in Relationship),
    "provenance": frozenset(p.value for p in Provenance),
    "review_status": frozenset(s.value for s in ReviewStatus),
}


_HASH = re.compile(r"[0-9a-f]{64}")


def _is_hash(value: object) -> bool:
    return isinstance(value, str) and _HASH.fullmatch(value) is not None


def _is_stamp(value: object) -> bool:
    # Text order must be time order (the newer edit wins on import): UTC ISO 8601 only.
    if not isinstance(value, str):
        return False
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError:
        return False
    return stamp.utcoffset() == timedelta(0) and value.endswith("+00:00")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_CHECKS: dict[str, Callable[[object], bool]] = {
    "str": lambda v: isinstance(v, str),
    "id": lambda v: isinstance(v, str) and 0 < len(v) <= 200,
    "int": _is_int,
    "float": lambda v: isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v),
    "bool": lambda v: isinstance(v, bool),
    "hash": _is_hash,
    "stamp": _is_stamp,
    "key": lambda v: isinstance(v, str) and is_valid_key(v),
    "rating": lambda v: _is_int(v) and RATING_MIN <= v <= RATING_MAX,  # type: ignore[operator]
    "tags": lambda v: isinstance(v, list) and all(isinstance(t, str) for t in v),
}


@cache
def _check_of(kind: str) -> Callable[[object], bool]:
    """The value check of a field type ("str?" allows None); one function per type, made once
    (an archive holds tens of thousands of records)."""
    if kind.endswith("?"):
        inner = _check_of(kind[:-1])
        return lambda v: v is None or inner(v)
    if kind in _CHECKS:
        return _CHECKS[kind]
    values = _ENUMS[kind]
    return lambda v: isinstance(v, str) and v in values


def check_records(kind: Kind, data: object, where: str) -> list[Record]:
    """``data`` as the kind's records, each with exactly its fields, typed, ids unique."""
    if not isinstance(data, list):
        raise ArchiveError(f"records/{kind.name}.json must hold a JSON array", where=where)
    columns = kind.columns
    allowed = set(columns) | (set(_SNAPSHOT) if kind.product else set())
    key = columns[0]
    checks = [(name, _check_of(type_)) for name, type_ in kind.fields]
    seen: set[str] = set()

    def bad(i: int, what: str) -> ArchiveError:  # the message made only when it is needed
        return ArchiveError(f"records/{kind.name}.json, record {i + 1}: {what}", where=where)

    for i, record in enumerate(data):
        if not isinstance(record, dict):
            raise bad(i, "not a JSON object")
        missing = [name for name in columns if name not in record]
        if missing:
            raise bad(i, f"missing field {missing[0]!r}")
        unknown = sorted(record.keys() - allowed)
        if unknown:
            raise bad(i, f"unknown field {unknown[0]!r}")
        for name, check in checks:
            if not check(record[name]):
                raise bad(i, f"bad {name} {record[name]!r}")
        if record[key] in seen:
            raise bad(i, f"{key} {record[key]!r} given twice")
        seen.add(record[key])
    return data


# ---- export ----


def read_records(conn: sqlite3.Connection, kind: Kind) -> list[Record]:
    """Every row of the kind's table (tombstones included), ordered by key, as records."""
    cols = kind.columns
    rows = conn.execute(f"SELECT {', '.join(cols)} FROM {kind.name} ORDER BY {cols[0]}")
    records: list[Record] = []
    for row in rows:
        record = dict(zip(cols, row, strict=True))
        for name, type_ in kind.fields:
            if type_ == "tags":
                record[name] = json.loads(record[name])
            elif type_ == "bool":
                record[name] = bool(record[name])
        if kind.product:
            record.update(product_snapshot(conn, record["merchant"], record["offer_id"]))
        records.append(record)
    return records


def product_snapshot(
    conn: sqlite3.Connection, merchant: str | None, offer_id: str | None
) -> dict[str, str | None]:
    row = None
    if merchant is not None and offer_id is not None:
        row = conn.execute(
            "SELECT p.title, b.name FROM products p JOIN merchants m ON m.id = p.merchant_id "
            "LEFT JOIN brands b ON b.id = p.brand_id WHERE m.name = ? AND p.offer_id = ?",
            (merchant, offer_id),
        ).fetchone()
    return {"product_title": row[0] if row else None, "product_brand": row[1] if row else None}
