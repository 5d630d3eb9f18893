"""The shops page as a user works it: the shop list, and filling shelves from the catalog."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from test_shops_support import (
    drop_products,
    error_shown,
    new_shop,
    open_page,
    shown_products,
    stored,
    stored_products,
    written,
)

from studio.system.paths import Paths
from studio.ui.shops.api import ShopsPage
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any) -> ShopsPage:
    return open_page(qtbot, tasks, paths, store)


def test_build_a_shop_by_dropping_catalog_products(
    qtbot: QtBot, page: ShopsPage, tasks: TaskManager, paths: Paths, store: Any
) -> None:
    new_shop(qtbot, page, "Summer picks")
    # The new shop has one shelf; drop two picker rows on its header, then one more below.
    ids = drop_products(qtbot, page, [0, 1], at_row=0)
    more = drop_products(qtbot, page, [5], at_row=2, lower=True)
    assert shown_products(page) == [("Favourites", ids + more)]
    assert stored_products(page) == shown_products(page)
    # Dropping the third product between the first two puts it there.
    third = drop_products(qtbot, page, [7], at_row=1, lower=True)
    assert shown_products(page)[0][1] == [ids[0], third[0], ids[1], more[0]]
    assert page.editor.counter.text() == "4 of 30 products · 26 left · Starter"
    # Undo takes back the last drop, redo brings it back to the same place.
    page.undo_stack.undo()
    assert shown_products(page)[0][1] == ids + more  # at once
    assert stored_products(page)[0][1] == ids + more
    page.undo_stack.redo()
    assert shown_products(page)[0][1] == [ids[0], third[0], ids[1], more[0]]
    assert stored_products(page)[0][1] == [ids[0], third[0], ids[1], more[0]]
    # Everything is in the store: a new page over the same database shows the same shelves.
    again = open_page(qtbot, tasks, paths, store)
    qtbot.waitUntil(lambda: again.controller.doc is not None)
    assert shown_products(again) == shown_products(page)


def test_create_with_a_normalised_handle_refuse_a_taken_one_duplicate_trash_undo(
    qtbot: QtBot, page: ShopsPage
) -> None:
    shop_list = page.shop_list
    page.profile.set_tier_from_platform("full")  # a member who may run several shops
    # The handle is suggested from the title as it will be stored.
    qtbot.keyClicks(shop_list.title, "Beach  Days. 2027")
    assert shop_list.handle.text() == "beach-days-2027"
    assert "beach-days-2027" in shop_list.handle_hint.text()
    shop_list.title.clear()
    first = new_shop(qtbot, page, "Summer picks", handle="My Summer_Picks")
    assert stored(page).shop.handle == "my-summer-picks"
    qtbot.waitUntil(lambda: shop_list.list.count() == 1)
    # The same handle again is refused with the store's reason; no second shop.
    qtbot.keyClicks(shop_list.title, "Other")
    shop_list.handle.clear()
    qtbot.keyClicks(shop_list.handle, "my summer picks")
    qtbot.mouseClick(shop_list.create_button, Qt.MouseButton.LeftButton)
    reason = error_shown(qtbot, page)
    assert "already used" in reason and "my-summer-picks" in reason
    assert len(page.shops.summaries()) == 1
    shop_list.title.clear()
    shop_list.handle.clear()
    # Duplicate: a copy with a free handle opens.
    qtbot.mouseClick(shop_list.duplicate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: (
            shop_list.list.count() == 2
            and page.controller.doc is not None
            and page.controller.doc.shop.handle == "my-summer-picks-copy"
        )
    )
    # Trash the copy; undo brings it back, redo trashes it again.
    qtbot.mouseClick(shop_list.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shop_list.list.count() == 1 and page.controller.shop_id == first)
    assert [s.handle for s in written(page).summaries(trashed=True)] == ["my-summer-picks-copy"]
    page.undo_stack.undo()
    qtbot.waitUntil(lambda: shop_list.list.count() == 2)
    assert written(page).summaries(trashed=True) == []
    page.undo_stack.redo()
    qtbot.waitUntil(lambda: shop_list.list.count() == 1)
    # Restore from the trash view.
    qtbot.mouseClick(shop_list.trash_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: [s.deleted_at is not None for s in shop_list.summaries] == [True])
    qtbot.mouseClick(shop_list.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not shop_list.trashed and shop_list.list.count() == 2)
    assert len(written(page).summaries()) == 2


def test_ctrl_n_goes_to_the_new_shop_form(qtbot: QtBot, page: ShopsPage) -> None:
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.editor.view.setFocus()
    qtbot.keyClick(page.editor.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.shop_list.title.hasFocus())
    qtbot.keyClicks(page.shop_list.title, "Keyboard shop")
    qtbot.keyClick(page.shop_list.title, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (
            page.controller.doc is not None and page.controller.doc.shop.handle == "keyboard-shop"
        )
    )


def test_the_page_reopens_the_shop_it_was_left_on(
    qtbot: QtBot, page: ShopsPage, tasks: TaskManager, paths: Paths, store: Any, tmp_path: Any
) -> None:
    from PySide6.QtCore import QSettings

    page.profile.set_tier_from_platform("full")
    new_shop(qtbot, page, "Alpha")
    second = new_shop(qtbot, page, "Beta")
    qtbot.waitUntil(lambda: page.shop_list.list.count() == 2)
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    page.save_state(settings)
    again = open_page(qtbot, tasks, paths, store)
    again.restore_state(settings)
    qtbot.waitUntil(
        lambda: again.controller.doc is not None and again.controller.doc.shop.id == second
    )
    assert again.editor.title.text() == "Beta"
