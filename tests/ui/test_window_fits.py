"""Every workspace fits a 1366x768 laptop screen without growing the window (issue 12, item 6).

The window is shown at 1366x768 (what such a screen gives a maximised window, less the panel,
is smaller still: the window must not need more), then every workspace is made current with
something open in it: the catalog with a product's details, a look in the editor, a board, a
shop with its settings, a review. After each, the window must still be 1366x768 and its
minimum size must fit in it: a page asking for more would push the window wider (the shop's
settings did: 1280 became 1421 px) or cut its widgets off the screen.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from studio.core.looks import ProductRef
from studio.system.paths import Paths
from studio.ui.main_window import MainWindow
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui
SCREEN = QSize(1366, 768)
LONG = "An unusually long title, as merchants and curators write them, for a linen summer edit"


def _fits(window: MainWindow, where: str) -> None:
    for _ in range(3):  # the layout requests posted by what was shown, then their effects
        QApplication.sendPostedEvents()
        QApplication.processEvents()
    hint = window.minimumSizeHint().expandedTo(window.minimumSize())
    assert window.size() == SCREEN, f"{where}: the window became {window.size().toTuple()}"
    assert hint.width() <= SCREEN.width() and hint.height() <= SCREEN.height(), (
        f"{where}: the window needs {hint.toTuple()}"
    )


def test_every_workspace_fits_1366_by_768_with_something_open(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any
) -> None:
    from studio.media.library import MediaLibrary
    from studio.services.workspace import Stores

    stores = Stores(paths, store.db, MediaLibrary(paths.media))
    assert stores.looks and stores.boards and stores.shops and stores.reviews
    look = stores.looks.create_look(LONG)
    board = stores.boards.create_board(LONG)
    shop = stores.shops.create_shop("linen-summer-edit-for-the-long-weekend", LONG)
    detail = store.detail(1)  # the first product of the test catalog, reviewed
    ref = ProductRef(1, detail.card.merchant, detail.offer_id)
    review = stores.reviews.create(ref, 4, title=LONG)

    window = MainWindow(tasks, paths)
    qtbot.addWidget(window)
    window.resize(SCREEN)
    window.show()
    qtbot.waitExposed(window)
    window.attach_stores(stores)
    qtbot.waitUntil(lambda: window.catalog.last_result is not None)
    _fits(window, "catalog")
    catalog = window.catalog
    catalog.open_detail(catalog.model.index(0))
    qtbot.waitUntil(lambda: catalog.detail.detail is not None)
    _fits(window, "catalog with a product's details")

    window.show_workspace("looks")
    _fits(window, "looks")
    window.looks.open_look(look.id)
    qtbot.waitUntil(lambda: window.looks.editing and window.looks.editor.doc is not None)
    _fits(window, "a look in the editor")

    window.show_workspace("boards")
    boards = window.boards
    assert boards is not None
    _fits(window, "boards")
    boards.editor.open_board(board.id)
    qtbot.waitUntil(lambda: boards.editor.board_id == board.id)
    _fits(window, "a board")

    window.show_workspace("shops")
    shops = window.workspaces.loaded_page("shops")
    _fits(window, "shops")
    shops.shop_list.refresh(select=shop.id)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: shops.controller.shop_id == shop.id)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: shops.editor.title.text() == LONG)  # type: ignore[union-attr]
    _fits(window, "a shop with its settings")

    window.show_workspace("reviews")
    reviews = window.workspaces.loaded_page("reviews")
    _fits(window, "reviews")
    reviews.review_list.refresh(select=review.id)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: reviews.editor.review is not None)  # type: ignore[union-attr]
    _fits(window, "a review")
