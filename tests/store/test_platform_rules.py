"""The platform's rules through the real store: one trial shop on the starter tier, a tier only
the platform sets, and content placed before a competing tie flagged by shop health."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from studio.core.errors import StoreError
from studio.core.profile import Relationship, Tier
from studio.core.shops import IssueKind
from studio.store import outbox
from studio.store.catalog import CatalogStore
from studio.store.db import Database, open_database
from studio.store.profile import ProfileStore
from studio.store.reviews import ReviewStore
from studio.store.shops import ShopStore
from tests.store.test_shops_store import BOLT_RUN, acme, acme_feed, count, rec


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "studio.sqlite3")
    catalog = CatalogStore(database)
    catalog.import_feed("Acme", "google-xml", acme_feed())
    catalog.import_feed(
        "Bolt",
        "google-xml",
        [rec("Bolt", "run", "Bolt runner", 9900, "Bolt", "Footwear > Sneakers > Running")],
    )
    yield database
    database.close()


@pytest.fixture
def store(db: Database) -> ShopStore:
    return ShopStore(db)


def shop_with_shelf(store: ShopStore, handle: str) -> tuple[str, str]:
    shop = store.create_shop(handle, handle.title(), section_title="All")
    return shop.id, store.document(shop.id).sections[0].id  # type: ignore[union-attr]


def test_a_starter_cannot_open_a_second_shop_by_any_way(db: Database, store: ShopStore) -> None:
    first, shelf = shop_with_shelf(store, "first")
    store.add_items(shelf, [acme(i) for i in range(30)])
    before = (count(db, "SELECT count(*) FROM shops"), count(db, "SELECT count(*) FROM outbox"))
    for attempt in (
        lambda: store.create_shop("second", "Second"),
        lambda: store.duplicate_shop(first),  # a copy of a full shop: 60 products in two shops
    ):
        with pytest.raises(StoreError) as refused:
            attempt()
        assert "A starter member has one trial shop, and yours is “First”" in str(refused.value)
        assert "after more than five approved orders" in str(refused.value)
    assert (count(db, "SELECT count(*) FROM shops"), count(db, "SELECT count(*) FROM outbox")) == (
        before
    )
    # Trashed, the trial shop leaves room for another; restoring it then is refused.
    store.trash_shop(first)
    second, _ = shop_with_shelf(store, "second")
    with pytest.raises(StoreError, match="yours is “Second”"):
        store.restore_shop(first)
    assert [s.handle for s in store.summaries()] == ["second"]
    # The platform grants the full tier: any number of shops, and the copy of a full one.
    ProfileStore(db).set_tier_from_platform(Tier.FULL)
    store.restore_shop(first)
    copy = store.duplicate_shop(first)
    assert len(store.document(copy.id).items) == 30  # type: ignore[union-attr]
    assert {s.handle for s in store.summaries()} == {"first", "second", "first-copy"}
    assert store.standing(second).trial and store.room_left(second) == 10_000


def test_two_shops_from_before_the_rule_are_kept_and_the_newer_flagged(
    db: Database, store: ShopStore
) -> None:
    profile = ProfileStore(db)
    profile.set_tier_from_platform("full")
    old, old_shelf = shop_with_shelf(store, "old")
    new, new_shelf = shop_with_shelf(store, "new")
    store.add_items(old_shelf, [acme(i) for i in range(25)])
    item = store.add_item(new_shelf, acme(30))
    profile.set_tier_from_platform("starter")  # the platform's last word; nothing is deleted
    summaries = {s.handle: s for s in store.summaries()}
    assert (summaries["old"].item_count, summaries["old"].room_left) == (25, 5)
    assert (summaries["new"].item_count, summaries["new"].room_left) == (1, 0)
    assert (summaries["old"].health_issues, summaries["new"].health_issues) == (0, 1)
    (issue,) = store.health(new)
    assert (issue.item_id, issue.kind) == ("", IssueKind.OVER_TIER)
    assert issue.detail.startswith(
        "Only one trial shop is public on the starter tier, and yours is “Old”"
    )
    assert store.health(old) == []
    assert not store.standing(new).trial and store.standing(old).trial
    # Only the trial shop takes products; the other may shrink but not grow back.
    with pytest.raises(StoreError, match="only your trial “Old” takes products"):
        store.add_item(new_shelf, acme(31))
    store.remove_items([item.id])
    with pytest.raises(StoreError, match="only your trial “Old” takes products"):
        store.restore_items([item.id])
    store.add_items(old_shelf, [acme(i) for i in range(25, 30)])
    with pytest.raises(StoreError, match="room for 0 more, not 1"):
        store.add_item(old_shelf, acme(31))
    # The fix-all leaves a shop-wide issue alone (it is not an item's).
    assert store.fix_health(new) == ([], [])
    assert store.document(new) is not None


def test_the_tier_is_the_platforms_to_set(db: Database) -> None:
    profile = ProfileStore(db)
    for attempt in (
        lambda: profile.update(tier="full"),
        lambda: profile.update(display_name="Ana", tier=Tier.FULL),
        lambda: profile.save([], display_name="Ana", tier="full"),
    ):
        with pytest.raises(TypeError, match="the tier is set by the platform"):
            attempt()
    assert profile.get().tier is Tier.STARTER and profile.get().display_name == ""
    sent = len(outbox.pending(db))
    assert profile.set_tier_from_platform("full").tier is Tier.FULL
    assert profile.get().tier is Tier.FULL
    assert len(outbox.pending(db)) == sent  # the platform's own value is not sent back to it
    with pytest.raises(ValueError, match="unknown tier 'platinum'"):
        profile.set_tier_from_platform("platinum")
    # An edit of the profile keeps the tier the platform gave.
    assert profile.update(display_name="Ana").tier is Tier.FULL


def test_a_product_shelved_before_a_competing_tie_is_flagged_and_fixable(
    db: Database, store: ShopStore
) -> None:
    shop, shelf = shop_with_shelf(store, "mixed")
    run = store.add_item(shelf, BOLT_RUN)
    own = store.add_item(shelf, acme(1))
    assert store.health(shop) == []
    ProfileStore(db).add_affiliation("Acme", "Footwear > Sneakers", Relationship.MAKES)
    (issue,) = store.health(shop)
    assert (issue.item_id, issue.kind) == (run.id, IssueKind.CONFLICT)
    assert issue.detail.startswith("Conflict of interest: you declared that you make Acme")
    assert (next(iter(store.summaries())).health_issues, own.id) == (1, own.id)
    # Nothing else in its category may replace it (Acme's own products sell elsewhere): Fix
    # all leaves it, and removing it is the fix.
    assert store.fix_health(shop) == ([], [run.id])
    store.remove_items([run.id])
    assert store.health(shop) == []


def test_a_review_of_a_paying_brand_names_it_whatever_the_provenance(db: Database) -> None:
    reviews = ReviewStore(db)
    review = reviews.create(BOLT_RUN, 4, provenance="bought")
    (row,) = reviews.summaries()
    assert "nobody paid me" in row.disclosure
    ProfileStore(db).add_affiliation("Bolt", "Footwear", Relationship.PAID_BY)
    (row,) = reviews.summaries()
    assert row.id == review.id and "nobody paid me" not in row.disclosure
    assert row.disclosure.startswith("I bought this product with my own money, but Bolt pays me")


def test_a_trial_shop_fuller_than_the_starter_limit_is_kept_and_flagged(
    db: Database, store: ShopStore
) -> None:
    profile = ProfileStore(db)
    profile.set_tier_from_platform("full")
    shop, shelf = shop_with_shelf(store, "big")
    store.add_items(shelf, [acme(i) for i in range(32)])
    profile.set_tier_from_platform("starter")
    (issue,) = store.health(shop)
    assert (issue.item_id, issue.kind) == ("", IssueKind.OVER_TIER)
    assert "this one holds 32 from before" in issue.detail and "until 2 are removed" in issue.detail
    assert store.room_left(shop) == 0 and len(store.document(shop).items) == 32  # type: ignore[union-attr]
    with pytest.raises(StoreError, match="room for 0 more, not 1"):
        store.add_item(shelf, acme(33))
    store.remove_items([i.id for i in store.document(shop).items[:2]])  # type: ignore[union-attr]
    assert store.health(shop) == []
