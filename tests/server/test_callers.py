"""The token check and last_seen_at (studio.server.callers, deps.caller): an authenticated
GET is a read; a stale device is written once, after the response, by one request even when
many are in flight; a revoked device is refused at once (nothing is cached in a process)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy
from serverhelp import Api, slug

from studio.server.accounts import now_utc
from studio.server.callers import SEEN_EVERY, CallerDevice, SeenRecorder
from studio.server.db import Database
from studio.server.models import Device


@contextmanager
def device_writes(db: Database) -> Iterator[list[str]]:
    """Every statement that writes the devices table while the block runs."""
    seen: list[str] = []

    def listen(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE DEVICES"):
            seen.append(statement)

    sqlalchemy.event.listen(db.writer, "before_cursor_execute", listen)
    try:
        yield seen
    finally:
        sqlalchemy.event.remove(db.writer, "before_cursor_execute", listen)


def _last_seen(db: Database, device_id: str) -> datetime:
    with db.read() as s:
        moment = s.scalar(
            sqlalchemy.select(Device.last_seen_at).where(Device.id == uuid.UUID(device_id))
        )
    assert moment is not None
    return moment


def _age(db: Database, device_id: str, by: timedelta) -> datetime:
    then = now_utc() - by
    with db.write() as s:
        s.execute(
            sqlalchemy.update(Device)
            .where(Device.id == uuid.UUID(device_id))
            .values(last_seen_at=then)
        )
    return then


def test_authenticated_gets_of_a_fresh_device_write_nothing(api: Api, db: Database) -> None:
    ann = api.account()
    with device_writes(db) as writes:
        for path in ("/v1/me", "/v1/me/devices", "/v1/merchants", "/v1/catalog/changes"):
            assert api.get(path, ann).status_code == 200
    assert writes == []


def test_a_stale_device_is_written_once_and_shows_the_new_moment(api: Api, db: Database) -> None:
    ann = api.account()
    then = _age(db, ann.device_id, SEEN_EVERY + timedelta(minutes=1))
    with device_writes(db) as writes:
        for _ in range(5):
            assert api.get("/v1/me", ann).status_code == 200
    assert len(writes) == 1
    assert _last_seen(db, ann.device_id) > then + SEEN_EVERY
    (device,) = api.get("/v1/me/devices", ann).json()["devices"]
    assert datetime.fromisoformat(device["last_seen_at"]) > then + SEEN_EVERY


def test_one_claim_per_device_and_period_among_racing_threads() -> None:
    recorder = SeenRecorder()
    now = now_utc()
    device = CallerDevice(uuid.uuid4(), "laptop", now, now - timedelta(hours=1))
    start = threading.Barrier(32)

    def claim(_: int) -> bool:
        start.wait()
        return recorder.claim(device, now)

    with ThreadPoolExecutor(32) as pool:
        assert sum(pool.map(claim, range(32))) == 1
    assert not recorder.claim(device, now + SEEN_EVERY / 2)
    recorder.release(device.id)  # its write failed: the next request tries again
    assert recorder.claim(device, now + SEEN_EVERY / 2)
    assert recorder.claim(device, now + SEEN_EVERY * 2)
    fresh = CallerDevice(uuid.uuid4(), "phone", now, now)
    assert not recorder.claim(fresh, now + SEEN_EVERY / 2)


class _Locked:
    """A database whose writes fail as SQLite's do when the lock outlasts the busy timeout."""

    @contextmanager
    def write(self) -> Iterator[Any]:
        raise sqlalchemy.exc.OperationalError("UPDATE devices", {}, Exception("locked"))
        yield


def test_a_failed_write_is_logged_and_gives_the_claim_back() -> None:
    recorder = SeenRecorder()
    now = now_utc()
    device = CallerDevice(uuid.uuid4(), "laptop", now, now - timedelta(hours=1))
    assert recorder.claim(device, now)
    recorder.record(_Locked(), device.id, now)  # type: ignore[arg-type]  # logged, not raised
    assert recorder.claim(device, now)


def test_a_device_revoked_elsewhere_is_refused_at_once(api: Api, db: Database) -> None:
    ann = api.account()
    assert api.get("/v1/me", ann).status_code == 200
    # Another server process (here: the database directly) revokes the device.
    with db.write() as s:
        s.execute(
            sqlalchemy.update(Device)
            .where(Device.id == uuid.UUID(ann.device_id))
            .values(revoked_at=now_utc(), revoked_reason="revoked")
        )
    assert slug(api.get("/v1/me", ann)) == "revoked"
