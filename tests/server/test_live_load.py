"""``studio-server run --workers 2`` as real processes on loopback, under load: 200 requests in
flight are all answered (none refused, none dropped), by stateless workers that share one
database; and an authenticated GET never waits for a write lock, even when its device's
``last_seen_at`` is due and another transaction holds the lock (SQLite's database lock, a
PostgreSQL row lock). No timing is asserted: a request that waited would time out."""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
import sqlalchemy
from pgcluster import new_pg_database
from serverhelp import PASSWORD

from bench import platform_server
from bench.loadgen import run_closed_loop
from studio.server.accounts import now_utc
from studio.server.db import Database
from studio.server.models import Device

READY_TRIES = 600  # 0.2 s apart: a bound for a cold start on a loaded machine, not a timing
# A GET that waited for the lock would wait SQLite's 30 s busy timeout (or forever on a
# PostgreSQL row lock); one that did not answers in milliseconds. The gap is the test.
NO_WAIT = 15.0


@dataclass
class Running:
    base: str
    port: int
    url: str
    log: Path


@pytest.fixture(scope="module")
def workers(
    tmp_path_factory: pytest.TempPathFactory, pg_admin_url: str | None
) -> Iterator[Running]:
    folder = tmp_path_factory.mktemp("workers")
    url = new_pg_database(pg_admin_url) if pg_admin_url else f"sqlite:///{folder / 'p.sqlite3'}"
    try:
        server = platform_server.start(folder, "--workers", "2", "--db", url)
    except RuntimeError as exc:
        pytest.fail(str(exc))
    base, log = server.url, server.log
    port = int(base.rsplit(":", 1)[1])
    try:
        yield Running(base, port, url, log)
    finally:
        platform_server.stop(server)


def _account(base: str) -> tuple[dict[str, str], str, str]:
    """A new account signed in: its headers, device id and email."""
    n = uuid.uuid4().hex[:10]
    email = f"load{n}@example.com"
    body = {"email": email, "password": PASSWORD, "display_name": n, "handle": f"l{n}"}
    with httpx.Client(base_url=base, timeout=60) as c:
        assert c.post("/v1/accounts", json=body).status_code == 201
        r = c.post("/v1/sessions", json={"email": email, "password": PASSWORD, "device_name": "d"})
        assert r.status_code == 201, r.text
    session = r.json()
    return {"Authorization": f"Bearer {session['access_token']}"}, session["device"]["id"], email


def test_two_hundred_requests_in_flight_are_all_answered(workers: Running) -> None:
    headers, _device, email = _account(workers.base)
    result = run_closed_loop(
        "127.0.0.1",
        workers.port,
        "/v1/me",
        list(headers.items()),
        in_flight=200,
        total=600,
        keep_bodies=600,
    )
    assert result.errors == []
    assert result.statuses == {200: 600}
    assert {json.loads(b)["email"] for b in result.bodies} == {email}


def _age(url: str, device_id: str) -> None:
    db = Database(url)
    with db.write() as s:
        s.execute(
            sqlalchemy.update(Device)
            .where(Device.id == uuid.UUID(device_id))
            .values(last_seen_at=now_utc() - timedelta(hours=1))
        )
    db.dispose()


def test_a_get_answers_while_another_transaction_holds_the_write_lock(workers: Running) -> None:
    headers, device_id, _email = _account(workers.base)
    _age(workers.url, device_id)
    db = Database(workers.url)
    try:
        if db.is_sqlite:
            path = sqlalchemy.engine.make_url(workers.url).database
            holder = sqlite3.connect(str(path), isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")  # SQLite's one write lock, held
        else:
            conn = db.writer.connect()
            conn.begin()
            conn.execute(
                sqlalchemy.select(Device.id)
                .where(Device.id == uuid.UUID(device_id))
                .with_for_update()
            )
        with httpx.Client(base_url=workers.base, timeout=NO_WAIT) as c:
            for _ in range(3):
                r = c.get("/v1/me", headers=headers)
                assert r.status_code == 200, r.text
    finally:
        if db.is_sqlite:
            holder.rollback()
            holder.close()
        else:
            conn.rollback()
            conn.close()
    # Released: the write the first GET scheduled happens (later requests may write too).
    with httpx.Client(base_url=workers.base, timeout=60) as c:
        for _ in range(150):
            devices = c.get("/v1/me/devices", headers=headers).json()["devices"]
            seen = devices[0]["last_seen_at"]
            if now_utc() - datetime.fromisoformat(seen) < timedelta(minutes=30):
                break
            time.sleep(0.2)
        else:
            pytest.fail(f"last_seen_at was never written: {seen}")
    db.dispose()
