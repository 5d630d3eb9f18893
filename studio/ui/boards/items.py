"""The graphics item that draws one board item: a product image, a photo or a text label.

Each ``BoardGraphicsItem`` mirrors one ``BoardItem`` value: its centre is the item's ``pos``,
its rotation Qt's ``rotation`` and its flips a local ``QTransform``, so mapping a scene point
into the item gives image coordinates directly (flip included). Items draw nothing of their
selection: outlines and handles are drawn once by the scene's foreground.

Each item keeps its own device-resolution picture of itself (rotation, flip, crop, zoom
applied), redrawn only when its look or the zoom changes; painting is then one unscaled blit.
Qt's ``DeviceCoordinateCache`` does this too, but not for rotated items, and a collage is full
of rotated items: without it a drag over a 200-item board resamples every overlapped image
each frame.
"""

from __future__ import annotations

import math
from collections import OrderedDict

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QPixmap, QTransform
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from studio.core.boards import BoardItem, BoardItemKind

PLACEHOLDER_FILL = QColor("#eceae6")
PLACEHOLDER_INK = QColor("#8a8580")
TEXT_PADDING = 6.0  # board px around a label's text, so the outline does not touch the glyphs
MAX_CACHE_SIDE = 1600  # device px: a larger item (deep zoom) is drawn directly, uncached
CACHE_BUDGET = 256 * 1024 * 1024  # bytes of cached pictures kept, least recently drawn dropped


def tr(text: str) -> str:
    return QCoreApplication.translate("boards", text)


def label_font(font_size: float) -> QFont:
    font = QFont()
    font.setPixelSize(max(1, round(font_size)))
    return font


def text_size(text: str, font_size: float) -> QSizeF:
    """The natural shown size of a label: its text at ``font_size`` plus a little padding."""
    metrics = QFontMetricsF(label_font(font_size))
    rect = metrics.boundingRect(
        QRectF(0, 0, 100_000, 100_000), int(Qt.AlignmentFlag.AlignLeft), text or " "
    )
    return QSizeF(rect.width() + 2 * TEXT_PADDING, rect.height() + 2 * TEXT_PADDING)


class _Budget:
    """The cached pictures of all items, least recently drawn first, within CACHE_BUDGET."""

    def __init__(self) -> None:
        self.sizes: OrderedDict[int, tuple[BoardGraphicsItem, int]] = OrderedDict()
        self.total = 0

    def touch(self, item: BoardGraphicsItem) -> None:
        if id(item) in self.sizes:
            self.sizes.move_to_end(id(item))

    def add(self, item: BoardGraphicsItem, size: int) -> None:
        self.drop(item)
        self.sizes[id(item)] = (item, size)
        self.total += size
        while self.total > CACHE_BUDGET and len(self.sizes) > 1:
            _key, (oldest, _size) = next(iter(self.sizes.items()))
            oldest.drop_cache()

    def drop(self, item: BoardGraphicsItem) -> None:
        entry = self.sizes.pop(id(item), None)
        if entry is not None:
            self.total -= entry[1]


_budget = _Budget()


class BoardGraphicsItem(QGraphicsItem):
    """One board item on the canvas; ``apply`` brings it in line with a new value."""

    def __init__(self, item: BoardItem) -> None:
        super().__init__()
        self.item = item
        self.title = ""  # a product's title, shown on its placeholder
        self.failed = False  # the image could not be loaded: say so on the placeholder
        self.editing = False  # a text label being edited in place hides its own drawing
        self._pixmap: QPixmap | None = None
        self._cache: QPixmap | None = None
        self._cache_key: tuple[float, ...] = ()
        self._cache_offset = QPointF()
        self._version = 0  # bumped whenever the item's look changes
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setAcceptHoverEvents(False)
        self.apply(item)

    # -- state ------------------------------------------------------------------------------

    @property
    def item_id(self) -> str:
        return self.item.id

    def apply(self, item: BoardItem) -> None:
        """Show ``item`` (a stored value or a preview of one during a drag)."""
        old = self.item
        if (old.width, old.height) != (item.width, item.height) or old.kind != item.kind:
            self.prepareGeometryChange()
            self._version += 1
        repaint = (old.crop, old.text, old.color, old.font_size, old.media_hash) != (
            item.crop,
            item.text,
            item.color,
            item.font_size,
            item.media_hash,
        )
        self.item = item
        self.setPos(item.x, item.y)
        self.setRotation(item.rotation)
        flip = QTransform.fromScale(-1.0 if item.flip_h else 1.0, -1.0 if item.flip_v else 1.0)
        if self.transform() != flip:
            self.setTransform(flip)
        if repaint:
            self.changed()

    def changed(self) -> None:
        """The look changed (not only the place): redraw the cached picture."""
        self._version += 1
        self.update()

    def set_pixmap(self, pixmap: QPixmap | None) -> None:
        if pixmap is not self._pixmap:
            self._pixmap = pixmap
            self.changed()

    @property
    def pixmap(self) -> QPixmap | None:
        return self._pixmap

    @property
    def has_pixmap(self) -> bool:
        return self._pixmap is not None

    def set_editing(self, editing: bool) -> None:
        self.editing = editing
        self.changed()

    # -- QGraphicsItem ----------------------------------------------------------------------

    def boundingRect(self) -> QRectF:
        w, h = self.item.width, self.item.height
        return QRectF(-w / 2, -h / 2, w, h)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        t = painter.worldTransform()
        device = t.mapRect(self.boundingRect())
        if max(device.width(), device.height()) > MAX_CACHE_SIDE:
            self._cache = None
            self._paint_content(painter)
            return
        dpr = painter.device().devicePixelRatioF() if painter.device() else 1.0
        key = (t.m11(), t.m12(), t.m21(), t.m22(), dpr, float(self._version))
        if key != self._cache_key or self._cache is None:
            self._render_cache(t, device, dpr)
            self._cache_key = key
            _budget.add(self, self._cache.width() * self._cache.height() * 4)  # type: ignore[union-attr]
        else:
            _budget.touch(self)
        assert self._cache is not None
        painter.save()
        # Pixel-aligned: the picture was drawn for this transform, only the place differs.
        painter.setWorldTransform(
            QTransform.fromTranslate(
                round(t.dx() + self._cache_offset.x()), round(t.dy() + self._cache_offset.y())
            )
        )
        painter.drawPixmap(0, 0, self._cache)
        painter.restore()

    def drop_cache(self) -> None:
        """Forget the cached picture (memory budget, or the item left the scene)."""
        self._cache = None
        self._cache_key = ()
        _budget.drop(self)

    def _render_cache(self, t: QTransform, device: QRectF, dpr: float) -> None:
        left, top = math.floor(device.left()), math.floor(device.top())
        w = max(1, math.ceil(device.right()) - left + 1)
        h = max(1, math.ceil(device.bottom()) - top + 1)
        pixmap = QPixmap(round(w * dpr), round(h * dpr))
        pixmap.setDevicePixelRatio(dpr)
        pixmap.fill(Qt.GlobalColor.transparent)
        p = QPainter(pixmap)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        p.setWorldTransform(t * QTransform.fromTranslate(-left, -top))
        self._paint_content(p)
        p.end()
        self._cache = pixmap
        self._cache_offset = QPointF(left - t.dx(), top - t.dy())

    def _paint_content(self, painter: QPainter) -> None:
        rect = self.boundingRect()
        if self.item.kind is BoardItemKind.TEXT:
            if not self.editing:
                self._paint_text(painter, rect)
            return
        if self._pixmap is None:
            self._paint_placeholder(painter, rect)
            return
        crop = self.item.crop
        pw, ph = self._pixmap.width(), self._pixmap.height()
        source = QRectF(
            crop.left * pw,
            crop.top * ph,
            (crop.right - crop.left) * pw,
            (crop.bottom - crop.top) * ph,
        )
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.drawPixmap(rect, self._pixmap, source)

    def _paint_text(self, painter: QPainter, rect: QRectF) -> None:
        item = self.item
        natural = text_size(item.text, item.font_size)
        painter.save()
        painter.translate(rect.topLeft())
        # A label scaled by its corner handles keeps its words: stretch the drawn text to fit.
        if natural.width() > 0 and natural.height() > 0:
            painter.scale(rect.width() / natural.width(), rect.height() / natural.height())
        painter.setFont(label_font(item.font_size))
        painter.setPen(QColor(item.color))
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        inner = QRectF(
            TEXT_PADDING,
            TEXT_PADDING,
            natural.width() - 2 * TEXT_PADDING,
            natural.height() - 2 * TEXT_PADDING,
        )
        painter.drawText(inner, int(Qt.AlignmentFlag.AlignLeft), item.text)
        painter.restore()

    def _paint_placeholder(self, painter: QPainter, rect: QRectF) -> None:
        painter.fillRect(rect, PLACEHOLDER_FILL)
        pen = QPen(PLACEHOLDER_INK, 0, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
        font = QFont()
        font.setPixelSize(max(10, min(22, round(rect.height() / 12))))
        painter.setFont(font)
        words = tr("Image not available") if self.failed else tr("Loading image…")
        text = f"{self.title}\n{words}" if self.title else words
        painter.drawText(
            rect.adjusted(8, 8, -8, -8),
            int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
            text,
        )
