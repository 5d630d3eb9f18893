"""Looks: styled photos with shoppable hotspots, as the editor, the store and exports see them.

A look is a titled set of photos in carousel order; each photo carries hotspots (numbered tags)
that point at catalog products. Everything here is an immutable value: the store returns
them, the UI shows them and asks the store for changes. Ids are client-made UUIDs so a look
made offline keeps its identity when it syncs; orders are fractional keys
(``studio.core.ordering``) so a move rewrites one row.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

# Check-panel thresholds (see studio.core.look_checks).
MAX_HOTSPOTS_PER_PHOTO = 20
MIN_SHORT_SIDE = 1080


def new_id() -> str:
    """A new record id: a random UUID as text."""
    return str(uuid.uuid4())


class LookStatus(StrEnum):
    DRAFT = "draft"
    READY = "ready"


class MatchKind(StrEnum):
    """Whether a tagged product is the very item in the photo or a similar one."""

    EXACT = "exact"
    SIMILAR = "similar"


@dataclass(frozen=True, slots=True)
class Crop:
    """The kept part of a photo, as fractions of the upright photo (EXIF orientation applied).

    The default keeps all of it.
    """

    left: float = 0.0
    top: float = 0.0
    right: float = 1.0
    bottom: float = 1.0

    @property
    def is_full(self) -> bool:
        return (self.left, self.top, self.right, self.bottom) == (0.0, 0.0, 1.0, 1.0)


FULL_CROP = Crop()


@dataclass(frozen=True, slots=True)
class ProductRef:
    """How a tag names a catalog product.

    ``product_id`` is the row in this store (None once it is no longer in the catalog);
    ``merchant`` and ``offer_id`` are the stable identity used to re-link the tag after a
    re-import, a sync to another device or an archive restore.
    """

    product_id: int | None
    merchant: str
    offer_id: str


@dataclass(frozen=True, slots=True)
class Hotspot:
    """A numbered tag on a photo.

    ``x``, ``y`` are fractions (0..1) of the UPRIGHT UNCROPPED photo, so cropping or rotating
    the photo never moves a tag off its item. ``position`` orders the tags on their photo.
    """

    id: str
    photo_id: str
    product: ProductRef
    x: float
    y: float
    label: str = ""
    kind: MatchKind = MatchKind.EXACT
    note: str = ""
    position: str = ""


@dataclass(frozen=True, slots=True)
class LookPhoto:
    """One photo of a look: a stored master (by content hash) plus its crop and rotation.

    ``width``/``height`` are the upright pixel size of the master; ``rotation`` is quarter
    turns clockwise (0..3), applied after the crop; ``position`` is the carousel order.
    """

    id: str
    look_id: str
    media_hash: str
    width: int
    height: int
    position: str
    crop: Crop = Crop()
    rotation: int = 0
    alt_text: str = ""


@dataclass(frozen=True, slots=True)
class Look:
    """A look's own fields; ``deleted_at`` set means it is in the trash."""

    id: str
    title: str
    caption: str = ""
    occasions: tuple[str, ...] = ()
    seasons: tuple[str, ...] = ()
    styles: tuple[str, ...] = ()
    status: LookStatus = LookStatus.DRAFT
    created_at: str = ""
    updated_at: str = ""
    deleted_at: str | None = None

    @property
    def tags(self) -> tuple[str, ...]:
        """Occasions, then seasons, then styles."""
        return self.occasions + self.seasons + self.styles


@dataclass(frozen=True, slots=True)
class LookDocument:
    """Everything the editor shows: photos by position; hotspots by photo order, then position.

    Removed (tombstoned) photos and hotspots are not part of a document.
    """

    look: Look
    photos: tuple[LookPhoto, ...]
    hotspots: tuple[Hotspot, ...]

    def hotspots_of(self, photo_id: str) -> tuple[Hotspot, ...]:
        """The hotspots of one photo, in position order."""
        return tuple(h for h in self.hotspots if h.photo_id == photo_id)

    def photo(self, photo_id: str) -> LookPhoto | None:
        """The photo with this id, or None."""
        return next((p for p in self.photos if p.id == photo_id), None)

    def numbers(self) -> dict[str, int]:
        """Hotspot id -> its marker number: 1..n through the look in photo order, then position."""
        return {h.id: i for i, h in enumerate(self.hotspots, start=1)}


@dataclass(frozen=True, slots=True)
class LookSummary:
    """A row of the look library."""

    id: str
    title: str
    status: LookStatus
    cover_hash: str | None
    photo_count: int
    hotspot_count: int
    tags: tuple[str, ...]
    updated_at: str
    deleted_at: str | None
