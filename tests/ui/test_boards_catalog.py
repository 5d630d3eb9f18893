"""Products onto a board from the catalog docked beside the canvas: drag, double-click, copy
and paste, each landing side by side at a useful size, each one undo step."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QRectF, Qt, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from test_boards_support import drop, new_board, open_page, product_ids, settle, stored

from studio.core.boards import BoardItem, BoardItemKind
from studio.system.paths import Paths
from studio.ui.boards.api import BoardsPage
from studio.ui.tasks import TaskManager
from studio.ui.widgets.mime import decode_product_ids

pytestmark = pytest.mark.gui
Ctrl = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def page(qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any) -> BoardsPage:
    return open_page(qtbot, tasks, paths, store)


def _picker(qtbot: QtBot, page: BoardsPage) -> Any:
    """The catalog beside the canvas (its tab shown first), once it has searched."""
    panel = page.editor.catalog_panel
    assert page.editor.checks.tabs.currentWidget() is panel
    picker = panel.picker
    qtbot.waitUntil(lambda: picker.searched and picker.model.rowCount() > 3)
    qtbot.waitUntil(lambda: all(picker.model.is_loaded(r) for r in range(4)))
    return picker


def _row_point(picker: Any, row: int) -> QPoint:
    return picker.results.visualRect(picker.model.index(row, 0)).center()


def _select(qtbot: QtBot, picker: Any, rows: list[int]) -> list[int]:
    """Click the first row and Ctrl+click the others, as a user picks several; their ids."""
    for n, row in enumerate(rows):
        mods = Ctrl if n else Qt.KeyboardModifier.NoModifier
        qtbot.mouseClick(
            picker.results.viewport(), Qt.MouseButton.LeftButton, mods, _row_point(picker, row)
        )
    return [picker.model.product_id(r) for r in rows]


def _key(
    qtbot: QtBot, widget: Any, key: Qt.Key, mods: Any = Qt.KeyboardModifier.NoModifier
) -> None:
    widget.window().activateWindow()
    widget.setFocus()
    qtbot.keyClick(widget, key, mods)


def _products(page: BoardsPage) -> list[BoardItem]:
    """The products on the board as stored, left to right."""
    items = [i for i in stored(page).values() if i.kind is BoardItemKind.PRODUCT]
    return sorted(items, key=lambda i: (i.y, i.x))


def _side_by_side(items: list[BoardItem]) -> None:
    """In one row, in order, none over another."""
    assert len({round(i.y) for i in items}) == 1
    for left, right in itertools.pairwise(items):
        assert left.x + left.width / 2 <= right.x - right.width / 2


def test_products_dragged_from_the_docked_catalog_land_side_by_side_and_undo_as_one(
    qtbot: QtBot, page: BoardsPage
) -> None:
    new_board(qtbot, page)
    picker = _picker(qtbot, page)
    ids = _select(qtbot, picker, [0, 1, 2])
    # The drag carries what the list's own drag carries: its model's data for the selection.
    mime = picker.model.mimeData(picker.results.selectionModel().selectedIndexes())
    assert decode_product_ids(mime) == ids
    drop(page, mime, 600, 500)
    settle(qtbot, page, 3)
    items = _products(page)
    assert [i.product.product_id for i in items if i.product] == ids
    _side_by_side(items)
    # Centred where dropped, each a useful size: about a quarter of the board (fitted on
    # screen), neither a speck nor the whole board.
    assert sum(i.x for i in items) / 3 == pytest.approx(600, abs=2)
    assert items[0].y == pytest.approx(500, abs=2)
    for item in items:
        assert 0.15 * 1200 <= max(item.width, item.height) <= 0.35 * 1200
    # One undo step: Ctrl+Z on the canvas takes all three off, Ctrl+Shift+Z puts them back.
    _key(qtbot, page.editor.view, Qt.Key.Key_Z, Ctrl)
    qtbot.waitUntil(lambda: not page.editor.controller.graphics)
    assert stored(page) == {}
    _key(qtbot, page.editor.view, Qt.Key.Key_Z, Ctrl | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: len(stored(page)) == 3)


def test_products_land_sized_from_the_canvas_as_shown_and_take_their_pictures_shape(
    qtbot: QtBot, page: BoardsPage
) -> None:
    new_board(qtbot, page)
    picker = _picker(qtbot, page)
    # Zoomed in four steps: a product dropped now is smaller on the board, as large on screen.
    for _ in range(4):
        _key(qtbot, page.editor.view, Qt.Key.Key_Equal, Ctrl)
    shown: QRectF = page.editor.view.visible_board()
    assert shown.width() < 700
    _select(qtbot, picker, [0])
    centre = shown.center()
    drop(
        page,
        picker.model.mimeData(picker.results.selectionModel().selectedIndexes()),
        centre.x(),
        centre.y(),
    )
    settle(qtbot, page, 1)
    (item,) = _products(page)
    long_side = max(item.width, item.height)
    assert long_side == pytest.approx(0.28 * min(shown.width(), shown.height()), rel=0.02)
    # The picture arrives (the test catalog's are 240x300): same long side, its shape.
    qtbot.waitUntil(lambda: _products(page)[0].media_hash is not None, timeout=15_000)
    (item,) = _products(page)
    assert item.height == pytest.approx(long_side, rel=0.01)
    assert item.width / item.height == pytest.approx(240 / 300, rel=0.01)


def test_double_click_and_add_to_board_put_products_in_the_middle_of_the_canvas(
    qtbot: QtBot, page: BoardsPage
) -> None:
    new_board(qtbot, page)
    picker = _picker(qtbot, page)
    add = page.editor.catalog_panel.add_button
    assert not add.isEnabled()  # nothing chosen yet
    # A click and a second, quick press (QTest's double-click alone finds no pressed row).
    at = _row_point(picker, 3)
    qtbot.mouseClick(picker.results.viewport(), Qt.MouseButton.LeftButton, pos=at)
    qtbot.mouseDClick(picker.results.viewport(), Qt.MouseButton.LeftButton, pos=at)
    settle(qtbot, page, 1)
    (item,) = _products(page)
    assert item.product is not None and item.product.product_id == picker.model.product_id(3)
    assert (item.x, item.y) == (pytest.approx(600, abs=2), pytest.approx(600, abs=2))
    ids = _select(qtbot, picker, [1, 2])
    assert add.isEnabled()
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    settle(qtbot, page, 3)
    added = [i for i in _products(page) if i.id != item.id]
    assert [i.product.product_id for i in added if i.product] == ids
    _side_by_side(added)
    page.editor.undo.undo()
    qtbot.waitUntil(lambda: [i.id for i in _products(page)] == [item.id])


def test_products_copied_in_the_catalog_paste_onto_the_board(
    qtbot: QtBot, page: BoardsPage
) -> None:
    new_board(qtbot, page)
    picker = _picker(qtbot, page)
    ids = _select(qtbot, picker, [0, 2])
    _key(qtbot, picker.results, Qt.Key.Key_C, Ctrl)
    mime = QGuiApplication.clipboard().mimeData()
    assert decode_product_ids(mime) == ids
    _key(qtbot, page.editor.view, Qt.Key.Key_V, Ctrl)
    settle(qtbot, page, 2)
    items = _products(page)
    assert [i.product.product_id for i in items if i.product] == ids
    _side_by_side(items)
    _key(qtbot, page.editor.view, Qt.Key.Key_Z, Ctrl)
    qtbot.waitUntil(lambda: stored(page) == {})


def test_a_product_link_pasted_or_dropped_on_the_board_places_that_product(
    qtbot: QtBot, page: BoardsPage, store: Any
) -> None:
    """A merchant's product page copied from a browser (its address as text, tracking
    parameters and all) or dragged from it (a URL) lands as that catalog product."""
    new_board(qtbot, page)
    first, second = product_ids(store, 2)
    link_1, link_2 = store.detail(first).link, store.detail(second).link
    assert link_1 and link_2 and link_1 != link_2
    QGuiApplication.clipboard().setText(link_1 + "?utm_source=newsletter#reviews")
    _key(qtbot, page.editor.view, Qt.Key.Key_V, Ctrl)
    settle(qtbot, page, 1)
    assert [i.product.product_id for i in _products(page) if i.product] == [first]

    mime = QMimeData()
    mime.setUrls([QUrl(link_2)])
    drop(page, mime, 300, 300)
    settle(qtbot, page, 2)
    assert sorted(i.product.product_id for i in _products(page) if i.product) == sorted(
        [first, second]
    )

    QGuiApplication.clipboard().setText("https://nowhere.example/p/404")
    _key(qtbot, page.editor.view, Qt.Key.Key_V, Ctrl)
    qtbot.waitUntil(lambda: "nowhere.example" in page.editor.status.text())
    assert page.editor.status.text().startswith("No product in the catalog has this link")
    assert len(_products(page)) == 2


def test_products_sent_with_no_board_open_make_one(qtbot: QtBot, page: BoardsPage) -> None:
    qtbot.waitUntil(lambda: page.board_list.summaries == [] and page.editor.board_id is None)
    picker = _picker(qtbot, page)
    ids = [picker.model.product_id(r) for r in (0, 1)]
    page.add_products(ids)  # what another workspace's "Add to board" calls
    settle(qtbot, page, 2)
    assert page.editor.board_id is not None
    assert [i.product.product_id for i in _products(page) if i.product] == ids
    qtbot.waitUntil(lambda: page.board_list.list.count() == 1)
    QApplication.processEvents()


def _luminance(c: Any) -> float:
    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF())


def test_the_toolbar_icons_read_on_a_dark_palette(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any
) -> None:
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QColor, QPalette

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette()
    dark = QPalette(before)
    for role, colour in (
        (QPalette.ColorRole.Window, "#2b2b2b"),
        (QPalette.ColorRole.Button, "#353535"),
        (QPalette.ColorRole.ButtonText, "#e6e6e6"),
        (QPalette.ColorRole.WindowText, "#e6e6e6"),
    ):
        dark.setColor(role, QColor(colour))
    app.setPalette(dark)
    try:
        page = open_page(qtbot, tasks, paths, store)
        background = page.editor.toolbar.palette().color(QPalette.ColorRole.Window)
        for name in ("undo", "text", "delete", "fit"):
            image = page.editor.actions_by_name[name].icon().pixmap(QSize(32, 32)).toImage()
            inked = [
                image.pixelColor(x, y)
                for x in range(image.width())
                for y in range(image.height())
                if image.pixelColor(x, y).alpha() > 200
            ]
            assert inked, name
            glyph = max(inked, key=_luminance)
            lighter, darker = sorted((_luminance(glyph), _luminance(background)), reverse=True)
            assert (lighter + 0.05) / (darker + 0.05) >= 3.0, name  # WCAG: 3:1 for icons
    finally:
        app.setPalette(before)
