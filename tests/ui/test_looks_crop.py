"""Cropping on the photo: crop mode, handle drags with the mouse, apply/cancel, undo, rotation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from test_looks_helpers import PHOTO, add_photo, drop, open_new_look, open_studio

from studio.core.catalog import SearchQuery
from studio.core.looks import Crop
from studio.system.paths import Paths
from studio.ui.looks.crop_tool import MOVE, crop_of, drag_rect, shown_fractions
from studio.ui.tasks import TaskManager
from studio.ui.widgets.mime import product_mime_data

pytestmark = pytest.mark.gui


@pytest.fixture
def photo(fixtures_dir: Path) -> Path:
    path = fixtures_dir / "images" / PHOTO
    if not path.is_file():
        pytest.fail(f"fixture photo {path} is absent" + " (../shared is incomplete)", pytrace=False)
    return path


def at(canvas: Any, fx: float, fy: float) -> QPoint:
    """The viewport point at fractions of the photo as the canvas shows it."""
    rect = canvas.photo_rect
    return canvas.mapFromScene(
        QPointF(rect.left() + fx * rect.width(), rect.top() + fy * rect.height())
    )


def drag(
    qtbot: QtBot,
    canvas: Any,
    start: QPoint,
    end: QPoint,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    """A real press, move in steps and release on the canvas viewport."""
    viewport = canvas.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, modifier, pos=start)
    for i in range(1, 7):
        qtbot.mouseMove(viewport, start + (end - start) * i / 6)
    # QTest.mouseMove carries no modifiers: the last move states them, as a real one does.
    QApplication.sendEvent(
        viewport,
        QMouseEvent(
            QEvent.Type.MouseMove,
            QPointF(end),
            viewport.mapToGlobal(QPointF(end)),
            Qt.MouseButton.NoButton,
            Qt.MouseButton.LeftButton,
            modifier,
        ),
    )
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, modifier, pos=end)


def shown_crop(canvas: Any) -> tuple[float, float, float, float]:
    """The rectangle being framed, as fractions of the shown (uncropped) photo."""
    r, b = canvas.crop.rect, canvas.photo_rect
    return (
        (r.left() - b.left()) / b.width(),
        (r.top() - b.top()) / b.height(),
        (r.right() - b.left()) / b.width(),
        (r.bottom() - b.top()) / b.height(),
    )


def enter_crop_mode(qtbot: QtBot, editor: Any, *, by_key: bool = False) -> None:
    if by_key:
        editor.canvas.setFocus()
        qtbot.keyClick(editor.canvas, Qt.Key.Key_C)
    else:
        qtbot.mouseClick(editor.crop_button, Qt.MouseButton.LeftButton)
    photo = editor.current_photo
    qtbot.waitUntil(lambda: editor.canvas.crop.active and editor.crop_bar.isVisible())
    # The whole photo is shown, turned as it is shown but not cropped.
    qtbot.waitUntil(
        lambda: (
            not editor.canvas._pixmap_item.pixmap().isNull()
            and (editor.canvas.photo_rect.width() > editor.canvas.photo_rect.height())
            == (photo.width > photo.height) ^ bool(photo.rotation % 2)
        )
    )


def stored_crop(studio: Any, editor: Any) -> Crop:
    return studio.document(editor.doc.look.id).photos[0].crop


def test_crop_geometry_stays_inside_keeps_a_minimum_and_the_aspect() -> None:
    bounds = QRectF(0, 0, 600, 400)
    start = QRectF(100, 100, 200, 100)
    # Moving is stopped by the photo's edge, keeping the size.
    moved = drag_rect(start, MOVE, QPointF(1000, -1000), bounds, 30, 20)
    assert moved == QRectF(400, 0, 200, 100)
    # An edge cannot cross the other: it stops at the minimum size.
    squashed = drag_rect(start, (1, 0), QPointF(-500, 0), bounds, 30, 20)
    assert squashed == QRectF(100, 100, 30, 100)
    # Shift on a corner: the proportions (2:1) hold, the opposite corner stays put.
    scaled = drag_rect(start, (1, 1), QPointF(100, 10), bounds, 30, 20, keep_aspect=True)
    assert scaled.topLeft() == start.topLeft()
    assert scaled.width() / scaled.height() == pytest.approx(2.0)
    assert scaled.width() == pytest.approx(300)
    # ...and stop at the photo's edge still in proportion.
    big = drag_rect(start, (-1, -1), QPointF(-900, -900), bounds, 30, 20, keep_aspect=True)
    assert big.bottomRight() == start.bottomRight()
    assert big.left() >= 0 and big.top() >= 0
    assert big.width() / big.height() == pytest.approx(2.0)
    # Upright crop <-> turned fractions, both ways, for every quarter turn.
    crop = Crop(0.1, 0.2, 0.7, 0.9)
    for turns in range(4):
        assert crop_of(*shown_fractions(crop, turns), turns) == crop
    assert shown_fractions(Crop(0.0, 0.0, 0.75, 1.0), 1) == pytest.approx((0, 0, 1, 0.75))


def test_drag_a_corner_apply_undo_redo(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any, photo: Path
) -> None:
    studio = open_studio(qtbot, tasks, paths, store)
    editor = open_new_look(qtbot, studio)
    add_photo(qtbot, editor, photo)
    canvas = editor.canvas
    # Two tags: one that the crop keeps, one that it cuts away.
    product_id = int(store.search(SearchQuery(text="", limit=1)).ids[0])
    for fx, fy in ((0.3, 0.4), (0.9, 0.9)):
        assert drop(canvas.viewport(), product_mime_data([product_id], ["x"]), at(canvas, fx, fy))
    qtbot.waitUntil(lambda: len(editor.doc.hotspots) == 2)
    kept, cut = sorted(editor.doc.hotspots, key=lambda h: h.x)
    assert editor.crop_button.accessibleName() and editor.crop_button.toolTip()

    enter_crop_mode(qtbot, editor)
    assert shown_crop(canvas) == pytest.approx((0, 0, 1, 1))
    steps = editor.undo_stack.count()
    # Drag the bottom-right corner to 60 % / 70 %.
    drag(qtbot, canvas, at(canvas, 1.0, 1.0), at(canvas, 0.6, 0.7))
    assert shown_crop(canvas) == pytest.approx((0, 0, 0.6, 0.7), abs=0.01)
    # The inspector's boxes follow the rectangle; nothing is written yet.
    spins = editor.inspector.crop_spins
    assert spins["right"].value() == pytest.approx(60, abs=1)
    assert spins["bottom"].value() == pytest.approx(70, abs=1)
    assert stored_crop(studio, editor) == Crop()
    # Markers stay on their items while framing; the one to be cut away is faded.
    marker = canvas.items_by_id[kept.id]
    assert canvas.stored_point(marker.pos()) == pytest.approx((kept.x, kept.y), abs=0.005)
    assert marker.opacity() == 1.0 and canvas.items_by_id[cut.id].opacity() < 1.0
    # Drag the inside: the rectangle moves, keeps its size and stays on the photo.
    drag(qtbot, canvas, at(canvas, 0.3, 0.35), at(canvas, 0.5, 0.45))
    assert shown_crop(canvas) == pytest.approx((0.2, 0.1, 0.8, 0.8), abs=0.01)
    drag(qtbot, canvas, at(canvas, 0.5, 0.45), at(canvas, 0.1, 0.2))
    assert shown_crop(canvas) == pytest.approx((0, 0, 0.6, 0.7), abs=0.01)
    # A box typed in the inspector steers the rectangle too.
    spins["top"].setValue(10.0)
    assert shown_crop(canvas)[1] == pytest.approx(0.1, abs=0.001)

    qtbot.keyClick(canvas, Qt.Key.Key_Return)
    assert not canvas.crop.active and not editor.crop_bar.isVisible()
    assert not editor.crop_button.isChecked()
    crop = stored_crop(studio, editor)
    assert (crop.left, crop.top, crop.right, crop.bottom) == pytest.approx(
        (0, 0.1, 0.6, 0.7), abs=0.01
    )
    assert editor.undo_stack.count() == steps + 1  # one edit
    # The canvas shows the cropped photo: 60 % x 60 % of 1800 x 1200 px, the cut tag hidden.
    qtbot.waitUntil(
        lambda: (
            not canvas._pixmap_item.pixmap().isNull()
            and canvas.photo_rect.width() / canvas.photo_rect.height()
            == pytest.approx(1080 / 720, rel=0.02)
        )
    )
    assert marker.isVisible() and not canvas.items_by_id[cut.id].isVisible()
    assert canvas.stored_point(marker.pos()) == pytest.approx((kept.x, kept.y), abs=0.005)

    studio.window.undo_action.trigger()
    assert stored_crop(studio, editor) == Crop()
    assert spins["right"].value() == 100.0
    studio.window.redo_action.trigger()
    assert stored_crop(studio, editor) == crop
    assert spins["right"].value() == pytest.approx(60, abs=1)


def test_cancel_writes_nothing_and_shift_keeps_proportions(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any, photo: Path
) -> None:
    studio = open_studio(qtbot, tasks, paths, store)
    editor = open_new_look(qtbot, studio)
    add_photo(qtbot, editor, photo)
    canvas = editor.canvas
    editor.inspector.crop_spins["left"].setValue(20.0)
    qtbot.waitUntil(lambda: stored_crop(studio, editor) == Crop(0.2, 0.0, 1.0, 1.0))
    steps = editor.undo_stack.count()

    enter_crop_mode(qtbot, editor, by_key=True)
    # The stored crop is where the rectangle starts.
    assert shown_crop(canvas) == pytest.approx((0.2, 0, 1, 1), abs=0.001)
    # Shift on the top-left corner: the rectangle keeps its 1440 x 1200 proportions.
    drag(
        qtbot, canvas, at(canvas, 0.2, 0.0), at(canvas, 0.5, 0.3), Qt.KeyboardModifier.ShiftModifier
    )
    left, top, right, bottom = shown_crop(canvas)
    assert (right, bottom) == pytest.approx((1, 1), abs=0.001)
    assert ((right - left) * 1800) / ((bottom - top) * 1200) == pytest.approx(1.2, abs=0.01)
    # The corner follows the larger of the two pulls: 70 % of the height -> 56 % of the width.
    assert (left, top) == pytest.approx((0.44, 0.3), abs=0.01)
    # Squeeze an edge past the other: it stops at the minimum size, never collapses.
    drag(qtbot, canvas, at(canvas, 1.0, 0.6), at(canvas, 0.0, 0.6))
    left, _top, right, _bottom = shown_crop(canvas)
    assert right - left == pytest.approx(0.05, abs=0.002)

    qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    assert not canvas.crop.active and not editor.crop_bar.isVisible()
    assert stored_crop(studio, editor) == Crop(0.2, 0.0, 1.0, 1.0)
    assert editor.undo_stack.count() == steps
    assert editor.inspector.crop_spins["left"].value() == 20.0
    assert editor.inspector.crop_spins["right"].value() == 100.0
    # Back to the cropped photo (1440 x 1200).
    qtbot.waitUntil(
        lambda: (
            not canvas._pixmap_item.pixmap().isNull()
            and canvas.photo_rect.width() / canvas.photo_rect.height()
            == pytest.approx(1.2, rel=0.02)
        )
    )
    # The Cancel button does the same; entering and leaving writes nothing either way.
    enter_crop_mode(qtbot, editor)
    qtbot.mouseClick(editor.crop_bar.cancel, Qt.MouseButton.LeftButton)
    assert not canvas.crop.active and editor.undo_stack.count() == steps


def test_rotated_photo_crops_the_right_edge_of_the_original(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any, photo: Path
) -> None:
    studio = open_studio(qtbot, tasks, paths, store)
    editor = open_new_look(qtbot, studio)
    add_photo(qtbot, editor, photo)
    canvas = editor.canvas
    editor.inspector.rotate_right.click()
    assert stored_crop(studio, editor) == Crop()
    qtbot.waitUntil(lambda: canvas.photo_rect.height() > canvas.photo_rect.width())

    enter_crop_mode(qtbot, editor)
    assert canvas.photo_rect.height() > canvas.photo_rect.width()  # still turned
    # Turned clockwise, the original's right edge is at the bottom: pull it up by a quarter.
    drag(qtbot, canvas, at(canvas, 0.5, 1.0), at(canvas, 0.5, 0.75))
    assert editor.inspector.crop_spins["right"].value() == pytest.approx(75, abs=1)
    qtbot.mouseClick(editor.crop_bar.apply, Qt.MouseButton.LeftButton)
    crop = stored_crop(studio, editor)
    assert (crop.left, crop.top, crop.right, crop.bottom) == pytest.approx(
        (0, 0, 0.75, 1), abs=0.01
    )
    assert studio.document(editor.doc.look.id).photos[0].rotation == 1
    # Shown: 1350 x 1200 px of the original, turned -> 1200 wide, 1350 high.
    qtbot.waitUntil(
        lambda: (
            not canvas._pixmap_item.pixmap().isNull()
            and canvas.photo_rect.height() / canvas.photo_rect.width()
            == pytest.approx(1350 / 1200, rel=0.02)
        )
    )

    # Turning the photo back while framing: the rectangle turns with it (same upright crop).
    enter_crop_mode(qtbot, editor)
    # The drag above landed on a whole pixel of the view: within one (about 0.002 of the photo
    # in a window with the navigation rail; 0.001 held only in a wider canvas).
    assert shown_crop(canvas) == pytest.approx((0, 0, 1, 0.75), abs=0.002)
    drag(qtbot, canvas, at(canvas, 0.0, 0.5), at(canvas, 0.1, 0.5))  # the original's bottom
    editor.inspector.rotate_left.click()
    assert studio.document(editor.doc.look.id).photos[0].rotation == 0
    assert canvas.crop.active
    qtbot.waitUntil(lambda: canvas.photo_rect.width() > canvas.photo_rect.height())
    assert shown_crop(canvas) == pytest.approx((0, 0, 0.75, 0.9), abs=0.002)
    # C again leaves crop mode and applies, as the button's second click does.
    qtbot.keyClick(canvas, Qt.Key.Key_C)
    assert not canvas.crop.active and not editor.crop_button.isChecked()
    crop = stored_crop(studio, editor)
    assert (crop.left, crop.top, crop.right, crop.bottom) == pytest.approx(
        (0, 0, 0.75, 0.9), abs=0.002
    )


def test_crop_mode_screenshot(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any, photo: Path
) -> None:
    studio = open_studio(qtbot, tasks, paths, store)
    editor = open_new_look(qtbot, studio)
    add_photo(qtbot, editor, photo)
    canvas = editor.canvas
    product_id = int(store.search(SearchQuery(text="", limit=1)).ids[0])
    assert drop(canvas.viewport(), product_mime_data([product_id], ["x"]), at(canvas, 0.4, 0.5))
    qtbot.waitUntil(lambda: len(editor.doc.hotspots) == 1)
    enter_crop_mode(qtbot, editor)
    drag(qtbot, canvas, at(canvas, 0.0, 0.0), at(canvas, 0.15, 0.1))
    drag(qtbot, canvas, at(canvas, 1.0, 1.0), at(canvas, 0.8, 0.85))
    qtbot.wait(50)
    assert editor.grab().save("/tmp/crop-mode.png")
    # The part cut away is dimmed; the kept part is shown as it is.
    outside, inside = at(canvas, 0.05, 0.5), at(canvas, 0.5, 0.3)
    framed = canvas.viewport().grab().toImage()
    canvas.crop.overlay.setVisible(False)
    plain = canvas.viewport().grab().toImage()
    assert framed.pixelColor(outside).lightness() < plain.pixelColor(outside).lightness() * 0.6
    assert framed.pixelColor(inside) == plain.pixelColor(inside)
