"""The boards page writes on the writer lane and refreshes from ``TaskManager.changed``.

Every board edit is a job for the writer lane, never a store call on the GUI thread; an edit
shows at once even while another connection holds the content file's write lock, and is saved
once it is released; a change made elsewhere refreshes only the views that show it (and never
the typing under way); a refusal says why and changes nothing.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QColorDialog
from pytestqt.qtbot import QtBot
from test_boards_support import (
    add_label,
    click,
    drag,
    drop_files,
    drop_products,
    first_product_id,
    fixture_photo,
    new_board,
    open_page,
    saved,
    settle,
    stored,
)

from studio.core.boards import BoardItemKind
from studio.core.changes import CATALOG_CHANGED
from studio.core.errors import StoreError
from studio.system.paths import Paths
from studio.ui.boards.api import BoardsPage
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui

WRITES = (
    "create_board",
    "update_board",
    "duplicate_board",
    "trash_board",
    "restore_board",
    "add_item",
    "update_items",
    "delete_item",
    "restore_item",
)


@pytest.fixture
def page(qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any) -> BoardsPage:
    return open_page(qtbot, tasks, paths, store)


def _button(page: BoardsPage, name: str) -> Any:
    return page.editor.toolbar.widgetForAction(page.editor.actions_by_name[name])


def _key(qtbot: QtBot, page: BoardsPage, key: Qt.Key, mods: Any = None) -> None:
    page.activateWindow()
    page.editor.view.setFocus()
    qtbot.keyClick(page.editor.view, key, mods or Qt.KeyboardModifier.NoModifier)


def _count_calls(target: Any, name: str, only: Callable[[Any], bool] | None = None) -> list[int]:
    """Count the calls of ``target.name`` (an instance attribute shadowing the method); with
    ``only``, those whose first argument it accepts."""
    calls: list[int] = []
    original = getattr(target, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        if only is None or (args and only(args[0])):
            calls.append(1)
        return original(*args, **kwargs)

    setattr(target, name, counted)
    return calls


def _by_another_writer(tasks: TaskManager, job: Callable[[], object]) -> None:
    """A write made elsewhere (another page, an import): on the lane, origin None, so its
    Changes reach every view."""
    done: list[object] = []
    tasks.write(job, done.append)
    assert tasks.wait_written()


def test_no_board_write_runs_on_the_gui_thread(
    qtbot: QtBot, page: BoardsPage, store: Any, fixtures_dir: Path
) -> None:
    threads: dict[str, list[bool]] = {name: [] for name in WRITES}
    for name in WRITES:
        original = getattr(page.boards, name)

        def recorded(*args: Any, _name: str = name, _fn: Any = original, **kwargs: Any) -> Any:
            threads[_name].append(threading.current_thread() is threading.main_thread())
            return _fn(*args, **kwargs)

        setattr(page.boards, name, recorded)
    lst = page.board_list
    first = new_board(qtbot, page)
    lst.list.currentItem().setText("Picnic")  # renamed in place
    label = add_label(qtbot, page, at=(300, 300))
    _key(qtbot, page, Qt.Key.Key_Right)  # a nudge
    qtbot.mouseClick(_button(page, "flip_h"), Qt.MouseButton.LeftButton)
    drop_files(page, [fixture_photo(fixtures_dir)], 800, 800)
    settle(qtbot, page, 2)
    drop_products(page, [first_product_id(store)], 600, 900)
    settle(qtbot, page, 3)
    qtbot.mouseClick(_button(page, "background"), Qt.MouseButton.LeftButton)
    dialog = page.editor.findChild(QColorDialog, "boardBackgroundDialog")
    dialog.setCurrentColor(QColor("#eeddcc"))
    dialog.accept()
    click(page, label.x, label.y)
    _key(qtbot, page, Qt.Key.Key_Delete)
    page.editor.undo.undo()  # the label back: restored
    page.editor.undo.redo()
    qtbot.mouseClick(lst.duplicate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: lst.list.count() == 2)
    lst.list.setCurrentRow(next(i for i in range(2) if lst.list.item(i).text() == "Picnic"))
    qtbot.waitUntil(lambda: page.editor.board_id == first)
    qtbot.mouseClick(lst.delete_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(lst.trash_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: lst.list.count() == 1 and lst.current_id() == first)
    qtbot.mouseClick(lst.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: lst.list.count() == 2 and not lst.trashed)
    saved(page)
    assert all(threads.values()), {n: len(t) for n, t in threads.items()}  # each one ran
    on_gui = sorted(name for name, runs in threads.items() if any(runs))
    assert on_gui == []


def test_an_edit_under_another_writers_lock_shows_at_once_and_is_saved_after(
    qtbot: QtBot, page: BoardsPage, paths: Paths
) -> None:
    new_board(qtbot, page)
    a = add_label(qtbot, page, at=(300, 300))
    b = add_label(qtbot, page, at=(800, 800))
    graphics = page.editor.controller.graphics
    conn = sqlite3.connect(paths.database, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        click(page, a.x, a.y)
        for _ in range(3):
            _key(qtbot, page, Qt.Key.Key_Right)
        assert graphics[a.id].item.x == a.x + 3  # shown at once
        qtbot.mouseClick(_button(page, "text"), Qt.MouseButton.LeftButton)
        assert page.editor.scene.editor_item is not None  # the new label, open for typing
        qtbot.keyClicks(page.editor.view, "Held")
        qtbot.keyClick(page.editor.view, Qt.Key.Key_Return)
        (held,) = set(graphics) - {a.id, b.id}
        assert graphics[held].item.text == "Held"
        # The window goes on answering: another item is chosen, the view zooms.
        qtbot.wait(300)  # the lane meanwhile keeps asking for the lock
        click(page, b.x, b.y)
        assert [g.item_id for g in page.editor.scene.selected_board_items()] == [b.id]
        zoom = page.editor.view.zoom
        _key(qtbot, page, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
        assert page.editor.view.zoom > zoom
        # Nothing was saved yet (readers are never blocked: the store is read as it is).
        assert page.editor.writes.pending > 0
        doc = page.boards.document(a.board_id)
        assert doc is not None and {i.id: i for i in doc.items} == {a.id: a, b.id: b}
    finally:
        conn.rollback()
        conn.close()
    after = stored(page)  # the lane got the lock: every edit saved, in order, none lost
    assert after[a.id].x == a.x + 3 and after[held].text == "Held"
    assert page.editor.undo.undoText() == "Edit text"
    page.editor.undo.undo()
    assert stored(page)[held].text == "Your text"


def test_a_change_from_elsewhere_refreshes_only_the_views_that_show_it(
    qtbot: QtBot, page: BoardsPage, tasks: TaskManager, store: Any
) -> None:
    from studio.store.looks import LookStore

    other = new_board(qtbot, page)
    new_board(qtbot, page)
    label = add_label(qtbot, page, at=(300, 300))
    drop_products(page, [first_product_id(store)], 700, 700)
    settle(qtbot, page, 2)
    product = next(i for i in stored(page).values() if i.kind is BoardItemKind.PRODUCT)
    qtbot.waitUntil(lambda: "Loading" not in " ".join(page.editor.products.entries()))
    click(page, label.x, label.y)
    _key(qtbot, page, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    zoom, steps = page.editor.view.zoom, page.editor.undo.count()
    documents = _count_calls(page.boards, "document")
    summaries = _count_calls(page.boards, "summaries")
    # The board's product's card (the catalog tab's picker reads pages of its own).
    pid = product.product.product_id if product.product is not None else None
    cards = _count_calls(store, "cards", lambda ids: list(ids) == [pid])

    # The page's own edit: on the canvas already, nothing is read again.
    _key(qtbot, page, Qt.Key.Key_Right)
    saved(page)
    qtbot.wait(100)  # any echo would have been delivered by now
    assert (documents, summaries, cards) == ([], [], [])
    # Another writer moves the label: the editor shows it, keeping selection, zoom and undo.
    boards = page.boards
    _by_another_writer(tasks, lambda: boards.update_items([(label.id, {"x": 111.0})]))
    qtbot.waitUntil(lambda: page.editor.controller.graphics[label.id].item.x == 111.0)
    assert len(documents) == 1 and len(summaries) == 1  # the list's count or order may move
    assert [g.item_id for g in page.editor.scene.selected_board_items()] == [label.id]
    assert page.editor.view.zoom == zoom and page.editor.undo.count() == steps + 1
    # Another board changes: the list reads again, the editor does not.
    _by_another_writer(tasks, lambda: boards.update_board(other, title="Renamed elsewhere"))
    qtbot.waitUntil(
        lambda: (
            "Renamed elsewhere"
            in [page.board_list.list.item(i).text() for i in range(page.board_list.list.count())]
        )
    )
    assert len(documents) == 1 and len(summaries) == 2
    # A look (another page's record): no board view reads anything.
    looks = LookStore(store.db)
    _by_another_writer(tasks, lambda: looks.create_look("A look"))
    qtbot.wait(100)
    assert len(documents) == 1 and len(summaries) == 2 and cards == []
    # The catalog changed (an import): only the shoppable-product list asks again.
    tasks.changed.emit(CATALOG_CHANGED, None)
    qtbot.waitUntil(lambda: len(cards) == 1)
    assert len(documents) == 1 and len(summaries) == 2
    assert product.product is not None and product.product.product_id is not None
    assert page.editor.products.answered(product.product.product_id)


def test_typing_in_a_label_survives_a_change_made_elsewhere(
    qtbot: QtBot, page: BoardsPage, tasks: TaskManager
) -> None:
    new_board(qtbot, page)
    other = add_label(qtbot, page, at=(300, 300))
    page.editor.add_text()
    (typed,) = set(page.editor.controller.graphics) - {other.id}
    qtbot.keyClicks(page.editor.view, "Half")
    boards = page.boards
    _by_another_writer(tasks, lambda: boards.update_items([(other.id, {"y": 999.0})]))
    qtbot.wait(100)  # the change was heard while the label was being typed in
    assert page.editor.scene.editor_item is not None  # the typing goes on, as it was
    qtbot.keyClicks(page.editor.view, " typed")
    qtbot.keyClick(page.editor.view, Qt.Key.Key_Return)
    # Both kept: the words typed, and (read once the typing ended) the other writer's move.
    qtbot.waitUntil(lambda: page.editor.controller.graphics[other.id].item.y == 999.0)
    assert page.editor.controller.graphics[typed].item.text == "Half typed"
    assert stored(page)[typed].text == "Half typed" and stored(page)[other.id].y == 999.0


def test_a_drag_under_way_keeps_both_its_move_and_a_change_made_elsewhere(
    qtbot: QtBot, page: BoardsPage, tasks: TaskManager
) -> None:
    new_board(qtbot, page)
    label = add_label(qtbot, page, at=(300, 300))
    boards = page.boards

    def turned_elsewhere() -> None:
        _by_another_writer(tasks, lambda: boards.update_items([(label.id, {"rotation": 30.0})]))
        qtbot.wait(100)  # heard while the button is still down
        assert page.editor.scene.dragging

    alt = Qt.KeyboardModifier.AltModifier  # no snapping
    drag(page, (label.x, label.y), (label.x + 50, label.y + 20), mods=alt, during=turned_elsewhere)
    # Read again once the drag was over: the other writer's turn and the user's move, both.
    qtbot.waitUntil(lambda: page.editor.controller.graphics[label.id].item.rotation == 30.0)
    shown = page.editor.controller.graphics[label.id].item
    assert (shown.x, shown.y) == (
        pytest.approx(label.x + 50, abs=2),
        pytest.approx(label.y + 20, abs=2),
    )
    assert stored(page)[label.id] == shown


def test_a_refused_product_says_why_and_changes_nothing(
    qtbot: QtBot, page: BoardsPage, store: Any, paths: Paths
) -> None:
    from studio.store.profile import ProfileStore

    new_board(qtbot, page)
    label = add_label(qtbot, page, at=(300, 300))
    click(page, label.x, label.y)
    _key(qtbot, page, Qt.Key.Key_Right)
    product_id = first_product_id(store)
    detail = store.detail(product_id)
    ProfileStore(store.db).add_affiliation("House Label", detail.category, "makes")
    steps, before = page.editor.undo.count(), stored(page)
    # The store is busy when the product is dropped: the drop waits for its answer, the
    # window does not.
    conn = sqlite3.connect(paths.database, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        drop_products(page, [product_id], 700, 700)
        qtbot.waitUntil(lambda: page.editor.writes.pending == 1)  # looked up, then queued
        qtbot.wait(300)
        zoom = page.editor.view.zoom
        _key(qtbot, page, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
        assert page.editor.view.zoom > zoom
        # Never shown before the store said yes.
        assert set(page.editor.controller.graphics) == {label.id}
    finally:
        conn.rollback()
        conn.close()
    qtbot.waitUntil(lambda: page.editor.busy == 0 and page.editor.status.isVisible())
    assert "is a competitor in that category, so its products cannot be" in (
        page.editor.status.text()
    )
    # Nothing changed: the canvas, the store, and the undo history (kept, not cleared).
    assert set(page.editor.controller.graphics) == {label.id}
    assert page.editor.undo.count() == steps and stored(page) == before
    page.editor.undo.undo()
    assert stored(page)[label.id] == label


def test_a_failed_save_says_why_and_shows_the_board_as_stored(
    qtbot: QtBot, page: BoardsPage
) -> None:
    new_board(qtbot, page)
    label = add_label(qtbot, page, at=(300, 300))
    click(page, label.x, label.y)
    store_update = page.boards.update_items

    def disk_full(*_args: Any, **_kwargs: Any) -> Any:
        raise StoreError("the disk is full")

    page.boards.update_items = disk_full  # type: ignore[method-assign]
    _key(qtbot, page, Qt.Key.Key_Right)  # shown at once, then refused by the store
    qtbot.waitUntil(lambda: "the disk is full" in page.editor.status.text())
    # The undo history no longer matches the store: cleared; the canvas shows what is saved.
    qtbot.waitUntil(lambda: page.editor.controller.graphics[label.id].item.x == label.x)
    assert page.editor.undo.count() == 0
    page.boards.update_items = store_update  # type: ignore[method-assign]
    _key(qtbot, page, Qt.Key.Key_Right)
    assert stored(page)[label.id].x == label.x + 1


def test_a_tie_declared_elsewhere_flags_the_product_on_the_open_board(
    qtbot: QtBot, page: BoardsPage, tasks: TaskManager, store: Any
) -> None:
    from studio.core.board_checks import BoardCheckKind
    from studio.store.profile import ProfileStore

    new_board(qtbot, page)
    product_id = first_product_id(store)
    drop_products(page, [product_id], 600, 600)
    settle(qtbot, page, 1)
    checks = page.editor.checks
    qtbot.waitUntil(lambda: not page.editor.products.entries()[0].endswith("Loading…"))
    assert BoardCheckKind.CONFLICT not in [i.kind for i in checks.issues]
    # Declared on the profile page (another page's write): the Checks tab, not shown, hears it.
    profile, category = ProfileStore(store.db), store.detail(product_id).category
    _by_another_writer(tasks, lambda: profile.add_affiliation("House Label", category, "makes"))
    qtbot.waitUntil(lambda: BoardCheckKind.CONFLICT in [i.kind for i in checks.issues])
    assert checks.tabs.currentIndex() == 0


def test_a_title_being_typed_survives_a_change_made_elsewhere(
    qtbot: QtBot, page: BoardsPage, tasks: TaskManager
) -> None:
    from PySide6.QtWidgets import QApplication, QLineEdit

    lst = page.board_list
    other = new_board(qtbot, page)
    mine = new_board(qtbot, page)
    with qtbot.waitSignal(lst.refreshed):  # the list as stored: no read of its own under way
        lst.refresh()
    assert lst.list.count() == 2 and lst.current_id() == mine
    qtbot.mouseClick(lst.rename_button, Qt.MouseButton.LeftButton)
    field = QApplication.focusWidget()
    assert isinstance(field, QLineEdit)
    field.selectAll()
    qtbot.keyClicks(field, "Half")
    boards = page.boards
    _by_another_writer(tasks, lambda: boards.update_board(other, title="Renamed elsewhere"))
    qtbot.wait(100)  # heard while the title is being typed
    assert field.isVisible() and field.hasFocus() and field.text() == "Half"
    qtbot.keyClicks(field, " typed")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    titles = lambda: sorted(lst.list.item(i).text() for i in range(lst.list.count()))  # noqa: E731
    qtbot.waitUntil(lambda: titles() == ["Half typed", "Renamed elsewhere"])
    saved(page)
    assert boards.document(mine).board.title == "Half typed"  # type: ignore[union-attr]
