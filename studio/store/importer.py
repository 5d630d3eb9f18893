"""Storing a parsed feed: one transaction, batched executemany, FTS kept in sync, a report.

Speed matters (a 1M-product catalog must store at over half the rate of a bare ``executemany``)
so this module talks to the raw ``sqlite3`` connection, not the ORM:

- Every row is a plain tuple; brand, category and product ids are assigned here from dict
  caches and counters, so nothing is read back per row.
- A merchant's first import takes the pure-insert path: no per-row lookups at all. It runs
  in WAL mode like every write, so other connections and processes keep reading meanwhile.
- A re-import loads the merchant's ``offer_id -> (id, hash, price...)`` map once; a 64-bit
  content hash of the stored fields tells unchanged rows (no write at all) from updated ones.
- The full-text index is filled per batch by one ``INSERT ... SELECT`` from the
  ``product_fts_src`` view, run by a writer thread (``import_writer``) on the same connection
  and transaction: SQLite tokenises batch k with the GIL released while this thread parses and
  converts batch k+1. The product rows stay ``executemany`` here (see import_writer for why).
- Everything happens in ONE transaction: an exception from the feed iterator (FeedError) or a
  cancel through ``progress`` rolls it back, so the store is exactly as it was.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from studio.core.catalog import ImportReport
from studio.core.errors import FeedError, ImportCancelled
from studio.core.product import ProductRecord, RejectedRow
from studio.store.db import CACHE_SIZE_KIB, Database
from studio.store.import_setup import set_fts_merge_policy
from studio.store.import_sql import (
    BATCH,
    FILL_FTS_RANGE,
    INSERT_NEW_PRODUCT,
)
from studio.store.import_upsert import upsert
from studio.store.import_values import (
    FieldMaker,
    content_hash,
)
from studio.store.import_writer import Job, StatementWriter
from studio.store.tx import begin_immediate

log = logging.getLogger(__name__)

PROGRESS_EVERY = 2_000
# Rows per FTS statement of a first import: each statement flushes FTS5's buffer to a new
# segment (more merging), while smaller ones overlap more of the parse. Measured (2 cores,
# FTS merge policy of import_setup): 1M catalog as 20 imports 19.6 s at 10k or 50k; the 100k
# XML feed 26.4k items/s at 10k against 25.4k at 50k. In WAL (every import, since), 400k
# products as 8 imports: 6-9% faster at 50k than at 10k in two interleaved runs, XML
# parsing (the child) being the slower side of an XML import anyway.
FTS_BATCH = 50_000
# The import connection's page cache while it runs: 16-256 MB measured the same speed (400k
# products as 8 imports), and the cache is most of what an import holds.
IMPORT_CACHE_KIB = 32 * 1024
# Tests only: called in the writer thread before each of its statements (fault injection).
_writer_hook: Callable[[Job], None] | None = None


class _Run:
    """The state of one import inside its transaction."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        merchant: str,
        format_name: str,
        report: ImportReport,
        progress: Callable[[int], bool] | None,
        writer: StatementWriter,
    ) -> None:
        self.conn = conn
        self.report = report
        self.progress = progress
        self.now = datetime.now(UTC).isoformat()
        self.merchant_id = _merchant_id(conn, merchant, format_name, self.now)
        self.import_id = int(
            conn.execute(
                "INSERT INTO imports (merchant_id, format, started_at, added, updated, unchanged, "
                "marked_unavailable, rejected) VALUES (?, ?, ?, 0, 0, 0, 0, 0) RETURNING id",
                (self.merchant_id, format_name, self.now),
            ).fetchone()[0]
        )
        # Stored values of a record (shared with studio.store.platform_apply).
        self.fields: Callable[[ProductRecord], tuple[Any, ...]] = FieldMaker(conn).fields
        self.count = 0
        self.next_progress = PROGRESS_EVERY
        self.writer = writer
        self.rejected: list[tuple[int, RejectedRow]] = []  # (item number, row)

    def tick(self) -> None:
        self.next_progress = self.count + PROGRESS_EVERY
        if self.progress is not None and self.progress(self.count) is False:
            raise ImportCancelled("import cancelled: nothing was stored")

    def records(self, items: Iterable[ProductRecord | RejectedRow]) -> Iterator[ProductRecord]:
        """The feed's storable records (``self.count`` is the yielded one's item number);
        rejected rows are reported. A repeated offer id is found by the store, not here:
        remembering every id seen would grow with the feed."""
        rejected = self.rejected
        for item in items:
            self.count += 1
            if self.count >= self.next_progress:
                self.tick()
            if isinstance(item, RejectedRow):
                rejected.append((self.count, item))
                continue
            price, sale = item.price, item.sale_price
            if sale is not None and price is not None and sale.currency != price.currency:
                rejected.append(
                    (
                        self.count,
                        RejectedRow(
                            f"item {self.count}",
                            f"sale price currency {sale.currency} differs from "
                            f"the price currency {price.currency}",
                            item.offer_id,
                        ),
                    )
                )
                continue
            yield item

    def duplicate(self, item_no: int, offer_id: str) -> None:
        self.rejected.append(
            (
                item_no,
                RejectedRow(
                    f"item {item_no}", "duplicate offer id (an earlier item has it)", offer_id
                ),
            )
        )

    def report_rejected(self) -> None:
        """The rejected rows in feed order (a repeated id is found when its batch is stored,
        after rows the feed itself refused later on)."""
        self.report.rejected = [row for _, row in sorted(self.rejected, key=lambda r: r[0])]

    def next_product_id(self) -> int:
        return int(self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM products").fetchone()[0])

    # -- a merchant's first import: inserts only ------------------------------------------
    def insert_all(self, items: Iterable[ProductRecord | RejectedRow]) -> None:
        # Measured and rejected here (2 cores): dropping the indexes and rebuilding them after
        # the load (no faster: offer ids mostly arrive in key order); building the FTS index
        # in a worker process, then copying its shadow tables in (slower too); the product
        # rows as one json_each statement per batch in the writer thread (4x the SQLite time
        # of executemany; no gain end to end: 100k XML feed 26.7k items/s either way).
        writer = self.writer
        first_id = pid = fts_from = self.next_product_id()
        head = (self.merchant_id,)
        tail_const = (self.import_id, self.now)
        fields = self.fields
        batch: list[tuple[Any, ...]] = []
        items_of: list[int] = []  # the item number of each row of the batch
        for r in self.records(items):
            f = fields(r)
            batch.append((pid, *head, r.offer_id, *f, content_hash(f), *tail_const))
            items_of.append(self.count)
            pid += 1
            if len(batch) >= BATCH:
                self.insert_new(batch, items_of)
                batch.clear()
                items_of.clear()
                if pid - fts_from >= FTS_BATCH:
                    # Indexed in the writer thread while this one converts the next rows.
                    writer.submit(FILL_FTS_RANGE, (fts_from, pid - 1))
                    fts_from = pid
        if batch:
            self.insert_new(batch, items_of)
        if pid > fts_from:
            writer.submit(FILL_FTS_RANGE, (fts_from, pid - 1))
        self.report.added = pid - first_id - self.skipped

    skipped = 0  # rows of the first import the store refused as repeated offer ids

    def insert_new(self, rows: list[tuple[Any, ...]], items_of: list[int]) -> None:
        """Insert ``rows`` (ascending ids); a repeated offer id (the unique index finds it,
        whatever the distance) is skipped and reported, the first one stays."""
        conn = self.conn
        conn.executemany(INSERT_NEW_PRODUCT, rows)
        first, last = rows[0][0], rows[-1][0]
        stored = conn.execute(
            "SELECT count(*) FROM products WHERE id BETWEEN ? AND ?", (first, last)
        ).fetchone()[0]
        if stored == len(rows):
            return
        kept = {
            r[0]
            for r in conn.execute("SELECT id FROM products WHERE id BETWEEN ? AND ?", (first, last))
        }
        for row, item_no in zip(rows, items_of, strict=True):
            if row[0] not in kept:
                self.duplicate(item_no, row[2])
                self.skipped += 1


def _merchant_id(conn: sqlite3.Connection, merchant: str, format_name: str, now: str) -> int:
    row = conn.execute("SELECT id, source FROM merchants WHERE name = ?", (merchant,)).fetchone()
    if row is not None and row[1] == "platform":
        # Its products, rates and cursor are the platform's: a feed would mix two catalogs.
        raise FeedError(
            "this merchant's catalog comes from the platform; import the feed under another "
            "merchant name",
            where=merchant,
        )
    if row is not None:
        conn.execute(
            "UPDATE merchants SET feed_format = ?, last_import_at = ? WHERE id = ?",
            (format_name, now, row[0]),
        )
        return int(row[0])
    return int(
        conn.execute(
            "INSERT INTO merchants (name, feed_format, last_import_at) VALUES (?, ?, ?) "
            "RETURNING id",
            (merchant, format_name, now),
        ).fetchone()[0]
    )


def import_feed(
    db: Database,
    merchant: str,
    format_name: str,
    items: Iterable[ProductRecord | RejectedRow],
    *,
    full: bool = True,
    progress: Callable[[int], bool] | None = None,
) -> ImportReport:
    """Store ``items`` as ``merchant``'s catalog in one transaction; see the module docstring.

    ``full``: products of this merchant absent from the feed become 'unavailable' (never
    deleted). ``progress(count)`` is called every few thousand items; returning False cancels
    (ImportCancelled, nothing stored). Any exception from ``items`` rolls back and propagates.
    """
    started = time.perf_counter()
    report = ImportReport(merchant=merchant, format=format_name)
    db = db.catalog_db  # the catalog's own file (a content Database attaches it read-only)
    with db.connect() as conn:
        conn.execute(f"PRAGMA cache_size=-{IMPORT_CACHE_KIB}")
        try:
            # Another import (another process) queues this one: it waits its turn, never fails.
            begin_immediate(db, conn)
            writer: StatementWriter | None = None
            try:
                set_fts_merge_policy(conn)
                writer = StatementWriter(conn, before_job=_writer_hook)
                run = _Run(conn, merchant, format_name, report, progress, writer)
                has_products = conn.execute(
                    "SELECT 1 FROM products WHERE merchant_id = ? LIMIT 1", (run.merchant_id,)
                ).fetchone()
                if has_products is None:
                    run.insert_all(items)
                    writer.finish()
                else:
                    upsert(run, items, full)  # finishes the writer before its last updates
                run.report_rejected()
                conn.execute(
                    "UPDATE imports SET finished_at = ?, added = ?, updated = ?, unchanged = ?, "
                    "marked_unavailable = ?, rejected = ? WHERE id = ?",
                    (
                        datetime.now(UTC).isoformat(),
                        report.added,
                        report.updated,
                        report.unchanged,
                        report.marked_unavailable,
                        len(report.rejected),
                        run.import_id,
                    ),
                )
                conn.execute("COMMIT")
            except BaseException:
                if writer is not None:
                    writer.abort()  # the thread is gone before the rollback below
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        finally:
            conn.execute(f"PRAGMA cache_size=-{CACHE_SIZE_KIB}")
    report.seconds = time.perf_counter() - started
    log.info(
        "imported %s (%s): %d added, %d updated, %d unchanged, %d unavailable, "
        "%d rejected in %.2fs",
        merchant,
        format_name,
        report.added,
        report.updated,
        report.unchanged,
        report.marked_unavailable,
        len(report.rejected),
        report.seconds,
    )
    return report
