"""Shops: a curator's storefront of merchants' products, on shelves, with the platform's limits.

A shop has a unique URL-safe ``handle`` (``normalise_handle``), a title, tagline, description,
banner (a media hash) and accent colour; its sections (shelves) hold items in order, each a
catalog product with the curator's note and a "featured" flag. Orders are fractional keys
(``studio.core.ordering``); ids are UUIDs; everything is an immutable value.

Also here, pure so the UI, the CLI and the platform agree: the shop-health rules (``health``):
an item whose product a declared affiliation now forbids (a conflict of interest declared after
it was shelved), whose merchant's catalog is gone, whose product is now unavailable, or whose
price changed since it was shelved (the price at shelving time is kept on the item); the
shop-wide issue of a shop beyond its tier (``studio.core.tiers.over_tier``); and the ranking
of in-stock replacements (``rank_replacements``): same category (the caller's query), then
similar title, same brand, close price. The tier limits live in ``studio.core.tiers``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from studio.core.errors import MoneyError
from studio.core.looks import ProductRef
from studio.core.money import Money

# The tier rules live in studio.core.tiers; these two are re-exported for their callers.
from studio.core.tiers import TIER_LIMITS as TIER_LIMITS
from studio.core.tiers import room_left as room_left

HANDLE_MIN, HANDLE_MAX = 3, 40
_HANDLE = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
_COLOUR = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")
DEFAULT_ACCENT = "#222222"


def normalise_handle(text: str) -> str:
    """The URL-safe handle for ``text``: accents dropped, lowercase, spaces, dots and
    underscores as hyphens, repeated hyphens collapsed, none at the ends; then checked:
    3-40 characters of a-z, 0-9 and hyphens (ValueError saying what is wrong)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    handle = re.sub(r"[\s._]+", "-", plain.strip().lower())
    handle = re.sub(r"-{2,}", "-", handle).strip("-")
    bad = sorted(set(re.sub(r"[a-z0-9-]", "", handle)))
    if bad:
        raise ValueError(
            f"a shop handle may only use letters a-z, digits and hyphens; "
            f"{text!r} has {' '.join(repr(c) for c in bad)}"
        )
    if not HANDLE_MIN <= len(handle) <= HANDLE_MAX or not _HANDLE.fullmatch(handle):
        raise ValueError(
            f"a shop handle must be {HANDLE_MIN} to {HANDLE_MAX} letters, digits "
            f"or hyphens; {text!r} gives {handle!r} ({len(handle)} characters)"
        )
    return handle


def normalise_colour(text: str) -> str:
    """``#rrggbb`` in lowercase from "#RRGGBB", "rrggbb" or "#rgb" (ValueError otherwise)."""
    match = _COLOUR.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"an accent colour is written #rrggbb, not {text!r}")
    digits = match.group(1).lower()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return "#" + digits


@dataclass(frozen=True, slots=True)
class Shop:
    id: str
    handle: str
    title: str
    tagline: str = ""
    description: str = ""
    banner_hash: str | None = None
    accent: str = DEFAULT_ACCENT
    created_at: str = ""
    updated_at: str = ""
    deleted_at: str | None = None


@dataclass(frozen=True, slots=True)
class ShopSection:
    id: str
    shop_id: str
    title: str
    position: str


@dataclass(frozen=True, slots=True)
class ShopItem:
    """A shelved product. ``shelved_price_minor``/``shelved_currency`` are the product's price
    when it was shelved (or its product replaced), for the "price changed" health issue."""

    id: str
    section_id: str
    product: ProductRef
    position: str
    note: str = ""
    featured: bool = False
    shelved_price_minor: int | None = None
    shelved_currency: str | None = None


@dataclass(frozen=True, slots=True)
class ShopDocument:
    """A shop with its live sections (by position) and items (by section, then position)."""

    shop: Shop
    sections: tuple[ShopSection, ...]
    items: tuple[ShopItem, ...]

    def items_of(self, section_id: str) -> tuple[ShopItem, ...]:
        return tuple(i for i in self.items if i.section_id == section_id)

    def section(self, section_id: str) -> ShopSection | None:
        return next((s for s in self.sections if s.id == section_id), None)

    @property
    def item_count(self) -> int:
        return len(self.items)


@dataclass(frozen=True, slots=True)
class ShopSummary:
    """A row of the shop list; ``room_left`` is for the profile's tier."""

    id: str
    handle: str
    title: str
    item_count: int
    room_left: int
    health_issues: int
    updated_at: str
    deleted_at: str | None


# ---- health ----------------------------------------------------------------------------


class IssueKind(StrEnum):
    UNAVAILABLE = "unavailable"
    PRICE_CHANGED = "price_changed"
    MERCHANT_GONE = "merchant_gone"
    CONFLICT = "conflict"  # a declared affiliation forbids the product now
    OVER_TIER = "over_tier"  # the whole shop: beyond the tier's rule (``item_id`` is "")


@dataclass(frozen=True, slots=True)
class CatalogFacts:
    """What the catalog says now about one shelved product. ``in_catalog`` False: no row for
    its merchant and offer id; ``available`` False: out of stock or withdrawn."""

    in_catalog: bool
    available: bool = False
    price_minor: int | None = None
    currency: str | None = None


@dataclass(frozen=True, slots=True)
class HealthIssue:
    """One issue: of an item (``item_id``), or of the whole shop (``item_id`` "")."""

    item_id: str
    kind: IssueKind
    detail: str


def tier_issue(detail: str) -> HealthIssue:
    """The shop-wide issue of a shop beyond its tier (``studio.core.tiers.over_tier``)."""
    return HealthIssue("", IssueKind.OVER_TIER, detail)


def _price(minor: int | None, currency: str | None) -> str:
    if minor is None:
        return "no price"
    try:
        return Money(minor, currency or "").format()
    except MoneyError:
        return f"{minor} (minor units)"


def health(
    items: Iterable[ShopItem],
    facts: Mapping[tuple[str, str], CatalogFacts],
    merchants_present: Iterable[str],
    conflicts: Mapping[tuple[str, str], str] | None = None,
) -> list[HealthIssue]:
    """The issues of ``items``, in their order: one per item at most, the gravest first
    (conflict > merchant gone > unavailable > price changed). ``facts`` is keyed by (merchant,
    offer id); a missing key means "not in the catalog"; ``merchants_present`` names the
    merchants whose catalog is still in the store; ``conflicts`` holds the reason of each
    (merchant, offer id) the declared affiliations now forbid (``studio.core.rules.conflicts``)."""
    present = {m.casefold() for m in merchants_present}
    forbidden = conflicts or {}
    issues: list[HealthIssue] = []
    for item in items:
        ref = item.product
        fact = facts.get((ref.merchant, ref.offer_id), CatalogFacts(False))
        reason = forbidden.get((ref.merchant, ref.offer_id))
        if reason:
            issues.append(HealthIssue(item.id, IssueKind.CONFLICT, reason))
        elif ref.merchant.casefold() not in present:
            issues.append(
                HealthIssue(
                    item.id,
                    IssueKind.MERCHANT_GONE,
                    f"{ref.merchant}'s catalog is no longer in the studio",
                )
            )
        elif not fact.in_catalog or not fact.available:
            issues.append(
                HealthIssue(
                    item.id,
                    IssueKind.UNAVAILABLE,
                    "no longer in the catalog"
                    if not fact.in_catalog
                    else "out of stock or withdrawn by the merchant",
                )
            )
        elif (item.shelved_price_minor, item.shelved_currency) != (fact.price_minor, fact.currency):
            issues.append(
                HealthIssue(
                    item.id,
                    IssueKind.PRICE_CHANGED,
                    (
                        f"price was {_price(item.shelved_price_minor, item.shelved_currency)} when "
                        f"shelved, now {_price(fact.price_minor, fact.currency)}"
                    ),
                )
            )
    return issues


# ---- replacements ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Suggestion:
    """An in-stock product that could take a shelved item's place; ``score`` in 0..1."""

    product: ProductRef
    title: str
    brand: str | None
    price_minor: int | None
    currency: str | None
    score: float = 0.0


def _words(text: str) -> set[str]:
    return set(re.findall(r"[^\W_]+", text.casefold()))


def similarity(
    title: str,
    brand: str | None,
    price_minor: int | None,
    currency: str | None,
    candidate: Suggestion,
) -> float:
    """Half title words in common (Jaccard), a quarter same brand, a quarter close price."""
    a, b = _words(title), _words(candidate.title)
    score = 0.5 * (len(a & b) / len(a | b) if a | b else 0.0)
    if brand and candidate.brand and brand.casefold() == candidate.brand.casefold():
        score += 0.25
    p, q = price_minor, candidate.price_minor
    if p is not None and q is not None and currency == candidate.currency:
        score += 0.25 * (1.0 - min(1.0, abs(p - q) / max(p, q, 1)))
    return round(score, 6)


def rank_replacements(
    title: str,
    brand: str | None,
    price_minor: int | None,
    currency: str | None,
    candidates: Iterable[Suggestion],
    limit: int = 5,
) -> list[Suggestion]:
    """The ``limit`` best candidates, scored, best first (ties by title, then offer id)."""
    scored = [
        Suggestion(
            c.product,
            c.title,
            c.brand,
            c.price_minor,
            c.currency,
            similarity(title, brand, price_minor, currency, c),
        )
        for c in candidates
    ]
    scored.sort(key=lambda c: (-c.score, c.title.casefold(), c.product.offer_id))
    return scored[: max(0, limit)]
