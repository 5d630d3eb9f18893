"""The import's record write: every record of a checked archive in ONE transaction.

It comes in two steps so that the Python half of the work overlaps the photos being stored:

- ``plan_records`` reads what the workspace has (each record's ``updated_at``, the catalog's
  products, the media rows), all in one read snapshot, and makes every table row and every
  outbox entry. It takes no lock: the workspace stays usable meanwhile.
- ``writing`` takes the write lock and inserts the rows kind by kind (parents first, for the
  foreign keys) with their outbox entries, in ONE transaction, committed when the caller's
  block (the last photos waited for and put in place) ends. If another connection committed
  since the plan was read (SQLite's ``PRAGMA data_version`` moved), the plan may be stale and
  is made again under the lock, so what is written is always what planning under the lock
  would have written.

A record whose id the workspace already has is replaced only when the archive's copy was
edited later (``updated_at``: the newer edit wins, as the sync will decide); media rows are
content-addressed and added when absent. Product references are re-linked by merchant + offer
id against the workspace's catalog; the ones it has no product for are listed (``Unlinked``).
Each outbox payload has the shape the stores write, so the sync cannot tell an imported record
from an edited one.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from studio.store import outbox
from studio.store.archive_records import Kind, Record
from studio.store.archive_sections import check_handle, curation_payload, owners
from studio.store.boards import board_from_row, item_from_row
from studio.store.db import Database
from studio.store.look_rows import hotspot_from_row, look_from_row, photo_from_row
from studio.store.outbox import as_payload
from studio.store.profile import with_platform_tier


@dataclass(frozen=True, slots=True)
class Unlinked:
    """A product reference the target catalog has no product for (product_id left None)."""

    kind: str  # "hotspot", "board_item", "shop_item" or "review"
    owner: str  # the look's, board's or shop's title; a review's own title
    label: str  # the hotspot's label, else the product title recorded in the archive
    merchant: str
    offer_id: str


@dataclass
class WriteCounts:
    added: int = 0
    updated: int = 0
    kept: int = 0  # the workspace's own copy was as new or newer


Written = tuple[WriteCounts, tuple[Unlinked, ...]]


@dataclass
class _KindRows:
    """One kind's part of a plan: its statement, rows and outbox rows (same order)."""

    kind: Kind
    sql: str
    rows: list[list[Any]] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)  # shops: each handle checked on write
    tags: list[tuple[str, str, str]] = field(default_factory=list)  # looks: rows of look_tags
    outbox: list[outbox.Row] = field(default_factory=list)


@dataclass
class Plan:
    """Every row an import writes, as read at the workspace's ``version`` (data_version)."""

    kinds: list[_KindRows]
    counts: WriteCounts
    unlinked: tuple[Unlinked, ...]
    version: int


def plan_records(db: Database, kinds: list[tuple[Kind, list[Record]]], where: str) -> Plan:
    """The import's rows and outbox entries, read from one snapshot (no write lock)."""
    with db.connect() as conn:
        conn.execute("BEGIN")
        try:
            return _plan(conn, kinds, where)
        finally:
            conn.execute("COMMIT")


@contextmanager
def writing(
    db: Database, kinds: list[tuple[Kind, list[Record]]], where: str, plan: Plan | None = None
) -> Iterator[Written]:
    """Every record written in ONE transaction with its outbox entries, committed when the
    caller's block ends (rolled back if it raises: the import's photos are waited for in
    it); ``plan`` is made again under the lock when absent or stale. ArchiveError (nothing
    written) on a handle clash."""
    with outbox.write(db) as conn:
        if plan is None or _data_version(conn) != plan.version:
            plan = _plan(conn, kinds, where)
        for part in plan.kinds:
            _insert(conn, part, where)
        yield plan.counts, plan.unlinked


def _data_version(conn: sqlite3.Connection) -> int:
    # Changes whenever ANOTHER connection commits; read before the plan's snapshot starts,
    # so a commit in between can only make a fresh plan look stale, never the reverse.
    return int(conn.execute("PRAGMA data_version").fetchone()[0])


def _insert(conn: sqlite3.Connection, part: _KindRows, where: str) -> None:
    if part.kind.name == "shops":  # each handle checked against the shops written before it
        for record, row in zip(part.records, part.rows, strict=True):
            check_handle(conn, record, where)
            conn.execute(part.sql, row)
    else:
        conn.executemany(part.sql, part.rows)
    if part.kind.name == "looks":
        conn.executemany("DELETE FROM look_tags WHERE look_id = ?", [(r[0],) for r in part.rows])
        conn.executemany(
            "INSERT OR IGNORE INTO look_tags (look_id, facet, tag) VALUES (?, ?, ?)", part.tags
        )
    outbox.insert_rows(conn, part.outbox)


def _plan(conn: sqlite3.Connection, kinds: list[tuple[Kind, list[Record]]], where: str) -> Plan:
    version = _data_version(conn)
    kinds = [(k, with_platform_tier(conn, rs) if k.name == "profile" else rs) for k, rs in kinds]
    records = {kind.name: rows for kind, rows in kinds}
    look_title = {r["id"]: r["title"] for r in records.get("looks", [])}
    photo_look = {r["id"]: r["look_id"] for r in records.get("look_photos", [])}
    board_title = {r["id"]: r["title"] for r in records.get("boards", [])}
    owner_of = owners(records)
    unlinked: list[Unlinked] = []
    # Every reference looked up at once (a large archive has tens of thousands).
    catalog = find_products(
        conn,
        (
            (r["merchant"], r["offer_id"])
            for kind, rows in kinds
            if kind.product
            for r in rows
            if r["merchant"] is not None and r["offer_id"] is not None
        ),
    )

    def relink(record: Record) -> int | None:
        merchant, offer_id = record["merchant"], record["offer_id"]
        if merchant is None or offer_id is None:
            return None  # a photo or text item names no product
        product_id = catalog.get((merchant, offer_id))
        if product_id is None and record["deleted_at"] is None:
            if "section_id" in record or "rating" in record:
                unlinked.append(
                    Unlinked(
                        *owner_of("shop_items" if "section_id" in record else "reviews", record),
                        merchant,
                        offer_id,
                    )
                )
            elif "photo_id" in record:
                unlinked.append(
                    Unlinked(
                        "hotspot",
                        look_title[photo_look[record["photo_id"]]],
                        record["label"] or record.get("product_title") or "",
                        merchant,
                        offer_id,
                    )
                )
            else:
                unlinked.append(
                    Unlinked(
                        "board_item",
                        board_title[record["board_id"]],
                        record.get("product_title") or "",
                        merchant,
                        offer_id,
                    )
                )
        return product_id

    counts = WriteCounts()
    parts = [_plan_kind(conn, kind, rows, relink, counts) for kind, rows in kinds]
    return Plan(parts, counts, tuple(unlinked), version)


def _plan_kind(
    conn: sqlite3.Connection,
    kind: Kind,
    records: list[Record],
    relink: Callable[[Record], int | None],
    counts: WriteCounts,
) -> _KindRows:
    cols = kind.columns + (("product_id",) if kind.product else ())
    marks = ", ".join("?" * len(cols))
    entries: list[outbox.Entry] = []
    if kind.name == "media":
        part = _KindRows(kind, f"INSERT INTO media ({', '.join(cols)}) VALUES ({marks})")
        have = _column_by_key(conn, "media", "hash", "hash", [r["hash"] for r in records])
        for record in records:
            if record["hash"] in have:
                counts.kept += 1
                continue
            counts.added += 1
            part.rows.append(_row(kind, record, None))
            entries.append(("media", record["hash"], outbox.UPSERT, dict(record)))
        part.outbox = outbox.entry_rows(entries, plain=True)
        return part
    updates = ", ".join(f"{c} = excluded.{c}" for c in cols[1:])
    part = _KindRows(
        kind,
        f"INSERT INTO {kind.name} ({', '.join(cols)}) VALUES ({marks}) "
        f"ON CONFLICT (id) DO UPDATE SET {updates}",
    )
    stamps = _column_by_key(conn, kind.name, "id", "updated_at", [r["id"] for r in records])
    for record in records:
        old = stamps.get(record["id"])
        if old is not None and old >= record["updated_at"]:
            counts.kept += 1
            continue
        row = _row(kind, record, relink(record) if kind.product else None)
        part.rows.append(row)
        if kind.name == "shops":
            part.records.append(record)
        if kind.name == "looks":
            part.tags.extend(
                (record["id"], facet, tag)
                for facet in ("occasions", "seasons", "styles")
                for tag in record[facet]
            )
        action = outbox.DELETE if record.get("deleted_at") is not None else outbox.UPSERT
        entries.append((kind.entity, record["id"], action, _payload(kind, row)))
        if old is None:
            counts.added += 1
        else:
            counts.updated += 1
    part.outbox = outbox.entry_rows(entries, plain=True)  # records are JSON, payloads plain
    return part


def find_products(
    conn: sqlite3.Connection, pairs: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], int]:
    """The catalog's product id of each (merchant, offer id) pair it holds: one statement per
    merchant, its offer ids passed as one JSON array (each a probe of the unique index)."""
    by_merchant: dict[str, list[str]] = {}
    for merchant, offer_id in set(pairs):
        by_merchant.setdefault(merchant, []).append(offer_id)
    found: dict[tuple[str, str], int] = {}
    for merchant, offers in by_merchant.items():
        rows = conn.execute(
            "SELECT p.offer_id, p.id FROM products p JOIN merchants m ON m.id = p.merchant_id "
            "WHERE m.name = ? AND p.offer_id IN (SELECT value FROM json_each(?))",
            (merchant, json.dumps(offers)),
        ).fetchall()
        found.update(((merchant, offer), int(pid)) for offer, pid in rows)
    return found


def _column_by_key(
    conn: sqlite3.Connection, table: str, key: str, column: str, keys: list[str]
) -> dict[str, Any]:
    """``column`` of each row of ``table`` whose ``key`` is one of ``keys``."""
    return dict(
        conn.execute(
            f"SELECT {key}, {column} FROM {table} WHERE {key} IN (SELECT value FROM json_each(?))",
            (json.dumps(keys),),
        )
    )


def is_kept(conn: sqlite3.Connection, table: str, record: Record) -> bool:
    """Whether the workspace's copy of the record is as new or newer (the newer edit wins)."""
    old = conn.execute(f"SELECT updated_at FROM {table} WHERE id = ?", (record["id"],)).fetchone()
    return old is not None and bool(old[0] >= record["updated_at"])


def _row(kind: Kind, record: Mapping[str, Any], product_id: int | None) -> list[Any]:
    """The record as the table row, in column order (tags as JSON text, product_id added)."""
    values = [record[n] for n in kind.columns]
    for i in _tag_columns(kind):
        values[i] = json.dumps(values[i])
    return [*values, product_id] if kind.product else values


@cache
def _tag_columns(kind: Kind) -> tuple[int, ...]:
    return tuple(i for i, (_, type_) in enumerate(kind.fields) if type_ == "tags")


def _payload(kind: Kind, row: list[Any]) -> dict[str, Any]:
    """The outbox payload the kind's store would write for this row (same shape)."""
    by_name = dict(zip(kind.columns, row, strict=False))
    curation = curation_payload(kind.name, by_name, row[-1] if kind.product else None)
    if curation is not None:
        return curation
    stamps = {
        "created_at": by_name["created_at"],
        "updated_at": by_name["updated_at"],
        "deleted_at": by_name["deleted_at"],
    }
    if kind.name == "looks":
        return as_payload(look_from_row(tuple(row)))
    if kind.name == "boards":
        return as_payload(board_from_row(tuple(row)))
    if kind.name == "look_photos":
        photo = photo_from_row(tuple(row[:12]))
        return as_payload(photo) | stamps
    if kind.name == "hotspots":
        r = by_name
        spot = hotspot_from_row(
            (
                r["id"],
                r["photo_id"],
                row[-1],
                r["merchant"],
                r["offer_id"],
                r["x"],
                r["y"],
                r["label"],
                r["kind"],
                r["note"],
                r["position"],
            )
        )
        return as_payload(spot) | stamps
    r = by_name
    item = item_from_row(
        (
            r["id"],
            r["board_id"],
            r["kind"],
            r["x"],
            r["y"],
            r["width"],
            r["height"],
            r["rotation"],
            r["flip_h"],
            r["flip_v"],
            r["z"],
            r["crop_left"],
            r["crop_top"],
            r["crop_right"],
            r["crop_bottom"],
            row[-1],
            r["merchant"],
            r["offer_id"],
            r["media_hash"],
            r["text"],
            r["color"],
            r["font_size"],
        )
    )
    return as_payload(item) | stamps
