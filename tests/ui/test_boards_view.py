"""The board canvas's view: panning (middle button, Space + drag) and selection keys.

Panning moves what the canvas shows and nothing else: no store write, no undo step, no item
moved, even when the drag starts on an item.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot
from test_boards_support import (
    add_label,
    click,
    drag,
    new_board,
    open_page,
    outbox,
    stored,
    view_drag,
    view_point,
)

from studio.system.paths import Paths
from studio.ui.boards.api import BoardsPage
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui

Ctrl = Qt.KeyboardModifier.ControlModifier
Shift = Qt.KeyboardModifier.ShiftModifier
Middle = Qt.MouseButton.MiddleButton


@pytest.fixture
def board_page(qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any) -> BoardsPage:
    return open_page(qtbot, tasks, paths, store)


def key(
    qtbot: QtBot,
    page: BoardsPage,
    k: Qt.Key,
    mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    page.activateWindow()
    page.editor.view.setFocus()
    qtbot.keyClick(page.editor.view, k, mods)


def scroll(page: BoardsPage) -> tuple[int, int]:
    view = page.editor.view
    return view.horizontalScrollBar().value(), view.verticalScrollBar().value()


def zoomed_in(qtbot: QtBot, page: BoardsPage) -> None:
    """Zoom in with the keys until the board overflows the canvas both ways."""
    for _ in range(3):
        key(qtbot, page, Qt.Key.Key_Equal, Ctrl)
    view = page.editor.view
    assert view.horizontalScrollBar().maximum() > 300 and view.verticalScrollBar().maximum() > 300


class Untouched:
    """What a pan must leave as it was: the store, its outbox and the undo stack."""

    def __init__(self, page: BoardsPage) -> None:
        self.page = page
        self.items = stored(page)
        self.sent = len(outbox(page))
        self.steps = page.editor.undo.count()

    def check(self) -> None:
        page = self.page
        assert stored(page) == self.items
        assert len(outbox(page)) == self.sent
        assert page.editor.undo.count() == self.steps
        for item_id, item in self.items.items():  # nor moved on the canvas only
            g = page.editor.controller.graphics[item_id]
            assert (g.pos().x(), g.pos().y()) == (item.x, item.y)


def test_middle_button_drag_pans_even_over_an_item(qtbot: QtBot, board_page: BoardsPage) -> None:
    page = board_page
    new_board(qtbot, page)
    label = add_label(qtbot, page)  # at the board's centre
    zoomed_in(qtbot, page)
    page.editor.view.centerOn(label.x, label.y)
    before, untouched = scroll(page), Untouched(page)
    start = view_point(page, label.x, label.y)  # the drag starts on the label
    view_drag(page, start, start + QPoint(-150, -90), button=Middle)
    # The content follows the hand: dragged up-left, the view shows what was down-right.
    assert scroll(page) == (before[0] + 150, before[1] + 90)
    untouched.check()
    assert page.editor.view.viewport().cursor().shape() != Qt.CursorShape.ClosedHandCursor
    # The pan is over: a left drag moves the label again.
    drag(page, (label.x, label.y), (label.x + 40, label.y), mods=Qt.KeyboardModifier.AltModifier)
    assert stored(page)[label.id].x == pytest.approx(label.x + 40, abs=2)


def test_space_and_drag_pans_and_never_moves_the_item_under_it(
    qtbot: QtBot, board_page: BoardsPage
) -> None:
    page = board_page
    new_board(qtbot, page)
    add_label(qtbot, page, at=(300, 300))
    label = add_label(qtbot, page)  # selected
    zoomed_in(qtbot, page)
    page.editor.view.centerOn(label.x, label.y)
    selected = {g.item_id for g in page.editor.scene.selected_board_items()}
    before, untouched = scroll(page), Untouched(page)
    view = page.editor.view
    page.activateWindow()
    view.setFocus()
    qtbot.keyPress(view, Qt.Key.Key_Space)
    assert view.viewport().cursor().shape() == Qt.CursorShape.OpenHandCursor
    start = view_point(page, label.x, label.y)
    view_drag(page, start, start + QPoint(120, 70))
    assert scroll(page) == (before[0] - 120, before[1] - 70)
    untouched.check()
    assert {g.item_id for g in page.editor.scene.selected_board_items()} == selected
    qtbot.keyRelease(view, Qt.Key.Key_Space)
    assert view.viewport().cursor().shape() != Qt.CursorShape.OpenHandCursor
    # Space released: the same drag moves the label.
    drag(page, (label.x, label.y), (label.x, label.y + 30), mods=Qt.KeyboardModifier.AltModifier)
    assert stored(page)[label.id].y == pytest.approx(label.y + 30, abs=2)
    assert scroll(page) == (before[0] - 120, before[1] - 70)


def test_ctrl_a_selects_all_and_escape_clears(qtbot: QtBot, board_page: BoardsPage) -> None:
    page = board_page
    new_board(qtbot, page)
    a = add_label(qtbot, page, at=(300, 300))
    b = add_label(qtbot, page, at=(800, 800))
    key(qtbot, page, Qt.Key.Key_A, Ctrl)
    assert {g.item_id for g in page.editor.scene.selected_board_items()} == {a.id, b.id}
    assert page.editor.actions_by_name["delete"].isEnabled()
    key(qtbot, page, Qt.Key.Key_Escape)
    assert page.editor.scene.selected_board_items() == []
    assert not page.editor.actions_by_name["delete"].isEnabled()
    assert stored(page) == {a.id: a, b.id: b}  # clearing the selection edits nothing
    # Escape while a label is edited in place cancels the edit; the selection stays.
    click(page, a.x, a.y)
    page.editor.edit_text(a.id)
    qtbot.keyClicks(page.editor.view, "Gone")
    key(qtbot, page, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: page.editor.scene.editor_item is None)
    assert stored(page)[a.id].text == a.text
    assert [g.item_id for g in page.editor.scene.selected_board_items()] == [a.id]


def test_each_run_of_arrow_nudges_is_one_undo_step(qtbot: QtBot, board_page: BoardsPage) -> None:
    page = board_page
    new_board(qtbot, page)
    label = add_label(qtbot, page)
    undo = page.editor.undo
    steps = undo.count()
    for _ in range(3):
        key(qtbot, page, Qt.Key.Key_Left)
    key(qtbot, page, Qt.Key.Key_Down, Shift)
    first = stored(page)[label.id]
    assert (first.x, first.y) == (label.x - 3, label.y + 10)
    assert undo.count() == steps + 1
    # Another edit and its undo come between: the next run is a step of its own, so undoing
    # it goes back to where the first run ended, not to before both.
    key(qtbot, page, Qt.Key.Key_H, Shift)  # flip
    key(qtbot, page, Qt.Key.Key_Z, Ctrl)
    assert stored(page)[label.id] == first
    key(qtbot, page, Qt.Key.Key_Right)
    key(qtbot, page, Qt.Key.Key_Right)
    assert stored(page)[label.id].x == first.x + 2
    assert undo.count() == steps + 2
    # A click on the canvas ends a run too.
    click(page, first.x + 2, first.y)
    key(qtbot, page, Qt.Key.Key_Up)
    assert undo.count() == steps + 3
    undo.undo()
    undo.undo()
    assert stored(page)[label.id] == first
    undo.undo()
    assert stored(page)[label.id] == label
