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

import json
import logging
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from studio.core.catalog import ImportReport
from studio.core.errors import ImportCancelled
from studio.core.product import ProductRecord, RejectedRow
from studio.store.codes import UNAVAILABLE_CODE
from studio.store.db import CACHE_SIZE_KIB, Database
from studio.store.import_setup import set_fts_merge_policy
from studio.store.import_values import (
    AVAILABILITY_CODE,
    CONDITION_TEXT,
    Lookup,
    content_hash,
    extra_json,
    iso_utc,
    json_strings,
)
from studio.store.import_writer import Job, StatementWriter

log = logging.getLogger(__name__)

BATCH = 10_000  # rows per executemany: large enough to amortise, small enough for progress
PROGRESS_EVERY = 2_000
# Rows per FTS statement of a first import: each statement flushes FTS5's buffer to a new
# segment (more merging), while smaller ones overlap more of the parse. Measured (2 cores,
# FTS merge policy of import_setup): 1M catalog as 20 imports 19.6 s at 10k or 50k; the 100k
# XML feed 26.4k items/s at 10k against 25.4k at 50k.
FTS_BATCH = 10_000
IMPORT_CACHE_KIB = 256 * 1024  # the import connection's page cache while it runs
# Tests only: called in the writer thread before each of its statements (fault injection).
_writer_hook: Callable[[Job], None] | None = None

PRODUCT_COLUMNS = (
    "id",
    "merchant_id",
    "offer_id",
    "item_group_id",
    "title",
    "description",
    "link",
    "image_link",
    "images",
    "currency",
    "price_minor",
    "sale_minor",
    "sale_start",
    "sale_end",
    "availability",
    "availability_date",
    "condition",
    "brand_id",
    "category_id",
    "gtin",
    "mpn",
    "google_category",
    "product_type",
    "color",
    "size",
    "gender",
    "age_group",
    "material",
    "extra",
    "content_hash",
    "added_seq",
    "updated_at",
)
INSERT_PRODUCT = (
    f"INSERT INTO products ({', '.join(PRODUCT_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(PRODUCT_COLUMNS))})"
)
# Everything but id, merchant_id, offer_id and added_seq, then the id for the WHERE.
_UPDATED_COLUMNS = tuple(
    c for c in PRODUCT_COLUMNS if c not in ("id", "merchant_id", "offer_id", "added_seq")
)
UPDATE_PRODUCT = (
    f"UPDATE products SET {', '.join(f'{c} = ?' for c in _UPDATED_COLUMNS)} WHERE id = ?"
)
FILL_FTS_RANGE = (
    "INSERT INTO product_fts (rowid, title, brand, category, description) "
    "SELECT id, title, brand, category, description FROM product_fts_src "
    "WHERE id BETWEEN ? AND ?"
)
FILL_FTS_IDS = (
    "INSERT INTO product_fts (rowid, title, brand, category, description) "
    "SELECT id, title, brand, category, description FROM product_fts_src "
    "WHERE id IN (SELECT value FROM json_each(?))"
)
# The index must be told the exact old text to forget it: read from the view before the update.
DELETE_FTS_IDS = (
    "INSERT INTO product_fts (product_fts, rowid, title, brand, category, description) "
    "SELECT 'delete', id, title, brand, category, description FROM product_fts_src "
    "WHERE id IN (SELECT value FROM json_each(?))"
)


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
        self.brands = Lookup(conn, "brands", "name")
        self.categories = Lookup(conn, "categories", "path")
        self.brand_ids, self.category_ids = self.brands.ids, self.categories.ids
        self.count = 0
        self.next_progress = PROGRESS_EVERY
        self.seen: set[str] = set()
        self.writer = writer

    def tick(self) -> None:
        self.next_progress = self.count + PROGRESS_EVERY
        if self.progress is not None and self.progress(self.count) is False:
            raise ImportCancelled("import cancelled: nothing was stored")

    def records(self, items: Iterable[ProductRecord | RejectedRow]) -> Iterator[ProductRecord]:
        """The feed's storable records; rejected rows and repeated offer ids are reported."""
        seen = self.seen
        rejected = self.report.rejected
        for item in items:
            self.count += 1
            if self.count >= self.next_progress:
                self.tick()
            if isinstance(item, RejectedRow):
                rejected.append(item)
                continue
            offer = item.offer_id
            if offer in seen:
                rejected.append(
                    RejectedRow(
                        f"item {self.count}", "duplicate offer id (an earlier item has it)", offer
                    )
                )
                continue
            price, sale = item.price, item.sale_price
            if sale is not None and price is not None and sale.currency != price.currency:
                rejected.append(
                    RejectedRow(
                        f"item {self.count}",
                        f"sale price currency {sale.currency} differs from "
                        f"the price currency {price.currency}",
                        offer,
                    )
                )
                continue
            seen.add(offer)
            yield item

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

    def next_product_id(self) -> int:
        return int(self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM products").fetchone()[0])

    # -- a merchant's first import: inserts only ------------------------------------------
    def insert_all(self, items: Iterable[ProductRecord | RejectedRow]) -> None:
        # Measured and rejected here (2 cores): dropping the indexes and rebuilding them after
        # the load (no faster: offer ids mostly arrive in key order); building the FTS index
        # in a worker process, then copying its shadow tables in (slower too); the product
        # rows as one json_each statement per batch in the writer thread (4x the SQLite time
        # of executemany; no gain end to end: 100k XML feed 26.7k items/s either way).
        conn, writer = self.conn, self.writer
        first_id = pid = fts_from = self.next_product_id()
        head = (self.merchant_id,)
        tail_const = (self.import_id, self.now)
        fields, insert = self.fields, INSERT_PRODUCT
        batch: list[tuple[Any, ...]] = []
        for r in self.records(items):
            f = fields(r)
            batch.append((pid, *head, r.offer_id, *f, content_hash(f), *tail_const))
            pid += 1
            if len(batch) >= BATCH:
                conn.executemany(insert, batch)
                batch.clear()
                if pid - fts_from >= FTS_BATCH:
                    # Indexed in the writer thread while this one converts the next rows.
                    writer.submit(FILL_FTS_RANGE, (fts_from, pid - 1))
                    fts_from = pid
        if batch:
            conn.executemany(insert, batch)
        if pid > fts_from:
            writer.submit(FILL_FTS_RANGE, (fts_from, pid - 1))
        self.report.added = pid - first_id

    # -- a re-import: upsert by offer id ------------------------------------------------------
    def upsert(self, items: Iterable[ProductRecord | RejectedRow], full: bool) -> None:
        conn = self.conn
        existing: dict[str, tuple[int, int, str | None, int | None, int | None, int]] = {
            row[0]: row[1:]
            for row in conn.execute(
                "SELECT offer_id, id, content_hash, currency, price_minor, sale_minor, "
                "availability FROM products WHERE merchant_id = ?",
                (self.merchant_id,),
            )
        }
        pid = self.next_product_id()
        pending = _Pending()
        report = self.report
        now, import_id, merchant_id = self.now, self.import_id, self.merchant_id
        for r in self.records(items):
            f = self.fields(r)
            h = content_hash(f)
            old = existing.get(r.offer_id)
            if old is None:
                pending.inserts.append((pid, merchant_id, r.offer_id, *f, h, import_id, now))
                pending.indexed.append(pid)
                pid += 1
                report.added += 1
            elif old[1] == h:
                report.unchanged += 1
                continue
            else:
                pending.updates.append((*f, h, now, old[0]))
                pending.indexed.append(old[0])
                if (f[6], f[7], f[8]) != old[2:5]:
                    pending.price_changed.append((old[0], import_id, now, f[6], f[7], f[8]))
                report.updated += 1
            if len(pending) >= BATCH:
                pending.flush(conn, self.writer)
        pending.flush(conn, self.writer)
        self.writer.finish()
        if full:
            gone = [
                (UNAVAILABLE_CODE, now, v[0])
                for offer, v in existing.items()
                if offer not in self.seen and v[5] != UNAVAILABLE_CODE
            ]
            # content_hash 0: the next import that lists it again must count it as updated.
            conn.executemany(
                "UPDATE products SET availability = ?, content_hash = 0, updated_at = ? "
                "WHERE id = ?",
                gone,
            )
            report.marked_unavailable = len(gone)


class _Pending:
    """Rows of a re-import waiting for the next batched write."""

    def __init__(self) -> None:
        self.inserts: list[tuple[Any, ...]] = []
        self.updates: list[tuple[Any, ...]] = []
        self.indexed: list[int] = []  # ids of the new and updated rows, to (re)index
        self.price_changed: list[tuple[Any, ...]] = []

    def __len__(self) -> int:
        return len(self.inserts) + len(self.updates)

    def flush(self, conn: sqlite3.Connection, writer: StatementWriter) -> None:
        if self.updates:
            # Forgetting the old text must precede the update that changes it; the writer
            # thread only ever indexes rows written before its job was queued.
            conn.execute(DELETE_FTS_IDS, (json.dumps([u[-1] for u in self.updates]),))
            if self.price_changed:
                # A product's first price change also records the price it had until now.
                conn.execute(
                    "INSERT INTO price_history (product_id, import_id, seen_at, currency, "
                    "price_minor, sale_minor) SELECT p.id, p.added_seq, i.started_at, "
                    "p.currency, p.price_minor, p.sale_minor FROM products AS p "
                    "JOIN imports AS i ON i.id = p.added_seq "
                    "WHERE p.id IN (SELECT value FROM json_each(?)) AND NOT EXISTS "
                    "(SELECT 1 FROM price_history AS h WHERE h.product_id = p.id)",
                    (json.dumps([c[0] for c in self.price_changed]),),
                )
            conn.executemany(UPDATE_PRODUCT, self.updates)
            conn.executemany(
                "INSERT INTO price_history (product_id, import_id, seen_at, currency, "
                "price_minor, sale_minor) VALUES (?, ?, ?, ?, ?, ?)",
                self.price_changed,
            )
        if self.inserts:
            conn.executemany(INSERT_PRODUCT, self.inserts)
        if self.indexed:
            writer.submit(FILL_FTS_IDS, (json.dumps(self.indexed),))
        self.inserts, self.updates, self.indexed, self.price_changed = [], [], [], []


def _merchant_id(conn: sqlite3.Connection, merchant: str, format_name: str, now: str) -> int:
    row = conn.execute("SELECT id FROM merchants WHERE name = ?", (merchant,)).fetchone()
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
    with db.connect() as conn:
        conn.execute(f"PRAGMA cache_size=-{IMPORT_CACHE_KIB}")
        try:
            conn.execute("BEGIN IMMEDIATE")
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
                    run.upsert(items, full)  # finishes the writer before its last updates
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
