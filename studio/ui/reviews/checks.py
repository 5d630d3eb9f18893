"""The review editor's Checks tab: what to fix before the review is shared, each with its fix.

The editor shows the review's form under a "Review" tab and these checks under "Checks". The
issues come from the pure rules of ``studio.core.review_checks`` over the review AS TYPED (the
word count follows the typing, before the autosave), the product's availability as the
editor read it from the catalog, and the conflict-of-interest reason
(``studio.ui.widgets.checks.ConflictWatch``, read again whenever the tab is shown: a tie may
have been declared in the profile meanwhile). The tab's title counts them.

Fixes, one click each: no rating and too few words take the curator to the stars or the text
(the issue says the minimum); a review of a product that a tie declared since forbids can be
moved to the trash (``trash_requested``: the page does it, one undo step). A product out of
stock or gone from the catalog has no fix here: the review stays true, buyers just cannot buy.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QTabWidget, QWidget

from studio.core.review_checks import ReviewCheckKind, ReviewIssue, check_review
from studio.ui.widgets.checks import CheckRow, ChecksList, ConflictWatch

if TYPE_CHECKING:
    from studio.ui.reviews.editor import ReviewEditor


class ReviewChecks(QObject):
    """``tabs``: the Review and Checks tabs; ``issues``: what ``list`` shows."""

    trash_requested = Signal(str)  # review id

    def __init__(self, editor: ReviewEditor, form: QWidget) -> None:
        super().__init__(editor)
        self.editor = editor
        self.issues: list[ReviewIssue] = []
        self.list = ChecksList(editor)
        self.list.setObjectName("reviewChecks")
        self.conflicts = ConflictWatch(editor._tasks, "review-conflicts", self)
        self.tabs = QTabWidget(editor)
        self.tabs.setObjectName("reviewTabs")
        self.tabs.addTab(form, self.tr("Review"))
        self.tabs.addTab(self.list, self.tr("Checks"))
        self.conflicts.changed.connect(self.refresh)
        self.tabs.currentChanged.connect(
            lambda i: self.watch(force=True) if self.tabs.widget(i) is self.list else None
        )

    def watch(self, *, force: bool = False) -> None:
        """Read the conflict reason of the open review's product (again, with ``force``)."""
        review = self.editor.review
        if review is None:
            self.conflicts.forget()
            return
        self.conflicts.watch(self.editor._reviews.db, [review.product], force=force)

    def refresh(self) -> None:
        """Check the review as typed and show the issues with their fixes."""
        editor, review = self.editor, self.editor.review
        if review is None:
            self.issues = []
        else:
            typed = dataclasses.replace(review, body=editor.body.toPlainText())
            info = editor.info
            ref = review.product
            available = None if info is None else bool(info.available)
            if info is None and not editor.product_read:
                available = True  # still reading: not "gone" yet
            reason = self.conflicts.reasons.get((ref.merchant, ref.offer_id), "")
            self.issues = check_review(typed, available, reason)
        self.list.show_rows([self._row(issue) for issue in self.issues])
        self.tabs.setTabText(
            1,
            self.tr("Checks ({n})").format(n=len(self.issues))
            if self.issues
            else self.tr("Checks"),
        )

    def _focus(self, widget: QWidget) -> None:
        self.tabs.setCurrentIndex(0)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def _row(self, issue: ReviewIssue) -> CheckRow:
        editor = self.editor
        kind = issue.kind
        if kind is ReviewCheckKind.NO_RATING:
            return CheckRow(
                self.tr("No rating"),
                issue.detail,
                [(self.tr("Rate it"), lambda: self._focus(editor.rating))],
            )
        if kind is ReviewCheckKind.TOO_SHORT:
            return CheckRow(
                self.tr("Too short: {detail}").format(detail=issue.detail),
                issue.detail,
                [(self.tr("Write more"), lambda: self._focus(editor.body))],
            )
        if kind is ReviewCheckKind.CONFLICT:
            review_id = editor.review_id or ""
            return CheckRow(
                issue.detail,  # the reason, in full: "Conflict of interest: you declared..."
                issue.detail,
                [(self.tr("Move to the trash"), lambda: self.trash_requested.emit(review_id))],
            )
        words = {
            ReviewCheckKind.MISSING_PRODUCT: self.tr("The product is no longer in the catalog"),
            ReviewCheckKind.UNAVAILABLE: self.tr("The product is out of stock"),
        }
        return CheckRow(words[kind], issue.detail)
