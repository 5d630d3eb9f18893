"""The platform's tiers: how many shops a member runs and how many products each may hold.

Taoxiaopu's rule, as the platform states it (ARCHITECTURE.md, "Platform economics"): a
*starter* member has ONE trial shop of at most 30 products; after MORE THAN FIVE approved
orders (the sixth) the member is on the *full* tier: up to 10,000 products per shop and any
number of shops. ``tier_after`` is the platform's rule over its own order ledger; the studio
never applies it itself (it keeps the last tier the platform gave, see
``studio.store.profile``), it only asks these functions whether an edit fits that tier.

Everything here is a plain function over plain values, so the desktop and the platform server
(with its own data) decide alike and give the same reasons:

- ``may_open_shop``: creating, duplicating or restoring a shop makes one more live shop;
- ``may_shelve``: adding products (or bringing removed ones back) to a shop;
- ``room_left``: what a shop may still take;
- ``trial_shop``: which of a starter's live shops is the trial one (the oldest);
- ``over_tier``: what a starter's existing shops hold beyond the rule (two shops from before
  the rule, an imported archive), for shop health: such data is kept, never deleted.

The full tier also lets a member choose from the whole catalog; which part of it a starter may
choose from is the platform's to say (no catalog data marks it yet), so nothing here limits it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from studio.core.profile import Tier

FULL_AFTER_APPROVED_ORDERS = 5
"""The full tier comes with the approved order after this many (the sixth)."""


@dataclass(frozen=True, slots=True)
class TierLimits:
    """``shops``: live shops at once (None: any number); ``products_per_shop``: items."""

    shops: int | None
    products_per_shop: int


LIMITS: Mapping[Tier, TierLimits] = {
    Tier.STARTER: TierLimits(shops=1, products_per_shop=30),
    Tier.FULL: TierLimits(shops=None, products_per_shop=10_000),
}
TIER_LIMITS: dict[str, int] = {t.value: limits.products_per_shop for t, limits in LIMITS.items()}
"""Products per shop by tier name (the shelf counter's "of N")."""

FULL_TIER = "the full tier (the platform grants it after more than five approved orders)"
FULL_TIER_CAP = FULL_TIER[0].upper() + FULL_TIER[1:]


@dataclass(frozen=True, slots=True)
class Decision:
    """``allowed`` False comes with a ``reason`` to show as is."""

    allowed: bool
    reason: str = ""


ALLOWED = Decision(True)


@dataclass(frozen=True, slots=True)
class ShopSlot:
    """What the rule needs of one live shop: its id, title, creation stamp and item count."""

    id: str
    title: str
    created_at: str
    item_count: int = 0


def tier_of(value: Tier | str) -> Tier:
    """``value`` as a Tier (ValueError naming the known tiers)."""
    try:
        return Tier(value)
    except ValueError:
        known = ", ".join(t.value for t in Tier)
        raise ValueError(f"unknown tier {value!r} (known: {known})") from None


def tier_after(approved_orders: int) -> Tier:
    """The tier a member with ``approved_orders`` approved orders is on: full from the sixth."""
    if isinstance(approved_orders, bool) or not isinstance(approved_orders, int):
        raise ValueError(f"approved orders are a whole number, not {approved_orders!r}")
    if approved_orders < 0:
        raise ValueError(f"approved orders cannot be negative ({approved_orders})")
    return Tier.FULL if approved_orders > FULL_AFTER_APPROVED_ORDERS else Tier.STARTER


def trial_shop(shops: Iterable[ShopSlot]) -> ShopSlot | None:
    """The starter's trial shop among live ``shops``: the oldest (then the smallest id), so
    it stays the same whatever is added later; None when there is no live shop."""
    return min(shops, key=lambda s: (s.created_at, s.id), default=None)


def room_left(tier: Tier | str, count: int, *, trial: bool = True) -> int:
    """How many more products a shop holding ``count`` may take (never negative); on the
    starter tier a shop that is not the trial one takes none."""
    level = tier_of(tier)
    if level is Tier.STARTER and not trial:
        return 0
    return max(0, LIMITS[level].products_per_shop - count)


def may_open_shop(tier: Tier | str, live: Sequence[ShopSlot]) -> Decision:
    """May one more shop become live (created, duplicated or restored) next to ``live``?"""
    limit = LIMITS[tier_of(tier)].shops
    if limit is None or len(live) < limit:
        return ALLOWED
    trial = trial_shop(live)
    title = f"“{trial.title}”" if trial is not None else "already open"
    return Decision(
        False,
        f"A starter member has one trial shop, and yours is {title}: move it to the trash "
        f"first, or wait for {FULL_TIER}, which allows any number of shops.",
    )


def may_shelve(
    tier: Tier | str,
    count: int,
    adding: int,
    *,
    trial: bool = True,
    trial_title: str = "",
) -> Decision:
    """May ``adding`` products go into a shop holding ``count``? ``trial``: whether it is the
    starter's trial shop (``trial_title`` names the one that is, for the reason)."""
    level = tier_of(tier)
    if adding <= 0:
        return ALLOWED
    if level is Tier.STARTER and not trial:
        other = f"“{trial_title}”" if trial_title else "shop"
        return Decision(
            False,
            f"On the starter tier only your trial {other} takes products; this shop is kept "
            f"as it is. {FULL_TIER_CAP} allows any number of shops.",
        )
    limit = LIMITS[level].products_per_shop
    left = room_left(level, count)
    if adding <= left:
        return ALLOWED
    more = (
        f" {FULL_TIER_CAP} holds up to {LIMITS[Tier.FULL].products_per_shop:,} per shop."
        if level is Tier.STARTER
        else ""
    )
    return Decision(
        False,
        f"a {level.value} shop holds at most {limit:,} products; this one has {count:,}, so "
        f"there is room for {left:,} more, not {adding:,}.{more}",
    )


def over_tier(tier: Tier | str, live: Sequence[ShopSlot]) -> dict[str, str]:
    """Shop id -> what it holds beyond the rule of ``tier`` (kept, never deleted): a starter's
    live shops other than the trial one, and a shop holding more than its tier's limit."""
    level = tier_of(tier)
    limits = LIMITS[level]
    trial = trial_shop(live)
    out: dict[str, str] = {}
    for shop in live:
        if limits.shops is not None and trial is not None and shop.id != trial.id:
            out[shop.id] = (
                f"Only one trial shop is public on the starter tier, and yours is "
                f"“{trial.title}”: this shop is kept as it is, but it takes no products "
                f"until {FULL_TIER}."
            )
        elif shop.item_count > limits.products_per_shop:
            extra = shop.item_count - limits.products_per_shop
            out[shop.id] = (
                f"A {level.value} shop holds at most {limits.products_per_shop:,} products; "
                f"this one holds {shop.item_count:,} from before: they are kept, but nothing "
                f"more can be shelved until {extra:,} are removed"
                + (f" or you reach {FULL_TIER}." if level is Tier.STARTER else ".")
            )
    return out
