"""The in-place tag search: click the photo, type, pick a product - the hotspot lands there.

A small popup over the pickers' search (``catalog_picker.pick_search``: in stock first, a
merchant's name, a pasted product link; top results, cards fetched in the same worker).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from studio.core.catalog import ProductCard
from studio.ui.tasks import TaskManager
from studio.ui.widgets.catalog_model import result_ids
from studio.ui.widgets.catalog_picker import pick_search
from studio.ui.widgets.labels import product_summary

if TYPE_CHECKING:
    from studio.store.catalog import CatalogStore

RESULTS = 12
ProductIdRole = Qt.ItemDataRole.UserRole + 1


class QuickTagPopup(QFrame):
    #: the chosen product id
    chosen = Signal(int)

    def __init__(
        self,
        tasks: TaskManager,
        catalog: Callable[[], CatalogStore | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self._tasks = tasks
        self._catalog = catalog
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Tag a product here…"))
        self.search.setAccessibleName(self.tr("Search a product to tag"))
        self.results = QListWidget(self)
        self.results.setAccessibleName(self.tr("Matching products"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.search)
        layout.addWidget(self.results)
        self.resize(380, 320)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(120)
        self._debounce.timeout.connect(self._run)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self._accept_current)
        self.results.itemActivated.connect(self._accept)
        self.results.itemClicked.connect(self._accept)

    def open_at(self, global_pos: QPoint) -> None:
        self.search.clear()
        self.results.clear()
        self.move(global_pos)
        self.show()
        self.search.setFocus()
        self._run()

    def _run(self) -> None:
        store = self._catalog()
        if store is None:
            return
        text = self.search.text().strip()

        def work() -> list[ProductCard]:
            # The pickers' search: in stock first, merchants' names, pasted product links.
            result = pick_search(store, text, RESULTS)
            ids = result_ids(result, RESULTS)
            return list(store.cards(ids))

        self._tasks.run(work, self._show, channel="quick-tag")

    def _show(self, cards: list[ProductCard]) -> None:
        self.results.clear()
        for card in cards:
            item = QListWidgetItem(
                f"{card.title}\n"
                + product_summary(card.merchant, card.price, card.sale_price, card.availability)
            )
            item.setData(ProductIdRole, card.id)
            self.results.addItem(item)
        if cards:
            self.results.setCurrentRow(0)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.search.hasFocus():
            row = self.results.currentRow() + (1 if event.key() == Qt.Key.Key_Down else -1)
            self.results.setCurrentRow(max(0, min(row, self.results.count() - 1)))
            return
        super().keyPressEvent(event)

    def _accept_current(self) -> None:
        item = self.results.currentItem()
        if item is not None:
            self._accept(item)

    def _accept(self, item: QListWidgetItem) -> None:
        self.hide()
        self.chosen.emit(int(item.data(ProductIdRole)))
