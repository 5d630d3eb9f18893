"""A one-line label that shrinks with its column, eliding its text (the whole text in its
tooltip), instead of asking the window to be as wide as the text.

A plain ``QLabel``'s minimum width is its text's: a long shop or look title in a heading row
pushed the whole window wider than a 1366-pixel laptop screen. ``ElidedLabel`` asks for a
few characters at least and paints as much of the text as fits, ending it with "…".
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel

MIN_CHARS = 8


class ElidedLabel(QLabel):
    """A ``QLabel`` whose text is elided at its right end when the row is too narrow."""

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)
        self.updateGeometry()

    def minimumSizeHint(self) -> QSize:
        fm = self.fontMetrics()
        return QSize(fm.averageCharWidth() * MIN_CHARS, super().minimumSizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        del event
        painter = QPainter(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, int(self.alignment()), text)
