"""The editor's product side: the look's tagged products, and the catalog at hand.

"In this look" lists every hotspot by number with its product's price and availability
(``CatalogStore.cards``, fetched by the editor). Below it, a search box over the catalog
fills a list over the browser's ``CatalogModel`` - the same lazy pages and drag MIME data as
the catalog browser, painted as compact rows - from which products are dragged onto the photo.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from studio.core.catalog import ProductCard, SearchQuery
from studio.core.looks import Hotspot
from studio.core.sharing import is_orderable
from studio.ui.catalog.images import ImageLoader
from studio.ui.catalog.labels import product_summary
from studio.ui.catalog.model import CatalogModel
from studio.ui.looks.product_rows import ProductRowDelegate
from studio.ui.tasks import TaskManager

SEARCH_LIMIT = 500
HotspotIdRole = Qt.ItemDataRole.UserRole + 1


def product_line(card: ProductCard | None, fallback: str) -> tuple[str, str]:
    """The title line and the "price · availability" line of a tagged product."""
    if card is None:
        return fallback, "—"
    return card.title, product_summary(card.brand, card.price, card.sale_price,
                                       card.availability)


class ProductsPanel(QWidget):
    hotspot_chosen = Signal(str)

    def __init__(self, tasks: TaskManager, image_cache: Path | None,
                 catalog: Callable[[], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._catalog = catalog
        self._filling = False
        tagged_title = QLabel(self.tr("In this look"), self)
        tagged_title.setStyleSheet("font-weight: 600;")
        self.tagged = QListWidget(self)
        self.tagged.setAccessibleName(self.tr("Tagged products"))
        self.tagged.setWordWrap(True)
        self.tagged.setAlternatingRowColors(True)
        self.tagged.currentItemChanged.connect(self._tagged_current)
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Search the catalog, drag onto the photo…"))
        self.search.setAccessibleName(self.tr("Search products to tag"))
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
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(tagged_title)
        top_layout.addWidget(self.tagged)
        bottom = QWidget(self)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        catalog_title = QLabel(self.tr("Catalog"), self)
        catalog_title.setStyleSheet("font-weight: 600;")
        bottom_layout.addWidget(catalog_title)
        bottom_layout.addWidget(self.search)
        bottom_layout.addWidget(self.results, 1)
        bottom_layout.addWidget(self.count)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setSizes([220, 480])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.searched = False

    # -- tagged products --------------------------------------------------------------------

    def show_tagged(self, hotspots: tuple[Hotspot, ...], numbers: Mapping[str, int],
                    cards: Mapping[int, ProductCard], selected: str) -> None:
        self._filling = True
        self.tagged.clear()
        for hotspot in sorted(hotspots, key=lambda h: numbers.get(h.id, 0)):
            card = cards.get(hotspot.product.product_id or -1)
            title, line = product_line(card, self.tr("No longer in the catalog ({offer})")
                                       .format(offer=hotspot.product.offer_id))
            item = QListWidgetItem(f"{numbers.get(hotspot.id, 0)}.  {title}\n      {line}")
            item.setData(HotspotIdRole, hotspot.id)
            if card is None or not is_orderable(card.availability):
                item.setForeground(QColor("#b35900"))
            self.tagged.addItem(item)
            if hotspot.id == selected:
                self.tagged.setCurrentItem(item)
        if not hotspots:
            hint = QListWidgetItem(self.tr("Drag products here onto the photo, or click the "
                                           "photo to search."))
            hint.setFlags(Qt.ItemFlag.NoItemFlags)
            self.tagged.addItem(hint)
        self._filling = False

    def _tagged_current(self, item: QListWidgetItem | None, _prev: object) -> None:
        if not self._filling and item is not None and item.data(HotspotIdRole):
            self.hotspot_chosen.emit(str(item.data(HotspotIdRole)))

    # -- catalog search ---------------------------------------------------------------------

    def refresh(self) -> None:
        store = self._catalog()
        if store is None:
            return
        self.model.set_source(store)
        query = SearchQuery(text=self.search.text().strip(), limit=SEARCH_LIMIT)
        self._tasks.run(lambda: store.search(query), self._show, channel="look-products")

    def _show(self, result: Any) -> None:
        self.searched = True
        self.model.set_result(result)
        self.count.setText(self.tr("{n} products").format(n=f"{result.total:,}"))
