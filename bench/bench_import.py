"""Import figures: bulk store of the generated catalog against raw executemany, and a 100k XML feed.

(a) the raw baseline (reported as (b)'s ``baseline``): ``sqlite3.executemany`` of exactly the
    rows our importer stored (read back from its products table) into a bare table (rowid
    only: no index, no constraint, no FTS) in a fresh file with the store's pragmas, in one
    transaction, committed;
(b) our bulk store: ``import_feed`` of the same parsed records (20 merchants, one import each)
    into a fresh store, each committed, indexed and searchable; target half the baseline's rate.
    The store is opened ``exclusive`` as ``studio import-feed`` opens it (a first import then
    uses a rollback journal; the desktop, whose readers must never wait, stays in WAL);
(c) a 100k-item Google Merchant RSS feed, written to disk first, then parsed (``open_feed``)
    and stored (``import_feed``) end to end into a fresh store; target 30,000 items/s.

The catalog stored in (b) stays at ``ctx.workdir / "catalog-1m.sqlite3"`` (named after its
size when not 1M) and its path goes to ``ctx.cache["catalog_db"]`` for the search and UI
benchmarks, which run next.
"""

from __future__ import annotations

import gc
import sqlite3
import time
from pathlib import Path

from bench.catalog_gen import generate_records, write_google_xml
from bench.harness import BenchContext, Figure
from studio.core.product import ProductRecord
from studio.store.db import apply_pragmas, open_database
from studio.store.import_sql import BATCH, PRODUCT_COLUMNS
from studio.store.importer import import_feed

MERCHANTS = 20
XML_ITEMS = 100_000
XML_TARGET = 30_000.0


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _catalog_name(n: int) -> str:
    return "catalog-1m.sqlite3" if n == 1_000_000 else f"catalog-{n}.sqlite3"


def catalog_file(ctx: BenchContext) -> Path:
    """Where (b) leaves its catalog for this run's size (it may not exist yet)."""
    return ctx.workdir / _catalog_name(50_000 if ctx.quick else ctx.catalog_size)


def _records(n: int) -> list[tuple[str, list[ProductRecord]]]:
    """The parsed catalog, materialised so generating it is not timed: (merchant, records)."""
    per = n // MERCHANTS
    return [
        (f"Merchant {m:02d}", list(generate_records(per, seed=7 + m, merchants=1)))
        for m in range(MERCHANTS)
    ]


def bulk_store(path: Path, catalog: list[tuple[str, list[ProductRecord]]]) -> float:
    """Seconds to store every merchant's records with the real importer (store pre-created)."""
    _remove(path)
    open_database(path).close()  # migrations are start-up work, not import work
    db = open_database(path, exclusive=True)  # headless, like `studio import-feed`
    try:
        start = time.perf_counter()
        for merchant, records in catalog:
            import_feed(db, merchant, "generated", records)
        return time.perf_counter() - start
    finally:
        db.close()


def stored_rows(path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            f"SELECT {', '.join(PRODUCT_COLUMNS)} FROM products ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def raw_executemany(path: Path, rows: list[tuple[object, ...]]) -> float:
    """Seconds for the bare baseline: the same rows, the same pragmas, no index, no FTS."""
    _remove(path)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        apply_pragmas(conn)
        columns = ", ".join(f"{c} INTEGER PRIMARY KEY" if c == "id" else c for c in PRODUCT_COLUMNS)
        conn.execute(f"CREATE TABLE products ({columns})")
        sql = (
            f"INSERT INTO products ({', '.join(PRODUCT_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(PRODUCT_COLUMNS))})"
        )
        start = time.perf_counter()
        conn.execute("BEGIN")
        for i in range(0, len(rows), BATCH):
            conn.executemany(sql, rows[i : i + BATCH])
        conn.execute("COMMIT")
        return time.perf_counter() - start
    finally:
        conn.close()
        _remove(path)


def xml_end_to_end(workdir: Path, n: int) -> float:
    from studio.feeds import open_feed

    feed_path = workdir / f"google-{n}.xml"
    if not feed_path.exists():
        write_google_xml(feed_path, n, seed=11)
    store = workdir / "xml-import.sqlite3"
    _remove(store)
    open_database(store).close()
    db = open_database(store, exclusive=True)
    try:
        start = time.perf_counter()
        feed = open_feed(feed_path, "XML Merchant", "auto")
        report = import_feed(db, "XML Merchant", feed.format, feed)
        seconds = time.perf_counter() - start
        assert report.added == n, report.as_dict()
        with db.connect() as conn:  # searchable: the index answers
            assert (
                conn.execute(
                    "SELECT count(*) FROM product_fts WHERE product_fts MATCH 'shirt'"
                ).fetchone()[0]
                > 0
            )
        return seconds
    finally:
        db.close()
        _remove(store)


def run(ctx: BenchContext) -> list[Figure]:
    n = 50_000 if ctx.quick else ctx.catalog_size
    ctx.workdir.mkdir(parents=True, exist_ok=True)
    catalog_path = catalog_file(ctx)

    catalog = _records(n)
    stored = sum(len(records) for _, records in catalog)
    ours_s = bulk_store(catalog_path, catalog)
    del catalog
    gc.collect()
    ctx.cache["catalog_db"] = catalog_path

    rows = stored_rows(catalog_path)
    assert len(rows) == stored
    raw_s = raw_executemany(ctx.workdir / "raw-baseline.sqlite3", rows)
    del rows
    gc.collect()

    raw_rate = stored / raw_s
    ours_rate = stored / ours_s
    xml_n = 10_000 if ctx.quick else XML_ITEMS
    xml_s = xml_end_to_end(ctx.workdir, xml_n)
    label = f"{stored // 1000}k" if stored < 1_000_000 else f"{stored / 1e6:g}M"
    return [
        # The raw baseline is this figure's `baseline` (JSON) and its "vs raw" ratio (table).
        Figure(
            f"import: bulk store of {label} products (indexed, searchable)",
            ours_rate,
            "rows/s",
            0.5 * raw_rate,
            lower_is_better=False,
            baseline=raw_rate,
            note=f"{ours_s:.2f} s for {MERCHANTS} merchant imports; raw executemany of the "
            f"same rows {raw_s:.2f} s ({raw_rate:,.0f} rows/s); target half its rate",
        ),
        Figure(
            f"import: {xml_n // 1000}k-item Google XML feed end to end",
            xml_n / xml_s,
            "items/s",
            XML_TARGET,
            lower_is_better=False,
            note=f"{xml_s:.2f} s parsed, stored and searchable",
        ),
    ]
