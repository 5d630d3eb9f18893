"""The review list: search, filters (rating, status, merchant), the trash, and its model.

``ReviewListModel`` is a table model over ``ReviewSummary`` rows (product title, rating stars,
status, word count, last edit). A review the curator has not rated yet says "No rating" where
the stars go and "Not ready" as its status, whatever status it was given: it cannot be shared
so. The summaries are read in a worker on a channel, so a search
typed three keystrokes ago never overwrites the newest list; the page's own edits patch their
row in place, or take it out, at once (no re-query per keystroke or per click). A read never
shows the list as it was before an edit the page shows already (``read_after_writes``). A
re-read keeps the chosen review and the scroll. The trash is the same list with ``trashed=True``: a
trashed review is restored from there, never lost.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from studio.core.reviews import Review, ReviewStatus, ReviewSummary
from studio.ui.reviews.controls import stars
from studio.ui.tasks import TaskManager
from studio.ui.widgets.colours import mute

if TYPE_CHECKING:
    from studio.store.reviews import ReviewStore
    from studio.ui.widgets.writes import PageWrites

LIST_CHANNEL = "reviews-list"
T = TypeVar("T")


def read_after_writes(
    tasks: TaskManager,
    writes: PageWrites | None,
    read: Callable[[], T],
    show: Callable[[T], object],
    *,
    channel: str,
    owner: QObject,
) -> None:
    """Read with ``read`` and ``show`` what it found, never older than the page's own edits:
    while some of its writes are queued the read goes on the writer lane after them, else in
    a worker on ``channel``; and a read during which the page queued another write (which it
    may have missed, though the page shows it) is made again, after that write."""
    queued = writes.queued if writes is not None else 0

    def arrived(found: T) -> None:
        if writes is not None and writes.queued != queued:
            read_after_writes(tasks, writes, read, show, channel=channel, owner=owner)
            return
        show(found)

    if writes is not None and writes.pending:
        tasks.supersede(channel)  # an older read in a worker must not land after this one
        writes.after(read, arrived)
    else:
        tasks.run(read, arrived, channel=channel, owner=owner)


_PATCHED = ("rating", "title", "status", "provenance", "words", "updated_at")

_Index = QModelIndex | QPersistentModelIndex


def _when(iso: str) -> str:
    """The time of day for an edit made today (UTC, as stored), else the date."""
    today = datetime.now(UTC).date().isoformat()
    return iso[11:16] if iso.startswith(today) else iso[:10]


class ReviewListModel(QAbstractTableModel):
    COLUMNS = 5

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[ReviewSummary] = []

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (
                self.tr("Product"),
                self.tr("Rating"),
                self.tr("Status"),
                self.tr("Words"),
                self.tr("Updated"),
            )[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return row.product_title or self.tr(
                    "{merchant} {offer} (not in the catalog)"
                ).format(merchant=row.product.merchant, offer=row.product.offer_id)
            if col == 1:
                return stars(row.rating) if row.rating is not None else self.tr("No rating")
            if col == 2:
                if row.rating is None:
                    return self.tr("Not ready")
                return self.tr("Ready") if row.status is ReviewStatus.READY else self.tr("Draft")
            if col == 3:
                return row.words
            return _when(row.updated_at)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(
                t
                for t in (
                    row.product_title,
                    row.title or self.tr("(no title)"),
                    row.brand,
                    row.product.merchant,
                    self.tr("Edited {when}").format(when=row.updated_at[:16].replace("T", " ")),
                )
                if t
            )
        if role == Qt.ItemDataRole.AccessibleTextRole and col == 1:
            if row.rating is None:
                return self.tr("No rating")
            return self.tr("{n} of 5 stars").format(n=row.rating)
        if role == Qt.ItemDataRole.ForegroundRole and col == 1 and row.rating is not None:
            from PySide6.QtGui import QColor

            return QColor("#c58f00")  # "No rating" keeps the palette's text colour
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def set_rows(self, rows: list[ReviewSummary]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def row_of(self, review_id: str) -> int:
        return next((i for i, r in enumerate(self.rows) if r.id == review_id), -1)

    def patch(self, review: Review) -> None:
        """Show an edited review's new rating, title, status, words and time in its row."""
        self.update(review.id, {name: getattr(review, name) for name in _PATCHED})

    def update(self, review_id: str, fields: dict[str, object]) -> None:
        """Show new values of ``fields`` (any of rating, title, status, provenance, words,
        updated_at) in the review's row, if it is listed."""
        i = self.row_of(review_id)
        if i < 0:
            return
        known = {k: v for k, v in fields.items() if k in _PATCHED}
        self.rows[i] = dataclasses.replace(self.rows[i], **known)  # type: ignore[arg-type]
        self.dataChanged.emit(self.index(i, 0), self.index(i, self.COLUMNS - 1))

    def remove(self, review_id: str) -> None:
        """Take the review's row out (it went to the trash, or came back from it)."""
        i = self.row_of(review_id)
        if i >= 0:
            self.beginRemoveRows(QModelIndex(), i, i)
            del self.rows[i]
            self.endRemoveRows()


class ReviewList(QWidget):
    """``review_selected(id or "")`` when the current review changes."""

    review_selected = Signal(str)
    refreshed = Signal()
    trash_requested = Signal(str)
    restore_requested = Signal(str)

    def __init__(
        self, tasks: TaskManager, reviews: ReviewStore, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._reviews = reviews
        #: The page's writes: a read waits for those still queued (see the module docstring).
        self.writes: PageWrites | None = None
        self._want: str | None = None  # the id to select once the list arrives
        self._filling = False
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search reviews"))
        self.search.setAccessibleName(self.tr("Search reviews"))
        self.search.setClearButtonEnabled(True)
        self.rating = self._combo(
            self.tr("Rating filter"),
            [(self.tr("Any rating"), None)] + [(stars(n), n) for n in range(5, 0, -1)],
        )
        self.status = self._combo(
            self.tr("Status filter"),
            [
                (self.tr("Any status"), None),
                (self.tr("Drafts"), ReviewStatus.DRAFT.value),
                (self.tr("Ready"), ReviewStatus.READY.value),
            ],
        )
        self.merchant = self._combo(self.tr("Merchant filter"), [(self.tr("Any merchant"), None)])
        self.trash_toggle = QCheckBox(self.tr("Show trash"), self)
        self.trash_toggle.setToolTip(self.tr("Show the reviews in the trash"))
        self.model = ReviewListModel(self)
        self.view = QTreeView(self)
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setAccessibleName(self.tr("Reviews"))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, 5):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.new_button = QPushButton(self.tr("New review"), self)
        self.new_button.setObjectName("reviews_new")
        self.new_button.setToolTip(self.tr("Review the product selected in the catalog (Ctrl+N)"))
        self.trash_button = QPushButton(self.tr("Trash"), self)
        self.trash_button.setObjectName("reviews_trash")
        self.trash_button.setToolTip(self.tr("Move the review to the trash (Delete)"))
        self.restore_button = QPushButton(self.tr("Restore"), self)
        self.restore_button.setObjectName("reviews_restore")
        self.count = QLabel(self)
        mute(self.count)
        # Delete only where the list has the focus: Delete in a text box deletes text.
        self.trash_action = QAction(self.tr("Move to the trash"), self.view)
        self.trash_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.trash_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.trash_action.triggered.connect(self._trash)
        self.view.addAction(self.trash_action)
        filters = QHBoxLayout()
        for combo in (self.rating, self.status, self.merchant):
            filters.addWidget(combo, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.trash_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        buttons.addWidget(self.trash_toggle)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count)
        layout.addLayout(buttons)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        for combo in (self.rating, self.status, self.merchant):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.trash_toggle.toggled.connect(lambda _on: self.refresh())
        self.trash_button.clicked.connect(self._trash)
        self.restore_button.clicked.connect(self._restore)
        self.view.selectionModel().currentRowChanged.connect(self._current)
        self._enable()

    def _combo(self, name: str, items: Sequence[tuple[str, object]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(name)
        for text, value in items:
            combo.addItem(text, value)
        return combo

    # -- reading ----------------------------------------------------------------------------

    @property
    def trashed(self) -> bool:
        return self.trash_toggle.isChecked()

    def refresh(self, select: str | None = None) -> None:
        """Read the list again (a worker) and then select ``select`` (else keep the current)."""
        self._want = select if select is not None else self.current_id()
        args = {
            "text": self.search.text(),
            "rating": self.rating.currentData(),
            "status": self.status.currentData(),
            "merchant": self.merchant.currentData(),
            "trashed": self.trashed,
        }
        store = self._reviews

        def read() -> tuple[list[ReviewSummary], list[str]]:
            merchants = sorted({s.product.merchant for s in store.summaries()})
            return store.summaries(**args), merchants

        read_after_writes(
            self._tasks, self.writes, read, self._show, channel=LIST_CHANNEL, owner=self
        )

    def _show(self, result: tuple[list[ReviewSummary], list[str]]) -> None:
        rows, merchants = result
        scroll = self.view.verticalScrollBar().value()
        self._filling = True
        try:
            self._fill_merchants(merchants)
            self.model.set_rows(rows)
            row = self.model.row_of(self._want or "")
            if row >= 0:
                self.view.setCurrentIndex(self.model.index(row, 0))
            self.view.verticalScrollBar().setValue(scroll)
        finally:
            self._filling = False
        self._show_count()
        self._enable()
        if not self.trashed:
            self.review_selected.emit(self.current_id() or "")
        self.refreshed.emit()

    def _show_count(self) -> None:
        n = len(self.model.rows)
        self.count.setText(
            self.tr("%n reviews in the trash", "", n)
            if self.trashed
            else self.tr("%n reviews", "", n)
        )

    def take(self, review_id: str) -> None:
        """Take the review's row out of the list at once (it leaves what the list shows);
        nothing else is chosen in its place."""
        self._filling = True  # not a choice of the user: no other review opens
        try:
            self.model.remove(review_id)
            self.view.selectionModel().clear()
        finally:
            self._filling = False
        self._show_count()
        self._enable()

    def _fill_merchants(self, merchants: list[str]) -> None:
        chosen = self.merchant.currentData()
        blocked = self.merchant.blockSignals(True)  # refilling is not a filter change
        self.merchant.clear()
        self.merchant.addItem(self.tr("Any merchant"), None)
        for name in sorted(set(merchants) | ({chosen} if chosen else set())):
            self.merchant.addItem(name, name)
        self.merchant.setCurrentIndex(max(0, self.merchant.findData(chosen)))
        self.merchant.blockSignals(blocked)

    def current_id(self) -> str | None:
        index = self.view.currentIndex()
        return None if not index.isValid() else str(self.model.rows[index.row()].id)

    def select(self, review_id: str) -> None:
        row = self.model.row_of(review_id)
        if row >= 0:
            self.view.setCurrentIndex(self.model.index(row, 0))
        else:
            self.refresh(select=review_id)

    def _current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._enable()
        if not self._filling and not self.trashed:
            self.review_selected.emit(self.current_id() or "")

    def _enable(self) -> None:
        chosen = self.current_id() is not None
        self.trash_button.setVisible(not self.trashed)
        self.trash_button.setEnabled(chosen)
        self.restore_button.setVisible(self.trashed)
        self.restore_button.setEnabled(chosen)
        self.new_button.setEnabled(not self.trashed)

    def _trash(self) -> None:
        review_id = self.current_id()
        if review_id and not self.trashed:
            self.trash_requested.emit(review_id)

    def _restore(self) -> None:
        review_id = self.current_id()
        if review_id and self.trashed:
            self.restore_requested.emit(review_id)
