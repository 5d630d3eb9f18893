"""The platform catalog's figure: one page of 10,000 products applied in the studio's store.

``studio.store.platform_apply.apply_page`` writes a page of the platform's changes and its
cursor in one catalog transaction (merchant lookups, the stored state of the page's offers,
``executemany`` of the rows, the full-text index once per page). Pages of 10,000 new products
are applied one after the other onto a catalog that grows with them (as a fresh studio's first
update does); the figure is the median page.

* figure: median milliseconds per 10,000-product page; target 150 ms (issue 13).
* raw baseline: the same rows, already converted, written by a bare ``executemany`` into the
  same products table of a fresh catalog (no lookups, no index, no cursor), per page.

``--quick`` applies 5 pages instead of 20. The figure "1M products delivered from server to a
fresh studio" needs a running server and is not measured here.
"""

from __future__ import annotations

import shutil
import statistics
import time
from decimal import Decimal

from bench.catalog_gen import generate_records
from bench.harness import BenchContext, Figure
from studio.protocol.catalog_wire import Change, ChangesPage
from studio.services.workspace import open_workspace
from studio.store.import_values import FieldMaker, content_hash
from studio.store.platform_apply import _INSERT
from studio.system.paths import resolve_paths

PAGE = 10_000
TARGET_MS = 150.0
SERVER = "http://127.0.0.1:8750"


def _pages(count: int) -> list[ChangesPage]:
    records = list(generate_records(PAGE * count, seed=5, merchants=4))
    rate = Decimal("0.08")
    pages = []
    for k in range(count):
        chunk = records[k * PAGE : (k + 1) * PAGE]
        changes = tuple(
            Change(k * PAGE + i + 1, r.merchant, r.offer_id, True, rate, r)
            for i, r in enumerate(chunk)
        )
        pages.append(ChangesPage(changes, (k + 1) * PAGE, k + 1 < count))
    return pages


def run(ctx: BenchContext) -> list[Figure]:
    count = 5 if ctx.quick else 20
    pages = _pages(count)
    home = ctx.workdir / "platform-home"
    shutil.rmtree(home, ignore_errors=True)
    with open_workspace(resolve_paths(home).ensure()) as ws:
        timings = []
        for page in pages:
            started = time.perf_counter()
            ws.catalog.apply_platform_page(SERVER, page.cursor - PAGE, page)
            timings.append((time.perf_counter() - started) * 1000)
    shutil.rmtree(home, ignore_errors=True)

    raw_home = ctx.workdir / "platform-raw"
    shutil.rmtree(raw_home, ignore_errors=True)
    with open_workspace(resolve_paths(raw_home).ensure()) as ws, ws.db.catalog_db.connect() as conn:
        conn.execute("BEGIN IMMEDIATE")
        merchant = conn.execute(
            "INSERT INTO merchants (name, source) VALUES ('raw', 'platform') RETURNING id"
        ).fetchone()[0]
        run_id = conn.execute(
            "INSERT INTO imports (merchant_id, format, started_at, added, updated, unchanged, "
            "marked_unavailable, rejected) VALUES (?, 'raw', '', 0, 0, 0, 0, 0) RETURNING id",
            (merchant,),
        ).fetchone()[0]
        fields = FieldMaker(conn).fields
        rows = []
        for n, change in enumerate(c for p in pages for c in p.changes):
            assert change.product is not None
            f = fields(change.product)
            rows.append((n + 1, merchant, f"{change.merchant}/{change.offer_id}", *f))
            rows[-1] += (content_hash(f), run_id, "", 80000)
        raw = []
        for k in range(count):
            started = time.perf_counter()
            conn.executemany(_INSERT, rows[k * PAGE : (k + 1) * PAGE])
            raw.append((time.perf_counter() - started) * 1000)
        conn.execute("ROLLBACK")
    shutil.rmtree(raw_home, ignore_errors=True)

    return [
        Figure(
            "platform page of 10k products applied",
            statistics.median(timings),
            "ms",
            TARGET_MS,
            baseline=statistics.median(raw),
            note=f"median of {count} pages onto a growing catalog; max {max(timings):.0f} ms",
        )
    ]
