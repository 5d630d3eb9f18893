"""The look canvas: a zoomable, pannable view of one photo with its hotspot markers.

Scene coordinates are the pixels of the SHOWN image (the preview, cropped and turned); a
hotspot's stored position is a fraction of the upright, uncropped photo, so every mapping goes
through ``studio.core.sharing``: ``displayed_point`` to place a marker, ``original_point`` to
store a drop, a click or a drag. The canvas never writes: it emits what the user did and the
editor turns it into undoable commands. In crop mode (``crop_tool.py``) the editor shows the
whole photo here and the canvas forwards its mouse to the ``CropTool`` over it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPixmap,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QWidget,
)

from studio.core.looks import Crop, Hotspot, LookPhoto, MatchKind
from studio.core.sharing import displayed_point, original_point, shown_size
from studio.ui.looks.crop_tool import CropTool
from studio.ui.looks.hotspot_item import HotspotItem
from studio.ui.widgets.gestures import GestureGc
from studio.ui.widgets.mime import MIME_TYPE, decode_product_ids

MIN_ZOOM, MAX_ZOOM = 0.05, 8.0
ZOOM_STEP = 1.25
PLACEHOLDER_LONG_SIDE = 1600
SCENE_MARGIN = 40  # scene px around the photo, so a marker on its edge can be grabbed
CLICK_SLOP = 4  # px the pointer may move and still count as a click


def local_files(urls: list[QUrl]) -> list[Path]:
    """The local files among dropped or pasted URLs."""
    return [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]


class LookCanvas(QGraphicsView):
    """Shows a photo and its markers; reports drops, clicks, drags and nudges."""

    #: Product ids dropped on the photo at stored (x, y).
    products_dropped = Signal(list, float, float)
    #: Image files dropped on the canvas.
    files_dropped = Signal(list)
    #: A click on the photo (no marker there): stored (x, y) and the global position.
    point_clicked = Signal(float, float, QPoint)
    #: A marker was dragged: hotspot id, old (x, y), new (x, y) - one drag, one signal.
    hotspot_moved = Signal(str, float, float, float, float)
    #: Selection changed: hotspot id or "".
    hotspot_selected = Signal(str)
    #: Arrow key on a selected marker: hotspot id, dx, dy in shown-photo fractions.
    nudge_requested = Signal(str, float, float)
    delete_requested = Signal(str)
    zoom_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._gc = GestureGc(self)  # no collector pause mid-drag
        self._scene = QGraphicsScene(self)
        self.setScene(self._scene)
        self.setAcceptDrops(True)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform
        )
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setBackgroundBrush(QColor("#2b2f36"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(self.tr("Look photo"))
        self._pixmap_item = QGraphicsPixmapItem()
        self._pixmap_item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self._pixmap_item.setZValue(0)
        # Smooth-scaling a 2560 px preview on every frame of a marker drag costs ~20 ms: the
        # scaled photo is cached at screen resolution and blitted instead.
        self._pixmap_item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._scene.addItem(self._pixmap_item)
        self._placeholder = self._scene.addRect(QRectF(), Qt.PenStyle.NoPen, QColor("#3a3f47"))
        self._placeholder.setZValue(-1)
        self.photo: LookPhoto | None = None
        self.items_by_id: dict[str, HotspotItem] = {}
        self._hotspots: tuple[Hotspot, ...] = ()
        self._numbers: dict[str, int] = {}
        self._labels: dict[str, str] = {}
        self._fit = True
        self._press: QPoint | None = None
        self._scene.selectionChanged.connect(self._selection_changed)
        self.crop = CropTool(
            self, lambda: (self.photo_rect, self.photo.rotation if self.photo else 0)
        )
        self.crop.changed.connect(lambda _c: self._fade_cropped_markers())

    # -- content ----------------------------------------------------------------------------

    @property
    def photo_rect(self) -> QRectF:
        return self._placeholder.rect()

    def set_photo(self, photo: LookPhoto | None, image: QImage | None = None) -> None:
        """Show ``photo`` (``image`` = its shown pixels, or None while it loads)."""
        same_shape = (
            self.photo is not None
            and photo is not None
            and self.photo.id == photo.id
            and (self.photo.crop, self.photo.rotation) == (photo.crop, photo.rotation)
        )
        self.photo = photo
        if photo is None:
            self._pixmap_item.setPixmap(QPixmap())
            self._placeholder.setRect(QRectF())
            self._scene.setSceneRect(QRectF())
            self._sync_markers()
            return
        if image is not None:
            self._pixmap_item.setPixmap(QPixmap.fromImage(image))
            rect = QRectF(0, 0, image.width(), image.height())
        else:
            if not same_shape:
                self._pixmap_item.setPixmap(QPixmap())
            w, h = shown_size(photo.width, photo.height, photo.crop, photo.rotation)
            scale = min(1.0, PLACEHOLDER_LONG_SIDE / max(w, h, 1))
            rect = (
                self.photo_rect
                if same_shape and self.photo_rect.isValid()
                else QRectF(0, 0, max(1, w * scale), max(1, h * scale))
            )
        changed = rect != self.photo_rect
        self._placeholder.setRect(rect)
        self._scene.setSceneRect(
            rect.adjusted(-SCENE_MARGIN, -SCENE_MARGIN, SCENE_MARGIN, SCENE_MARGIN)
        )
        self._sync_markers()
        self.crop.layout()
        self._fade_cropped_markers()
        if changed and self._fit:
            self.fit()

    def set_hotspots(
        self, hotspots: tuple[Hotspot, ...], numbers: dict[str, int], labels: dict[str, str]
    ) -> None:
        """The markers of the shown photo (hotspots of other photos are ignored)."""
        self._hotspots = hotspots
        self._numbers = numbers
        self._labels = labels
        self._sync_markers()

    # -- crop mode --------------------------------------------------------------------------

    def begin_crop(self, crop: Crop) -> None:
        """Crop mode on, from ``crop`` (the editor shows the uncropped photo meanwhile)."""
        self._scene.clearSelection()
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        for item in self.items_by_id.values():
            item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.crop.begin(crop)
        self._fade_cropped_markers()

    def end_crop(self) -> Crop:
        """Crop mode off; returns the crop the curator framed."""
        crop = self.crop.end()
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        for item in self.items_by_id.values():
            item.setAcceptedMouseButtons(Qt.MouseButton.LeftButton)
        self._fade_cropped_markers()
        return crop

    def _fade_cropped_markers(self) -> None:
        # While framing, a marker the crop would cut out is faded: it will be hidden.
        rect = self.crop.rect.adjusted(-0.5, -0.5, 0.5, 0.5)
        for item in self.items_by_id.values():
            inside = not self.crop.active or rect.contains(item.pos())
            item.setOpacity(1.0 if inside else 0.4)

    def _sync_markers(self) -> None:
        photo = self.photo
        wanted = {h.id: h for h in self._hotspots if photo is not None and h.photo_id == photo.id}
        for hid in [i for i in self.items_by_id if i not in wanted]:
            self._scene.removeItem(self.items_by_id.pop(hid))
        if photo is None:
            return
        rect = self.photo_rect
        for hid, hotspot in wanted.items():
            label = self._labels.get(hid, "")
            similar = hotspot.kind == MatchKind.SIMILAR
            item = self.items_by_id.get(hid)
            if item is None:
                item = HotspotItem(hid, self._numbers.get(hid, 0), label, similar, self._item_moved)
                if self.crop.active:
                    item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
                self.items_by_id[hid] = item
                self._scene.addItem(item)
            else:
                item.set_content(self._numbers.get(hid, 0), label, similar)
            item.bounds = rect
            shown = displayed_point(hotspot.x, hotspot.y, photo.crop, photo.rotation)
            item.setVisible(shown is not None)
            if shown is not None:
                item.setPos(
                    rect.left() + shown[0] * rect.width(), rect.top() + shown[1] * rect.height()
                )

    # -- coordinates ------------------------------------------------------------------------

    def stored_point(self, scene_pos: QPointF) -> tuple[float, float] | None:
        """The stored (x, y) of a scene point on the photo, or None off the photo."""
        rect, photo = self.photo_rect, self.photo
        if photo is None or not rect.isValid() or not rect.contains(scene_pos):
            return None
        fx = (scene_pos.x() - rect.left()) / rect.width()
        fy = (scene_pos.y() - rect.top()) / rect.height()
        return original_point(fx, fy, photo.crop, photo.rotation)

    def viewport_point_of(self, hotspot_id: str) -> QPoint | None:
        item = self.items_by_id.get(hotspot_id)
        return None if item is None else self.mapFromScene(item.pos())

    def selected_hotspot(self) -> str:
        for item in self._scene.selectedItems():
            if isinstance(item, HotspotItem):
                return item.hotspot_id
        return ""

    def select_hotspot(self, hotspot_id: str) -> None:
        item = self.items_by_id.get(hotspot_id)
        if item is None or item.isSelected():
            return
        self._scene.clearSelection()
        item.setSelected(True)
        self.ensureVisible(item)

    # -- zoom -------------------------------------------------------------------------------

    @property
    def zoom(self) -> float:
        return float(self.transform().m11())

    @property
    def fitted(self) -> bool:
        return self._fit

    def fit(self) -> None:
        self._fit = True
        if self.photo_rect.isValid():
            # The margin is the scene's own, so a fitted photo needs no scroll bars.
            self.fitInView(
                self.photo_rect.adjusted(-SCENE_MARGIN, -SCENE_MARGIN, SCENE_MARGIN, SCENE_MARGIN),
                Qt.AspectRatioMode.KeepAspectRatio,
            )
        self.zoom_changed.emit(self.zoom)

    def set_zoom(self, zoom: float) -> None:
        self._fit = False
        zoom = min(max(zoom, MIN_ZOOM), MAX_ZOOM)
        self.resetTransform()
        self.scale(zoom, zoom)
        self.zoom_changed.emit(self.zoom)

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom / ZOOM_STEP)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                self.set_zoom(self.zoom * ZOOM_STEP**steps)
            event.accept()
            return
        super().wheelEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fit:
            self.fit()

    # -- mouse and keys ---------------------------------------------------------------------

    def _item_moved(self, item: HotspotItem, old: QPointF, new: QPointF) -> None:
        before = self.stored_point(old)
        after = self.stored_point(new)
        if before is not None and after is not None:
            self.hotspot_moved.emit(item.hotspot_id, before[0], before[1], after[0], after[1])

    def _selection_changed(self) -> None:
        self.hotspot_selected.emit(self.selected_hotspot())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._gc.begin()
        if self.crop.active:
            self._press = None
            if not (
                event.button() == Qt.MouseButton.LeftButton
                and self.crop.press(event.position().toPoint())
            ):
                super().mousePressEvent(event)
            event.accept()
            return
        on_marker = isinstance(self.itemAt(event.position().toPoint()), HotspotItem)
        self._press = (
            event.position().toPoint()
            if event.button() == Qt.MouseButton.LeftButton and not on_marker
            else None
        )
        if not on_marker:
            self._scene.clearSelection()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self.crop.active:
            keep = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self.crop.move(event.position().toPoint(), keep)
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._gc.end()
        if self.crop.active:
            if not self.crop.release():
                super().mouseReleaseEvent(event)
            event.accept()
            return
        super().mouseReleaseEvent(event)
        press, self._press = self._press, None
        if press is None or event.button() != Qt.MouseButton.LeftButton:
            return
        pos = event.position().toPoint()
        if (pos - press).manhattanLength() > CLICK_SLOP:
            return  # that was a pan
        stored = self.stored_point(self.mapToScene(pos))
        if stored is not None:
            self.point_clicked.emit(stored[0], stored[1], self.viewport().mapToGlobal(pos))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        hid = "" if self.crop.active else self.selected_hotspot()
        steps = {
            Qt.Key.Key_Left: (-1, 0),
            Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (0, -1),
            Qt.Key.Key_Down: (0, 1),
        }
        if hid and key in steps:
            big = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            step = 0.05 if big else 0.005
            dx, dy = steps[key]
            self.nudge_requested.emit(hid, dx * step, dy * step)
            event.accept()
            return
        if hid and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_requested.emit(hid)
            event.accept()
            return
        super().keyPressEvent(event)

    # -- drops ------------------------------------------------------------------------------

    def _accepts(self, event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> bool:
        mime = event.mimeData()
        if mime.hasFormat(MIME_TYPE):
            return self.photo is not None
        return mime.hasUrls() and bool(local_files(mime.urls()))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._accepts(event):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if not self._accepts(event):
            event.ignore()
            return
        if event.mimeData().hasFormat(MIME_TYPE):
            on_photo = self.stored_point(self.mapToScene(event.position().toPoint()))
            if on_photo is None:
                event.ignore()
                return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        ids = decode_product_ids(mime)
        if ids:
            stored = self.stored_point(self.mapToScene(event.position().toPoint()))
            if stored is None:
                event.ignore()
                return
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            self.products_dropped.emit(ids, stored[0], stored[1])
            return
        files = local_files(mime.urls()) if mime.hasUrls() else []
        if files:
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            self.files_dropped.emit(files)
            return
        event.ignore()
