"""The platform catalog's figures: a page of 10,000 products applied in the studio's store, and
a million products delivered from a real server to a fresh studio.

``studio.store.platform_apply.apply_page`` writes a page of the platform's changes and its
cursor in one catalog transaction (merchant lookups, the stored state of the page's offers,
``executemany`` of the rows, the full-text index once per page). Pages of 10,000 new products
are applied one after the other onto a catalog that grows with them (as a fresh studio's first
update does); the figure is the median page.

* figure: median milliseconds per 10,000-product page; target 150 ms (issue 13).
* raw baseline: the same rows, already converted, written by a bare ``executemany`` into the
  same products table of a fresh catalog (no lookups, no index, no cursor), per page. The note
  adds the floor of any apply: those rows, their full-text index statement and the commit.

``--quick`` applies 5 pages instead of 20.

"1M products delivered from server to a fresh studio" (``delivered``): a real ``studio-server
run`` process on loopback (``bench.platform_server``) with the bench's 1M-item Google feed
ingested (100k with ``--quick``), then a fresh studio workspace's
``PlatformService.update_catalog``, timed end to end (fetching, decoding, applying, indexing).

* figure: products per second end to end; target 0.3x the raw baseline's rate (issue 13).
* raw baseline: the same pages' bytes, fetched once beforehand and kept in memory as they came
  over the wire, decompressed, ``json.loads``-ed and written by a bare ``executemany`` into the
  products table of a fresh catalog, one transaction per page (no lookups, no index, no hash).
"""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench import platform_server
from bench.bench_import import _feed
from bench.catalog_gen import generate_records
from bench.harness import BenchContext, Figure
from studio.protocol.catalog_wire import Change, ChangesPage
from studio.services.workspace import open_workspace
from studio.store.codes import AVAILABILITY_CODES
from studio.store.import_sql import FILL_FTS_RANGE
from studio.store.import_values import FieldMaker, content_hash
from studio.store.platform_apply import _INSERT
from studio.system.paths import resolve_paths

PAGE = 10_000
TARGET_MS = 150.0
SERVER = "http://127.0.0.1:8750"
DELIVERED_RATIO = 0.3  # of the raw baseline's rate (issue 13)
MERCHANT = "Bench Merchant"
_CODE = {v: i for i, v in enumerate(AVAILABILITY_CODES)}


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


def page_applied(ctx: BenchContext, scratch: Path) -> Figure:
    """A 10,000-product page applied: median over pages onto a growing catalog."""
    count = 5 if ctx.quick else 20
    pages = _pages(count)
    with open_workspace(resolve_paths(scratch / "platform-home").ensure()) as ws:
        timings = []
        for page in pages:
            started = time.perf_counter()
            ws.catalog.apply_platform_page(SERVER, page.cursor - PAGE, page)
            timings.append((time.perf_counter() - started) * 1000)

    raw_home = scratch / "platform-raw"
    with open_workspace(resolve_paths(raw_home).ensure()) as ws, ws.db.catalog_db.connect() as conn:
        conn.execute("BEGIN IMMEDIATE")
        merchant, run_id = _raw_merchant(conn)
        fields = FieldMaker(conn).fields
        rows = []
        for n, change in enumerate(c for p in pages for c in p.changes):
            assert change.product is not None
            f = fields(change.product)
            rows.append((n + 1, merchant, f"{change.merchant}/{change.offer_id}", *f))
            rows[-1] += (content_hash(f), run_id, "", 80000)
        conn.execute("COMMIT")
        raw, indexed = [], []
        for k in range(count):
            conn.execute("BEGIN IMMEDIATE")
            started = time.perf_counter()
            conn.executemany(_INSERT, rows[k * PAGE : (k + 1) * PAGE])
            raw.append((time.perf_counter() - started) * 1000)
            # What no apply can skip: the same rows, their full-text index, the commit.
            conn.execute(FILL_FTS_RANGE, (k * PAGE + 1, (k + 1) * PAGE))
            conn.execute("COMMIT")
            indexed.append((time.perf_counter() - started) * 1000)

    return Figure(
        "platform page of 10k products applied",
        statistics.median(timings),
        "ms",
        TARGET_MS,
        baseline=statistics.median(raw),
        note=f"median of {count} pages onto a growing catalog; max {max(timings):.0f} ms; "
        f"the raw rows with their full-text index and commit: {statistics.median(indexed):.0f} ms",
    )


def _ours(url: str, home: Path) -> tuple[float, int, int]:
    """A fresh studio signed in to ``url``, its whole catalog updated: (seconds, products,
    pages); the sign-in is not timed."""
    import keyring.backends.fail

    from studio.services.platform import PlatformService
    from studio.sync.tokens import TokenStore

    paths = resolve_paths(home).ensure()
    # No keyring on a bench machine: the tokens stay in memory (the notice is not printed).
    tokens = TokenStore(backend=keyring.backends.fail.Keyring(), on_notice=lambda _: None)
    service = PlatformService(paths, tokens=tokens)
    service.sign_in(url, platform_server.EMAIL, platform_server.PASSWORD, "bench")
    with open_workspace(paths) as ws:
        started = time.perf_counter()
        report = service.update_catalog(ws)
        seconds = time.perf_counter() - started
    return seconds, report.upserts, report.pages


def _wire_pages(url: str, limit: int) -> tuple[list[tuple[bytes, str]], str]:
    """Every page of the catalog as the server sent it (body bytes, Content-Encoding), asked
    for as the studio asks (the same Accept-Encoding); and that Accept-Encoding."""
    import keyring.backends.fail

    from studio.sync.client import PlatformClient
    from studio.sync.http import Transport
    from studio.sync.tokens import TokenStore

    transport = Transport(url)
    session = transport.session
    asked = dict(session.headers)
    tokens = TokenStore(backend=keyring.backends.fail.Keyring(), on_notice=lambda _: None)
    asked.update(PlatformClient(url, tokens, transport).page_headers or {})
    signed = session.post(
        f"{url}/v1/sessions",
        json={
            "email": platform_server.EMAIL,
            "password": platform_server.PASSWORD,
            "device_name": "raw",
        },
        timeout=60,
    ).json()
    headers = {**asked, "Authorization": f"Bearer {signed['access_token']}"}
    accept = str(asked.get("Accept-Encoding", ""))
    pages, after = [], 0
    while True:
        with session.get(
            f"{url}/v1/catalog/changes",
            params={"after": after, "limit": limit},
            headers=headers,
            stream=True,
            timeout=120,
        ) as response:
            response.raise_for_status()
            body = response.raw.read(decode_content=False)
            encoding = response.headers.get("Content-Encoding", "identity")
        pages.append((body, encoding))
        page = json.loads(gzip.decompress(body) if encoding == "gzip" else body)
        if not page["more"]:
            break
        after = page["cursor"]
    transport.close()
    return pages, accept


def _raw_merchant(conn: sqlite3.Connection) -> tuple[int, int]:
    """The raw baselines' merchant and import run (ids), made in the open transaction."""
    merchant = conn.execute(
        "INSERT INTO merchants (name, source) VALUES ('raw', 'platform') RETURNING id"
    ).fetchone()[0]
    run_id = conn.execute(
        "INSERT INTO imports (merchant_id, format, started_at, added, updated, unchanged, "
        "marked_unavailable, rejected) VALUES (?, 'raw', '', 0, 0, 0, 0, 0) RETURNING id",
        (merchant,),
    ).fetchone()[0]
    return int(merchant), int(run_id)


def _raw_row(n: int, merchant: int, run_id: int, change: dict[str, Any]) -> tuple[Any, ...]:
    p = change["product"]
    price, sale = p["price"] or {}, p["sale_price"] or {}
    images = p["additional_images"]
    return (
        n,
        merchant,
        change["offer_id"],
        p["item_group_id"],
        p["title"],
        p["description"],
        p["link"],
        p["image_link"],
        json.dumps(images) if images else None,
        price.get("currency") or sale.get("currency"),
        price.get("amount_minor"),
        sale.get("amount_minor"),
        p["sale_start"],
        p["sale_end"],
        _CODE[p["availability"]],
        p["availability_date"],
        p["condition"],
        None,
        None,
        p["gtin"],
        p["mpn"],
        p["google_category"],
        p["product_type"],
        p["color"],
        p["size"],
        p["gender"],
        p["age_group"],
        p["material"],
        json.dumps(p["extra"]) if p["extra"] else None,
        0,
        run_id,
        "",
        80000,
    )


def _raw(pages: list[tuple[bytes, str]], home: Path) -> tuple[float, int]:
    """The raw baseline (see the module docstring): (seconds, products)."""
    n = 0
    with open_workspace(resolve_paths(home).ensure()) as ws, ws.db.catalog_db.connect() as conn:
        conn.execute("BEGIN IMMEDIATE")
        merchant, run_id = _raw_merchant(conn)
        conn.execute("COMMIT")
        started = time.perf_counter()
        for body, encoding in pages:
            page = json.loads(gzip.decompress(body) if encoding == "gzip" else body)
            rows = [_raw_row(n + i + 1, merchant, run_id, c) for i, c in enumerate(page["changes"])]
            n += len(rows)
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(_INSERT, rows)
            conn.execute("COMMIT")
        seconds = time.perf_counter() - started
    return seconds, n


def delivered(ctx: BenchContext, scratch: Path) -> Figure:
    """1M products from a real server into a fresh studio (see the module docstring)."""
    from studio.sync.client import PAGE_LIMIT

    n = 100_000 if ctx.quick else ctx.catalog_size
    feed = _feed(ctx.workdir, n)  # bench_import's generated feed, made once and kept
    data = scratch / "server"
    started = time.perf_counter()
    platform_server.seed(data, feed, MERCHANT)
    ingest_s = time.perf_counter() - started
    server = platform_server.start(data)
    try:
        ours_s, products, pages = _ours(server.url, scratch / "studio")
        wire, accept = _wire_pages(server.url, PAGE_LIMIT)
    finally:
        platform_server.stop(server)
    raw_s, raw_n = _raw(wire, scratch / "raw")
    size = sum(len(body) for body, _ in wire)
    del wire
    label = f"{n // 1000}k" if n < 1_000_000 else f"{n / 1e6:g}M"
    return Figure(
        f"platform: {label} products delivered to a fresh studio",
        products / ours_s,
        "rows/s",
        DELIVERED_RATIO * raw_n / raw_s,
        lower_is_better=False,
        baseline=raw_n / raw_s,
        note=f"{ours_s:.1f} s end to end ({pages} pages of {PAGE_LIMIT}, Accept-Encoding "
        f"{accept or 'none'}: {size / 2**20:.0f} MiB on the wire); raw decode + executemany "
        f"of the same bytes {raw_s:.1f} s; server ingest {ingest_s:.0f} s (not timed)",
    )


def run(ctx: BenchContext) -> list[Figure]:
    # Scratch of this module's own, never the shared bench/.data other runs may be reading.
    scratch = Path(tempfile.mkdtemp(prefix="vitrine-bench-platform-"))
    try:
        return [page_applied(ctx, scratch), delivered(ctx, scratch)]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
