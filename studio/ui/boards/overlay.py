"""What the board canvas draws over its items: handles, product number tags, crop preview.

Drawn by the scene's foreground at a fixed size on screen, whatever the zoom, so that the
items' cached pictures never need redrawing because of them.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QPixmap

from studio.core.boards import BoardItem, BoardItemKind
from studio.ui.boards import geometry
from studio.ui.boards.items import BoardGraphicsItem

ACCENT = QColor("#2f6fed")
HANDLE_PX = 9.0  # handle size on screen
ROTATE_PX = 26.0  # the rotation handle's distance above the item, on screen
BADGE_PX = 11.0  # a product's number tag: radius on screen
_badges: dict[int, QPixmap] = {}


def draw_uncropped(painter: QPainter, g: BoardGraphicsItem) -> None:
    """While cropping, the whole image faintly, so the curator sees what can come back."""
    pixmap, item = g.pixmap, g.item
    if pixmap is None:
        return
    c = item.crop
    full_w = item.width / (c.right - c.left)
    full_h = item.height / (c.bottom - c.top)
    painter.save()
    painter.setTransform(g.sceneTransform(), True)
    painter.setOpacity(0.35)
    painter.drawPixmap(
        QRectF(
            -item.width / 2 - c.left * full_w, -item.height / 2 - c.top * full_h, full_w, full_h
        ),
        pixmap,
        QRectF(pixmap.rect()),
    )
    painter.restore()


def badge(number: int) -> QPixmap:
    """The round numbered tag drawn on a product item (made once per number)."""
    pixmap = _badges.get(number)
    if pixmap is None:
        side = round(BADGE_PX * 2)
        pixmap = QPixmap(side * 2, side * 2)
        pixmap.setDevicePixelRatio(2.0)
        pixmap.fill(Qt.GlobalColor.transparent)
        p = QPainter(pixmap)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setPen(QPen(QColor("#ffffff"), 1.5))
        p.setBrush(QColor(32, 30, 28, 220))
        p.drawEllipse(QRectF(1, 1, side - 2, side - 2))
        font = p.font()
        font.setPixelSize(round(BADGE_PX * 1.05))
        font.setBold(True)
        p.setFont(font)
        p.drawText(QRectF(0, 0, side, side), int(Qt.AlignmentFlag.AlignCenter), str(number))
        p.end()
        _badges[number] = pixmap
    return pixmap


def draw_badges(
    painter: QPainter,
    rect: QRectF,
    items: list[BoardGraphicsItem],
    numbers: dict[str, int],
    px: float,
) -> None:
    """Each product's number at its top-left corner, at a fixed size on screen."""
    if not numbers:
        return
    t = painter.worldTransform()
    inset = (BADGE_PX + 4) * px
    placed = []
    for g in items:
        number = numbers.get(g.item_id)
        if number is None or not g.sceneBoundingRect().intersects(rect):
            continue
        item = g.item
        local = QPointF(
            (-item.width / 2 + inset) * (-1 if item.flip_h else 1),
            (-item.height / 2 + inset) * (-1 if item.flip_v else 1),
        )
        placed.append((t.map(g.mapToScene(local)), number))
    painter.save()
    painter.resetTransform()
    for point, number in placed:
        painter.drawPixmap(QPointF(point.x() - BADGE_PX, point.y() - BADGE_PX), badge(number))
    painter.restore()


def draw_handles(painter: QPainter, item: BoardItem, px: float, *, crop_mode: bool) -> None:
    """The single selection's handles: corners and rotation, or the four crop edges."""
    crop = crop_mode and item.kind is not BoardItemKind.TEXT
    points = geometry.handle_points(item, crop_mode=crop, rotate_offset=ROTATE_PX * px)
    size = HANDLE_PX * px
    pen = QPen(ACCENT, 1.5)
    pen.setCosmetic(True)
    painter.setPen(pen)
    painter.setBrush(QBrush(QColor("#ffffff")))
    top_mid = geometry.from_visual(item, 0.0, -item.height / 2)
    for name, p in points:
        if name == "rotate":
            painter.drawLine(top_mid, p)
            painter.drawEllipse(p, size * 0.6, size * 0.6)
        elif crop:
            painter.setBrush(QBrush(ACCENT))
            painter.drawRect(QRectF(p.x() - size / 2, p.y() - size / 2, size, size))
            painter.setBrush(QBrush(QColor("#ffffff")))
        else:
            painter.drawRect(QRectF(p.x() - size / 2, p.y() - size / 2, size, size))
