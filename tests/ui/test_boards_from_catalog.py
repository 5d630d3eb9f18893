"""Products from the Catalog workspace onto a board, in one window: a drag held over the
Boards button, Ctrl+C then Ctrl+V, and "Add to board"; and File > New showing Ctrl+N there."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import (
    QDrag,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeySequence,
    QMouseEvent,
)
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from studio.core.boards import BoardItem, BoardItemKind
from studio.ui.boards.api import BoardsPage
from studio.ui.catalog import grid_view
from studio.ui.drag_switch import SPRING_MS
from studio.ui.main_window import MainWindow
from studio.ui.widgets.mime import decode_product_ids

pytestmark = pytest.mark.gui
Ctrl = Qt.KeyboardModifier.ControlModifier
NoMod = Qt.KeyboardModifier.NoModifier
Copy = Qt.DropAction.CopyAction


def _drag_args(mime: Any) -> tuple[Any, ...]:
    return (Copy, mime, Qt.MouseButton.LeftButton, NoMod)


def _hover(widget: QWidget, mime: Any) -> bool:
    """A drag entering ``widget`` and moving over it; True if it takes the drag."""
    at = widget.rect().center()
    enter = QDragEnterEvent(at, *_drag_args(mime))
    QApplication.sendEvent(widget, enter)
    move = QDragMoveEvent(at + QPoint(1, 1), *_drag_args(mime))
    QApplication.sendEvent(widget, move)
    return enter.isAccepted() and move.isAccepted()


def _select_cards(qtbot: QtBot, window: MainWindow, rows: list[int]) -> list[int]:
    grid, model = window.catalog.grid, window.catalog.model
    qtbot.waitUntil(lambda: model.rowCount() > max(rows) and model.is_loaded(max(rows)))
    for n, row in enumerate(rows):
        qtbot.mouseClick(
            grid.viewport(),
            Qt.MouseButton.LeftButton,
            Ctrl if n else NoMod,
            grid.visualRect(model.index(row)).center(),
        )
    return [model.product_id(r) for r in rows]


def _boards(window: MainWindow) -> BoardsPage:
    page = window.boards
    assert page is not None
    return page


def _settled_products(qtbot: QtBot, page: BoardsPage, count: int) -> list[BoardItem]:
    """Once ``count`` items are placed and saved: the products as stored, left to right."""
    qtbot.waitUntil(
        lambda: len(page.editor.controller.graphics) == count and page.editor.busy == 0,
        timeout=15_000,
    )
    assert page.editor.writes.tasks.wait_written()
    assert page.editor.board_id is not None
    doc = page.boards.document(page.editor.board_id)
    assert doc is not None
    items = [i for i in doc.items if i.kind is BoardItemKind.PRODUCT]
    return sorted(items, key=lambda i: i.x)


def _key(qtbot: QtBot, widget: QWidget, key: Qt.Key, mods: Any = NoMod) -> None:
    widget.window().activateWindow()
    widget.setFocus()
    qtbot.keyClick(widget, key, mods)


def test_a_drag_from_the_catalog_held_over_boards_drops_onto_a_board(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _select_cards(qtbot, window, [0, 1])
    boards_button = window.workspace_bar.widgetForAction(window.workspace_actions["boards"])
    outcome: list[Qt.DropAction] = []

    class HandDrag(QDrag):
        """The offscreen platform runs no drag: the hand carries it, as a user's would, over
        the Boards button, waits there, and lets go over the board's canvas."""

        def exec(self, *args: Any) -> Qt.DropAction:
            mime = self.mimeData()
            # Words alone (no products) held there do not switch.
            words = QMimeData()
            words.setText("just words")
            assert not _hover(boards_button, words)
            qtbot.wait(SPRING_MS + 150)
            assert window.workspace == "catalog"
            assert _hover(boards_button, mime)  # taken: the button springs open
            qtbot.waitUntil(lambda: window.workspace == "boards")
            canvas = _boards(window).editor.view.viewport()
            assert _hover(canvas, mime)
            drop = QDropEvent(QPointF(canvas.rect().center()), *_drag_args(mime))
            QApplication.sendEvent(canvas, drop)
            outcome.append(drop.dropAction() if drop.isAccepted() else Qt.DropAction.IgnoreAction)
            return outcome[-1]

    monkeypatch.setattr(grid_view, "QDrag", HandDrag)
    grid, model = window.catalog.grid, window.catalog.model
    start = grid.visualRect(model.index(1)).center()
    qtbot.mousePress(grid.viewport(), Qt.MouseButton.LeftButton, pos=start)
    for d in (5, 20, 60):
        at = start + QPoint(d, d)
        move = QMouseEvent(
            QMouseEvent.Type.MouseMove,
            QPointF(at),
            QPointF(grid.viewport().mapToGlobal(at)),
            Qt.MouseButton.NoButton,
            Qt.MouseButton.LeftButton,
            NoMod,
        )
        QApplication.sendEvent(grid.viewport(), move)
    qtbot.waitUntil(lambda: bool(outcome))
    assert outcome == [Copy]
    page = _boards(window)
    # No board was open: one was made for them, and they are on it side by side.
    items = _settled_products(qtbot, page, 2)
    assert [i.product.product_id for i in items if i.product] == ids
    assert items[0].y == items[1].y and items[0].x + items[0].width / 2 < items[1].x
    # Where they were let go: the middle of the canvas, the middle of the new board as shown.
    middle = page.editor.view.mapToScene(page.editor.view.viewport().rect().center())
    assert (items[0].x + items[1].x) / 2 == pytest.approx(middle.x(), abs=3)
    assert items[0].y == pytest.approx(middle.y(), abs=3)
    assert len(page.boards.summaries()) == 1


def test_products_copied_in_the_catalog_grid_paste_onto_the_board(
    qtbot: QtBot, window: MainWindow
) -> None:
    ids = _select_cards(qtbot, window, [2, 3, 4])
    _key(qtbot, window.catalog.grid, Qt.Key.Key_C, Ctrl)
    assert decode_product_ids(QApplication.clipboard().mimeData()) == ids
    qtbot.keyClick(window, Qt.Key.Key_3, Ctrl | Qt.KeyboardModifier.ShiftModifier)
    assert window.workspace == "boards"
    page = _boards(window)
    qtbot.mouseClick(page.board_list.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.editor.board_id is not None)
    _key(qtbot, page.editor.view, Qt.Key.Key_V, Ctrl)
    items = _settled_products(qtbot, page, 3)
    assert [i.product.product_id for i in items if i.product] == ids
    _key(qtbot, page.editor.view, Qt.Key.Key_Z, Ctrl)  # the paste is one undo step
    qtbot.waitUntil(lambda: not page.editor.controller.graphics)
    assert _settled_products(qtbot, page, 0) == []


def test_add_to_board_from_another_workspace_shows_the_board_with_them(
    qtbot: QtBot, window: MainWindow
) -> None:
    ids = _select_cards(qtbot, window, [5])
    window.add_to_board(ids)  # what the catalog card's "Add to board" calls
    assert window.workspace == "boards"
    page = _boards(window)
    (item,) = _settled_products(qtbot, page, 1)
    assert item.product is not None and item.product.product_id == ids[0]
    window.add_to_board(_select_cards_later(qtbot, window, 6))
    assert len(_settled_products(qtbot, page, 2)) == 2  # the same open board
    assert len(page.boards.summaries()) == 1


def _select_cards_later(qtbot: QtBot, window: MainWindow, row: int) -> list[int]:
    window.show_workspace("catalog")
    return _select_cards(qtbot, window, [row])


def test_file_new_shows_ctrl_n_for_new_board_and_ctrl_n_makes_exactly_one(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_3, Ctrl | Qt.KeyboardModifier.ShiftModifier)
    page = _boards(window)
    new = window.new_look_action  # File > New, as the menu shows it
    assert new.text() == "New board"
    assert new.shortcut() == QKeySequence("Ctrl+N")
    assert page.board_list.new_button.toolTip() == "New board (Ctrl+N)"
    # Not ambiguous with the page's own: one press, one board, wherever the focus is in it.
    _key(qtbot, page.editor.view, Qt.Key.Key_N, Ctrl)
    qtbot.waitUntil(lambda: page.editor.board_id is not None)
    assert page.editor.writes.tasks.wait_written()
    assert len(page.boards.summaries()) == 1
    _key(qtbot, page.board_list.search, Qt.Key.Key_N, Ctrl)
    qtbot.waitUntil(lambda: len(page.boards.summaries()) == 2)
    # In Looks, Ctrl+N is File > New's own again: a new look.
    qtbot.keyClick(window, Qt.Key.Key_2, Ctrl | Qt.KeyboardModifier.ShiftModifier)
    assert new.text() == "&New look" and new.shortcut() == QKeySequence("Ctrl+N")
    qtbot.keyClick(window, Qt.Key.Key_N, Ctrl)
    qtbot.waitUntil(lambda: window.looks.editing and window.looks.editor.doc is not None)
