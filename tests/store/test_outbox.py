"""The sync outbox: each edit writes exactly its entries, in the edit's own transaction.

Failures are injected with real SQLite triggers (RAISE mid-edit) and real process kills
(SIGKILL, after a commit and in the middle of a transaction), never with mocks.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from studio.core.boards import BoardItem, BoardItemKind
from studio.core.errors import StoreError
from studio.core.looks import ProductRef
from studio.protocol.checks import problem
from studio.protocol.codec import to_wire
from studio.protocol.kinds import kind
from studio.store import outbox
from studio.store.boards import BoardStore
from studio.store.db import Database, open_database
from studio.store.looks import LookStore

REPO = Path(__file__).resolve().parents[2]
REF = ProductRef(3, "Nordlys", "TEE-1")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "studio.sqlite3")
    yield database
    database.close()


def _entries(db: Database, after: int = 0) -> list[tuple[str, str, str]]:
    return [(e.entity, e.entity_id, e.action) for e in outbox.pending(db) if e.seq > after]


def _last_seq(db: Database) -> int:
    entries = outbox.pending(db, limit=100_000)
    return entries[-1].seq if entries else 0


def _snapshot(db: Database) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every look/board table, to prove a failed edit changed nothing."""
    tables = (
        "media",
        "looks",
        "look_tags",
        "look_photos",
        "hotspots",
        "boards",
        "board_items",
        "outbox",
    )
    with db.connect() as conn:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables}


def test_each_look_edit_writes_exactly_its_entries(db: Database) -> None:
    looks = LookStore(db)
    look = looks.create_look("L")
    assert _entries(db) == [("look", look.id, "upsert")]
    seq = _last_seq(db)
    photo = looks.add_photo(look.id, "a" * 64, 1200, 1600)
    assert _entries(db, seq) == [("media", "a" * 64, "upsert"), ("look_photo", photo.id, "upsert")]
    seq = _last_seq(db)
    second = looks.add_photo(look.id, "a" * 64, 1200, 1600)  # same media: no new media row
    assert _entries(db, seq) == [("look_photo", second.id, "upsert")]

    spots = [looks.add_hotspot(photo.id, REF, 0.1 * i, 0.5) for i in range(3)]
    looks.delete_hotspot(spots[2].id)
    seq = _last_seq(db)
    looks.remove_photo(photo.id)
    assert sorted(_entries(db, seq)) == sorted(
        [
            ("hotspot", spots[0].id, "delete"),
            ("hotspot", spots[1].id, "delete"),
            ("look_photo", photo.id, "delete"),
        ]
    )
    seq = _last_seq(db)
    looks.restore_photo(photo.id)
    assert sorted(_entries(db, seq)) == sorted(
        [
            ("hotspot", spots[0].id, "upsert"),
            ("hotspot", spots[1].id, "upsert"),
            ("look_photo", photo.id, "upsert"),
        ]
    )

    edits: list[tuple[Callable[[], object], list[tuple[str, str, str]]]] = [
        (
            lambda: looks.update_look(look.id, caption="c", styles=["a"]),
            [("look", look.id, "upsert")],
        ),
        (lambda: looks.update_photo(photo.id, rotation=1), [("look_photo", photo.id, "upsert")]),
        (lambda: looks.update_hotspot(spots[0].id, x=0.9), [("hotspot", spots[0].id, "upsert")]),
        (lambda: looks.delete_hotspot(spots[0].id), [("hotspot", spots[0].id, "delete")]),
        (lambda: looks.restore_hotspot(spots[0].id), [("hotspot", spots[0].id, "upsert")]),
        (lambda: looks.trash_look(look.id), [("look", look.id, "delete")]),
        (lambda: looks.restore_look(look.id), [("look", look.id, "upsert")]),
    ]
    for edit, expected in edits:
        seq = _last_seq(db)
        edit()
        assert _entries(db, seq) == expected

    seq = _last_seq(db)
    copy = looks.duplicate_look(look.id)
    doc = looks.document(copy.id)
    assert doc is not None
    assert sorted(_entries(db, seq)) == sorted(
        [("look", copy.id, "upsert")]
        + [("look_photo", p.id, "upsert") for p in doc.photos]
        + [("hotspot", h.id, "upsert") for h in doc.hotspots]
    )


def test_each_board_edit_writes_exactly_its_entries(db: Database) -> None:
    boards = BoardStore(db)
    board = boards.create_board("B")
    a = boards.add_item(BoardItem("", board.id, BoardItemKind.PRODUCT, 1, 2, 30, 40, product=REF))
    b = boards.add_item(BoardItem("", board.id, BoardItemKind.TEXT, 1, 2, 30, 40, text="hi"))
    assert _entries(db) == [
        ("board", board.id, "upsert"),
        ("board_item", a.id, "upsert"),
        ("board_item", b.id, "upsert"),
    ]
    edits: list[tuple[Callable[[], object], list[tuple[str, str, str]]]] = [
        (lambda: boards.update_board(board.id, title="T"), [("board", board.id, "upsert")]),
        (
            lambda: boards.update_items([(a.id, {"x": 5.0}), (b.id, {"y": 6.0})]),
            [("board_item", a.id, "upsert"), ("board_item", b.id, "upsert")],
        ),
        (lambda: boards.delete_item(a.id), [("board_item", a.id, "delete")]),
        (lambda: boards.restore_item(a.id), [("board_item", a.id, "upsert")]),
        (lambda: boards.trash_board(board.id), [("board", board.id, "delete")]),
        (lambda: boards.restore_board(board.id), [("board", board.id, "upsert")]),
    ]
    for edit, expected in edits:
        seq = _last_seq(db)
        edit()
        assert _entries(db, seq) == expected


def test_payloads_are_the_whole_record_after_the_edit(db: Database) -> None:
    looks, boards = LookStore(db), BoardStore(db)
    look = looks.update_look(looks.create_look("L").id, occasions=["Work"], status="ready")
    photo = looks.add_photo(look.id, "a" * 64, 1200, 1600)
    spot = looks.update_hotspot(looks.add_hotspot(photo.id, REF, 0.2, 0.3).id, label="Tee")
    looks.delete_hotspot(spot.id)
    board = boards.create_board("B")
    item = boards.add_item(
        BoardItem(
            "", board.id, BoardItemKind.PRODUCT, 1, 2, 30, 40, product=ProductRef(None, "Gone", "G")
        )
    )
    latest = {e.entity_id: e for e in outbox.pending(db)}

    # Each payload is the record in its wire form: exactly the registry's fields.
    for entry in latest.values():
        assert problem(kind(entry.entity), entry.payload) is None, entry
    assert latest[look.id].payload == to_wire(kind("look"), look)
    assert latest[look.id].payload["occasions"] == ["Work"]
    assert latest[look.id].payload["status"] == "ready"
    spot_entry = latest[spot.id]
    assert spot_entry.action == "delete"
    assert spot_entry.payload["deleted_at"] is not None  # the tombstone
    assert spot_entry.payload["label"] == "Tee"
    # The product by its stable identity; the local row id never leaves the workspace.
    assert (spot_entry.payload["merchant"], spot_entry.payload["offer_id"]) == ("Nordlys", "TEE-1")
    assert "product_id" not in spot_entry.payload
    crop = [latest[photo.id].payload[f"crop_{side}"] for side in ("left", "top", "right", "bottom")]
    assert crop == [0.0, 0.0, 1.0, 1.0]
    item_payload = latest[item.id].payload
    assert (item_payload["merchant"], item_payload["offer_id"]) == ("Gone", "G")
    assert item_payload["kind"] == "product" and item_payload["z"] == item.z
    assert item_payload["created_at"] == item_payload["updated_at"]
    assert len({e.op_id for e in outbox.pending(db)}) == len(outbox.pending(db))


def _fail_when(db: Database, table: str, event: str, condition: str = "1") -> None:
    with db.connect() as conn:
        conn.execute(
            f"CREATE TRIGGER inject_failure BEFORE {event} ON {table} "
            f"WHEN {condition} BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        )


def _heal(db: Database) -> None:
    with db.connect() as conn:
        conn.execute("DROP TRIGGER inject_failure")


def test_a_failure_mid_edit_leaves_records_and_outbox_unchanged(db: Database) -> None:
    looks, boards = LookStore(db), BoardStore(db)
    look = looks.create_look("L")
    photo = looks.add_photo(look.id, "a" * 64, 1200, 1600)
    for i in range(3):
        looks.add_hotspot(photo.id, REF, 0.1 * i, 0.5)
    board = boards.create_board("B")
    a = boards.add_item(BoardItem("", board.id, BoardItemKind.TEXT, 1, 2, 30, 40, text="a"))
    b = boards.add_item(BoardItem("", board.id, BoardItemKind.TEXT, 1, 2, 30, 40, text="b"))
    before = _snapshot(db)

    cases: list[tuple[str, str, str, Callable[[], object]]] = [
        # remove_photo tombstones the hotspots (and logs them) before the photo fails.
        (
            "look_photos",
            "UPDATE",
            "NEW.deleted_at IS NOT NULL",
            lambda: looks.remove_photo(photo.id),
        ),
        # duplicate_look has written the look and the photo when a hotspot copy fails.
        ("hotspots", "INSERT", "1", lambda: looks.duplicate_look(look.id)),
        # the second item of a multi-select drag fails.
        (
            "board_items",
            "UPDATE",
            f"NEW.id = '{b.id}'",
            lambda: boards.update_items([(a.id, {"x": 9.0}), (b.id, {"x": 9.0})]),
        ),
        # the record is written, its outbox entry fails.
        (
            "outbox",
            "INSERT",
            "NEW.entity = 'look'",
            lambda: looks.update_look(look.id, title="never"),
        ),
    ]
    for table, event, condition, edit in cases:
        _fail_when(db, table, event, condition)
        try:
            with pytest.raises(sqlite3.IntegrityError, match="injected failure"):
                edit()
        finally:
            _heal(db)
        assert _snapshot(db) == before, f"{table} {event} left a trace"
    # The thread's connection is usable again afterwards.
    looks.update_look(look.id, title="works")
    assert _entries(db)[-1] == ("look", look.id, "upsert")


def test_a_unique_violation_in_the_outbox_rolls_the_edit_back(db: Database) -> None:
    looks = LookStore(db)
    look = looks.create_look("L")
    op_id = outbox.pending(db)[0].op_id
    before = _snapshot(db)
    # A trigger that re-uses an existing op_id: the UNIQUE constraint rejects the entry.
    with db.connect() as conn:
        conn.execute(
            "CREATE TRIGGER inject_failure AFTER UPDATE ON looks BEGIN "
            "INSERT INTO outbox (op_id, entity, entity_id, action, payload, created_at) "
            f"VALUES ('{op_id}', 'look', NEW.id, 'upsert', '{{}}', ''); END"
        )
    try:
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            looks.update_look(look.id, caption="lost")
    finally:
        _heal(db)
    assert _snapshot(db) == before


_CHILD = textwrap.dedent("""
    import json, os, signal, sys
    from pathlib import Path
    from studio.core.looks import ProductRef
    from studio.store.db import open_database
    from studio.store.looks import LookStore
    from studio.protocol.codec import to_wire
    from studio.protocol.kinds import kind
    as_payload = lambda r: to_wire(kind({"Look": "look", "LookPhoto": "look_photo",
                                         "Hotspot": "hotspot"}[type(r).__name__]), r)

    db = open_database(Path(sys.argv[1]))
    looks = LookStore(db)
    look = looks.create_look("Survives")
    looks.update_look(look.id, caption="committed", styles=["Kept"])
    photo = looks.add_photo(look.id, "f" * 64, 2000, 3000)
    looks.add_hotspot(photo.id, ProductRef(1, "M", "O"), 0.3, 0.4, label="kept")
    doc = looks.document(look.id)
    print(json.dumps({"id": look.id, "photo": photo.id,
                      "doc": [as_payload(doc.look)] + [as_payload(p) for p in doc.photos]
                             + [as_payload(h) for h in doc.hotspots]}), flush=True)
    if sys.argv[2] == "mid-transaction":
        # Die inside the next edit: after its hotspot rows and outbox entries are written,
        # before COMMIT (a temp trigger calls back into Python on the photo's tombstone).
        with db.connect() as conn:
            conn.create_function("die", 0, lambda: os.kill(os.getpid(), signal.SIGKILL))
            conn.execute("CREATE TEMP TRIGGER die_here BEFORE UPDATE ON main.look_photos "
                         "BEGIN SELECT die(); END")
        looks.remove_photo(photo.id)
    os.kill(os.getpid(), signal.SIGKILL)
""")


@pytest.mark.parametrize("when", ["after-commit", "mid-transaction"])
def test_a_killed_process_loses_nothing_committed(tmp_path: Path, when: str) -> None:
    path = tmp_path / "studio.sqlite3"
    open_database(path).close()
    env = dict(os.environ, PYTHONPATH=str(REPO))
    child = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), when],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    expected = json.loads(child.stdout)

    db = open_database(path)
    try:
        doc = LookStore(db).document(expected["id"])
        assert doc is not None
        got = (
            [to_wire(kind("look"), doc.look)]
            + [to_wire(kind("look_photo"), p) for p in doc.photos]
            + [to_wire(kind("hotspot"), h) for h in doc.hotspots]
        )
        assert json.loads(json.dumps(got)) == expected["doc"]
        assert [p.id for p in doc.photos] == [expected["photo"]]  # the half edit is gone
        entries = _entries(db)
        assert [e[0] for e in entries] == ["look", "look", "media", "look_photo", "hotspot"]
        assert all(action == "upsert" for _, _, action in entries)
        with db.connect() as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        db.close()


def test_pending_is_in_order_with_a_limit_and_acknowledge_removes(db: Database) -> None:
    looks = LookStore(db)
    ids = [looks.create_look(f"L{i}").id for i in range(5)]
    assert [e.entity_id for e in outbox.pending(db)] == ids
    first_two = outbox.pending(db, limit=2)
    assert [e.entity_id for e in first_two] == ids[:2]
    assert outbox.acknowledge(db, first_two[-1].seq) == 2
    assert [e.entity_id for e in outbox.pending(db)] == ids[2:]
    # seq is never reused after acknowledged entries are removed
    outbox.acknowledge(db, 10**9)
    looks.create_look("next")
    assert outbox.pending(db)[0].seq > first_two[-1].seq + 3


def test_entries_refuse_unknown_actions() -> None:
    with pytest.raises(ValueError, match="upsert"):
        outbox.entry_rows([("look", "x", "merge", {})])


def test_compaction_sends_each_record_once_with_its_last_state(db: Database) -> None:
    """Several edits of a record between two syncs are one op carrying the last state, in the
    order of the record's first edit (a parent created before its child still goes first);
    acknowledging the ops removes what they stood for, and an edit made meanwhile stays."""
    looks = LookStore(db)
    look = looks.create_look("First")
    photo = looks.add_photo(look.id, "a" * 64, 100, 100)
    for title in ("Second", "Third"):
        looks.update_look(look.id, title=title)
    looks.update_photo(photo.id, alt_text="A scarf")
    ops = outbox.compacted(db)
    assert [(op.entity, op.entity_id) for op in ops] == [
        ("look", look.id),
        ("media", "a" * 64),
        ("look_photo", photo.id),
    ]
    assert ops[0].payload["title"] == "Third" and ops[2].payload["alt_text"] == "A scarf"
    assert len(outbox.pending(db)) == 6
    looks.update_look(look.id, title="Made while pushing")
    assert outbox.acknowledge_ops(db, ops[:2]) == 4  # the look's three, the media row's one
    rest = outbox.compacted(db)
    assert [(op.entity, op.payload.get("title")) for op in rest] == [
        ("look_photo", None),
        ("look", "Made while pushing"),
    ]


def test_the_clock_is_utc_iso_and_strictly_increasing() -> None:
    stamps = [outbox.now_iso() for _ in range(2000)]
    assert stamps == sorted(set(stamps))
    parsed = datetime.fromisoformat(stamps[0])
    assert parsed.utcoffset() is not None and parsed.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    assert len({len(s) for s in stamps}) == 1  # fixed width: text order is time order


def test_an_edit_while_another_process_writes_waits_its_turn(db: Database) -> None:
    """Writers queue: an edit made while another connection holds the content file's write
    lock (an archive import in another process) waits, says how long it has waited, and is
    saved once the lock is free: never dropped for a busy store."""
    looks = LookStore(db)
    look = looks.create_look("L")
    # Committed from a timer thread: another process in all but name.
    other = sqlite3.connect(db.path, isolation_level=None, check_same_thread=False)
    waits: list[float] = []
    db.on_busy = waits.append
    try:
        other.execute("BEGIN IMMEDIATE")
        timer = threading.Timer(0.8, lambda: other.execute("COMMIT"))
        timer.start()
        assert looks.update_look(look.id, title="queued").title == "queued"
        timer.join()
    finally:
        other.close()
    assert waits and waits == sorted(waits)  # heard while it waited, in order
    assert looks.document(look.id).look.title == "queued"  # type: ignore[union-attr]


def test_an_edit_past_its_patience_fails_cleanly_and_writes_nothing(db: Database) -> None:
    looks = LookStore(db)
    look = looks.create_look("L")
    before = _snapshot(db)
    other = sqlite3.connect(db.path, isolation_level=None)
    db.write_patience = 0.3  # a tool's choice; the app and the CLI wait as long as it takes
    try:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(StoreError, match="busy"):
            looks.update_look(look.id, title="blocked")
        other.execute("ROLLBACK")
    finally:
        other.close()
    assert _snapshot(db) == before
    assert looks.update_look(look.id, title="fine").title == "fine"
