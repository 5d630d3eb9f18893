"""The board editor's Checks tab, as a user meets it: issues before sharing, fixed by clicking."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from test_boards_support import drop_products, new_board, open_page, settle, stored

from studio.core.board_checks import BoardCheckKind
from studio.core.catalog import SearchQuery
from studio.core.product import Availability
from studio.core.rules import within
from studio.system.paths import Paths
from studio.ui.boards.api import BoardsPage
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any) -> BoardsPage:
    return open_page(qtbot, tasks, paths, store)


def _kinds(page: BoardsPage) -> list[BoardCheckKind]:
    return [i.kind for i in page.editor.checks.issues]


def _one(store: Any, availability: Availability, apart_from: str = "") -> int:
    """A product with a brand and a category (not one below or above ``apart_from``)."""
    found = store.search(SearchQuery(availability=frozenset({availability}), limit=200))
    for pid in map(int, found.ids):
        detail = store.detail(pid)
        category = detail.category or ""
        if (
            category
            and detail.card.brand
            and not (apart_from and (within(category, apart_from) or within(apart_from, category)))
        ):
            return pid
    raise AssertionError("no such product in the test catalog")


def test_the_checks_tab_lists_issues_and_fixes_them_in_one_click(
    qtbot: QtBot, page: BoardsPage, store: Any
) -> None:
    new_board(qtbot, page)
    checks = page.editor.checks
    tabs = checks.tabs
    assert [tabs.tabText(i) for i in range(3)] == ["Catalog", "Products", "Checks (1)"]
    assert _kinds(page) == [BoardCheckKind.NO_PRODUCTS]
    gone = _one(store, Availability.OUT_OF_STOCK)
    fine = _one(store, Availability.IN_STOCK, apart_from=store.detail(gone).category)
    drop_products(page, [gone], 300, 300)
    settle(qtbot, page, 1)
    drop_products(page, [fine], 700, 700)
    settle(qtbot, page, 2)
    qtbot.waitUntil(lambda: _kinds(page) == [BoardCheckKind.UNAVAILABLE], timeout=10_000)
    assert tabs.tabText(2) == "Checks (1)"
    tabs.setCurrentIndex(2)
    assert checks.list.labels[0].text() == "Product 1: out of stock"
    show, remove = checks.list.buttons[0]
    assert remove.accessibleName() == "Remove it: Product 1: out of stock"
    # "Show it" selects the item on the canvas.
    qtbot.mouseClick(show, Qt.MouseButton.LeftButton)
    (selected,) = page.editor.scene.selected_board_items()
    assert selected.item.product is not None and selected.item.product.product_id == gone
    # The fine product is then declared a competitor's: a conflict, flagged when the tab shows.
    detail = store.detail(fine)
    from studio.store.profile import ProfileStore

    ProfileStore(store.db).add_affiliation("House Label", detail.category, "makes")
    tabs.setCurrentIndex(1)
    tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: BoardCheckKind.CONFLICT in _kinds(page), timeout=10_000)
    conflict = checks.issues[_kinds(page).index(BoardCheckKind.CONFLICT)]
    assert conflict.detail.startswith("Conflict of interest: you declared that you make House")
    # "Remove it" takes the conflicting product off the board: one undo step.
    row = _kinds(page).index(BoardCheckKind.CONFLICT)
    assert checks.list.labels[row].text() == f"Product 2 — {conflict.detail}"  # the reason shown
    qtbot.mouseClick(checks.list.buttons[row][1], Qt.MouseButton.LeftButton)
    settle(qtbot, page, 1)
    assert [i.product.product_id for i in stored(page).values() if i.product] == [gone]
    qtbot.waitUntil(lambda: BoardCheckKind.CONFLICT not in _kinds(page))
    page.editor.undo.undo()
    settle(qtbot, page, 2)
    qtbot.waitUntil(lambda: BoardCheckKind.CONFLICT in _kinds(page))
