"""The Looks workspace writes through the writer lane: never on the GUI thread, never waiting.

Driven as a curator drives it (keys, clicks, drops), against the real store:

- every ``LookStore`` call the library and the editor make - each kind of edit, undo and redo,
  the check panel's fixes - runs off the GUI thread;
- an edit made while another process holds the content file's write lock shows at once, the
  window keeps answering, and the edit is saved once the lock is released;
- a tag the conflict-of-interest rule refuses *when it is written* (a tie declared by another
  writer while the tag waited for the store) is not shown: its reason is, and the view and the
  undo stack are as they were;
- an edit shown at once that the store then turns down (its record purged by another process)
  is said in the message bar, the undo steps that no longer match the store are cleared, and
  the look is shown as saved.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import QItemSelectionModel, QPoint, QPointF, Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from test_looks_helpers import PHOTO, add_photo, drop, open_new_look, open_studio, saved

from studio.core.catalog import SearchQuery
from studio.core.look_checks import CheckKind
from studio.core.product import Availability
from studio.system.paths import Paths
from studio.ui.tasks import TaskManager
from studio.ui.widgets.mime import product_mime_data

pytestmark = pytest.mark.gui

WRITES = (
    "create_look",
    "update_look",
    "duplicate_look",
    "trash_look",
    "restore_look",
    "add_photo",
    "update_photo",
    "replace_media",
    "remove_photo",
    "restore_photo",
    "add_hotspot",
    "update_hotspot",
    "delete_hotspot",
    "restore_hotspot",
)
READS = ("document", "summaries", "all_tags", "tag_refusal")


@pytest.fixture
def photo(fixtures_dir: Path) -> Path:
    path = fixtures_dir / "images" / PHOTO
    if not path.is_file():
        pytest.fail(f"fixture photo {path} is absent (../shared is incomplete)", pytrace=False)
    return path


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, bool]]]:
    """Every LookStore write and read made, with whether it ran on the GUI thread."""
    from studio.store.looks import LookStore

    seen: list[tuple[str, bool]] = []
    for name in (*WRITES, *READS):
        original = getattr(LookStore, name)

        def wrapped(
            self: Any, *a: Any, _original: Any = original, _name: str = name, **k: Any
        ) -> Any:
            seen.append((_name, threading.current_thread() is threading.main_thread()))
            return _original(self, *a, **k)

        monkeypatch.setattr(LookStore, name, wrapped)
    yield seen


def photo_point(canvas: Any, fx: float, fy: float) -> QPoint:
    rect = canvas.photo_rect
    return canvas.mapFromScene(
        QPointF(rect.left() + fx * rect.width(), rect.top() + fy * rect.height())
    )


def issue_button(qtbot: QtBot, editor: Any, kind: CheckKind, photo_id: str = "") -> Any:
    editor.tabs.setCurrentWidget(editor.checks)
    qtbot.waitUntil(
        lambda: any(
            i.kind is kind and (not photo_id or i.photo_id == photo_id)
            for i in editor.checks.issues
        )
    )
    row = next(
        n
        for n, i in enumerate(editor.checks.issues)
        if i.kind is kind and (not photo_id or i.photo_id == photo_id)
    )
    return editor.checks.fix_buttons[row]


def test_no_look_store_call_runs_on_the_gui_thread(
    qtbot: QtBot,
    tasks: TaskManager,
    paths: Paths,
    store: Any,
    photo: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    calls: list[tuple[str, bool]],
) -> None:
    studio = open_studio(qtbot, tasks, paths, store)
    window = studio.window
    calls.clear()

    # A new look (Ctrl+N), a photo, its title and status typed and picked.
    editor = open_new_look(qtbot, studio)
    look_id = editor.doc.look.id
    add_photo(qtbot, editor, photo)
    title = editor.inspector.title
    title.selectAll()
    qtbot.keyClicks(title, "Lane look")
    qtbot.keyClick(title, Qt.Key.Key_Return)
    editor.inspector.status.setCurrentIndex(1)
    editor.inspector.status.activated.emit(1)
    assert editor.heading.text() == "Lane look"

    # A product out of stock dropped on the photo, dragged, nudged, removed and brought back.
    gone = store.search(SearchQuery(availability=frozenset({Availability.OUT_OF_STOCK}), limit=1))
    canvas = editor.canvas
    assert drop(
        canvas.viewport(),
        product_mime_data([int(gone.ids[0])], ["x"]),
        photo_point(canvas, 0.3, 0.4),
    )
    qtbot.waitUntil(lambda: len(editor.doc.hotspots) == 1)
    hotspot = editor.doc.hotspots[0]
    viewport = canvas.viewport()
    start, end = canvas.viewport_point_of(hotspot.id), photo_point(canvas, 0.6, 0.7)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for i in range(1, 6):
        qtbot.mouseMove(viewport, start + (end - start) * i / 5)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)
    assert editor.doc.hotspots[0].x == pytest.approx(0.6, abs=0.01)
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    qtbot.keyClick(canvas, Qt.Key.Key_Delete)
    assert editor.doc.hotspots == ()
    editor.undo_stack.undo()
    editor.undo_stack.redo()
    editor.undo_stack.undo()
    assert [h.id for h in editor.doc.hotspots] == [hotspot.id]

    # The check panel replaces the unavailable product (written, then shown).
    button = issue_button(qtbot, editor, CheckKind.UNAVAILABLE)
    with qtbot.waitSignal(editor.fixer.proposed, timeout=10_000) as proposed:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert proposed.args[0] is not None
    qtbot.mouseClick(editor.fixer.replace_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.doc.hotspots[0].product.product_id != int(gone.ids[0]))

    # Crop, turn; a small second photo, sharpened with a larger original; reorder; remove.
    editor.tabs.setCurrentIndex(0)
    editor.inspector.crop_spins["left"].setValue(10.0)
    editor.inspector.rotate_right.click()
    small = tmp_path / "small.png"
    with Image.open(photo) as img:
        img.resize((900, 600)).save(small)
    editor.import_photos([small])
    qtbot.waitUntil(lambda: len(editor.doc.photos) == 2, timeout=15_000)
    soft = editor.doc.photos[1]
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(photo), ""))
    )
    qtbot.mouseClick(
        issue_button(qtbot, editor, CheckKind.LOW_RESOLUTION, soft.id), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: editor.fixer.larger_button is not None)
    qtbot.mouseClick(editor.fixer.larger_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.doc.photos[1].width == 1800, timeout=15_000)
    editor.show_photo(soft.id)
    editor.strip.left_button.click()
    assert editor.doc.photos[0].id == soft.id
    qtbot.mouseClick(editor.strip.remove_button, Qt.MouseButton.LeftButton)
    assert [p.id for p in editor.doc.photos] != [soft.id] and len(editor.doc.photos) == 1
    editor.undo_stack.undo()
    assert len(editor.doc.photos) == 2

    # Back in the library: duplicate, to the trash, and out of it.
    library = window.looks.library
    saved(tasks)
    with qtbot.waitSignal(library.refreshed):
        editor.back_button.click()
    row = library.model.row_of(look_id)
    assert row is not None
    window.activateWindow()  # the fixer's dialog had it; shortcuts need it back
    qtbot.waitUntil(window.isActiveWindow)
    library.view.setFocus()
    library.view.selectionModel().setCurrentIndex(
        library.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    with qtbot.waitSignal(library.refreshed):
        qtbot.keyClick(library.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert library.model.rowCount() == 2
    qtbot.keyClick(library.view, Qt.Key.Key_Delete)
    with qtbot.waitSignal(library.refreshed):
        library.trash_button.click()
    library.view.selectionModel().setCurrentIndex(
        library.model.index(0), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    library.restore_button.click()
    saved(tasks)

    made = {name for name, _ in calls}
    assert made >= set(WRITES), f"not driven: {set(WRITES) - made}"
    on_gui = sorted({name for name, gui in calls if gui})
    assert on_gui == [], f"LookStore calls on the GUI thread: {on_gui}"
    # (The test's own read, on its thread, comes after the count.)
    assert [s.id for s in studio.looks.summaries()].count(look_id) == 1


def test_an_edit_while_another_process_holds_the_store_shows_at_once_and_is_saved(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any, photo: Path
) -> None:
    from studio.core.looks import ProductRef
    from studio.media.library import MediaLibrary
    from studio.store.looks import LookStore

    looks = LookStore(store.db)
    look = looks.create_look("Street")
    media = MediaLibrary(paths.media).import_file(photo, derivatives=True)
    shot = looks.add_photo(look.id, media.hash, media.width, media.height)
    spot = looks.add_hotspot(shot.id, ProductRef(None, "M", "x"), 0.5, 0.5)
    studio = open_studio(qtbot, tasks, paths, store)
    window = studio.window
    window.show_workspace("looks")
    window.looks.open_look(look.id)
    editor = window.looks.editor
    qtbot.waitUntil(
        lambda: editor.doc is not None and not editor.canvas._pixmap_item.pixmap().isNull(),
        timeout=15_000,
    )

    holder = sqlite3.connect(paths.database, timeout=0)  # another process's writer
    holder.execute("BEGIN IMMEDIATE")
    try:
        # A nudge and a new title: shown at once, though nothing can be written yet.
        marker = editor.canvas.items_by_id[spot.id]
        x_before = marker.pos().x()
        editor.canvas.select_hotspot(spot.id)
        editor.canvas.setFocus()
        qtbot.keyClick(editor.canvas, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
        assert editor.doc.hotspots[0].x == pytest.approx(0.55, abs=0.001)
        assert marker.pos().x() > x_before
        title = editor.inspector.title
        title.selectAll()
        qtbot.keyClicks(title, "Street, held")
        qtbot.keyClick(title, Qt.Key.Key_Return)
        assert editor.heading.text() == "Street, held"
        # Undo and redo answer too, and the window takes other clicks meanwhile.
        editor.undo_stack.undo()
        assert editor.heading.text() == "Street"
        editor.undo_stack.redo()
        assert editor.heading.text() == "Street, held"
        bar = editor.tabs.tabBar()
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
        assert editor.tabs.currentWidget() is editor.checks
        # Readers never wait: the store, read beside the lock, has none of it yet.
        assert looks.document(look.id).look.title == "Street"  # type: ignore[union-attr]
        assert editor.writes.pending >= 2
    finally:
        holder.rollback()
        holder.close()

    saved(tasks)
    doc = looks.document(look.id)
    assert doc is not None and doc.look.title == "Street, held"
    assert doc.hotspots[0].x == pytest.approx(0.55, abs=0.001)
    qtbot.waitUntil(lambda: editor.writes.pending == 0)
    assert editor.notice.text == "" and editor.undo_stack.count() == 2


def test_a_tag_refused_when_written_shows_why_and_changes_nothing(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any, photo: Path
) -> None:
    from studio.media.library import MediaLibrary
    from studio.store.looks import LookStore

    with store.db.connect() as conn:
        rival_id, category = conn.execute(
            "SELECT p.id, c.path FROM products p JOIN brands b ON b.id = p.brand_id "
            "JOIN categories c ON c.id = p.category_id ORDER BY p.id LIMIT 1"
        ).fetchone()
    looks = LookStore(store.db)
    look = looks.create_look("Street")
    media = MediaLibrary(paths.media).import_file(photo, derivatives=True)
    looks.add_photo(look.id, media.hash, media.width, media.height)
    studio = open_studio(qtbot, tasks, paths, store)
    window = studio.window
    window.show_workspace("looks")
    window.looks.open_look(look.id)
    editor = window.looks.editor
    qtbot.waitUntil(
        lambda: editor.doc is not None and not editor.canvas._pixmap_item.pixmap().isNull(),
        timeout=15_000,
    )
    steps, shown = editor.undo_stack.count(), editor.doc

    # The product is dropped while another writer holds the store: no tie declared yet, so
    # nothing could refuse it before the write...
    holder = sqlite3.connect(paths.database, timeout=0)
    holder.execute("BEGIN IMMEDIATE")
    try:
        assert drop(
            editor.canvas.viewport(),
            product_mime_data([rival_id], ["rival"]),
            photo_point(editor.canvas, 0.4, 0.5),
        )
        qtbot.waitUntil(lambda: editor.writes.pending == 1)
        # ... and that writer declares, in the same transaction, that the curator makes a
        # brand of the product's category: every other brand there is a competitor's.
        holder.execute(
            "INSERT INTO affiliations (id, brand, category, relationship, created_at, "
            "updated_at) VALUES ('tie-1', 'Maison Vitrine', ?, 'makes', "
            "'2030-01-01T00:00:00+00:00', '2030-01-01T00:00:00+00:00')",
            (category.split(">")[0].strip(),),
        )
        holder.commit()
    finally:
        holder.close()

    qtbot.waitUntil(lambda: editor.notice.text != "", timeout=15_000)
    assert "was not tagged" in editor.notice.text and "competitor" in editor.notice.text
    assert editor.doc == shown and editor.canvas.items_by_id == {}
    assert editor.undo_stack.count() == steps
    assert looks.document(look.id).hotspots == ()  # type: ignore[union-attr]


def test_an_edit_the_store_turns_down_is_said_and_the_look_shown_as_saved(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any, photo: Path
) -> None:
    from studio.core.looks import ProductRef
    from studio.media.library import MediaLibrary
    from studio.store.looks import LookStore

    looks = LookStore(store.db)
    look = looks.create_look("Street")
    media = MediaLibrary(paths.media).import_file(photo, derivatives=True)
    shot = looks.add_photo(look.id, media.hash, media.width, media.height)
    gone = looks.add_hotspot(shot.id, ProductRef(None, "M", "x"), 0.3, 0.5)
    kept = looks.add_hotspot(shot.id, ProductRef(None, "M", "y"), 0.7, 0.5)
    studio = open_studio(qtbot, tasks, paths, store)
    window = studio.window
    window.show_workspace("looks")
    window.looks.open_look(look.id)
    editor = window.looks.editor
    qtbot.waitUntil(lambda: editor.doc is not None and len(editor.canvas.items_by_id) == 2)
    editor.canvas.select_hotspot(kept.id)
    editor.canvas.setFocus()
    qtbot.keyClick(editor.canvas, Qt.Key.Key_Left)
    saved(tasks)
    assert editor.undo_stack.count() == 1

    # Another process purges a tag outright (no tombstone, no word to this window); the
    # curator, who still sees it, nudges it: shown at once, then turned down by the store.
    with sqlite3.connect(paths.database) as other:
        other.execute("DELETE FROM hotspots WHERE id = ?", (gone.id,))
    editor.canvas.select_hotspot(gone.id)
    editor.canvas.setFocus()
    qtbot.keyClick(editor.canvas, Qt.Key.Key_Right)
    assert editor.doc.hotspots[0].x == pytest.approx(0.305, abs=0.001)
    qtbot.waitUntil(lambda: editor.notice.text != "", timeout=15_000)
    assert f"there is no hotspot with id {gone.id!r}" in editor.notice.text
    # Its undo steps no longer match the store: cleared. The look is read again as saved.
    assert editor.undo_stack.count() == 0
    qtbot.waitUntil(lambda: [h.id for h in editor.doc.hotspots] == [kept.id])
    assert list(editor.canvas.items_by_id) == [kept.id]
    assert editor.doc.hotspots[0].x == pytest.approx(0.695, abs=0.001)
