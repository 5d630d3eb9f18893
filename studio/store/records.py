"""Generic rows of the curator's content, derived from the registry of record kinds.

Every kind of ``studio.protocol.kinds`` is one table whose columns are the kind's fields (plus
``product_id`` for a kind that names a product: the row of that product in this workspace's
catalog, a local cache re-linked after imports, never sent). This module reads and writes any
of them, so no store spells a kind's columns again:

- ``find`` / ``get`` / ``select``: rows as wire records (tags decoded, booleans as booleans),
  ``product_id`` included where the kind has one;
- ``put`` / ``put_many``: upsert records inside the caller's write transaction, stamping
  ``updated_at`` (``created_at`` kept from the stored row) unless told to keep the record's
  own stamps (an archive import), appending each record's outbox entry (the wire record:
  action "delete" for a tombstone) and noting it for the transaction's ``Changes``;
- ``tombstone`` / ``restore``: ``deleted_at`` set or cleared, with its entry;
- ``put_media``: the immutable ``media`` row of a photo, once per hash.

Side tables that are only indexes of a kind (``look_tags`` mirrors a look's tag arrays) are
kept here too, so every path that writes a look keeps them in step.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from studio.core.changes import RELINKED
from studio.core.errors import StoreError
from studio.protocol.codec import from_wire, to_wire
from studio.protocol.kinds import KINDS, PRODUCT_ID, TAGS, Record, RecordKind, kind
from studio.store import outbox, tx

_BOOL = "bool"
_FACETS = ("occasions", "seasons", "styles")


@cache
def columns(k: RecordKind) -> tuple[str, ...]:
    """The kind's table columns: its fields, then ``product_id`` where it names a product."""
    return k.columns + ((PRODUCT_ID,) if k.product else ())


@cache
def _decoders(k: RecordKind) -> tuple[tuple[int, str], ...]:
    return tuple((i, type_) for i, (_, type_) in enumerate(k.fields) if type_ in (TAGS, _BOOL))


def from_row(k: RecordKind, row: Sequence[Any]) -> Record:
    """A row of ``select_sql(k)`` as a record (tags decoded, booleans as booleans)."""
    record = dict(zip(columns(k), row, strict=True))
    for i, type_ in _decoders(k):
        name = k.fields[i][0]
        value = record[name]
        record[name] = json.loads(value) if type_ == TAGS else bool(value)
    return record


@cache
def select_sql(k: RecordKind, alias: str = "") -> str:
    """``SELECT <columns> FROM <table> [alias]``: add the WHERE and ORDER BY."""
    prefix = f"{alias}." if alias else ""
    cols = ", ".join(prefix + c for c in columns(k))
    return f"SELECT {cols} FROM {k.table}" + (f" {alias}" if alias else "")


def find(conn: sqlite3.Connection, k: RecordKind, key: str) -> Record | None:
    """The record of ``k`` with this key (tombstoned or not), or None."""
    row = conn.execute(f"{select_sql(k)} WHERE {k.key} = ?", (key,)).fetchone()
    return None if row is None else from_row(k, row)


def get(conn: sqlite3.Connection, k: RecordKind, key: str) -> Record:
    """``find``, but StoreError naming the kind when there is no such record."""
    record = find(conn, k, key)
    if record is None:
        raise StoreError(f"there is no {k.name.replace('_', ' ')} with id {key!r}")
    return record


def select(
    conn: sqlite3.Connection,
    k: RecordKind,
    where: str = "",
    args: Sequence[object] = (),
    *,
    order: str = "",
    alias: str = "",
    join: str = "",
) -> list[Record]:
    """Records of ``k`` matching ``where`` (SQL over the table's columns, ``alias`` prefixed;
    ``join`` adds tables to filter or order by)."""
    sql = select_sql(k, alias) + (f" {join}" if join else "") + (f" WHERE {where}" if where else "")
    sql += f" ORDER BY {order}" if order else ""
    return [from_row(k, row) for row in conn.execute(sql, args)]


def get_many(conn: sqlite3.Connection, k: RecordKind, keys: Sequence[str]) -> list[Record]:
    """The records of ``keys``, in their order (StoreError for an unknown one): one statement,
    the keys passed as one JSON array."""
    found = {
        r[k.key]: r
        for r in select(conn, k, f"{k.key} IN (SELECT value FROM json_each(?))", [json.dumps(keys)])
    }
    for key in keys:
        if key not in found:
            raise StoreError(f"there is no {k.name.replace('_', ' ')} with id {key!r}")
    return [found[key] for key in keys]


def record_of(k: RecordKind, obj: object, **extra: Any) -> Record:
    """A domain record (``studio.core`` dataclass) as the store writes it: its wire fields
    plus ``extra`` (stamps it does not carry) and, for a product reference, the local
    ``product_id``."""
    record = to_wire(k, obj, **extra)
    if k.product:
        product = getattr(obj, "product", None)
        record.setdefault(PRODUCT_ID, None if product is None else product.product_id)
    return record


def load(k: RecordKind, record: Mapping[str, Any], **extra: Any) -> Any:
    """The domain record of a stored one (``from_wire``, named for the store's side)."""
    return from_wire(k, record, **extra)


def wire(k: RecordKind, record: Mapping[str, Any]) -> Record:
    """The record as sent: exactly the kind's fields (no ``product_id``, no snapshots)."""
    return {name: record[name] for name in k.columns}


@cache
def _upsert_sql(k: RecordKind, keep_created: bool) -> str:
    cols = columns(k)
    kept = {k.key, "created_at"} if keep_created else {k.key}
    updates = ", ".join(f"{c} = excluded.{c}" for c in cols if c not in kept)
    return (
        f"INSERT INTO {k.table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
        f"ON CONFLICT ({k.key}) DO UPDATE SET {updates}"
    )


def _stamped(k: RecordKind, record: Mapping[str, Any], now: str, created: str | None) -> Record:
    """The record with the stamps a write gives it: ``updated_at`` now, ``created_at`` the
    stored row's (else the record's own, else now), ``deleted_at`` as given (else None)."""
    out = dict(record)
    if "updated_at" in k.types:
        out["updated_at"] = now
    if "created_at" in k.types:
        out["created_at"] = created or record.get("created_at") or now
    if k.tombstones:
        out.setdefault("deleted_at", None)
    if k.product:
        out.setdefault(PRODUCT_ID, None)
    return out


def _row(k: RecordKind, record: Mapping[str, Any]) -> list[Any]:
    values = [record[c] for c in columns(k)]
    for i, type_ in _decoders(k):
        if type_ == TAGS:
            values[i] = json.dumps(values[i])
    return values


def put(
    conn: sqlite3.Connection,
    k: RecordKind,
    record: Mapping[str, Any],
    *,
    now: str | None = None,
    keep_stamps: bool = False,
    send: bool = True,
) -> Record:
    """Upsert one record with its outbox entry (see the module docstring); the record as
    stored. Inside the caller's ``tx.write`` transaction."""
    return put_many(conn, k, [record], now=now, keep_stamps=keep_stamps, send=send)[0]


@dataclass(slots=True)
class Prepared:
    """Records of one kind made ready to write (``prepare``): the records as they will be
    stored, their rows and their outbox rows; ``write`` inserts them in a transaction."""

    kind: RecordKind
    stored: list[Record]
    rows: list[list[Any]]
    entries: list[outbox.Row]
    keep_created: bool


def prepare(
    k: RecordKind,
    records: Sequence[Mapping[str, Any]],
    *,
    now: str = "",
    created: Mapping[str, str] | None = None,
    keep_stamps: bool = False,
    send: bool = True,
) -> Prepared:
    """Stamp the records (``now``; ``created``: the stored rows' ``created_at`` by key) or,
    with ``keep_stamps``, keep their own (an archive's), and make their rows and outbox
    entries (none when not ``send``: a value the platform gave, nothing to send back).
    Pure: no connection, so an import prepares while its photos are stored."""
    if keep_stamps:
        stored = [_stamped(k, r, r.get("updated_at") or "", r.get("created_at")) for r in records]
    else:
        stamp = now or tx.now_iso()
        known = created or {}
        stored = [_stamped(k, r, stamp, known.get(r[k.key])) for r in records]
    entries = (
        outbox.entry_rows([(k.name, r[k.key], _action(r), wire(k, r)) for r in stored])
        if send
        else []
    )
    return Prepared(k, stored, [_row(k, r) for r in stored], entries, not keep_stamps)


def write(conn: sqlite3.Connection, prepared: Prepared) -> list[Record]:
    """Insert what ``prepare`` made, inside the caller's write transaction: one statement
    for the rows, one for the outbox entries; noted for the transaction's ``Changes``."""
    k = prepared.kind
    if not prepared.rows:
        return []
    conn.executemany(_upsert_sql(k, prepared.keep_created), prepared.rows)
    if k.name == "look":
        _mirror_look_tags(conn, prepared.stored)
    outbox.insert_rows(conn, prepared.entries)
    parent = k.parent[0] if k.parent is not None else None
    for r in prepared.stored:
        tx.touched(k, r[k.key], r[parent] if parent else None)
    return prepared.stored


def put_many(
    conn: sqlite3.Connection,
    k: RecordKind,
    records: Sequence[Mapping[str, Any]],
    *,
    now: str | None = None,
    keep_stamps: bool = False,
    send: bool = True,
) -> list[Record]:
    """``put`` for many records of one kind: one statement for the rows, one for the outbox
    entries (a sort writes a whole shelf, an archive import tens of thousands of rows)."""
    if not records:
        return []
    created = (
        _created(conn, k, [r[k.key] for r in records])
        if "created_at" in k.types and not keep_stamps
        else {}
    )
    prepared = prepare(
        k, records, now=now or "", created=created, keep_stamps=keep_stamps, send=send
    )
    return write(conn, prepared)


def _created(conn: sqlite3.Connection, k: RecordKind, keys: list[str]) -> dict[str, str]:
    """``created_at`` of the records already stored among ``keys``."""
    if len(keys) == 1:
        row = conn.execute(
            f"SELECT created_at FROM {k.table} WHERE {k.key} = ?", (keys[0],)
        ).fetchone()
        return {} if row is None else {keys[0]: row[0]}
    return dict(
        conn.execute(
            f"SELECT {k.key}, created_at FROM {k.table} WHERE {k.key} IN "
            "(SELECT value FROM json_each(?))",
            (json.dumps(keys),),
        )
    )


def _action(record: Mapping[str, Any]) -> str:
    return outbox.DELETE if record.get("deleted_at") is not None else outbox.UPSERT


def tombstone(conn: sqlite3.Connection, k: RecordKind, key: str, now: str) -> Record:
    """Mark the record deleted (``deleted_at`` = ``now``)."""
    return put(conn, k, get(conn, k, key) | {"deleted_at": now}, now=now)


def restore(conn: sqlite3.Connection, k: RecordKind, key: str, now: str) -> Record:
    """Clear the record's ``deleted_at``."""
    return put(conn, k, get(conn, k, key) | {"deleted_at": None}, now=now)


def put_media(conn: sqlite3.Connection, media_hash: str, width: int, height: int, now: str) -> None:
    """The ``media`` row of a stored master, once per hash (with its outbox entry)."""
    media = kind("media")
    record = {
        "hash": media_hash,
        "width": width,
        "height": height,
        "format": None,
        "bytes": None,
        "created_at": now,
    }
    if conn.execute(
        "INSERT OR IGNORE INTO media (hash, width, height, format, bytes, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        _row(media, record),
    ).rowcount:
        outbox.insert_rows(conn, outbox.entry_rows([("media", media_hash, outbox.UPSERT, record)]))
        tx.touched(media, media_hash, None)


def media_present(conn: sqlite3.Connection, hashes: Iterable[str]) -> set[str]:
    """Which of ``hashes`` have a ``media`` row."""
    return {
        r[0]
        for r in conn.execute(
            "SELECT hash FROM media WHERE hash IN (SELECT value FROM json_each(?))",
            (json.dumps(list(hashes)),),
        )
    }


def _mirror_look_tags(conn: sqlite3.Connection, looks: Sequence[Mapping[str, Any]]) -> None:
    """``look_tags`` rows (look_id, facet, tag) mirror each look's tag arrays (the library's
    indexed tag filter)."""
    conn.executemany("DELETE FROM look_tags WHERE look_id = ?", [(r["id"],) for r in looks])
    conn.executemany(
        "INSERT OR IGNORE INTO look_tags (look_id, facet, tag) VALUES (?, ?, ?)",
        [(r["id"], facet, tag) for r in looks for facet in _FACETS for tag in r[facet]],
    )


def relink(conn: sqlite3.Connection) -> int:
    """Point every product reference of the content at its product in the catalog as it now
    is (by merchant + offer id; NULL when the catalog has none), inside the caller's write
    transaction: after a feed import, a reference imported before its catalog (an archive,
    the sync) finds its product. Local only: no outbox entry, the wire form has no row ids.
    Returns how many references changed."""
    changed = 0
    for k in KINDS:
        if not k.product:
            continue
        found = (
            "(SELECT p.id FROM products p JOIN merchants m ON m.id = p.merchant_id "
            f"WHERE m.name = {k.table}.merchant AND p.offer_id = {k.table}.offer_id)"
        )
        parent = k.parent[0] if k.parent is not None else k.key
        rows = conn.execute(
            f"UPDATE {k.table} SET {PRODUCT_ID} = {found} WHERE merchant IS NOT NULL AND "
            f"{PRODUCT_ID} IS NOT {found} RETURNING {k.key}, {parent}"
        ).fetchall()
        for key, parent_id in rows:
            tx.touched(k, key, parent_id if k.parent is not None else None)
        changed += len(rows)
    if changed:
        tx.note(RELINKED)
    return changed
