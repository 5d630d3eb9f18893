"""The Reviews workspace's edits: each one a write on the writer lane, never on the GUI thread.

``ReviewEdits`` is the page's ``ReviewWriter`` (``commands``): every edit of a review goes
through the page's ``PageWrites`` (``studio.ui.widgets.writes``), in one of its two ways:

- *optimistic*, for what the store cannot refuse: the rating and status (checked here by the
  domain's own value checks), photos added, removed and reordered (the photo's id is made
  here), a review sent to the trash. The editor and the list show the edit at once, then it
  is written; the stored record only brings its time stamp back to the list.
- *write, then show*, for what the store may refuse with a reason: a new review (the
  conflict-of-interest rule, a product that left the catalog) and a provenance (the rule
  again). The edit is written first; its ``on_done`` shows it and pushes its undo step, and a
  refusal is said in the message bar with nothing shown and nothing pushed.

What the store decides is read back after the write instead of guessed: a photo restored
takes its old place among the others, a review restored from the trash (or into it, when the
trash is shown) joins the list where its time stamp puts it. Such reads never show the store
as it was before an edit the page shows already (``review_list.read_after_writes``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoStack

from studio.core.looks import new_id
from studio.core.reviews import Provenance, Review, ReviewStatus, check_optional_rating
from studio.ui.reviews.commands import FieldsCommand, PhotoCommand, ReorderCommand, TrashCommand
from studio.ui.reviews.editor import ReviewEditor
from studio.ui.reviews.review_list import ReviewList, read_after_writes
from studio.ui.tasks import TaskManager
from studio.ui.widgets.catalog_picker import product_refs
from studio.ui.widgets.message_bar import MessageBar
from studio.ui.widgets.writes import PageWrites

if TYPE_CHECKING:
    from studio.core.catalog import ProductCard
    from studio.core.looks import ProductRef
    from studio.media.library import StoredMedia
    from studio.store.catalog import CatalogStore
    from studio.store.reviews import ReviewStore

Photos = list[tuple[str, str]]  # (photo id, media hash), in order


def field_values(fields: Mapping[str, object]) -> dict[str, object]:
    """The rating, provenance and status in ``fields`` as the store keeps them (ValueError
    for a value it would refuse: checked here, before anything is shown or written)."""
    out: dict[str, object] = {}
    for name, value in fields.items():
        if name == "rating":
            out[name] = check_optional_rating(value)
        elif name == "provenance":
            out[name] = Provenance(str(value))
        elif name == "status":
            out[name] = ReviewStatus(str(value))
        else:
            raise ValueError(f"a review's {name} is not edited here")
    return out


def with_fields(review: Review, fields: Mapping[str, Any]) -> Review:
    """``review`` with ``fields`` changed (the values as ``field_values`` made them)."""
    return dataclasses.replace(review, **fields)


class ReviewEdits(QObject):
    """Every edit of the Reviews page (see the module docstring)."""

    def __init__(
        self,
        tasks: TaskManager,
        reviews: ReviewStore,
        catalog: Callable[[], CatalogStore | None],
        writes: PageWrites,
        editor: ReviewEditor,
        review_list: ReviewList,
        message: MessageBar,
        undo: QUndoStack,
    ) -> None:
        super().__init__(editor)
        self.tasks = tasks
        self.reviews = reviews
        self.catalog = catalog
        self.writes = writes
        self.editor = editor
        self.list = review_list
        self.message = message
        self.undo = undo

    # -- creating (write, then show) --------------------------------------------------------

    def create_from_catalog(self, ids: list[int]) -> None:
        """Create a draft review of the first of ``ids`` (catalog product ids)."""
        store = self.catalog()
        if store is None:
            self.message.show_message(self.tr("Open a catalog first to pick a product."))
            return
        self.editor.flush()
        self.tasks.run(
            lambda: product_refs(store, ids[:1]),
            self._create,
            lambda exc: self.message.show_message(str(exc)),
            owner=self,
        )

    def _create(self, refs: list[tuple[ProductRef, ProductCard]]) -> None:
        if not refs:
            self.message.show_message(self.tr("That product is no longer in the catalog."))
            return
        ref, card = refs[0]
        reviews = self.reviews
        self.writes.write(
            lambda: reviews.create(ref),  # no rating until the curator gives one
            lambda review: self._created(review, card),
            on_refused=lambda reason: self.message.show_message(
                self.tr("No review was created: {reason}").format(reason=reason)
            ),
        )

    def _created(self, review: Review, card: ProductCard) -> None:
        self.message.clear()
        text = self.tr("New review of {title}").format(title=card.title)
        self.undo.push(TrashCommand(self, review.id, text, restore=True))
        if self.list.trashed:
            self.list.trash_toggle.setChecked(False)
        self.editor.open_review(review)
        self.editor.show_photos(review.id, [])
        self.list.refresh(select=review.id)  # its row: the store's summary of it
        self.editor.title.setFocus()

    # -- rating, provenance, status ---------------------------------------------------------

    def request_fields(self, fields: dict[str, object]) -> None:
        """The editor asks for a rating, provenance or status: the provenance is written
        then shown (the rule may refuse it), the others shown then written."""
        review = self.editor.review
        if review is None:
            return
        try:
            after = field_values(fields)
        except ValueError as exc:
            self.message.show_message(str(exc))
            self.editor.show_fields(review)
            return
        shown = with_fields(review, after)
        if shown.status is ReviewStatus.READY and shown.rating is None:
            self.message.show_message(
                self.tr("A review is ready only once it has a rating: give it 1 to 5 stars.")
            )
            self.editor.show_fields(review)
            return
        before = {name: getattr(review, name) for name in after}
        if after == before:
            return
        if "provenance" in after:
            self._write_provenance(review.id, before, after)
            return
        self._show_fields(review.id, after)
        self._write_fields(review.id, after)
        self.undo.push(FieldsCommand(self, review.id, before, after, self._edit_text(after)))

    def _write_provenance(
        self, review_id: str, before: dict[str, object], after: dict[str, object]
    ) -> None:
        reviews = self.reviews

        def done(stored: Review) -> None:
            # The rule may have chosen another provenance than asked (one's own brand).
            kept = {name: getattr(stored, name) for name in after}
            self._show_fields(review_id, kept)
            self.list.model.update(review_id, {"updated_at": stored.updated_at})
            if kept != before:
                self.undo.push(FieldsCommand(self, review_id, before, kept, self._edit_text(kept)))

        def refused(reason: str) -> None:
            self.message.show_message(reason)
            if self.editor.review is not None and self.editor.review_id == review_id:
                self.editor.show_fields(self.editor.review)  # the choice goes back

        self.writes.write(lambda: reviews.update(review_id, **after), done, on_refused=refused)

    def _edit_text(self, after: Mapping[str, object]) -> str:
        """The Edit menu's "Undo …" text for a field edit."""
        if "rating" in after:
            rating = after["rating"]
            if isinstance(rating, int):
                return self.tr("Rate %n stars", "", rating)
            return self.tr("Take the rating back")
        if "provenance" in after:
            return self.tr("Change how I got it")
        return self.tr("Change the status")

    def _show_fields(self, review_id: str, fields: Mapping[str, object]) -> None:
        editor = self.editor
        if editor.review is not None and editor.review_id == review_id:
            shown = with_fields(editor.review, fields)
            editor.show_fields(shown)
            self.list.model.patch(shown)
        else:
            self.list.model.update(review_id, dict(fields))

    def _write_fields(self, review_id: str, fields: Mapping[str, object]) -> None:
        reviews, values = self.reviews, dict(fields)
        self.writes.write(
            lambda: reviews.update(review_id, **values),
            lambda stored: self.list.model.update(review_id, {"updated_at": stored.updated_at}),
        )

    # -- photos ------------------------------------------------------------------------------

    def _shown_photos(self, review_id: str) -> Photos | None:
        """The photos the strip shows of ``review_id`` (None when it shows another)."""
        if self.editor.review_id != review_id:
            return None
        return self.editor.photos.photos()

    def add_photos(self, stored_media: list[StoredMedia], review_id: str) -> None:
        """Photos the pipeline stored for ``review_id``: shown at the end of the strip, each
        written with the id made here, one undo step together."""
        added = [(new_id(), media.hash) for media in stored_media]
        shown = self._shown_photos(review_id)
        if shown is not None:
            self.editor.show_photos(review_id, shown + added)
        if len(added) > 1:
            self.undo.beginMacro(self.tr("Add %n photos", "", len(added)))
        reviews = self.reviews
        for photo_id, media_hash in added:
            self.writes.write(partial(reviews.add_photo, review_id, media_hash, photo_id=photo_id))
            self.undo.push(
                PhotoCommand(self, review_id, photo_id, self.tr("Add a photo"), added=True)
            )
        if len(added) > 1:
            self.undo.endMacro()

    def remove_photo(self, photo_id: str) -> None:
        review_id = self.editor.review_id
        if review_id:
            self.set_photo_removed(review_id, photo_id, True)
            self.undo.push(
                PhotoCommand(self, review_id, photo_id, self.tr("Remove a photo"), added=False)
            )

    def reorder_photos(self, photo_ids: list[str]) -> None:
        review_id = self.editor.review_id
        shown = self._shown_photos(review_id or "")
        if not review_id or shown is None:
            return
        before = [p for p, _h in shown]
        if before != photo_ids:
            self.order_photos(review_id, photo_ids)
            self.undo.push(
                ReorderCommand(self, review_id, before, photo_ids, self.tr("Reorder photos"))
            )

    def _read_photos(self, review_id: str) -> None:
        """Show the review's photos as the store has them once the writes before are in."""
        reviews = self.reviews

        def read() -> Photos:
            review = reviews.get(review_id)
            if review is None:
                return []
            return list(zip(reviews.photo_ids(review_id), review.photos, strict=True))

        read_after_writes(
            self.tasks,
            self.writes,
            read,
            lambda photos: self.editor.show_photos(review_id, photos),
            channel="review-photos",
            owner=self,
        )

    # -- the trash ---------------------------------------------------------------------------

    def trash(self, review_id: str) -> None:
        self.set_trashed(review_id, True)
        self.undo.push(TrashCommand(self, review_id, self.tr("Move a review to the trash")))

    def restore(self, review_id: str) -> None:
        self.set_trashed(review_id, False)
        self.undo.push(TrashCommand(self, review_id, self.tr("Restore a review"), restore=True))

    # -- ReviewWriter: shown at once (or read back), written on the lane ---------------------

    def write_fields(self, review_id: str, fields: Mapping[str, object]) -> None:
        self._reveal(review_id)
        self._show_fields(review_id, fields)
        self._write_fields(review_id, fields)

    def set_trashed(self, review_id: str, trashed: bool) -> None:
        reviews = self.reviews
        if trashed and self.editor.review_id == review_id:
            self.editor.flush()
            self.editor.open_review(None)
        if trashed:
            self.writes.write(lambda: reviews.trash(review_id))
        else:
            self.writes.write(lambda: reviews.restore(review_id))
        if self.list.trashed != trashed:
            self.list.take(review_id)  # it leaves what the list shows
        else:  # it joins the list: where, and with what summary, is the store's to say
            self.list.refresh(select=None if trashed else review_id)

    def set_photo_removed(self, review_id: str, photo_id: str, removed: bool) -> None:
        reviews = self.reviews
        self._reveal(review_id)
        if removed:
            shown = self._shown_photos(review_id)
            if shown is not None:
                self.editor.show_photos(review_id, [p for p in shown if p[0] != photo_id])
            self.writes.write(lambda: reviews.remove_photo(photo_id))
        else:
            self.writes.write(lambda: reviews.restore_photo(photo_id))
            self._read_photos(review_id)  # back in its old place among the others

    def order_photos(self, review_id: str, photo_ids: Sequence[str]) -> None:
        reviews, order = self.reviews, list(photo_ids)
        self._reveal(review_id)
        shown = self._shown_photos(review_id)
        if shown is not None:
            hashes = dict(shown)
            self.editor.show_photos(review_id, [(p, hashes[p]) for p in order if p in hashes])
        self.writes.write(lambda: reviews.reorder_photos(review_id, order))

    def _reveal(self, review_id: str) -> None:
        """Undo and redo show the review they change."""
        if self.editor.review_id != review_id and not self.list.trashed:
            self.list.select(review_id)
