"""Editor paths a curator takes besides the main ones: reordering the carousel by dragging a
thumbnail, tagging from the editor's own catalog list, pasting file URLs, the alt-text and
crowded-photo fixes of the check panel, and the Crop toggle following whether there is a photo.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from test_looks_helpers import PHOTO, add_photo, drop, open_new_look, open_studio

from studio.core.catalog import SearchQuery
from studio.core.look_checks import CheckKind
from studio.core.looks import MAX_HOTSPOTS_PER_PHOTO, ProductRef
from studio.core.product import Availability
from studio.system.paths import Paths
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui

PORTRAIT = Path("exif_orientation") / "Portrait_0.jpg"


@pytest.fixture
def photo(fixtures_dir: Path) -> Path:
    path = fixtures_dir / "images" / PHOTO
    if not path.is_file():
        pytest.fail(f"fixture photo {path} is absent" + " (../shared is incomplete)", pytrace=False)
    return path


@pytest.fixture
def portrait(fixtures_dir: Path) -> Path:
    path = fixtures_dir / "images" / PORTRAIT
    if not path.is_file():
        pytest.fail(f"fixture photo {path} is absent" + " (../shared is incomplete)", pytrace=False)
    return path


def photo_point(canvas: Any, fx: float, fy: float) -> QPoint:
    rect = canvas.photo_rect
    return canvas.mapFromScene(
        QPointF(rect.left() + fx * rect.width(), rect.top() + fy * rect.height())
    )


def stored_order(studio: Any, look_id: str) -> list[str]:
    return [p.id for p in studio.looks.document(look_id).photos]


def thumb_center(strip: Any, row: int) -> QPoint:
    return strip.list.visualItemRect(strip.list.item(row)).center()


def test_dragging_a_thumbnail_reorders_the_carousel_in_one_undo_step(
    qtbot: QtBot,
    tasks: TaskManager,
    paths: Paths,
    store: Any,
    photo: Path,
    portrait: Path,
    tmp_path: Path,
) -> None:
    studio = open_studio(qtbot, tasks, paths, store)
    editor = open_new_look(qtbot, studio)
    third = tmp_path / "blue.png"
    Image.new("RGB", (1200, 1600), "#2f81f7").save(third)
    editor.import_photos([photo, portrait, third])
    qtbot.waitUntil(lambda: len(editor.doc.photos) == 3, timeout=20000)
    look_id = editor.doc.look.id
    first, second, last = stored_order(studio, look_id)
    strip = editor.strip
    assert strip.list.count() == 3

    # A real press and drag of a thumbnail starts the view's own drag (which the offscreen
    # platform ends at once, as a drop outside any window): nothing is removed or moved.
    viewport = strip.list.viewport()
    start = thumb_center(strip, 1)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for i in range(1, 6):
        qtbot.mouseMove(viewport, start + QPoint(12 * i, 0))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=start + QPoint(60, 0))
    assert strip.list.count() == 3 and stored_order(studio, look_id) == [first, second, last]

    # Pick up the first thumbnail (a real click selects it) and drop it past the last one,
    # with the MIME data the view puts on its drag (the model's, of the selected rows).
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=thumb_center(strip, 0))
    assert strip.current_photo_id() == first
    mime = strip.list.model().mimeData(strip.list.selectedIndexes())
    end = strip.list.visualItemRect(strip.list.item(2)).right() + 6
    steps = editor.undo_stack.count()
    assert drop(viewport, mime, QPoint(end, thumb_center(strip, 2).y()))
    qtbot.waitUntil(lambda: stored_order(studio, look_id) == [second, last, first])
    assert editor.undo_stack.count() == steps + 1
    positions = [p.position for p in studio.looks.document(look_id).photos]
    assert positions == sorted(positions) and len(set(positions)) == 3
    qtbot.waitUntil(
        lambda: (
            [strip.list.item(r).data(Qt.ItemDataRole.UserRole + 1) for r in range(3)]
            == [second, last, first]
        )
    )
    assert editor.session is not None
    assert [p.id for p in editor.doc.photos] == [second, last, first]

    # Drop the (now last) first photo between the other two: the middle of the carousel.
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=thumb_center(strip, 2))
    assert strip.current_photo_id() == first
    mime = strip.list.model().mimeData(strip.list.selectedIndexes())
    between = (thumb_center(strip, 0) + thumb_center(strip, 1)) / 2
    assert drop(viewport, mime, between)
    qtbot.waitUntil(lambda: stored_order(studio, look_id) == [second, first, last])
    assert editor.undo_stack.count() == steps + 2

    # Each drag is one step back.
    editor.undo_stack.undo()
    assert stored_order(studio, look_id) == [second, last, first]
    editor.undo_stack.undo()
    assert stored_order(studio, look_id) == [first, second, last]
    assert [strip.list.item(r).data(Qt.ItemDataRole.UserRole + 1) for r in range(3)] == [
        first,
        second,
        last,
    ]
    editor.undo_stack.redo()
    assert stored_order(studio, look_id) == [second, last, first]

    # A drop back onto its own place writes nothing; a thumbnail of ANOTHER strip is refused.
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=thumb_center(strip, 0))
    mime = strip.list.model().mimeData(strip.list.selectedIndexes())
    count = editor.undo_stack.count()
    assert drop(viewport, mime, QPoint(thumb_center(strip, 0).x() - 10, thumb_center(strip, 0).y()))
    qtbot.wait(50)
    assert editor.undo_stack.count() == count
    assert stored_order(studio, look_id) == [second, last, first]
    foreign = QMimeData()
    foreign.setData("application/x-vitrine-look-photo-ids", b'["not-a-photo-of-this-look"]')
    assert not drop(viewport, foreign, thumb_center(strip, 1))


def test_product_dragged_from_the_editor_catalog_list_tags_the_drop_point(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any, photo: Path
) -> None:
    studio = open_studio(qtbot, tasks, paths, store)
    editor = open_new_look(qtbot, studio)
    add_photo(qtbot, editor, photo)
    results, model = editor.products.results, editor.products.model
    qtbot.waitUntil(lambda: editor.products.searched and model.rowCount() > 5)
    qtbot.waitUntil(lambda: model.card(4) is not None)

    # Select two rows with the mouse (click, Ctrl+click), drag them as the view does.
    viewport = results.viewport()
    qtbot.mouseClick(
        viewport, Qt.MouseButton.LeftButton, pos=results.visualRect(model.index(1, 0)).center()
    )
    qtbot.mouseClick(
        viewport,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ControlModifier,
        pos=results.visualRect(model.index(4, 0)).center(),
    )
    chosen = [model.product_id(1), model.product_id(4)]
    assert sorted(i.row() for i in results.selectedIndexes()) == [1, 4]
    mime = model.mimeData(results.selectedIndexes())
    steps = editor.undo_stack.count()
    assert drop(editor.canvas.viewport(), mime, photo_point(editor.canvas, 0.3, 0.6))
    qtbot.waitUntil(lambda: len(editor.doc.hotspots) == 2)
    stored = studio.looks.document(editor.doc.look.id).hotspots
    assert [h.product.product_id for h in stored] == chosen
    assert stored[0].x == pytest.approx(0.3, abs=0.01)
    assert stored[0].y == pytest.approx(0.6, abs=0.01)
    assert stored[1].x > stored[0].x and stored[1].y == pytest.approx(0.6, abs=0.01)
    assert editor.undo_stack.count() == steps + 1  # two products dropped: one step
    assert all(editor.canvas.items_by_id[h.id].isVisible() for h in stored)

    # Off the photo (the canvas margin) nothing is tagged.
    rect = editor.canvas.photo_rect
    outside = editor.canvas.mapFromScene(QPointF(rect.left() - 20, rect.top() - 20))
    assert not drop(editor.canvas.viewport(), model.mimeData(results.selectedIndexes()), outside)
    editor.undo_stack.undo()
    assert studio.looks.document(editor.doc.look.id).hotspots == ()


def test_pasting_file_urls_imports_photos_and_names_a_refused_file(
    qtbot: QtBot,
    tasks: TaskManager,
    paths: Paths,
    store: Any,
    photo: Path,
    portrait: Path,
    tmp_path: Path,
) -> None:
    studio = open_studio(qtbot, tasks, paths, store)
    editor = open_new_look(qtbot, studio)
    canvas = editor.canvas

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo)), QUrl.fromLocalFile(str(portrait))])
    QApplication.clipboard().setMimeData(mime)
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(editor.doc.photos) == 2, timeout=20000)
    stored = studio.looks.document(editor.doc.look.id).photos
    assert [(p.width, p.height) for p in stored] == [(1800, 1200), (1200, 1800)]
    assert editor.strip.list.count() == 2

    notes = tmp_path / "notes.txt"
    notes.write_text("not a picture\n", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(notes))])
    QApplication.clipboard().setMimeData(mime)
    canvas.setFocus()
    with qtbot.waitSignal(editor.importer.refused, timeout=15000) as refused:
        qtbot.keyClick(canvas, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    [(name, reason)] = refused.args[0]
    assert name == "notes.txt" and "not an image" in reason, reason
    # The curator is told which file and why, and nothing was added.
    boxes = [b for b in editor.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1
    assert f"notes.txt: {reason}" in boxes[0].informativeText()
    boxes[0].close()
    assert len(studio.looks.document(editor.doc.look.id).photos) == 2


def test_alt_text_and_crowded_photo_fixes(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any, photo: Path, portrait: Path
) -> None:
    from studio.media.library import MediaLibrary
    from studio.store.looks import LookStore

    looks = LookStore(store.db)
    look = looks.create_look("Fixes")
    looks.update_look(look.id, caption="A caption")
    library = MediaLibrary(paths.media)
    a, b = (library.import_file(p, derivatives=True) for p in (photo, portrait))
    crowded = looks.add_photo(look.id, a.hash, a.width, a.height)
    looks.update_photo(crowded.id, alt_text="A street in summer")
    bare = looks.add_photo(look.id, b.hash, b.width, b.height)
    found = store.search(
        SearchQuery(
            availability=frozenset({Availability.IN_STOCK}), limit=MAX_HOTSPOTS_PER_PHOTO + 1
        )
    )
    for i, pid in enumerate(list(found.ids)[: MAX_HOTSPOTS_PER_PHOTO + 1]):
        detail = store.detail(int(pid))
        looks.add_hotspot(
            crowded.id,
            ProductRef(int(pid), detail.card.merchant, detail.offer_id),
            0.04 * (i + 1),
            0.5,
        )
    assert len(looks.document(look.id).hotspots) == MAX_HOTSPOTS_PER_PHOTO + 1

    studio = open_studio(qtbot, tasks, paths, store)
    window = studio.window
    window.show_workspace("looks")
    window.looks.open_look(look.id)
    editor = window.looks.editor
    qtbot.waitUntil(lambda: editor.doc is not None and editor.cards_ready)
    issues = editor.checks.issues
    assert {(i.kind, i.photo_id) for i in issues} >= {
        (CheckKind.NO_ALT_TEXT, bare.id),
        (CheckKind.TOO_MANY_HOTSPOTS, crowded.id),
    }
    assert editor.current_photo is not None and editor.current_photo.id == crowded.id

    # "Describe it": the bare photo is shown and its alt-text field has the focus.
    window.activateWindow()
    editor.tabs.setCurrentWidget(editor.checks)
    kinds = [i.kind for i in editor.checks.issues]
    qtbot.mouseClick(
        editor.checks.fix_buttons[kinds.index(CheckKind.NO_ALT_TEXT)], Qt.MouseButton.LeftButton
    )
    assert editor.tabs.currentIndex() == 0
    assert editor.current_photo is not None and editor.current_photo.id == bare.id
    assert editor.strip.current_photo_id() == bare.id
    qtbot.waitUntil(editor.inspector.alt_text.hasFocus)
    assert editor.inspector.alt_text.text() == ""
    qtbot.keyClicks(editor.inspector.alt_text, "Linen dress on a wicker chair")
    qtbot.keyClick(editor.inspector.alt_text, Qt.Key.Key_Tab)  # leave the field
    assert not editor.inspector.alt_text.hasFocus()
    photos = {p.id: p for p in looks.document(look.id).photos}
    assert photos[bare.id].alt_text == "Linen dress on a wicker chair"
    assert photos[crowded.id].alt_text == "A street in summer"
    qtbot.waitUntil(lambda: CheckKind.NO_ALT_TEXT not in [i.kind for i in editor.checks.issues])
    editor.undo_stack.undo()  # the typed text is one step
    assert {p.id: p for p in looks.document(look.id).photos}[bare.id].alt_text == ""

    # "Show photo": the crowded photo is selected again, with its markers on the canvas.
    editor.tabs.setCurrentWidget(editor.checks)
    kinds = [i.kind for i in editor.checks.issues]
    qtbot.mouseClick(
        editor.checks.fix_buttons[kinds.index(CheckKind.TOO_MANY_HOTSPOTS)],
        Qt.MouseButton.LeftButton,
    )
    assert editor.current_photo is not None and editor.current_photo.id == crowded.id
    assert editor.strip.current_photo_id() == crowded.id
    assert editor.strip.list.currentRow() == 0
    assert editor.canvas.photo is not None and editor.canvas.photo.id == crowded.id
    markers = editor.canvas.items_by_id.values()
    assert len(markers) == MAX_HOTSPOTS_PER_PHOTO + 1 and all(m.isVisible() for m in markers)


def test_crop_toggle_needs_a_photo(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any, photo: Path
) -> None:
    studio = open_studio(qtbot, tasks, paths, store)
    editor = open_new_look(qtbot, studio)
    assert editor.doc.photos == ()
    assert not editor.crop_button.isEnabled()
    editor.canvas.setFocus()
    qtbot.keyClick(editor.canvas, Qt.Key.Key_C)  # the key does nothing either
    assert not editor.canvas.crop.active and not editor.crop_button.isChecked()

    add_photo(qtbot, editor, photo)
    assert editor.crop_button.isEnabled()
    qtbot.mouseClick(editor.crop_button, Qt.MouseButton.LeftButton)
    assert editor.canvas.crop.active and editor.crop_bar.isVisible()
    qtbot.mouseClick(editor.crop_bar.cancel, Qt.MouseButton.LeftButton)
    assert not editor.canvas.crop.active

    # Removing the only photo disables it again; undoing the removal enables it.
    qtbot.mouseClick(editor.strip.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.doc.photos == ())
    assert not editor.crop_button.isEnabled()
    editor.undo_stack.undo()
    assert len(editor.doc.photos) == 1 and editor.crop_button.isEnabled()
