"""What a shared look or board shows, independent of how it is drawn: the pure part of exports.

The PNG/JPEG renderer (``studio.media.export``), the HTML page (``studio.media.export_html``)
and the editor's canvas all need the same answers: where a hotspot stored on the upright,
uncropped photo appears once the photo is cropped and turned (and back again for a drop),
which number each hotspot carries, how a price reads, and the disclosure that sits beside
every set of links. Keeping them here, standard library only, means a PNG, a web page and the
editor can never disagree about marker 3.

The disclosure (``links_disclosure``) says what the links are. An offline export's links are
the merchants' plain links, not tracked until the platform publishes the page, so the export
says that the curator earns nothing through them (``PLAIN_LINKS_NOTICE``); the platform's pages
with tracked links carry the affiliate disclosure (``AFFILIATE_DISCLOSURE``). Either way a
brand the curator declared as paying them is named, in the disclosure and on the legend line of
each of its products (``LegendEntry.paid_by``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from studio.core.boards import BoardDocument, BoardItem, BoardItemKind
from studio.core.looks import Crop, LookDocument, MatchKind
from studio.core.money import Money
from studio.core.product import Availability

AFFILIATE_DISCLOSURE = (
    "Disclosure: the product links on this page are affiliate links. If you buy through them, "
    "the curator may earn a commission from the merchant, at no extra cost to you. "
    "Prices and availability were correct when this page was made and may have changed."
)
"""Beside the TRACKED links of the platform's pages (FTC/ASA style: plain words, not "#ad")."""

PLAIN_LINKS_NOTICE = (
    "About these links: they are plain links to the merchants' own pages, not affiliate "
    "links, so the curator earns nothing when you buy through them. "
    "Prices and availability were correct when this page was made and may have changed."
)
"""Beside the links of every offline export (look, board, shop page): they are not tracked."""

MISSING_FROM_CATALOG = "no longer in the catalog"

# Availability values under which a buyer can still order the item.
_ORDERABLE = frozenset(
    {Availability.IN_STOCK, Availability.PREORDER, Availability.BACKORDER, Availability.LIMITED}
)
_AVAILABILITY_WORDS = {
    Availability.IN_STOCK: "",
    Availability.PREORDER: "pre-order",
    Availability.BACKORDER: "on back order",
    Availability.LIMITED: "limited availability",
    Availability.OUT_OF_STOCK: "out of stock",
    Availability.UNAVAILABLE: "no longer sold by the merchant",
}
KIND_WORDS = {MatchKind.EXACT: "exact item", MatchKind.SIMILAR: "similar item"}

# A crop narrower than this (as a fraction) is treated as this wide: never divide by zero.
_MIN_SPAN = 1e-9


# -- crop and rotation ---------------------------------------------------------------------


def _spans(crop: Crop) -> tuple[float, float]:
    return max(crop.right - crop.left, _MIN_SPAN), max(crop.bottom - crop.top, _MIN_SPAN)


def displayed_point(x: float, y: float, crop: Crop, rotation: int) -> tuple[float, float] | None:
    """Where the stored point (fractions of the upright, uncropped photo) is shown.

    The crop is applied first, then ``rotation`` quarter turns clockwise; the result is in
    fractions of the shown photo, or None when the crop cuts the point out.
    """
    span_x, span_y = _spans(crop)
    u = (x - crop.left) / span_x
    v = (y - crop.top) / span_y
    # A point exactly on the crop's edge stays (rounding must not drop a hotspot there).
    eps = 1e-9
    if not (-eps <= u <= 1 + eps and -eps <= v <= 1 + eps):
        return None
    u, v = min(max(u, 0.0), 1.0), min(max(v, 0.0), 1.0)
    turns = rotation % 4
    if turns == 1:  # a clockwise quarter turn: the left edge becomes the top
        return 1.0 - v, u
    if turns == 2:
        return 1.0 - u, 1.0 - v
    if turns == 3:
        return v, 1.0 - u
    return u, v


def original_point(x: float, y: float, crop: Crop, rotation: int) -> tuple[float, float]:
    """The inverse of :func:`displayed_point`: a point on the shown photo -> the stored x, y."""
    turns = rotation % 4
    if turns == 1:
        u, v = y, 1.0 - x
    elif turns == 2:
        u, v = 1.0 - x, 1.0 - y
    elif turns == 3:
        u, v = 1.0 - y, x
    else:
        u, v = x, y
    span_x, span_y = _spans(crop)
    return crop.left + u * span_x, crop.top + v * span_y


def shown_size(width: int, height: int, crop: Crop, rotation: int) -> tuple[int, int]:
    """Pixel size of an upright ``width`` x ``height`` photo once cropped and turned."""
    w = max(1, round(width * (crop.right - crop.left)))
    h = max(1, round(height * (crop.bottom - crop.top)))
    return (h, w) if rotation % 2 else (w, h)


def board_marker_point(item: BoardItem, radius: float) -> tuple[float, float]:
    """Board pixels of a product item's marker: inside its top-left corner, turning with it.

    The marker is an overlay: the item's flips do not move it, its rotation does (so the
    marker stays on the item's picture). ``radius`` is the marker's radius in board pixels.
    """
    inset = min(radius * 1.4, item.width / 2, item.height / 2)
    lx, ly = -item.width / 2 + inset, -item.height / 2 + inset
    angle = math.radians(item.rotation)  # clockwise on screen, where y points down
    cos, sin = math.cos(angle), math.sin(angle)
    return item.x + lx * cos - ly * sin, item.y + lx * sin + ly * cos


# -- numbering -----------------------------------------------------------------------------


def number_hotspots(doc: LookDocument) -> dict[str, int]:
    """Hotspot id -> its number: 1..n through the look, in photo order then hotspot position.

    Hotspots whose photo is not in the document (removed photos) get no number.
    """
    numbers: dict[str, int] = {}
    for photo in doc.photos:
        # sorted() is stable: equal keys (never expected) keep the document's order.
        for hotspot in sorted(doc.hotspots_of(photo.id), key=lambda h: h.position):
            numbers[hotspot.id] = len(numbers) + 1
    return numbers


def number_board_items(doc: BoardDocument) -> dict[str, int]:
    """Product item id -> its number: 1..n in drawing (z) order, bottom first.

    z order rather than screen position, so that dragging an item never renumbers the board.
    """
    numbers: dict[str, int] = {}
    for item in sorted(doc.items, key=lambda i: i.z):
        if item.kind is BoardItemKind.PRODUCT:
            numbers[item.id] = len(numbers) + 1
    return numbers


# -- words ---------------------------------------------------------------------------------


def _names(brands: Sequence[str]) -> str:
    if len(brands) <= 2:
        return " and ".join(brands)
    return ", ".join(brands[:-1]) + f" and {brands[-1]}"


def links_disclosure(paying_brands: Sequence[str] = (), *, tracked: bool = False) -> str:
    """The disclosure beside a page's links: what the links are (``tracked``: the platform's
    affiliate links; else an offline export's plain links), then the brands among the shown
    products that the curator declared as paying them (``studio.core.rules.paying_brands``)."""
    text = AFFILIATE_DISCLOSURE if tracked else PLAIN_LINKS_NOTICE
    brands = [b for b in dict.fromkeys(" ".join(b.split()) for b in paying_brands) if b]
    if not brands:
        return text
    verb = "pays" if len(brands) == 1 else "pay"
    return (
        f"{text} The curator declared that {_names(brands)} {verb} them: they have a "
        "financial interest in those products."
    )


def format_price(price: Money | None, sale_price: Money | None) -> str:
    """ "15.00 EUR", or "12.00 EUR (was 15.00 EUR)" during a sale; "" when there is none."""
    if sale_price is not None and price is not None and sale_price != price:
        return f"{sale_price.format()} (was {price.format()})"
    chosen = sale_price or price
    return chosen.format() if chosen is not None else ""


def is_orderable(availability: Availability) -> bool:
    return availability in _ORDERABLE


def availability_words(availability: Availability) -> str:
    """ "" for in stock, else a short phrase a buyer understands ("out of stock")."""
    return _AVAILABILITY_WORDS.get(availability, "")


# -- sheets: everything an export draws ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class LegendEntry:
    number: int
    label: str  # the curator's short label ("the coat")
    title: str  # the product's title in the catalog (or what is known of it)
    brand: str | None
    merchant: str
    price: str  # already formatted, sale included; "" when unknown
    link: str | None
    kind: MatchKind
    available: bool
    availability_note: str = ""  # "out of stock", "no longer in the catalog", ...
    paid_by: bool = False  # the curator declared that the product's brand pays them
    own_brand: bool = False  # the curator makes or represents the product's brand

    @property
    def tie(self) -> str:
        """The curator's declared tie to the brand, in words ("" when there is none)."""
        brand = " ".join((self.brand or "").split()) or "the brand"
        if self.own_brand:
            return "the curator's own brand" + (
                f"; {brand} pays the curator" if self.paid_by else ""
            )
        return f"{brand} pays the curator" if self.paid_by else ""

    @property
    def details(self) -> str:
        """The second legend line: brand · merchant · price · exact/similar · note · tie."""
        # A merchant selling its own brand is named once.
        brand = self.brand or ""
        if brand.strip().casefold() == self.merchant.strip().casefold():
            brand = ""
        parts = [
            brand,
            self.merchant,
            self.price,
            KIND_WORDS[self.kind],
            self.availability_note,
            self.tie,
        ]
        return " · ".join(p for p in parts if p)

    @property
    def heading(self) -> str:
        """The first legend line: the label, then the product title when they differ."""
        if self.label and self.title and self.label.strip() != self.title.strip():
            return f"{self.label} — {self.title}"
        return self.label or self.title


@dataclass(frozen=True, slots=True)
class SheetMarker:
    number: int
    x: float  # fractions of the SHOWN (cropped, rotated) photo
    y: float


@dataclass(frozen=True, slots=True)
class SheetPhoto:
    image: Path  # the media library master (upright)
    crop: Crop
    rotation: int
    markers: tuple[SheetMarker, ...]
    alt_text: str


@dataclass(frozen=True, slots=True)
class LookSheet:
    title: str
    caption: str
    photos: tuple[SheetPhoto, ...]
    legend: tuple[LegendEntry, ...]
    disclosure: str = PLAIN_LINKS_NOTICE


@dataclass(frozen=True, slots=True)
class BoardSheet:
    title: str
    board: BoardDocument
    images: Mapping[str, Path]  # media_hash -> file
    legend: tuple[LegendEntry, ...]
    numbers: Mapping[str, int]  # board item id -> legend number
    disclosure: str = PLAIN_LINKS_NOTICE


def safe_link(link: str | None) -> str | None:
    """``link`` when it is an absolute http(s) URL, else None (never a script URL)."""
    if not link:
        return None
    try:
        parts = urlsplit(link.strip())
    except ValueError:
        return None
    return link.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None
