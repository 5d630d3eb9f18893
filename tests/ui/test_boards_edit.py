"""Editing a board on the canvas: each gesture stored, one undo step each, undone and redone."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QWheelEvent
from PySide6.QtWidgets import QApplication, QColorDialog
from pytestqt.qtbot import QtBot
from test_boards_support import (
    click,
    drag,
    drop_files,
    drop_products,
    fixture_photo,
    new_board,
    open_page,
    outbox,
    product_ids,
    saved,
    settle,
    stored,
    view_point,
)

from studio.core.boards import BoardItem, BoardItemKind
from studio.core.looks import Crop
from studio.system.paths import Paths
from studio.ui.boards import geometry
from studio.ui.boards.api import BoardsPage
from studio.ui.boards.overlay import ROTATE_PX
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui


@pytest.fixture
def board_page(qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any) -> BoardsPage:
    return open_page(qtbot, tasks, paths, store)


@pytest.fixture
def photo(fixtures_dir: Path) -> Path:
    return fixture_photo(fixtures_dir)


Ctrl = Qt.KeyboardModifier.ControlModifier
Shift = Qt.KeyboardModifier.ShiftModifier
Alt = Qt.KeyboardModifier.AltModifier


def two_photos(qtbot: QtBot, page: BoardsPage, photo: Path) -> tuple[BoardItem, BoardItem]:
    new_board(qtbot, page)
    drop_files(page, [photo], 300, 300)
    settle(qtbot, page, 1)
    drop_files(page, [photo], 820, 820)
    settle(qtbot, page, 2)
    a, b = sorted(stored(page).values(), key=lambda i: i.x)
    return a, b


def undo_redo(page: BoardsPage, item_id: str, before: BoardItem, after: BoardItem) -> None:
    """Undo brings the stored item back to ``before``, redo to ``after``."""
    page.editor.undo.undo()
    assert stored(page)[item_id] == before
    assert page.editor.controller.graphics[item_id].item == before
    page.editor.undo.redo()
    assert stored(page)[item_id] == after


def press_shortcut(
    qtbot: QtBot,
    page: BoardsPage,
    key: Qt.Key,
    mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    page.activateWindow()
    page.editor.view.setFocus()
    qtbot.keyClick(page.editor.view, key, mods)


def test_drag_of_a_multi_selection_is_one_store_write_and_one_undo_step(
    qtbot: QtBot, board_page: BoardsPage, photo: Path
) -> None:
    page = board_page
    a, b = two_photos(qtbot, page, photo)
    press_shortcut(qtbot, page, Qt.Key.Key_A, Ctrl)  # select all
    assert len(page.editor.scene.selected_board_items()) == 2
    steps_before = page.editor.undo.count()
    sent_before = len(outbox(page))
    drag(page, (a.x, a.y), (a.x + 57, a.y + 33), mods=Alt, steps=12)  # Alt: no snapping
    # Twelve mouse moves, one write on release: one outbox entry per moved item.
    written = outbox(page)[sent_before:]
    assert sorted(e.entity_id for e in written) == sorted([a.id, b.id])
    after = stored(page)
    dx, dy = after[a.id].x - a.x, after[a.id].y - a.y
    assert dx == pytest.approx(57, abs=3) and dy == pytest.approx(33, abs=3)
    assert (after[b.id].x - b.x, after[b.id].y - b.y) == pytest.approx((dx, dy))
    assert page.editor.undo.count() == steps_before + 1
    undo = page.editor.toolbar.widgetForAction(page.editor.actions_by_name["undo"])
    assert undo.toolTip() == "Undo Move" and undo.accessibleName() == "Undo"
    press_shortcut(qtbot, page, Qt.Key.Key_Z, Ctrl)
    assert stored(page)[a.id] == a and stored(page)[b.id] == b
    press_shortcut(qtbot, page, Qt.Key.Key_Z, Ctrl | Shift)
    assert stored(page) == after


def test_drag_snaps_to_the_board_centre_unless_alt(
    qtbot: QtBot, board_page: BoardsPage, photo: Path
) -> None:
    page = board_page
    a, _b = two_photos(qtbot, page, photo)
    click(page, a.x, a.y)
    # Towards the centre line (x = 600), stopping 3 board px short of it.
    drag(page, (a.x, a.y), (a.x + (600 - a.x) - 3, a.y))
    assert stored(page)[a.id].x == pytest.approx(600)
    assert page.editor.scene.guides == (None, None)  # guides are gone after the release
    moved = stored(page)[a.id]
    drag(page, (moved.x, moved.y), (moved.x + 3, moved.y), mods=Alt)
    assert stored(page)[a.id].x == pytest.approx(603, abs=2)


def test_arrow_keys_nudge_and_merge_into_one_step(
    qtbot: QtBot, board_page: BoardsPage, photo: Path
) -> None:
    page = board_page
    a, _b = two_photos(qtbot, page, photo)
    click(page, a.x, a.y)
    count = page.editor.undo.count()
    press_shortcut(qtbot, page, Qt.Key.Key_Right)
    press_shortcut(qtbot, page, Qt.Key.Key_Right, Shift)
    press_shortcut(qtbot, page, Qt.Key.Key_Up)
    assert (stored(page)[a.id].x, stored(page)[a.id].y) == (a.x + 11, a.y - 1)
    assert page.editor.undo.count() == count + 1
    page.editor.undo.undo()
    assert stored(page)[a.id] == a


def test_scale_keeps_the_aspect_ratio_and_shift_frees_it(
    qtbot: QtBot, board_page: BoardsPage, photo: Path
) -> None:
    page = board_page
    a, _b = two_photos(qtbot, page, photo)
    click(page, a.x, a.y)
    corner = geometry.handle_points(a, crop_mode=False, rotate_offset=0)[3][1]  # bottom-right
    drag(page, (corner.x(), corner.y()), (corner.x() + 100, corner.y() + 20))
    scaled = stored(page)[a.id]
    assert scaled.width > a.width + 90
    assert scaled.width / scaled.height == pytest.approx(a.width / a.height, rel=1e-3)
    # The opposite (top-left) corner stayed where it was.
    assert scaled.x - scaled.width / 2 == pytest.approx(a.x - a.width / 2, abs=0.5)
    undo_redo(page, a.id, a, scaled)
    corner = geometry.handle_points(scaled, crop_mode=False, rotate_offset=0)[3][1]
    drag(page, (corner.x(), corner.y()), (corner.x() - 60, corner.y() + 40), mods=Shift)
    free = stored(page)[a.id]
    assert free.width / free.height != pytest.approx(a.width / a.height, rel=1e-2)
    undo_redo(page, a.id, scaled, free)


def test_rotate_handle_with_shift_snaps_to_15_degrees(
    qtbot: QtBot, board_page: BoardsPage, photo: Path
) -> None:
    page = board_page
    a, _b = two_photos(qtbot, page, photo)
    click(page, a.x, a.y)
    px = page.editor.scene.pixel()
    handle = geometry.handle_points(a, crop_mode=False, rotate_offset=ROTATE_PX * px)[-1][1]
    # Drag the handle round to the right of the centre, a little below: about 97 degrees.
    drag(page, (handle.x(), handle.y()), (a.x + 200, a.y + 25), mods=Shift)
    turned = stored(page)[a.id]
    assert turned.rotation == pytest.approx(90.0)
    assert (turned.x, turned.y) == (a.x, a.y)
    undo_redo(page, a.id, a, turned)


def test_flip_and_layering_buttons_and_shortcuts(
    qtbot: QtBot, board_page: BoardsPage, photo: Path
) -> None:
    page = board_page
    a, b = two_photos(qtbot, page, photo)
    assert a.z < b.z  # b was added last: on top
    click(page, a.x, a.y)
    button = page.editor.toolbar.widgetForAction(page.editor.actions_by_name["flip_h"])
    assert button.accessibleName() == "Flip horizontally" and button.toolTip()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    flipped = stored(page)[a.id]
    assert flipped.flip_h and not flipped.flip_v
    undo_redo(page, a.id, a, flipped)
    qtbot.mouseClick(
        page.editor.toolbar.widgetForAction(page.editor.actions_by_name["flip_v"]),
        Qt.MouseButton.LeftButton,
    )
    both = stored(page)[a.id]
    assert both.flip_h and both.flip_v
    # Bring forward (Ctrl+]): a goes above b.
    press_shortcut(qtbot, page, Qt.Key.Key_BracketRight, Ctrl)
    forward = stored(page)[a.id]
    assert forward.z > stored(page)[b.id].z
    assert [i.id for i in page.editor.controller.items] == [b.id, a.id]
    assert (
        page.editor.controller.graphics[a.id].zValue()
        > page.editor.controller.graphics[b.id].zValue()
    )
    undo_redo(page, a.id, both, forward)
    # Send backward (Ctrl+[).
    press_shortcut(qtbot, page, Qt.Key.Key_BracketLeft, Ctrl)
    assert stored(page)[a.id].z < stored(page)[b.id].z
    page.editor.undo.undo()
    assert stored(page)[a.id].z > stored(page)[b.id].z
    # To the back and to the front, from the toolbar.
    for name, below in (("back", True), ("front", False)):
        qtbot.mouseClick(
            page.editor.toolbar.widgetForAction(page.editor.actions_by_name[name]),
            Qt.MouseButton.LeftButton,
        )
        assert (stored(page)[a.id].z < stored(page)[b.id].z) is below


def test_crop_mode_trims_the_image_and_keeps_its_scale(
    qtbot: QtBot, board_page: BoardsPage, photo: Path
) -> None:
    page = board_page
    a, _b = two_photos(qtbot, page, photo)
    click(page, a.x, a.y)
    qtbot.mouseClick(
        page.editor.toolbar.widgetForAction(page.editor.actions_by_name["crop"]),
        Qt.MouseButton.LeftButton,
    )
    assert page.editor.scene.crop_mode
    left = dict(geometry.handle_points(a, crop_mode=True, rotate_offset=0))["l"]
    drag(page, (left.x(), left.y()), (left.x() + a.width / 4, left.y()))
    cropped = stored(page)[a.id]
    assert cropped.crop.left == pytest.approx(0.25, abs=0.01)
    assert (cropped.crop.top, cropped.crop.right, cropped.crop.bottom) == (0.0, 1.0, 1.0)
    assert cropped.width == pytest.approx(a.width * 0.75, rel=0.02)
    assert cropped.height == a.height
    # The right edge stays put: the image did not move or scale.
    assert cropped.x + cropped.width / 2 == pytest.approx(a.x + a.width / 2, abs=0.5)
    undo_redo(page, a.id, a, cropped)
    assert isinstance(cropped.crop, Crop)


def test_text_label_add_edit_in_place_colour_and_size(qtbot: QtBot, board_page: BoardsPage) -> None:
    page = board_page
    new_board(qtbot, page)
    qtbot.mouseClick(
        page.editor.toolbar.widgetForAction(page.editor.actions_by_name["text"]),
        Qt.MouseButton.LeftButton,
    )
    (label,) = stored(page).values()
    assert label.kind is BoardItemKind.TEXT and label.text == "Your text"
    # The label opened for editing with its text selected: typing replaces it.
    qtbot.keyClicks(page.editor.view, "Picnic classics")
    qtbot.keyClick(page.editor.view, Qt.Key.Key_Return)
    edited = stored(page)[label.id]
    assert edited.text == "Picnic classics"
    assert edited.width > label.width
    undo_redo(page, label.id, label, edited)
    # Double-click edits it again.
    drag(page, (edited.x, edited.y), (edited.x, edited.y), steps=0)
    pos = view_point(page, edited.x, edited.y)
    qtbot.mouseDClick(page.editor.view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert page.editor.scene.editor_item is not None
    qtbot.keyClick(page.editor.view, Qt.Key.Key_End)
    qtbot.keyClicks(page.editor.view, "!")
    qtbot.keyClick(page.editor.view, Qt.Key.Key_Escape)  # cancelled
    assert stored(page)[label.id].text == "Picnic classics"
    # Colour (QColorDialog) and size.
    qtbot.mouseClick(
        page.editor.toolbar.widgetForAction(page.editor.actions_by_name["text_colour"]),
        Qt.MouseButton.LeftButton,
    )
    dialog = page.editor.findChild(QColorDialog, "boardTextColourDialog")
    dialog.setCurrentColor(QColor("#aa3355"))
    dialog.accept()
    coloured = stored(page)[label.id]
    assert coloured.color == "#aa3355"
    undo_redo(page, label.id, edited, coloured)
    page.editor.actions_by_name["bigger"].trigger()
    bigger = stored(page)[label.id]
    assert bigger.font_size == pytest.approx(60.0) and bigger.height > coloured.height
    undo_redo(page, label.id, coloured, bigger)
    # A label emptied in place is removed (an invisible item helps nobody); undo brings it back.
    page.editor.edit_text(label.id)
    qtbot.keyClick(page.editor.view, Qt.Key.Key_Delete)
    qtbot.keyClick(page.editor.view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: stored(page) == {})
    page.editor.undo.undo()
    assert stored(page)[label.id] == bigger


def test_background_colour_from_the_colour_dialog(qtbot: QtBot, board_page: BoardsPage) -> None:
    page = board_page
    board_id = new_board(qtbot, page)
    qtbot.mouseClick(
        page.editor.toolbar.widgetForAction(page.editor.actions_by_name["background"]),
        Qt.MouseButton.LeftButton,
    )
    dialog = page.editor.findChild(QColorDialog, "boardBackgroundDialog")
    dialog.setCurrentColor(QColor("#f3e9dc"))
    dialog.accept()
    saved(page)
    assert page.boards.document(board_id).board.background == "#f3e9dc"
    assert page.editor.scene.background == QColor("#f3e9dc")
    page.editor.undo.undo()
    saved(page)
    assert page.boards.document(board_id).board.background == "#ffffff"
    page.editor.undo.redo()
    saved(page)
    assert page.boards.document(board_id).board.background == "#f3e9dc"


def test_delete_key_and_rubber_band(qtbot: QtBot, board_page: BoardsPage, photo: Path) -> None:
    page = board_page
    a, b = two_photos(qtbot, page, photo)
    page.editor.scene.clearSelection()
    # A rubber band from the empty top-right corner over b only.
    drag(page, (1190, 560), (b.x, b.y))
    assert [g.item_id for g in page.editor.scene.selected_board_items()] == [b.id]
    press_shortcut(qtbot, page, Qt.Key.Key_Delete)
    assert set(stored(page)) == {a.id}
    page.editor.undo.undo()
    assert stored(page)[b.id] == b
    page.editor.undo.redo()
    assert set(stored(page)) == {a.id}


def test_zoom_with_ctrl_wheel_and_keys(qtbot: QtBot, board_page: BoardsPage) -> None:
    page = board_page
    new_board(qtbot, page)
    view = page.editor.view
    fitted = view.zoom
    press_shortcut(qtbot, page, Qt.Key.Key_Equal, Ctrl)
    assert view.zoom == pytest.approx(fitted * 1.25)
    press_shortcut(qtbot, page, Qt.Key.Key_Minus, Ctrl)
    press_shortcut(qtbot, page, Qt.Key.Key_Minus, Ctrl)
    assert view.zoom == pytest.approx(fitted / 1.25)
    centre = QPointF(view.viewport().rect().center())
    wheel = QWheelEvent(
        centre,
        QPointF(view.viewport().mapToGlobal(centre.toPoint())),
        QPoint(),
        QPoint(0, 240),
        Qt.MouseButton.NoButton,
        Ctrl,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), wheel)
    assert view.zoom == pytest.approx(fitted / 1.25 * 1.15**2)
    press_shortcut(qtbot, page, Qt.Key.Key_0, Ctrl)
    assert view.zoom == pytest.approx(fitted)


def test_grab_a_composed_board(
    qtbot: QtBot,
    board_page: BoardsPage,
    photo: Path,
    store: Any,
    tmp_path: Path,
    fixtures_dir: Path,
) -> None:
    """A composed board, grabbed to PNG (looked at by hand while building the editor)."""
    page = board_page
    new_board(qtbot, page)
    drop_products(page, product_ids(store, 3), 330, 380)
    settle(qtbot, page, 3)
    drop_files(page, [photo], 820, 470)
    settle(qtbot, page, 4)
    landscape = fixtures_dir / "images" / "exif_orientation" / "Landscape_6.jpg"
    if landscape.exists():
        drop_files(page, [landscape], 760, 900)
        settle(qtbot, page, 5)
    page.editor.add_text(QPointF(600, 110))
    qtbot.keyClicks(page.editor.view, "Weekend picnic")
    qtbot.keyClick(page.editor.view, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: all(
            g.has_pixmap
            for g in page.editor.controller.graphics.values()
            if g.item.kind is not BoardItemKind.TEXT
        ),
        timeout=10_000,
    )
    qtbot.waitUntil(lambda: "Loading" not in " ".join(page.editor.products.entries()))
    click(page, 820, 470)
    out = Path(os.environ.get("BOARD_GRAB_DIR", tmp_path)) / "board-editor.png"
    assert page.grab().save(str(out))
    assert out.stat().st_size > 10_000
    assert len(page.editor.products.entries()) == 3
    assert [e.split(".")[0] for e in page.editor.products.entries()] == ["1", "2", "3"]
    _ = dataclasses  # keep the import for helpers above
