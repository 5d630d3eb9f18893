"""Small drawn icons for the board toolbar (no icon theme is guaranteed on every desktop).

Each icon is a glyph from the UI font drawn in the palette's text colour; the glyphs chosen
are in DejaVu Sans and in the usual system fonts.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

GLYPHS = {
    "photo": "\u25a3",  # ▣
    "text": "T",
    "delete": "\u2715",  # ✕
    "forward": "\u2191",  # ↑
    "backward": "\u2193",  # ↓
    "front": "\u21c8",  # ⇈
    "back": "\u21ca",  # ⇊
    "flip_h": "\u2194",  # ↔
    "flip_v": "\u2195",  # ↕
    "crop": "\u2702",  # ✂
    "background": "\u25d0",  # ◐
    "text_colour": "A",
    "zoom_in": "+",
    "zoom_out": "\u2212",  # −
    "fit": "\u25a2",  # ▢
    "undo": "\u21b6",  # ↶
    "redo": "\u21b7",  # ↷
}


def glyph_icon(name: str, colour: QColor | None = None, size: int = 32) -> QIcon:
    """An icon showing the glyph for ``name``, at 1x and 2x."""
    icon = QIcon()
    for scale in (1, 2):
        side = size * scale
        pixmap = QPixmap(side, side)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        font = QFont("DejaVu Sans")
        font.setPixelSize(round(side * 0.62))
        font.setBold(name in ("text", "text_colour"))
        painter.setFont(font)
        painter.setPen(colour or QColor("#33302c"))
        painter.drawText(QRectF(0, 0, side, side), int(Qt.AlignmentFlag.AlignCenter), GLYPHS[name])
        if name == "text_colour":
            painter.fillRect(
                QRectF(side * 0.2, side * 0.82, side * 0.6, side * 0.1), QColor("#e0368c")
            )
        painter.end()
        icon.addPixmap(pixmap)
    return icon
