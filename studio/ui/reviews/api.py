"""The Reviews workspace's public surface: ``ReviewsPage`` for the main window.

The page is the review list (``review_list``) beside the editor (``editor``) and the catalog
at hand (``CatalogPicker``): double-click a product there, drag it onto the list or the
editor, or press Ctrl+N with it selected, and a draft review of it is created. The store
checks the conflict-of-interest rule; a refusal is shown in the page's message bar with the
rule's reason and nothing is created.

The page is the ``ReviewWriter`` of the undo commands (``commands``): every undoable edit is
one store call here, after which the list row and the editor show what was stored. A new
review starts at 3 stars (the domain needs a rating; the middle one says "not decided yet").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence, QShowEvent, QUndoStack
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from studio.core.errors import StudioError
from studio.core.reviews import Review
from studio.ui.reviews.commands import FieldsCommand, PhotoCommand, ReorderCommand, TrashCommand
from studio.ui.reviews.controls import ProductDropFilter
from studio.ui.reviews.editor import ReviewEditor
from studio.ui.reviews.review_list import ReviewList
from studio.ui.tasks import TaskManager
from studio.ui.widgets.catalog_picker import CatalogPicker, product_refs
from studio.ui.widgets.message_bar import MessageBar

if TYPE_CHECKING:
    from studio.core.catalog import ProductCard
    from studio.core.looks import ProductRef
    from studio.media.library import MediaLibrary, StoredMedia
    from studio.services.workspace import Stores
    from studio.store.catalog import CatalogStore
    from studio.store.profile import ProfileStore
    from studio.store.reviews import ReviewStore
    from studio.system.paths import Paths
    from studio.ui.workspace import WorkspaceContext

NEW_RATING = 3


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
        self.review_list = ReviewList(tasks, reviews, self)
        self.editor = ReviewEditor(tasks, reviews, profile, media, self)
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
        heading.setStyleSheet("color: #5f6670;")
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
            ProductDropFilter(target).dropped.connect(self.create_from_catalog)
        self.review_list.view.setDragDropMode(self.review_list.view.DragDropMode.DropOnly)
        self.review_list.new_button.clicked.connect(self.new_review)
        self.review_list.review_selected.connect(self._open)
        self.review_list.trash_requested.connect(self.trash)
        self.review_list.restore_requested.connect(self.restore)
        self.picker.results.doubleClicked.connect(self._picked)
        self.editor.fields_requested.connect(self._fields_requested)
        self.editor.saved.connect(self.review_list.model.patch)
        self.editor.error.connect(self.message.show_message)
        self.editor.checks.trash_requested.connect(self.trash)
        self.editor.photos.imported.connect(self._photos_imported)
        self.editor.photos.remove_requested.connect(self._remove_photo)
        self.editor.photos.reorder_requested.connect(self._reorder_photos)
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

    def reload(self) -> None:
        """Read the list, the open review's product (own brand may have changed) again."""
        self.flush()
        self.review_list.refresh()
        self.editor.reload_product()
        if self.picker.searched:
            self.picker.refresh()

    def flush(self) -> None:
        self.editor.flush()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.picker.searched:
            self.picker.refresh()

    # -- creating ---------------------------------------------------------------------------

    def new_review(self) -> None:
        """Review the product selected in the catalog picker (Ctrl+N)."""
        ids = self.picker.selected_ids()
        if ids:
            self.create_from_catalog(ids[:1])
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
            self.create_from_catalog([int(product_id)])

    def create_from_catalog(self, ids: list[int]) -> None:
        """Create a draft review of the first of ``ids`` (catalog product ids)."""
        store = self.catalog()
        if store is None:
            self.message.show_message(self.tr("Open a catalog first to pick a product."))
            return
        self.flush()
        self.tasks.run(
            lambda: product_refs(store, ids[:1]),
            self._create,
            lambda exc: self.message.show_message(str(exc)),
        )

    def _create(self, refs: list[tuple[ProductRef, ProductCard]]) -> None:
        if not refs:
            self.message.show_message(self.tr("That product is no longer in the catalog."))
            return
        ref, card = refs[0]
        try:
            review = self.reviews.create(ref, NEW_RATING)
        except (StudioError, ValueError) as exc:
            self.message.show_message(self.tr("No review was created: {reason}").format(reason=exc))
            return
        self.message.clear()
        self._undo.push(
            TrashCommand(
                self,
                review.id,
                self.tr("New review of {title}").format(title=card.title),
                restore=True,
            )
        )
        self._show_new(review)

    def _show_new(self, review: Review) -> None:
        if self.review_list.trashed:
            self.review_list.trash_toggle.setChecked(False)
        self.editor.open_review(review)
        self.editor.show_photos(review.id, [])
        self.review_list.refresh(select=review.id)
        self.editor.title.setFocus()

    # -- opening ----------------------------------------------------------------------------

    def _open(self, review_id: str) -> None:
        if review_id == (self.editor.review_id or ""):
            return
        review = self.reviews.get(review_id) if review_id else None
        self.editor.open_review(review)
        if review is not None:
            self._show_photos(review.id)

    def _show_photos(self, review_id: str) -> None:
        review = self.reviews.get(review_id)
        if review is not None:
            self.editor.show_photos(
                review_id, list(zip(self.reviews.photo_ids(review_id), review.photos, strict=True))
            )

    def _reveal(self, review_id: str) -> None:
        """Undo and redo show the review they change."""
        if self.editor.review_id != review_id and not self.review_list.trashed:
            self.review_list.select(review_id)

    # -- edits: tried first, then pushed ----------------------------------------------------

    def _fields_requested(self, fields: dict[str, object]) -> None:
        review = self.editor.review
        if review is None:
            return
        before = {name: getattr(review, name) for name in fields}
        try:
            stored = self.reviews.update(review.id, **fields)
        except (StudioError, ValueError) as exc:
            self.message.show_message(str(exc))
            self.editor.show_fields(review)  # back to what is stored
            return
        after = {name: getattr(stored, name) for name in fields}
        self._stored(stored)
        if after != before:
            self._undo.push(FieldsCommand(self, review.id, before, after, self._edit_text(after)))

    def _edit_text(self, after: Mapping[str, object]) -> str:
        """The Edit menu's "Undo …" text for a field edit."""
        if "rating" in after:
            return self.tr("Rate {n} star(s)").format(n=after["rating"])
        if "provenance" in after:
            return self.tr("Change how I got it")
        return self.tr("Change the status")

    def _photos_imported(self, stored_media: list[StoredMedia], review_id: str) -> None:
        if self.reviews.get(review_id) is None:
            return
        if len(stored_media) > 1:
            self._undo.beginMacro(self.tr("Add {n} photos").format(n=len(stored_media)))
        for media in stored_media:
            photo_id = self.reviews.add_photo(review_id, media.hash)
            self._undo.push(
                PhotoCommand(self, review_id, photo_id, self.tr("Add a photo"), added=True)
            )
        if len(stored_media) > 1:
            self._undo.endMacro()
        self._show_photos(review_id)

    def _remove_photo(self, photo_id: str) -> None:
        review_id = self.editor.review_id
        if review_id:
            self.set_photo_removed(review_id, photo_id, True)
            self._undo.push(
                PhotoCommand(self, review_id, photo_id, self.tr("Remove a photo"), added=False)
            )

    def _reorder_photos(self, photo_ids: list[str]) -> None:
        review_id = self.editor.review_id
        if review_id:
            before = self.reviews.reorder_photos(review_id, photo_ids)
            self._show_photos(review_id)
            self._undo.push(
                ReorderCommand(self, review_id, before, photo_ids, self.tr("Reorder photos"))
            )

    def trash(self, review_id: str) -> None:
        self.set_trashed(review_id, True)
        self._undo.push(TrashCommand(self, review_id, self.tr("Move a review to the trash")))

    def restore(self, review_id: str) -> None:
        self.set_trashed(review_id, False)
        self._undo.push(TrashCommand(self, review_id, self.tr("Restore a review"), restore=True))

    # -- ReviewWriter -----------------------------------------------------------------------

    def _stored(self, review: Review) -> None:
        self.editor.show_fields(review)
        self.review_list.model.patch(review)

    def write_fields(self, review_id: str, fields: Mapping[str, object]) -> None:
        try:
            review = self.reviews.update(review_id, **fields)
        except (StudioError, ValueError) as exc:
            self.message.show_message(str(exc))
            return
        self._reveal(review_id)
        self._stored(review)

    def set_trashed(self, review_id: str, trashed: bool) -> None:
        if trashed:
            if self.editor.review_id == review_id:
                self.editor.flush()
                self.editor.open_review(None)
            self.reviews.trash(review_id)
            self.review_list.refresh()
        else:
            self.reviews.restore(review_id)
            self.review_list.refresh(select=review_id)

    def set_photo_removed(self, review_id: str, photo_id: str, removed: bool) -> None:
        if removed:
            self.reviews.remove_photo(photo_id)
        else:
            self.reviews.restore_photo(photo_id)
        self._reveal(review_id)
        self._show_photos(review_id)

    def order_photos(self, review_id: str, photo_ids: Sequence[str]) -> None:
        self.reviews.reorder_photos(review_id, photo_ids)
        self._reveal(review_id)
        self._show_photos(review_id)
