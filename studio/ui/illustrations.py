"""The small pictures of Help > Getting started, drawn with QPainter from the palette.

Each illustration is a schematic of one thing the studio makes (a catalog of cards, a search,
a tagged photo, a board, a shop, a review, the checks) in the palette's own roles: the page
background is ``Base``, the objects are ``Window``/``AlternateBase`` with ``Mid`` outlines,
their ink is ``Text`` and the accents are ``Highlight``. So they read in a light or a dark
palette alike, and are simply drawn again when the palette changes: nothing is bundled, no
image has a licence to carry, and no colour here is fixed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPalette, QPen, QPolygonF

WIDTH, HEIGHT = 220, 132  # logical pixels; the page shows them at this size
Role = QPalette.ColorRole


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` moved a fraction ``t`` of the way towards ``b`` (tints between two roles)."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


class Ink:
    """The few colours every illustration uses, taken from one palette."""

    def __init__(self, palette: QPalette) -> None:
        self.page = palette.color(Role.Base)
        self.card = palette.color(Role.Window)
        self.text = palette.color(Role.Text)
        # Mid alone is near the card colour in some dark palettes: a little ink makes edges show.
        self.line = mix(palette.color(Role.Mid), self.text, 0.25)
        self.accent = palette.color(Role.Highlight)
        self.on_accent = palette.color(Role.HighlightedText)
        self.faint = mix(self.text, self.page, 0.6)  # secondary lines of "text"
        # Picture tints: between the accent and the page, so photos never glare in the dark.
        self.tints = [mix(self.accent, self.page, t) for t in (0.15, 0.35, 0.55, 0.75)]


def _card(p: QPainter, ink: Ink, rect: QRectF, radius: float = 6) -> None:
    p.setPen(QPen(ink.line, 1))
    p.setBrush(ink.card)
    p.drawRoundedRect(rect, radius, radius)


def _lines(p: QPainter, ink: Ink, x: float, y: float, widths: list[float], gap: float = 8) -> None:
    """Stand-ins for text: a dark first line, fainter ones after it."""
    p.setPen(Qt.PenStyle.NoPen)
    for i, w in enumerate(widths):
        p.setBrush(ink.text if i == 0 else ink.faint)
        p.drawRoundedRect(QRectF(x, y + i * gap, w, 4), 2, 2)


def _star(centre: QPointF, outer: float) -> QPolygonF:
    from math import cos, pi, sin

    points = []
    for i in range(10):
        r = outer if i % 2 == 0 else outer * 0.45
        a = -pi / 2 + i * pi / 5
        points.append(QPointF(centre.x() + r * cos(a), centre.y() + r * sin(a)))
    return QPolygonF(points)


def _tick(p: QPainter, ink: Ink, centre: QPointF, r: float) -> None:
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(ink.accent)
    p.drawEllipse(centre, r, r)
    pen = QPen(ink.on_accent, 2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    p.setPen(pen)
    x, y = centre.x(), centre.y()
    p.drawPolyline(
        QPolygonF(
            [
                QPointF(x - r / 2, y),
                QPointF(x - r / 8, y + r / 2.4),
                QPointF(x + r / 2, y - r / 2.6),
            ]
        )
    )


def draw_catalog(p: QPainter, ink: Ink) -> None:
    """Product cards in a grid, each with a picture, a title and a price."""
    for i in range(6):
        col, row = i % 3, i // 3
        card = QRectF(14 + col * 66, 8 + row * 62, 58, 56)
        _card(p, ink, card, 5)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(ink.tints[i % len(ink.tints)])
        p.drawRoundedRect(QRectF(card.x() + 4, card.y() + 4, 50, 28), 3, 3)
        _lines(p, ink, card.x() + 5, card.y() + 36, [40, 28], 7)
        p.setBrush(ink.accent)
        p.drawRoundedRect(QRectF(card.right() - 20, card.y() + 44, 15, 7), 3, 3)


def draw_search(p: QPainter, ink: Ink) -> None:
    """A search box over filters and the matching rows, the matches marked."""
    field = QRectF(14, 10, 192, 22)
    p.setPen(QPen(ink.accent, 2))
    p.setBrush(ink.card)
    p.drawRoundedRect(field, 11, 11)
    p.setPen(QPen(ink.text, 2))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawEllipse(QPointF(28, 20), 5, 5)
    p.drawLine(QPointF(32, 24), QPointF(36, 28))
    _lines(p, ink, 44, 19, [52])
    for i in range(4):  # the filters: boxes, two of them ticked
        y = 44 + i * 20
        _card(p, ink, QRectF(14, y, 10, 10), 2)
        if i in (0, 2):
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(ink.accent)
            p.drawRoundedRect(QRectF(16, y + 2, 6, 6), 1, 1)
        _lines(p, ink, 30, y + 3, [34 - i * 4])
    for i in range(4):  # the results
        row = QRectF(78, 42 + i * 21, 128, 18)
        _card(p, ink, row, 3)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(ink.tints[i % len(ink.tints)])
        p.drawRect(QRectF(row.x() + 3, row.y() + 3, 16, 12))
        p.setBrush(ink.accent)
        p.drawRoundedRect(QRectF(row.x() + 24, row.y() + 7, 22, 4), 2, 2)
        p.setBrush(ink.faint)
        p.drawRoundedRect(QRectF(row.x() + 50, row.y() + 7, 40 - i * 6, 4), 2, 2)


def draw_look(p: QPainter, ink: Ink) -> None:
    """A photo of a figure with tags pinned on it, each tied to a product."""
    photo = QRectF(14, 8, 104, 116)
    p.setPen(QPen(ink.line, 1))
    p.setBrush(ink.tints[3])
    p.drawRoundedRect(photo, 6, 6)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(ink.tints[1])
    p.drawEllipse(QPointF(66, 34), 12, 13)  # head
    body = QPainterPath(QPointF(46, 122))
    body.lineTo(52, 56)
    body.quadTo(66, 48, 80, 56)
    body.lineTo(88, 122)
    body.closeSubpath()
    p.drawPath(body)
    products = [(QPointF(66, 26), 16.0), (QPointF(70, 80), 54.0), (QPointF(58, 112), 92.0)]
    for spot, y in products:
        p.setPen(QPen(ink.accent, 1.5))
        p.drawLine(spot, QPointF(130, y + 12))
        _card(p, ink, QRectF(130, y, 76, 24), 4)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(ink.tints[0])
        p.drawRect(QRectF(134, y + 4, 16, 16))
        _lines(p, ink, 155, y + 7, [44, 30], 7)
        p.setPen(QPen(ink.on_accent, 2))
        p.setBrush(ink.accent)
        p.drawEllipse(spot, 6, 6)


def draw_board(p: QPainter, ink: Ink) -> None:
    """A collage: product pictures laid over one another, a title on top."""
    shapes = [
        (QRectF(20, 14, 70, 86), -6.0, 0),
        (QRectF(82, 26, 64, 64), 4.0, 2),
        (QRectF(136, 10, 62, 80), -3.0, 1),
        (QRectF(60, 70, 80, 52), 2.0, 3),
    ]
    for rect, angle, tint in shapes:
        p.save()
        p.translate(rect.center())
        p.rotate(angle)
        local = QRectF(-rect.width() / 2, -rect.height() / 2, rect.width(), rect.height())
        _card(p, ink, local, 3)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(ink.tints[tint])
        p.drawRect(local.adjusted(5, 5, -5, -5))
        p.restore()
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(ink.accent)
    p.drawRoundedRect(QRectF(150, 100, 56, 20), 4, 4)
    p.setBrush(ink.on_accent)
    p.drawRoundedRect(QRectF(157, 108, 42, 4), 2, 2)


def draw_shop(p: QPainter, ink: Ink) -> None:
    """A shop window: its name, then sections of products in order, one featured."""
    _card(p, ink, QRectF(14, 8, 192, 20), 4)
    _lines(p, ink, 22, 16, [70])
    for s in range(2):
        y = 36 + s * 46
        _lines(p, ink, 14, y, [46])
        for i in range(5):
            tile = QRectF(14 + i * 39, y + 8, 34, 32)
            _card(p, ink, tile, 4)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(ink.tints[(i + s) % len(ink.tints)])
            p.drawRoundedRect(tile.adjusted(3, 3, -3, -11), 2, 2)
            p.setBrush(ink.faint)
            p.drawRoundedRect(QRectF(tile.x() + 4, tile.bottom() - 7, 20, 3), 1.5, 1.5)
    p.setPen(QPen(ink.on_accent, 1))
    p.setBrush(ink.accent)
    p.drawPolygon(_star(QPointF(44, 50), 8))


def draw_review(p: QPainter, ink: Ink) -> None:
    """A review: the rating, a title, the text, then pros and cons."""
    _card(p, ink, QRectF(14, 6, 192, 120), 6)
    for i in range(5):
        p.setPen(QPen(ink.accent if i < 4 else ink.line, 1.2))
        p.setBrush(ink.accent if i < 4 else Qt.BrushStyle.NoBrush)
        p.drawPolygon(_star(QPointF(32 + i * 20, 22), 8))
    _lines(p, ink, 24, 38, [120, 160, 150, 96])
    for i, sign in enumerate("+-"):
        y = 84 + i * 18
        centre = QPointF(30, y + 5)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(ink.accent if sign == "+" else ink.line)
        p.drawEllipse(centre, 6, 6)
        p.setPen(QPen(ink.on_accent if sign == "+" else ink.text, 1.6))
        p.drawLine(QPointF(centre.x() - 3, centre.y()), QPointF(centre.x() + 3, centre.y()))
        if sign == "+":
            p.drawLine(QPointF(centre.x(), centre.y() - 3), QPointF(centre.x(), centre.y() + 3))
        _lines(p, ink, 42, y + 3, [90 - i * 24])


def draw_checks(p: QPainter, ink: Ink) -> None:
    """The Checks tab: what is ready ticked, what needs attention flagged."""
    _card(p, ink, QRectF(14, 6, 192, 120), 6)
    for i in range(4):
        y = 16 + i * 27
        centre = QPointF(32, y + 8)
        if i == 2:  # the one that needs attention
            p.setPen(QPen(ink.accent, 1.5))
            p.setBrush(Qt.BrushStyle.NoBrush)
            triangle = [QPointF(32, y), QPointF(41, y + 16), QPointF(23, y + 16)]
            p.drawPolygon(QPolygonF(triangle))
            p.drawLine(QPointF(32, y + 6), QPointF(32, y + 10))
            p.drawPoint(QPointF(32, y + 13))
        else:
            _tick(p, ink, centre, 8)
        _lines(p, ink, 48, y + 3, [120 - i * 14, 80], 7)


DRAWINGS: dict[str, Callable[[QPainter, Ink], None]] = {
    "catalog": draw_catalog,
    "search": draw_search,
    "look": draw_look,
    "board": draw_board,
    "shop": draw_shop,
    "review": draw_review,
    "checks": draw_checks,
}


def illustration(name: str, palette: QPalette, scale: float = 1.0) -> QImage:
    """The illustration ``name`` (a key of ``DRAWINGS``) in ``palette``, for a screen of
    device pixel ratio ``scale``, on the page's background."""
    image = QImage(round(WIDTH * scale), round(HEIGHT * scale), QImage.Format.Format_ARGB32)
    image.setDevicePixelRatio(scale)
    ink = Ink(palette)
    image.fill(ink.page)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    DRAWINGS[name](painter, ink)
    painter.end()
    return image
