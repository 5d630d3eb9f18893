"""Applying one page of the platform's catalog changes to the local catalog, with its cursor.

``GET /v1/catalog/changes`` hands out pages of product upserts and unavailabilities after a
cursor (``studio.protocol.catalog_wire``). ``apply_page`` writes one page in ONE catalog
transaction together with the page's cursor, so a killed update leaves the store as of the
last page applied, and the next update resumes after it. Like the feed importer it is
set-based: the stored state of the page's offers is read in one statement per merchant,
rows are written with ``executemany`` and the full-text index is written a statement per
chunk of rows (``_write_indexed``: the one place this module writes the index), never by
per-row triggers.

Why chunks and a writer thread (docs/benchmarks.md, "catalog delivery"): a page of 10,000 new
products costs ~60 ms in Python (stored values, content hash) beside ~130 ms of row inserts,
~100 ms of FTS tokenising and ~35 ms of commit. The index statements are long single
statements that run with the GIL released, so they go to a ``StatementWriter`` thread on the
same connection and transaction (as the feed importer's do), and the next chunk's rows are
converted meanwhile, when a core is free. The row writes stay on this thread (``executemany``
binds every row under the GIL: see ``import_writer``).

Platform merchants never disturb hand-imported ones: a page's merchant is created with
``source = 'platform'``; a change for a name a hand-imported merchant (``source = 'feed'``)
already holds is not applied (counted in ``PageReport.held``), so the curator's own import of
that merchant keeps its products, prices and availability exactly. The cursor still moves
past it: the platform's copy of that merchant arrives only after the hand import is gone and
the catalog is updated from the start (``reset_cursor``).

Rates are stored as integer parts per million (``commission_ppm``, ``studio.store.codes``), exact
for any rate of up to six decimals; a finer rate is rounded half-even to one ppm (0.0001 %).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from studio.core.errors import StoreError
from studio.core.product import Availability
from studio.protocol.catalog_wire import Change, ChangesPage
from studio.store.codes import UNAVAILABLE_CODE, to_ppm
from studio.store.db import CACHE_SIZE_KIB, Database
from studio.store.import_setup import set_fts_merge_policy
from studio.store.import_sql import (
    DELETE_FTS_IDS,
    FILL_FTS_IDS,
    FILL_FTS_RANGE,
    PRODUCT_COLUMNS,
)
from studio.store.import_values import FieldMaker, content_hash
from studio.store.import_writer import StatementWriter
from studio.store.tx import begin_immediate

log = logging.getLogger(__name__)

PLATFORM = "platform"  # merchants.source and imports.format of the platform's products
# Rows converted, written and handed to the index per step: the index of one chunk is built
# on the writer thread while the next one is converted. On 10,000-product pages, chunks of
# 1,000, 2,500 and 10,000 (no overlap) measured alike on a machine with no idle core
# (docs/benchmarks.md, "catalog delivery"); 4 chunks hide 3/4 of the conversion when one is.
CHUNK = 2_500
APPLY_CACHE_KIB = 32 * 1024  # as a feed import: a growing catalog's indexes stay in cache

_COLUMNS = (*PRODUCT_COLUMNS, "commission_ppm")
_INSERT = f"INSERT INTO products ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
_SET = tuple(c for c in _COLUMNS if c not in ("id", "merchant_id", "offer_id", "added_seq"))
_UPDATE = f"UPDATE products SET {', '.join(f'{c} = ?' for c in _SET)} WHERE id = ?"
_STORED = (
    "SELECT offer_id, id, content_hash, commission_ppm, currency, price_minor, sale_minor, "
    "availability FROM products WHERE merchant_id = ? AND offer_id IN "
    "(SELECT value FROM json_each(?))"
)
# A product's first price change also records the price it had until now (as the importer).
_FIRST_PRICES = (
    "INSERT INTO price_history (product_id, import_id, seen_at, currency, price_minor, "
    "sale_minor) SELECT p.id, p.added_seq, i.started_at, p.currency, p.price_minor, "
    "p.sale_minor FROM products AS p JOIN imports AS i ON i.id = p.added_seq "
    "WHERE p.id IN (SELECT value FROM json_each(?)) AND NOT EXISTS "
    "(SELECT 1 FROM price_history AS h WHERE h.product_id = p.id)"
)
_PRICES = (
    "INSERT INTO price_history (product_id, import_id, seen_at, currency, price_minor, "
    "sale_minor) VALUES (?, ?, ?, ?, ?, ?)"
)
_RATE = "UPDATE products SET commission_ppm = ?, updated_at = ? WHERE id = ?"
# content_hash 0: listed again later, it is rewritten whatever it carries.
_GONE = "UPDATE products SET availability = ?, content_hash = 0, updated_at = ? WHERE id = ?"


class StaleCursor(StoreError):
    """The page does not start where the store stands (another studio process applied
    pages meanwhile): nothing was written; ask again from ``stored``."""

    def __init__(self, expected: int, stored: int) -> None:
        self.expected, self.stored = expected, stored
        super().__init__(f"the catalog moved on meanwhile (cursor {stored}, not {expected})")


@dataclass(slots=True)
class PageReport:
    """What one page did: products written (added or updated), left as they were, marked
    unavailable, and changes not applied per hand-imported merchant of the same name."""

    cursor: int
    upserts: int = 0
    unchanged: int = 0
    unavailable: int = 0
    held: dict[str, int] = field(default_factory=dict)


def read_cursor(conn: sqlite3.Connection, server: str) -> int:
    row = conn.execute("SELECT cursor FROM platform_cursor WHERE server = ?", (server,)).fetchone()
    return 0 if row is None else int(row[0])


def reset_cursor(db: Database, server: str) -> None:
    """Forget how far the catalog of ``server`` was applied: the next update starts at 0
    (every product is sent again; unchanged ones are not rewritten)."""
    db = db.catalog_db
    with db.connect() as conn:
        begin_immediate(db, conn)
        try:
            conn.execute("DELETE FROM platform_cursor WHERE server = ?", (server,))
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def apply_page(db: Database, server: str, after: int, page: ChangesPage) -> PageReport:
    """Apply ``page`` (fetched after cursor ``after``) and store its cursor, in one
    transaction of the catalog file; StaleCursor (nothing written) when the stored cursor is
    not ``after``."""
    db = db.catalog_db
    now = datetime.now(UTC).isoformat()
    with db.connect() as conn:
        conn.execute(f"PRAGMA cache_size=-{APPLY_CACHE_KIB}")
        try:
            begin_immediate(db, conn)  # waits for a feed import or another update, never fails
            writer: StatementWriter | None = None
            try:
                stored = read_cursor(conn, server)
                if stored != after:
                    raise StaleCursor(after, stored)
                set_fts_merge_policy(conn)  # the feed importer's: fewer merges per commit
                report = PageReport(cursor=page.cursor)
                writer = StatementWriter(conn)
                _Page(_Out(conn, writer), now, report).apply(page.changes)
                writer.finish()
                conn.execute(
                    "INSERT INTO platform_cursor (server, cursor, updated_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (server) DO UPDATE SET cursor = excluded.cursor, "
                    "updated_at = excluded.updated_at",
                    (server, page.cursor, now),
                )
                conn.execute("COMMIT")
            except BaseException:
                if writer is not None:
                    writer.abort()  # its thread is gone before the rollback below
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        finally:
            conn.execute(f"PRAGMA cache_size=-{CACHE_SIZE_KIB}")
    return report


@dataclass(slots=True)
class _Out:
    """Where a page writes: its connection, and the thread that runs its index statements on
    that connection (in the same transaction)."""

    conn: sqlite3.Connection
    writer: StatementWriter


@dataclass(slots=True)
class _Chunk:
    """Rows of a chunk of the page waiting for their write."""

    inserts: list[tuple[Any, ...]] = field(default_factory=list)
    updates: list[tuple[Any, ...]] = field(default_factory=list)
    rates: list[tuple[Any, ...]] = field(default_factory=list)  # (ppm, now, id): rate alone
    gone: list[tuple[Any, ...]] = field(default_factory=list)
    price_changed: list[tuple[Any, ...]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.inserts) + len(self.updates) + len(self.rates) + len(self.gone)


class _Page:
    """The writes of one page inside its transaction."""

    def __init__(self, out: _Out, now: str, report: PageReport) -> None:
        self.out, self.conn, self.now, self.report = out, out.conn, now, report
        self.fields = FieldMaker(out.conn).fields
        # Per import run (one per merchant of the page): added, updated, unchanged, gone.
        self.counts: dict[int, list[int]] = {}
        self.next_id = int(
            self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM products").fetchone()[0]
        )

    def apply(self, changes: tuple[Change, ...]) -> None:
        by_merchant: dict[str, dict[str, Change]] = {}
        for change in changes:  # a product twice in a page: its last state wins
            offers = by_merchant.get(change.merchant)
            if offers is None:
                offers = by_merchant[change.merchant] = {}
            offers[change.offer_id] = change
        chunk = _Chunk()
        for merchant, offers in by_merchant.items():
            merchant_id = self._merchant(merchant)
            if merchant_id is None:
                self.report.held[merchant] = len(offers)
                continue
            import_id = self._import_run(merchant_id)
            stored = {
                row[0]: row[1:]
                for row in self.conn.execute(_STORED, (merchant_id, json.dumps(list(offers))))
            }
            for offer_id, change in offers.items():
                self._change(chunk, change, stored.get(offer_id), merchant_id, import_id)
                if len(chunk) >= CHUNK:
                    self._flush(chunk)
                    chunk = _Chunk()
        self._flush(chunk)
        self.conn.executemany(
            "UPDATE imports SET added = ?, updated = ?, unchanged = ?, "
            "marked_unavailable = ? WHERE id = ?",
            [(*c, run) for run, c in self.counts.items()],
        )

    def _merchant(self, name: str) -> int | None:
        """The platform merchant's id (made on first sight); None for a hand-imported name."""
        row = self.conn.execute("SELECT id, source FROM merchants WHERE name = ?", (name,))
        found = row.fetchone()
        if found is not None:
            return int(found[0]) if found[1] == PLATFORM else None
        return int(
            self.conn.execute(
                "INSERT INTO merchants (name, feed_format, last_import_at, source) "
                "VALUES (?, ?, ?, ?) RETURNING id",
                (name, PLATFORM, self.now, PLATFORM),
            ).fetchone()[0]
        )

    def _import_run(self, merchant_id: int) -> int:
        """An ``imports`` row for this page's products of the merchant (their ``added_seq``
        and the price history's reference, as for a feed import)."""
        self.conn.execute(
            "UPDATE merchants SET last_import_at = ? WHERE id = ?", (self.now, merchant_id)
        )
        return int(
            self.conn.execute(
                "INSERT INTO imports (merchant_id, format, started_at, finished_at, added, "
                "updated, unchanged, marked_unavailable, rejected) "
                "VALUES (?, ?, ?, ?, 0, 0, 0, 0, 0) RETURNING id",
                (merchant_id, PLATFORM, self.now, self.now),
            ).fetchone()[0]
        )

    def _change(
        self,
        chunk: _Chunk,
        change: Change,
        old: tuple[Any, ...] | None,
        merchant_id: int,
        import_id: int,
    ) -> None:
        product, report = change.product, self.report
        counts = self.counts.get(import_id)
        if counts is None:
            counts = self.counts[import_id] = [0, 0, 0, 0]
        if product is None:  # the merchant no longer lists it
            if old is not None and old[6] != UNAVAILABLE_CODE:
                chunk.gone.append((UNAVAILABLE_CODE, self.now, old[0]))
                report.unavailable += 1
                counts[3] += 1
            return
        if not change.available:
            product = replace(product, availability=Availability.UNAVAILABLE)
        f = self.fields(product)
        h, ppm = content_hash(f), to_ppm(change.commission_rate)
        if old is None:
            chunk.inserts.append(
                (self.next_id, merchant_id, change.offer_id, *f, h, import_id, self.now, ppm)
            )
            self.next_id += 1
            report.upserts += 1
            counts[0] += 1
            return
        product_id, old_hash, old_ppm = old[0], old[1], old[2]
        if old_hash == h:
            if old_ppm == ppm:
                report.unchanged += 1
                counts[2] += 1
            else:
                chunk.rates.append((ppm, self.now, product_id))
                report.upserts += 1
                counts[1] += 1
            return
        chunk.updates.append((*f, h, self.now, ppm, product_id))
        if (f[6], f[7], f[8]) != tuple(old[3:6]):  # currency, price, sale
            chunk.price_changed.append((product_id, import_id, self.now, f[6], f[7], f[8]))
        report.upserts += 1
        counts[1] += 1

    def _flush(self, chunk: _Chunk) -> None:
        conn = self.conn

        def write() -> None:
            if chunk.price_changed:
                conn.execute(_FIRST_PRICES, (json.dumps([c[0] for c in chunk.price_changed]),))
            conn.executemany(_UPDATE, chunk.updates)
            conn.executemany(_INSERT, chunk.inserts)
            conn.executemany(_PRICES, chunk.price_changed)
            conn.executemany(_RATE, chunk.rates)
            conn.executemany(_GONE, chunk.gone)

        # Module-level lookup: tests replace it to fail a page half-way.
        _write_indexed(
            self.out, [u[-1] for u in chunk.updates], [i[0] for i in chunk.inserts], write
        )


def _write_indexed(
    out: _Out, updated: list[int], added: list[int], write: Callable[[], None]
) -> None:
    """A chunk's only full-text index writes, around its row writes (``write``): the old
    text of the ``updated`` rows is forgotten before they change (the index must be told the
    exact old text; done here, so it precedes the update), then the new text of the updated
    and ``added`` rows (consecutive new ids) is indexed by the writer thread while the next
    chunk is converted: a statement or two each way per chunk. Rate and availability changes
    leave the text as it is, so they are not re-indexed. The writer only ever indexes rows
    written before its job was queued."""
    if updated:
        out.conn.execute(DELETE_FTS_IDS, (json.dumps(updated),))
    write()
    if updated:
        out.writer.submit(FILL_FTS_IDS, (json.dumps(updated),))
    if added:  # numbered in a row from the chunk's first new id: a range, not a list
        out.writer.submit(FILL_FTS_RANGE, (added[0], added[-1]))
