"""The conflict-of-interest rule: pure, so the desktop and the platform apply the same one.

A curator who makes or represents a brand may not shelve, tag or review ANOTHER brand's product
in that brand's category (or any category below it: a brand made in "Apparel > Shoes" conflicts
with a product in "Apparel > Shoes > Sneakers"). A product of a brand they make or represent is
allowed and flagged ``own_brand`` (its review is labelled so). Being paid by a brand forbids
nothing but is reported (``paid_by``) so a review can disclose it.

Brands compare case-insensitively with whitespace collapsed; category paths compare segment by
segment, case-insensitively. A product with no brand or no category cannot be placed in a
category and is allowed (the platform re-checks once the feed tells more).

New content is refused by ``check_product``; content placed BEFORE an affiliation was declared
(or brought in by an archive) is found by ``conflicts``, whose reasons say so and what to do:
shop health, the look, board and review checks flag it rather than delete it. ``paying_brands``
names the brands that pay the curator among those shown, for the disclosures.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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


def _competing(
    affiliations: tuple[Affiliation, ...], brand: str | None, category: str | None
) -> Affiliation | None:
    """The binding tie whose category holds ``category`` when ``brand`` is not one's own."""
    key = brand_key(brand or "")
    if not key or not category:
        return None
    if any(brand_key(a.brand) == key and a.relationship in _BINDING for a in affiliations):
        return None
    return next(
        (a for a in affiliations if a.relationship in _BINDING and within(category, a.category)),
        None,
    )


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
    tie = _competing(affiliations, brand, category)
    if tie is not None:
        return Verdict(
            False,
            (
                f"You {RELATIONSHIP_WORDS[tie.relationship]} {tie.brand}, which sells in "
                f"{tie.category}; {' '.join((brand or '').split())} is a competitor in that "
                "category, so its products cannot be shelved, tagged or reviewed by you."
            ),
            paid_by=paid,
        )
    return Verdict(True, paid_by=paid)


def conflicts(
    affiliations: Iterable[Affiliation],
    products: Mapping[tuple[str, str], tuple[str | None, str | None]],
) -> dict[tuple[str, str], str]:
    """The products already placed that the declared ties now forbid: (merchant, offer id) ->
    the reason, for ``products`` given as (merchant, offer id) -> (brand, category). A product
    the catalog no longer has (not in ``products``) cannot be placed, so it is not one."""
    ties = tuple(affiliations)
    if not any(a.relationship in _BINDING for a in ties):
        return {}
    out: dict[tuple[str, str], str] = {}
    for key, (brand, category) in products.items():
        tie = _competing(ties, brand, category)
        if tie is not None:
            out[key] = (
                f"Conflict of interest: you declared that you "
                f"{RELATIONSHIP_WORDS[tie.relationship]} {tie.brand}, which sells in "
                f"{tie.category}, and {' '.join((brand or '').split())} competes there "
                "(this was added before you declared it)."
            )
    return out


def paying_brands(affiliations: Iterable[Affiliation], brands: Iterable[str | None]) -> list[str]:
    """The brands among ``brands`` the curator declared as paying them, each once, in the
    spelling of the declaration, sorted: the disclosures name them."""
    paid = {
        brand_key(a.brand): a.brand for a in affiliations if a.relationship is Relationship.PAID_BY
    }
    found = {paid[k] for b in brands if b and (k := brand_key(b)) in paid}
    return sorted(found, key=str.casefold)
