"""A search box over the catalog with a compact, draggable list of the products found.

The look editor, the shop editor and the review editor each keep the catalog at hand this
way: typing searches the store in a worker (debounced, one request in flight per channel),
the rows come from the browser's ``CatalogModel`` - the same lazy pages and the same drag
MIME data (``application/x-vitrine-product-ids``) as the catalog browser - painted as
compact rows with a thumbnail, and any number of them can be dragged at once, or copied
(Ctrl+C: the same data on the clipboard, which a board pastes).
``product_refs`` reads the stable identity (merchant, offer id) of picked or dropped products.

The list follows the catalog: once it has searched, a write that changed the catalog (a feed
import, the demo's, from this window or any other source publishing on ``TaskManager.changed``)
runs its search again, so products imported after the picker was first shown appear without
a restart. Nothing else is re-read: the curator's own edits never change a catalog search.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

from studio.core.catalog import ProductCard, SearchQuery, SearchResult
from studio.core.changes import Changes
from studio.core.looks import ProductRef
from studio.ui.tasks import TaskManager
from studio.ui.widgets.catalog_model import CatalogModel
from studio.ui.widgets.images import ImageLoader
from studio.ui.widgets.mime import install_copy
from studio.ui.widgets.product_rows import ProductRowDelegate

if TYPE_CHECKING:
    from studio.store.catalog import CatalogStore

SEARCH_LIMIT = 500


def product_refs(store: CatalogStore, ids: list[int]) -> list[tuple[ProductRef, ProductCard]]:
    """Worker: (ref, card) of each product still in the catalog, in the order given."""
    out = []
    for pid in ids:
        detail = store.detail(pid)
        if detail is not None:
            out.append((ProductRef(pid, detail.card.merchant, detail.offer_id), detail.card))
    return out


class CatalogPicker(QWidget):
    """Search the catalog and drag products from the list; ``refresh()`` runs the search."""

    def __init__(
        self,
        tasks: TaskManager,
        image_cache: Path | None,
        catalog: Callable[[], CatalogStore | None],
        placeholder: str,
        *,
        channel: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._catalog = catalog
        self._channel = channel
        self.searched = False
        self._keep: tuple[list[int], int] | None = None  # selection and scroll to put back
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(placeholder)
        self.search.setAccessibleName(self.tr("Search the catalog"))
        self.count = QLabel(self)
        self.count.setStyleSheet("color: #5f6670;")
        self.images = ImageLoader(tasks, image_cache, size=96, parent=self)
        self.model = CatalogModel(tasks, self)
        self.results = QListView(self)
        self.results.setModel(self.model)
        self.results.setItemDelegate(ProductRowDelegate(self.images, self.results))
        self.results.setUniformItemSizes(True)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.results.setDragEnabled(True)
        self.results.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.results.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.results.setAccessibleName(self.tr("Catalog products"))
        install_copy(self.results, lambda: self.model.mime_for_rows(self._selected_rows()))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.count)
        # Typing fast must not queue a search per key: wait for a short pause.
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._typed)
        tasks.changed.connect(self._changed)

    def _typed(self, _text: str) -> None:
        self._keep = None  # a new search: what was chosen in the old one does not carry over
        self._debounce.start()

    def _changed(self, changes: Changes, _origin: object) -> None:
        # A relink re-points the curator's references at products; the products a search
        # finds are the same, so only a catalog write makes the list search again.
        if changes.catalog and self.searched:
            # Searched again for the same text: keep the chosen products and the scroll.
            self._keep = (self.selected_ids(), self.results.verticalScrollBar().value())
            self.refresh()

    def refresh(self) -> None:
        """Search the catalog for the box's text (all products when it is empty)."""
        store = self._catalog()
        if store is None:
            return
        self.model.set_source(store)
        query = SearchQuery(text=self.search.text().strip(), limit=SEARCH_LIMIT)
        self._tasks.run(lambda: store.search(query), self._show, channel=self._channel, owner=self)

    def _selected_rows(self) -> list[int]:
        return sorted(i.row() for i in self.results.selectionModel().selectedRows())

    def selected_ids(self) -> list[int]:
        """The catalog ids of the selected rows, top to bottom."""
        rows = self._selected_rows()
        return [int(i) for i in (self.model.product_id(r) for r in rows) if i is not None]

    def _show(self, result: SearchResult) -> None:
        self.searched = True
        keep, self._keep = self._keep, None
        self.model.set_result(result)
        self.count.setText(self.tr("{n} products").format(n=f"{result.total:,}"))
        if keep is not None:
            chosen, scroll = keep
            selection = self.results.selectionModel()
            for product_id in chosen:
                row = self.model.row_of(product_id)
                if row is not None:
                    selection.select(
                        self.model.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                    )
            self.results.verticalScrollBar().setValue(scroll)
