"""The platform server's figures, against real ``studio-server run`` processes on loopback, on
SQLite AND on PostgreSQL (``VITRINE_BENCH_PG=postgresql+psycopg://...``, else a throw-away
cluster started by the server suite's ``tests/server/pgcluster.py``; ``VITRINE_BENCH_PG=off``
skips it). Per engine, each beside its raw baseline measured in the same run:

- sign-in p99 beside one argon2id verification at the server's cost (the issue asks that
  the sign-in be dominated by it);
- authenticated ``GET /v1/me`` p99 with 200 requests truly in flight (``bench.loadgen``:
  200 keep-alive connections, each sending its next request when its answer is read, one
  warm-up request per connection excluded), the server run with ``--workers`` = the cores
  (at most 2); baseline: the same requests one at a time. The note gives the median, the
  requests per second, and the floor that rate sets: by Little's law 200 in flight wait
  200 / (requests per second) on average, so p99 < 10 ms needs > 20,000 requests/s;
- the catalog delivered: every page of ``GET /v1/catalog/changes`` (limit 10,000, gzip) for
  the generated catalog, in products per second, the client only gunzipping and reading the
  cursor (parsing 10,000 products is the studio's cost, bench_platform's figure, not the
  server's); baseline: the same payloads read straight from the database by its driver.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from bench.catalog_gen import generate_records
from bench.harness import REPO, BenchContext, Figure, percentile
from bench.loadgen import run_closed_loop
from studio.server.security import Passwords
from studio.server.settings import PasswordCost

EMAIL, PASSWORD = "bench@vitrine.invalid", "bench password 2026"
IN_FLIGHT = 200
ENV_PG = "VITRINE_BENCH_PG"
_TAIL = re.compile(rb'"cursor":(\d+),"more":(true|false)\}$')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _cli(data: Path, url: str, *args: str) -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO), VITRINE_PASSWORD=PASSWORD)
    subprocess.run(
        [sys.executable, "-m", "studio.server.app", *args, "--data", str(data), "--db", url],
        env=env,
        check=True,
        capture_output=True,
    )


def _seed(data: Path, url: str, n: int) -> None:
    from decimal import Decimal

    from studio.server import catalog
    from studio.server.db import Database

    _cli(data, url, "users", "add", "--email", EMAIL, "--handle", "bench")
    db = Database(url)
    db.migrate()
    by_merchant: dict[str, list[object]] = {}
    for record in generate_records(n, merchants=4):
        by_merchant.setdefault(record.merchant, []).append(record)
    for name, records in by_merchant.items():
        with db.write() as s:
            merchant, _secret = catalog.add_merchant(s, name, Decimal("0.08"))
            catalog.ingest(s, merchant, "generated", records)  # type: ignore[arg-type]
    db.dispose()


def _raw_payloads_per_s(url: str) -> float:
    """The payloads in seq order, in batches of 10,000, by the driver's own cursor (the best
    of three passes, as the delivery is)."""
    from studio.server.db import Database

    db = Database(url)
    conn = db.reader.raw_connection()
    best = 0.0
    try:
        for _ in range(3):
            started, count = time.perf_counter(), 0
            cursor = conn.cursor()
            cursor.execute("SELECT payload FROM products ORDER BY seq")
            while batch := cursor.fetchmany(10_000):
                count += sum(len(p) > 0 for (p,) in batch)
            cursor.close()
            best = max(best, count / (time.perf_counter() - started))
    finally:
        conn.close()
        db.dispose()
    return best


@contextmanager
def _server(work: Path, url: str, workers: int) -> Iterator[int]:
    """``studio-server run --workers N`` on a free port; its output in ``server.log``."""
    port = _free_port()
    args = ["run", "--port", str(port), "--data", str(work), "--db", url]
    with (work / "server.log").open("ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "studio.server.app", *args, "--workers", str(workers)],
            env=dict(os.environ, PYTHONPATH=str(REPO)),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        for _ in range(600):
            if proc.poll() is not None:
                raise RuntimeError(f"the server exited; see {work / 'server.log'}")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/v1/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _delivered_per_s(client: httpx.Client, headers: dict[str, str]) -> float:
    """Every page with gzip: the client reads the bytes, gunzips them and finds the cursor."""
    started, cursor, delivered = time.perf_counter(), 0, 0
    while True:
        with client.stream(
            "GET",
            f"/v1/catalog/changes?after={cursor}&limit=10000",
            headers={**headers, "Accept-Encoding": "gzip"},
        ) as r:
            r.raise_for_status()
            raw = b"".join(r.iter_raw())
        body = zlib.decompress(raw, 31) if r.headers.get("content-encoding") == "gzip" else raw
        found = _TAIL.search(body, max(0, len(body) - 100))  # the page ends with them
        assert found is not None, body[-200:]
        delivered += body.count(b'{"seq":')
        cursor = int(found.group(1))
        if found.group(2) == b"false":
            return delivered / (time.perf_counter() - started)


def _engine_figures(ctx: BenchContext, engine: str, url: str, work: Path) -> list[Figure]:
    n = 20_000 if ctx.quick else min(ctx.catalog_size, 200_000)
    _seed(work, url, n)
    workers = min(2, os.cpu_count() or 1)
    with (
        _server(work, url, workers) as port,
        httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client,
    ):
        body = {"email": EMAIL, "password": PASSWORD, "device_name": "bench"}
        sign_ins = []
        for _ in range(5 if ctx.quick else 20):
            started = time.perf_counter()
            r = client.post("/v1/sessions", json=body)
            sign_ins.append((time.perf_counter() - started) * 1000)
            r.raise_for_status()
        headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
        pairs = list(headers.items())
        serial = run_closed_loop("127.0.0.1", port, "/v1/me", pairs, in_flight=1, total=300)
        loaded = run_closed_loop(
            "127.0.0.1",
            port,
            "/v1/me",
            pairs,
            in_flight=IN_FLIGHT,
            total=1000 if ctx.quick else 6000,
        )
        if loaded.errors or set(loaded.statuses) != {200}:
            raise RuntimeError(f"{loaded.statuses} {loaded.errors[:3]}")
        per_s = max(_delivered_per_s(client, headers) for _ in range(3))
    passwords = Passwords(PasswordCost())
    stored = passwords.hash(PASSWORD)
    argon = []
    for _ in range(5):
        started = time.perf_counter()
        passwords.verify(stored, PASSWORD)
        argon.append((time.perf_counter() - started) * 1000)
    argon_ms = percentile(argon, 50)
    raw = _raw_payloads_per_s(url)
    rate = loaded.per_second
    client_ms = loaded.client_cpu_seconds / len(loaded.samples_ms) * 1000
    return [
        Figure(
            f"sign-in p99 ({engine})",
            percentile(sign_ins, 99),
            "ms",
            argon_ms * 2,
            baseline=argon_ms,
            note="target: at most twice one argon2id verification (m=64 MiB, t=3, p=4)",
        ),
        Figure(
            f"authenticated GET p99, {IN_FLIGHT} in flight ({engine})",
            percentile(loaded.samples_ms, 99),
            "ms",
            10.0,
            baseline=percentile(serial.samples_ms, 99),
            note=(
                f"{workers} server processes; median {percentile(loaded.samples_ms, 50):.1f} ms, "
                f"{rate:.0f} requests/s, so by Little's law a mean of "
                f"{IN_FLIGHT / rate * 1000:.0f} ms at {IN_FLIGHT} in flight; load client "
                f"{client_ms:.2f} ms CPU per request; baseline: one at a time (p99, "
                f"{serial.per_second:.0f} requests/s)"
            ),
        ),
        Figure(
            f"catalog delivered by the server, {n:,} products ({engine})",
            per_s,
            "products/s",
            0.3 * raw,
            lower_is_better=False,
            baseline=raw,
            note="pages of 10,000 with gzip over loopback, gunzipped, not parsed (best of 3); "
            "baseline: the payloads read by the database driver (best of 3)",
        ),
    ]


@contextmanager
def _postgres() -> Iterator[str | None]:
    """A PostgreSQL database URL for the bench, or None when there is none to use."""
    wanted = os.environ.get(ENV_PG)
    if wanted == "off":
        yield None
        return
    sys.path.insert(0, str(REPO / "tests" / "server"))
    from pgcluster import Cluster, new_pg_database

    if wanted:
        yield new_pg_database(wanted)
        return
    cluster = Cluster().start()
    try:
        yield new_pg_database(cluster.url())
    finally:
        cluster.stop()


def run(ctx: BenchContext) -> list[Figure]:
    figures: list[Figure] = []
    base = ctx.workdir / "server"
    shutil.rmtree(base, ignore_errors=True)
    sqlite_work = base / "sqlite"
    sqlite_work.mkdir(parents=True)
    figures += _engine_figures(ctx, "SQLite", f"sqlite:///{sqlite_work / 'p.sqlite3'}", sqlite_work)
    try:
        with _postgres() as url:
            if url is not None:
                pg_work = base / "postgresql"
                pg_work.mkdir(parents=True)
                figures += _engine_figures(ctx, "PostgreSQL", url, pg_work)
    except Exception as exc:  # no PostgreSQL here: a failed row says why, SQLite's stay
        reason = f"{type(exc).__name__}: {exc}".replace("\n", " ")[:300]
        figures.append(
            Figure("server on PostgreSQL: FAILED", 0.0, "error", 1.0, False, note=reason)
        )
    return figures
