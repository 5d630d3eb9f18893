"""The platform's tier rule, pure: the sixth approved order, one trial shop, 30 / 10,000."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studio.core.profile import Tier
from studio.core.tiers import (
    FULL_AFTER_APPROVED_ORDERS,
    LIMITS,
    ShopSlot,
    may_open_shop,
    may_shelve,
    over_tier,
    room_left,
    tier_after,
    trial_shop,
)

OLD = ShopSlot("a", "Summer picks", "2026-01-01T00:00:00+00:00", 12)
NEW = ShopSlot("b", "Winter picks", "2026-02-01T00:00:00+00:00", 3)


def test_the_full_tier_comes_with_the_sixth_approved_order() -> None:
    assert [tier_after(n) for n in range(8)] == [Tier.STARTER] * 6 + [Tier.FULL] * 2
    assert FULL_AFTER_APPROVED_ORDERS == 5
    for bad in (-1, 2.5, True, "6"):
        with pytest.raises(ValueError, match="approved orders"):
            tier_after(bad)  # type: ignore[arg-type]


@settings(deadline=None)  # no timing inside tests
@given(st.integers(min_value=0, max_value=10_000))
def test_tier_after_is_full_exactly_past_five(orders: int) -> None:
    assert (tier_after(orders) is Tier.FULL) == (orders > 5)


def test_the_limits_as_the_platform_states_them() -> None:
    assert (LIMITS[Tier.STARTER].shops, LIMITS[Tier.STARTER].products_per_shop) == (1, 30)
    assert (LIMITS[Tier.FULL].shops, LIMITS[Tier.FULL].products_per_shop) == (None, 10_000)
    with pytest.raises(ValueError, match="unknown tier 'gold'"):
        room_left("gold", 0)


def test_a_starter_has_one_trial_shop_the_oldest() -> None:
    assert trial_shop([NEW, OLD]) == OLD and trial_shop([]) is None
    assert may_open_shop(Tier.STARTER, []).allowed
    refused = may_open_shop("starter", [OLD])
    assert not refused.allowed
    assert "one trial shop, and yours is “Summer picks”" in refused.reason
    assert "full tier (the platform grants it after more than five approved orders)" in (
        refused.reason
    )
    assert may_open_shop(Tier.FULL, [OLD, NEW]).allowed


def test_shelving_fits_the_trial_shop_only_on_the_starter_tier() -> None:
    assert may_shelve(Tier.STARTER, 29, 1).allowed
    full = may_shelve(Tier.STARTER, 30, 1)
    assert not full.allowed and full.reason.startswith(
        "a starter shop holds at most 30 products; this one has 30, so there is room for 0 "
        "more, not 1."
    )
    other = may_shelve(Tier.STARTER, 0, 1, trial=False, trial_title="Summer picks")
    assert not other.allowed
    assert other.reason.startswith("On the starter tier only your trial “Summer picks” takes")
    assert may_shelve(Tier.STARTER, 5, 0, trial=False).allowed  # nothing added
    assert may_shelve(Tier.FULL, 9_999, 1, trial=False).allowed
    big = may_shelve(Tier.FULL, 9_999, 2)
    assert not big.allowed and "a full shop holds at most 10,000 products" in big.reason
    assert room_left(Tier.STARTER, 12) == 18 and room_left(Tier.STARTER, 12, trial=False) == 0
    assert room_left(Tier.FULL, 12, trial=False) == 9_988 and room_left("starter", 40) == 0


def test_existing_shops_beyond_the_starter_rule_are_named_not_removed() -> None:
    assert over_tier(Tier.FULL, [OLD, NEW]) == {}
    flagged = over_tier(Tier.STARTER, [NEW, OLD])
    assert set(flagged) == {"b"}
    assert flagged["b"].startswith(
        "Only one trial shop is public on the starter tier, and yours is “Summer picks”"
    )
    crowded = ShopSlot("c", "Big", "2026-01-01T00:00:00+00:00", 42)
    (reason,) = over_tier(Tier.STARTER, [crowded]).values()
    assert "holds at most 30 products; this one holds 42 from before" in reason
    assert "until 12 are removed or you reach the full tier" in reason
    assert over_tier(Tier.STARTER, [OLD]) == {}


@settings(deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 50), st.integers(0, 3)),
        min_size=0,
        max_size=5,
        unique_by=lambda t: t[1],
    )
)
def test_a_starter_may_open_a_shop_exactly_when_none_is_live(slots: list[tuple[int, int]]) -> None:
    live = [ShopSlot(str(day), "S", f"2026-01-0{day + 1}", n) for n, day in slots]
    assert may_open_shop(Tier.STARTER, live).allowed == (not live)
    flagged = over_tier(Tier.STARTER, live)
    trial = trial_shop(live)
    # Every live shop but the trial one is flagged; the trial one only when over 30.
    assert {s.id for s in live if s is not trial} <= set(flagged)
    if trial is not None:
        assert (trial.id in flagged) == (trial.item_count > 30)
