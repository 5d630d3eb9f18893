"""Where products added to a board land, and at what size: side by side, a useful size.

A product dropped, pasted or sent from another workspace ("Add to board") lands where it was
dropped (pasted and sent ones: the middle of the canvas as the curator sees it), sized from
what the curator sees: its long side a share of the visible canvas, so it is neither a speck
when the board is zoomed out nor the whole screen when zoomed in, within bounds set by the
board's own size. Several products at once land side by side, a few to a row, as one block
centred there and kept on the board. Until its picture arrives a product is a placeholder of
the usual product-photo shape (4:5); the picture then gives it its own shape within the same
long side (``fit_image``), so neighbours never come to overlap.

Pure arithmetic over ``QRectF``/``QPointF``: the placer (``placement.py``) calls it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF

SHARE_OF_VIEW = 0.28  # a product's long side, as a share of the visible canvas's shorter side
MIN_SHARE_OF_BOARD = 0.06  # never smaller than this share of the board's shorter side
MAX_SHARE_OF_BOARD = 0.5  # nor larger than half of it
FILL = 0.9  # several products together fill at most this share of the visible canvas
GAP = 0.08  # space between neighbours, as a share of the long side
MAX_COLUMNS = 4  # products in a row; more start another row
PLACEHOLDER_ASPECT = 0.8  # width / height of a product before its picture arrives


@dataclass(frozen=True, slots=True)
class Landing:
    """``side``: each product's long side (board px); ``centres``: one per product."""

    side: float
    centres: list[QPointF]

    @property
    def placeholder(self) -> tuple[float, float]:
        """The width and height of a product whose picture has not arrived yet."""
        return self.side * PLACEHOLDER_ASPECT, self.side


def visible_part(shown: QRectF, board: QRectF) -> QRectF:
    """The part of the board the curator sees (``shown``: the view's rect in board
    coordinates); the whole board when none of it is shown."""
    part = shown.intersected(board)
    return part if part.width() > 1 and part.height() > 1 else QRectF(board)


def land(count: int, at: QPointF, visible: QRectF, board: QRectF) -> Landing:
    """Where ``count`` products dropped at ``at`` go, the visible canvas being ``visible``."""
    if count <= 0:
        return Landing(0.0, [])
    columns = min(count, MAX_COLUMNS)
    rows = math.ceil(count / columns)
    short_board = min(board.width(), board.height())
    side = SHARE_OF_VIEW * min(visible.width(), visible.height())
    # The block of products fits in the visible canvas (with gaps between them)...
    side = min(
        side,
        FILL * visible.width() / (columns + GAP * (columns - 1)),
        FILL * visible.height() / (rows + GAP * (rows - 1)),
    )
    # ...within bounds of the board's own size (a 20 px speck helps nobody).
    side = max(MIN_SHARE_OF_BOARD * short_board, min(MAX_SHARE_OF_BOARD * short_board, side))
    step = side * (1 + GAP)
    block_w = side + step * (columns - 1)
    block_h = side + step * (rows - 1)
    # Centred where dropped, moved onto the board if it would stick out (when it can fit).
    cx = _inside(at.x(), block_w, board.left(), board.right())
    cy = _inside(at.y(), block_h, board.top(), board.bottom())
    left, top = cx - block_w / 2 + side / 2, cy - block_h / 2 + side / 2
    centres = [
        QPointF(left + (n % columns) * step, top + (n // columns) * step) for n in range(count)
    ]
    return Landing(side, centres)


def _inside(centre: float, extent: float, low: float, high: float) -> float:
    if extent >= high - low:
        return (low + high) / 2
    return min(max(centre, low + extent / 2), high - extent / 2)


def fit_image(width: float, height: float, image_w: int, image_h: int) -> tuple[float, float]:
    """The size of an item ``width`` x ``height`` once its picture (``image_w`` x ``image_h``)
    gives it its shape: the picture's proportions within the same long side."""
    long_side = max(width, height)
    if image_w <= 0 or image_h <= 0:
        return width, height
    if image_w >= image_h:
        return long_side, long_side * image_h / image_w
    return long_side * image_w / image_h, long_side
