"""Write transactions of the store: one per edit, waiting for a busy file, reporting ``Changes``.

``write(db)`` is the one way anything writes the curator's content: ``BEGIN IMMEDIATE`` on the
calling thread's connection, COMMIT when the block ends, ROLLBACK (and re-raise) when it
raises. IMMEDIATE takes the write lock up front, so an edit never fails half-way on a lock
another connection took first. When another process holds the lock (a CLI archive import, a
second studio), the edit WAITS: an edit the user made is never dropped because the store was
busy. ``db.on_busy`` (if set) hears how long it has waited, so a command line can say so.
The catalog lives in another file (``studio.store.db``), so a long catalog import never holds
the lock an edit needs.

Each transaction collects what it wrote (``touched``, called by ``studio.store.records`` for
every record it puts) and, once committed, hands it to every ``collecting()`` block open on
the thread: the writer lane runs each job inside one and returns its ``Changes``. A rolled
back transaction reports nothing.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from studio.core.changes import ChangeBuilder, Changes
from studio.core.errors import StoreError
from studio.protocol.kinds import RecordKind, ancestry
from studio.store.db import BUSY_TIMEOUT_MS, Database, is_busy

_clock_lock = threading.Lock()
_last_stamp: datetime | None = None
_local = threading.local()
WAIT_STEP_MS = 250  # one wait of SQLite's busy handler between two looks at the patience


def now_iso() -> str:
    """The current UTC time as ISO 8601 with microseconds, strictly increasing in this process.

    Strictly increasing so that "most recently updated first" is the order of the edits even
    when two of them land within the clock's resolution.
    """
    global _last_stamp
    with _clock_lock:
        now = datetime.now(UTC)
        if _last_stamp is not None and now <= _last_stamp:
            now = _last_stamp + timedelta(microseconds=1)
        _last_stamp = now
    return now.isoformat(timespec="microseconds")


def begin_immediate(db: Database, conn: sqlite3.Connection) -> None:
    """Take the write lock, waiting as long as another connection holds it (see module doc);
    StoreError after ``db.write_patience`` seconds when that is set (tests, tools)."""
    started = time.monotonic()
    # Short waits inside SQLite, so the patience and the busy callback are heard in time.
    conn.execute(f"PRAGMA busy_timeout={WAIT_STEP_MS}")
    try:
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not is_busy(exc):
                    raise StoreError(f"{db.path}: cannot start a write: {exc}") from exc
                waited = time.monotonic() - started
                if db.write_patience is not None and waited >= db.write_patience:
                    raise StoreError(
                        f"the store is busy (another task is writing to {db.path.name}) and "
                        f"did not free up within {db.write_patience:g} s"
                    ) from exc
                if db.on_busy is not None:
                    db.on_busy(waited)
    finally:
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


@contextmanager
def write(db: Database) -> Iterator[sqlite3.Connection]:
    """One edit's transaction on the calling thread's connection (see the module docstring)."""
    with db.connect() as conn:
        if conn.in_transaction:
            raise StoreError("a write was started inside another one on the same thread")
        begin_immediate(db, conn)
        builder = ChangeBuilder()
        _local.tx = _Tx(conn, builder)
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.rollback()
            raise
        finally:
            _local.tx = None
        _publish(builder.build())


class _Tx:
    """The open write transaction of a thread: its connection, what it wrote, and the roots
    already looked up (a shelf of 10,000 items has one shop)."""

    __slots__ = ("builder", "conn", "parents")

    def __init__(self, conn: sqlite3.Connection, builder: ChangeBuilder) -> None:
        self.conn = conn
        self.builder = builder
        self.parents: dict[tuple[str, str], str | None] = {}


def touched(kind: RecordKind, record_id: str, parent_id: str | None) -> None:
    """Note that the open transaction wrote ``record_id`` of ``kind`` (whose parent, when the
    kind has one, is ``parent_id``); its root is found by walking up the registry's parents."""
    tx: _Tx | None = getattr(_local, "tx", None)
    if tx is None:
        return  # not inside write(): a migration or a test writing rows directly
    root, root_id = kind.name, record_id
    if kind.parent is not None:
        root_id = parent_id  # type: ignore[assignment]
        for level, (child, _field, parent) in enumerate(ancestry(kind.name)):
            if level and root_id is not None:
                root_id = _parent_of(tx, child, root_id)  # type: ignore[assignment]
            root = parent.name
    tx.builder.record(kind.name, record_id, root, root_id)


def _parent_of(tx: _Tx, kind: RecordKind, record_id: str) -> str | None:
    """The parent id of ``record_id`` of ``kind``, read inside the transaction (cached)."""
    key = (kind.name, record_id)
    if key not in tx.parents:
        assert kind.parent is not None
        row = tx.conn.execute(
            f"SELECT {kind.parent[0]} FROM {kind.table} WHERE id = ?", (record_id,)
        ).fetchone()
        tx.parents[key] = None if row is None else str(row[0])
    return tx.parents[key]


def note(changes: Changes) -> None:
    """Add ``changes`` to what the open transaction reports (a re-link, a catalog change);
    outside a transaction they go straight to the open ``collecting()`` blocks."""
    tx: _Tx | None = getattr(_local, "tx", None)
    if tx is not None:
        tx.builder.add(changes)
    else:
        _publish(changes)


def _publish(changes: Changes) -> None:
    if changes:
        for builder in getattr(_local, "collectors", ()):
            builder.add(changes)


@contextmanager
def collecting() -> Iterator[ChangeBuilder]:
    """Collect the ``Changes`` of every transaction this thread commits inside the block:
    ``with collecting() as got: ...; changes = got.build()``."""
    builder = ChangeBuilder()
    stack: list[ChangeBuilder] = getattr(_local, "collectors", None) or []
    _local.collectors = [*stack, builder]
    try:
        yield builder
    finally:
        _local.collectors = stack
