"""The Looks workspace: the library, and the editor it opens a look in.

The main window places one ``LooksPage``, hands it the stores once they are open
(``set_sources``) and lists its undo stack and export actions in its menus.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QStackedWidget, QWidget

from studio.ui.looks.editor import LookEditor
from studio.ui.looks.images import CoverLoader
from studio.ui.looks.library import LookLibrary
from studio.ui.tasks import TaskManager


class LooksPage(QStackedWidget):
    def __init__(
        self,
        tasks: TaskManager,
        image_cache: Path | None,
        catalog: Callable[[], Any],
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.covers = CoverLoader(tasks, self)
        self.library = LookLibrary(tasks, self.covers, self)
        self.editor = LookEditor(tasks, image_cache, catalog, settings, self, covers=self.covers)
        self.addWidget(self.library)
        self.addWidget(self.editor)
        self.library.open_requested.connect(self.open_look)
        self.editor.back_requested.connect(self.show_library)

    @property
    def undo_stack(self) -> Any:
        return self.editor.undo_stack

    def set_sources(self, looks: Any, media: Any) -> None:
        self.covers.media = media
        self.library.set_store(looks)
        self.editor.set_sources(looks, media)

    def open_look(self, look_id: str) -> None:
        self.setCurrentWidget(self.editor)
        self.editor.open_look(look_id)
        if self.settings is not None:
            self.settings.setValue("looks/open", True)

    def show_library(self) -> None:
        self.editor.close_look()
        self.setCurrentWidget(self.library)
        if self.settings is not None:
            self.settings.setValue("looks/open", False)
        self.library.refresh()
        self.library.view.setFocus()

    def restore(self) -> None:
        """Reopen the editor on the last look if it was open when the window closed."""
        s = self.settings
        if s is None or str(s.value("looks/open", "false")).lower() != "true":
            return
        last = str(s.value("looks/last_look", ""))
        if last:
            self.open_look(last)

    @property
    def editing(self) -> bool:
        return self.currentWidget() is self.editor
