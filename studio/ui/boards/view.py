"""The board canvas's view: zoom (Ctrl+wheel, Ctrl+=/-, fit), pan, keys and drops.

Drops are recognised here and handed to the editor as plain values: catalog products (their
ids, through ``decode_product_ids``) and image files from the desktop (their paths), each with
the board point where they were dropped.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QFocusEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QFrame, QGraphicsView, QWidget

from studio.media import PHOTO_SUFFIXES
from studio.ui.boards.landing import visible_part
from studio.ui.boards.scene import BoardScene
from studio.ui.widgets.gestures import GestureGc
from studio.ui.widgets.mime import decode_product_ids, product_links

IMAGE_SUFFIXES = frozenset(PHOTO_SUFFIXES)  # dropped files taken as photos
MIN_ZOOM, MAX_ZOOM = 0.05, 8.0
ZOOM_STEP = 1.25
_MODIFIER_KEYS = {Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta}


def dropped_files(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[Path]:
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [
        Path(u.toLocalFile())
        for u in mime.urls()
        if u.isLocalFile() and Path(u.toLocalFile()).suffix.lower() in IMAGE_SUFFIXES
    ]


class BoardView(QGraphicsView):
    """Shows a ``BoardScene``; emits drops and nudges, zooms and pans itself."""

    products_dropped = Signal(list, QPointF)  # product ids, board point
    files_dropped = Signal(list, QPointF)  # image paths, board point
    links_dropped = Signal(list, QPointF)  # product page links (from a browser), board point
    nudged = Signal(float, float)  # arrow keys: board px
    zoom_changed = Signal(float)
    gesture_started = Signal()  # a mouse press or a key other than an arrow (ends a nudge run)

    def __init__(self, scene: BoardScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self._gc = GestureGc(self)  # no collector pause mid-gesture
        self.board_scene = scene
        self.fitting = True  # follow the widget's size until the user zooms
        self._pan_from: QPoint | None = None  # where the last pan move ended (None: no pan)
        self._pan_with = Qt.MouseButton.NoButton
        self._space_held = False
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform
        )
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing, True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(self.tr("Board canvas"))

    # -- zoom -------------------------------------------------------------------------------

    @property
    def zoom(self) -> float:
        return abs(self.transform().m11())

    def set_zoom(self, factor: float, *, under_mouse: bool = False) -> None:
        """Zoom to ``factor``, keeping the point under the mouse (wheel) or the centre still."""
        factor = min(MAX_ZOOM, max(MIN_ZOOM, factor))
        anchor = (
            QGraphicsView.ViewportAnchor.AnchorUnderMouse
            if under_mouse
            else QGraphicsView.ViewportAnchor.AnchorViewCenter
        )
        self.setTransformationAnchor(anchor)
        if self.zoom > 0:
            self.scale(factor / self.zoom, factor / self.zoom)
        else:
            self.setTransform(QTransform.fromScale(factor, factor))
        self.resetCachedContent()
        self.board_scene.refresh_overlay()
        self.zoom_changed.emit(factor)

    def zoom_in(self) -> None:
        self.fitting = False
        self.set_zoom(self.zoom * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.fitting = False
        self.set_zoom(self.zoom / ZOOM_STEP)

    def fit(self) -> None:
        """Show the whole board (and its grey margin, so no scroll bar is needed)."""
        self.fitting = True
        area = self.sceneRect()
        vw, vh = self.viewport().width() - 4, self.viewport().height() - 4
        if vw <= 0 or vh <= 0 or area.isEmpty():
            return
        self.set_zoom(min(vw / area.width(), vh / area.height()))
        self.centerOn(self.board_scene.board_rect.center())

    def visible_board(self) -> QRectF:
        """The part of the board shown now (board coordinates; all of it if none is)."""
        shown = self.mapToScene(self.viewport().rect()).boundingRect()
        return visible_part(shown, self.board_scene.board_rect)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.fitting:
            self.fit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                self.fitting = False
                self.set_zoom(self.zoom * (1.15**steps), under_mouse=True)
            event.accept()
            return
        super().wheelEvent(event)

    # -- pan (middle button, or Space + left drag) and keys ---------------------------------

    @property
    def panning(self) -> bool:
        return self._pan_from is not None

    def _pan_button(self, event: QMouseEvent) -> bool:
        """The button pans: the middle one, or the left one while Space is held."""
        return event.button() == Qt.MouseButton.MiddleButton or (
            event.button() == Qt.MouseButton.LeftButton and self._space_held
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._gc.begin()
        self.gesture_started.emit()
        if self._pan_from is None and self._pan_button(event):
            # Handled here, not by the scene: Space + drag over an item pans, it never moves
            # the item (Qt's ScrollHandDrag hands a press on an item to the item).
            self._pan_from = event.position().toPoint()
            self._pan_with = event.button()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            now = event.position().toPoint()
            delta = now - self._pan_from
            self._pan_from = now
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - delta.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - delta.y())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._gc.end()
        if self._pan_from is not None:
            if event.button() == self._pan_with:
                self._pan_from = None
                self._set_pan_cursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def _set_pan_cursor(self) -> None:
        if self._space_held:
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
        else:
            self.viewport().unsetCursor()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Space and not self._editing():
            if not event.isAutoRepeat():
                self._space_held = True
                if self._pan_from is None:
                    self._set_pan_cursor()
            event.accept()
            return
        arrows = {
            Qt.Key.Key_Left: (-1, 0),
            Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (0, -1),
            Qt.Key.Key_Down: (0, 1),
        }
        if key in arrows and not self._editing() and self.board_scene.selected_board_items():
            step = 10.0 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1.0
            dx, dy = arrows[Qt.Key(key)]
            self.nudged.emit(dx * step, dy * step)
            event.accept()
            return
        if key not in arrows and key not in _MODIFIER_KEYS:
            self.gesture_started.emit()  # any other key ends a run of nudges
        # Escape puts back a gesture in progress, otherwise clears the selection (while a
        # label is edited in place, it is the editor's: it cancels the edit).
        if key == Qt.Key.Key_Escape and self.board_scene.dragging:
            self.board_scene.cancel_drag()
            return
        if key == Qt.Key.Key_Escape and not self._editing():
            self.board_scene.clearSelection()
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat() and self._space_held:
            self._space_held = False
            if self._pan_from is None:
                self._set_pan_cursor()
            event.accept()
            return
        super().keyReleaseEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        # The Space release may go to another widget: never leave the view stuck in pan mode.
        if self._space_held:
            self._space_held = False
            if self._pan_from is None:
                self._set_pan_cursor()
        super().focusOutEvent(event)

    def _editing(self) -> bool:
        return self.board_scene.editor_item is not None

    # -- drops ------------------------------------------------------------------------------

    def _accepts(self, event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> bool:
        mime = event.mimeData()
        return bool(decode_product_ids(mime) or dropped_files(event) or product_links(mime))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._accepts(event):
            self._gc.begin()
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._gc.end()
        super().dragLeaveEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._accepts(event):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        self._gc.end()
        point = self.mapToScene(event.position().toPoint())
        ids = decode_product_ids(event.mimeData())
        files = dropped_files(event)
        links = product_links(event.mimeData())
        if ids:
            self.products_dropped.emit(ids, point)
        elif files:
            self.files_dropped.emit(files, point)
        elif links:
            self.links_dropped.emit(links, point)
        else:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
