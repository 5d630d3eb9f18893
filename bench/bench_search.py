"""Search figures on the 1M-product catalog: ranked top 100, type-ahead, facet counts.

Reuses the catalog ``bench_import`` leaves in ``ctx.cache["catalog_db"]``; without it, builds
one from ``bench.catalog_gen`` (20 merchants) with the real importer. Every figure is a p99
over at least 200 timed calls after a warm-up, cycling through several terms, measured on
``CatalogStore`` itself (what the UI and the CLI call), in-process, caches warm as in use.
The baseline is FTS5's own ``ORDER BY rank LIMIT 100`` (bm25 over every match) on "shirt".
"""

from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path

from bench.harness import BenchContext, Figure, percentile, summary, time_ms
from studio.core.catalog import SearchQuery, SortKey
from studio.store.catalog import CatalogStore
from studio.store.db import open_database

SAMPLES = 200
BASELINE_SAMPLES = 40  # bm25 over 300k+ matches takes ~0.2-0.5 s a call
MERCHANTS = 20
COMMON = ("shirt", "dress", "jacket", "black", "classic", "everyday")
FACET_QUERIES = (
    SearchQuery("shirt"),
    SearchQuery("shirt", merchants=frozenset({"Merchant 03", "Merchant 07"})),
    SearchQuery("shirt", on_sale=True),
    SearchQuery("shirt", price_bands=frozenset({0, 2})),
    SearchQuery("shirt", brands=frozenset({"Café Noir"}), sort=SortKey.PRICE_ASC),
)


def catalog_path(ctx: BenchContext) -> Path:
    """The import benchmark's catalog, else one built here (kept in the workdir for reruns)."""
    cached = ctx.cache.get("catalog_db")
    if isinstance(cached, str | Path) and Path(cached).exists():
        return Path(cached)
    from bench.catalog_gen import generate_records
    from studio.store.importer import import_feed

    path = ctx.workdir / f"search-catalog-{ctx.catalog_size}.sqlite3"
    if path.exists():
        return path
    ctx.workdir.mkdir(parents=True, exist_ok=True)
    scratch = path.with_suffix(".building")
    for leftover in (scratch, Path(f"{scratch}-wal"), Path(f"{scratch}-shm")):
        leftover.unlink(missing_ok=True)  # an interrupted earlier build
    db = open_database(scratch)
    try:
        per = ctx.catalog_size // MERCHANTS
        for m in range(MERCHANTS):
            # The importer stores the merchant it is given; one generator stream per merchant.
            records = generate_records(per, seed=7 + m, merchants=1)
            import_feed(db, f"Merchant {m:02d}", "generated", records)
    finally:
        db.close()
    scratch.rename(path)
    ctx.cache["catalog_db"] = path
    return path


def _rare_terms(db_path: Path, n: int) -> list[str]:
    """Model names (the last title word: ~50 matches each in 1M) of random products."""
    conn = sqlite3.connect(db_path)
    try:
        top = conn.execute("SELECT max(id) FROM products").fetchone()[0] or 1
        rng = random.Random(3)
        ids = [rng.randint(1, top) for _ in range(n * 2)]
        marks = ",".join("?" * len(ids))
        titles = [
            r[0] for r in conn.execute(f"SELECT title FROM products WHERE id IN ({marks})", ids)
        ]
    finally:
        conn.close()
    return [t.split()[-1] for t in titles if t.split()][:n]


def _cycle(
    store: CatalogStore, queries: list[SearchQuery], samples: int, call: str = "search"
) -> list[float]:
    fn = getattr(store, call)
    for q in queries:  # warm-up: columns loaded, pages cached, statements prepared
        fn(q)
    out: list[float] = []
    for i in range(samples):
        q = queries[i % len(queries)]
        start = time.perf_counter()
        fn(q)
        out.append((time.perf_counter() - start) * 1000)
    return out


def run(ctx: BenchContext) -> list[Figure]:
    path = catalog_path(ctx)
    samples = 20 if ctx.quick else SAMPLES
    db = open_database(path)
    store = CatalogStore(db)
    try:
        start = time.perf_counter()
        total = store.search(SearchQuery(limit=1)).total
        load_ms = (time.perf_counter() - start) * 1000
        common = _cycle(store, [SearchQuery(t, limit=100) for t in COMMON], samples)
        rare_terms = _rare_terms(path, 40)
        rare = _cycle(store, [SearchQuery(t, limit=100) for t in rare_terms], samples)
        words = (
            "shirt",
            "sneakers",
            "black",
            "classic",
            "navy",
            "burgundy",
            "hoodie",
            "candle",
            "wallet",
            "mustard",
            "everyday",
            "crème",
            "teapot",
            "linen",
        )
        prefixes = sorted({w[:k] for w in words for k in (2, 3)})
        typeahead = _cycle(store, [SearchQuery(p, limit=100) for p in prefixes], samples)
        facets = _cycle(store, list(FACET_QUERIES), samples, "facets")
        shirts = store.search(SearchQuery("shirt")).total
        with db.connect() as conn:
            sql = (
                "SELECT rowid FROM product_fts WHERE product_fts MATCH 'shirt' "
                "ORDER BY rank LIMIT 100"
            )
            baseline = time_ms(
                lambda: conn.execute(sql).fetchall(), 5 if ctx.quick else BASELINE_SAMPLES
            )
    finally:
        db.close()
    note = f"{total:,} products; columns loaded in {load_ms:.0f} ms"
    return [
        Figure(
            "search: ranked top 100, common terms (p99)",
            percentile(common, 99),
            "ms",
            20,
            baseline=percentile(baseline, 99),
            note=f"{', '.join(COMMON)}; {summary(common)}; totals over 50,000 estimated "
            f"(SearchResult.exact=False); baseline = FTS5 ORDER BY rank on 'shirt' "
            f"({summary(baseline)}); {note}",
        ),
        Figure(
            "search: ranked top 100, rare terms (p99)",
            percentile(rare, 99),
            "ms",
            20,
            note=f"{len(rare_terms)} model names; {summary(rare)}",
        ),
        Figure(
            "search: type-ahead 2-3 letter prefix, top 100 (p99)",
            percentile(typeahead, 99),
            "ms",
            10,
            note=f"{len(prefixes)} prefixes; {summary(typeahead)}",
        ),
        Figure(
            f"search: facet counts, {shirts:,} matches (p99)",
            percentile(facets, 99),
            "ms",
            100,
            note=f"'shirt' with {len(FACET_QUERIES)} filter sets; {summary(facets)}",
        ),
    ]
