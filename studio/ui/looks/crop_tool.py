"""Cropping on the photo: the canvas's crop mode, its rectangle, handles and the crop bar.

While crop mode is on, the canvas shows the whole photo (turned as it is shown, but uncropped)
and this module draws the pending crop over it: the part cut away is dimmed, the rectangle has
eight handles (corners and edges) and can be dragged by its inside. Geometry is done in scene
coordinates of that uncropped, turned photo, so handles act in the orientation the curator
sees; the pending crop itself is kept as a ``Crop`` of the UPRIGHT photo (what the store keeps)
and converted through ``studio.core.sharing`` both ways. Nothing is written here: the editor
(``crop_mode.py``) writes the pending crop as one undoable edit when the curator applies it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QWidget,
)

from studio.core.looks import Crop
from studio.core.sharing import displayed_point, original_point

#: The smallest crop, as a fraction of the photo's side (the inspector refuses less too).
MIN_FRACTION = 0.05
CORNER_GRAB = 14  # viewport px around a corner that grab it
EDGE_GRAB = 8  # viewport px either side of an edge that grab it
DIM = QColor(0, 0, 0, 150)

#: A handle is the direction it pulls: (-1|0|1, -1|0|1); (0, 0) moves the whole rectangle.
Handle = tuple[int, int]
MOVE: Handle = (0, 0)
CORNERS: tuple[Handle, ...] = ((-1, -1), (1, -1), (1, 1), (-1, 1))
EDGES: tuple[Handle, ...] = ((0, -1), (1, 0), (0, 1), (-1, 0))


def cursor_of(handle: Handle) -> Qt.CursorShape:
    hx, hy = handle
    if hx and hy:
        return Qt.CursorShape.SizeFDiagCursor if hx == hy else Qt.CursorShape.SizeBDiagCursor
    if hx or hy:
        return Qt.CursorShape.SizeHorCursor if hx else Qt.CursorShape.SizeVerCursor
    return Qt.CursorShape.SizeAllCursor


# -- geometry (pure) -----------------------------------------------------------------------


def shown_fractions(crop: Crop, rotation: int) -> tuple[float, float, float, float]:
    """The crop of the upright photo as (left, top, right, bottom) of the turned photo."""
    a = displayed_point(crop.left, crop.top, Crop(), rotation) or (0.0, 0.0)
    b = displayed_point(crop.right, crop.bottom, Crop(), rotation) or (1.0, 1.0)
    return min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])


def crop_of(left: float, top: float, right: float, bottom: float, rotation: int) -> Crop:
    """The inverse of :func:`shown_fractions`, clamped to the photo and rounded."""
    a = original_point(left, top, Crop(), rotation)
    b = original_point(right, bottom, Crop(), rotation)

    def fix(v: float) -> float:
        # Four decimals: finer than a pixel of a 10 000 px photo, free of float noise.
        return round(min(max(v, 0.0), 1.0), 4)

    return Crop(
        fix(min(a[0], b[0])), fix(min(a[1], b[1])), fix(max(a[0], b[0])), fix(max(a[1], b[1]))
    )


def handle_point(rect: QRectF, handle: Handle) -> QPointF:
    xs = {-1: rect.left(), 0: rect.center().x(), 1: rect.right()}
    ys = {-1: rect.top(), 0: rect.center().y(), 1: rect.bottom()}
    return QPointF(xs[handle[0]], ys[handle[1]])


def drag_rect(
    start: QRectF,
    handle: Handle,
    delta: QPointF,
    bounds: QRectF,
    min_w: float,
    min_h: float,
    keep_aspect: bool = False,
) -> QRectF:
    """``start`` dragged by ``handle`` over ``delta``: inside ``bounds``, never below the minimum.

    With ``keep_aspect`` a corner scales the rectangle about the opposite corner.
    """
    min_w, min_h = min(min_w, bounds.width()), min(min_h, bounds.height())
    left, top, right, bottom = start.left(), start.top(), start.right(), start.bottom()
    hx, hy = handle
    if handle == MOVE:
        dx = min(max(delta.x(), bounds.left() - left), bounds.right() - right)
        dy = min(max(delta.y(), bounds.top() - top), bounds.bottom() - bottom)
        return start.translated(dx, dy)
    if keep_aspect and hx and hy and start.width() > 0 and start.height() > 0:
        ax = right if hx < 0 else left  # the anchor: the opposite corner
        ay = bottom if hy < 0 else top
        cx = (left if hx < 0 else right) + delta.x()
        cy = (top if hy < 0 else bottom) + delta.y()
        scale = max((cx - ax) * hx / start.width(), (cy - ay) * hy / start.height())
        room_x = (bounds.right() - ax) if hx > 0 else (ax - bounds.left())
        room_y = (bounds.bottom() - ay) if hy > 0 else (ay - bounds.top())
        smallest = max(min_w / start.width(), min_h / start.height())
        largest = min(room_x / start.width(), room_y / start.height())
        scale = min(max(scale, smallest), max(largest, smallest))
        w, h = start.width() * scale, start.height() * scale
        return QRectF(ax if hx > 0 else ax - w, ay if hy > 0 else ay - h, w, h)
    if hx < 0:
        left = min(max(left + delta.x(), bounds.left()), right - min_w)
    elif hx > 0:
        right = max(min(right + delta.x(), bounds.right()), left + min_w)
    if hy < 0:
        top = min(max(top + delta.y(), bounds.top()), bottom - min_h)
    elif hy > 0:
        bottom = max(min(bottom + delta.y(), bounds.bottom()), top + min_h)
    return QRectF(QPointF(left, top), QPointF(right, bottom))


def hit_handle(view: QGraphicsView, rect: QRectF, pos: QPoint) -> Handle | None:
    """The handle under viewport point ``pos`` (corners first, then edges, then the inside)."""
    p = QPointF(pos)
    for handle in CORNERS:
        c = QPointF(view.mapFromScene(handle_point(rect, handle)))
        if abs(c.x() - p.x()) <= CORNER_GRAB and abs(c.y() - p.y()) <= CORNER_GRAB:
            return handle
    shown = QRectF(
        QPointF(view.mapFromScene(rect.topLeft())), QPointF(view.mapFromScene(rect.bottomRight()))
    ).normalized()
    within_x = shown.left() - EDGE_GRAB <= p.x() <= shown.right() + EDGE_GRAB
    within_y = shown.top() - EDGE_GRAB <= p.y() <= shown.bottom() + EDGE_GRAB
    for handle, near in (
        ((-1, 0), within_y and abs(p.x() - shown.left()) <= EDGE_GRAB),
        ((1, 0), within_y and abs(p.x() - shown.right()) <= EDGE_GRAB),
        ((0, -1), within_x and abs(p.y() - shown.top()) <= EDGE_GRAB),
        ((0, 1), within_x and abs(p.y() - shown.bottom()) <= EDGE_GRAB),
    ):
        if near:
            return handle
    return MOVE if shown.contains(p) else None


# -- drawing -------------------------------------------------------------------------------


class HandleItem(QGraphicsItem):
    """One handle, a constant size on screen: an L bracket at a corner, a bar on an edge."""

    def __init__(self, handle: Handle, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.handle = handle
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        return QRectF(-22, -22, 44, 44)

    def _path(self) -> QPainterPath:
        hx, hy = self.handle
        path = QPainterPath()
        if hx and hy:  # the bracket's arms run along the two edges, into the rectangle
            path.moveTo(-hx * 18, 0)
            path.lineTo(0, 0)
            path.lineTo(0, -hy * 18)
        elif hx:
            path.moveTo(0, -11)
            path.lineTo(0, 11)
        else:
            path.moveTo(-11, 0)
            path.lineTo(11, 0)
        return path

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        path = self._path()
        cap = Qt.PenCapStyle.RoundCap
        join = Qt.PenJoinStyle.RoundJoin
        painter.setPen(QPen(QColor(0, 0, 0, 110), 6.5, Qt.PenStyle.SolidLine, cap, join))
        painter.drawPath(path)
        painter.setPen(QPen(QColor("white"), 4.0, Qt.PenStyle.SolidLine, cap, join))
        painter.drawPath(path)


class CropOverlay(QGraphicsObject):
    """The dimmed surround, the rectangle's frame, its thirds grid and its eight handles."""

    def __init__(self, bounds: QRectF, rect: QRectF) -> None:
        super().__init__()
        self.bounds = QRectF(bounds)
        self.rect = QRectF(rect)
        self.setZValue(5)  # above the photo, below the markers
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.handles = {h: HandleItem(h, self) for h in CORNERS + EDGES}
        self.set_rects(bounds, rect)

    def set_rects(self, bounds: QRectF, rect: QRectF) -> None:
        if bounds != self.bounds:
            self.prepareGeometryChange()
        self.bounds, self.rect = QRectF(bounds), QRectF(rect)
        for handle, item in self.handles.items():
            item.setPos(handle_point(rect, handle))
        self.update()

    def boundingRect(self) -> QRectF:
        return self.bounds.adjusted(-2, -2, 2, 2)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        dim = QPainterPath()
        dim.addRect(self.bounds)
        keep = QPainterPath()
        keep.addRect(self.rect)
        painter.fillPath(dim.subtracted(keep), DIM)
        thin = QPen(QColor(255, 255, 255, 90), 1.0)
        thin.setCosmetic(True)
        painter.setPen(thin)
        r = self.rect
        for i in (1, 2):  # the rule of thirds, the usual help for framing
            x = r.left() + r.width() * i / 3
            y = r.top() + r.height() * i / 3
            painter.drawLine(QPointF(x, r.top()), QPointF(x, r.bottom()))
            painter.drawLine(QPointF(r.left(), y), QPointF(r.right(), y))
        frame = QPen(QColor(255, 255, 255, 230), 1.5)
        frame.setCosmetic(True)
        painter.setPen(frame)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(r)


# -- the tool ------------------------------------------------------------------------------


class CropTool(QObject):
    """The canvas's crop mode: the pending crop, its overlay and the drags that change it."""

    #: The pending crop changed (a ``Crop`` of the upright photo).
    changed = Signal(object)

    def __init__(self, view: QGraphicsView, geometry: Callable[[], tuple[QRectF, int]]) -> None:
        super().__init__(view)
        self._view = view
        self._geometry = geometry  # () -> (the shown photo's scene rect, its quarter turns)
        self.active = False
        self.pending = Crop()
        self.overlay: CropOverlay | None = None
        self._drag: tuple[Handle, QPointF, QRectF] | None = None

    @property
    def rect(self) -> QRectF:
        """The pending crop in scene coordinates (empty when crop mode is off)."""
        return QRectF(self.overlay.rect) if self.overlay is not None else QRectF()

    def begin(self, crop: Crop) -> None:
        self.active = True
        self.pending = crop
        self._drag = None
        self.layout()

    def end(self) -> Crop:
        """Leave crop mode; returns the pending crop."""
        self.active = False
        self._drag = None
        if self.overlay is not None:
            scene = self.overlay.scene()
            if scene is not None:
                scene.removeItem(self.overlay)
            self.overlay = None
        self._view.viewport().unsetCursor()
        return self.pending

    def set_crop(self, crop: Crop) -> None:
        """A crop typed elsewhere (the inspector's boxes): the rectangle follows it."""
        if self.active:
            self.pending = crop
            self.layout()
            self.changed.emit(crop)

    def layout(self) -> None:
        """Place the rectangle for the pending crop on the photo as it is shown now."""
        bounds, rotation = self._geometry()
        if not self.active or not bounds.isValid():
            return
        left, top, right, bottom = shown_fractions(self.pending, rotation)
        rect = QRectF(
            QPointF(bounds.left() + left * bounds.width(), bounds.top() + top * bounds.height()),
            QPointF(
                bounds.left() + right * bounds.width(), bounds.top() + bottom * bounds.height()
            ),
        )
        if self.overlay is None:
            self.overlay = CropOverlay(bounds, rect)
            self._view.scene().addItem(self.overlay)
        else:
            self.overlay.set_rects(bounds, rect)

    # -- mouse (viewport coordinates; the canvas forwards its events while cropping) --------

    def press(self, pos: QPoint) -> bool:
        if self.overlay is None:
            return False
        handle = hit_handle(self._view, self.overlay.rect, pos)
        if handle is None:
            return False
        self._drag = (handle, self._view.mapToScene(pos), QRectF(self.overlay.rect))
        return True

    def move(self, pos: QPoint, keep_aspect: bool) -> None:
        overlay = self.overlay
        if overlay is None:
            return
        if self._drag is None:  # hovering: show what a press here would do
            handle = hit_handle(self._view, overlay.rect, pos)
            viewport = self._view.viewport()
            viewport.unsetCursor() if handle is None else viewport.setCursor(cursor_of(handle))
            return
        handle, origin, start = self._drag
        bounds, rotation = self._geometry()
        rect = drag_rect(
            start,
            handle,
            self._view.mapToScene(pos) - origin,
            bounds,
            bounds.width() * MIN_FRACTION,
            bounds.height() * MIN_FRACTION,
            keep_aspect,
        )
        overlay.set_rects(bounds, rect)
        self.pending = crop_of(
            (rect.left() - bounds.left()) / bounds.width(),
            (rect.top() - bounds.top()) / bounds.height(),
            (rect.right() - bounds.left()) / bounds.width(),
            (rect.bottom() - bounds.top()) / bounds.height(),
            rotation,
        )
        self.changed.emit(self.pending)

    def release(self) -> bool:
        dragged, self._drag = self._drag is not None, None
        return dragged
