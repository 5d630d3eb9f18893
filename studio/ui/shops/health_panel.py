"""The shop health panel: what is wrong with the shelved products, and the fixes.

An issue is a product a tie declared since forbids (a conflict of interest), a product now
unavailable, a price changed since it was shelved, or a merchant whose catalog is gone
(``ShopStore.health``); a shop beyond its tier (a starter's second shop from before the
one-shop rule) has a shop-wide issue, listed first, which only says what the tier allows.
Choosing an item's issue reads its suggested replacements in a worker
(``suggest_replacements``: same category, similar title, brand and price, allowed by the
rules); the user applies one, removes the product (the fix of a conflict the catalog has no
allowed replacement for), accepts a changed price, or fixes everything at once
(``fix_health``). Each is one undo step; the panel re-reads the issues after every edit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.errors import MoneyError
from studio.core.money import Money
from studio.core.shops import HealthIssue, IssueKind, Suggestion
from studio.ui.tasks import TaskManager

if TYPE_CHECKING:
    from studio.ui.shops.controller import ShopController

ISSUE_ROLE = Qt.ItemDataRole.UserRole + 1
SUGGESTION_ROLE = Qt.ItemDataRole.UserRole + 2


def _price(s: Suggestion) -> str:
    if s.price_minor is None:
        return ""
    try:
        return Money(s.price_minor, s.currency or "").format()
    except MoneyError:
        return ""


class HealthPanel(QWidget):
    """``issue_chosen(item id)`` so the shelves can show the row."""

    issue_chosen = Signal(str)

    def __init__(
        self, tasks: TaskManager, controller: ShopController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self.controller = controller
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.issues = QListWidget(self)
        self.issues.setAccessibleName(self.tr("Health issues"))
        self.suggestions = QListWidget(self)
        self.suggestions.setAccessibleName(self.tr("Suggested replacements"))
        for rows in (self.issues, self.suggestions):  # the panel is narrow: wrap, never scroll
            rows.setWordWrap(True)
            rows.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            rows.setSpacing(2)
        self.fix_all_button = QPushButton(self.tr("Fix all"), self)
        self.fix_all_button.setToolTip(
            self.tr(
                "Accept changed prices and replace unavailable products with the best suggestion"
            )
        )
        self.replace_button = QPushButton(self.tr("Replace"), self)
        self.replace_button.setToolTip(self.tr("Put the chosen suggestion in its place"))
        self.accept_button = QPushButton(self.tr("Accept new price"), self)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.remove_button.setToolTip(self.tr("Take the product out of the shop"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.summary)
        layout.addWidget(self.issues, 2)
        layout.addWidget(QLabel(self.tr("Suggested replacements"), self))
        layout.addWidget(self.suggestions, 1)
        row = QHBoxLayout()
        row.addWidget(self.replace_button)
        row.addWidget(self.remove_button)
        row.addWidget(self.accept_button)
        layout.addLayout(row)
        layout.addWidget(self.fix_all_button)
        self.issues.currentItemChanged.connect(self._issue_changed)
        self.suggestions.currentItemChanged.connect(lambda *_a: self._update_buttons())
        self.suggestions.itemDoubleClicked.connect(lambda _i: self.replace())
        self.fix_all_button.clicked.connect(self.controller.fix_all)
        self.replace_button.clicked.connect(self.replace)
        self.accept_button.clicked.connect(self.accept_price)
        self.remove_button.clicked.connect(self.remove)
        controller.health_changed.connect(self.show_issues)
        self.show_issues([])

    def _kind(self, kind: IssueKind) -> str:
        return {
            IssueKind.UNAVAILABLE: self.tr("Unavailable"),
            IssueKind.PRICE_CHANGED: self.tr("Price changed"),
            IssueKind.MERCHANT_GONE: self.tr("Merchant gone"),
            IssueKind.CONFLICT: self.tr("Conflict of interest"),
            IssueKind.OVER_TIER: self.tr("Beyond your tier"),
        }[kind]

    def show_issues(self, issues: list[HealthIssue]) -> None:
        chosen = self.current_issue()
        self.issues.clear()
        model = self.controller.model
        for issue in issues:
            item = model.item(issue.item_id)
            card = model.card(item) if item is not None else None
            name = (
                card.title
                if card is not None
                else (item.product.offer_id if item is not None else issue.item_id)
            )
            heading = (
                f"{self._kind(issue.kind)}: {name}" if issue.item_id else self._kind(issue.kind)
            )
            row = QListWidgetItem(f"{heading}\n{issue.detail}")
            row.setData(ISSUE_ROLE, issue)
            self.issues.addItem(row)
            if chosen is not None and chosen.item_id == issue.item_id:
                self.issues.setCurrentItem(row)
        products = sum(1 for i in issues if i.item_id)
        text = (
            self.tr("Every product is available at its shelved price.")
            if not products
            else self.tr("%n products need attention.", "", products)
        )
        if products < len(issues):  # the shop-wide tier issue
            text = self.tr("This shop is beyond your tier.") + " " + text
        self.summary.setText(text)
        if self.issues.currentItem() is None:
            self.suggestions.clear()
        self._update_buttons()

    def current_issue(self) -> HealthIssue | None:
        row = self.issues.currentItem()
        issue: HealthIssue | None = None if row is None else row.data(ISSUE_ROLE)
        return issue

    def _issue_changed(self, *_args: object) -> None:
        issue = self.current_issue()
        self.suggestions.clear()
        self._update_buttons()
        if issue is None:
            return
        self.issue_chosen.emit(issue.item_id)
        if issue.kind in (IssueKind.PRICE_CHANGED, IssueKind.OVER_TIER):
            return
        shops = self.controller.shops
        self._tasks.run(
            lambda: shops.suggest_replacements(issue.item_id),
            self._suggested,
            lambda exc: self.controller.message.emit(str(exc), True),
            channel="shop-suggestions",
        )

    def _suggested(self, suggestions: list[Suggestion]) -> None:
        self.suggestions.clear()
        for s in suggestions:
            row = QListWidgetItem(" · ".join(p for p in (s.title, s.brand, _price(s)) if p))
            row.setData(SUGGESTION_ROLE, s)
            self.suggestions.addItem(row)
        if not suggestions:
            self.suggestions.addItem(self.tr("Nothing similar in the catalog"))
        elif self.suggestions.currentItem() is None:
            self.suggestions.setCurrentRow(0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        issue = self.current_issue()
        row = self.suggestions.currentItem()
        self.replace_button.setEnabled(
            issue is not None and row is not None and row.data(SUGGESTION_ROLE) is not None
        )
        self.accept_button.setEnabled(issue is not None and issue.kind is IssueKind.PRICE_CHANGED)
        self.remove_button.setEnabled(issue is not None and bool(issue.item_id))
        self.fix_all_button.setEnabled(
            any(self._issue(n).item_id for n in range(self.issues.count()))
        )

    def _issue(self, row: int) -> HealthIssue:
        issue: HealthIssue = self.issues.item(row).data(ISSUE_ROLE)
        return issue

    def replace(self) -> None:
        issue = self.current_issue()
        row = self.suggestions.currentItem()
        suggestion = None if row is None else row.data(SUGGESTION_ROLE)
        if issue is not None and suggestion is not None:
            self.controller.replace_products(
                [(issue.item_id, suggestion.product)], self.tr("Replace with a suggestion")
            )

    def remove(self) -> None:
        """Take the chosen issue's product out of the shop (one undo step)."""
        issue = self.current_issue()
        if issue is not None and issue.item_id:
            self.controller.remove_items_now([issue.item_id])

    def accept_price(self) -> None:
        issue = self.current_issue()
        if issue is not None and issue.kind is IssueKind.PRICE_CHANGED:
            self.controller.accept_prices([issue.item_id])
