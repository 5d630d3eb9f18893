"""The archive's two File menu entries, and what the window refreshes after an import."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from studio.ui.archive.controller import ArchiveController
from studio.ui.tasks import TaskManager


def add_archive_actions(window: Any, menu: QMenu, tasks: TaskManager) -> ArchiveController:
    """Add "Export archive…" and "Import archive…" to ``menu``; the controller does the work.

    ``window`` is the main window: its catalog store gives the database, ``media_library`` the
    photos, and its looks, boards, shops and reviews pages are refreshed once an import is in.
    """

    def sources() -> tuple[Any, Any]:
        store = window.catalog.store
        return (store.db if store is not None else None), window.media_library

    def refresh() -> None:
        window.looks.library.refresh()
        session = getattr(window.looks.editor, "session", None)
        if session is not None:
            session.reload()  # the open look may have been replaced by a later edit
        boards = window.boards
        if boards is not None:
            boards.board_list.refresh()
            if boards.editor.board_id is not None:
                boards.editor.open_board(boards.editor.board_id)
        if window.curation is not None:
            window.curation.reload()  # shops, reviews and the profile came in too

    controller = ArchiveController(tasks, window, sources, refresh)
    export = QAction(window.tr("Export &archive…"), window)
    export.triggered.connect(controller.choose_export)
    restore = QAction(window.tr("Import a&rchive…"), window)
    restore.triggered.connect(controller.choose_import)
    menu.addAction(export)
    menu.addAction(restore)
    controller.actions = (export, restore)
    return controller
