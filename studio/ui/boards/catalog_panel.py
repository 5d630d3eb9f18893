"""The board editor's catalog: a product search docked beside the canvas, to drag onto it.

Collage editors keep the catalog at hand beside the canvas; so does this one, as the first tab
of the side panel (``BoardCatalog``). It is the shared ``CatalogPicker`` (the look, shop and
review editors' own): typing searches in a worker, the list follows the catalog as imports
change it, and its rows carry the product drag format (``studio.ui.widgets.mime``), which the
canvas accepts like a drag from the Catalog workspace's grid. Besides dragging, a product is
added by a double-click, or the selected ones by "Add to board" (at the middle of the canvas
as it is shown), and Ctrl+C copies them for Ctrl+V on the canvas. The first search runs when
the tab is first shown, not while the page is being built.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from studio.ui.tasks import TaskManager
from studio.ui.widgets.catalog_picker import CatalogPicker

if TYPE_CHECKING:
    from studio.store.catalog import CatalogStore


class BoardCatalog(QWidget):
    """``add_requested(ids)``: the curator asked for these products on the board."""

    add_requested = Signal(list)

    def __init__(
        self,
        tasks: TaskManager,
        image_cache: Path | None,
        catalog: Callable[[], CatalogStore | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("boardCatalog")
        self.picker = CatalogPicker(
            tasks,
            image_cache,
            catalog,
            self.tr("Search the catalog to add products"),
            channel="board-picker",
            parent=self,
        )
        self.picker.search.setAccessibleName(self.tr("Search products to add to the board"))
        self.picker.results.setToolTip(
            self.tr("Drag products onto the board, or double-click one to add it")
        )
        self.hint = QLabel(
            self.tr("Drag products onto the board, or double-click one. Ctrl+C copies them."),
            self,
        )
        self.hint.setWordWrap(True)
        self.add_button = QPushButton(self.tr("Add to board"), self)
        self.add_button.setObjectName("boardAddProducts")
        self.add_button.setToolTip(self.tr("Add the selected products to the middle of the board"))
        self.add_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.hint)
        layout.addWidget(self.picker, 1)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self._add_selected)
        self.picker.results.doubleClicked.connect(self._double_clicked)
        self.picker.results.selectionModel().selectionChanged.connect(self._selection_changed)
        self.picker.model.modelReset.connect(self._selection_changed)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.picker.searched:
            self.picker.refresh()

    def _selection_changed(self, *_args: object) -> None:
        self.add_button.setEnabled(bool(self.picker.selected_ids()))

    def _add_selected(self) -> None:
        ids = self.picker.selected_ids()
        if ids:
            self.add_requested.emit(ids)

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.add_requested.emit([self.picker.model.product_id(index.row())])
