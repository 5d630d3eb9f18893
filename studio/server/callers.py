"""Who is calling: the access-token check every authenticated request makes, and the
``last_seen_at`` bookkeeping that goes with it.

The check is the platform's hottest path (every authenticated request runs it), so it is
ONE statement on a read-only connection in autocommit (``Database.lookup``): no ORM session,
no BEGIN/ROLLBACK round trips, no write. It gives back plain frozen values
(:class:`CallerUser`, :class:`CallerDevice`), not ORM objects, so nothing lazy-loads later.
Tokens are checked against the database on every request, never cached in a process: a
device revoked through one server process is refused at once by all of them.

``last_seen_at`` is written at most once per ``SEEN_EVERY`` per device and process, AFTER
the response is sent (a background task), by one request: when a device's 200 requests in
flight all find it stale, one of them is chosen to write (:class:`SeenRecorder`) and the
others go on reading. Measured (docs/server.md): a GET that wrote in-line queued behind
SQLite's write lock, and behind a long catalog ingest it waited the whole busy timeout.
The bookkeeping is best effort: a write that fails is logged and tried again later.
"""

from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import SQLAlchemyError

from studio.server import security
from studio.server.db import Database
from studio.server.models import AccessToken, Device, User
from studio.server.problems import Problem

log = logging.getLogger("studio.server")

# last_seen_at is written at most this often per device: an authenticated GET stays a read.
SEEN_EVERY = timedelta(minutes=5)
# Entries older than SEEN_EVERY are dropped once the map holds this many devices.
_PRUNE_AT = 10_000


@dataclass(frozen=True, slots=True)
class CallerUser:
    """The calling user, as ``schemas.User`` shows it (and ``disabled``)."""

    id: uuid.UUID
    email: str
    handle: str
    display_name: str
    role: str
    tier: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class CallerDevice:
    id: uuid.UUID
    name: str
    created_at: datetime
    last_seen_at: datetime


@dataclass(frozen=True, slots=True)
class Caller:
    """Who made an authenticated request: the user and the device the token belongs to."""

    user: CallerUser
    device: CallerDevice


# Built once: SQLAlchemy caches its compiled form, so a request pays only the execution.
_BY_TOKEN = (
    select(
        AccessToken.expires_at,
        Device.id,
        Device.name,
        Device.created_at,
        Device.last_seen_at,
        Device.revoked_at,
        User.id,
        User.email,
        User.handle,
        User.display_name,
        User.role,
        User.tier,
        User.disabled,
        User.created_at,
    )
    .join(Device, Device.id == AccessToken.device_id)
    .join(User, User.id == Device.user_id)
    .where(AccessToken.token_hash == bindparam("token_hash"))
)


def authenticate(db: Database, token: str, now: datetime) -> Caller:
    """The caller of an access token, or 401/403 saying why not (one read, no write)."""
    with db.lookup() as conn:
        row = conn.execute(_BY_TOKEN, {"token_hash": security.token_hash(token)}).first()
    if row is None:
        raise Problem("unauthorized", "unknown access token")
    (expires_at, device_id, name, created, seen, revoked_at) = row[:6]
    (user_id, email, handle, display, role, tier, disabled, user_created) = row[6:]
    if revoked_at is not None:
        raise Problem("revoked")
    if disabled:
        raise Problem("disabled")
    if expires_at <= now:
        raise Problem("unauthorized", "the access token expired; refresh it")
    return Caller(
        CallerUser(user_id, email, handle, display, role, tier, user_created),
        CallerDevice(device_id, name, created, seen),
    )


class SeenRecorder:
    """One process's ``last_seen_at`` writes: which request writes, and the write itself.

    ``claim`` is called on the request's path (cheap, no I/O): True for exactly one request
    per device per ``every``. ``record`` runs after the response; at most one runs at a time
    in a process, so devices that all fall due during a long write (SQLite's lock held by an
    ingest) tie up one worker thread, not the pool: the others give their claim back and a
    later request tries again."""

    def __init__(self, every: timedelta = SEEN_EVERY) -> None:
        self.every = every
        self._claimed: dict[uuid.UUID, datetime] = {}
        self._lock = threading.Lock()
        self._writing = threading.Lock()

    def claim(self, device: CallerDevice, now: datetime) -> bool:
        with self._lock:
            known = self._claimed.get(device.id)
            latest = device.last_seen_at if known is None else max(known, device.last_seen_at)
            if now - latest < self.every:
                return False
            if len(self._claimed) >= _PRUNE_AT:
                self._claimed = {k: v for k, v in self._claimed.items() if now - v < self.every}
            self._claimed[device.id] = now
            return True

    def release(self, device_id: uuid.UUID) -> None:
        """Give a claim back (its write did not happen): the next request tries again."""
        with self._lock:
            self._claimed.pop(device_id, None)

    def record(self, db: Database, device_id: uuid.UUID, now: datetime) -> None:
        if not self._writing.acquire(blocking=False):
            self.release(device_id)
            return
        try:
            with db.write() as s:
                s.execute(
                    update(Device)
                    .where(Device.id == device_id, Device.last_seen_at < now)
                    .values(last_seen_at=now)
                )
        except SQLAlchemyError as exc:  # bookkeeping: never worth a failed request
            log.warning("last_seen_at of device %s not written: %s", device_id, exc)
            self.release(device_id)
        finally:
            self._writing.release()
