"""The review editor: the product, the rating, the words, the photos and the disclosure.

Typed text (title, body, pros, cons) saves as the user types: every change restarts a short
timer (``SAVE_DELAY_MS``) whose timeout writes the four texts through ``ReviewStore.update``,
one small row, and ``flush()`` writes at once when the user leaves a text box, opens another
review or leaves the page, so a kill loses at most the last pause's worth of typing. Text boxes
keep their own undo for typing (see ``commands``). The rating, provenance and status are
REQUESTED with ``fields_requested`` and written by the page as undoable steps; it calls
``show_fields`` with what was stored (or the old value when the store refused).

The disclosure is derived from the provenance and the product's brand
(``studio.core.reviews.disclosure``; a brand the curator declared as paying them is named) and
shown read-only: nothing here can remove it. The Checks tab (``checks``) lists what to fix
before sharing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from studio.core.errors import StudioError
from studio.core.money import Money
from studio.core.reviews import Provenance, Review, ReviewStatus, body_html, disclosure, word_count
from studio.core.rules import check_product
from studio.ui.reviews.checks import ReviewChecks
from studio.ui.reviews.controls import StarRating
from studio.ui.reviews.photos import PhotoStrip
from studio.ui.tasks import TaskManager
from studio.ui.widgets.labels import format_money

if TYPE_CHECKING:
    from studio.media.library import MediaLibrary
    from studio.store.curation_rows import ProductInfo
    from studio.store.profile import ProfileStore
    from studio.store.reviews import ReviewStore

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


class ReviewEditor(QWidget):
    """Edits one review; ``saved(review)`` after each autosave, ``error(text)`` on failure."""

    fields_requested = Signal(dict)
    saved = Signal(object)
    error = Signal(str)

    def __init__(
        self,
        tasks: TaskManager,
        reviews: ReviewStore,
        profile: ProfileStore,
        media: MediaLibrary,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._reviews = reviews
        self._profile = profile
        self.review: Review | None = None
        self.info: ProductInfo | None = None
        self.own_brand = False
        self.paid_by = False  # the product's brand pays the curator (named in the disclosure)
        self.product_read = False  # the catalog answered (info None then: it left it)
        self._dirty = False
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
        self.placeholder.setStyleSheet("color: #5f6670; padding: 40px;")
        self.form = QWidget(self)
        self._build_form(media)
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

    def _build_form(self, media: MediaLibrary) -> None:
        f = self.form
        self.product_title = QLabel(f)
        self.product_title.setWordWrap(True)
        self.product_title.setStyleSheet("font-size: 16px; font-weight: 600;")
        self.product_facts = QLabel(f)
        self.product_facts.setStyleSheet("color: #5f6670;")
        self.product_facts.setWordWrap(True)
        self.own_brand_label = QLabel(self.tr("Own brand"), f)
        self.own_brand_label.setToolTip(
            self.tr(
                "You declared that you make or represent this brand: the review is labelled so."
            )
        )
        self.own_brand_label.setStyleSheet(
            "background: #fff3cd; color: #6b4e00; border: 1px solid #e6c65c;"
            " border-radius: 8px; padding: 1px 8px; font-weight: 600;"
        )
        self.own_brand_label.hide()
        head = QHBoxLayout()
        head.addWidget(self.product_title, 1)
        head.addWidget(self.own_brand_label, 0, Qt.AlignmentFlag.AlignTop)
        self.rating = StarRating(f)
        self.rating.rated.connect(lambda n: self._request(rating=n))
        self.title = QLineEdit(f)
        self.title.setPlaceholderText(self.tr("A title for your review"))
        self.title.setAccessibleName(self.tr("Review title"))
        self.body = QPlainTextEdit(f)
        self.body.setAccessibleName(self.tr("Review text"))
        self.body.setPlaceholderText(self.tr("What is it like? Who is it for?"))
        self.body.setMinimumHeight(140)
        self.hint = QLabel(
            self.tr(
                "**bold**, *italic*, a line starting with “- ” is a bullet, a blank line starts "
                "a paragraph."
            ),
            f,
        )
        self.hint.setStyleSheet("color: #5f6670; font-size: 11px;")
        self.hint.setWordWrap(True)  # a narrow editor wraps it rather than scrolling sideways
        self.preview = QTextBrowser(f)
        self.preview.setAccessibleName(self.tr("Preview of the review text"))
        self.preview.setMaximumHeight(110)
        self.preview.setStyleSheet("background: #fafafa;")
        self.pros = self._lines_box(self.tr("Pros, one per line"), self.tr("Pros"))
        self.cons = self._lines_box(self.tr("Cons, one per line"), self.tr("Cons"))
        lists = QHBoxLayout()
        for box, label in ((self.pros, self.tr("Pros")), (self.cons, self.tr("Cons"))):
            column = QVBoxLayout()
            heading = QLabel(label, f)
            heading.setBuddy(box)
            column.addWidget(heading)
            column.addWidget(box)
            lists.addLayout(column)
        self.photos = PhotoStrip(self._tasks, media, f)
        self.provenance = QComboBox(f)
        self.provenance.setAccessibleName(self.tr("How you got the product"))
        for value, text in (
            (Provenance.BOUGHT, self.tr("Bought it")),
            (Provenance.GIFTED, self.tr("Gifted")),
            (Provenance.LOANED, self.tr("Loaned")),
            (Provenance.PAID_PARTNERSHIP, self.tr("Paid partnership")),
            (Provenance.OWN_BRAND, self.tr("Own brand")),
        ):
            self.provenance.addItem(text, value.value)
        self.provenance.activated.connect(
            lambda i: self._request(provenance=self.provenance.itemData(i))
        )
        self.disclosure = QLabel(f)
        self.disclosure.setWordWrap(True)
        self.disclosure.setAccessibleName(self.tr("Disclosure"))
        self.disclosure.setToolTip(
            self.tr(
                "Shown with the review wherever it is published; it follows how you got the "
                "product and cannot be removed."
            )
        )
        self.disclosure.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.disclosure.setStyleSheet(
            "background: #f1f3f5; border-left: 3px solid #8a939d; padding: 6px; color: #30363d;"
        )
        self.status = QComboBox(f)
        self.status.setAccessibleName(self.tr("Status"))
        self.status.addItem(self.tr("Draft"), ReviewStatus.DRAFT.value)
        self.status.addItem(self.tr("Ready"), ReviewStatus.READY.value)
        self.status.activated.connect(lambda i: self._request(status=self.status.itemData(i)))
        self.words = QLabel(f)
        self.words.setAccessibleName(self.tr("Word count"))
        self.saved_label = QLabel(f)
        self.saved_label.setStyleSheet("color: #5f6670;")
        foot = QHBoxLayout()
        foot.addWidget(self.words)
        foot.addStretch(1)
        foot.addWidget(self.saved_label)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("Rating"), self.rating)
        form.addRow(self.tr("Title"), self.title)
        form.addRow(self.tr("Review"), self.body)
        form.addRow("", self.hint)
        form.addRow(self.tr("Preview"), self.preview)
        form.addRow(lists)
        form.addRow(self.tr("Photos"), self.photos)
        form.addRow(self.tr("How I got it"), self.provenance)
        form.addRow(self.tr("Disclosure"), self.disclosure)
        form.addRow(self.tr("Status"), self.status)
        outer = QVBoxLayout(f)
        outer.setContentsMargins(12, 10, 12, 10)
        outer.addLayout(head)
        outer.addWidget(self.product_facts)
        outer.addLayout(form)
        outer.addLayout(foot)
        outer.addStretch(1)
        for text_box in (self.title, self.body, self.pros, self.cons):
            text_box.installEventFilter(self)  # leaving a text box flushes its text
        self.title.textChanged.connect(self._typed)
        for edit in (self.body, self.pros, self.cons):
            edit.textChanged.connect(self._typed)

    def _lines_box(self, placeholder: str, name: str) -> QPlainTextEdit:
        box = QPlainTextEdit(self.form)
        box.setPlaceholderText(placeholder)
        box.setAccessibleName(name)
        box.setMaximumHeight(90)
        box.setTabChangesFocus(True)
        return box

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
        self._showing = True  # filling the boxes is not typing
        try:
            self.title.setText(review.title)
            self.body.setPlainText(review.body)
            self.pros.setPlainText("\n".join(review.pros))
            self.cons.setPlainText("\n".join(review.cons))
        finally:
            self._showing = False
        self.info, self.own_brand, self.paid_by, self.product_read = None, False, False, False
        self.product_title.setText(self.tr("Loading the product…"))
        self.product_facts.clear()
        self.own_brand_label.hide()
        self.show_fields(review)
        self._update_text_views()
        self.saved_label.clear()
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

    def _typed(self) -> None:
        if self._showing or self.review is None:
            return
        self._dirty = True
        self._timer.start()  # restarts: the save waits for a pause
        self.saved_label.setText(self.tr("Editing…"))
        self._update_text_views()

    def _update_text_views(self) -> None:
        texts = self.texts()
        lines = [*self.pros.toPlainText().splitlines(), *self.cons.toPlainText().splitlines()]
        count = sum(map(word_count, [str(texts["title"]), str(texts["body"]), *lines]))
        self.words.setText(self.tr("{n} word(s)").format(n=count))
        self.word_total = count
        self.preview.setHtml(body_html(str(texts["body"])))
        self.checks.refresh()  # the word count follows the typing

    @property
    def pending(self) -> bool:
        return self._dirty

    def flush(self) -> None:
        """Write the typed text now if a save is waiting."""
        self._timer.stop()
        if not self._dirty or self.review is None:
            return
        self._dirty = False
        try:
            review = self._reviews.update(self.review.id, **self.texts())
        except (StudioError, ValueError) as exc:
            self.error.emit(self.tr("Your text could not be saved: {reason}").format(reason=exc))
            return
        self.review = review
        self.saved_label.setText(self.tr("Saved"))
        self.saved.emit(review)

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
