"""The Looks workspace: the library, and the editor it opens a look in.

The main window places one ``LooksPage`` (a ``Workspace``), hands it the stores once they are
open (``attach``) and lends its menus to the editor: Undo/Redo follow the editor's stack, and
File > Export writes the open look. The editor reopens on the last look if it was open when
the window closed and Looks is the workspace shown at start. Both halves keep themselves up to
date from ``TaskManager.changed`` (the library reads its cards again when shown after looks
changed, never on every return from the editor).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QStackedWidget, QWidget

from studio.ui.looks.editor import LookEditor
from studio.ui.looks.images import CoverLoader
from studio.ui.looks.library import LookLibrary
from studio.ui.tasks import TaskManager

if TYPE_CHECKING:
    from studio.media.library import MediaLibrary
    from studio.services.workspace import Stores
    from studio.store.catalog import CatalogStore
    from studio.store.looks import LookStore

_SPLITTER = "looks/splitter"


class LooksPage(QStackedWidget):
    """The looks library, and the editor of the look opened from it."""

    name = "looks"

    def __init__(
        self,
        tasks: TaskManager,
        image_cache: Path | None,
        catalog: Callable[[], CatalogStore | None],
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.title = self.tr("Looks")
        self.settings = settings
        self.covers = CoverLoader(tasks, self)
        self.library = LookLibrary(tasks, self.covers, self)
        self.editor = LookEditor(tasks, image_cache, catalog, settings, self, covers=self.covers)
        self.addWidget(self.library)
        self.addWidget(self.editor)
        self.library.open_requested.connect(self.open_look)
        self.editor.back_requested.connect(self.show_library)

    def set_sources(self, looks: LookStore, media: MediaLibrary | None) -> None:
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
        self.library.view.setFocus()

    def restore(self) -> None:
        """Reopen the editor on the last look if it was open when the window closed."""
        s = self.settings
        if s is None or str(s.value("looks/open", "false")).lower() != "true":
            return
        last = str(s.value("looks/last_look", ""))
        if last:
            self.open_look(last)

    def add_products(self, product_ids: Sequence[int]) -> str | None:
        """Catalog > Add to the open look: tag the products on the photo shown, side by side
        near its middle (as a drop there would); a reason when no look or photo is open."""
        if not self.editing or self.editor.doc is None:
            return self.tr("Open a look first: the products are tagged on its photo.")
        if self.editor.current_photo is None:
            return self.tr("Add a photo to the look first: the products are tagged on it.")
        self.editor.tagger.tag_products([int(i) for i in product_ids], 0.45, 0.5)
        return None

    @property
    def editing(self) -> bool:
        return self.currentWidget() is self.editor

    # -- Workspace --------------------------------------------------------------------------

    @property
    def undo_stack(self) -> QUndoStack:
        return self.editor.undo_stack

    @property
    def owns_undo_keys(self) -> bool:
        return False

    @property
    def new_action(self) -> QAction | None:
        return None  # File > New is the window's own "New look"

    def can_export(self) -> bool:
        return self.editing and self.editor.doc is not None

    def export(self, fmt: str) -> None:
        if self.editing:
            self.editor.export(fmt)

    def attach(self, stores: Stores) -> None:
        if stores.looks is None:
            return
        self.set_sources(stores.looks, stores.media)
        if not self.isHidden():  # shown at start: back where the curator left it
            self.restore()

    def activate(self) -> None:
        pass

    def flush(self) -> None:
        """Typing still waiting for its pause is reported (and so queued for writing)."""
        self.editor.inspector.flush()

    def save_state(self, settings: QSettings) -> None:
        settings.setValue(_SPLITTER, self.editor.splitter.saveState())

    def restore_state(self, settings: QSettings) -> None:
        state = settings.value(_SPLITTER)
        if state is not None:
            self.editor.splitter.restoreState(state)
