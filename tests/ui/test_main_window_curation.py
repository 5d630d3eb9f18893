"""The Shops and Reviews workspaces and the profile in the main window: keys, menus, state."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from uihelp import open_curating_window

from studio.system.paths import Paths
from studio.ui.main_window import MainWindow
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui
SHIFT_CTRL = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def _window(qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any) -> MainWindow:
    window = open_curating_window(qtbot, tasks, paths, store)
    window.activateWindow()  # its keys: the window must be the active one
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_shops_and_reviews_are_workspaces_with_their_keys_undo_and_new(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any
) -> None:
    window = _window(qtbot, tasks, paths, store)
    shops, reviews = window.curation.pages
    assert window.workspace_actions["shops"].isVisible()
    assert window.workspace_actions["reviews"].isVisible()
    qtbot.keyClick(window, Qt.Key.Key_4, SHIFT_CTRL)
    assert window.workspace == "shops" and window.workspaces.currentWidget() is shops
    assert window.undo_group.activeStack() is shops.undo_stack
    # File > New follows the workspace: here it starts a new shop (its title field).
    assert window.new_look_action.text() == shops.new_action.text()
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    assert QApplication.focusWidget() is shops.shop_list.title
    qtbot.keyClick(window, Qt.Key.Key_5, SHIFT_CTRL)
    assert window.workspace == "reviews" and window.undo_group.activeStack() is reviews.undo_stack
    assert window.new_look_action.text() == reviews.new_action.text()
    # Back in Looks, Ctrl+N makes a new look again.
    qtbot.keyClick(window, Qt.Key.Key_2, SHIFT_CTRL)
    assert window.new_look_action.text() == "&New look"
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: window.looks.editing and window.looks.editor.doc is not None)
    # The workspace shown last is shown again on the next start.
    window.show_workspace("reviews")
    window.close()
    again = _window(qtbot, tasks, paths, store)
    assert again.workspace == "reviews"


def test_edit_profile_saves_and_the_shop_counter_follows_the_tier(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any
) -> None:
    from studio.core.profile import Tier
    from studio.ui.profile.dialog import ProfileDialog

    window = _window(qtbot, tasks, paths, store)
    shops = window.curation.pages[0]
    window.show_workspace("shops")
    qtbot.keyClicks(shops.shop_list.title, "Winter coats")
    qtbot.mouseClick(shops.shop_list.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shops.controller.doc is not None and not shops.controller.loading)
    counter = shops.editor.counter
    qtbot.waitUntil(lambda: "30" in counter.text())
    # Edit > Profile and affiliations…: a dialog; typing a name and saving stores it.
    window.profile_action.trigger()
    dialog = next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, ProfileDialog) and w.isVisible()
    )
    dialog.display_name.clear()
    qtbot.keyClicks(dialog.display_name, "Ada Curator")
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.isVisible())  # closed once stored
    assert window.curation.profile.get().display_name == "Ada Curator"
    # The platform raises the tier (the sync's pull, a write on the lane): the page hears
    # the profile's Changes and follows it by itself.
    profile = window.curation.profile
    tasks.write(lambda: profile.set_tier_from_platform(Tier.FULL))
    qtbot.waitUntil(lambda: "10,000" in counter.text())
