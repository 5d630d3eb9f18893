"""The board canvas's scene: mouse editing (move, scale, rotate, crop), snapping and overlay.

The scene drives every drag itself rather than using ``ItemIsMovable``: a drag of several
items is one gesture with one snapping decision, previews are applied to the graphics items
only, and a single ``edited`` signal on release carries every (before, after) pair, which the
editor turns into ONE undo step and ONE store transaction. Nothing is written per mouse move.

Selection outlines, handles and snapping guides are painted in the foreground at a fixed
screen size, so the items' device-coordinate caches stay valid while they move.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPalette, QPen, QTransform
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSceneContextMenuEvent,
    QGraphicsSceneMouseEvent,
)

from studio.core.boards import BoardItem, BoardItemKind
from studio.ui.boards import geometry, overlay
from studio.ui.boards.items import BoardGraphicsItem
from studio.ui.boards.overlay import ACCENT, HANDLE_PX, ROTATE_PX
from studio.ui.widgets.colours import blend

GUIDE = QColor("#e0368c")
HIT_PX = 8.0  # how close (screen px) a press must be to grab a handle
SNAP_PX = 6.0  # snapping distance, on screen
MARGIN = 48.0  # board px of grey around the board, so handles at its edge stay reachable


@dataclass(slots=True)
class _Drag:
    kind: str  # "move" | "scale" | "rotate" | "crop"
    start: QPointF
    before: dict[str, BoardItem]
    handle: str = ""
    index: geometry.SnapIndex | None = None
    start_rect: QRectF = field(default_factory=QRectF)
    changed: bool = False
    delta: tuple[float, float] = (0.0, 0.0)


class BoardScene(QGraphicsScene):
    """The board (its size and colour) and its items; see the module docstring."""

    #: A gesture ended: list of (before, after) BoardItem pairs, and the undo text.
    edited = Signal(object, str)
    #: A text label was double-clicked: its item id.
    text_edit_requested = Signal(str)
    #: Right click: the screen position (the editor builds the menu).
    context_menu_requested = Signal(object)
    #: A gesture on the items ended (after its ``edited``, if it changed anything), or was
    #: put back: a re-read of the board held back meanwhile may run now.
    gesture_ended = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.board_rect = QRectF(0, 0, 1200, 1200)
        self.background = QColor("#ffffff")
        self.crop_mode = False
        self.editor_item: QGraphicsItem | None = None  # the in-place text editor, if open
        self._drag: _Drag | None = None
        self._guides: tuple[float | None, float | None] = (None, None)
        self._overlay = QRectF()
        self.numbers: dict[str, int] = {}  # product item id -> its legend number
        # A linear scan over 200 rects is cheaper than keeping a BSP tree up to date while
        # items move every frame.
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.selectionChanged.connect(self.refresh_overlay)

    # -- set-up -----------------------------------------------------------------------------

    def set_board(self, width: int, height: int, background: str) -> None:
        self.board_rect = QRectF(0, 0, width, height)
        self.background = QColor(background)
        self.setSceneRect(self.board_rect.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN))
        for view in self.views():
            view.resetCachedContent()
        self.update()

    def board_items(self) -> list[BoardGraphicsItem]:
        return [i for i in self.items() if isinstance(i, BoardGraphicsItem)]

    def selected_board_items(self) -> list[BoardGraphicsItem]:
        return [i for i in self.selectedItems() if isinstance(i, BoardGraphicsItem)]

    def pixel(self) -> float:
        """One screen pixel in board px (the first view's zoom)."""
        views = self.views()
        scale = abs(views[0].transform().m11()) if views else 1.0
        return 1.0 / scale if scale > 0 else 1.0

    def item_at(self, pos: QPointF) -> BoardGraphicsItem | None:
        views = self.views()
        transform = views[0].transform() if views else QTransform()
        for item in self.items(
            pos, Qt.ItemSelectionMode.IntersectsItemShape, Qt.SortOrder.DescendingOrder, transform
        ):
            if isinstance(item, BoardGraphicsItem):
                return item
        return None

    # -- mouse ------------------------------------------------------------------------------

    def _handle_at(self, pos: QPointF) -> tuple[BoardGraphicsItem, str] | None:
        selected = self.selected_board_items()
        if len(selected) != 1:
            return None
        g = selected[0]
        px = self.pixel()
        crop = self.crop_mode and g.item.kind is not BoardItemKind.TEXT
        for name, point in geometry.handle_points(
            g.item, crop_mode=crop, rotate_offset=ROTATE_PX * px
        ):
            if math.hypot(point.x() - pos.x(), point.y() - pos.y()) <= HIT_PX * px:
                return g, name
        return None

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        pos = event.scenePos()
        if self.editor_item is not None:
            if self.editor_item.contains(self.editor_item.mapFromScene(pos)):
                super().mousePressEvent(event)
                return
            self.editor_item.clearFocus()  # commits the edit (focus-out)
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        handle = self._handle_at(pos)
        if handle is not None:
            g, name = handle
            kind = "rotate" if name == "rotate" else ("crop" if name in geometry.EDGES else "scale")
            self._drag = _Drag(kind, pos, {g.item_id: g.item}, handle=name)
            event.accept()
            return
        target = self.item_at(pos)
        if target is None:
            super().mousePressEvent(event)  # empty board: clear selection, rubber band
            return
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            target.setSelected(not target.isSelected())
        elif not target.isSelected():
            self.clearSelection()
            target.setSelected(True)
        selected = self.selected_board_items()
        if not selected:
            event.accept()
            return
        ids = {g.item_id for g in selected}
        others = [g.sceneBoundingRect() for g in self.board_items() if g.item_id not in ids]
        start_rect = QRectF()
        for g in selected:
            start_rect = start_rect.united(g.sceneBoundingRect())
        self._drag = _Drag(
            "move",
            pos,
            {g.item_id: g.item for g in selected},
            index=geometry.SnapIndex(self.board_rect, others),
            start_rect=start_rect,
        )
        event.accept()

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        drag = self._drag
        if drag is None:
            super().mouseMoveEvent(event)
            return
        pos = event.scenePos()
        mods = event.modifiers()
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        graphics = {g.item_id: g for g in self.selected_board_items()}
        guides: tuple[float | None, float | None] = (None, None)
        if drag.kind == "move":
            dx, dy = pos.x() - drag.start.x(), pos.y() - drag.start.y()
            if drag.index is not None and not mods & Qt.KeyboardModifier.AltModifier:
                snap = drag.index.snap(drag.start_rect.translated(dx, dy), SNAP_PX * self.pixel())
                dx, dy = dx + snap.dx, dy + snap.dy
                guides = (snap.guide_x, snap.guide_y)
            # Only positions change per frame; the values are made once, on release.
            for item_id, before in drag.before.items():
                g = graphics.get(item_id)
                if g is not None:
                    g.setPos(before.x + dx, before.y + dy)
            drag.delta = (dx, dy)
            drag.changed = drag.changed or dx != 0 or dy != 0
        else:
            ((item_id, before),) = drag.before.items()
            g = graphics.get(item_id)
            if g is None:
                return
            if drag.kind == "scale":
                after = geometry.scaled(before, drag.handle, pos, free=shift)
            elif drag.kind == "rotate":
                after = geometry.rotated(before, pos, snap=shift)
            else:
                after = geometry.cropped(before, drag.handle, pos)
                self.update()  # the faint uncropped image reaches beyond the item
            g.apply(after)
            drag.changed = True
        self._set_guides(guides)
        self.refresh_overlay()
        event.accept()

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        drag, self._drag = self._drag, None
        if drag is None:
            super().mouseReleaseEvent(event)
            return
        self._set_guides((None, None))
        self.refresh_overlay()
        event.accept()
        if drag.changed:
            self._finish(drag)
        self.gesture_ended.emit()

    def _finish(self, drag: _Drag) -> None:
        """The gesture's items at their final values, told as one edit (``edited``)."""
        graphics = {g.item_id: g for g in self.board_items()}
        if drag.kind == "move":
            for item_id, before in drag.before.items():
                if item_id in graphics:
                    graphics[item_id].apply(geometry.moved(before, *drag.delta))
        pairs = [
            (before, graphics[i].item)
            for i, before in drag.before.items()
            if i in graphics and graphics[i].item != before
        ]
        if pairs:
            labels = {
                "move": self.tr("Move"),
                "scale": self.tr("Resize"),
                "rotate": self.tr("Rotate"),
                "crop": self.tr("Crop"),
            }
            self.edited.emit(pairs, labels[drag.kind])

    def cancel_drag(self) -> None:
        """Put the items of an unfinished gesture back (Escape, or the board was reloaded)."""
        drag, self._drag = self._drag, None
        if drag is None:
            return
        graphics = {g.item_id: g for g in self.board_items()}
        for item_id, before in drag.before.items():
            if item_id in graphics:
                graphics[item_id].apply(before)
        self._set_guides((None, None))
        self.refresh_overlay()
        self.gesture_ended.emit()

    @property
    def dragging(self) -> bool:
        return self._drag is not None

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        target = self.item_at(event.scenePos())
        if target is not None and target.item.kind is BoardItemKind.TEXT:
            self.text_edit_requested.emit(target.item_id)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def contextMenuEvent(self, event: QGraphicsSceneContextMenuEvent) -> None:
        target = self.item_at(event.scenePos())
        if target is not None and not target.isSelected():
            self.clearSelection()
            target.setSelected(True)
        self.context_menu_requested.emit(event.screenPos())
        event.accept()

    # -- painting ---------------------------------------------------------------------------

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        # The desk around the board: a shade off the window, light or dark with the scheme
        # (the board itself keeps the colour the curator gave it).
        pal = self.palette()
        painter.fillRect(
            rect,
            blend(
                pal.color(QPalette.ColorRole.Window), pal.color(QPalette.ColorRole.WindowText), 0.1
            ),
        )
        board = self.board_rect
        px = self.pixel()
        painter.fillRect(board.translated(3 * px, 4 * px), QColor(0, 0, 0, 40))
        painter.fillRect(board, self.background)

    def _set_guides(self, guides: tuple[float | None, float | None]) -> None:
        if guides == self._guides:
            return
        for gx, gy in (self._guides, guides):
            b = self.board_rect.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
            if gx is not None:
                self.update(QRectF(gx - 2, b.top(), 4, b.height()))
            if gy is not None:
                self.update(QRectF(b.left(), gy - 2, b.width(), 4))
        self._guides = guides

    @property
    def guides(self) -> tuple[float | None, float | None]:
        return self._guides

    def refresh_overlay(self) -> None:
        """Repaint where the outlines and handles were and where they are now."""
        rect = QRectF()
        for g in self.selected_board_items():
            rect = rect.united(g.sceneBoundingRect())
        if not rect.isNull():
            pad = (ROTATE_PX + HANDLE_PX * 2) * self.pixel()
            rect = rect.adjusted(-pad, -pad, pad, pad)
        if not self._overlay.isNull():
            self.update(self._overlay)
        if not rect.isNull():
            self.update(rect)
        self._overlay = QRectF(rect)

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        px = self.pixel()
        selected = self.selected_board_items()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        outline_pen = QPen(ACCENT, 1.5)
        outline_pen.setCosmetic(True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(outline_pen)
        editing = self.editor_item.parentItem() if self.editor_item is not None else None
        for g in selected:
            if g is not editing:  # the text editor shows its own frame
                painter.drawPolygon(g.mapToScene(g.boundingRect()))
        if self._drag is not None and self._drag.kind == "crop" and len(selected) == 1:
            overlay.draw_uncropped(painter, selected[0])
        overlay.draw_badges(painter, QRectF(rect), self.board_items(), self.numbers, px)
        painter.setPen(outline_pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if len(selected) == 1 and self.editor_item is None:
            item = selected[0].item
            if self._drag is not None and self._drag.kind == "move":
                item = geometry.moved(item, *self._drag.delta)  # values catch up on release
            overlay.draw_handles(painter, item, px, crop_mode=self.crop_mode)
        gx, gy = self._guides
        guide_pen = QPen(GUIDE, 1)
        guide_pen.setCosmetic(True)
        painter.setPen(guide_pen)
        b = self.board_rect.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
        if gx is not None:
            painter.drawLine(QPointF(gx, b.top()), QPointF(gx, b.bottom()))
        if gy is not None:
            painter.drawLine(QPointF(b.left(), gy), QPointF(b.right(), gy))

    def set_numbers(self, numbers: dict[str, int]) -> None:
        if numbers != self.numbers:
            self.numbers = numbers
            self.update()
