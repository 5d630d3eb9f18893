"""In-place editing of a text label: a ``QGraphicsTextItem`` laid over the label being edited.

The editor is its own scene item laid exactly over the label (its transform is the label's,
so rotation and stretch match), not a child: the label may be removed while its editor is
still finishing (a label emptied in place is deleted), and a child would go with it in the
middle of its own key handler. Enter (without Shift) or a click elsewhere commits, Escape
cancels; the controller turns a commit into one undo step.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QKeyEvent, QTextCursor, QTransform
from PySide6.QtWidgets import QGraphicsTextItem

from studio.ui.boards.items import TEXT_PADDING, BoardGraphicsItem, label_font, text_size


class InPlaceTextEditor(QGraphicsTextItem):
    committed = Signal(str, str)  # item id, new text
    finished = Signal()

    def __init__(self, target: BoardGraphicsItem) -> None:
        super().__init__()
        self._target = target
        self._item_id = target.item_id
        self._done = False
        item = target.item
        self.document().setDocumentMargin(0)
        self.setFont(label_font(item.font_size))
        self.setDefaultTextColor(QColor(item.color))
        self.setPlainText(item.text)
        natural = text_size(item.text, item.font_size)
        # A label stretched by its handles is edited at the same stretch.
        sx = item.width / natural.width() if natural.width() else 1.0
        sy = item.height / natural.height() if natural.height() else 1.0
        local = QTransform.fromTranslate(
            -item.width / 2 + TEXT_PADDING * sx, -item.height / 2 + TEXT_PADDING * sy
        )
        self.setTransform(QTransform.fromScale(sx, sy) * local * target.sceneTransform())
        self.setZValue(1e9)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextEditorInteraction)
        target.scene().addItem(self)
        target.set_editing(True)

    def start(self) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        cursor = self.textCursor()
        cursor.select(QTextCursor.SelectionType.Document)
        self.setTextCursor(cursor)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            self.finish(commit=True)
            return
        if event.key() == Qt.Key.Key_Escape:
            self.finish(commit=False)
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.finish(commit=True)

    def finish(self, *, commit: bool) -> None:
        if self._done:
            return
        self._done = True
        text = self.toPlainText()
        if shiboken6.isValid(self._target):
            self._target.set_editing(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.hide()
        if commit:
            self.committed.emit(self._item_id, text)
        self.finished.emit()
