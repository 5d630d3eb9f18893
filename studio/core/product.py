"""The product record every feed parser produces and every store and view consumes.

One ``ProductRecord`` is one offer of one merchant (a variant is its own offer, grouped with its
siblings by ``item_group_id``). Parsers emit ``RejectedRow`` for a row they cannot use, so
that the import can report it without stopping.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from studio.core.money import Money


class Availability(StrEnum):
    IN_STOCK = "in_stock"
    OUT_OF_STOCK = "out_of_stock"
    PREORDER = "preorder"
    BACKORDER = "backorder"
    LIMITED = "limited_availability"
    # Not a merchant value: the store sets it on products missing from a full re-import.
    UNAVAILABLE = "unavailable"


class Condition(StrEnum):
    NEW = "new"
    REFURBISHED = "refurbished"
    USED = "used"


_AVAILABILITY_ALIASES = {
    "in stock": Availability.IN_STOCK,
    "instock": Availability.IN_STOCK,
    "available": Availability.IN_STOCK,
    "available for order": Availability.IN_STOCK,  # deprecated Google value
    "out of stock": Availability.OUT_OF_STOCK,
    "outofstock": Availability.OUT_OF_STOCK,
    "sold out": Availability.OUT_OF_STOCK,
    "discontinued": Availability.OUT_OF_STOCK,
    "pre-order": Availability.PREORDER,
    "pre order": Availability.PREORDER,
    "onbackorder": Availability.BACKORDER,
    "on backorder": Availability.BACKORDER,
    "limited availability": Availability.LIMITED,
}


def normalise_availability(text: str | None) -> Availability | None:
    """Map current, legacy ("in stock") and deprecated ("available for order") values."""
    if text is None:
        return None
    key = " ".join(text.strip().lower().replace("_", " ").split())
    if not key:
        return None
    if key in _AVAILABILITY_ALIASES:
        return _AVAILABILITY_ALIASES[key]
    try:
        return Availability(key.replace(" ", "_"))
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class ProductRecord:
    """One merchant offer, normalised. Text fields are plain text, already trimmed."""

    merchant: str
    offer_id: str
    title: str
    item_group_id: str | None = None
    description: str = ""
    link: str | None = None
    image_link: str | None = None
    additional_images: tuple[str, ...] = ()
    price: Money | None = None
    sale_price: Money | None = None
    sale_start: datetime | None = None
    sale_end: datetime | None = None
    availability: Availability = Availability.IN_STOCK
    availability_date: datetime | None = None
    condition: Condition | None = None
    brand: str | None = None
    gtin: str | None = None
    mpn: str | None = None
    google_category: str | None = None  # a Google taxonomy id ("212") or text path
    product_type: str | None = None  # the merchant's own "A > B > C" path
    color: str | None = None
    size: str | None = None
    gender: str | None = None
    age_group: str | None = None
    material: str | None = None
    # Anything else worth keeping (shipping, option values, tags); values are plain text.
    extra: tuple[tuple[str, str], ...] = field(default=())

    def sale_in_effect(self, at: datetime) -> bool:
        """True when a sale price exists and ``at`` lies inside its effective dates."""
        if self.sale_price is None:
            return False
        if self.sale_start and at < self.sale_start:
            return False
        return not (self.sale_end and at > self.sale_end)

    @property
    def category(self) -> str | None:
        """The category shown to users: the merchant's path, else Google's."""
        return self.product_type or self.google_category


@dataclass(frozen=True, slots=True)
class RejectedRow:
    """A row or item that was refused, with where it is (line or item id) and why."""

    where: str
    reason: str
    offer_id: str | None = None
