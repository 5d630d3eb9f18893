"""BoardStore: boards and items read and edited through the real SQLite store."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from studio.core.boards import MAX_BOARD_ITEMS, BoardItem, BoardItemKind
from studio.core.errors import StoreError
from studio.core.looks import Crop, LookStatus, ProductRef, new_id
from studio.core.ordering import key_between
from studio.store.boards import BoardStore
from studio.store.db import Database, open_database

BAG = ProductRef(7, "Nordlys", "BAG-1")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "studio.sqlite3")
    yield database
    database.close()


@pytest.fixture
def store(db: Database) -> BoardStore:
    return BoardStore(db)


def _text(board_id: str, text: str = "Hello", **kw: object) -> BoardItem:
    return BoardItem("", board_id, BoardItemKind.TEXT, 100, 100, 300, 80, text=text, **kw)  # type: ignore[arg-type]


def _count(db: Database, sql: str) -> int:
    with db.connect() as conn:
        return int(conn.execute(sql).fetchone()[0])


def test_a_board_round_trips_with_every_kind_of_item(store: BoardStore) -> None:
    board = store.create_board("Cabin weekend")
    board = store.update_board(
        board.id, background="#f4efe6", width=1080, height=1350, status="ready"
    )
    product = store.add_item(
        BoardItem(
            "",
            board.id,
            BoardItemKind.PRODUCT,
            200.5,
            300.25,
            240,
            320,
            rotation=-15,
            flip_h=True,
            crop=Crop(0.1, 0.0, 0.9, 1.0),
            product=BAG,
            media_hash="d" * 64,
        )
    )
    orphan = store.add_item(
        BoardItem(
            "",
            board.id,
            BoardItemKind.PRODUCT,
            10,
            10,
            50,
            50,
            product=ProductRef(None, "Gone shop", "G-1"),
        )
    )
    photo = store.add_item(
        BoardItem(
            "", board.id, BoardItemKind.PHOTO, 600, 600, 400, 300, flip_v=True, media_hash="e" * 64
        )
    )
    text = store.add_item(_text(board.id, "Packing list", color="#aa0000", font_size=48.0))

    doc = store.document(board.id)
    assert doc is not None
    assert doc.board == board
    assert (board.background, board.width, board.height) == ("#f4efe6", 1080, 1350)
    assert board.status is LookStatus.READY
    assert doc.items == (product, orphan, photo, text)  # added later = on top
    assert product.rotation == 345.0  # normalised to [0, 360)
    assert doc.items[0].product == BAG and doc.items[0].flip_h and not doc.items[0].flip_v
    assert doc.items[0].crop == Crop(0.1, 0.0, 0.9, 1.0)
    assert doc.items[1].product == ProductRef(None, "Gone shop", "G-1")  # re-link data kept
    assert doc.items[2].product is None and doc.items[2].flip_v
    assert (doc.items[3].text, doc.items[3].color, doc.items[3].font_size) == (
        "Packing list",
        "#aa0000",
        48.0,
    )
    assert all(item.id for item in doc.items)


def test_z_order_on_top_and_between(store: BoardStore) -> None:
    board = store.create_board("B")
    bottom = store.add_item(_text(board.id, "bottom"))
    top = store.add_item(_text(board.id, "top"))
    middle = store.add_item(
        dataclasses.replace(_text(board.id, "middle"), z=key_between(bottom.z, top.z))
    )
    doc = store.document(board.id)
    assert doc is not None
    assert [i.text for i in doc.items] == ["bottom", "middle", "top"]
    # Bring the bottom one to the front: only its key changes.
    [moved] = store.update_items([(bottom.id, {"z": key_between(top.z, None)})])
    doc = store.document(board.id)
    assert doc is not None
    assert [i.id for i in doc.items] == [middle.id, top.id, bottom.id]
    assert moved == doc.items[-1]


def test_update_items_is_one_transaction(store: BoardStore) -> None:
    board = store.create_board("B")
    a = store.add_item(_text(board.id, "a"))
    b = store.add_item(_text(board.id, "b"))
    outbox_before = _count(store.db, "SELECT count(*) FROM outbox")
    moved = store.update_items([(a.id, {"x": 500.0, "y": 20.0}), (b.id, {"x": 600.0})])
    assert [(i.x, i.y) for i in moved] == [(500.0, 20.0), (600.0, 100.0)]
    assert _count(store.db, "SELECT count(*) FROM outbox") == outbox_before + 2
    before = store.document(board.id)
    # The second change names an unknown item: the first is not applied either.
    with pytest.raises(StoreError, match="no board item"):
        store.update_items([(a.id, {"x": 1.0}), ("nope", {"x": 2.0})])
    with pytest.raises(ValueError):
        store.update_items([(a.id, {"x": 1.0}), (b.id, {"width": 0})])
    with pytest.raises(TypeError, match="board_id"):
        store.update_items([(a.id, {"board_id": "other"})])
    assert store.document(board.id) == before
    assert _count(store.db, "SELECT count(*) FROM outbox") == outbox_before + 2


def test_a_board_holds_at_most_200_items(store: BoardStore) -> None:
    board = store.create_board("Full")
    items = [store.add_item(_text(board.id, str(i))) for i in range(MAX_BOARD_ITEMS)]
    assert max(len(i.z) for i in items) <= 5  # appended keys stay short
    with pytest.raises(StoreError, match="a board holds at most 200 items"):
        store.add_item(_text(board.id, "one too many"))
    store.delete_item(items[0].id)
    extra = store.add_item(_text(board.id, "fits again"))
    with pytest.raises(StoreError, match="a board holds at most 200 items"):
        store.restore_item(items[0].id)
    # Re-adding an existing live item (redo) is not an extra item.
    assert store.add_item(extra).id == extra.id
    doc = store.document(board.id)
    assert doc is not None and len(doc.items) == MAX_BOARD_ITEMS
    assert _count(store.db, "SELECT count(*) FROM board_items") == MAX_BOARD_ITEMS + 1
    assert store.summaries()[0].item_count == MAX_BOARD_ITEMS


def test_delete_and_restore_items_are_tombstones(store: BoardStore) -> None:
    board = store.create_board("B")
    a = store.add_item(_text(board.id, "a"))
    b = store.add_item(_text(board.id, "b"))
    store.delete_item(a.id)
    doc = store.document(board.id)
    assert doc is not None and doc.items == (b,)
    assert _count(store.db, "SELECT count(*) FROM board_items WHERE deleted_at IS NOT NULL") == 1
    assert store.restore_item(a.id) == a
    doc = store.document(board.id)
    assert doc is not None and doc.items == (a, b)
    newest = store.add_item(_text(board.id, "c"))
    store.delete_item(newest.id)
    assert store.add_item(_text(board.id, "d")).z > newest.z  # tombstones count for "on top"


def test_duplicate_trash_restore_and_summaries(store: BoardStore) -> None:
    first = store.create_board("Cabin weekend")
    second = store.create_board("City break")
    item = store.add_item(_text(first.id, "keep"))
    gone = store.add_item(_text(first.id, "deleted"))
    store.delete_item(gone.id)
    copy = store.duplicate_board(first.id)
    assert copy.title == "Copy of Cabin weekend" and copy.id != first.id
    copied = store.document(copy.id)
    assert copied is not None and len(copied.items) == 1
    assert copied.items[0].id != item.id and copied.items[0].board_id == copy.id
    assert dataclasses.replace(copied.items[0], id=item.id, board_id=first.id) == item

    assert [s.id for s in store.summaries()] == [copy.id, first.id, second.id]
    store.update_items([(item.id, {"x": 5.0})])  # an item's edit makes its board recent
    assert store.summaries()[0].id == first.id
    assert [s.id for s in store.summaries(text="CABIN")] == [first.id, copy.id]
    store.trash_board(second.id)
    assert [s.id for s in store.summaries(trashed=True)] == [second.id]
    assert second.id not in [s.id for s in store.summaries()]
    store.restore_board(second.id)
    assert store.summaries(trashed=True) == []
    summary = next(s for s in store.summaries() if s.id == first.id)
    assert (summary.item_count, summary.background, summary.deleted_at) == (1, "#ffffff", None)


def test_bad_values_and_unknown_ids(store: BoardStore) -> None:
    board = store.create_board("B")
    item = store.add_item(_text(board.id))
    missing = new_id()
    calls: list[Callable[[], object]] = [
        lambda: store.update_board(missing, title="x"),
        lambda: store.duplicate_board(missing),
        lambda: store.trash_board(missing),
        lambda: store.restore_board(missing),
        lambda: store.add_item(_text(missing)),
        lambda: store.delete_item(missing),
        lambda: store.restore_item(missing),
        lambda: store.update_items([(missing, {"x": 1})]),
    ]
    for call in calls:
        with pytest.raises(StoreError, match=missing):
            call()
    assert store.document(missing) is None
    with pytest.raises(ValueError):
        store.add_item(BoardItem("", board.id, BoardItemKind.PRODUCT, 0, 0, 10, 10))  # no ref
    with pytest.raises(ValueError):
        store.add_item(BoardItem("", board.id, BoardItemKind.PHOTO, 0, 0, 10, 10))  # no media
    with pytest.raises(ValueError):
        store.update_items([(item.id, {"x": math.nan})])
    with pytest.raises(ValueError):
        store.update_items([(item.id, {"flip_h": 1})])
    with pytest.raises(ValueError):
        store.update_board(board.id, width=-5)
    with pytest.raises(TypeError):
        store.update_board(board.id, colour="#000")
    doc = store.document(board.id)
    assert doc is not None and doc.items == (item,)
