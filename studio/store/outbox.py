"""The sync outbox: every edit of a look or a board appends its changed records here.

``record()`` is called inside the edit's own transaction, so a change and its outbox entry are
committed together or not at all: a crash can never leave an edit the sync would miss, nor an
entry for an edit that did not happen. Each entry carries the whole record after the edit (a
delete carries the tombstone), so the sync needs no other table to send it. ``seq`` orders the
entries (AUTOINCREMENT: never reused, even after the sync removes sent ones).

Also here, shared by the look and board stores: ``now_iso()`` (their clock), ``write()`` (the
one-transaction-per-edit context) and small value checks.
"""

from __future__ import annotations

import dataclasses
import json
import math
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from functools import cache
from typing import Any

from studio.core.errors import StoreError
from studio.core.looks import Crop
from studio.store.db import Database

UPSERT = "upsert"
DELETE = "delete"
_ACTIONS = frozenset({UPSERT, DELETE})

_clock_lock = threading.Lock()
_last_stamp: datetime | None = None


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


@contextmanager
def write(db: Database) -> Iterator[sqlite3.Connection]:
    """One edit: ``BEGIN IMMEDIATE`` on the calling thread's connection, COMMIT when the block
    ends, ROLLBACK (and re-raise) when it raises. IMMEDIATE takes the write lock up front, so
    an edit never fails half-way on a lock another connection upgraded first; while another
    connection writes (an import), the edit waits up to the connection's busy timeout, then
    raises StoreError."""
    with db.connect() as conn:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            # Another writer (a bulk import is one transaction) held the lock for the whole
            # busy timeout: say so instead of leaking the driver's error.
            raise StoreError(f"the store is busy (another task is writing to it): {exc}") from exc
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.rollback()
            raise
        conn.execute("COMMIT")


def unit(value: object, name: str) -> float:
    """A coordinate as a fraction clamped to [0, 1] (ValueError when not a finite number)."""
    number = finite(value, name)
    return min(1.0, max(0.0, number))


def finite(value: object, name: str) -> float:
    """A finite float (ValueError otherwise; bools are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a number, not {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, not {value!r}")
    return number


def check_fields(fields: Mapping[str, object], allowed: frozenset[str], what: str) -> None:
    """TypeError naming the first field ``what`` does not have."""
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise TypeError(
            f"{what} has no editable field {unknown[0]!r} (editable: {', '.join(sorted(allowed))})"
        )


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> Any:
    """JSON-ready form of a record field (enums as their values, tuples as lists, nested
    records as objects)."""
    kind = type(value)
    # Exact types first: most values are plain already, and ABC checks cost (an archive
    # import writes tens of thousands of payloads). An enum's type is its own class.
    if kind in _SCALARS:
        return value
    if kind is dict:
        return {str(k): _plain(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [_plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return as_payload(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


@cache
def _field_names(cls: Any) -> tuple[str, ...]:  # a dataclass type
    return tuple(f.name for f in dataclasses.fields(cls))


def as_payload(record: Any) -> dict[str, Any]:
    """A dataclass record (Look, Hotspot, BoardItem, ...) as the outbox's JSON object."""
    names: tuple[str, ...] = _field_names(record.__class__)
    values = [getattr(record, name) for name in names]
    # Most fields are scalars: tested inline rather than by a call each.
    return {
        name: value if type(value) in _SCALARS else _plain(value)
        for name, value in zip(names, values, strict=True)
    }


# One encoder for every entry: json.dumps makes a new one per call when given options.
_to_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
Entry = tuple[str, str, str, Mapping[str, object]]  # entity, entity_id, action, payload
Row = tuple[str, str, str, str, str, str]  # an outbox row as inserted


def record(
    conn: sqlite3.Connection,
    entity: str,
    entity_id: str,
    action: str,
    payload: Mapping[str, object],
) -> None:
    """Append one entry; call inside the edit's own transaction (on the same connection).

    ``action`` is "upsert" or "delete"; ``payload`` the record's fields after the edit.
    """
    record_many(conn, [(entity, entity_id, action, payload)])


def record_many(conn: sqlite3.Connection, entries: Iterable[Entry]) -> None:
    """``record`` for many (entity, entity_id, action, payload) entries, in their order, in
    one statement (an archive import writes tens of thousands)."""
    insert_rows(conn, entry_rows(entries))


def entry_rows(entries: Iterable[Entry], *, plain: bool = False) -> list[Row]:
    """The outbox rows of ``entries``, made before the transaction that inserts them (an
    archive import prepares its entries while its photos are stored). ``plain``: the
    payloads are JSON-ready already (``as_payload``'s), so they are not walked again."""
    now = now_iso()
    rows = []
    for entity, entity_id, action, payload in entries:
        if action not in _ACTIONS:
            raise ValueError(f"outbox action must be 'upsert' or 'delete', not {action!r}")
        rows.append(
            (
                str(uuid.uuid4()),
                entity,
                entity_id,
                action,
                _to_json(payload if plain else _plain(payload)),
                now,
            )
        )
    return rows


def insert_rows(conn: sqlite3.Connection, rows: list[Row]) -> None:
    """Append rows ``entry_rows`` made, in their order; inside the edit's transaction."""
    conn.executemany(
        "INSERT INTO outbox (op_id, entity, entity_id, action, payload, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    seq: int
    op_id: str
    entity: str
    entity_id: str
    action: str
    payload: dict[str, Any]
    created_at: str


def pending(db: Database, limit: int = 1000) -> list[OutboxEntry]:
    """The oldest ``limit`` entries not yet sent, in ``seq`` order."""
    with db.connect() as conn:
        rows = conn.execute(
            "SELECT seq, op_id, entity, entity_id, action, payload, created_at "
            "FROM outbox ORDER BY seq LIMIT ?",
            (limit,),
        ).fetchall()
    return [
        OutboxEntry(seq, op_id, entity, entity_id, action, json.loads(payload), created_at)
        for seq, op_id, entity, entity_id, action, payload, created_at in rows
    ]


def acknowledge(db: Database, up_to_seq: int) -> int:
    """Remove the entries up to and including ``up_to_seq`` (the sync sent them); their count."""
    with db.connect() as conn:
        cursor = conn.execute("DELETE FROM outbox WHERE seq <= ?", (up_to_seq,))
    return cursor.rowcount


def check_crop(value: object) -> Crop:
    """A Crop with its edges clamped to [0, 1] (ValueError when it keeps nothing)."""
    if not isinstance(value, Crop):
        raise ValueError(f"crop must be a Crop, not {value!r}")
    crop = Crop(
        unit(value.left, "crop.left"),
        unit(value.top, "crop.top"),
        unit(value.right, "crop.right"),
        unit(value.bottom, "crop.bottom"),
    )
    if crop.left >= crop.right or crop.top >= crop.bottom:
        raise ValueError(f"the crop keeps nothing of the photo: {value!r}")
    return crop
