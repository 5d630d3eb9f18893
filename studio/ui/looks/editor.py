"""The look editor: photo canvas with hotspots, photo strip, catalog at hand, form and checks.

It assembles the parts and turns what they report into undoable commands (``commands.py``)
on ``undo_stack``; each command changes the ``LookSession``'s document at once and queues its
write on the writer lane (``writes``), so there is no Save button and no wait. A write that
fails anyway is said in the bar above the photo, and the document read again. The document is
read in a worker when a look opens; product cards (price, availability) and the photo preview
load in workers too. The last look, photo and zoom are kept in the window's settings so the
editor reopens where the curator left it.

What others write reaches the editor as ``Changes`` on ``TaskManager.changed``: the open look
is read again only when a change from elsewhere touched it (an archive import, a re-link, later
the sync) - never for its own edits, which it already shows; product cards are read again when
the catalog changed, the conflicts when the curator's ties did.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
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
from studio.core.looks import LookDocument
from studio.ui.looks.canvas import LookCanvas
from studio.ui.looks.checks_panel import ChecksPanel
from studio.ui.looks.crop_mode import EditorCropping
from studio.ui.looks.editor_edits import EditorEdits
from studio.ui.looks.editor_views import EditorViews
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
from studio.ui.widgets.colours import mute
from studio.ui.widgets.message_bar import MessageBar
from studio.ui.widgets.photo_import import PhotoImporter
from studio.ui.widgets.sheet_export import LookExporter
from studio.ui.widgets.writes import PageWrites

if TYPE_CHECKING:
    from studio.core.changes import Changes
    from studio.media.library import MediaLibrary
    from studio.store.catalog import CatalogStore
    from studio.store.looks import LookStore

log = logging.getLogger(__name__)


class LookEditor(QWidget, EditorCropping, EditorEdits, EditorViews):
    back_requested = Signal()
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
        self.writes = PageWrites(tasks, self, undo=self.undo_stack, resync=self.reread)
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
        self.hint.setStyleSheet("padding: 4px;")
        mute(self.hint)
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
        self.tasks.changed.connect(self._store_changed)
        self.writes.refused.connect(lambda reason: self.notice.show_message(reason, "error"))
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
        self._opening += 1
        opening = self._opening

        def show(doc: LookDocument | None) -> None:
            if opening == self._opening:  # else another look was asked for since
                self._show_document(doc)

        if self.writes.pending:  # its last edits may still be on their way: read after them
            self.writes.after(lambda: looks.document(look_id), show)
        else:
            self.tasks.run(lambda: looks.document(look_id), show, channel="look-document")

    def _show_document(self, doc: LookDocument | None) -> None:
        looks = self.looks
        if doc is None or looks is None:
            self.back_requested.emit()
            return
        self._leave_crop_mode()
        self.notice.clear()
        if self.session is not None:
            self.session.close()
        self.undo_stack.clear()
        self.session = LookSession(looks, doc, self.writes, self.tasks)
        self.session.changed.connect(self._refresh)
        self.session.gone.connect(self.back_requested)
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
        self.inspector.flush()  # typing still waiting for its pause belongs to this look
        if self.session is not None:
            self.session.close()
        self.session = None
        self.undo_stack.clear()
        self.update_crop_enabled()

    # -- refreshing -------------------------------------------------------------------------

    _opening = 0  # looks asked for: only the last one asked is shown

    def reread(self) -> None:
        """Read the open look again (a write failed, or it changed underneath)."""
        if self.session is not None:
            self.session.reread()

    def _store_changed(self, changes: Changes, origin: object) -> None:
        """A write committed somewhere: refresh what of it this editor shows (module doc)."""
        session = self.session
        if session is None or self.writes.own(origin):
            return  # nothing open, or an edit of ours: already shown
        if changes.touches_root("look", session.look_id) or changes.relinked:
            session.reread()
        if changes.catalog or changes.relinked:
            self._fetch_cards(force=True)
        if changes.touches("profile"):  # the curator's ties: other tags may conflict now
            self._watch_conflicts(force=True)

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
