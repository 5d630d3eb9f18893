"""The review editor: the product, the rating, the words, the photos and the disclosure.

Typed text (title, body, pros, cons) saves as the user types: every change restarts a short
timer (``SAVE_DELAY_MS``) whose timeout queues the four texts on the writer lane
(``ReviewStore.update`` through the page's ``PageWrites``: never on the GUI thread, shown at
once, saved when the store is free), and ``flush()`` queues them at once when the user leaves
a text box, opens another review or leaves the page, so a kill loses at most the last pause's
worth of typing. A text the store could not save stays in the boxes, said in the message bar,
and is written again with the next change. Text boxes keep their own undo for typing (see
``commands``). The rating, provenance and status are REQUESTED with ``fields_requested`` and
made by the page as undoable steps; it calls ``show_fields`` with what it shows.

When another source changed the open review (an archive import, the sync, a second window),
``refresh_review`` shows the stored review without touching text being typed: the boxes keep
the typing in progress, which the next save writes.

The disclosure is derived from the provenance and the product's brand
(``studio.core.reviews.disclosure``; a brand the curator declared as paying them is named) and
shown read-only: nothing here can remove it. The Checks tab (``checks``) lists what to fix
before sharing.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from studio.core.money import Money
from studio.core.reviews import Provenance, Review, ReviewStatus, body_html, disclosure, word_count
from studio.core.rules import check_product
from studio.ui.reviews.checks import ReviewChecks
from studio.ui.reviews.form import ReviewForm
from studio.ui.tasks import TaskManager
from studio.ui.widgets.colours import mute
from studio.ui.widgets.labels import format_money

if TYPE_CHECKING:
    from studio.media.library import MediaLibrary
    from studio.store.curation_rows import ProductInfo
    from studio.store.profile import ProfileStore
    from studio.store.reviews import ReviewStore
    from studio.ui.widgets.writes import PageWrites

SAVE_DELAY_MS = 250
TEXT_FIELDS = ("title", "body", "pros", "cons")


def product_facts(
    reviews: ReviewStore, profile: ProfileStore, review: Review
) -> tuple[ProductInfo | None, bool, bool]:
    """Worker: the catalog row of the review's product (None when it left the catalog), and
    whether the curator declared its brand as their own, and as paying them."""
    info = reviews.product_info(review.product)
    if info is None:
        return None, False, False
    verdict = check_product(profile.affiliations(), info.brand, info.category)
    return info, verdict.own_brand, verdict.paid_by


def text_lines(text: str) -> tuple[str, ...]:
    """Pros or cons as the store keeps them: one per line, trimmed, blank lines dropped."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


class ReviewEditor(QWidget):
    """Edits one review; ``edited(review)`` when typed text is queued for saving (as it will
    be stored), ``saved(review)`` once stored, ``error(text)`` on failure."""

    fields_requested = Signal(dict)
    edited = Signal(object)
    saved = Signal(object)
    error = Signal(str)

    def __init__(
        self,
        tasks: TaskManager,
        reviews: ReviewStore,
        profile: ProfileStore,
        media: MediaLibrary,
        writes: PageWrites,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._writes = writes
        self._reviews = reviews
        self._profile = profile
        self.review: Review | None = None
        self.info: ProductInfo | None = None
        self.own_brand = False
        self.paid_by = False  # the product's brand pays the curator (named in the disclosure)
        self.product_read = False  # the catalog answered (info None then: it left it)
        self._dirty: set[str] = set()  # the text fields typed in since their last save
        self._showing = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self.placeholder = QLabel(
            self.tr(
                "Choose a review on the left, or start one: double-click a product in the catalog "
                "on the right, or drag it here (Ctrl+N reviews the selected product)."
            ),
            self,
        )
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet("padding: 40px;")
        mute(self.placeholder)
        self.form = ReviewForm(tasks, media, self)
        f = self.form
        # The form's widgets, by the names the page, the Checks tab and the tests use.
        self.product_title, self.product_facts = f.product_title, f.product_facts
        self.own_brand_label, self.rating = f.own_brand_label, f.rating
        self.title, self.body, self.pros, self.cons = f.title, f.body, f.pros, f.cons
        self.preview, self.photos, self.words = f.preview, f.photos, f.words
        self.provenance, self.disclosure, self.status = f.provenance, f.disclosure, f.status
        self.saved_label = f.saved_label
        self.rating.rated.connect(lambda n: self._request(rating=n))
        self.provenance.activated.connect(
            lambda i: self._request(provenance=self.provenance.itemData(i))
        )
        self.status.activated.connect(lambda i: self._request(status=self.status.itemData(i)))
        for text_box in (self.title, self.body, self.pros, self.cons):
            text_box.installEventFilter(self)  # leaving a text box flushes its text
        self.title.textChanged.connect(lambda _t: self._typed("title"))
        for name, edit in (("body", self.body), ("pros", self.pros), ("cons", self.cons)):
            edit.textChanged.connect(lambda name=name: self._typed(name))
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.form)
        self.scroll_area = scroll
        self.checks = ReviewChecks(self, scroll)  # the Review and Checks tabs
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.placeholder)
        layout.addWidget(self.checks.tabs, 1)
        self._set_open(False)

    # -- showing ----------------------------------------------------------------------------

    @property
    def review_id(self) -> str | None:
        return None if self.review is None else self.review.id

    def open_review(self, review: Review | None) -> None:
        """Show ``review`` (None: nothing); pending text of the previous one is saved first."""
        self.flush()
        self.review = review
        self._set_open(review is not None)
        if review is None:
            self.photos.set_photos("", [])
            return
        self._show_texts(review)
        self.info, self.own_brand, self.paid_by, self.product_read = None, False, False, False
        self.product_title.setText(self.tr("Loading the product…"))
        self.product_facts.clear()
        self.own_brand_label.hide()
        self.show_fields(review)
        self._update_text_views()
        self.saved_label.clear()
        self.reload_product()

    def _show_texts(self, review: Review) -> None:
        """Put the review's texts in the boxes; a box already holding its text is left
        alone (its cursor and its own undo stay)."""
        self._showing = True  # filling the boxes is not typing
        try:
            if self.title.text() != review.title:
                self.title.setText(review.title)
            for box, text in (
                (self.body, review.body),
                (self.pros, "\n".join(review.pros)),
                (self.cons, "\n".join(review.cons)),
            ):
                if box.toPlainText() != text:
                    box.setPlainText(text)
        finally:
            self._showing = False

    def refresh_review(self, review: Review | None, photos: list[tuple[str, str]]) -> None:
        """Another source changed the open review: show it as stored (None, or in the trash:
        it is closed), keeping text being typed, and read its product's facts again."""
        if review is None or review.deleted_at is not None:
            self.open_review(None)
            return
        if review.id != self.review_id or self.review is None:
            return
        # A box typed in keeps the typing (the next save writes it); the others show the store.
        typed = {name: self._typed_value(name) for name in self._dirty}
        review = replace(review, **typed)
        self._show_texts(review)
        self._update_text_views()
        self.review = review
        self.show_fields(review)
        self.photos.set_photos(review.id, photos)
        self.reload_product()

    def reload_product(self) -> None:
        """Read the product's catalog facts, the own-brand and paid-by verdicts and the
        conflict of interest again (workers)."""
        review = self.review
        if review is None:
            return
        self.checks.watch(force=True)
        self._tasks.run(
            lambda: product_facts(self._reviews, self._profile, review),
            lambda facts: self._show_product(review.id, *facts),
            lambda exc: self.error.emit(str(exc)),
            channel="review-product",
        )

    def _show_product(
        self, review_id: str, info: ProductInfo | None, own: bool, paid: bool
    ) -> None:
        if review_id != self.review_id or self.review is None:
            return
        self.info, self.own_brand, self.paid_by, self.product_read = info, own, paid, True
        if info is None:
            ref = self.review.product
            self.product_title.setText(
                self.tr("{merchant} {offer} (no longer in the catalog)").format(
                    merchant=ref.merchant, offer=ref.offer_id
                )
            )
        else:
            self.product_title.setText(info.title)
            price = (
                format_money(Money(info.price_minor, info.currency))
                if info.price_minor is not None and info.currency
                else self.tr("No price")
            )
            self.product_facts.setText(
                " · ".join([info.brand or self.tr("No brand"), info.merchant, price])
            )
        self.own_brand_label.setVisible(own)
        self.show_fields(self.review)

    def show_fields(self, review: Review) -> None:
        """Show the stored rating, provenance, status, disclosure and photos of ``review``."""
        if review.id != self.review_id:
            return
        self.review = review
        self.rating.set_rating(review.rating)
        self.provenance.setCurrentIndex(self.provenance.findData(review.provenance.value))
        # An own-brand product's provenance is fixed by the rule (the store enforces it), and
        # "Own brand" is offered only for a brand one declared.
        self.provenance.setEnabled(not self.own_brand)
        item = self.provenance.model().item(  # type: ignore[attr-defined]
            self.provenance.findData(Provenance.OWN_BRAND.value)
        )
        item.setEnabled(self.own_brand)
        self.status.setCurrentIndex(self.status.findData(review.status.value))
        # Ready only with a rating (the store refuses it too): a verdict comes first.
        ready = self.status.model().item(  # type: ignore[attr-defined]
            self.status.findData(ReviewStatus.READY.value)
        )
        ready.setEnabled(review.rating is not None)
        ready.setToolTip(
            "" if review.rating is not None else self.tr("Give the review a rating first")
        )
        brand = None if self.info is None else self.info.brand
        self.disclosure.setText(disclosure(review.provenance, brand, paid_by=self.paid_by))
        self.checks.refresh()

    def show_photos(self, review_id: str, photos: list[tuple[str, str]]) -> None:
        if review_id == self.review_id:
            self.photos.set_photos(review_id, photos)

    def _set_open(self, shown: bool) -> None:
        self.placeholder.setVisible(not shown)
        self.checks.tabs.setVisible(shown)

    # -- typing and saving ------------------------------------------------------------------

    def texts(self) -> dict[str, object]:
        return {
            "title": self.title.text(),
            "body": self.body.toPlainText(),
            "pros": self.pros.toPlainText().splitlines(),
            "cons": self.cons.toPlainText().splitlines(),
        }

    def _typed_value(self, name: str) -> Any:
        """The text field ``name`` as typed, in the form the store keeps it."""
        if name in ("pros", "cons"):
            return text_lines(getattr(self, name).toPlainText())
        return self.title.text() if name == "title" else self.body.toPlainText()

    def _typed(self, name: str) -> None:
        if self._showing or self.review is None:
            return
        self._dirty.add(name)
        self._timer.start()  # restarts: the save waits for a pause
        self.saved_label.setText(self.tr("Editing…"))
        self._update_text_views()

    def _update_text_views(self) -> None:
        texts = self.texts()
        lines = [*self.pros.toPlainText().splitlines(), *self.cons.toPlainText().splitlines()]
        count = sum(map(word_count, [str(texts["title"]), str(texts["body"]), *lines]))
        self.words.setText(self.tr("%n words", "", count))
        self.word_total = count
        self.preview.setHtml(body_html(str(texts["body"])))
        self.checks.refresh()  # the word count follows the typing

    @property
    def pending(self) -> bool:
        """Typed text waiting for its save."""
        return bool(self._dirty)

    def flush(self) -> None:
        """Queue the typed text's write now if a save is waiting (it is shown already): the
        fields typed in since their last save, so a field another source changed meanwhile
        is not written back over."""
        self._timer.stop()
        if not self._dirty or self.review is None:
            return
        texts = {name: self._typed_value(name) for name in sorted(self._dirty)}
        self._dirty = set()
        review = replace(self.review, **texts)
        self.review = review
        self.edited.emit(review)
        self.saved_label.setText(self.tr("Saving…"))
        reviews, review_id = self._reviews, review.id
        self._writes.write(
            lambda: reviews.update(review_id, **texts),
            self._saved,
            on_refused=lambda reason: self._not_saved(review_id, set(texts), reason),
        )

    def _saved(self, stored: Review) -> None:
        if stored.id == self.review_id and not self._dirty:
            self.saved_label.setText(self.tr("Saved"))
        self.saved.emit(stored)

    def _not_saved(self, review_id: str, fields: set[str], reason: str) -> None:
        """The text stays as typed (never replaced by an older one) and is written again
        with the next change or the next flush."""
        if review_id == self.review_id:
            self._dirty |= fields
            self.saved_label.setText(self.tr("Not saved"))
        self.error.emit(self.tr("Your text could not be saved: {reason}").format(reason=reason))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self.flush()
        return False

    def hideEvent(self, event: QHideEvent) -> None:
        self.flush()  # leaving the page
        super().hideEvent(event)

    def _request(self, **fields: object) -> None:
        if self.review is not None:
            self.fields_requested.emit(fields)
