"""The shops page writes through the writer lane and follows what others write (issue 11).

Driven as a user drives it, over real stores: no store call of the page runs on the GUI
thread; an edit made while another process holds the store's write lock shows at once, the
window keeps answering, and the edit is saved once the lock is released; a write published by
someone else refreshes what it touches and nothing more; a refused edit says why and leaves
the shelves and the undo stack as they were.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot
from test_looks_helpers import drop
from test_shops_support import (
    drag_rows,
    drop_products,
    error_shown,
    new_shop,
    open_page,
    picker_mime,
    publish,
    row_point,
    select_rows,
    shown_products,
    stored,
    stored_products,
    written,
)

from studio.core.changes import CATALOG_CHANGED
from studio.store.shops import ShopStore
from studio.system.paths import Paths
from studio.ui.shops.api import ShopsPage
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui

WRITES = {
    "create_shop",
    "update_shop",
    "duplicate_shop",
    "trash_shop",
    "restore_shop",
    "add_section",
    "rename_section",
    "move_section",
    "set_section_position",
    "remove_section",
    "restore_section",
    "add_items",
    "update_item",
    "move_items",
    "place_items",
    "sort_section",
    "remove_items",
    "restore_items",
    "accept_prices",
    "apply_replacements",
    "fix_health",
    "revert_items",
}


read_items: list[str] = []


@pytest.fixture
def page(qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any) -> ShopsPage:
    return open_page(qtbot, tasks, paths, store)


@pytest.fixture
def calls(page: ShopsPage, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, bool]]]:
    """Every call of the page's ShopStore: (method, whether on the GUI thread); the ids the
    page read items of go to ``read_items``."""
    seen: list[tuple[str, bool]] = []
    read_items.clear()
    shops = page.shops
    for name in dir(ShopStore):
        if name.startswith("_") or not callable(getattr(ShopStore, name)):
            continue
        real = getattr(shops, name)

        def spy(*args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
            seen.append((_name, threading.current_thread() is threading.main_thread()))
            if _name == "items":
                read_items.extend(args[0])
            return _real(*args, **kwargs)

        monkeypatch.setattr(shops, name, spy)
    yield seen


def _rename_header(qtbot: QtBot, page: ShopsPage, row: int, title: str) -> None:
    view = page.editor.view
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=row_point(page, row))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: view.state() == view.State.EditingState)
    editor = view.focusWidget()
    editor.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(editor, title)
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the view commits it on its next turn
    qtbot.waitUntil(lambda: page.controller.model.section_at(row).title == title)  # type: ignore[union-attr]


def test_no_store_call_of_the_page_runs_on_the_gui_thread(
    qtbot: QtBot,
    page: ShopsPage,
    calls: list[tuple[str, bool]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    view, editor, undo = page.editor.view, page.editor, page.undo_stack
    publish(page.controller.tasks, lambda: page.profile.set_tier_from_platform("full"))
    shop_id = new_shop(qtbot, page, "Summer picks")
    ids = drop_products(qtbot, page, [0, 1, 2, 3], at_row=0)
    assert drag_rows(page, [1], 3, lower=True)  # a reorder
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=row_point(page, 2))
    qtbot.keyClicks(editor.note, "Lovely")
    qtbot.keyClick(editor.note, Qt.Key.Key_Return)
    qtbot.mouseClick(editor.featured, Qt.MouseButton.LeftButton)
    view.setCurrentIndex(page.controller.model.index(0))
    editor.sort_price_action.trigger()
    qtbot.waitUntil(lambda: undo.undoText() == "Sort by price")
    select_rows(page, [1])
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    # Shelves: add (its title typed), rename, move, remove.
    view.setCurrentIndex(page.controller.model.index(0))
    editor.add_shelf_action.trigger()
    qtbot.waitUntil(lambda: view.state() == view.State.EditingState)
    qtbot.keyClicks(view.focusWidget(), "Shoes")
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: [t for t, _ in shown_products(page)] == ["Favourites", "Shoes"])
    _rename_header(qtbot, page, 0, "Beach")
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert [t for t, _ in shown_products(page)] == ["Shoes", "Beach"]
    view.setCurrentIndex(page.controller.model.index(0))
    editor.remove_shelf_action.trigger()  # the empty one
    assert [t for t, _ in shown_products(page)] == ["Beach"]
    # Settings: a title typed, an accent chosen, a handle.
    form = editor.settings
    qtbot.mouseClick(form.title, Qt.MouseButton.LeftButton)
    form.title.selectAll()
    qtbot.keyClicks(form.title, "Beach edit")
    qtbot.keyClick(form.title, Qt.Key.Key_Tab)
    monkeypatch.setattr(
        "studio.ui.shops.settings_form.QColorDialog.getColor", lambda *a, **k: QColor("#1a7f37")
    )
    qtbot.mouseClick(form.accent_button, Qt.MouseButton.LeftButton)
    form.handle.selectAll()
    qtbot.keyClicks(form.handle, "beach-edit")
    qtbot.keyClick(form.handle, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: undo.undoText() == "Change handle")
    # Health: accept a price, replace, fix all (the store decides them).
    page.controller.accept_prices([i.id for i in stored(page).items[:1]])
    qtbot.waitUntil(lambda: undo.undoText() == "Accept new prices")
    page.messages.hide()
    page.controller.fix_all()  # what the health panel's Fix all does
    qtbot.waitUntil(lambda: page.messages.isVisible())
    # Every step back, then forward again; then the shop list's edits.
    steps = undo.count()
    while undo.canUndo():
        undo.undo()
    while undo.canRedo():
        undo.redo()
    assert undo.count() == steps  # no step was lost or added on the way
    shop_list = page.shop_list
    qtbot.waitUntil(lambda: _open(page, shop_id), timeout=10_000)
    qtbot.waitUntil(lambda: shop_list.current_id() == shop_id)
    qtbot.mouseClick(shop_list.duplicate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shop_list.list.count() == 2)
    qtbot.mouseClick(shop_list.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shop_list.list.count() == 1)
    undo.undo()
    qtbot.waitUntil(lambda: shop_list.list.count() == 2)
    assert len(stored(page).items) == len(ids) - 1
    names = {name for name, _ in calls}
    missing = WRITES - names - {"apply_replacements"}  # (a suggestion's: its own test)
    assert not missing, f"not exercised: {sorted(missing)}"
    on_gui = sorted({name for name, gui in calls if gui})
    assert on_gui == [], f"store calls on the GUI thread: {on_gui}"


def test_an_edit_while_another_process_holds_the_lock_shows_at_once_and_is_saved(
    qtbot: QtBot, page: ShopsPage, paths: Paths, store: Any
) -> None:
    new_shop(qtbot, page, "Summer picks")
    a, b, c = drop_products(qtbot, page, [0, 1, 2], at_row=0)
    # Were a write to wait on the GUI thread, it would fail after this instead of freezing.
    store.db.write_patience = 15
    view, shop_id = page.editor.view, stored_id(page)
    other = sqlite3.connect(paths.database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process writing the content file
    try:
        select_rows(page, [1])
        view.setFocus()
        qtbot.keyClick(view, Qt.Key.Key_Delete)
        assert shown_products(page)[0][1] == [b, c]  # at once
        assert drag_rows(page, [2], 1, lower=False)  # c above b
        assert shown_products(page)[0][1] == [c, b]
        # The window answers: another row is chosen, a note typed and saved (queued).
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=row_point(page, 2))
        assert page.editor.selected_items()[0].product.product_id == b
        qtbot.keyClicks(page.editor.note, "Waits its turn")
        qtbot.keyClick(page.editor.note, Qt.Key.Key_Return)
        qtbot.wait(300)
        assert page.shops.document(shop_id).item_count == 3  # nothing written yet
    finally:
        other.rollback()
        other.close()
    assert not page.messages.is_error
    assert stored_products(page) == shown_products(page) == [("Favourites", [c, b])]
    assert stored(page).items[1].note == "Waits its turn"
    # Undo puts each back, in order, through the lane too.
    page.undo_stack.undo()
    page.undo_stack.undo()
    page.undo_stack.undo()
    assert shown_products(page)[0][1] == [a, b, c]
    assert stored_products(page)[0][1] == [a, b, c] and stored(page).items[1].note == ""


def _open(page: ShopsPage, shop_id: str) -> bool:
    c = page.controller
    return c.doc is not None and c.doc.shop.id == shop_id and not c.loading


def stored_id(page: ShopsPage) -> str:
    assert page.controller.shop_id is not None
    return page.controller.shop_id


def test_a_write_from_elsewhere_refreshes_what_it_touches_and_nothing_else(
    qtbot: QtBot, page: ShopsPage, calls: list[tuple[str, bool]]
) -> None:
    tasks, shops = page.controller.tasks, written(page)
    publish(tasks, lambda: page.profile.set_tier_from_platform("full"))
    other = new_shop(qtbot, page, "Other picks")
    drop_products(qtbot, page, [5], at_row=0)
    mine = new_shop(qtbot, page, "Summer picks")
    _a, b, c = drop_products(qtbot, page, [0, 1, 2], at_row=0)
    model = page.controller.model
    # The drop's health check is due 250 ms after it (a timer), not at once: wait for it too,
    # or under load it fires after calls.clear() below and looks like a needless read.
    qtbot.waitUntil(
        lambda: (
            page.controller.health_known
            and not page.controller._health_timer.isActive()
            and tasks.running == 0
        )
    )
    select_rows(page, [3])
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    calls.clear()
    # Another shop's item changes: the list reads again; the open shop reads nothing.
    (other_item,) = shops.document(other).items
    publish(tasks, lambda: shops.update_item(other_item.id, note="elsewhere"))
    qtbot.waitUntil(lambda: ("summaries", False) in calls)
    qtbot.wait(100)
    assert {n for n, _ in calls} == {"summaries"}, calls
    # The open shop's items change: exactly those are read and shown in place.
    calls.clear()
    read_items.clear()
    first, _second, third = stored(page).items
    publish(tasks, lambda: shops.update_item(third.id, note="Changed elsewhere"))
    publish(tasks, lambda: shops.remove_items([first.id]))
    qtbot.waitUntil(lambda: shown_products(page)[0][1] == [b, c], timeout=5_000)
    qtbot.waitUntil(lambda: model.item(third.id).note == "Changed elsewhere")  # type: ignore[union-attr]
    assert page.editor.note.text() == "Changed elsewhere"  # the chosen row's note follows
    assert "document" not in {n for n, _ in calls} and resets == []
    assert sorted(read_items) == sorted([first.id, third.id])  # those two rows, no others
    assert [i.id for i in page.editor.selected_items()] == [third.id]  # selection kept
    assert page.undo_stack.count() == 0  # its steps held the records from before that change
    assert page.editor.counter.text().startswith("2 of 10,000 products")
    # The page's own edit is not read back (it is on screen already).
    qtbot.waitUntil(lambda: tasks.running == 0)
    calls.clear()
    qtbot.keyClicks(page.editor.note, "!")
    qtbot.keyClick(page.editor.note, Qt.Key.Key_Return)
    assert tasks.wait_written()
    qtbot.wait(400)  # past the health check's pause
    reads = {n for n, _ in calls} - {"update_item", "health"}
    assert reads == set(), calls
    # A title being typed is kept when the shop's record changes elsewhere; the rest shows.
    form = page.editor.settings
    form.title.selectAll()
    qtbot.keyClicks(form.title, "Half typ")
    publish(tasks, lambda: shops.update_shop(mine, title="Renamed elsewhere", tagline="New"))
    qtbot.waitUntil(lambda: form.tagline.text() == "New")
    assert form.title.text() == "Half typ"
    form.flush()
    assert stored(page).shop.title == "Half typ"  # the last edit wins
    # The catalog changed (an import): the health is checked again.
    calls.clear()
    tasks.changed.emit(CATALOG_CHANGED, None)
    qtbot.waitUntil(lambda: ("health", False) in calls)


def test_a_refused_edit_says_why_and_leaves_shelves_and_undo_as_they_were(
    qtbot: QtBot, page: ShopsPage, paths: Paths, store: Any
) -> None:
    publish(page.controller.tasks, lambda: page.profile.set_tier_from_platform("full"))
    new_shop(qtbot, page, "Other picks", handle="other-picks")
    new_shop(qtbot, page, "Summer picks")
    drop_products(qtbot, page, [0, 1], at_row=0)
    undo = page.undo_stack
    select_rows(page, [2])
    shelves, steps = shown_products(page), (undo.count(), undo.index(), undo.undoText())
    # A product the shop holds already, dropped again while the store is busy elsewhere: the
    # store decides, so nothing shows until it has; the window answers meanwhile; then the
    # store's reason is shown and nothing else changes.
    store.db.write_patience = 5  # were the write on the GUI thread: "busy", not the reason
    other = sqlite3.connect(paths.database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        mime, _ids = picker_mime(qtbot, page, [0])
        page.messages.hide()
        assert drop(page.editor.view.viewport(), mime, row_point(page, 0, lower=True))
        qtbot.wait(200)
        assert shown_products(page) == shelves and not page.messages.isVisible()
        select_rows(page, [1])  # the window answers
        assert page.editor.selected_items()[0].product.product_id == shelves[0][1][0]
    finally:
        other.rollback()
        other.close()
    assert "already in this shop" in error_shown(qtbot, page)
    assert shown_products(page) == shelves == stored_products(page)
    assert (undo.count(), undo.index(), undo.undoText()) == steps
    # A handle another shop has: refused, the field shows the stored one, no step.
    page.messages.hide()
    form = page.editor.settings
    qtbot.mouseClick(form.handle, Qt.MouseButton.LeftButton)
    form.handle.selectAll()
    qtbot.keyClicks(form.handle, "other-picks")
    qtbot.keyClick(form.handle, Qt.Key.Key_Return)
    assert "already used" in error_shown(qtbot, page)
    assert form.handle.text() == "summer-picks" == stored(page).shop.handle
    assert (undo.count(), undo.index(), undo.undoText()) == steps
    assert shown_products(page) == shelves
