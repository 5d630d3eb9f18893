"""The archive's records: each kind read (export) and checked (import), by the registry.

Writing them back is ``studio.store.archive_write``'s. The kinds, their fields and types are
the registry's (``studio.protocol.kinds``), and the checks are the protocol's
(``studio.protocol.checks``): the archive holds records in their wire form.

Each record kind is one table, written as one JSON array of objects in
``records/<table>.json`` holding every field under its own name, with these differences from
the table:

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

import sqlite3
from collections.abc import Mapping

from studio.protocol.checks import problem
from studio.protocol.kinds import BY_TABLE, PRODUCT_ID, Record, RecordKind
from studio.store import records as rows
from studio.store.archive_zip import ArchiveError

Kind = RecordKind
# The archive names each kind's records file by its table: records/<table>.json.
KINDS: Mapping[str, RecordKind] = BY_TABLE
SNAPSHOT = ("product_title", "product_brand")
_WITH_SNAPSHOT = frozenset(SNAPSHOT)


def check_records(kind: Kind, data: object, where: str) -> list[Record]:
    """``data`` as the kind's records, each with exactly its fields, typed, ids unique."""
    if not isinstance(data, list):
        raise ArchiveError(f"records/{kind.table}.json must hold a JSON array", where=where)
    extra = _WITH_SNAPSHOT if kind.product else frozenset()
    key = kind.key
    seen: set[str] = set()
    for i, record in enumerate(data):
        wrong = problem(kind, record, extra)
        if wrong is None and record[key] in seen:
            wrong = f"{key} {record[key]!r} given twice"
        if wrong is not None:
            raise ArchiveError(f"records/{kind.table}.json, record {i + 1}: {wrong}", where=where)
        seen.add(record[key])
    return data


# ---- export ----


def read_records(conn: sqlite3.Connection, kind: Kind) -> list[Record]:
    """Every row of the kind's table (tombstones included), ordered by key, as records."""
    out: list[Record] = []
    for record in rows.select(conn, kind, order=kind.key):
        if kind.product:
            del record[PRODUCT_ID]
            record.update(product_snapshot(conn, record["merchant"], record["offer_id"]))
        out.append(record)
    return out


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
