"""The look editor: photo canvas with hotspots, photo strip, catalog at hand, form and checks.

It assembles the parts and turns what they report into undoable commands (``commands.py``)
on ``undo_stack``; each command writes through the ``LookSession`` at once, so there is no
Save button. The document is read in a worker when a look opens; product cards (price,
availability) and the photo preview load in workers too. The last look, photo and zoom are
kept in the window's settings so the editor reopens where the curator left it.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QImage, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.catalog import ProductCard
from studio.core.look_checks import check_look
from studio.core.looks import Crop, LookDocument, LookPhoto
from studio.ui.looks.canvas import LookCanvas
from studio.ui.looks.checks_panel import ChecksPanel
from studio.ui.looks.crop_mode import EditorCropping
from studio.ui.looks.editor_edits import EditorEdits
from studio.ui.looks.fixes import CheckFixer
from studio.ui.looks.images import CoverLoader, PreviewLoader
from studio.ui.looks.inspector import Inspector
from studio.ui.looks.photo_strip import PhotoStrip
from studio.ui.looks.products_panel import ProductsPanel
from studio.ui.looks.quick_tag import QuickTagPopup
from studio.ui.looks.session import LookSession
from studio.ui.looks.tagging import Tagger
from studio.ui.tasks import TaskManager
from studio.ui.widgets.checks import ConflictWatch

if TYPE_CHECKING:
    from studio.media.library import MediaLibrary
    from studio.store.catalog import CatalogStore
    from studio.store.looks import LookStore
from studio.ui.widgets.message_bar import MessageBar
from studio.ui.widgets.photo_import import PhotoImporter
from studio.ui.widgets.sheet_export import LookExporter

log = logging.getLogger(__name__)


class LookEditor(QWidget, EditorCropping, EditorEdits):
    back_requested = Signal()
    #: the open look's record changed in the store (the library refreshes on it)
    look_changed = Signal(str)
    #: a document was shown (after open_look)
    opened = Signal(str)

    def __init__(
        self,
        tasks: TaskManager,
        image_cache: Path | None,
        catalog: Callable[[], CatalogStore | None],
        settings: QSettings | None = None,
        parent: QWidget | None = None,
        *,
        covers: CoverLoader | None = None,
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.catalog = catalog  # () -> CatalogStore | None
        self.settings = settings
        self.looks: LookStore | None = None
        self.media: MediaLibrary | None = None
        self.session: LookSession | None = None
        self.cards: dict[int, ProductCard] = {}
        self.cards_ready = False
        self.undo_stack = QUndoStack(self)
        self.covers = covers if covers is not None else CoverLoader(tasks, self)
        self.previews = PreviewLoader(tasks, None, self)
        self.canvas = LookCanvas(self)
        self.strip = PhotoStrip(self.covers, self)
        self.inspector = Inspector(self)
        self.products = ProductsPanel(tasks, image_cache, catalog, self)
        self.checks = ChecksPanel(self)
        self.importer = PhotoImporter(tasks, self)
        self.exporter = LookExporter(tasks, self, lambda: (self.looks, self.catalog(), self.media))
        self.quick_tag = QuickTagPopup(tasks, catalog, self)
        self.tagger = Tagger(self, self)
        self.fixer = CheckFixer(self, self)
        self.conflicts = ConflictWatch(tasks, "look-conflicts", self)  # tags a tie forbids now
        self._build()
        self._wire()

    # -- layout -----------------------------------------------------------------------------

    def _build(self) -> None:
        self.back_button = QPushButton(self.tr("‹ All looks"), self)
        self.back_button.setFlat(True)
        self.heading = QLabel(self)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.zoom_label = QLabel(self)
        self.zoom_label.setMinimumWidth(48)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        zoom_out = self._tool("−", self.tr("Zoom out"), self.canvas.zoom_out)
        zoom_in = self._tool("+", self.tr("Zoom in"), self.canvas.zoom_in)
        fit = self._tool(self.tr("Fit"), self.tr("Fit the photo"), self.canvas.fit)
        self.stage = QWidget(self)
        stage_layout = QVBoxLayout(self.stage)
        stage_layout.setContentsMargins(0, 0, 0, 0)
        self._build_crop_mode(self.stage, stage_layout)
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.heading, 1)
        for w in (self.crop_button, zoom_out, self.zoom_label, zoom_in, fit):
            top.addWidget(w)
        self.notice = MessageBar(self.stage)  # a refused tag's reason, above the photo
        stage_layout.addWidget(self.notice)
        stage_layout.addWidget(self.canvas, 1)
        stage_layout.addWidget(self.strip)
        self.hint = QLabel(
            self.tr(
                "Add a photo: drop image files here, paste one (Ctrl+V) or use + beside the strip."
            ),
            self.stage,
        )
        self.hint.setStyleSheet("color: #8b949e; padding: 4px;")
        stage_layout.addWidget(self.hint)
        details = QScrollArea(self)
        details.setWidgetResizable(True)
        details.setFrameShape(QScrollArea.Shape.NoFrame)
        details.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        details.setWidget(self.inspector)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(details, self.tr("Details"))
        self.tabs.addTab(self.checks, self.tr("Checks"))
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("lookEditorSplitter")
        self.splitter.addWidget(self.products)
        self.splitter.addWidget(self.stage)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(1, False)
        self.products.setMinimumWidth(260)
        self.tabs.setMinimumWidth(300)
        self.splitter.setSizes([340, 700, 340])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        for text, keys, slot in (
            (self.tr("Zoom in"), ["Ctrl+=", "Ctrl++"], self.canvas.zoom_in),
            (self.tr("Zoom out"), ["Ctrl+-"], self.canvas.zoom_out),
            (self.tr("Fit the photo"), ["Ctrl+0"], self.canvas.fit),
            (self.tr("Paste a photo"), ["Ctrl+V"], self.paste),
        ):
            action = QAction(text, self.stage)
            action.setShortcuts([QKeySequence(self.tr(k)) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.stage.addAction(action)
        remove = QAction(self.tr("Remove the photo"), self.strip.list)
        remove.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        remove.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        remove.triggered.connect(self.strip._remove)
        self.strip.list.addAction(remove)

    def _tool(self, text: str, name: str, slot: Callable[[], object]) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(name)
        button.setAccessibleName(name)
        button.setAutoRaise(True)
        button.clicked.connect(slot)
        return button

    def _wire(self) -> None:
        self.back_button.clicked.connect(self.back_requested)
        self.previews.ready.connect(self._preview_ready)
        self.canvas.zoom_changed.connect(self._zoom_changed)
        self.canvas.hotspot_selected.connect(self._hotspot_selected)
        self.canvas.hotspot_moved.connect(self._hotspot_moved)
        self.canvas.nudge_requested.connect(self._nudge)
        self.canvas.delete_requested.connect(self.delete_hotspot)
        self.canvas.products_dropped.connect(self.tagger.tag_products)
        self.canvas.point_clicked.connect(self._point_clicked)
        self.canvas.files_dropped.connect(self.import_photos)
        self.canvas.crop.changed.connect(self.inspector.show_crop)
        self.quick_tag.chosen.connect(self.tagger.tag_chosen)
        self.strip.current_changed.connect(self.show_photo)
        self.strip.add_requested.connect(self.choose_photos)
        self.strip.files_dropped.connect(self.import_photos)
        self.strip.remove_requested.connect(self.remove_photo)
        self.strip.moved.connect(self._photo_moved)
        self.importer.imported.connect(self._photos_imported)
        self.inspector.look_edited.connect(self._look_edited)
        self.inspector.photo_edited.connect(self._photo_edited)
        self.inspector.hotspot_edited.connect(self._hotspot_edited)
        self.inspector.hotspot_delete_requested.connect(self.delete_hotspot)
        self.products.hotspot_chosen.connect(self.canvas.select_hotspot)
        self.checks.fix_requested.connect(self.fixer.fix)
        self.checks.remove_requested.connect(lambda issue: self.delete_hotspot(issue.hotspot_id))
        self.conflicts.changed.connect(self.run_checks)
        # Shown again, the checks read the conflicts again: ties may have been declared since.
        self.tabs.currentChanged.connect(
            lambda i: (
                self._watch_conflicts(force=True) if self.tabs.widget(i) is self.checks else None
            )
        )

    # -- opening ----------------------------------------------------------------------------

    def set_sources(self, looks: LookStore, media: MediaLibrary | None) -> None:
        self.looks = looks
        self.media = media
        if self.covers.media is None:
            self.covers.media = media
        self.previews.media = media
        self.importer.media = media
        # The catalog list beside the photo is filled when a look first opens (below), not
        # at start-up: a hidden list of a million products would cost memory and a query.

    @property
    def doc(self) -> LookDocument | None:
        return self.session.doc if self.session is not None else None

    def open_look(self, look_id: str) -> None:
        looks = self.looks
        if looks is None:
            return
        self.tasks.run(
            lambda: looks.document(look_id), self._show_document, channel="look-document"
        )

    def _show_document(self, doc: LookDocument | None) -> None:
        looks = self.looks
        if doc is None or looks is None:
            self.back_requested.emit()
            return
        self._leave_crop_mode()
        self.notice.clear()
        if self.session is not None:
            self.session.deleteLater()
        self.undo_stack.clear()
        self.session = LookSession(looks, doc, self)
        self.session.changed.connect(self._changed)
        self.cards, self.cards_ready = {}, False
        self.conflicts.forget()
        # Read before the first paint of the photo, which fits it (and remembers that).
        zoom = (
            self._setting("looks/zoom")
            if doc.look.id == self._setting("looks/last_look")
            else "fit"
        )
        self._remember("looks/last_look", doc.look.id)
        wanted = self._setting("looks/last_photo")
        current = (
            wanted if doc.photo(wanted) is not None else (doc.photos[0].id if doc.photos else "")
        )
        self._current_photo = current
        self._refresh("all")
        if zoom and zoom != "fit":
            try:
                self.canvas.set_zoom(float(zoom))
            except ValueError:
                self.canvas.fit()
        else:
            self.canvas.fit()
        if not self.products.searched:
            self.products.refresh()
        self.opened.emit(doc.look.id)

    def close_look(self) -> None:
        self._leave_crop_mode()
        if self.session is not None:
            self.session.deleteLater()
        self.session = None
        self.undo_stack.clear()
        self.update_crop_enabled()

    # -- refreshing -------------------------------------------------------------------------

    _current_photo = ""
    _shown_key: tuple[object, ...] | None = None  # the photo, crop and turn on the canvas

    @property
    def current_photo(self) -> LookPhoto | None:
        doc = self.doc
        return doc.photo(self._current_photo) if doc is not None else None

    def _changed(self, kind: str) -> None:
        self._refresh(kind)
        if self.doc is not None:
            self.look_changed.emit(self.doc.look.id)

    def _refresh(self, kind: str) -> None:
        doc = self.doc
        if doc is None:
            return
        if kind in ("look", "all"):
            self.heading.setText(doc.look.title)
            self.inspector.show_look(doc.look)
        if kind in ("photos", "all"):
            if doc.photo(self._current_photo) is None:
                self._current_photo = doc.photos[-1].id if doc.photos else ""
            self.strip.set_photos(doc.photos, self._current_photo)
            self.hint.setVisible(not doc.photos)
            self.show_photo(self._current_photo, force=True)
        self._refresh_hotspots()
        self._fetch_cards()
        self._watch_conflicts()
        self.run_checks()

    def _watch_conflicts(self, *, force: bool = False) -> None:
        doc = self.doc
        if doc is not None and self.looks is not None:
            self.conflicts.watch(self.looks.db, [h.product for h in doc.hotspots], force=force)

    def show_photo(self, photo_id: str, *, force: bool = False) -> None:
        """Show one photo of the look on the canvas (its preview loads in a worker)."""
        if photo_id == self._current_photo and not force and self._shown_key is not None:
            return
        if photo_id != self._current_photo:
            self._leave_crop_mode()  # the pending crop belongs to the photo left behind
        self._current_photo = photo_id
        photo = self.canvas_photo()
        key = (photo.id, photo.crop, photo.rotation) if photo is not None else None
        if key != self._shown_key:
            self._shown_key = key
            self.canvas.set_photo(photo, None)
            if photo is not None and self.media is not None:
                self.previews.request(photo)
        self.strip.select(photo_id)
        self.update_crop_enabled()
        self.inspector.show_photo(self.current_photo)
        if self.canvas.crop.active:
            self.inspector.show_crop(self.canvas.crop.pending)
        self._remember("looks/last_photo", photo_id)
        self._refresh_hotspots()

    def canvas_photo(self) -> LookPhoto | None:
        """The photo as the canvas shows it: uncropped while cropping."""
        photo = self.current_photo
        if photo is not None and self.canvas.crop.active:
            return dataclasses.replace(photo, crop=Crop())
        return photo

    def _preview_ready(self, photo_id: str, image: QImage) -> None:
        photo = self.canvas_photo()
        if photo is not None and photo.id == photo_id:
            self.canvas.set_photo(photo, image)

    def labels(self) -> dict[str, str]:
        doc = self.doc
        if doc is None:
            return {}
        out = {}
        for h in doc.hotspots:
            card = self.cards.get(h.product.product_id or -1)
            out[h.id] = h.label or (card.title if card is not None else "")
        return out

    def _refresh_hotspots(self) -> None:
        doc = self.doc
        if doc is None:
            return
        numbers = self.session.numbers() if self.session is not None else {}
        self.canvas.set_hotspots(doc.hotspots, numbers, self.labels())
        selected = self.canvas.selected_hotspot()
        self.products.show_tagged(doc.hotspots, numbers, self.cards, selected)
        self._hotspot_selected(selected)

    def _fetch_cards(self) -> None:
        doc, store = self.doc, self.catalog()
        if doc is None or store is None:
            return
        ids = sorted(
            {h.product.product_id for h in doc.hotspots if h.product.product_id is not None}
        )
        if self.cards_ready and set(ids) <= set(self.cards):
            return
        self.tasks.run(lambda: store.cards(ids), self._cards_arrived, channel="look-cards")

    def _cards_arrived(self, cards: list[ProductCard]) -> None:
        self.cards = {c.id: c for c in cards}
        self.cards_ready = True
        self._refresh_hotspots()
        self.run_checks()

    def run_checks(self) -> None:
        doc = self.doc
        if doc is None or not self.cards_ready:
            return
        availability = {pid: c.availability for pid, c in self.cards.items()}
        issues = check_look(doc, availability, self.conflicts.reasons)
        photo_numbers = {p.id: i for i, p in enumerate(doc.photos, start=1)}
        numbers = self.session.numbers() if self.session is not None else {}
        self.checks.show_issues(issues, numbers, photo_numbers)
        self.tabs.setTabText(
            1, self.tr("Checks ({n})").format(n=len(issues)) if issues else self.tr("Checks")
        )

    def _hotspot_selected(self, hotspot_id: str) -> None:
        session = self.session
        hotspot = session.hotspot(hotspot_id) if session is not None else None
        number = session.numbers().get(hotspot_id, 0) if session is not None else 0
        text = ""
        if hotspot is not None:
            card = self.cards.get(hotspot.product.product_id or -1)
            text = (
                card.title
                if card is not None
                else self.tr("No longer in the catalog ({offer})").format(
                    offer=hotspot.product.offer_id
                )
            )
        self.inspector.show_hotspot(hotspot, number, text)

    def _zoom_changed(self, zoom: float) -> None:
        self.zoom_label.setText(f"{zoom * 100:.0f} %")
        if self.session is not None:  # not the fit of an empty canvas before a look opens
            self._remember("looks/zoom", "fit" if self.canvas.fitted else f"{zoom:.4f}")

    def _remember(self, key: str, value: str) -> None:
        if self.settings is not None:
            self.settings.setValue(key, value)

    def _setting(self, key: str) -> str:
        return str(self.settings.value(key, "")) if self.settings is not None else ""

    # -- export -----------------------------------------------------------------------------

    def export(self, fmt: str) -> None:
        if self.doc is not None:
            self.exporter.choose_and_export(self.doc.look.id, self.doc.look.title, fmt)
