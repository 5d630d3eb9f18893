"""Import figures: bulk store against raw executemany, a 100k XML feed against a raw parse and
insert, and the peak memory of a 1M-item XML feed's import.

(a) the raw baseline (reported as (b)'s ``baseline``): ``sqlite3.executemany`` of exactly the
    rows our importer stored (read back from its products table) into a bare table (rowid
    only: no index, no constraint, no FTS) in a fresh file with the store's pragmas, in one
    transaction, committed;
(b) our bulk store: ``import_feed`` of the same parsed records (20 merchants, one import each,
    each merchant's landing links on its own site) into a fresh store, each committed, indexed
    and searchable; target half the baseline's rate. The store is opened ``exclusive`` as
    ``studio import-feed`` opens it; every import runs in WAL, so readers elsewhere never wait
    (a first import used to switch to a rollback journal);
(c) a 100k-item Google Merchant RSS feed, written to disk first, then parsed (``open_feed``)
    and stored (``import_feed``) end to end into a fresh store; target 30,000 items/s. Its raw
    baseline, run alternately with it (best of three each), makes the same file searchable
    the bare way: ``lxml.etree.iterparse`` taking each item's children's text, ``executemany``
    into a bare table, one FTS5 index with the store's options filled at the end, one
    transaction; target 0.8x its rate. CPU is the parent's and its parsing child's together;
(d) the peak resident memory (VmHWM) of a fresh process importing a 1M-item feed (100k with
    ``--quick``), and of the child that parses it; target 200 MiB each, whatever the size.

The store made in (b) stays at ``ctx.workdir / "catalog-1m.sqlite3"`` (named after its size
when not 1M; its catalog, the file the imports write, beside it as ``catalog-1m-catalog.sqlite3``,
see ``studio.store.db.catalog_path``) and its path goes to ``ctx.cache["catalog_db"]`` for the
search and UI benchmarks, which run next.
"""

from __future__ import annotations

import gc
import json
import resource
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from bench.catalog_gen import generate_records, write_google_xml
from bench.harness import REPO, BenchContext, Figure
from studio.core.product import ProductRecord
from studio.store.db import apply_pragmas, catalog_path, open_database
from studio.store.import_sql import BATCH, PRODUCT_COLUMNS
from studio.store.importer import import_feed

MERCHANTS = 20
XML_ITEMS = 100_000
XML_TARGET = 30_000.0


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _remove_store(path: Path) -> None:
    """A store made by ``open_database``: its content file and its catalog file beside it."""
    _remove(path)
    _remove(catalog_path(path))


def _catalog_name(n: int) -> str:
    return "catalog-1m.sqlite3" if n == 1_000_000 else f"catalog-{n}.sqlite3"


def catalog_file(ctx: BenchContext) -> Path:
    """Where (b) leaves its catalog for this run's size (it may not exist yet)."""
    return ctx.workdir / _catalog_name(50_000 if ctx.quick else ctx.catalog_size)


def _records(n: int) -> list[tuple[str, list[ProductRecord]]]:
    """The parsed catalog, materialised so generating it is not timed: (merchant, records)."""
    per = n // MERCHANTS
    return [
        (f"Merchant {m:02d}", _on_own_site(generate_records(per, seed=7 + m, merchants=1), m))
        for m in range(MERCHANTS)
    ]


def _on_own_site(records: Iterable[ProductRecord], m: int) -> list[ProductRecord]:
    """Merchant ``m``'s records with their landing links on its own site.

    ``generate_records(merchants=1)`` names its one merchant's site ``m00`` whatever the seed,
    so the 20 merchants used to share every landing link (``https://m00.shop.example/p/0``
    twenty times over). A merchant's links are its own site's: in the links index (catalog
    c0002) each import's keys then form one range of their own, as they do for real feeds,
    instead of landing among every other merchant's all over the index: the 1M import took
    32.5-34 s of CPU with shared links against 28.3-29.3 s with a site per merchant (two
    alternating runs), a cost of the data, not of the store.
    """
    own = f"https://m{m:02d}.shop.example/"
    shared = "https://m00.shop.example/"
    return [
        replace(r, link=own + r.link.removeprefix(shared)) if r.link is not None else r
        for r in records
    ]


def bulk_store(path: Path, catalog: list[tuple[str, list[ProductRecord]]]) -> tuple[float, Path]:
    """Seconds to store every merchant's records with the real importer (store pre-created),
    and the catalog file they went to."""
    _remove_store(path)
    open_database(path).close()  # migrations are start-up work, not import work
    db = open_database(path, exclusive=True)  # headless, like `studio import-feed`
    try:
        start = time.perf_counter()
        for merchant, records in catalog:
            import_feed(db, merchant, "generated", records)
        return time.perf_counter() - start, db.catalog_db.path
    finally:
        db.close()


def stored_rows(catalog_file: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(catalog_file)
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


def xml_end_to_end(feed_path: Path, workdir: Path, n: int) -> tuple[float, float]:
    """(wall s, CPU s of this process and its parsing child) of one XML import."""
    from studio.feeds import open_feed

    store = workdir / "xml-import.sqlite3"
    _remove_store(store)
    open_database(store).close()
    db = open_database(store, exclusive=True)
    try:
        start, cpu = time.perf_counter(), _cpu()
        feed = open_feed(feed_path, "XML Merchant", "auto")
        report = import_feed(db, "XML Merchant", feed.format, feed)
        seconds, cpu = time.perf_counter() - start, _cpu() - cpu
        assert report.added == n, report.as_dict()
        with db.catalog_db.connect() as conn:  # searchable: the index answers
            hits = "SELECT count(*) FROM product_fts WHERE product_fts MATCH 'shirt'"
            assert conn.execute(hits).fetchone()[0] > 0
        return seconds, cpu
    finally:
        db.close()
        _remove_store(store)


RAW_FIELDS = (
    "id", "title", "description", "link", "image_link", "additional_image_link", "price",
    "sale_price", "sale_price_effective_date", "availability", "availability_date",
    "condition", "brand", "gtin", "mpn", "product_type", "item_group_id", "color", "size",
    "gender", "age_group", "material",
)  # fmt: skip


def raw_xml(feed_path: Path, db_path: Path) -> tuple[float, float, int]:
    """(wall s, CPU s, items) of the raw baseline: what a bare script does to make the same
    feed searchable. lxml's iterparse over the file, each item's children's text by name,
    executemany into a bare table, then one FTS5 index over it (the store's own options) filled
    by one INSERT ... SELECT, all in one transaction: no validation, no other index, one
    process."""
    from lxml import etree

    _remove(db_path)
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        apply_pragmas(conn)
        conn.execute(f"CREATE TABLE items ({', '.join(RAW_FIELDS)})")
        conn.execute(
            "CREATE VIRTUAL TABLE items_fts USING fts5(title, brand, category, description, "
            "content='items', tokenize='unicode61 remove_diacritics 2', prefix='3', "
            "detail=column)"
        )
        sql = f"INSERT INTO items VALUES ({', '.join('?' * len(RAW_FIELDS))})"
        start, cpu = time.perf_counter(), _cpu()
        conn.execute("BEGIN")
        batch: list[tuple[object, ...]] = []
        items = 0
        for _, item in etree.iterparse(str(feed_path), tag="item"):
            texts = {child.tag.rpartition("}")[2]: child.text for child in item}
            batch.append(tuple(texts.get(name) for name in RAW_FIELDS))
            item.clear()
            while item.getprevious() is not None:  # finished items: drop them
                del item.getparent()[0]
            if len(batch) >= BATCH:
                conn.executemany(sql, batch)
                items += len(batch)
                batch.clear()
        conn.executemany(sql, batch)
        items += len(batch)
        conn.execute(
            "INSERT INTO items_fts (rowid, title, brand, category, description) "
            "SELECT rowid, title, brand, product_type, description FROM items"
        )
        conn.execute("COMMIT")
        return time.perf_counter() - start, _cpu() - cpu, items
    finally:
        conn.close()
        _remove(db_path)


def _cpu() -> float:
    """CPU seconds of this process and of its children waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def xml_memory(feed_path: Path, workdir: Path) -> dict[str, float]:
    """Peak memory of a fresh process importing ``feed_path``, and of its parsing child."""
    proc = subprocess.run(
        [sys.executable, "-m", "bench.bench_import", "xml-memory", str(feed_path), str(workdir)],
        capture_output=True,
        text=True,
        timeout=3600,
        cwd=REPO,
        check=False,
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"xml-memory failed: {proc.stderr[-2000:]}")
    return json.loads(lines[-1])  # type: ignore[no-any-return]


def _feed(workdir: Path, n: int) -> Path:
    path = workdir / f"google-{n}.xml"
    if not path.exists():
        write_google_xml(path, n, seed=11)
    return path


def run(ctx: BenchContext) -> list[Figure]:
    n = 50_000 if ctx.quick else ctx.catalog_size
    ctx.workdir.mkdir(parents=True, exist_ok=True)
    store_path = catalog_file(ctx)

    catalog = _records(n)
    stored = sum(len(records) for _, records in catalog)
    ours_s, stored_file = bulk_store(store_path, catalog)
    del catalog
    gc.collect()
    ctx.cache["catalog_db"] = store_path

    rows = stored_rows(stored_file)
    assert len(rows) == stored
    raw_s = raw_executemany(ctx.workdir / "raw-baseline.sqlite3", rows)
    del rows
    gc.collect()

    raw_rate = stored / raw_s
    ours_rate = stored / ours_s
    xml_n = 10_000 if ctx.quick else XML_ITEMS
    feed = _feed(ctx.workdir, xml_n)
    ours_runs, raw_runs = [], []
    for _ in range(1 if ctx.quick else 3):  # alternating, best of each
        ours_runs.append(xml_end_to_end(feed, ctx.workdir, xml_n))
        raw_runs.append(raw_xml(feed, ctx.workdir / "raw-xml.sqlite3"))
    xml_s, xml_cpu = min(ours_runs)
    raw_xml_s, raw_xml_cpu, raw_items = min(raw_runs)
    assert raw_items == xml_n
    memory_n = 100_000 if ctx.quick else 1_000_000
    memory = xml_memory(_feed(ctx.workdir, memory_n), ctx.workdir)
    label = f"{stored // 1000}k" if stored < 1_000_000 else f"{stored / 1e6:g}M"
    xml_label = f"{xml_n // 1000}k"
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
            f"import: {xml_label}-item Google XML feed end to end",
            xml_n / xml_s,
            "items/s",
            XML_TARGET,
            lower_is_better=False,
            baseline=xml_n / raw_xml_s,
            note=f"best of {len(ours_runs)}: {xml_s:.2f} s parsed, stored and searchable, "
            f"{xml_cpu:.2f} s CPU (parent and parsing child); raw lxml iterparse + "
            f"executemany {raw_xml_s:.2f} s, {raw_xml_cpu:.2f} s CPU",
        ),
        Figure(
            f"import: {xml_label} XML feed vs raw parse and insert (rate ratio)",
            raw_xml_s / xml_s,
            "x",
            0.8,
            lower_is_better=False,
            note=f"CPU {xml_cpu / raw_xml_cpu:.2f}x the raw baseline's (ours on two processes)",
        ),
        Figure(
            f"import: peak memory of a {memory_n // 1000:,}k-item XML feed's import",
            max(memory["parent_mib"], memory["child_mib"]),
            "MiB",
            200,
            note=f"fresh process {memory['parent_mib']:.0f} MiB, its parsing child "
            f"{memory['child_mib']:.0f} MiB; {memory['items']:,} items in "
            f"{memory['seconds']:.0f} s",
        ),
    ]


def _memory_child(feed_path: Path, workdir: Path) -> dict[str, float]:
    """In a fresh process: import the feed, watching the parsing child's peak memory."""
    import threading

    from studio.feeds import open_feed

    store = workdir / "xml-memory.sqlite3"
    _remove_store(store)
    open_database(store).close()
    db = open_database(store, exclusive=True)
    child_peak = [0.0]
    feed = open_feed(feed_path, "XML Merchant", "auto")

    def watch() -> None:
        while True:
            process = getattr(feed, "process", None)
            if process is not None:
                child_peak[0] = max(child_peak[0], _hwm_mib(process.pid))
            time.sleep(0.05)

    threading.Thread(target=watch, daemon=True).start()
    try:
        start = time.perf_counter()
        report = import_feed(db, "XML Merchant", feed.format, feed)
        seconds = time.perf_counter() - start
    finally:
        db.close()
        _remove_store(store)
    return {
        "parent_mib": _hwm_mib("self"),
        "child_mib": child_peak[0],
        "items": report.added,
        "seconds": seconds,
    }


def _hwm_mib(pid: int | str) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


if __name__ == "__main__":
    if sys.argv[1] == "xml-memory":
        print(json.dumps(_memory_child(Path(sys.argv[2]), Path(sys.argv[3]))), flush=True)
