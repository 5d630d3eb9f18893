"""The look library: workspace switch, search, status and tag filters, duplicate, trash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from pytestqt.qtbot import QtBot
from test_looks_helpers import PHOTO, open_studio

from studio.core.looks import LookStatus
from studio.system.paths import Paths
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui


def titles(library: Any) -> list[str]:
    return [library.model.summary(r).title for r in range(library.model.rowCount())]


def select(library: Any, title: str) -> None:
    row = titles(library).index(title)
    library.view.setFocus()
    library.view.selectionModel().setCurrentIndex(
        library.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )


def test_library_search_filters_duplicate_trash_and_restore(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any, fixtures_dir: Path, tmp_path: Path
) -> None:
    from studio.media.library import MediaLibrary
    from studio.store.looks import LookStore

    looks = LookStore(store.db)
    beach = looks.create_look("Beach wedding")
    looks.update_look(
        beach.id, occasions=("wedding",), seasons=("summer",), status=LookStatus.READY
    )
    office = looks.create_look("Office monday")
    looks.update_look(office.id, occasions=("office",), caption="Sharp and easy")
    looks.create_look("Winter walk")
    media = MediaLibrary(paths.media).import_file(fixtures_dir / "images" / PHOTO, derivatives=True)
    looks.add_photo(beach.id, media.hash, media.width, media.height)

    studio = open_studio(qtbot, tasks, paths, store)
    window, library = studio.window, studio.window.looks.library
    qtbot.keyClick(
        window,
        Qt.Key.Key_2,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.workspace == "looks"
    qtbot.waitUntil(lambda: library.model.rowCount() == 3)
    beach_row = titles(library).index("Beach wedding")
    assert library.model.summary(beach_row).photo_count == 1
    qtbot.waitUntil(lambda: library.model.covers.image(media.hash) is not None)
    assert window.grab().save(str(tmp_path / "look-library.png"))
    # Ctrl+1/Ctrl+2 still switch the catalog grid/list; Ctrl+Shift+1 goes back to it.
    qtbot.keyClick(
        window,
        Qt.Key.Key_1,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.workspace == "catalog"
    window.show_workspace("looks")

    with qtbot.waitSignal(library.refreshed):
        qtbot.keyClicks(library.search, "office")
    assert titles(library) == ["Office monday"]
    library.search.clear()
    qtbot.waitUntil(lambda: library.model.rowCount() == 3)

    library.status.setCurrentIndex(library.status.findData(LookStatus.READY.value))
    with qtbot.waitSignal(library.refreshed):
        library.status.activated.emit(library.status.currentIndex())
    assert titles(library) == ["Beach wedding"]
    library.status.setCurrentIndex(0)
    tag_index = library.tag.findData("summer")
    assert tag_index > 0  # every tag in use is offered
    library.tag.setCurrentIndex(tag_index)
    with qtbot.waitSignal(library.refreshed):
        library.tag.activated.emit(tag_index)
    assert titles(library) == ["Beach wedding"]
    library.tag.setCurrentIndex(0)
    with qtbot.waitSignal(library.refreshed):
        library.refresh()

    select(library, "Office monday")
    with qtbot.waitSignal(library.refreshed):
        qtbot.keyClick(library.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert len(titles(library)) == 4 and titles(library).count("Office monday") == 1
    copy = next(
        t for t in titles(library) if t not in ("Beach wedding", "Office monday", "Winter walk")
    )
    assert "Office monday" in copy
    # The copy is the one selected now: Delete trashes the copy, never the original.
    assert [library.model.summary(i.row()).title for i in library.view.selectedIndexes()] == [copy]
    qtbot.keyClick(library.view, Qt.Key.Key_Delete)
    assert titles(library).count("Office monday") == 1 and copy not in titles(library)
    qtbot.waitUntil(lambda: [s.title for s in studio.looks.summaries(trashed=True)] == [copy])
    with qtbot.waitSignal(library.refreshed):
        library.trash_button.click()
    select(library, copy)
    library.restore_button.click()
    with qtbot.waitSignal(library.refreshed):
        library.trash_button.click()
    assert copy in titles(library)

    # To the trash and back: the card leaves the list at once (the write follows).
    select(library, "Winter walk")
    qtbot.keyClick(library.view, Qt.Key.Key_Delete)
    assert "Winter walk" not in titles(library)
    with qtbot.waitSignal(library.refreshed):
        library.trash_button.click()
    assert titles(library) == ["Winter walk"]
    select(library, "Winter walk")
    library.restore_button.click()
    assert titles(library) == []
    with qtbot.waitSignal(library.refreshed):
        library.trash_button.click()
    assert "Winter walk" in titles(library)

    select(library, "Beach wedding")
    qtbot.keyClick(library.view, Qt.Key.Key_Return)
    editor = window.looks.editor
    qtbot.waitUntil(lambda: editor.doc is not None and editor.doc.look.id == beach.id)
    assert window.looks.editing
    qtbot.waitUntil(lambda: not editor.canvas._pixmap_item.pixmap().isNull())
