"""Pure geometry of board editing: handles, scaling, rotating, cropping and snapping.

Everything here works on ``BoardItem`` values and board coordinates, with no widgets, so the
scene only has to route mouse positions through it. Handles are placed in the item's *visual*
frame (rotation applied, flips not): a flipped item's top-left handle is still the one drawn
top-left. Cropping works in image fractions, so a flipped item's visual left edge trims the
image's right side.
"""

from __future__ import annotations

import bisect
import dataclasses
import math
from collections.abc import Iterable

from PySide6.QtCore import QPointF, QRectF

from studio.core.boards import BoardItem, BoardItemKind
from studio.core.looks import Crop

MIN_SIZE = 12.0  # board px: the smallest an item may be scaled down to
MIN_CROP = 0.05  # the smallest fraction of the image a crop may keep on each axis
ROTATE_SNAP = 15.0  # degrees, with Shift
CORNERS = ("tl", "tr", "bl", "br")
EDGES = ("l", "r", "t", "b")
_SIGNS = {
    "tl": (-1, -1),
    "tr": (1, -1),
    "bl": (-1, 1),
    "br": (1, 1),
    "l": (-1, 0),
    "r": (1, 0),
    "t": (0, -1),
    "b": (0, 1),
}


def to_visual(item: BoardItem, point: QPointF) -> tuple[float, float]:
    """``point`` (board px) in the item's frame: centre at 0, rotation undone, no flips."""
    dx, dy = point.x() - item.x, point.y() - item.y
    a = math.radians(-item.rotation)
    return dx * math.cos(a) - dy * math.sin(a), dx * math.sin(a) + dy * math.cos(a)


def from_visual(item: BoardItem, lx: float, ly: float) -> QPointF:
    a = math.radians(item.rotation)
    return QPointF(
        item.x + lx * math.cos(a) - ly * math.sin(a), item.y + lx * math.sin(a) + ly * math.cos(a)
    )


def handle_points(
    item: BoardItem, *, crop_mode: bool, rotate_offset: float
) -> list[tuple[str, QPointF]]:
    """The handles of a single selected item, in board px: corners (or crop edges) + rotate."""
    hw, hh = item.width / 2, item.height / 2
    names = EDGES if crop_mode else CORNERS
    out = [(n, from_visual(item, _SIGNS[n][0] * hw, _SIGNS[n][1] * hh)) for n in names]
    if not crop_mode:
        out.append(("rotate", from_visual(item, 0.0, -hh - rotate_offset)))
    return out


def outline(item: BoardItem) -> list[QPointF]:
    hw, hh = item.width / 2, item.height / 2
    return [from_visual(item, sx * hw, sy * hh) for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1))]


def scaled(item: BoardItem, handle: str, point: QPointF, *, free: bool) -> BoardItem:
    """The item with ``handle`` (a corner) dragged to ``point``; the opposite corner stays put.

    Keeps the aspect ratio unless ``free`` (Shift). A text label scales its font with it.
    """
    sx, sy = _SIGNS[handle]
    w0, h0 = item.width, item.height
    ox, oy = -sx * w0 / 2, -sy * h0 / 2  # the anchored corner
    mx, my = to_visual(item, point)
    w = max(MIN_SIZE, (mx - ox) * sx)
    h = max(MIN_SIZE, (my - oy) * sy)
    if not free:
        factor = max(w / w0, h / h0)
        factor = max(factor, MIN_SIZE / min(w0, h0))
        w, h = w0 * factor, h0 * factor
    centre = from_visual(item, ox + sx * w / 2, oy + sy * h / 2)
    fields: dict[str, object] = {"x": centre.x(), "y": centre.y(), "width": w, "height": h}
    if item.kind is BoardItemKind.TEXT:
        fields["font_size"] = max(4.0, item.font_size * math.sqrt((w / w0) * (h / h0)))
    return dataclasses.replace(item, **fields)  # type: ignore[arg-type]


def rotated(item: BoardItem, point: QPointF, *, snap: bool) -> BoardItem:
    """The item turned so that its rotation handle points at ``point``."""
    angle = math.degrees(math.atan2(point.y() - item.y, point.x() - item.x)) + 90.0
    if snap:
        angle = round(angle / ROTATE_SNAP) * ROTATE_SNAP
    angle %= 360.0
    return dataclasses.replace(item, rotation=round(angle, 3))


def cropped(item: BoardItem, edge: str, point: QPointF) -> BoardItem:
    """The item with one visual edge dragged to ``point``: the image keeps its scale."""
    crop = item.crop
    sx, sy = _SIGNS[edge]
    horizontal = sx != 0
    sign = sx if horizontal else sy
    size = item.width if horizontal else item.height
    lo, hi = (crop.left, crop.right) if horizontal else (crop.top, crop.bottom)
    full = size / (hi - lo)  # the whole image's shown length on this axis
    mx, my = to_visual(item, point)
    shrink = size / 2 - (mx if horizontal else my) * sign  # >0 trims, <0 uncovers
    flipped = item.flip_h if horizontal else item.flip_v
    trims_low = (sign < 0) != flipped  # which side of the image this edge is
    if trims_low:
        new_lo = min(max(0.0, lo + shrink / full), hi - MIN_CROP)
        shrink, lo = (new_lo - lo) * full, new_lo
    else:
        new_hi = max(min(1.0, hi - shrink / full), lo + MIN_CROP)
        shrink, hi = (hi - new_hi) * full, new_hi
    new_size = size - shrink
    shift = -sign * shrink / 2
    centre = from_visual(item, shift, 0.0) if horizontal else from_visual(item, 0.0, shift)
    if horizontal:
        new_crop = Crop(round(lo, 6), crop.top, round(hi, 6), crop.bottom)
        return dataclasses.replace(item, crop=new_crop, x=centre.x(), y=centre.y(), width=new_size)
    new_crop = Crop(crop.left, round(lo, 6), crop.right, round(hi, 6))
    return dataclasses.replace(item, crop=new_crop, x=centre.x(), y=centre.y(), height=new_size)


def moved(item: BoardItem, dx: float, dy: float) -> BoardItem:
    return dataclasses.replace(item, x=item.x + dx, y=item.y + dy)


@dataclasses.dataclass(slots=True)
class Snap:
    dx: float = 0.0
    dy: float = 0.0
    guide_x: float | None = None
    guide_y: float | None = None


class SnapIndex:
    """Sorted edge and centre lines, built once per drag; each query is two bisections a side."""

    def __init__(self, board: QRectF, others: Iterable[QRectF]) -> None:
        xs = {board.left(), board.center().x(), board.right()}
        ys = {board.top(), board.center().y(), board.bottom()}
        for r in others:
            xs.update((r.left(), r.center().x(), r.right()))
            ys.update((r.top(), r.center().y(), r.bottom()))
        self.xs = sorted(xs)
        self.ys = sorted(ys)

    @staticmethod
    def _nearest(
        lines: list[float], values: tuple[float, ...], tolerance: float
    ) -> tuple[float, float | None]:
        best, guide = tolerance + 1, None
        for v in values:
            i = bisect.bisect_left(lines, v)
            for j in (i - 1, i):
                if 0 <= j < len(lines) and abs(lines[j] - v) < abs(best):
                    best, guide = lines[j] - v, lines[j]
        if guide is None or abs(best) > tolerance:
            return 0.0, None
        return best, guide

    def snap(self, rect: QRectF, tolerance: float) -> Snap:
        """How far to shift ``rect`` so that its nearest edge or centre meets a line."""
        dx, gx = self._nearest(self.xs, (rect.left(), rect.center().x(), rect.right()), tolerance)
        dy, gy = self._nearest(self.ys, (rect.top(), rect.center().y(), rect.bottom()), tolerance)
        return Snap(dx, dy, gx, gy)
