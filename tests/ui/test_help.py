"""Help > Getting started (issue 12, "First run and help"): the page opens from the Help menu,
lists the steps, its links run the menus' own actions, its pictures follow the palette, and a
first run (an empty workspace) gets it once.

The menus are opened and the links clicked with the mouse, as a user does: a link is clicked
at the place the page's layout drew its text.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot
from uihelp import open_window

from studio.system.paths import Paths
from studio.ui.app import Studio
from studio.ui.getting_started import GettingStarted
from studio.ui.help_menu import SHOWN_KEY
from studio.ui.main_window import MainWindow
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui
STEPS = [
    "Bring products in",
    "Search the catalog",
    "Compose a look",
    "Lay out a board",
    "Stock your shop",
    "Write a review",
    "Check before sharing",
]


def open_from_menu(qtbot: QtBot, window: MainWindow) -> GettingStarted:
    """Help > Getting started, clicked in the menu bar and then in the menu."""
    help_menu = window.help_menu
    bar = window.menuBar()
    title = bar.actionGeometry(help_menu.menu.menuAction()).center()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=title)
    qtbot.waitUntil(help_menu.menu.isVisible)
    item = help_menu.menu.actionGeometry(help_menu.getting_started_action).center()
    qtbot.mouseClick(help_menu.menu, Qt.MouseButton.LeftButton, pos=item)
    page = help_menu.getting_started
    assert page is not None
    qtbot.waitExposed(page)
    return page


def click_link(qtbot: QtBot, page: GettingStarted, text: str) -> None:
    """Click the middle of the link reading ``text`` where the page shows it."""
    browser = page.browser
    cursor = browser.document().find(text)
    while not cursor.isNull() and not cursor.charFormat().isAnchor():  # the words as a link
        cursor = browser.document().find(text, cursor)
    assert not cursor.isNull(), text
    cursor.setPosition((cursor.selectionStart() + cursor.selectionEnd()) // 2)
    browser.setTextCursor(cursor)
    browser.ensureCursorVisible()  # scrolled to it, as a reader would
    at = browser.cursorRect(cursor).center()
    assert browser.anchorAt(at), f"no link under {text!r}"
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=at)


def test_help_getting_started_opens_from_the_menu_and_lists_the_steps(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = open_from_menu(qtbot, window)
    assert page.isVisible() and page.windowTitle() == "Getting started"
    assert page.step_titles() == STEPS
    shown = page.browser.toPlainText()
    positions = [shown.find(f"{n}. {title}") for n, title in enumerate(STEPS, start=1)]
    assert -1 not in positions and positions == sorted(positions), shown
    for link in ("Load the demo catalog", "Show keyboard shortcuts", "Looks", "Checks"):
        assert link in shown
    # Each step has its picture, laid out in the page.
    for name in ("catalog", "search", "look", "board", "shop", "review", "checks"):
        image = page.illustration_image(name)
        assert isinstance(image, QImage) and not image.isNull(), name
    # Its keys are the menus' own: Find's, and the shortcuts list's.
    assert "search box (Ctrl+F)" in shown
    assert "Show keyboard shortcuts (Ctrl+/)" in shown
    # Closed and asked for again: the same page comes back, from the key this time.
    qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
    assert not page.isVisible()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(page.isVisible)


def test_its_links_run_the_menus_actions(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, empty_store: Any
) -> None:
    window = open_window(qtbot, tasks, paths, empty_store)
    qtbot.waitUntil(lambda: window.catalog.is_empty_state)
    page = open_from_menu(qtbot, window)
    # "Load the demo catalog" is File > Load demo catalog: the same action, the same job.
    imported = qtbot.waitSignal(window.imports.imported, timeout=30_000)
    with imported, qtbot.waitSignal(window.demo_action.triggered, timeout=2000):
        click_link(qtbot, page, "Load the demo catalog")
    qtbot.waitUntil(lambda: window.catalog.catalog_size > 0)
    # A workspace's name opens that workspace; "Show keyboard shortcuts" opens that list.
    click_link(qtbot, page, "Looks")
    assert window.workspace == "looks"
    with qtbot.waitSignal(window.help_menu.shortcuts_action.triggered, timeout=2000):
        click_link(qtbot, page, "Show keyboard shortcuts")
    dialog = window.help_menu.shortcuts_dialog
    assert dialog is not None and dialog.isVisible()
    assert ("Help", "Getting started", "F1") in dialog.visible_rows()


def _count(image: QImage, colour: QColor) -> int:
    rgb = colour.rgb()
    return sum(
        1
        for y in range(0, image.height(), 2)
        for x in range(image.width())
        if image.pixel(x, y) == rgb
    )


@pytest.fixture
def restore_palette() -> Iterator[None]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette()
    yield
    app.setPalette(before)


def test_the_pictures_follow_the_palette(
    qtbot: QtBot, window: MainWindow, restore_palette: None
) -> None:
    page = open_from_menu(qtbot, window)
    dark = QPalette(QColor("#2b2d31"), QColor("#1e1f22"))  # button, window
    dark.setColor(QPalette.ColorRole.Base, QColor("#1b1c1f"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e8e8ea"))
    dark.setColor(QPalette.ColorRole.Highlight, QColor("#12a37f"))  # no light palette's accent
    dark.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    dark.setColor(QPalette.ColorRole.Link, QColor("#6cb4ff"))
    accent = dark.color(QPalette.ColorRole.Highlight)
    assert _count(page.browser.viewport().grab().toImage(), accent) == 0
    QApplication.setPalette(dark)
    # The pictures on screen are drawn again in the dark palette: its accent, its page colour.
    qtbot.waitUntil(lambda: _count(page.browser.viewport().grab().toImage(), accent) > 300)
    image = page.illustration_image("look")
    assert isinstance(image, QImage)
    assert QColor(image.pixel(1, 1)) == dark.color(QPalette.ColorRole.Base)
    # And the links take the dark palette's link colour (a light one's is unreadable on it).
    cursor = page.browser.document().find("Load the demo catalog")
    assert cursor.charFormat().isAnchor()
    assert cursor.charFormat().foreground().color() == dark.color(QPalette.ColorRole.Link)


def _start(qtbot: QtBot, paths: Paths) -> Studio:
    """The app as ``main`` starts it, on ``paths``, up to its stores being open."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    studio = Studio(app, paths, demo=False, smoke=False, started=time.perf_counter())
    studio.window.show()
    qtbot.waitExposed(studio.window)
    qtbot.waitUntil(lambda: studio.stores is not None, timeout=30_000)
    qtbot.waitUntil(lambda: studio.tasks.running == 0, timeout=30_000)  # its first-run check
    return studio


def _stop(studio: Studio) -> None:
    studio.window.close()
    studio.shutdown()
    studio.window.deleteLater()


def test_a_first_run_offers_getting_started_once(qtbot: QtBot, paths: Paths) -> None:
    studio = _start(qtbot, paths)  # an empty workspace: no catalog, no look
    try:
        page = studio.window.help_menu.getting_started
        assert page is not None and page.isVisible()
        qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
        assert not page.isVisible()
    finally:
        _stop(studio)
    again = _start(qtbot, paths)  # still empty, but the page was shown: not again
    try:
        assert again.window.help_menu.getting_started is None
        # Help still has it.
        page = open_from_menu(qtbot, again.window)
        assert page.isVisible()
    finally:
        _stop(again)


def test_a_workspace_with_a_catalog_is_not_a_first_run(
    qtbot: QtBot, paths: Paths, store: Any
) -> None:
    studio = _start(qtbot, paths)
    try:
        assert studio.stores is not None and studio.stores.catalog.product_count() > 0
        assert studio.window.help_menu.getting_started is None
        assert studio.window.settings.value(SHOWN_KEY) is None
    finally:
        _stop(studio)


def test_the_help_menu_lists_its_three_entries(window: MainWindow) -> None:
    menu = window.help_menu.menu
    assert isinstance(menu, QMenu)
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == ["&Getting started", "&Keyboard shortcuts", "&About Vitrine Studio"]
    assert window.menuBar().actions()[-1].menu() is menu
