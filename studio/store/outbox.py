"""The sync outbox: every edit of the curator's content appends its changed records here.

Entries are appended by ``studio.store.records`` inside the edit's own transaction, so a
change and its outbox entry are committed together or not at all: a crash can never leave an
edit the sync would miss, nor an entry for an edit that did not happen. Each entry carries the
whole record after the edit in its wire form (``studio.protocol.kinds``; a delete carries the
tombstone), so the sync needs no other table to send it. ``seq`` orders the entries
(AUTOINCREMENT: never reused, even after the sync removes sent ones).

Compaction (decided before the first push, docs/architecture.md): several edits of one record
between two syncs are sent as ONE op carrying the last state; its base is the version the
first of them was made on, which the merge base holds (the last synced copy), so nothing of
the record's history is needed but its last state. ``compacted`` reads the queue that way,
``acknowledge_ops`` removes what was sent.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from studio.store.db import Database
from studio.store.tx import now_iso

UPSERT = "upsert"
DELETE = "delete"
_ACTIONS = frozenset({UPSERT, DELETE})

# One encoder for every entry: json.dumps makes a new one per call when given options.
_to_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
Entry = tuple[str, str, str, Mapping[str, object]]  # entity, entity_id, action, payload
Row = tuple[str, str, str, str, str, str]  # an outbox row as inserted


def entry_rows(entries: Iterable[Entry]) -> list[Row]:
    """The outbox rows of ``entries`` (payloads in wire form: JSON-ready), made before the
    transaction that inserts them (an archive import prepares its entries while its photos
    are stored)."""
    now = now_iso()
    rows = []
    for entity, entity_id, action, payload in entries:
        if action not in _ACTIONS:
            raise ValueError(f"outbox action must be 'upsert' or 'delete', not {action!r}")
        rows.append((str(uuid.uuid4()), entity, entity_id, action, _to_json(payload), now))
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


_SELECT = "SELECT seq, op_id, entity, entity_id, action, payload, created_at FROM outbox"


def _entries(rows: Iterable[tuple[Any, ...]]) -> list[OutboxEntry]:
    return [
        OutboxEntry(seq, op_id, entity, entity_id, action, json.loads(payload), created_at)
        for seq, op_id, entity, entity_id, action, payload, created_at in rows
    ]


def pending(db: Database, limit: int = 1000) -> list[OutboxEntry]:
    """The oldest ``limit`` entries not yet sent, in ``seq`` order."""
    with db.connect() as conn:
        return _entries(conn.execute(f"{_SELECT} ORDER BY seq LIMIT ?", (limit,)).fetchall())


def compacted(db: Database, limit: int = 1000) -> list[OutboxEntry]:
    """The next ``limit`` ops to push, compacted: one op per record, carrying its LAST entry
    (its last state, that entry's op id and seq), in the order of each record's FIRST entry
    still queued, so a parent created before its child still goes first. Sent ops are
    removed with ``acknowledge_ops``."""
    with db.connect() as conn:
        rows = conn.execute(
            "SELECT o.seq, o.op_id, o.entity, o.entity_id, o.action, o.payload, o.created_at "
            "FROM outbox o JOIN (SELECT min(seq) AS first, max(seq) AS last FROM outbox "
            "GROUP BY entity, entity_id) g ON o.seq = g.last ORDER BY g.first LIMIT ?",
            (limit,),
        ).fetchall()
    return _entries(rows)


def acknowledge_ops(db: Database, ops: Iterable[OutboxEntry]) -> int:
    """Remove what ``compacted`` ops stood for: each record's entries up to the op's ``seq``
    (an edit made while the op was being sent is newer and stays queued); their count."""
    with db.connect() as conn:
        cursor = conn.executemany(
            "DELETE FROM outbox WHERE entity = ? AND entity_id = ? AND seq <= ?",
            [(op.entity, op.entity_id, op.seq) for op in ops],
        )
    return cursor.rowcount


def acknowledge(db: Database, up_to_seq: int) -> int:
    """Remove the entries up to and including ``up_to_seq`` (the sync sent them); their count."""
    with db.connect() as conn:
        cursor = conn.execute("DELETE FROM outbox WHERE seq <= ?", (up_to_seq,))
    return cursor.rowcount
