"""Search figures on the 1M-product catalog: every query shape against raw FTS5, facets, and
a one-shot ``studio search`` process.

Reuses the store ``bench_import`` leaves (``ctx.cache["catalog_db"]``, or its file from an
earlier run); without it, builds one from ``bench.catalog_gen`` (20 merchants) with the real
importer. The store is a content file with its catalog in a file of its own beside it
(``studio.store.db``): the search and every raw baseline read the catalog file.

**Query shapes.** Each shape is a few queries typed as a user types them (the last word a
prefix): a common word, a rare word (a model name, ~50 matches), a nonsense word (none), a
2-letter prefix, a 3+ letter prefix, several words, a pasted 200-character title and
description. Each is timed on ``CatalogStore.search`` itself (what the UI and the CLI call),
in-process, caches warm as in use, twice: with ``limit=100`` (type-ahead, pickers, the CLI)
and without a limit (the grid: the count and the ranked head at once, the rest of the order
made on first need; how long that takes in the grid's worker is in the note). Its raw
baseline is FTS5 given the very MATCH expression the engine runs: ``ORDER BY rank LIMIT 100``
for the first, ``ORDER BY rank`` (every match ranked) for the grid, each call alternating
with ours so both see the same machine. A figure's value is our p99 (target 20 ms, prefixes
10 ms) beside the raw p99; "search: slowest shape vs raw FTS5" is the worst ratio of medians
over all shapes (target 1.5x). Raw calls slower than a second are sampled a few times only.

**Facets**: p99 of the facet counts of 'shirt' with five filter sets.

**One-shot**: wall time of a fresh ``studio search QUERY --limit 20 --json`` process on the
catalog (median over several queries; target 300 ms), against a bare ``python -c`` process
that opens the file with ``sqlite3`` and runs the same FTS5 MATCH.
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.harness import REPO, BenchContext, Figure, percentile, summary
from studio.core.catalog import SearchQuery, SortKey, price_band
from studio.store.catalog import CatalogStore
from studio.store.db import Database, catalog_path, open_database
from studio.store.search import SearchEngine

SAMPLES = 200
RAW_BUDGET_S = 4.0  # per shape: raw FTS5 ranks every match of a common word in 1-4 s a call
MERCHANTS = 20
COMMON = ("shirt", "dress", "jacket", "black", "classic", "everyday")
WORDS = (
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
NONSENSE = ("zqxvjk", "qqzzkx", "xkwqzv", "vvqzjx", "jjkqxp")
MULTI = (
    "navy shirt",
    "black classic shirt",
    "slim jeans",
    "vintage leather",
    "organic cotton dress",
    "waterproof boots",
)
FACET_QUERIES = (
    SearchQuery("shirt"),
    SearchQuery("shirt", merchants=frozenset({"Merchant 03", "Merchant 07"})),
    SearchQuery("shirt", on_sale=True),
    # Bands are per currency (the facet's values): USD 0-25 and 50-100, as before but in one.
    SearchQuery("shirt", price_bands=frozenset({price_band("USD", 0), price_band("USD", 2)})),
    SearchQuery("shirt", brands=frozenset({"Café Noir"}), sort=SortKey.PRICE_ASC),
)
ONE_SHOT = ("shirt", "Vexlumin", "navy shi", "zqxvjk", "sh")


def store_path(ctx: BenchContext) -> Path:
    """The import benchmark's store (its content file; the catalog is beside it), else one
    built here (kept in the workdir for reruns)."""
    cached = ctx.cache.get("catalog_db")
    if isinstance(cached, str | Path) and catalog_path(Path(cached)).exists():
        return Path(cached)
    from bench.bench_import import catalog_file

    imported = catalog_file(ctx)  # the same records, left by an earlier `--only import`
    if catalog_path(imported).exists():
        ctx.cache["catalog_db"] = imported
        return imported
    from bench.catalog_gen import generate_records
    from studio.store.importer import import_feed

    path = ctx.workdir / f"search-catalog-{ctx.catalog_size}.sqlite3"
    if path.exists() and catalog_path(path).exists():
        return path
    ctx.workdir.mkdir(parents=True, exist_ok=True)
    scratch = path.with_suffix(".building")
    for name in (scratch, catalog_path(scratch)):
        for leftover in (name, Path(f"{name}-wal"), Path(f"{name}-shm")):
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
    catalog_path(scratch).rename(catalog_path(path))
    scratch.rename(path)  # last: the content file there says the store is whole
    ctx.cache["catalog_db"] = path
    return path


def _sample_rows(db_path: Path, n: int) -> list[tuple[str, str]]:
    """(title, description) of ``n`` random products."""
    conn = sqlite3.connect(db_path)
    try:
        top = conn.execute("SELECT max(id) FROM products").fetchone()[0] or 1
        rng = random.Random(3)
        ids = [rng.randint(1, top) for _ in range(n)]
        marks = ",".join("?" * len(ids))
        sql = f"SELECT title, description FROM products WHERE id IN ({marks})"
        return [(str(t), str(d)) for t, d in conn.execute(sql, ids)]
    finally:
        conn.close()


def shapes(db_path: Path) -> dict[str, list[str]]:
    """Query texts per shape, as typed (the last word a prefix)."""
    rows = _sample_rows(db_path, 60)
    models = [title.split()[-1] for title, _ in rows if title.split()][:40]
    pasted = [f"{title} {description}"[:200] for title, description in rows[:10]]
    return {
        "common word": list(COMMON),
        "rare word": models,
        "nonsense word": list(NONSENSE),
        "2-letter prefix": sorted({w[:2] for w in WORDS}),
        "3+ letter prefix": sorted({w[:k] for w in WORDS for k in (3, 4, 5) if len(w) > k}),
        "several words": list(MULTI),
        "200-character query": pasted,
    }


def _time(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


class Shape:
    """One shape's measurements: ours and raw FTS5 alternating, call by call."""

    def __init__(self, name: str, texts: list[str], limit: int | None) -> None:
        self.name, self.texts, self.limit = name, texts, limit
        self.ours: list[float] = []
        self.raw: list[float] = []
        self.totals: list[int] = []
        self.completions: list[float] = []

    def run(self, store: CatalogStore, db: Database, samples: int) -> None:
        """``db``: the catalog's own Database (its connection is the one the store uses)."""
        tail = "ORDER BY rank" + ("" if self.limit is None else f" LIMIT {self.limit}")
        sql = f"SELECT rowid FROM product_fts WHERE product_fts MATCH ? {tail}"
        engine = SearchEngine(db)  # the MATCH expression the store runs, for the baseline
        exprs = [engine.expression(t) or '""' for t in self.texts]
        with db.connect() as conn:
            queries = [SearchQuery(t, limit=self.limit) for t in self.texts]
            for q in queries:  # warm-up: pages cached, statements prepared, expansions known
                store.search(q)
            raw_spent = 0.0
            for i in range(samples):
                q, expr = queries[i % len(queries)], exprs[i % len(queries)]
                raw_too = raw_spent < RAW_BUDGET_S * 1000 or len(self.raw) < 3
                # The first of the two reads the query's pages for the second: take turns.
                if raw_too and i % 2:
                    self.raw.append(_time(lambda e=expr: conn.execute(sql, (e,)).fetchall()))
                start = time.perf_counter()
                result = store.search(q)
                self.ours.append((time.perf_counter() - start) * 1000)
                if raw_too and not i % 2:
                    self.raw.append(_time(lambda e=expr: conn.execute(sql, (e,)).fetchall()))
                if raw_too:
                    raw_spent += self.raw[-1]
                if i < len(queries):
                    self.totals.append(result.total)
                    complete = getattr(result.ids, "complete", None)
                    if complete is not None:
                        self.completions.append(_time(complete))

    def figure(self) -> Figure:
        prefix = "prefix" in self.name
        mode = "grid, no limit" if self.limit is None else f"top {self.limit}"
        ours, raw = statistics.median(self.ours), statistics.median(self.raw)
        done = (
            f"; rest of the order made on first need in {statistics.median(self.completions):.1f}"
            f" ms (median of {len(self.completions)})"
            if self.completions
            else ""
        )
        return Figure(
            f"search: {self.name}, {mode} (p99)",
            percentile(self.ours, 99),
            "ms",
            10 if prefix else 20,
            baseline=percentile(self.raw, 99),
            note=f"{len(self.texts)} queries, e.g. {self.texts[0][:40]!r}; ours "
            f"{summary(self.ours)}; raw FTS5 {summary(self.raw)}; median ratio "
            f"{ours / raw:.2f}x; matches {min(self.totals):,}-{max(self.totals):,}{done}",
        )


def one_shot(db_path: Path, exprs: dict[str, str], runs: int) -> tuple[list[float], list[float]]:
    """Wall ms of fresh `studio search` processes and of bare sqlite3 ones (the engine's
    MATCH expression, its first 20 rows, on the catalog file), alternating."""
    ours: list[float] = []
    raw: list[float] = []
    catalog_file = catalog_path(db_path)
    with tempfile.TemporaryDirectory(prefix="bench-one-shot-") as home:
        data = Path(home) / "data"
        data.mkdir()
        (data / "studio.sqlite3").symlink_to(db_path.resolve())
        (data / "catalog.sqlite3").symlink_to(catalog_file.resolve())
        for i in range(runs):
            query = ONE_SHOT[i % len(ONE_SHOT)]
            studio = [sys.executable, "-m", "studio.cli", "--home", home, "search", query]
            studio += ["--limit", "20", "--json"]
            bare = [
                sys.executable,
                "-c",
                "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                "print(c.execute('SELECT rowid FROM product_fts WHERE product_fts MATCH ? "
                "LIMIT 20', (sys.argv[2],)).fetchall())",
                str(catalog_file),
                exprs[query],
            ]
            for command, out in ((studio, ours), (bare, raw)):
                start = time.perf_counter()
                proc = subprocess.run(command, capture_output=True, cwd=REPO, check=False)
                out.append((time.perf_counter() - start) * 1000)
                if proc.returncode != 0:
                    raise RuntimeError(f"{command[:6]} failed: {proc.stderr[-1000:]!r}")
    return ours, raw


def run(ctx: BenchContext) -> list[Figure]:
    path = store_path(ctx)
    samples = 20 if ctx.quick else SAMPLES
    db = open_database(path)
    store = CatalogStore(db)
    catalog = db.catalog_db  # where the store searches; the raw baselines read it too
    figures: list[Figure] = []
    ratios: list[tuple[float, str]] = []
    try:
        total = store.product_count()
        for name, texts in shapes(catalog.path).items():
            for limit in (100, None):
                shape = Shape(name, texts, limit)
                shape.run(store, catalog, samples)
                figures.append(shape.figure())
                ratio = statistics.median(shape.ours) / statistics.median(shape.raw)
                ratios.append((ratio, f"{name} {'top 100' if limit else 'grid'}"))
        started = time.perf_counter()
        store.facets(FACET_QUERIES[0])
        load_ms = (time.perf_counter() - started) * 1000
        facets = [_time(lambda q=q: store.facets(q)) for q in FACET_QUERIES * (samples // 5)]
        shirts = store.search(SearchQuery("shirt")).total
        exprs = {q: SearchEngine(catalog).expression(q) or '""' for q in ONE_SHOT}
    finally:
        db.close()
    worst, which = max(ratios)
    figures.append(
        Figure(
            "search: slowest shape vs raw FTS5 (ratio of medians)",
            worst,
            "x",
            1.5,
            note=f"worst: {which}; "
            + ", ".join(f"{label} {r:.2f}x" for r, label in sorted(ratios, reverse=True)),
        )
    )
    figures.append(
        Figure(
            f"search: facet counts, {shirts:,} matches (p99)",
            percentile(facets, 99),
            "ms",
            100,
            note=f"'shirt' with {len(FACET_QUERIES)} filter sets; {summary(facets)}; "
            f"{total:,} products; the first facet query loaded the columns in {load_ms:.0f} ms",
        )
    )
    ours, raw = one_shot(path, exprs, 5 if ctx.quick else 15)
    figures.append(
        Figure(
            "search: one-shot `studio search` process, wall",
            statistics.median(ours),
            "ms",
            300,
            baseline=statistics.median(raw),
            note=f"{', '.join(ONE_SHOT)} with --limit 20 --json, fresh process each; ours "
            f"{summary(ours)} max={max(ours):.0f}; bare python + sqlite3 FTS5 MATCH "
            f"{summary(raw)}",
        )
    )
    return figures
