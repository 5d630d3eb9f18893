"""Text labels' toolbar tools: the size box (typed, stepped, undone) and the colour button."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QColorDialog, QSpinBox
from pytestqt.qtbot import QtBot
from test_boards_support import add_label, click, new_board, open_page, outbox, stored

from studio.core.boards import BoardItemKind
from studio.system.paths import Paths
from studio.ui.boards.api import BoardsPage
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui

Ctrl = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def board_page(qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any) -> BoardsPage:
    return open_page(qtbot, tasks, paths, store)


def size_box(page: BoardsPage) -> QSpinBox:
    box = page.editor.toolbar.findChild(QSpinBox, "boardTextSize")
    assert box is not None
    return box


def type_size(qtbot: QtBot, page: BoardsPage, value: str) -> None:
    """Click into the size box, select its text, type ``value`` and press Enter."""
    box = size_box(page)
    qtbot.mouseClick(box.lineEdit(), Qt.MouseButton.LeftButton)
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_A, Ctrl)
    qtbot.keyClicks(box.lineEdit(), value)
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)


def ink_height(page: BoardsPage, item_id: str) -> int:
    """Rows of dark pixels drawn inside the label's box on screen."""
    view = page.editor.view
    g = page.editor.controller.graphics[item_id]
    box = view.mapFromScene(g.sceneBoundingRect()).boundingRect()
    image = view.viewport().grab().toImage()
    rows = 0
    for y in range(max(0, box.top()), min(image.height(), box.bottom() + 1)):
        xs = range(max(0, box.left()), min(image.width(), box.right() + 1))
        if any(QColor(image.pixel(x, y)).lightness() < 100 for x in xs):
            rows += 1
    return rows


def test_size_box_sits_in_the_toolbar_and_follows_the_selection(
    qtbot: QtBot, board_page: BoardsPage
) -> None:
    page = board_page
    new_board(qtbot, page)
    box = size_box(page)
    assert box.accessibleName() == "Text size" and box.isVisible()
    assert not box.isEnabled()  # nothing selected
    label = add_label(qtbot, page, at=(300, 300))
    assert box.isEnabled() and box.value() == round(label.font_size) == 48
    # The colour button is the toolbar neighbour of the size box, both for labels only.
    colour = page.editor.toolbar.widgetForAction(page.editor.actions_by_name["text_colour"])
    assert colour.isVisible() and colour.isEnabled() and colour.accessibleName()
    assert abs(colour.geometry().right() - box.geometry().left()) < 16
    qtbot.keyClick(page.editor.view, Qt.Key.Key_Escape)
    assert not box.isEnabled() and not colour.isEnabled()
    click(page, label.x, label.y)
    assert box.isEnabled()


def test_typing_a_size_is_one_undoable_edit_and_redraws_the_label(
    qtbot: QtBot, board_page: BoardsPage
) -> None:
    page = board_page
    new_board(qtbot, page)
    label = add_label(qtbot, page)
    qtbot.waitUntil(lambda: ink_height(page, label.id) > 0)
    ink_before = ink_height(page, label.id)
    steps = page.editor.undo.count()
    sent = len(outbox(page))
    type_size(qtbot, page, "96")
    bigger = stored(page)[label.id]
    assert bigger.font_size == 96.0 and bigger.text == label.text
    assert bigger.height > label.height * 1.6 and bigger.width > label.width * 1.6
    # One write (one outbox entry, the label's), one undo step named for it.
    written = outbox(page)[sent:]
    assert [e.entity_id for e in written] == [label.id]
    assert page.editor.undo.count() == steps + 1
    assert page.editor.undo.undoText() == "Text size"
    # The label is drawn at its new size, not stretched from the old picture's box only.
    g = page.editor.controller.graphics[label.id]
    assert g.item == bigger and g.boundingRect().height() == pytest.approx(bigger.height)
    qtbot.waitUntil(lambda: ink_height(page, label.id) > ink_before * 1.5)
    # Undo and redo with the board's keys (focus back on the canvas).
    page.editor.view.setFocus()
    qtbot.keyClick(page.editor.view, Qt.Key.Key_Z, Ctrl)
    assert stored(page)[label.id] == label
    assert size_box(page).value() == 48
    qtbot.waitUntil(lambda: ink_height(page, label.id) <= ink_before + 1)
    qtbot.keyClick(page.editor.view, Qt.Key.Key_Z, Ctrl | Qt.KeyboardModifier.ShiftModifier)
    assert stored(page)[label.id] == bigger
    assert size_box(page).value() == 96


def test_typed_size_applies_to_every_selected_label_at_once(
    qtbot: QtBot, board_page: BoardsPage
) -> None:
    page = board_page
    new_board(qtbot, page)
    a = add_label(qtbot, page, at=(300, 300))
    b = add_label(qtbot, page, at=(800, 800))
    type_size(qtbot, page, "20")  # b only: it is the one selected
    b = stored(page)[b.id]
    assert b.font_size == 20 and stored(page)[a.id] == a
    page.editor.view.setFocus()
    qtbot.keyClick(page.editor.view, Qt.Key.Key_A, Ctrl)
    assert size_box(page).value() == 48  # the lowest label's size
    # Typing the size shown gives it to every label (b's 20 was not the one shown).
    type_size(qtbot, page, "48")
    assert stored(page)[b.id].font_size == 48 and stored(page)[a.id] == a
    page.editor.undo.undo()
    steps = page.editor.undo.index()
    sent = len(outbox(page))
    type_size(qtbot, page, "30")
    after = stored(page)
    assert after[a.id].font_size == 30 and after[b.id].font_size == 30
    written = outbox(page)[sent:]
    assert sorted(e.entity_id for e in written) == sorted([a.id, b.id])
    assert page.editor.undo.index() == steps + 1
    page.editor.undo.undo()
    assert stored(page) == {a.id: a, b.id: b}
    # Into the box and out again without typing: nothing changes.
    box = size_box(page)
    qtbot.mouseClick(box.lineEdit(), Qt.MouseButton.LeftButton)
    click(page, 600, 1100)  # empty board: the selection is cleared too
    assert stored(page) == {a.id: a, b.id: b}
    assert page.editor.undo.index() == steps  # the undo above, nothing since


def test_keys_typed_in_the_size_box_stay_in_the_box(qtbot: QtBot, board_page: BoardsPage) -> None:
    page = board_page
    new_board(qtbot, page)
    label = add_label(qtbot, page)
    box = size_box(page)
    qtbot.mouseClick(box.lineEdit(), Qt.MouseButton.LeftButton)
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_A, Ctrl)  # the box's text, not every item
    assert page.editor.scene.selected_board_items() and box.lineEdit().hasSelectedText()
    # Backspace and Delete are the board's Delete shortcut, "C" its crop: not while typing.
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Delete)
    assert box.lineEdit().text() == " px"
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Backspace)
    qtbot.keyClicks(box.lineEdit(), "c")
    assert label.id in stored(page)
    assert not page.editor.actions_by_name["crop"].isChecked()
    qtbot.keyClicks(box.lineEdit(), "64")
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    assert stored(page)[label.id].font_size == 64


def test_stepping_the_size_box_is_one_undo_step_per_run(
    qtbot: QtBot, board_page: BoardsPage
) -> None:
    page = board_page
    new_board(qtbot, page)
    label = add_label(qtbot, page)
    box = size_box(page)
    steps = page.editor.undo.count()
    qtbot.mouseClick(box.lineEdit(), Qt.MouseButton.LeftButton)
    for _ in range(4):
        qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Up)
    assert stored(page)[label.id].font_size == 52
    assert page.editor.undo.count() == steps + 1
    type_size(qtbot, page, "40")  # a typed size is a step of its own
    assert page.editor.undo.count() == steps + 2
    page.editor.undo.undo()
    assert stored(page)[label.id].font_size == 52
    page.editor.undo.undo()
    assert stored(page)[label.id] == label


def test_colour_button_and_size_box_together(qtbot: QtBot, board_page: BoardsPage) -> None:
    page = board_page
    new_board(qtbot, page)
    label = add_label(qtbot, page)
    type_size(qtbot, page, "72")
    qtbot.mouseClick(
        page.editor.toolbar.widgetForAction(page.editor.actions_by_name["text_colour"]),
        Qt.MouseButton.LeftButton,
    )
    dialog = page.editor.findChild(QColorDialog, "boardTextColourDialog")
    assert dialog is not None
    dialog.setCurrentColor(QColor("#1d6fa5"))
    dialog.accept()
    done = stored(page)[label.id]
    assert (done.kind, done.color, done.font_size) == (BoardItemKind.TEXT, "#1d6fa5", 72)
    assert page.editor.undo.undoText() == "Text colour"
    page.editor.undo.undo()
    assert stored(page)[label.id].color == label.color
    assert stored(page)[label.id].font_size == 72


def test_a_typed_size_applies_when_the_user_clicks_away(
    qtbot: QtBot, board_page: BoardsPage
) -> None:
    page = board_page
    new_board(qtbot, page)
    label = add_label(qtbot, page)
    box = size_box(page)
    qtbot.mouseClick(box.lineEdit(), Qt.MouseButton.LeftButton)
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_A, Ctrl)
    qtbot.keyClicks(box.lineEdit(), "80")
    assert stored(page)[label.id] == label  # not while typing
    page.editor.view.viewport().setFocus()  # the click's focus change, then the click
    click(page, 600, 1100)
    assert stored(page)[label.id].font_size == 80
    assert page.editor.scene.selected_board_items() == []
