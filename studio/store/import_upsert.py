"""A merchant's re-import: upsert by offer id, batch by batch, in memory bounded by a batch.

The feed is read ``BATCH`` records at a time. For each batch, the stored state of its offers
(id, content hash, prices, availability) is read from the ``(merchant, offer)`` index in one
statement, and each record is then an insert (a new offer), nothing at all (same content
hash: unchanged), or an update (the old text is deleted from the full-text index first, the
first price change also records the price it replaces). Nothing is kept per offer from one
batch to the next but one bit per product id: "seen in this feed". It tells a repeated offer
id (its row was seen already, or inserted by an earlier batch of this import) and, for a
full feed, which of the merchant's products the feed no longer lists, which become
unavailable (never deleted). A 1M-offer re-import used to hold every stored offer and every
offer id seen in dictionaries, ~250 MB.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

from studio.core.product import ProductRecord, RejectedRow
from studio.store.codes import UNAVAILABLE_CODE
from studio.store.import_sql import (
    BATCH,
    DELETE_FTS_IDS,
    FILL_FTS_IDS,
    INSERT_PRODUCT,
    UPDATE_PRODUCT,
)
from studio.store.import_values import content_hash
from studio.store.import_writer import StatementWriter

if TYPE_CHECKING:
    from studio.store.importer import _Run

_STORED = (
    "SELECT offer_id, id, content_hash, currency, price_minor, sale_minor, availability "
    "FROM products WHERE merchant_id = ? AND offer_id IN (SELECT value FROM json_each(?))"
)


class Seen:
    """One bit per product id: seen in this feed (grows with new ids, never per offer)."""

    def __init__(self, top: int) -> None:
        self._bits = np.zeros(top + 1, dtype=np.bool_)

    def __contains__(self, product_id: int) -> bool:
        return product_id < self._bits.size and bool(self._bits[product_id])

    def add(self, product_id: int) -> None:
        if product_id >= self._bits.size:
            grown = np.zeros(max(product_id + 1, 2 * self._bits.size), dtype=np.bool_)
            grown[: self._bits.size] = self._bits
            self._bits = grown
        self._bits[product_id] = True

    def unseen(self, ids: np.ndarray) -> np.ndarray:
        """Those of ``ids`` not seen."""
        inside = ids < self._bits.size
        keep = np.ones(ids.size, dtype=np.bool_)
        keep[inside] = ~self._bits[ids[inside]]
        return ids[keep]


def upsert(run: _Run, items: Iterable[ProductRecord | RejectedRow], full: bool) -> None:
    """Store ``items`` over the merchant's products; see the module docstring."""
    conn = run.conn
    top = int(conn.execute("SELECT coalesce(max(id), 0) FROM products").fetchone()[0])
    seen = Seen(top)
    pid = top + 1
    batch: list[tuple[ProductRecord, int]] = []
    for r in run.records(items):
        batch.append((r, run.count))
        if len(batch) >= BATCH:
            pid = _store(run, batch, seen, pid)
            batch.clear()
    if batch:
        pid = _store(run, batch, seen, pid)
    run.writer.finish()
    if full:
        run.report.marked_unavailable = _mark_gone(run, seen)


def _store(run: _Run, batch: list[tuple[ProductRecord, int]], seen: Seen, pid: int) -> int:
    """Insert, update or leave each record of ``batch``; returns the next free product id."""
    conn, report = run.conn, run.report
    stored: dict[str, tuple[Any, ...]] = {
        row[0]: row[1:]
        for row in conn.execute(
            _STORED, (run.merchant_id, json.dumps([r.offer_id for r, _ in batch]))
        )
    }
    new_here: set[str] = set()  # offers new to the store, first met in this batch
    pending = _Pending()
    now, import_id, merchant_id = run.now, run.import_id, run.merchant_id
    for r, item_no in batch:
        old = stored.get(r.offer_id)
        if old is None:
            if r.offer_id in new_here:
                run.duplicate(item_no, r.offer_id)
                continue
            new_here.add(r.offer_id)
            f = run.fields(r)
            pending.inserts.append(
                (pid, merchant_id, r.offer_id, *f, content_hash(f), import_id, now)
            )
            pending.indexed.append(pid)
            seen.add(pid)
            pid += 1
            report.added += 1
            continue
        product_id = old[0]
        if product_id in seen:  # an earlier item of this feed, or inserted by it
            run.duplicate(item_no, r.offer_id)
            continue
        seen.add(product_id)
        f = run.fields(r)
        h = content_hash(f)
        if old[1] == h:
            report.unchanged += 1
            continue
        pending.updates.append((*f, h, now, product_id))
        pending.indexed.append(product_id)
        if (f[6], f[7], f[8]) != old[2:5]:
            pending.price_changed.append((product_id, import_id, now, f[6], f[7], f[8]))
        report.updated += 1
    pending.flush(conn, run.writer)
    return pid


def _mark_gone(run: _Run, seen: Seen) -> int:
    """Make the merchant's products this full feed did not list unavailable (read by id
    range, so the merchant's ids are never all in memory); returns how many."""
    conn, gone = run.conn, 0
    sql = (
        "SELECT group_concat(id) FROM products WHERE merchant_id = ? AND availability != ? "
        "AND id >= ? AND id < ?"
    )
    top = int(conn.execute("SELECT coalesce(max(id), 0) FROM products").fetchone()[0])
    for start in range(0, top + 1, 1 << 18):
        row = conn.execute(sql, (run.merchant_id, UNAVAILABLE_CODE, start, start + (1 << 18)))
        text = row.fetchone()[0]
        if not text:
            continue
        ids = seen.unseen(np.fromstring(text, dtype=np.int64, sep=","))
        # content_hash 0: the next import that lists it again must count it as updated.
        conn.executemany(
            "UPDATE products SET availability = ?, content_hash = 0, updated_at = ? WHERE id = ?",
            [(UNAVAILABLE_CODE, run.now, int(i)) for i in ids],
        )
        gone += int(ids.size)
    return gone


class _Pending:
    """Rows of a batch waiting for its write."""

    def __init__(self) -> None:
        self.inserts: list[tuple[Any, ...]] = []
        self.updates: list[tuple[Any, ...]] = []
        self.indexed: list[int] = []  # ids of the new and updated rows, to (re)index
        self.price_changed: list[tuple[Any, ...]] = []

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
