"""What the editors' Checks tabs share: the list of issues with their fixes, and the conflicts.

The checks themselves are pure functions in ``studio.core`` (``look_checks``, ``board_checks``,
``review_checks``), the same ones the platform will run. Two things they need from the desktop
are here, so the look, board and review editors do not each grow their own:

- ``ChecksList``: a header ("✓ Ready to share: no issues" or "N issues to check") over one row
  per issue: its text (the detail as a tooltip) and its one-click fixes as buttons, each
  named for screen readers with the issue it fixes. The editor maps each issue to its words
  and fixes (``CheckRow``); the list knows nothing of the kinds.
- ``ConflictWatch``: the conflict-of-interest reasons of the products an editor shows, read in
  a worker (``studio.store.platform_rules.product_conflicts``) when the set of products
  changes or when asked to (the Checks tab shown: affiliations may have been declared since).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from studio.core.looks import ProductRef
from studio.ui.tasks import TaskManager

if TYPE_CHECKING:
    from studio.store.db import Database

ProductKey = tuple[str, str]  # (merchant, offer id)


@dataclass(frozen=True)
class CheckRow:
    """One issue as the list shows it: words, the detail (tooltip) and (label, fix) pairs."""

    text: str
    detail: str = ""
    fixes: Sequence[tuple[str, Callable[[], None]]] = field(default_factory=tuple)


class ChecksList(QWidget):
    """The issues of one document with their fixes; ``show_rows`` replaces them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[CheckRow] = []
        self.labels: list[QLabel] = []
        self.buttons: list[list[QPushButton]] = []
        self.header = QLabel(self)
        self.header.setObjectName("checksHeader")
        self.header.setStyleSheet("font-weight: 600;")
        self.header.setWordWrap(True)
        self._rows = QWidget(self)
        self._rows_layout = QVBoxLayout(self._rows)
        self._rows_layout.setContentsMargins(0, 0, 0, 0)
        self._rows_layout.setSpacing(6)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self._rows)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.header)
        layout.addWidget(scroll, 1)
        self.show_rows([])

    def show_rows(self, rows: Sequence[CheckRow]) -> None:
        self.rows = list(rows)
        while self._rows_layout.count():
            item = self._rows_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.labels, self.buttons = [], []
        self.header.setText(
            self.tr("✓ Ready to share: no issues")
            if not rows
            else self.tr("%n issues to check before sharing", "", len(rows))
        )
        for check in rows:
            row = QWidget(self._rows)
            column = QVBoxLayout(row)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            label = QLabel(check.text, row)
            label.setWordWrap(True)
            if check.detail:
                label.setToolTip(check.detail)
            column.addWidget(label)
            buttons = []
            if check.fixes:
                line = QHBoxLayout()
                line.addStretch(1)
                for text, fix in check.fixes:
                    button = QPushButton(text, row)
                    button.setAccessibleName(f"{text}: {check.text}")
                    button.clicked.connect(lambda _c=False, f=fix: f())
                    line.addWidget(button)
                    buttons.append(button)
                column.addLayout(line)
            self._rows_layout.addWidget(row)
            self.labels.append(label)
            self.buttons.append(buttons)
        self._rows_layout.addStretch(1)


class ConflictWatch(QObject):
    """``reasons``: (merchant, offer id) -> why a declared tie now forbids that product;
    ``changed`` once a read replaced them."""

    changed = Signal()

    def __init__(self, tasks: TaskManager, channel: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._channel = channel
        self._keys: frozenset[ProductKey] | None = None
        self.reasons: dict[ProductKey, str] = {}

    def forget(self) -> None:
        """Another document: the next ``watch`` reads whatever it is given."""
        self._keys = None
        self.reasons = {}

    def watch(
        self, db: Database | None, refs: Iterable[ProductRef], *, force: bool = False
    ) -> None:
        """Read the reasons for ``refs`` in a worker, unless they are the products already
        read (``force``: read again all the same)."""
        from studio.store.platform_rules import product_conflicts

        wanted = list(refs)
        keys = frozenset((r.merchant, r.offer_id) for r in wanted)
        if db is None or (keys == self._keys and not force):
            return
        self._keys = keys
        self._tasks.run(
            lambda: product_conflicts(db, wanted),
            self._arrived,
            channel=self._channel,
            owner=self,
        )

    def _arrived(self, reasons: dict[ProductKey, str]) -> None:
        self.reasons = reasons
        self.changed.emit()
