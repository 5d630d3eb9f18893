"""The editor's product side: the look's tagged products, and the catalog at hand.

"In this look" lists every hotspot by number with its product's price and availability
(``CatalogStore.cards``, fetched by the editor). Below it, a search box over the catalog
fills a list over the browser's ``CatalogModel`` - the same lazy pages and drag MIME data as
the catalog browser, painted as compact rows - from which products are dragged onto the photo.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from studio.core.catalog import ProductCard
from studio.core.looks import Hotspot
from studio.core.sharing import is_orderable
from studio.ui.tasks import TaskManager
from studio.ui.widgets.catalog_picker import CatalogPicker
from studio.ui.widgets.colours import warning_text
from studio.ui.widgets.labels import product_summary

if TYPE_CHECKING:
    from studio.store.catalog import CatalogStore

HotspotIdRole = Qt.ItemDataRole.UserRole + 1


def product_line(card: ProductCard | None, fallback: str) -> tuple[str, str]:
    """The title line and the "price · availability" line of a tagged product."""
    if card is None:
        return fallback, "—"
    return card.title, product_summary(card.brand, card.price, card.sale_price, card.availability)


class ProductsPanel(QWidget):
    hotspot_chosen = Signal(str)

    def __init__(
        self,
        tasks: TaskManager,
        image_cache: Path | None,
        catalog: Callable[[], CatalogStore | None],
        parent: QWidget | None = None,
    ) -> None:
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
        self.picker = CatalogPicker(
            tasks,
            image_cache,
            catalog,
            self.tr("Search the catalog, drag onto the photo…"),
            channel="look-products",
            parent=self,
        )
        self.picker.search.setAccessibleName(self.tr("Search products to tag"))
        # The editor and its tests reach the picker's parts under these names.
        self.search, self.results, self.model = (
            self.picker.search,
            self.picker.results,
            self.picker.model,
        )
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
        bottom_layout.addWidget(self.picker, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setSizes([220, 480])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    # -- tagged products --------------------------------------------------------------------

    def show_tagged(
        self,
        hotspots: tuple[Hotspot, ...],
        numbers: Mapping[str, int],
        cards: Mapping[int, ProductCard],
        selected: str,
    ) -> None:
        self._filling = True
        self.tagged.clear()
        for hotspot in sorted(hotspots, key=lambda h: numbers.get(h.id, 0)):
            card = cards.get(hotspot.product.product_id or -1)
            title, line = product_line(
                card,
                self.tr("No longer in the catalog ({offer})").format(
                    offer=hotspot.product.offer_id
                ),
            )
            item = QListWidgetItem(f"{numbers.get(hotspot.id, 0)}.  {title}\n      {line}")
            item.setData(HotspotIdRole, hotspot.id)
            if card is None or not is_orderable(card.availability):
                item.setForeground(warning_text(self.tagged.palette()))
            self.tagged.addItem(item)
            if hotspot.id == selected:
                self.tagged.setCurrentItem(item)
        if not hotspots:
            hint = QListWidgetItem(
                self.tr("Drag products here onto the photo, or click the photo to search.")
            )
            hint.setFlags(Qt.ItemFlag.NoItemFlags)
            self.tagged.addItem(hint)
        self._filling = False

    def _tagged_current(self, item: QListWidgetItem | None, _prev: object) -> None:
        if not self._filling and item is not None and item.data(HotspotIdRole):
            self.hotspot_chosen.emit(str(item.data(HotspotIdRole)))

    # -- catalog search ---------------------------------------------------------------------

    @property
    def searched(self) -> bool:
        return self.picker.searched

    def refresh(self) -> None:
        self.picker.refresh()
