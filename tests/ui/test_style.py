"""The studio's look (studio.ui.style): the navigation rail, toolbar icons, light and dark."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import QAbstractButton, QApplication, QPushButton, QToolBar, QToolButton
from pytestqt.qtbot import QtBot

from studio.system.paths import Paths
from studio.ui.main_window import MainWindow
from studio.ui.style import catalogue, theme
from studio.ui.style.icons import has_icon
from studio.ui.style.sheet import SPACE
from studio.ui.tasks import TaskManager
from studio.ui.workspaces import NAMES

pytestmark = pytest.mark.gui
R = QPalette.ColorRole


@pytest.fixture(autouse=True)
def _system_palette() -> Iterator[None]:
    """Each test starts and ends on the platform's palette (other tests read colours)."""
    theme.apply_scheme("system")
    yield
    theme.apply_scheme("system")


def _window_with_stores(qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any) -> MainWindow:
    window = MainWindow(tasks, paths)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.set_store(store)
    qtbot.waitUntil(lambda: all(a.isVisible() for a in window.workspace_actions.values()))
    return window


def _ink(icon: QIcon, mode: QIcon.Mode = QIcon.Mode.Normal) -> QColor:
    """The colour most of the icon's opaque pixels are painted in."""
    image = icon.pixmap(QSize(32, 32), mode).toImage()
    counts: Counter[int] = Counter()
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            if pixel.alpha() == 255:
                counts[pixel.rgb()] += 1
    assert counts, "the icon paints nothing"
    return QColor.fromRgb(counts.most_common(1)[0][0])


def test_the_navigation_shows_each_workspace_by_click_and_by_keyboard(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any
) -> None:
    window = _window_with_stores(qtbot, tasks, paths, store)
    rail = window.look.navigation
    assert window.toolBarArea(rail) == Qt.ToolBarArea.LeftToolBarArea
    assert [b.accessibleName() for b in rail.buttons.values()] == [
        "Catalog",
        "Looks",
        "Boards",
        "Shops",
        "Reviews",
    ]
    for name in ("shops", "reviews", "looks", "boards", "catalog"):
        button = rail.buttons[name]
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert window.workspace == name
        assert button.isChecked()  # the current place is the highlighted one
        assert sum(b.isChecked() for b in rail.buttons.values()) == 1
    # The keyboard: Tab reaches a place, Down and Up walk the places and show each.
    assert rail.buttons["catalog"].focusPolicy() & Qt.FocusPolicy.TabFocus
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    rail.buttons["catalog"].setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(rail.buttons["catalog"], Qt.Key.Key_Down)
    assert window.workspace == "looks" and rail.buttons["looks"].hasFocus()
    qtbot.keyClick(rail.buttons["looks"], Qt.Key.Key_Down)
    assert window.workspace == "boards"
    qtbot.keyClick(rail.buttons["boards"], Qt.Key.Key_Up)
    assert window.workspace == "looks"
    qtbot.keyClick(rail.buttons["looks"], Qt.Key.Key_Up)
    qtbot.keyClick(rail.buttons["catalog"], Qt.Key.Key_Up)  # wraps round to the last
    assert window.workspace == "reviews" and rail.buttons["reviews"].isChecked()
    # The window's own keys still reach every place; each tooltip names its key.
    shift_ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window, Qt.Key.Key_4, shift_ctrl)
    assert window.workspace == "shops" and rail.buttons["shops"].isChecked()
    assert "Ctrl+Shift+4" in rail.buttons["shops"].toolTip()


def test_every_toolbar_action_has_an_icon_a_tooltip_and_a_name(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any
) -> None:
    window = _window_with_stores(qtbot, tasks, paths, store)
    for name in NAMES:  # every workspace built and shown once
        window.show_workspace(name)
    bars = window.findChildren(QToolBar)
    assert window.look.navigation in bars and len(bars) >= 2  # the rail, the board tools
    checked = 0
    for bar in bars:
        icon_only = bar.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly
        for action in bar.actions():
            button = bar.widgetForAction(action)
            if action.isSeparator() or not isinstance(button, QToolButton):
                continue  # a separator, or a widget on the bar (the text size box)
            label = f"{bar.objectName() or bar.windowTitle()}: {action.text()!r}"
            assert not action.icon().isNull(), label
            assert action.toolTip().strip(), label
            if icon_only:
                assert button.accessibleName().strip(), label
            checked += 1
    assert checked >= 5 + 15  # the five places and the board editor's tools
    # The named buttons of the pages' rows have their icons too.
    named = [b for b in window.findChildren(QAbstractButton) if b.objectName() in catalogue.ICONS]
    assert {b.objectName() for b in named} >= {
        "boards_new",
        "looks_new",
        "shops_create",
        "reviews_new",
    }
    assert all(not b.icon().isNull() for b in named)
    primary = {b.objectName() for b in named if b.property("role") == "primary"}
    assert primary >= {"boards_new", "looks_new", "shops_create", "reviews_new"}


def test_every_icon_the_studio_names_is_in_the_font() -> None:
    names = {look.icon for look in catalogue.ICONS.values()} | set(catalogue.PLACES.values())
    assert [n for n in names if not has_icon(n)] == []
    assert set(catalogue.PLACES) == set(NAMES)


def test_icons_are_recoloured_when_the_appearance_changes(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any
) -> None:
    window = _window_with_stores(qtbot, tasks, paths, store)
    icon = window.workspace_actions["looks"].icon()
    appearance = window.look.appearance
    appearance.actions["light"].trigger()  # View > Appearance > Light
    light = theme.palette("light")
    assert QApplication.palette().color(R.Window) == light.color(R.Window)
    assert _ink(icon) == light.color(R.WindowText)
    assert _ink(icon, QIcon.Mode.Disabled) == light.color(QPalette.ColorGroup.Disabled, R.Text)
    window.show_workspace("boards")
    board_tools = window.boards.findChild(QToolBar)  # type: ignore[union-attr]
    new_board = window.boards.findChild(QPushButton, "boards_new")  # type: ignore[union-attr]
    styled = (window.look.navigation, board_tools, new_board)
    sheets_light = [w.styleSheet() for w in styled]
    assert all(sheets_light) and window.styleSheet() == ""  # the styled widgets only
    appearance.actions["dark"].trigger()  # View > Appearance > Dark
    dark = theme.palette("dark")
    assert QApplication.palette().color(R.Window) == dark.color(R.Window)
    assert _ink(icon) == dark.color(R.WindowText)  # the same icon, drawn in the new ink
    for widget, light_sheet in zip(styled, sheets_light, strict=True):
        assert widget.styleSheet() not in ("", light_sheet)  # the stylesheet was made again
    assert theme.is_dark(QApplication.palette())
    # The board editor's tools follow too (their icons come from the same font).
    undo = board_tools.actions()[0]
    assert _ink(undo.icon()) == dark.color(R.WindowText)


def test_the_appearance_is_remembered_and_applied_before_the_first_paint(
    qtbot: QtBot, tasks: TaskManager, paths: Paths
) -> None:
    window = MainWindow(tasks, paths)
    qtbot.addWidget(window)
    assert window.look.appearance.actions["system"].isChecked()  # the default
    window.look.appearance.actions["dark"].trigger()
    window.close()
    theme.apply_scheme("system")
    assert not theme.is_dark(QApplication.palette())

    again = MainWindow(tasks, paths)  # not shown yet: the palette is already the dark one
    qtbot.addWidget(again)
    assert again.look.appearance.actions["dark"].isChecked()
    assert QApplication.palette().color(R.Window) == theme.palette("dark").color(R.Window)
    again.look.appearance.actions["system"].trigger()
    assert not theme.is_dark(QApplication.palette())


def test_the_places_sit_where_they_did_with_the_sheet_on_the_window(
    qtbot: QtBot, tasks: TaskManager, paths: Paths
) -> None:
    """The rail has its stylesheet on itself now: its places keep the 8 px margin they had
    when the sheet was the window's (the screenshots before and after match)."""
    window = MainWindow(tasks, paths)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    rail = window.look.navigation
    first = rail.buttons["catalog"].geometry()
    assert (first.x(), first.y()) == (SPACE["s"], SPACE["s"])
