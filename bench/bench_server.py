"""The platform server's figures, against a real ``studio-server run`` on loopback (SQLite, or
PostgreSQL with ``VITRINE_BENCH_PG=postgresql+psycopg://...``):

- sign-in p99 beside its raw baseline, one argon2id verification at the server's cost (the
  issue asks that the sign-in be dominated by it);
- authenticated ``GET /v1/me`` p99 with 200 requests in flight (target < 10 ms); baseline:
  the same requests one at a time;
- the catalog delivered: every page of ``GET /v1/catalog/changes`` (gzip) for the generated
  catalog, in products per second; baseline: the same payloads read straight from the
  database (no HTTP, no JSON framing, no gzip).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bench.catalog_gen import generate_records
from bench.harness import REPO, BenchContext, Figure, percentile
from studio.server.security import Passwords
from studio.server.settings import PasswordCost

EMAIL, PASSWORD = "bench@vitrine.invalid", "bench password 2026"
IN_FLIGHT = 200


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
    from sqlalchemy import select

    from studio.server.db import Database
    from studio.server.models import Product

    db = Database(url)
    started = time.perf_counter()
    with db.read() as s:
        count = sum(len(p) > 0 for p in s.scalars(select(Product.payload).order_by(Product.seq)))
    elapsed = time.perf_counter() - started
    db.dispose()
    return count / elapsed


async def _concurrent_p99(base: str, headers: dict[str, str], total: int) -> list[float]:
    limits = httpx.Limits(max_connections=IN_FLIGHT, max_keepalive_connections=IN_FLIGHT)
    gate = asyncio.Semaphore(IN_FLIGHT)
    samples: list[float] = []
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:

        async def one() -> None:
            async with gate:
                started = time.perf_counter()
                r = await client.get("/v1/me", headers=headers)
                samples.append((time.perf_counter() - started) * 1000)
                r.raise_for_status()

        await asyncio.gather(*(one() for _ in range(total)))
    return samples


def run(ctx: BenchContext) -> list[Figure]:
    n = 20_000 if ctx.quick else min(ctx.catalog_size, 200_000)
    work = ctx.workdir / "server"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    url = os.environ.get("VITRINE_BENCH_PG") or f"sqlite:///{work / 'platform.sqlite3'}"
    engine = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    _seed(work, url, n)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = (work / "server.log").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "studio.server.app",
            "run",
            "--port",
            str(port),
            "--data",
            str(work),
            "--db",
            url,
        ],
        env=dict(os.environ, PYTHONPATH=str(REPO)),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{base}/v1/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        with httpx.Client(base_url=base, timeout=120) as client:
            body = {"email": EMAIL, "password": PASSWORD, "device_name": "bench"}
            sign_ins = []
            for _ in range(5 if ctx.quick else 20):
                started = time.perf_counter()
                r = client.post("/v1/sessions", json=body)
                sign_ins.append((time.perf_counter() - started) * 1000)
                r.raise_for_status()
            headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
            serial = []
            for _ in range(200):
                started = time.perf_counter()
                client.get("/v1/me", headers=headers).raise_for_status()
                serial.append((time.perf_counter() - started) * 1000)
            started, cursor, delivered = time.perf_counter(), 0, 0
            while True:
                page = client.get(
                    f"/v1/catalog/changes?after={cursor}&limit=10000",
                    headers={**headers, "Accept-Encoding": "gzip"},
                ).json()
                delivered += len(page["changes"])
                cursor = page["cursor"]
                if not page["more"]:
                    break
            per_s = delivered / (time.perf_counter() - started)
        concurrent = asyncio.run(_concurrent_p99(base, headers, 400 if ctx.quick else 4000))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
    passwords = Passwords(PasswordCost())
    stored = passwords.hash(PASSWORD)
    argon = []
    for _ in range(5):
        started = time.perf_counter()
        passwords.verify(stored, PASSWORD)
        argon.append((time.perf_counter() - started) * 1000)
    argon_ms = percentile(argon, 50)
    raw = _raw_payloads_per_s(url)
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
            percentile(concurrent, 99),
            "ms",
            10.0,
            baseline=percentile(serial, 99),
            note=f"median {percentile(concurrent, 50):.1f} ms; baseline: one at a time (p99)",
        ),
        Figure(
            f"catalog delivered by the server, {n:,} products ({engine})",
            per_s,
            "products/s",
            0.3 * raw,
            lower_is_better=False,
            baseline=raw,
            note="pages of 10,000 with gzip over loopback; baseline: the payloads read raw",
        ),
    ]
