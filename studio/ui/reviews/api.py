"""The Reviews workspace's public surface: ``ReviewsPage`` for the main window.

The page is the review list (``review_list``) beside the editor (``editor``) and the catalog
at hand (``CatalogPicker``): double-click a product there, drag it onto the list or the
editor, or press Ctrl+N with it selected, and a draft review of it is created. The store
checks the conflict-of-interest rule; a refusal is shown in the page's message bar with the
rule's reason and nothing is created.

Every edit is a write on the writer lane, never on the GUI thread (``edits``: the page's
``ReviewWriter``, through its ``PageWrites``). The page hears every committed write on
``TaskManager.changed`` and re-reads only what a write from ELSEWHERE touched (its own edits
are shown already): the list when reviews, the profile's ties or the catalog changed; the
open review when it was the one written (keeping text being typed); the product's facts when
the profile's ties or the catalog changed. The picker follows the catalog by itself. A new
review starts at 3 stars (``edits.NEW_RATING``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence, QShowEvent, QUndoStack
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from studio.core.changes import Changes
from studio.core.reviews import Review
from studio.ui.reviews.controls import ProductDropFilter
from studio.ui.reviews.editor import ReviewEditor
from studio.ui.reviews.edits import Photos, ReviewEdits
from studio.ui.reviews.review_list import ReviewList, read_after_writes
from studio.ui.tasks import TaskManager
from studio.ui.widgets.catalog_picker import CatalogPicker
from studio.ui.widgets.colours import mute
from studio.ui.widgets.message_bar import MessageBar
from studio.ui.widgets.writes import PageWrites

if TYPE_CHECKING:
    from studio.media.library import MediaLibrary
    from studio.services.workspace import Stores
    from studio.store.catalog import CatalogStore
    from studio.store.profile import ProfileStore
    from studio.store.reviews import ReviewStore
    from studio.system.paths import Paths
    from studio.ui.workspace import WorkspaceContext


def build_workspace(ctx: WorkspaceContext) -> ReviewsPage:
    s = ctx.stores
    assert s is not None and s.reviews is not None and s.profile is not None and s.media is not None
    return ReviewsPage(ctx.tasks, s.reviews, s.profile, s.media, ctx.catalog, ctx.paths, ctx.parent)


class ReviewsPage(QWidget):
    """Reviews: the list, the editor of the chosen review, and the catalog to pick from."""

    name = "reviews"

    def __init__(
        self,
        tasks: TaskManager,
        reviews: ReviewStore,
        profile: ProfileStore,
        media: MediaLibrary,
        catalog: Callable[[], CatalogStore | None],
        paths: Paths,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reviewsPage")
        self.title = self.tr("Reviews")
        self.tasks = tasks
        self.reviews = reviews
        self.catalog = catalog
        self._undo = QUndoStack(self)
        self.message = MessageBar(self)
        self.writes = PageWrites(tasks, self, undo=self._undo, resync=self._resync)
        self.review_list = ReviewList(tasks, reviews, self)
        self.review_list.writes = self.writes
        self.editor = ReviewEditor(tasks, reviews, profile, media, self.writes, self)
        self.edits = ReviewEdits(
            tasks,
            reviews,
            catalog,
            self.writes,
            self.editor,
            self.review_list,
            self.message,
            self._undo,
        )
        self.picker = CatalogPicker(
            tasks,
            paths.image_cache,
            catalog,
            self.tr("Search the catalog to review a product"),
            channel="reviews-picker",
            parent=self,
        )
        self.picker.results.setToolTip(
            self.tr("Double-click a product, or drag it onto the list, to review it")
        )
        picker_box = QWidget(self)
        box = QVBoxLayout(picker_box)
        box.setContentsMargins(6, 6, 6, 6)
        heading = QLabel(
            self.tr("Catalog: double-click or drag a product to review it"), picker_box
        )
        heading.setWordWrap(True)
        mute(heading)
        box.addWidget(heading)
        box.addWidget(self.picker, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.review_list)
        self.splitter.addWidget(self.editor)
        self.splitter.addWidget(picker_box)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([340, 640, 300])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.message)
        layout.addWidget(self.splitter, 1)
        # Ctrl+N anywhere in the page; the main window lends its own Ctrl+N to the shown
        # page's ``new_action`` (two active shortcuts on one key would both be dead).
        self.new_action = QAction(self.tr("New review"), self)
        self.new_action.setShortcut(QKeySequence(QKeySequence.StandardKey.New))
        self.new_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.new_action)
        self.new_action.setToolTip(self.tr("Review the product selected in the catalog (Ctrl+N)"))
        self.new_action.triggered.connect(self.new_review)
        for target in (self.review_list.view.viewport(), self.editor):
            ProductDropFilter(target).dropped.connect(self.edits.create_from_catalog)
        self.review_list.view.setDragDropMode(self.review_list.view.DragDropMode.DropOnly)
        self.review_list.new_button.clicked.connect(self.new_review)
        self.review_list.review_selected.connect(self._open)
        self.review_list.trash_requested.connect(self.edits.trash)
        self.review_list.restore_requested.connect(self.edits.restore)
        self.picker.results.doubleClicked.connect(self._picked)
        self.editor.fields_requested.connect(self.edits.request_fields)
        self.editor.edited.connect(self.review_list.model.patch)
        self.editor.saved.connect(
            lambda stored: self.review_list.model.update(
                stored.id, {"updated_at": stored.updated_at}
            )
        )
        self.editor.error.connect(self.message.show_message)
        self.editor.checks.trash_requested.connect(self.edits.trash)
        self.editor.photos.imported.connect(self.edits.add_photos)
        self.editor.photos.remove_requested.connect(self.edits.remove_photo)
        self.editor.photos.reorder_requested.connect(self.edits.reorder_photos)
        self.writes.refused.connect(self.message.show_message)
        tasks.changed.connect(self._changed)
        self.review_list.refresh()

    # -- Workspace --------------------------------------------------------------------------

    @property
    def undo_stack(self) -> QUndoStack:
        """The page's undo stack: field edits, photos and the trash of every review."""
        return self._undo

    @property
    def owns_undo_keys(self) -> bool:
        return False

    def can_export(self) -> bool:
        return False

    def export(self, fmt: str) -> None:
        pass

    def attach(self, stores: Stores) -> None:
        pass  # built with its stores

    def activate(self) -> None:
        pass

    def save_state(self, settings: QSettings) -> None:
        self.flush()
        settings.setValue("reviews/splitter", self.splitter.saveState())
        settings.setValue("reviews/open", self.editor.review_id or "")

    def restore_state(self, settings: QSettings) -> None:
        state = settings.value("reviews/splitter")
        if state is not None:
            self.splitter.restoreState(state)
        last = str(settings.value("reviews/open", "") or "")
        if last:
            self.review_list.refresh(select=last)

    def flush(self) -> None:
        self.editor.flush()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.picker.searched:
            self.picker.refresh()

    # -- creating ---------------------------------------------------------------------------

    def add_products(self, product_ids: Sequence[int]) -> str | None:
        """Catalog > Write a review: a new draft review of the first product, opened."""
        self.edits.create_from_catalog([int(i) for i in product_ids[:1]])
        return None

    def new_review(self) -> None:
        """Review the product selected in the catalog picker (Ctrl+N)."""
        ids = self.picker.selected_ids()
        if ids:
            self.edits.create_from_catalog(ids[:1])
            return
        self.picker.search.setFocus()
        self.message.show_message(
            self.tr(
                "Pick the product to review in the catalog on the right: double-click it, or "
                "select it and press Ctrl+N."
            ),
            "info",
        )

    def _picked(self, index: QModelIndex) -> None:
        product_id = self.picker.model.product_id(index.row())
        if product_id is not None:
            self.edits.create_from_catalog([int(product_id)])

    # -- reading -----------------------------------------------------------------------------

    def _read(
        self, review_id: str, show: Callable[[tuple[Review | None, Photos]], object], channel: str
    ) -> None:
        """Read a review and its photos (None: gone), never as they were before an edit the
        page shows already (``read_after_writes``)."""
        reviews = self.reviews

        def read() -> tuple[Review | None, Photos]:
            review = reviews.get(review_id)
            if review is None:
                return None, []
            return review, list(zip(reviews.photo_ids(review_id), review.photos, strict=True))

        read_after_writes(self.tasks, self.writes, read, show, channel=channel, owner=self)

    def _open(self, review_id: str) -> None:
        if review_id == (self.editor.review_id or ""):
            return
        if not review_id:
            self.editor.open_review(None)
            return
        self.editor.flush()
        self._read(review_id, self._opened, "review-open")

    def _opened(self, found: tuple[Review | None, Photos]) -> None:
        review, photos = found
        # The user may have chosen another review while this one was read.
        if review is None or review.id != self.review_list.current_id():
            return
        if review.id != self.editor.review_id:
            self.editor.open_review(review)
        self.editor.show_photos(review.id, photos)

    def _reread(self, review_id: str) -> None:
        """The open review as stored now (another source changed it), typing kept."""

        def show(found: tuple[Review | None, Photos]) -> None:
            if self.editor.review_id == review_id:
                self.editor.refresh_review(*found)

        self._read(review_id, show, "review-reread")

    # -- what changed elsewhere --------------------------------------------------------------

    def _changed(self, changes: Changes, origin: object) -> None:
        """A write committed: re-read what it touched, unless it was this page's own."""
        if self.writes.own(origin):
            return  # shown already, as it was made
        ties = changes.touches("profile", "affiliation")
        products = changes.catalog or changes.relinked
        if changes.ids("review") or ties or products:
            self.review_list.refresh()
        open_id = self.editor.review_id
        if open_id is None:
            return
        if changes.touches_root("review", open_id):
            self._reread(open_id)  # reads the product's facts again too
        elif ties or products:
            self.editor.reload_product()

    def _resync(self) -> None:
        """A write of this page failed: show what is stored (its reason is said already)."""
        self.review_list.refresh()
        if self.editor.review_id:
            self._reread(self.editor.review_id)
