"""The conflict-of-interest rule, pure: examples and properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from studio.core.profile import Affiliation, Relationship
from studio.core.rules import check_product, within

MAKES_ACME = Affiliation("Acme", "Footwear > Sneakers", Relationship.MAKES)

segment = st.text(alphabet="abcXYZ é", min_size=1, max_size=6).filter(lambda s: s.strip())
paths = st.lists(segment, min_size=1, max_size=4)
brands = st.text(alphabet="abcdeXYZ ", min_size=1, max_size=8).filter(lambda s: s.strip())


def test_a_competitor_in_the_category_or_below_is_refused_with_the_reason() -> None:
    verdict = check_product([MAKES_ACME], "Brand X", "Footwear > Sneakers > Running")
    assert not verdict.allowed
    assert verdict.reason.startswith(
        "You make Acme, which sells in Footwear > Sneakers; "
        "Brand X is a competitor in that category"
    )
    assert not check_product([MAKES_ACME], "Brand X", " footwear>SNEAKERS").allowed


def test_other_categories_unknown_facts_and_paid_ties_are_allowed() -> None:
    assert check_product([MAKES_ACME], "Brand X", "Footwear").allowed  # broader: not within
    assert check_product([MAKES_ACME], "Brand X", "Footwear > Sneakerz").allowed
    assert check_product([MAKES_ACME], None, "Footwear > Sneakers").allowed
    assert check_product([MAKES_ACME], "Brand X", None).allowed
    paid = Affiliation("Brand X", "Footwear", Relationship.PAID_BY)
    verdict = check_product([paid], "brand  x", "Footwear > Sneakers")
    assert verdict.allowed and verdict.paid_by and not verdict.own_brand


def test_an_own_brand_is_allowed_and_flagged_case_insensitively() -> None:
    verdict = check_product([MAKES_ACME], "  ACME ", "Footwear > Sneakers")
    assert verdict.allowed and verdict.own_brand
    rep = Affiliation("Bolt", "Apparel", Relationship.REPRESENTS)
    verdict = check_product([rep], "Acme", "Apparel > Coats")
    assert not verdict.allowed and verdict.reason.startswith("You represent Bolt")


@given(brands, brands, paths, paths)
def test_refused_exactly_when_a_different_brand_is_within_a_binding_category(
    own: str, other: str, scope: list[str], rest: list[str]
) -> None:
    aff = Affiliation(own, " > ".join(scope), Relationship.MAKES)
    inside = " > ".join(scope + rest)
    verdict = check_product([aff], other, inside)
    same = " ".join(own.split()).casefold() == " ".join(other.split()).casefold()
    assert verdict.allowed == same
    assert verdict.own_brand == same
    # A paid tie never refuses anything.
    paid = Affiliation(own, " > ".join(scope), Relationship.PAID_BY)
    assert check_product([paid], other, inside).allowed


@given(paths, paths)
def test_within_is_a_segment_prefix(a: list[str], b: list[str]) -> None:
    assert within(" > ".join(a + b), " > ".join(a))
    assert within(" > ".join(a), " > ".join(a + b)) == (not b)
