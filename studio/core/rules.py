"""The conflict-of-interest rule: pure, so the desktop and the platform apply the same one.

A curator who makes or represents a brand may not shelve, tag or review ANOTHER brand's product
in that brand's category (or any category below it: a brand made in "Apparel > Shoes" conflicts
with a product in "Apparel > Shoes > Sneakers"). A product of a brand they make or represent is
allowed and flagged ``own_brand`` (its review is labelled so). Being paid by a brand forbids
nothing but is reported (``paid_by``) so a review can disclose it.

Brands compare case-insensitively with whitespace collapsed; category paths compare segment by
segment, case-insensitively. A product with no brand or no category cannot be placed in a
category and is allowed (the platform re-checks once the feed tells more).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from studio.core.profile import RELATIONSHIP_WORDS, Affiliation, Relationship

_BINDING = (Relationship.MAKES, Relationship.REPRESENTS)


@dataclass(frozen=True, slots=True)
class Verdict:
    """``allowed`` False comes with a ``reason`` to show as is."""

    allowed: bool
    reason: str = ""
    own_brand: bool = False
    paid_by: bool = False


def brand_key(brand: str) -> str:
    return " ".join(brand.split()).casefold()


def category_parts(path: str) -> tuple[str, ...]:
    return tuple(p.strip().casefold() for p in path.split(">") if p.strip())


def within(category: str, scope: str) -> bool:
    """True when ``category`` is ``scope`` or lies below it (segment-wise prefix)."""
    parts, prefix = category_parts(category), category_parts(scope)
    return bool(prefix) and parts[: len(prefix)] == prefix


def check_product(
    affiliations: Iterable[Affiliation], brand: str | None, category: str | None
) -> Verdict:
    """May the curator shelve, tag or review a product of ``brand`` in ``category``?"""
    affiliations = tuple(affiliations)
    key = brand_key(brand or "")
    own = (
        any(brand_key(a.brand) == key and a.relationship in _BINDING for a in affiliations)
        if key
        else False
    )
    paid = (
        any(
            brand_key(a.brand) == key and a.relationship is Relationship.PAID_BY
            for a in affiliations
        )
        if key
        else False
    )
    if own:
        return Verdict(True, own_brand=True, paid_by=paid)
    if key and category:
        for a in affiliations:
            if a.relationship in _BINDING and within(category, a.category):
                return Verdict(
                    False,
                    (
                        f"You {RELATIONSHIP_WORDS[a.relationship]} {a.brand}, which sells in "
                        f"{a.category}; {' '.join((brand or '').split())} is a competitor in that "
                        "category, so its products cannot be shelved, tagged or reviewed by you."
                    ),
                    paid_by=paid,
                )
    return Verdict(True, paid_by=paid)
