"""The look editor as a curator uses it: photos, tags by drag and drop, moves, undo, restart."""

from __future__ import annotations

from html import escape as html_escape
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from test_looks_helpers import PHOTO, add_photo, drop, open_new_look, open_studio

from studio.core.catalog import SearchQuery
from studio.core.looks import Crop
from studio.core.sharing import PLAIN_LINKS_NOTICE
from studio.system.paths import Paths
from studio.ui.tasks import TaskManager
from studio.ui.widgets.mime import product_mime_data

pytestmark = pytest.mark.gui


@pytest.fixture
def photo(fixtures_dir: Path) -> Path:
    path = fixtures_dir / "images" / PHOTO
    if not path.is_file():
        pytest.fail(f"fixture photo {path} is absent" + " (../shared is incomplete)", pytrace=False)
    return path


def drop_products(canvas: Any, ids: list[int], at: QPoint) -> None:
    """A real drop of the catalog's MIME data on the canvas viewport at ``at``."""
    assert drop(canvas.viewport(), product_mime_data(ids, ["dropped"]), at)


def photo_point(canvas: Any, fx: float, fy: float) -> QPoint:
    rect = canvas.photo_rect
    return canvas.mapFromScene(
        QPointF(rect.left() + fx * rect.width(), rect.top() + fy * rect.height())
    )


def test_tag_move_undo_redo_crop_rotate_and_restart(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any, photo: Path, tmp_path: Path
) -> None:
    studio = open_studio(qtbot, tasks, paths, store)
    editor = open_new_look(qtbot, studio)
    add_photo(qtbot, editor, photo)
    look_id = editor.doc.look.id
    photo_id = editor.doc.photos[0].id
    assert (editor.doc.photos[0].width, editor.doc.photos[0].height) == (1800, 1200)

    # Drop a product from the catalog at 30 % / 40 % of the photo.
    product_id = int(store.search(SearchQuery(text="", limit=5)).ids[0])
    drop_products(editor.canvas, [product_id], photo_point(editor.canvas, 0.3, 0.4))
    qtbot.waitUntil(lambda: len(editor.doc.hotspots) == 1)
    hotspot = editor.doc.hotspots[0]
    assert hotspot.product.product_id == product_id
    assert hotspot.x == pytest.approx(0.3, abs=0.01) and hotspot.y == pytest.approx(0.4, abs=0.01)
    marker = editor.canvas.items_by_id[hotspot.id]
    assert marker.number == 1 and marker.isVisible()
    qtbot.waitUntil(lambda: editor.cards_ready and product_id in editor.cards)
    assert editor.cards[product_id].title in editor.products.tagged.item(0).text()

    # Drag the marker with the mouse to 60 % / 70 %: one move, one undo step.
    viewport = editor.canvas.viewport()
    start = editor.canvas.viewport_point_of(hotspot.id)
    end = photo_point(editor.canvas, 0.6, 0.7)
    steps_before = editor.undo_stack.count()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for i in range(1, 6):
        qtbot.mouseMove(viewport, start + (end - start) * i / 5)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)
    stored = studio.looks.document(look_id).hotspots[0]
    assert stored.x == pytest.approx(0.6, abs=0.01) and stored.y == pytest.approx(0.7, abs=0.01)
    assert editor.undo_stack.count() == steps_before + 1

    studio.window.undo_action.trigger()
    stored = studio.looks.document(look_id).hotspots[0]
    assert stored.x == pytest.approx(0.3, abs=0.01) and stored.y == pytest.approx(0.4, abs=0.01)
    studio.window.redo_action.trigger()
    assert studio.looks.document(look_id).hotspots[0].x == pytest.approx(0.6, abs=0.01)

    # Crop to the right half, then turn a quarter clockwise: the tag stays on its item.
    editor.inspector.crop_spins["left"].setValue(50.0)
    qtbot.waitUntil(lambda: editor.doc.photos[0].crop == Crop(0.5, 0.0, 1.0, 1.0))
    canvas = editor.canvas
    # The kept right half is 900 x 1200 px; a quarter turn shows it 1200 x 900.
    qtbot.waitUntil(lambda: canvas.photo_rect.height() > canvas.photo_rect.width())
    editor.inspector.rotate_right.click()
    assert studio.looks.document(look_id).photos[0].rotation == 1
    qtbot.waitUntil(
        lambda: (
            canvas.photo_rect.width() > canvas.photo_rect.height()
            and not canvas._pixmap_item.pixmap().isNull()
        )
    )
    # Shown: crop 0.5..1 -> u = 0.2, v = 0.7; a clockwise turn -> (1 - v, u) = (0.3, 0.2).
    rect = editor.canvas.photo_rect
    pos = marker.pos()
    assert (pos.x() - rect.left()) / rect.width() == pytest.approx(0.3, abs=0.01)
    assert (pos.y() - rect.top()) / rect.height() == pytest.approx(0.2, abs=0.01)
    # A drop on the turned, cropped photo is stored in uncropped upright fractions.
    drop_products(editor.canvas, [product_id], photo_point(editor.canvas, 0.5, 0.5))
    qtbot.waitUntil(lambda: len(editor.doc.hotspots) == 2)
    second = next(h for h in editor.doc.hotspots if h.id != hotspot.id)
    assert (second.x, second.y) == (pytest.approx(0.75, abs=0.01), pytest.approx(0.5, abs=0.01))
    assert editor.canvas.items_by_id[second.id].number == 2

    studio.window.undo_action.trigger()  # the second tag
    studio.window.undo_action.trigger()  # the turn
    assert studio.looks.document(look_id).photos[0].rotation == 0
    assert len(studio.looks.document(look_id).hotspots) == 1

    qtbot.waitUntil(
        lambda: (
            not canvas._pixmap_item.pixmap().isNull()
            and canvas.photo_rect.height() > canvas.photo_rect.width()
        )
    )
    canvas.set_zoom(0.8)
    shot = tmp_path / "look-editor.png"
    assert studio.window.grab().save(str(shot))

    # Restart: close the window, build a new one on the same home.
    studio.window.close()
    again = open_studio(qtbot, tasks, paths, store)
    assert again.window.workspace == "looks"
    editor2 = again.window.looks.editor
    qtbot.waitUntil(lambda: editor2.doc is not None)
    assert editor2.doc.look.id == look_id
    assert editor2.current_photo is not None and editor2.current_photo.id == photo_id
    assert editor2.doc.photos[0].crop == Crop(0.5, 0.0, 1.0, 1.0)
    assert editor2.canvas.zoom == pytest.approx(0.8) and not editor2.canvas.fitted
    assert len(editor2.doc.hotspots) == 1
    assert editor2.doc.hotspots[0].x == pytest.approx(0.6, abs=0.01)


def test_photo_drop_of_files_imports_them_and_names_refused_ones(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any, photo: Path, fixtures_dir: Path
) -> None:
    studio = open_studio(qtbot, tasks, paths, store)
    editor = open_new_look(qtbot, studio)
    editor.importer.show_errors = False
    broken = fixtures_dir / "images" / "pillow_tests" / "truncated_jpeg.jpg"
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo)), QUrl.fromLocalFile(str(broken))])
    with qtbot.waitSignal(editor.importer.refused, timeout=20000) as refused:
        assert drop(editor.strip.list.viewport(), mime, QPoint(20, 20))
    assert [name for name, _ in refused.args[0]] == [broken.name]
    assert refused.args[0][0][1]  # a reason a person can read
    assert len(editor.doc.photos) == 1
    assert editor.strip.list.count() == 1
    editor.undo_stack.undo()
    assert studio.looks.document(editor.doc.look.id).photos == ()


def test_click_to_tag_keys_paste_reorder_and_export(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any, photo: Path, tmp_path: Path
) -> None:
    studio = open_studio(qtbot, tasks, paths, store)
    editor = open_new_look(qtbot, studio)
    add_photo(qtbot, editor, photo)
    canvas = editor.canvas

    # Click the photo, type in the popup, pick the first match: the tag lands at the click.
    qtbot.mouseClick(
        canvas.viewport(), Qt.MouseButton.LeftButton, pos=photo_point(canvas, 0.25, 0.75)
    )
    popup = editor.quick_tag
    assert popup.isVisible()
    title = store.cards([int(store.search(SearchQuery(limit=1)).ids[0])])[0].title
    qtbot.keyClicks(popup.search, title.split()[0])
    qtbot.waitUntil(
        lambda: popup.results.count() > 0 and title.split()[0] in popup.results.item(0).text()
    )
    qtbot.keyClick(popup.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(editor.doc.hotspots) == 1)
    hotspot = editor.doc.hotspots[0]
    assert (hotspot.x, hotspot.y) == (pytest.approx(0.25, abs=0.01), pytest.approx(0.75, abs=0.01))

    # The tag's label, typed in the inspector, is saved and shown beside the marker.
    canvas.select_hotspot(hotspot.id)
    qtbot.waitUntil(editor.inspector.hotspot_box.isEnabled)
    qtbot.keyClicks(editor.inspector.label, "Linen shirt")
    qtbot.waitUntil(
        lambda: studio.looks.document(editor.doc.look.id).hotspots[0].label == "Linen shirt"
    )
    assert canvas.items_by_id[hotspot.id].label == "Linen shirt"

    # Arrow keys nudge the selected marker; Shift takes bigger steps; Del removes it.
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    qtbot.keyClick(canvas, Qt.Key.Key_Up, Qt.KeyboardModifier.ShiftModifier)
    moved = studio.looks.document(editor.doc.look.id).hotspots[0]
    assert moved.x == pytest.approx(0.255, abs=0.001)
    assert moved.y == pytest.approx(0.70, abs=0.001)
    qtbot.keyClick(canvas, Qt.Key.Key_Delete)
    assert studio.looks.document(editor.doc.look.id).hotspots == ()
    editor.undo_stack.undo()
    assert len(studio.looks.document(editor.doc.look.id).hotspots) == 1
    editor.undo_stack.undo()  # the nudges are one step
    restored = studio.looks.document(editor.doc.look.id).hotspots[0]
    assert (restored.x, restored.y) == (
        pytest.approx(0.25, abs=0.01),
        pytest.approx(0.75, abs=0.01),
    )

    # Paste an image (Ctrl+V on the canvas): a second photo, shown at once.
    image = QImage(1200, 1600, QImage.Format.Format_RGB32)
    image.fill(QColor("#2f81f7"))
    QApplication.clipboard().setImage(image)
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(editor.doc.photos) == 2, timeout=15000)
    pasted = editor.doc.photos[1]
    assert (pasted.width, pasted.height) == (1200, 1600)
    assert editor.current_photo is not None and editor.current_photo.id == pasted.id

    # Move it first in the carousel (one undo step).
    editor.strip.left_button.click()
    assert studio.looks.document(editor.doc.look.id).photos[0].id == pasted.id
    assert editor.strip.current_photo_id() == pasted.id
    editor.undo_stack.undo()
    assert studio.looks.document(editor.doc.look.id).photos[1].id == pasted.id

    # File > Export look as PNG, in the background.
    out = tmp_path / "look.png"
    editor.exporter.ask_to_open = False
    with qtbot.waitSignal(editor.exporter.finished, timeout=30000):
        editor.exporter.export(editor.doc.look.id, out, "png")
    assert out.stat().st_size > 10_000
    assert QImage(str(out)).width() > 0
    # ... and as HTML: one page holding the photos, links to the products and the disclosure.
    page = tmp_path / "look.html"
    with qtbot.waitSignal(editor.exporter.finished, timeout=30000):
        editor.exporter.export(editor.doc.look.id, page, "html")
    html = page.read_text(encoding="utf-8")
    assert html_escape(PLAIN_LINKS_NOTICE) in html  # the merchants' plain links, said so
    assert html.count('src="data:image/') >= len(editor.doc.photos)
    assert 'rel="noopener"' in html and "sponsored" not in html
