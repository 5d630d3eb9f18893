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
Rows and outbox entries are made by ``studio.store.records`` from the registry, as for any
edit, so the sync cannot tell an imported record from an edited one.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from studio.protocol.kinds import PRODUCT_ID, Record
from studio.store import records as rows
from studio.store import tx
from studio.store.archive_records import Kind
from studio.store.archive_sections import check_handle, owners
from studio.store.db import Database
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
class Plan:
    """Every row an import writes, as read at the workspace's ``version`` (data_version)."""

    kinds: list[rows.Prepared]
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
    with tx.write(db) as conn:
        if plan is None or _data_version(conn) != plan.version:
            plan = _plan(conn, kinds, where)
        for part in plan.kinds:
            if part.kind.name == "shop":  # each handle checked against the shops before it
                for record in part.stored:
                    check_handle(conn, record, where)
            rows.write(conn, part)
        yield plan.counts, plan.unlinked


def _data_version(conn: sqlite3.Connection) -> int:
    # Changes whenever ANOTHER connection commits to either file (the content, or the
    # catalog a re-link reads); read before the plan's snapshot starts, so a commit in
    # between can only make a fresh plan look stale, never the reverse.
    content = int(conn.execute("PRAGMA main.data_version").fetchone()[0])
    catalog = int(conn.execute("PRAGMA catalog.data_version").fetchone()[0])
    return content * 1_000_003 + catalog


def _plan(conn: sqlite3.Connection, kinds: list[tuple[Kind, list[Record]]], where: str) -> Plan:
    version = _data_version(conn)
    kinds = [(k, with_platform_tier(conn, rs) if k.name == "profile" else rs) for k, rs in kinds]
    records = {kind.table: recs for kind, recs in kinds}
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
            for kind, recs in kinds
            if kind.product
            for r in recs
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
    parts = [_plan_kind(conn, kind, recs, relink, counts) for kind, recs in kinds]
    return Plan(parts, counts, tuple(unlinked), version)


def _plan_kind(
    conn: sqlite3.Connection,
    kind: Kind,
    records: list[Record],
    relink: Callable[[Record], int | None],
    counts: WriteCounts,
) -> rows.Prepared:
    """The kind's records the workspace takes: new ones, and those the archive edited later
    (the newer edit wins); media rows are content-addressed and added when absent."""
    key = kind.key
    if not kind.stamped:  # media: immutable, added when absent
        have = set(_column_by_key(conn, kind.table, key, key, [r[key] for r in records]))
        taken = [r for r in records if r[key] not in have]
        counts.kept += len(records) - len(taken)
        counts.added += len(taken)
        return rows.prepare(kind, taken, keep_stamps=True)
    stamps = _column_by_key(conn, kind.table, key, "updated_at", [r[key] for r in records])
    taken = []
    for record in records:
        old = stamps.get(record[key])
        if old is not None and old >= record["updated_at"]:
            counts.kept += 1
            continue
        if kind.product:
            record = record | {PRODUCT_ID: relink(record)}
        taken.append(record)
        if old is None:
            counts.added += 1
        else:
            counts.updated += 1
    return rows.prepare(kind, taken, keep_stamps=True)


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
        # The hits come back as ONE row (a JSON array of [offer id, product id]): fetching
        # ten thousand rows would give the GIL up once per row, and an archive import's
        # photo threads take it every time (measured: a write of 37,000 rows took 0.3 s
        # alone and 1.6 s beside them).
        (hits,) = conn.execute(
            "SELECT json_group_array(json_array(p.offer_id, p.id)) FROM products p "
            "JOIN merchants m ON m.id = p.merchant_id "
            "WHERE m.name = ? AND p.offer_id IN (SELECT value FROM json_each(?))",
            (merchant, json.dumps(offers)),
        ).fetchone()
        found.update(((merchant, offer), int(pid)) for offer, pid in json.loads(hits))
    return found


def _column_by_key(
    conn: sqlite3.Connection, table: str, key: str, column: str, keys: list[str]
) -> dict[str, str]:
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
