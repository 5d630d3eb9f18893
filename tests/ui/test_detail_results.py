"""The detail pane follows the results: after a search or a sort a click on the first card
opens it, and the pane never shows a product the results do not hold."""

from __future__ import annotations

import re
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from uihelp import open_window

from studio.core.catalog import SearchQuery
from studio.system.paths import Paths
from studio.ui.main_window import MainWindow
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui


def _click_card(qtbot: QtBot, catalog: Any, row: int) -> int:
    """Click the card of ``row`` once its cards are painted; its product id."""
    grid = catalog.grid
    qtbot.waitUntil(lambda: all(catalog.model.is_loaded(r) for r in grid.visible_rows()))
    point = grid.visualRect(catalog.model.index(row)).center()
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=point)
    return int(catalog.model.product_id(row))


def _shown(catalog: Any) -> int | None:
    detail = catalog.detail.detail
    return None if detail is None else int(detail.card.id)


def _word_without(store: Any, product_id: int) -> str:
    """A title word whose results hold several products, ``product_id`` not among them."""
    title = store.cards([product_id])[0].title.casefold()
    for card in store.cards([int(i) for i in store.search(SearchQuery(limit=60)).ids]):
        for word in re.findall(r"[a-z]{4,}", card.title.casefold()):
            if word in title:
                continue
            ids = [int(i) for i in store.search(SearchQuery(text=word)).ids]
            if len(ids) >= 3 and product_id not in ids:
                return word
    raise AssertionError("no such word in the test catalog")


def test_after_a_search_or_a_sort_the_first_card_opens_and_no_stranger_is_shown(
    qtbot: QtBot, window: MainWindow
) -> None:
    catalog = window.catalog
    window.activateWindow()  # focus moves between the search box and the grid as for a user
    qtbot.waitUntil(window.isActiveWindow)
    assert catalog.detail.isVisible()
    opened = _click_card(qtbot, catalog, 3)
    qtbot.waitUntil(lambda: _shown(catalog) == opened)

    # A search whose results do not hold the product shown: the pane lets it go.
    word = _word_without(catalog.store, opened)
    before = catalog.last_result
    qtbot.mouseClick(catalog.search_box, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(catalog.search_box.hasFocus)
    qtbot.keyClicks(catalog.search_box, word)
    qtbot.keyClick(catalog.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: catalog.last_result is not before)
    qtbot.waitUntil(lambda: catalog.model.rowCount() == catalog.last_result.total)
    assert _shown(catalog) is None
    # The first card of the new results opens on a click.
    first = _click_card(qtbot, catalog, 0)
    qtbot.waitUntil(lambda: _shown(catalog) == first)

    # Another card, then a sort: it stays shown (it is in the results); the first card of
    # the sorted results opens on a click.
    second = _click_card(qtbot, catalog, 1)
    qtbot.waitUntil(lambda: _shown(catalog) == second)
    before = catalog.last_result
    combo = catalog.facets.sort_combo
    combo.setFocus(Qt.FocusReason.MouseFocusReason)  # chosen in the combo's list
    qtbot.waitUntil(combo.hasFocus)
    combo.setCurrentIndex(combo.findText("Price: high to low"))
    qtbot.waitUntil(lambda: catalog.last_result is not before)
    assert _shown(catalog) == second
    assert catalog.grid.currentIndex().row() == catalog.model.row_of(second)
    top = int(catalog.model.product_id(0))
    if top == second:  # the sort put it first: click another, then the first
        other = _click_card(qtbot, catalog, 1)
        qtbot.waitUntil(lambda: _shown(catalog) == other)
    first = _click_card(qtbot, catalog, 0)
    qtbot.waitUntil(lambda: _shown(catalog) == first)
    assert first == top


def test_a_click_on_the_first_card_opens_it_right_after_the_demo_loads(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, empty_store: Any
) -> None:
    # The demo's progress dialog had the focus; when it closes the click on a card is what
    # brings the curator back, and the grid may not have the keyboard focus yet.
    window = open_window(qtbot, tasks, paths, empty_store)
    with qtbot.waitSignal(window.imports.imported, timeout=30_000):
        window.demo_action.trigger()
    catalog = window.catalog
    qtbot.waitUntil(lambda: not catalog.is_empty_state and catalog.model.rowCount() > 0)
    first = _click_card(qtbot, catalog, 0)
    qtbot.waitUntil(lambda: _shown(catalog) == first)
