"""The boards page writes on the writer lane.

Every board edit is a job for the writer lane, never a store call on the GUI thread; an edit
shows at once even while another connection holds the content file's write lock, and is saved
once it is released; a refusal says why and changes nothing.
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


def _count_calls(target: Any, name: str) -> list[int]:
    """Count the calls of ``target.name`` (an instance attribute shadowing the method)."""
    calls: list[int] = []
    original = getattr(target, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
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
