"""The shop editor: the catalog picker, the shelves, the chosen item, settings and health.

Layout, left to right: a ``CatalogPicker`` (search the catalog, drag products onto a shelf),
the shelf view with its tool row and the chosen product's note and featured flag under it,
and tabs for the shop's settings and its health. Above them, the shop's title, the tier
counter ("27 of 30 products · 3 left · Starter", always visible) and Preview. Every tool is
also a shortcut (Delete, F2, Ctrl+Shift+N, Ctrl+Up/Down...). The edits themselves live in
``ShopController``; this module wires widgets to it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studio.core.shops import TIER_LIMITS, ShopDocument, ShopItem
from studio.ui.shops.controller import ShopController
from studio.ui.shops.delegate import ShelfDelegate
from studio.ui.shops.health_panel import HealthPanel
from studio.ui.shops.settings_form import SettingsForm
from studio.ui.shops.shelf_tools import ShelfTools
from studio.ui.shops.view import ShelfView
from studio.ui.tasks import TaskManager
from studio.ui.widgets.catalog_picker import CatalogPicker
from studio.ui.widgets.colours import ERROR, boxed, mute
from studio.ui.widgets.elided_label import ElidedLabel
from studio.ui.widgets.images import ImageLoader
from studio.ui.widgets.labels import products_label

if TYPE_CHECKING:
    from studio.core.shops import HealthIssue, Shop
    from studio.media.library import MediaLibrary
    from studio.store.catalog import CatalogStore


class ShopEditor(ShelfTools, QWidget):
    def __init__(
        self,
        tasks: TaskManager,
        controller: ShopController,
        media: MediaLibrary,
        catalog: Callable[[], CatalogStore | None],
        image_cache: Path | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.controller = controller
        # Elided: a long title or tagline must not widen the window (issue 12, item 6).
        self.title = ElidedLabel(self)
        self.title.setStyleSheet("font-size: 17px; font-weight: 600;")
        self.tagline = ElidedLabel(self)
        mute(self.tagline)
        self.counter = QLabel(self)
        self.counter.setAccessibleName(self.tr("Products and room left"))
        self.counter.setToolTip(
            self.tr(
                "Starter tier: one trial shop of up to 30 products. The platform grants the "
                "full tier after more than five approved orders: up to 10,000 products per "
                "shop, and any number of shops."
            )
        )
        boxed(self.counter, pill=True)
        self.preview_button = QPushButton(self.tr("Preview"), self)
        self.preview_button.setObjectName("shops_preview")
        self.preview_button.setToolTip(self.tr("Open the shop's page in the browser (Ctrl+P)"))
        self.picker = CatalogPicker(
            tasks,
            image_cache,
            catalog,
            self.tr("Search the catalog to shelve products"),
            channel="shop-picker",
            parent=self,
        )
        self.images = ImageLoader(tasks, image_cache, size=96, parent=self)
        self.view = ShelfView(self)
        self.view.setModel(controller.model)
        self.delegate = ShelfDelegate(self.images, self.view)
        self.images.loaded.connect(self.view.image_loaded)
        self.view.setItemDelegate(self.delegate)
        self.note = QLineEdit(self)
        self.note.setPlaceholderText(self.tr("Your note on this product"))
        self.note.setAccessibleName(self.tr("Curator's note"))
        self.featured = QCheckBox(self.tr("Featured"), self)
        self.settings = SettingsForm(tasks, controller, media, self)
        self.health = HealthPanel(tasks, controller, self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.settings, self.tr("Shop"))
        self.tabs.addTab(self.health, self.tr("Health"))
        self.empty = QLabel(self.tr("Create a shop or choose one on the left."), self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._note_timer = QTimer(self, singleShot=True, interval=500)
        self._placed: list[str] = []
        self._select_timer = QTimer(self, singleShot=True, interval=0)
        self._select_timer.timeout.connect(lambda: self.select_items(self._placed))
        self._note_timer.timeout.connect(self.flush_note)
        self._note_item: str | None = None
        self._note_shown = ""  # the chosen item's note as shown: other text is being typed
        self._note_run = 0
        self._build()
        self._wire()
        self.show_doc(None)

    def _build(self) -> None:
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addSpacing(10)
        head.addWidget(self.tagline, 1)
        head.addWidget(self.counter)
        head.addWidget(self.preview_button)
        shelves = QWidget(self)
        column = QVBoxLayout(shelves)
        column.setContentsMargins(0, 0, 0, 0)
        shelf_tools, item_tools = self.build_tools()
        column.addLayout(shelf_tools)
        column.addWidget(self.view, 1)
        inspector = QHBoxLayout()
        inspector.addWidget(QLabel(self.tr("Note"), self))
        inspector.addWidget(self.note, 1)
        inspector.addWidget(self.featured)
        # The chosen products' tools beside their note: one row of all the tools was wider
        # than a 1366-pixel screen leaves the shelves (issue 12, item 6).
        inspector.addLayout(item_tools)
        column.addLayout(inspector)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.picker)
        self.splitter.addWidget(shelves)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(1, 1)
        self.picker.setMinimumWidth(220)
        self.tabs.setMinimumWidth(240)
        self.splitter.setSizes([300, 640, 340])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(head)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.empty, 1)

    def _wire(self) -> None:
        c = self.controller
        c.opened.connect(self.show_doc)
        c.counts_changed.connect(self.show_counter)
        c.shop_changed.connect(self._shop_changed)
        c.health_changed.connect(self._health_tab)
        c.placed.connect(self._select_soon)
        # A row's record changed under the note field (an undo, a change from elsewhere).
        c.model.dataChanged.connect(lambda top, bottom, *_r: self._rows_changed(top, bottom))
        self.view.products_dropped.connect(c.add_products)
        self.view.items_dropped.connect(c.move_items)
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._selection())
        self.note.textEdited.connect(lambda _t: self._note_timer.start())
        self.note.editingFinished.connect(self._note_left)
        self.featured.clicked.connect(self.set_featured)
        self.health.issue_chosen.connect(self.show_item)
        preview = QAction(self.tr("Preview"), self)
        preview.setShortcut(QKeySequence.StandardKey.Print)
        preview.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(preview)
        self.preview_action = preview

    # -- showing -------------------------------------------------------------------------------

    def show_doc(self, doc: ShopDocument | None) -> None:
        has = doc is not None
        self.splitter.setVisible(has)
        self.empty.setVisible(not has)
        self.preview_button.setEnabled(has)
        self.title.setText(doc.shop.title if doc else self.tr("Shops"))
        self.tagline.setText(doc.shop.tagline if doc else "")
        self.settings.show_shop(doc.shop if doc else None)
        if doc is not None:
            self.delegate.accent = QColor(doc.shop.accent)
            if not self.picker.searched:
                self.picker.refresh()
            if self.controller.model.rowCount():
                self.view.setCurrentIndex(self.controller.model.index(0))
        self._selection()

    def _shop_changed(self, shop: Shop) -> None:
        self.title.setText(shop.title)
        self.tagline.setText(shop.tagline)
        self.settings.show_shop(shop)
        self.delegate.accent = QColor(shop.accent)
        self.view.viewport().update()

    def counter_text(self) -> str:
        c = self.controller
        count = c.model.item_count
        limit = TIER_LIMITS.get(c.tier, count)
        tier = {"starter": self.tr("Starter"), "full": self.tr("Full")}.get(c.tier, c.tier)
        if not c.trial:  # a starter's second shop from before the one-shop rule
            return self.tr(
                "{products} · Starter: only your trial shop “{trial}” takes products"
            ).format(products=products_label(count), trial=c.trial_title)
        return self.tr("{count} of {limit} products · {left} left · {tier}").format(
            count=f"{count:,}", limit=f"{limit:,}", left=f"{c.room_left:,}", tier=tier
        )

    def show_counter(self) -> None:
        self.counter.setText(self.counter_text() if self.controller.doc else "")
        full = self.controller.doc is not None and self.controller.room_left == 0
        boxed(self.counter, pill=True, tint=ERROR if full else None)

    def _health_tab(self, issues: list[HealthIssue]) -> None:
        self.tabs.setTabText(
            1, self.tr("Health ({n})").format(n=len(issues)) if issues else self.tr("Health")
        )

    def show_item(self, item_id: str) -> None:
        row = self.controller.model.item_row(item_id)
        if row is not None:
            index = self.controller.model.index(row)
            self.view.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            self.view.scrollTo(index)

    # -- the chosen items ----------------------------------------------------------------------

    def _select_soon(self, ids: list[str]) -> None:
        # On the next turn: the drop's own frame holds the store write, the rows moved and
        # their paint; choosing them (the note field, the tools, the selection's paint) waits.
        self._placed = ids
        self._select_timer.start()

    def select_items(self, ids: list[str]) -> None:
        """Select these rows (products just dropped or moved stay chosen, as in a file
        manager), the first one current and in view."""
        model = self.controller.model
        rows = sorted(r for r in (model.item_row(i) for i in ids) if r is not None)
        if not rows:
            return
        selection = self.view.selectionModel()
        flags = QItemSelectionModel.SelectionFlag
        chosen = QItemSelection()  # one selection change, not one per row (the drop's frame)
        for row in rows:
            chosen.select(model.index(row), model.index(row))
        selection.select(chosen, flags.ClearAndSelect)
        selection.setCurrentIndex(model.index(rows[0]), flags.NoUpdate)
        self.view.scrollTo(model.index(rows[0]))

    def selected_items(self) -> list[ShopItem]:
        model = self.controller.model
        rows = sorted(i.row() for i in self.view.selectionModel().selectedRows())
        return [it for it in (model.item_at(r) for r in rows) if it is not None]

    def _selection(self) -> None:
        self.flush_note()
        items = self.selected_items()
        one = items[0] if len(items) == 1 else None
        self._note_item = one.id if one else None
        self._note_run += 1
        self.note.setEnabled(one is not None)
        self._note_shown = one.note if one else ""
        self.note.setText(self._note_shown)
        self.featured.setEnabled(bool(items))
        self.featured.setChecked(bool(items) and all(i.featured for i in items))
        self.update_tools(items)

    def flush_note(self) -> None:
        self._note_timer.stop()
        item = self.controller.model.item(self._note_item) if self._note_item else None
        if item is not None and item.note != self.note.text():
            self._note_shown = self.note.text()
            self.controller.change_items(
                [item.id],
                self.tr("Edit note"),
                merge_key=("note", item.id, self._note_run),
                note=self.note.text(),
            )

    def _rows_changed(self, top: QModelIndex, bottom: QModelIndex) -> None:
        """The chosen items' note and flag as they now are (an undo, a change from
        elsewhere), unless a note is being typed: it is saved over them (the last edit wins)."""
        model = self.controller.model
        row = model.item_row(self._note_item) if self._note_item else None
        if row is None or not top.row() <= row <= bottom.row():
            return
        item = model.item(self._note_item or "")
        if item is not None and self.note.text() == self._note_shown:
            self._note_shown = item.note
            self.note.setText(item.note)
        items = self.selected_items()
        self.featured.setChecked(bool(items) and all(i.featured for i in items))

    def _note_left(self) -> None:
        self.flush_note()
        self._note_run += 1

    def set_featured(self, on: bool) -> None:
        items = self.selected_items()
        if items:
            self.controller.change_items(
                [i.id for i in items],
                self.tr("Feature products") if on else self.tr("Unfeature products"),
                featured=on,
            )
            self.featured.setChecked(on)
