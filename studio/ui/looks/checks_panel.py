"""The check panel: what would make the look worse to publish, each with a one-click fix.

Issues come from ``studio.core.look_checks.check_look``; the panel shows them and emits
``fix_requested(issue)``; the editor knows how to fix each kind. A conflict of interest (a tag
made before a competing tie was declared) has two fixes: pick another product
(``fix_requested``) or remove the tag (``remove_requested``); so has a tag the crop hides: show
it (the crop grows to take it in) or remove it. A fix that opens a dialog says so with "…".
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from studio.core.look_checks import CheckIssue, CheckKind


class ChecksPanel(QWidget):
    fix_requested = Signal(object)
    remove_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.issues: list[CheckIssue] = []
        self.fix_buttons: list[QPushButton] = []
        self.remove_buttons: dict[int, QPushButton] = {}  # issue index -> its Remove button
        self.header = QLabel(self)
        self.header.setStyleSheet("font-weight: 600;")
        self._rows = QWidget(self)
        self._rows_layout = QVBoxLayout(self._rows)
        self._rows_layout.setContentsMargins(0, 0, 0, 0)
        self._rows_layout.setSpacing(4)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self._rows)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(scroll, 1)
        self.show_issues([], {})

    def _texts(self) -> dict[CheckKind, tuple[str, str]]:
        return {
            CheckKind.UNAVAILABLE: (
                self.tr("Tag {n}: the product is out of stock"),
                self.tr("Find similar"),
            ),
            CheckKind.MISSING_PRODUCT: (
                self.tr("Tag {n}: the product left the catalog"),
                self.tr("Find similar"),
            ),
            CheckKind.LOW_RESOLUTION: (
                self.tr("Photo {p}: low resolution"),
                self.tr("Improve resolution…"),
            ),
            CheckKind.TOO_MANY_HOTSPOTS: (
                self.tr("Photo {p}: too many tags"),
                self.tr("Show photo"),
            ),
            CheckKind.NO_CAPTION: (self.tr("The look has no caption"), self.tr("Write one")),
            CheckKind.NO_ALT_TEXT: (self.tr("Photo {p}: no alt text"), self.tr("Describe it")),
            CheckKind.CONFLICT: (
                self.tr("Tag {n}: conflict of interest"),
                self.tr("Pick another"),
            ),
            CheckKind.HIDDEN_BY_CROP: (
                self.tr("Tag {n}: hidden by the crop"),
                self.tr("Show it"),
            ),
        }

    def show_issues(
        self,
        issues: list[CheckIssue],
        numbers: Mapping[str, int],
        photo_numbers: Mapping[str, int] | None = None,
    ) -> None:
        self.issues = list(issues)
        while self._rows_layout.count():
            item = self._rows_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.fix_buttons, self.remove_buttons = [], {}
        photo_numbers = photo_numbers or {}
        texts = self._texts()
        if not issues:
            self.header.setText(self.tr("✓ Ready to publish: no issues"))
        else:
            self.header.setText(self.tr("%n issues to check", "", len(issues)))
        for index, issue in enumerate(issues):
            text, fix = texts[issue.kind]
            row = QWidget(self._rows)
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            label = QLabel(
                text.format(
                    n=numbers.get(issue.hotspot_id or "", "?"),
                    p=photo_numbers.get(issue.photo_id or "", "?"),
                ),
                row,
            )
            label.setWordWrap(True)
            if issue.detail:
                label.setToolTip(issue.detail)
            if issue.kind is CheckKind.CONFLICT:  # the reason is the point: shown, not hidden
                number = numbers.get(issue.hotspot_id or "", "?")
                label.setText(self.tr("Tag {n} — {reason}").format(n=number, reason=issue.detail))
            button = QPushButton(fix, row)
            button.setAccessibleName(f"{fix}: {label.text()}")
            button.clicked.connect(lambda _c=False, i=issue: self.fix_requested.emit(i))
            line.addWidget(label, 1)
            if issue.kind in (CheckKind.CONFLICT, CheckKind.HIDDEN_BY_CROP):
                remove = QPushButton(self.tr("Remove tag"), row)
                remove.setAccessibleName(f"{remove.text()}: {label.text()}")
                remove.clicked.connect(lambda _c=False, i=issue: self.remove_requested.emit(i))
                line.addWidget(remove, 0, Qt.AlignmentFlag.AlignRight)
                self.remove_buttons[index] = remove
            line.addWidget(button, 0, Qt.AlignmentFlag.AlignRight)
            self._rows_layout.addWidget(row)
            self.fix_buttons.append(button)
        self._rows_layout.addStretch(1)
