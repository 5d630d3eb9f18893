"""The review editor's form: the product's heading, the rating, the words, the photos, how
the product was got, its disclosure and the status, laid out in one scrollable column.

``ReviewForm`` only builds and lays out the widgets (each with its accessible name); the
editor (``editor.ReviewEditor``) fills them, listens to them and saves what they hold.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from studio.core.reviews import Provenance, ReviewStatus
from studio.ui.reviews.controls import StarRating
from studio.ui.reviews.photos import PhotoStrip
from studio.ui.tasks import TaskManager
from studio.ui.widgets.colours import NOTICE, boxed, mute

if TYPE_CHECKING:
    from studio.media.library import MediaLibrary


class ReviewForm(QWidget):
    """The editor's widgets, laid out (see the module docstring)."""

    def __init__(self, tasks: TaskManager, media: MediaLibrary, parent: QWidget) -> None:
        super().__init__(parent)
        self.product_title = QLabel(self)
        self.product_title.setWordWrap(True)
        self.product_title.setStyleSheet("font-size: 16px; font-weight: 600;")
        self.product_facts = QLabel(self)
        mute(self.product_facts)
        self.product_facts.setWordWrap(True)
        self.own_brand_label = QLabel(self.tr("Own brand"), self)
        self.own_brand_label.setToolTip(
            self.tr(
                "You declared that you make or represent this brand: the review is labelled so."
            )
        )
        boxed(self.own_brand_label, pill=True, tint=NOTICE)
        self.own_brand_label.hide()
        head = QHBoxLayout()
        head.addWidget(self.product_title, 1)
        head.addWidget(self.own_brand_label, 0, Qt.AlignmentFlag.AlignTop)
        self.rating = StarRating(self)
        self.title = QLineEdit(self)
        self.title.setPlaceholderText(self.tr("A title for your review"))
        self.title.setAccessibleName(self.tr("Review title"))
        self.body = QPlainTextEdit(self)
        self.body.setAccessibleName(self.tr("Review text"))
        self.body.setPlaceholderText(self.tr("What is it like? Who is it for?"))
        self.body.setMinimumHeight(140)
        self.hint = QLabel(
            self.tr(
                "**bold**, *italic*, a line starting with “- ” is a bullet, a blank line starts "
                "a paragraph."
            ),
            self,
        )
        self.hint.setStyleSheet("font-size: 11px;")
        mute(self.hint)
        self.hint.setWordWrap(True)  # a narrow editor wraps it rather than scrolling sideways
        self.preview = QTextBrowser(self)
        self.preview.setAccessibleName(self.tr("Preview of the review text"))
        self.preview.setMaximumHeight(110)
        self.preview.setStyleSheet("background: palette(alternate-base);")
        self.pros = self._lines_box(self.tr("Pros, one per line"), self.tr("Pros"))
        self.cons = self._lines_box(self.tr("Cons, one per line"), self.tr("Cons"))
        lists = QHBoxLayout()
        for box, label in ((self.pros, self.tr("Pros")), (self.cons, self.tr("Cons"))):
            column = QVBoxLayout()
            heading = QLabel(label, self)
            heading.setBuddy(box)
            column.addWidget(heading)
            column.addWidget(box)
            lists.addLayout(column)
        self.photos = PhotoStrip(tasks, media, self)
        self.provenance = QComboBox(self)
        self.provenance.setAccessibleName(self.tr("How you got the product"))
        for value, text in (
            (Provenance.BOUGHT, self.tr("Bought it")),
            (Provenance.GIFTED, self.tr("Gifted")),
            (Provenance.LOANED, self.tr("Loaned")),
            (Provenance.PAID_PARTNERSHIP, self.tr("Paid partnership")),
            (Provenance.OWN_BRAND, self.tr("Own brand")),
        ):
            self.provenance.addItem(text, value.value)
        self.disclosure = QLabel(self)
        self.disclosure.setWordWrap(True)
        self.disclosure.setAccessibleName(self.tr("Disclosure"))
        self.disclosure.setToolTip(
            self.tr(
                "Shown with the review wherever it is published; it follows how you got the "
                "product and cannot be removed."
            )
        )
        self.disclosure.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        boxed(self.disclosure)
        self.status = QComboBox(self)
        self.status.setAccessibleName(self.tr("Status"))
        self.status.addItem(self.tr("Draft"), ReviewStatus.DRAFT.value)
        self.status.addItem(self.tr("Ready"), ReviewStatus.READY.value)
        self.words = QLabel(self)
        self.words.setAccessibleName(self.tr("Word count"))
        self.saved_label = QLabel(self)
        mute(self.saved_label)
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
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 10, 12, 10)
        outer.addLayout(head)
        outer.addWidget(self.product_facts)
        outer.addLayout(form)
        outer.addLayout(foot)
        outer.addStretch(1)

    def _lines_box(self, placeholder: str, name: str) -> QPlainTextEdit:
        box = QPlainTextEdit(self)
        box.setPlaceholderText(placeholder)
        box.setAccessibleName(name)
        box.setMaximumHeight(90)
        box.setTabChangesFocus(True)
        return box
