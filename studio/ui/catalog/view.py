"""The catalog browser: search box, facet sidebar, product grid and detail pane.

Typing updates the results as one types (a 120 ms debounce); every search and facet count runs
in a worker on its own task channel, so a slow, superseded query is dropped instead of
overwriting newer results. The view follows the catalog on ``TaskManager.changed``: a write
that changed it (an import, from the File menu, the first-run page or anywhere else) drops the
cached cards, runs the search and facet counts again and reads the shown detail again; no
other write concerns it. An empty workspace shows a first-run page that offers the demo
catalog and File > Import feed…. The view is the Catalog ``Workspace``: it keeps its panes,
splitter, grid or list mode, last query and sort in the window's settings.

The grid shows a merchant's variants (one item group) as one card (``CatalogStore.search``
with ``variants_as_one``); the count still says how many products match. A right-click on a
card, like the detail pane's buttons, offers the product actions (``actions.py``); those that
belong to another workspace leave through ``products_sent`` for the main window.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPoint, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from studio.core.catalog import Facets, ProductDetail, SearchQuery, SearchResult
from studio.core.changes import Changes
from studio.ui.catalog import view_state
from studio.ui.catalog.actions import MAX_PRODUCTS, ProductActions
from studio.ui.catalog.detail import DetailPane
from studio.ui.catalog.empty_state import EmptyState
from studio.ui.catalog.facets import FacetSidebar
from studio.ui.catalog.grid_view import ProductGridView, ViewMode
from studio.ui.tasks import TaskManager

if TYPE_CHECKING:
    from studio.services.workspace import Stores
    from studio.store.catalog import CatalogStore
from studio.ui.widgets.catalog_model import CatalogModel
from studio.ui.widgets.images import ImageLoader
from studio.ui.widgets.labels import products_label
from studio.ui.widgets.message_bar import MessageBar

log = logging.getLogger(__name__)
DEBOUNCE_MS = 120
# Fits the image area of the smallest grid card, so the grid blits thumbnails unscaled.
GRID_THUMB = 160


class CatalogView(QWidget):
    """The whole catalog feature; the main window places it and wires its menu actions."""

    name = "catalog"

    demo_requested = Signal()
    import_requested = Signal()
    sign_in_requested = Signal()
    #: Current result count after each search (the status bar shows it too).
    results_changed = Signal(int)
    #: (workspace name, product ids): add them to the open look or board, or review one.
    products_sent = Signal(str, list)

    def __init__(
        self, tasks: TaskManager, image_cache: Path | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.title = self.tr("Catalog")
        self._tasks = tasks
        self._store: CatalogStore | None = None
        self._catalog_size = -1
        self._resets = 0  # the results' resets so far: a detail asked before one may be stale
        self.last_result: SearchResult | None = None
        self.grid_images = ImageLoader(tasks, image_cache, size=GRID_THUMB, parent=self)
        self.detail_images = ImageLoader(tasks, image_cache, size=480, max_images=24, parent=self)

        self.search_box = QLineEdit(self)
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setPlaceholderText(
            self.tr("Search products, brands, categories, or paste a product link…")
        )
        self.search_box.setAccessibleName(self.tr("Search the catalog"))
        self.count_label = QLabel(self)
        self.count_label.setMinimumWidth(120)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.facets = FacetSidebar(self)
        self.facets.setMinimumWidth(200)
        self.model = CatalogModel(tasks, self)
        self.grid = ProductGridView(self.grid_images, self)
        self.grid.setModel(self.model)
        self.detail = DetailPane(self.detail_images, self)
        self.empty = EmptyState(self)
        self.message = MessageBar(self)
        self.product_actions = ProductActions(tasks, self.message, self)
        self.product_actions.send.connect(self.products_sent)
        self.detail.set_actions(self.product_actions)
        self.grid.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.grid.customContextMenuRequested.connect(self._card_menu)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("catalogSplitter")
        self.splitter.addWidget(self.facets)
        self.splitter.addWidget(self.grid)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(1, False)
        self.splitter.setSizes([220, 760, 320])

        # Two pages: the browser, and the first-run page shown while the catalog is empty.
        self.browser = QWidget(self)
        top = QHBoxLayout()
        top.addWidget(self.search_box, 1)
        top.addWidget(self.count_label)
        browser_layout = QVBoxLayout(self.browser)
        browser_layout.setContentsMargins(8, 8, 8, 0)
        browser_layout.addLayout(top)
        browser_layout.addWidget(self.message)
        browser_layout.addWidget(self.splitter, 1)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.browser)
        self.pages.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        self._detail_timer = QTimer(self)
        self._detail_timer.setSingleShot(True)
        self._detail_timer.setInterval(150)
        self._detail_timer.timeout.connect(self._load_current_detail)
        self.search_box.textChanged.connect(lambda _t: self._debounce.start())
        self.search_box.returnPressed.connect(self._search_now)
        self.facets.changed.connect(self.refresh)
        self.grid.activated.connect(self.open_detail)
        self.grid.clicked.connect(self._clicked)
        self.grid.selectionModel().currentChanged.connect(self._current_changed)
        self.model.modelReset.connect(self._model_reset)
        self.model.rows_completed.connect(self._rows_completed)
        self.detail.variant_requested.connect(self.load_detail)
        self.empty.demo_button.clicked.connect(self.demo_requested)
        self.empty.import_button.clicked.connect(self.import_requested)
        self.empty.sign_in_button.clicked.connect(self.sign_in_requested)
        # From the search box, Down moves into the results (as in a browser's address bar).
        down = QShortcut(QKeySequence(Qt.Key.Key_Down), self.search_box)
        down.setContext(Qt.ShortcutContext.WidgetShortcut)
        down.activated.connect(self._focus_results)
        self.count_label.setText(self.tr("Opening catalog…"))
        tasks.changed.connect(self._changed)

    # -- store ------------------------------------------------------------------------------

    def set_store(self, store: CatalogStore) -> None:
        """Attach the opened store and run the first search."""
        self._store = store
        self.model.set_source(store)
        self.refresh()

    @property
    def store(self) -> CatalogStore | None:
        return self._store

    def query(self) -> SearchQuery:
        return self.facets.apply_to(SearchQuery(text=self.search_box.text().strip()))

    def refresh(self) -> None:
        """Run the current query (results and facet counts) in workers."""
        self._debounce.stop()
        store = self._store
        if store is None:
            return
        from studio.store.search_pick import looks_like_link

        query = self.query()
        facet_query = dataclasses.replace(query, limit=None)
        known_size = self._catalog_size
        # A merchant's product page pasted: the product at that landing link, as the pickers
        # find it; facets do not narrow a link, so they rest until words are typed again.
        link = query.text if looks_like_link(query.text) else None
        self.facets.setEnabled(link is None)

        def search() -> tuple[SearchResult, int]:
            # The catalog's size only changes with an import: counted once, not per keystroke.
            size = known_size if known_size >= 0 else store.product_count()
            if link is not None:
                ids = tuple(store.ids_by_link(link))
                return SearchResult(ids, len(ids), 0.0), size
            return store.search(query, variants_as_one=True), size

        # owner: a window closed while a query runs gets nothing delivered to its widgets.
        self._tasks.run(
            search, self._show_result, self._search_failed, channel="search", owner=self
        )
        if link is None:
            self._tasks.run(
                lambda: store.facets(facet_query),
                self._show_facets,
                self._search_failed,
                channel="facets",
                owner=self,
            )

    def _changed(self, changes: Changes, _origin: object) -> None:
        # Only the catalog is shown here: the curator's edits and the relink that follows an
        # import (it re-points their references, not the products) change nothing in view.
        if changes.catalog and self._store is not None:
            self.catalog_changed()

    def catalog_changed(self) -> None:
        """The store's contents changed (an import): drop cached cards, search again and read
        the shown product's detail again (its price, stock or variants may have changed)."""
        self._catalog_size = -1
        self.model.invalidate_cards()
        self.grid_images.clear_memory()
        self.grid.forget_images()
        self.refresh()
        shown = self.detail.detail
        if shown is not None:
            self.load_detail(shown.card.id, keep_scroll=True)

    def _search_now(self) -> None:
        self.refresh()

    def _show_result(self, payload: tuple[SearchResult, int]) -> None:
        result, catalog_size = payload
        self._catalog_size = catalog_size
        self.last_result = result
        self.model.set_result(result)
        self.count_label.setText(products_label(result.total))
        self.pages.setCurrentWidget(self.empty if catalog_size == 0 else self.browser)
        self.results_changed.emit(result.total)

    def _rows_completed(self, rows: int) -> None:
        # The search counted a very common word by sampling; now every match is known (the
        # rows are cards: variants of one product share one, and the count is of products).
        ids = self.last_result.ids if self.last_result is not None else None
        products = getattr(ids, "products", None)
        total = products if isinstance(products, int) else rows
        self.count_label.setText(products_label(total))
        self.results_changed.emit(total)

    def _card_menu(self, pos: QPoint) -> None:
        """Right-click on a card: the product actions for the selected cards (the card
        clicked is selected first when it was not)."""
        index = self.grid.indexAt(pos)
        if not index.isValid():
            return
        selection = self.grid.selectionModel()
        if not selection.isSelected(index):
            self.grid.setCurrentIndex(index)  # selects it alone, as a left click does
        rows = self.grid.selected_rows(MAX_PRODUCTS)
        ids = [self.model.product_id(r) for r in rows]
        menu = self.product_actions.context_menu(self.grid, lambda: ids)
        menu.exec(self.grid.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def _show_facets(self, facets: Facets) -> None:
        self.facets.set_facets(facets)

    def _search_failed(self, exc: BaseException) -> None:
        log.error("catalog query failed: %s", exc)
        self.count_label.setText(self.tr("Search failed"))

    @property
    def catalog_size(self) -> int:
        return self._catalog_size

    @property
    def is_empty_state(self) -> bool:
        return self.pages.currentWidget() is self.empty

    # -- grid and detail --------------------------------------------------------------------

    def set_mode(self, mode: ViewMode | str) -> None:
        self.grid.set_mode(mode)

    def _model_reset(self) -> None:
        # New results (a search, a sort, an import). The product in the detail pane stays
        # only if the results hold it, as the current card; otherwise the pane is emptied
        # and no card is current, so a click on any card - the first too - is a change of
        # the current card and opens it (a first card made current silently here swallowed
        # that click).
        self._resets += 1
        selection = self.grid.selectionModel()
        shown = self.detail.detail
        row = self.model.row_of(shown.card.id) if shown is not None else None
        if row is not None:
            selection.setCurrentIndex(self.model.index(row), selection.SelectionFlag.NoUpdate)
        else:
            selection.clearCurrentIndex()
            if shown is not None:
                self.detail.show_detail(None)
        self.grid.verticalScrollBar().setValue(0)

    def _focus_results(self) -> None:
        self.grid.setFocus()
        if self.model.total and not self.grid.selectionModel().hasSelection():
            self.grid.setCurrentIndex(self.model.index(0))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and self.detail.isVisible() and self.grid.hasFocus():
            self._detail_timer.start()

    def _clicked(self, index: QModelIndex) -> None:
        # A click shows the card clicked, whichever was current and wherever the focus was
        # (the current-card path waits for keyboard focus, which a click may not bring).
        if index.isValid() and self.detail.isVisible():
            self._detail_timer.stop()
            shown = self.detail.detail
            product_id = self.model.product_id(index.row())
            if shown is None or shown.card.id != product_id:
                self.load_detail(product_id, of_results=True)

    def _load_current_detail(self) -> None:
        current = self.grid.currentIndex()
        if current.isValid():
            self.load_detail(self.model.product_id(current.row()), of_results=True)

    def open_detail(self, index: QModelIndex) -> None:
        """Enter or double-click on a card: show (and reveal) its detail."""
        if not index.isValid():
            return
        if not self.detail.isVisible():
            self.detail.show()
        self.load_detail(self.model.product_id(index.row()), of_results=True)

    def load_detail(
        self, product_id: int, *, keep_scroll: bool = False, of_results: bool = False
    ) -> None:
        """Read and show a product's detail; ``of_results``: a card of the results asked for
        it, so it is not shown if new results replaced those before it arrived."""
        store = self._store
        if store is None:
            return
        resets = self._resets

        def show(detail: ProductDetail | None) -> None:
            if of_results and resets != self._resets and self.model.row_of(product_id) is None:
                return  # its card is no longer in the results
            self.detail.show_detail(detail, keep_scroll=keep_scroll)

        self._tasks.run(
            lambda: store.detail(product_id),
            show,
            self._search_failed,
            channel="detail",
            owner=self,
        )

    # -- Workspace --------------------------------------------------------------------------

    @property
    def undo_stack(self) -> QUndoStack | None:
        return None  # browsing changes nothing

    @property
    def owns_undo_keys(self) -> bool:
        return False

    @property
    def new_action(self) -> QAction | None:
        return None

    def can_export(self) -> bool:
        return False

    def export(self, fmt: str) -> None:
        pass

    def attach(self, stores: Stores) -> None:
        self.set_store(stores.catalog)
        self.product_actions.attach(stores)

    def activate(self) -> None:
        pass

    def flush(self) -> None:
        pass

    def save_state(self, settings: QSettings) -> None:
        view_state.save(self, settings)

    def restore_state(self, settings: QSettings) -> None:
        view_state.restore(self, settings)
