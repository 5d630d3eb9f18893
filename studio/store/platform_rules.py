"""The platform's rules (``studio.core.tiers``, ``studio.core.rules``) over the local store.

The rules are pure functions over plain values; this module reads those values from the store,
on the caller's connection (inside its transaction when it writes, so a rule is checked against
exactly what the edit commits with), and turns a refusal into a StoreError carrying the rule's
reason:

- ``check_open``: creating, duplicating or restoring a shop (one trial shop on the starter
  tier);
- ``check_shelving``: adding products to a shop, or bringing removed ones back (only the
  trial shop takes products on the starter tier; 30 / 10,000 per shop);
- ``standing``: the tier and whether a shop is the trial one (the shelf counter's room);
- ``tier_issues``: what an existing shop holds beyond its tier, for shop health (kept, never
  deleted);
- ``product_conflicts`` / ``conflicts_of``: the placed products a declared tie now forbids
  (shop health, the look, board and review checks).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, replace

from studio.core.errors import StoreError
from studio.core.looks import ProductRef
from studio.core.profile import Tier
from studio.core.rules import conflicts
from studio.core.shops import HealthIssue, tier_issue
from studio.core.tiers import ShopSlot, may_open_shop, may_shelve, over_tier, trial_shop
from studio.store.curation_rows import load_affiliations, load_profile, product_infos
from studio.store.db import Database
from studio.store.shop_rows import item_count

ProductKey = tuple[str, str]  # (merchant, offer id)


@dataclass(frozen=True, slots=True)
class Standing:
    """A shop's place in its tier: the tier, whether it is the starter's trial shop (always
    True on the full tier) and the trial shop's title (for the counter and the reasons)."""

    tier: Tier
    trial: bool
    trial_title: str = ""


def live_slots(conn: sqlite3.Connection) -> list[ShopSlot]:
    """The live shops, oldest first (item counts left at 0: a rule that needs one's count is
    given it by the caller, who has it, rather than counting every shop's items)."""
    rows = conn.execute(
        "SELECT id, title, created_at FROM shops WHERE deleted_at IS NULL ORDER BY created_at, id"
    ).fetchall()
    return [ShopSlot(r[0], r[1], r[2]) for r in rows]


def _tier(conn: sqlite3.Connection) -> Tier:
    return load_profile(conn).tier


def standing(conn: sqlite3.Connection, shop_id: str) -> Standing:
    """The shop's tier and whether it is the trial shop (the trial one: the oldest live)."""
    tier = _tier(conn)
    if tier is not Tier.STARTER:
        return Standing(tier, True)
    trial = trial_shop(live_slots(conn))
    if trial is None:  # a trashed shop: it becomes the trial one if restored alone
        return Standing(tier, True)
    return Standing(tier, trial.id == shop_id, trial.title)


def check_open(conn: sqlite3.Connection, shop_id: str | None = None) -> None:
    """StoreError (the rule's reason) unless one more shop may become live; ``shop_id``: the
    shop being revived or restored (not counted among the live ones)."""
    live = [s for s in live_slots(conn) if s.id != shop_id]
    decision = may_open_shop(_tier(conn), live)
    if not decision.allowed:
        raise StoreError(decision.reason)


def check_shelving(conn: sqlite3.Connection, shop_id: str, adding: int) -> None:
    """StoreError (the rule's reason) unless ``adding`` more products fit the shop."""
    where = standing(conn, shop_id)
    decision = may_shelve(
        where.tier,
        item_count(conn, shop_id),
        adding,
        trial=where.trial,
        trial_title=where.trial_title,
    )
    if not decision.allowed:
        raise StoreError(decision.reason)


def tier_issues(conn: sqlite3.Connection, shop_id: str, item_count: int) -> list[HealthIssue]:
    """The shop-wide health issue of a live shop holding ``item_count`` live items beyond
    its tier (none otherwise)."""
    slots = [replace(s, item_count=item_count) if s.id == shop_id else s for s in live_slots(conn)]
    reason = over_tier(_tier(conn), slots).get(shop_id)
    return [] if reason is None else [tier_issue(reason)]


def conflicts_of(conn: sqlite3.Connection, keys: Iterable[ProductKey]) -> dict[ProductKey, str]:
    """Of these (merchant, offer id) products, the ones the declared ties now forbid, with
    the reason; a product the catalog no longer has is not one (its brand is unknown)."""
    affiliations = load_affiliations(conn)
    if not affiliations:  # the common case: nothing declared, no catalog read needed
        return {}
    infos = product_infos(conn, set(keys))
    return conflicts(affiliations, {k: (i.brand, i.category) for k, i in infos.items()})


def product_conflicts(db: Database, refs: Iterable[ProductRef]) -> dict[ProductKey, str]:
    """``conflicts_of`` on a connection of its own (the editors' checks call it in a worker)."""
    keys = {(r.merchant, r.offer_id) for r in refs}
    if not keys:
        return {}
    with db.connect() as conn:
        return conflicts_of(conn, keys)
