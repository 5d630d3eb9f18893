"""What catalog queries ask and answer: the contract between the store and the views.

The store (``studio.store``) implements these queries; the UI and the CLI only see these plain,
immutable values, so they can cross threads freely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from studio.core.money import Money
from studio.core.product import Availability, RejectedRow


class SortKey(StrEnum):
    RELEVANCE = "relevance"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    NEWEST = "newest"
    COMMISSION = "commission"  # highest platform commission rate first


# Price bands (major units, upper bound exclusive) used by the facet and its filter.
PRICE_BANDS: tuple[tuple[int, int | None], ...] = (
    (0, 25),
    (25, 50),
    (50, 100),
    (100, 250),
    (250, 500),
    (500, 1000),
    (1000, None),
)


# Prices in different currencies are never compared as numbers: a band is one currency's
# range, so the facet's value names both. ``price_band(currency, index)`` packs them into one
# int that stays the same across imports (a ticked band keeps its meaning): the ISO code read
# as a base-26 number, times BAND_STRIDE, plus the band's index. Values below BAND_STRIDE are
# bands without a currency (kept readable for callers that still pass a bare index).
BAND_STRIDE = 16
_A = ord("A")


def currency_number(currency: str) -> int:
    """An ISO 4217 code ("EUR") as a number 0..17575 (base 26), in alphabetical order."""
    a, b, c = (ord(ch) - _A for ch in currency)
    return a * 676 + b * 26 + c


def currency_of_number(number: int) -> str:
    return "".join(chr(_A + d) for d in (number // 676, number // 26 % 26, number % 26))


def price_band(currency: str, index: int) -> int:
    """The facet value of band ``index`` of PRICE_BANDS in ``currency``."""
    return (currency_number(currency) + 1) * BAND_STRIDE + index


def split_price_band(value: int) -> tuple[str | None, int]:
    """(currency or None, index into PRICE_BANDS) of a facet value of ``price_band``."""
    number, index = divmod(value, BAND_STRIDE)
    return (currency_of_number(number - 1) if number else None), index


def price_band_label(value: int) -> str:
    """ "EUR 25–50", or "25–50" for a band without a currency; IndexError for no band."""
    currency, index = split_price_band(value)
    low, high = PRICE_BANDS[index]
    span = f"{low}+" if high is None else f"{low}–{high}"
    return f"{currency} {span}" if currency else span


#: The commission filter's bands: lower bounds in parts per million of the platform's rate
#: (0 %, 5 %, 10 %, 15 %), each up to the next; band -1 holds the products without a rate
#: (merchants imported by hand).
COMMISSION_BANDS: tuple[int, ...] = (0, 50_000, 100_000, 150_000)
NO_COMMISSION = -1


def commission_band_label(band: int) -> str:
    """ "Under 5 %", "5–10 %", "15 % and more", "No rate" (IndexError for no band)."""
    if band == NO_COMMISSION:
        return "No rate"
    low, bounds = COMMISSION_BANDS[band] // 10_000, COMMISSION_BANDS
    if band + 1 >= len(bounds):
        return f"{low} % and more"
    high = bounds[band + 1] // 10_000
    return f"Under {high} %" if low == 0 else f"{low}–{high} %"


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A full-text query plus facet filters; every filter is a set of accepted values (OR)."""

    text: str = ""
    merchants: frozenset[str] = frozenset()
    brands: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    price_bands: frozenset[int] = frozenset()
    availability: frozenset[Availability] = frozenset()
    on_sale: bool | None = None
    commission_bands: frozenset[int] = frozenset()  # COMMISSION_BANDS indexes, NO_COMMISSION
    sort: SortKey = SortKey.RELEVANCE
    limit: int | None = None


@dataclass(frozen=True, slots=True)
class SearchResult:
    """Matching product ids in display order (a compact array, never row objects)."""

    ids: tuple[int, ...] | object  # a tuple or a numpy int64 array in the store's choosing
    total: int
    took_ms: float
    # False when ``total`` is an estimate: only type-ahead "top N" on a very common 2-3 letter
    # prefix, where counting every match would cost more than the keystroke budget.
    exact: bool = True


@dataclass(frozen=True, slots=True)
class FacetValue:
    value: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class Facets:
    """Counts per facet value for the current query (each facet ignores its own filter)."""

    merchant: tuple[FacetValue, ...] = ()
    brand: tuple[FacetValue, ...] = ()
    category: tuple[FacetValue, ...] = ()
    price_band: tuple[FacetValue, ...] = ()
    availability: tuple[FacetValue, ...] = ()
    on_sale: tuple[FacetValue, ...] = ()
    commission: tuple[FacetValue, ...] = ()  # empty while no product has a platform rate
    took_ms: float = 0.0


@dataclass(frozen=True, slots=True)
class ProductCard:
    """What a grid card or list row shows."""

    id: int
    title: str
    brand: str | None
    merchant: str
    price: Money | None
    sale_price: Money | None  # only when the sale is in effect now
    availability: Availability
    image_link: str | None
    # The platform's effective commission rate (0.08 = 8 %), exact; None when unknown (a
    # product imported by hand).
    commission_rate: Decimal | None = None
    # Its item group (the merchant's variants of one product), when it has more than one:
    # how many products, their distinct colours and sizes (sizes smallest first).
    variants: int = 1
    colours: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class VariantChoice:
    """One product of an item group as the detail pane's colour and size choosers see it."""

    id: int
    colour: str | None
    size: str | None
    availability: Availability


_LETTER_SIZES = ("XXXS", "XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL", "4XL", "5XL")
_SIZE_ALIASES = {"2XS": "XXS", "3XS": "XXXS", "2XL": "XXL", "3XL": "XXXL"}


def size_key(size: str) -> tuple[int, float, str]:
    """Orders sizes as a shop lists them: letter sizes S < M < XL, then numbers, then words."""
    text = size.strip().upper()
    text = _SIZE_ALIASES.get(text, text)
    if text in _LETTER_SIZES:
        return (0, float(_LETTER_SIZES.index(text)), "")
    number = text.replace(",", ".").split(" ")[0].split("/")[0]
    try:
        return (1, float(number), text)
    except ValueError:
        return (2, 0.0, text)


_VARIANT_WORD = re.compile(r"[^\s,/|()-]+")
_VARIANT_PART = re.compile(r"\s+[-–|/]\s+|,\s+|\s+\(")  # " - ", ", ", " / ", " ("


def group_title(card: ProductCard) -> str:
    """The title of ``card``'s item group: its own title without the parts at the end that
    name only the group's colours and sizes ("Court Sneaker, Recycled Leather - White, 38"
    and "Linen shirt, White, M" -> "Court Sneaker, Recycled Leather", "Linen shirt");
    the title itself for a product alone or a title that names no variant."""
    if card.variants < 2:
        return card.title
    names = {w.casefold() for v in (*card.colours, *card.sizes) for w in _VARIANT_WORD.findall(v)}
    title = card.title
    while True:
        cuts = list(_VARIANT_PART.finditer(title))
        if not cuts:
            return title
        tail = [w.casefold() for w in _VARIANT_WORD.findall(title[cuts[-1].end() :])]
        head = title[: cuts[-1].start()].strip()
        if not head or not tail or not set(tail) <= names:
            return title
        title = head


@dataclass(frozen=True, slots=True)
class PricePoint:
    seen_at: str  # ISO 8601 timestamp of the import that saw this price
    price: Money | None
    sale_price: Money | None


@dataclass(frozen=True, slots=True)
class ProductDetail:
    """Everything the detail pane shows about one product and its variants."""

    card: ProductCard
    offer_id: str
    description: str
    link: str | None
    images: tuple[str, ...]
    condition: str | None
    gtin: str | None
    mpn: str | None
    category: str | None
    attributes: tuple[tuple[str, str], ...]  # colour, size, material... as (label, value)
    variants: tuple[ProductCard, ...] = ()
    price_history: tuple[PricePoint, ...] = ()
    # Every product of its item group, itself included, for the colour and size choosers.
    choices: tuple[VariantChoice, ...] = ()


@dataclass(slots=True)
class ImportReport:
    """What an import did, for the progress dialog's summary and ``studio import-feed``."""

    merchant: str
    format: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    marked_unavailable: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def imported(self) -> int:
        return self.added + self.updated + self.unchanged

    def as_dict(self) -> dict[str, object]:
        return {
            "merchant": self.merchant,
            "format": self.format,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "marked_unavailable": self.marked_unavailable,
            "rejected": [
                {"where": r.where, "offer_id": r.offer_id, "reason": r.reason}
                for r in self.rejected
            ],
            "seconds": round(self.seconds, 3),
        }
