"""Helpers for the look tests (no tests here): a window with every store open, real drops."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from studio.system.paths import Paths
from studio.ui.main_window import MainWindow
from studio.ui.tasks import TaskManager

PHOTO = Path("exif_orientation") / "Landscape_0.jpg"  # 1800 x 1200, upright


@dataclass
class Studio:
    window: MainWindow
    looks: Any
    media: Any
    catalog: Any
    tasks: TaskManager

    def document(self, look_id: str) -> Any:
        """The look as stored once every edit made so far is written (they are written
        behind the view, on the writer lane)."""
        saved(self.tasks)
        return self.looks.document(look_id)


def saved(tasks: TaskManager) -> None:
    """Wait until every write queued so far has committed (or failed)."""
    assert tasks.wait_written(), "the writer lane did not finish its writes"


def open_studio(
    qtbot: QtBot,
    tasks: TaskManager,
    paths: Paths,
    catalog: Any,
    size: tuple[int, int] = (1400, 860),
) -> Studio:
    from studio.media.library import MediaLibrary
    from studio.store.looks import LookStore

    looks = LookStore(catalog.db)
    media = MediaLibrary(paths.media)
    window = MainWindow(tasks, paths)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()  # window shortcuts (Ctrl+N, Ctrl+Shift+2...) need it active
    qtbot.waitUntil(window.isActiveWindow)
    window.set_store(catalog, looks=looks, media=media)
    qtbot.waitUntil(lambda: window.catalog.last_result is not None)
    return Studio(window, looks, media, catalog, tasks)


def open_new_look(qtbot: QtBot, studio: Studio) -> Any:
    """Ctrl+N in the window: a new look opens in the editor."""
    window = studio.window
    window.new_look_action.trigger()
    editor = window.looks.editor
    qtbot.waitUntil(lambda: editor.doc is not None and window.looks.editing)
    return editor


def add_photo(qtbot: QtBot, editor: Any, photo: Path) -> None:
    editor.import_photos([photo])
    qtbot.waitUntil(lambda: editor.doc is not None and len(editor.doc.photos) >= 1, timeout=15000)
    qtbot.waitUntil(lambda: not editor.canvas._pixmap_item.pixmap().isNull(), timeout=15000)


def drop(widget: QWidget, mime: QMimeData, at: QPoint) -> bool:
    """Deliver a drag's enter, move and drop on ``widget`` at ``at``; True if it was taken."""
    args = (
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    enter = QDragEnterEvent(at, *args)
    QApplication.sendEvent(widget, enter)
    move = QDragMoveEvent(at, *args)
    QApplication.sendEvent(widget, move)
    if not move.isAccepted():
        return False
    event = QDropEvent(QPointF(at), *args)
    QApplication.sendEvent(widget, event)
    return event.isAccepted()
