"""Mood boards: a free canvas of products, photos and text, as values.

A board is a fixed-size canvas (board pixels); each item sits at its centre ``x``, ``y`` with
a shown size, a rotation and flips. Stacking order is the fractional key ``z`` (larger draws on
top), so bringing one item forward rewrites only that item. Product items are shoppable tags
like hotspots: they carry a ``ProductRef`` and the product image imported into the media
library when placed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from studio.core.looks import FULL_CROP, Crop, LookStatus, ProductRef

MAX_BOARD_ITEMS = 200


class BoardItemKind(StrEnum):
    PRODUCT = "product"
    PHOTO = "photo"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class BoardItem:
    """One item on a board.

    ``x``, ``y``: centre in board pixels; ``width``, ``height``: shown size before rotation;
    ``rotation``: degrees clockwise; ``z``: fractional key, "" when adding means "on top".
    """

    id: str
    board_id: str
    kind: BoardItemKind
    x: float
    y: float
    width: float
    height: float
    rotation: float = 0.0
    flip_h: bool = False
    flip_v: bool = False
    z: str = ""
    crop: Crop = FULL_CROP
    product: ProductRef | None = None
    media_hash: str | None = None
    text: str = ""
    color: str = "#202020"
    font_size: float = 32.0


@dataclass(frozen=True, slots=True)
class Board:
    """A board's own fields; ``deleted_at`` set means it is in the trash."""

    id: str
    title: str
    background: str = "#ffffff"
    width: int = 1200
    height: int = 1200
    status: LookStatus = LookStatus.DRAFT
    created_at: str = ""
    updated_at: str = ""
    deleted_at: str | None = None


@dataclass(frozen=True, slots=True)
class BoardDocument:
    """A board and its live items, bottom to top (by ``z``)."""

    board: Board
    items: tuple[BoardItem, ...]

    def item(self, item_id: str) -> BoardItem | None:
        """The item with this id, or None."""
        return next((i for i in self.items if i.id == item_id), None)


@dataclass(frozen=True, slots=True)
class BoardSummary:
    """A row of the board library."""

    id: str
    title: str
    background: str
    item_count: int
    updated_at: str
    deleted_at: str | None
