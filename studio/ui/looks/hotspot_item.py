"""A numbered hotspot marker on the look canvas, with its label beside it.

Markers keep their size on screen whatever the zoom (``ItemIgnoresTransformations``). A drag
moves the marker live and reports ONE move on release (``LookCanvas`` turns it into a single
undo step); a press without movement just selects it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

RADIUS = 13.0
ACCENT = QColor("#1f6feb")
SIMILAR = QColor("#8957e5")
LABEL_GAP = 6.0


class HotspotItem(QGraphicsObject):
    """One marker; its position is in scene coordinates (the shown photo's pixels)."""

    def __init__(
        self,
        hotspot_id: str,
        number: int,
        label: str,
        similar: bool,
        on_moved: Callable[[HotspotItem, QPointF, QPointF], None],
    ) -> None:
        super().__init__()
        self.hotspot_id = hotspot_id
        self.number = number
        self.label = label
        self.similar = similar
        self._on_moved = on_moved
        self._press_pos: QPointF | None = None
        self._grab_offset = QPointF()
        self._dragged = False
        self.bounds = QRectF()  # the scene rectangle a marker may not leave
        self.setFlags(
            QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
            | QGraphicsItem.GraphicsItemFlag.ItemIsFocusable
            | QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations
        )
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.setZValue(10)
        self.setAcceptHoverEvents(True)
        self._font = QFont()
        self._font.setBold(True)
        self._font.setPointSizeF(9.5)
        self._label_font = QFont()
        self._label_font.setPointSizeF(9.0)
        self._label_rect = QRectF()
        self._update_label_rect()

    def set_content(self, number: int, label: str, similar: bool) -> None:
        if (number, label, similar) == (self.number, self.label, self.similar):
            return
        self.prepareGeometryChange()
        self.number, self.label, self.similar = number, label, similar
        self._update_label_rect()
        self.update()

    def _update_label_rect(self) -> None:
        if not self.label:
            self._label_rect = QRectF()
            return
        metrics = QFontMetricsF(self._label_font)
        text = metrics.elidedText(self.label, Qt.TextElideMode.ElideRight, 220)
        width = metrics.horizontalAdvance(text) + 14
        height = metrics.height() + 6
        self._label_text = text
        self._label_rect = QRectF(RADIUS + LABEL_GAP, -height / 2, width, height)

    # -- painting ---------------------------------------------------------------------------

    def boundingRect(self) -> QRectF:
        marker = QRectF(-RADIUS - 3, -RADIUS - 3, 2 * RADIUS + 6, 2 * RADIUS + 6)
        return marker.united(self._label_rect.adjusted(-1, -1, 1, 1))

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addEllipse(QPointF(0, 0), RADIUS + 3, RADIUS + 3)
        return path

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = SIMILAR if self.similar else ACCENT
        if self._label_rect.isValid():
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(255, 255, 255, 230))
            painter.drawRoundedRect(self._label_rect, 6, 6)
            painter.setPen(QColor("#1c2128"))
            painter.setFont(self._label_font)
            painter.drawText(self._label_rect, Qt.AlignmentFlag.AlignCenter, self._label_text)
        selected = self.isSelected()
        painter.setPen(
            QPen(QColor("#ffd33d") if selected else QColor("white"), 3.0 if selected else 2.0)
        )
        painter.setBrush(QBrush(colour))
        painter.drawEllipse(QPointF(0, 0), RADIUS, RADIUS)
        painter.setPen(QColor("white"))
        painter.setFont(self._font)
        painter.drawText(
            QRectF(-RADIUS, -RADIUS, 2 * RADIUS, 2 * RADIUS),
            Qt.AlignmentFlag.AlignCenter,
            str(self.number),
        )

    # -- dragging ---------------------------------------------------------------------------

    def clamp(self, pos: QPointF) -> QPointF:
        if not self.bounds.isValid():
            return pos
        return QPointF(
            min(max(pos.x(), self.bounds.left()), self.bounds.right()),
            min(max(pos.y(), self.bounds.top()), self.bounds.bottom()),
        )

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        scene = self.scene()
        if scene is not None and not self.isSelected():
            scene.clearSelection()
        self.setSelected(True)
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self._press_pos = QPointF(self.pos())
        self._grab_offset = event.scenePos() - self.pos()
        self._dragged = False
        self.setCursor(Qt.CursorShape.ClosedHandCursor)
        event.accept()

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._press_pos is None:
            return
        self._dragged = True
        self.setPos(self.clamp(event.scenePos() - self._grab_offset))

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        start, self._press_pos = self._press_pos, None
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        if start is not None and self._dragged and self.pos() != start:
            self._on_moved(self, start, QPointF(self.pos()))
        self._dragged = False
        event.accept()
