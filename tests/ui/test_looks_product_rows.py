"""The editor's compact catalog list: rows show their thumbnail as soon as it has loaded."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject
from pytestqt.qtbot import QtBot
from test_looks_helpers import open_new_look, open_studio

from studio.system.paths import Paths
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui


class _Paints(QObject):
    """Counts the paint events a widget receives."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def test_a_loaded_thumbnail_repaints_the_rows(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any
) -> None:
    studio = open_studio(qtbot, tasks, paths, store)
    editor = open_new_look(qtbot, studio)
    panel = editor.products.picker
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0)
    viewport = panel.results.viewport()
    paints = _Paints()
    viewport.installEventFilter(paints)
    # Painting the rows asks for the thumbnails; each one that loads must repaint the rows
    # (the view's viewport: updating the view itself repaints only its frame).
    with qtbot.waitSignal(panel.images.loaded, timeout=10000):
        viewport.repaint()
    before = paints.count
    qtbot.waitUntil(lambda: paints.count > before, timeout=3000)
    viewport.removeEventFilter(paints)
