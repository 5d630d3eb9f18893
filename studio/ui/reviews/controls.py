"""Small controls of the Reviews workspace: the star rating and the product drop target.

``StarRating`` is a 1-5 control: five star buttons with accessible names ("Rate 3 stars"),
one Tab stop where the digits 1-5 set the rating and Left/Right step it. A review without a
rating (a new one) shows an empty state: five outlined stars and "Not rated yet: click a
star", never a default the curator did not give. ``rated`` is emitted for a change the USER
makes only; ``set_rating`` (showing a stored value) is silent, so showing a review never
writes it back.

``ProductDropFilter`` makes any widget a target for catalog
products dragged from the picker or the catalog browser (MIME
``application/x-vitrine-product-ids``) without subclassing it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from studio.core.reviews import RATING_MAX, RATING_MIN
from studio.ui.widgets.mime import MIME_TYPE, decode_product_ids

FULL, EMPTY = "★", "☆"


def stars(rating: int | None) -> str:
    """``★★★☆☆`` for 3; "" for no rating."""
    if rating is None:
        return ""
    return FULL * rating + EMPTY * (RATING_MAX - rating)


class StarRating(QWidget):
    """``rated(value)`` when the user picks a rating."""

    rated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value = 0
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(self.tr("Rating"))
        # Lets the focus frame (a style sheet border) paint on this plain QWidget subclass.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.buttons: list[QToolButton] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(0)
        for n in range(RATING_MIN, RATING_MAX + 1):
            button = QToolButton(self)
            button.setAutoRaise(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the control is one Tab stop
            name = self.tr("Rate %n stars", "", n)
            button.setAccessibleName(name)
            button.setToolTip(self.tr("{name} (key {n})").format(name=name, n=n))
            button.setStyleSheet(
                "QToolButton { font-size: 20px; color: #e0a800; border: 0; padding: 0 1px; }"
            )
            button.clicked.connect(lambda _c=False, n=n: self._pick(n))
            layout.addWidget(button)
            self.buttons.append(button)
        self.caption = QLabel(self)
        # The palette's muted text: readable in light and dark alike.
        self.caption.setStyleSheet("color: palette(placeholder-text); margin-left: 6px;")
        layout.addWidget(self.caption)
        layout.addStretch(1)
        self._paint()

    def value(self) -> int:
        return self._value

    def set_rating(self, value: int | None) -> None:
        """Show ``value`` (None: not rated yet) without emitting ``rated``."""
        self._value = value or 0
        self._paint()

    def _pick(self, value: int) -> None:
        value = max(RATING_MIN, min(RATING_MAX, value))
        if value != self._value:
            self._value = value
            self._paint()
            self.rated.emit(value)

    def _paint(self) -> None:
        for n, button in enumerate(self.buttons, start=RATING_MIN):
            button.setText(FULL if n <= self._value else EMPTY)
        text = (
            self.tr("{n} of 5").format(n=self._value)
            if self._value
            else self.tr("Not rated yet: click a star")
        )
        self.caption.setText(text)
        self.setAccessibleDescription(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if Qt.Key.Key_1 <= key <= Qt.Key.Key_5:
            self._pick(key - Qt.Key.Key_0)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Down):
            if self._value:  # no rating stays none: Left is no way to give one star
                self._pick(self._value - 1)
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_Up):
            self._pick(self._value + 1)  # from no rating: one star
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.setStyleSheet("StarRating { border: 1px solid #3d7bd9; border-radius: 3px; }")
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.setStyleSheet("")
        super().focusOutEvent(event)


class ProductDropFilter(QObject):
    """Installed on a widget that accepts drops: ``dropped(ids)`` for catalog products."""

    dropped = Signal(list)

    def __init__(self, target: QWidget) -> None:
        super().__init__(target)
        target.setAcceptDrops(True)
        target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            drag = event
            assert isinstance(drag, QDragEnterEvent | QDragMoveEvent)
            if drag.mimeData().hasFormat(MIME_TYPE):
                drag.acceptProposedAction()
                return True
            return False
        if kind == QEvent.Type.Drop:
            drop = event
            assert isinstance(drop, QDropEvent)
            ids = decode_product_ids(drop.mimeData())
            if ids:
                drop.acceptProposedAction()
                self.dropped.emit(ids)
                return True
        return False
