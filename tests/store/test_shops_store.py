"""ShopStore: shops, shelves and items through the real SQLite store and a real catalog."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from studio.core.errors import StoreError
from studio.core.looks import ProductRef
from studio.core.money import Money
from studio.core.product import Availability, ProductRecord
from studio.core.profile import Relationship, Tier
from studio.core.shops import IssueKind
from studio.store import outbox
from studio.store.catalog import CatalogStore
from studio.store.db import Database, open_database
from studio.store.profile import ProfileStore
from studio.store.shops import ShopStore


def rec(
    merchant: str,
    offer: str,
    title: str,
    price: int,
    brand: str,
    category: str,
    availability: Availability = Availability.IN_STOCK,
) -> ProductRecord:
    return ProductRecord(
        merchant,
        offer,
        title,
        price=Money(price, "EUR"),
        brand=brand,
        product_type=category,
        availability=availability,
    )


def acme_feed(n: int = 40, *, price_of_0: int = 1000) -> list[ProductRecord]:
    return [
        rec(
            "Acme",
            f"a{i}",
            f"Acme thing {i:02d}",
            price_of_0 if i == 0 else 1000 + i,
            "Acme",
            "Footwear > Sneakers",
        )
        for i in range(n)
    ]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "studio.sqlite3")
    catalog = CatalogStore(database)
    catalog.import_feed("Acme", "google-xml", acme_feed())
    catalog.import_feed(
        "Bolt",
        "google-xml",
        [
            rec("Bolt", "run", "Bolt runner", 9900, "Bolt", "Footwear > Sneakers > Running"),
            rec("Bolt", "coat", "Bolt coat", 19900, "Bolt", "Apparel > Coats"),
            rec("Bolt", "cheap", "Bolt cap", 500, "Bolt", "Apparel > Hats"),
        ],
    )
    yield database
    database.close()


@pytest.fixture
def store(db: Database) -> ShopStore:
    return ShopStore(db)


def acme(i: int) -> ProductRef:
    return ProductRef(None, "Acme", f"a{i}")


BOLT_RUN, BOLT_COAT, BOLT_CAP = (ProductRef(None, "Bolt", o) for o in ("run", "coat", "cheap"))


def count(db: Database, sql: str, *args: object) -> int:
    with db.connect() as conn:
        return int(conn.execute(sql, args).fetchone()[0])


def test_a_shop_round_trips_with_sections_and_items(store: ShopStore) -> None:
    shop = store.create_shop("  My Café Shop ", "Sneaker corner", section_title="New in")
    assert shop.handle == "my-cafe-shop"
    shop = store.update_shop(shop.id, tagline="Fresh", accent="#ABC", banner_hash="f" * 64)
    assert shop.accent == "#aabbcc"
    doc = store.document(shop.id)
    assert doc is not None and [s.title for s in doc.sections] == ["New in"]
    item = store.add_item(doc.sections[0].id, acme(3), note="comfy", featured=True)
    assert item.product.product_id is not None  # re-linked to the catalog row
    assert (item.shelved_price_minor, item.shelved_currency) == (1003, "EUR")
    doc = store.document(shop.id)
    assert doc is not None and doc.items == (item,) and doc.items[0].featured
    assert store.by_handle("MY CAFE SHOP") == doc.shop
    assert store.room_left(shop.id) == 29


def test_handles_are_validated_and_unique_among_live_shops(db: Database, store: ShopStore) -> None:
    ProfileStore(db).set_tier_from_platform(Tier.FULL)  # several live shops
    for bad in ("ab", "x" * 41, "shop/../x", "🙂🙂🙂", "---"):
        with pytest.raises(ValueError, match="handle"):
            store.create_shop(bad, "T")
    first = store.create_shop("corner", "First")
    with pytest.raises(StoreError, match="'corner' is already used by your shop 'First'"):
        store.create_shop("Corner", "Second")
    store.trash_shop(first.id)
    second = store.create_shop("corner", "Second")  # a trashed shop's handle is free
    with pytest.raises(StoreError, match="already used"):
        store.restore_shop(first.id)
    store.update_shop(second.id, handle="corner-2")
    assert store.restore_shop(first.id).deleted_at is None
    assert [s.handle for s in store.summaries()] == ["corner", "corner-2"]


def test_the_31st_item_of_a_starter_shop_is_refused_with_the_reason(
    db: Database, store: ShopStore
) -> None:
    shop = store.create_shop("full-house", "Full", section_title="All")
    section = store.document(shop.id).sections[0].id  # type: ignore[union-attr]
    store.add_items(section, [acme(i) for i in range(29)])
    store.add_item(section, acme(29))
    assert store.room_left(shop.id) == 0
    entries = count(db, "SELECT count(*) FROM outbox")
    with pytest.raises(
        StoreError,
        match=r"starter shop holds at most 30 products; this one "
        r"has 30, so there is room for 0 more, not 1",
    ):
        store.add_item(section, acme(30))
    assert count(db, "SELECT count(*) FROM shop_items") == 30
    assert count(db, "SELECT count(*) FROM outbox") == entries
    ProfileStore(db).set_tier_from_platform(Tier.FULL)
    store.add_item(section, acme(30))
    assert store.room_left(shop.id) == 10_000 - 31


def test_add_many_past_the_limit_writes_nothing(db: Database, store: ShopStore) -> None:
    shop = store.create_shop("batch", "Batch", section_title="All")
    section = store.document(shop.id).sections[0].id  # type: ignore[union-attr]
    store.add_items(section, [acme(i) for i in range(25)])
    before = count(db, "SELECT count(*) FROM outbox")
    with pytest.raises(StoreError, match="room for 5 more, not 6"):
        store.add_items(section, [acme(i) for i in range(25, 31)])
    assert count(db, "SELECT count(*) FROM shop_items") == 25
    assert count(db, "SELECT count(*) FROM outbox") == before
    # One unknown product in a batch that fits: nothing written either.
    with pytest.raises(StoreError, match="not in the catalog"):
        store.add_items(section, [acme(30), ProductRef(None, "Acme", "nope")])
    assert count(db, "SELECT count(*) FROM shop_items") == 25


def test_a_competitor_is_refused_and_an_own_brand_allowed(db: Database, store: ShopStore) -> None:
    ProfileStore(db).add_affiliation("ACME", "Footwear", Relationship.MAKES)
    shop = store.create_shop("mine", "Mine", section_title="All")
    section = store.document(shop.id).sections[0].id  # type: ignore[union-attr]
    with pytest.raises(
        StoreError,
        match=r"You make ACME, which sells in Footwear; Bolt is a "
        r"competitor",
    ):
        store.add_item(section, BOLT_RUN)
    store.add_items(section, [acme(1), BOLT_COAT])  # own brand; another category
    item = store.add_item(section, BOLT_CAP)
    with pytest.raises(StoreError, match="competitor"):
        store.replace_product(item.id, BOLT_RUN)
    assert store.document(shop.id).item_count == 3  # type: ignore[union-attr]


def test_a_product_removed_before_a_competing_affiliation_comes_back_by_undo(
    db: Database, store: ShopStore
) -> None:
    # Bringing back is not a new shelving (as a look's earlier tag comes back from an undo);
    # shelving the product anew is.
    shop = store.create_shop("later", "Later", section_title="All")
    section = store.document(shop.id).sections[0].id  # type: ignore[union-attr]
    run = store.add_item(section, BOLT_RUN)
    store.remove_items([run.id])
    ProfileStore(db).add_affiliation("ACME", "Footwear", Relationship.MAKES)
    store.restore_items([run.id])
    assert [i.id for i in store.document(shop.id).items] == [run.id]  # type: ignore[union-attr]
    store.remove_items([run.id])
    with pytest.raises(StoreError, match="competitor"):
        store.add_item(section, BOLT_RUN)


def test_reorder_within_and_between_sections(store: ShopStore) -> None:
    shop = store.create_shop("order", "Order", section_title="One")
    one = store.document(shop.id).sections[0].id  # type: ignore[union-attr]
    two = store.add_section(shop.id, "Two").id
    a, b, c, d = store.add_items(one, [acme(i) for i in range(4)])
    before = store.move_items([d.id], one, 0)
    doc = store.document(shop.id)
    assert doc is not None and [i.id for i in doc.items_of(one)] == [d.id, a.id, b.id, c.id]
    store.move_items([a.id, c.id], two)
    store.move_items([b.id], two, 1)
    doc = store.document(shop.id)
    assert doc is not None
    assert [i.id for i in doc.items_of(one)] == [d.id]
    assert [i.id for i in doc.items_of(two)] == [a.id, b.id, c.id]
    store.place_items(before)  # undo of the first move
    assert store.document(shop.id).items_of(one)[0].position == d.position  # type: ignore
    first = store.move_section(two, 0)
    assert [s.id for s in store.document(shop.id).sections] == [two, one]  # type: ignore
    store.set_section_position(two, first)
    assert [s.id for s in store.document(shop.id).sections] == [one, two]  # type: ignore


def test_sort_by_price_and_name_is_one_transaction(db: Database, store: ShopStore) -> None:
    shop = store.create_shop("sorted", "Sorted", section_title="Mixed")
    section = store.document(shop.id).sections[0].id  # type: ignore[union-attr]
    items = store.add_items(section, [BOLT_COAT, acme(5), BOLT_CAP, acme(2)])

    def titles() -> list[str]:
        return [i.product.offer_id for i in store.document(shop.id).items]  # type: ignore

    store.sort_section(section, "price")
    assert titles() == ["cheap", "a2", "a5", "coat"]
    store.sort_section(section, "price", descending=True)
    assert titles() == ["coat", "a5", "a2", "cheap"]
    previous = store.sort_section(section, "name")
    assert titles() == ["a2", "a5", "cheap", "coat"]  # Acme thing 02, 05, Bolt cap, Bolt coat
    store.place_items(previous)
    assert titles() == ["coat", "a5", "a2", "cheap"]
    with pytest.raises(ValueError):
        store.sort_section(section, "colour")  # type: ignore[arg-type]
    assert len(items) == 4


def test_health_finds_unavailable_repriced_and_gone_merchants(
    db: Database, store: ShopStore
) -> None:
    shop = store.create_shop("health", "Health", section_title="All")
    section = store.document(shop.id).sections[0].id  # type: ignore[union-attr]
    fine, repriced, dropped = store.add_items(section, [acme(1), acme(0), acme(2)])
    gone = store.add_item(section, BOLT_COAT)
    assert store.health(shop.id) == []
    catalog = CatalogStore(db)
    feed = [r for r in acme_feed(price_of_0=1500) if r.offer_id != "a2"]
    catalog.import_feed("Acme", "google-xml", feed)  # full: a2 is marked unavailable
    catalog.import_feed("Bolt", "google-xml", [])  # Bolt's catalog is withdrawn
    issues = {i.item_id: i for i in store.health(shop.id)}
    assert {k: v.kind for k, v in issues.items()} == {
        repriced.id: IssueKind.PRICE_CHANGED,
        dropped.id: IssueKind.UNAVAILABLE,
        gone.id: IssueKind.MERCHANT_GONE,
    }
    assert "10.00 EUR" in issues[repriced.id].detail and "15.00 EUR" in issues[repriced.id].detail
    assert fine.id not in issues
    assert store.summaries()[0].health_issues == 3
    store.accept_prices([repriced.id])
    assert {i.kind for i in store.health(shop.id)} == {
        IssueKind.UNAVAILABLE,
        IssueKind.MERCHANT_GONE,
    }
    store.replace_product(dropped.id, acme(3))
    assert [i.item_id for i in store.health(shop.id)] == [gone.id]


def test_every_edit_logs_its_records_and_tombstones_restore(db: Database, store: ShopStore) -> None:
    shop = store.create_shop("log", "Log", section_title="All")
    section = store.document(shop.id).sections[0].id  # type: ignore[union-attr]
    seen = len(outbox.pending(db))
    a, b = store.add_items(section, [acme(1), acme(2)])
    entries = outbox.pending(db)[seen:]
    assert [(e.entity, e.entity_id, e.action) for e in entries] == [
        ("shop_item", a.id, "upsert"),
        ("shop_item", b.id, "upsert"),
    ]
    assert entries[0].payload["offer_id"] == "a1"
    store.remove_section(section)
    tail = outbox.pending(db)[seen + 2 :]
    assert {(e.entity, e.action) for e in tail} == {
        ("shop_item", "delete"),
        ("shop_section", "delete"),
    }
    assert store.document(shop.id).items == ()  # type: ignore[union-attr]
    assert count(db, "SELECT count(*) FROM shop_items WHERE deleted_at IS NOT NULL") == 2
    store.restore_section(section)
    assert len(store.document(shop.id).items) == 2  # type: ignore[union-attr]
    store.remove_items([a.id])
    store.restore_items([a.id])
    assert len(store.document(shop.id).items) == 2  # type: ignore[union-attr]
    ProfileStore(db).set_tier_from_platform(Tier.FULL)  # a second live shop needs it
    copy = store.duplicate_shop(shop.id)
    assert copy.handle == "log-copy" and len(store.document(copy.id).items) == 2  # type: ignore


def test_a_failing_write_rolls_back_the_edit_and_its_outbox_entry(
    db: Database, store: ShopStore
) -> None:
    shop = store.create_shop("boom", "Boom", section_title="All")
    section = store.document(shop.id).sections[0].id  # type: ignore[union-attr]
    store.add_items(section, [acme(1)])
    before = (count(db, "SELECT count(*) FROM shop_items"), len(outbox.pending(db)))
    with db.connect() as conn:
        conn.execute(
            "CREATE TRIGGER boom BEFORE INSERT ON shop_items WHEN NEW.offer_id = 'a3' "
            "BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        )
    with pytest.raises(Exception, match="injected failure"):
        store.add_items(section, [acme(2), acme(3)])
    assert (count(db, "SELECT count(*) FROM shop_items"), len(outbox.pending(db))) == before


def test_a_restored_item_never_ties_with_one_added_in_its_place(store: ShopStore) -> None:
    shop = store.create_shop("ties", "Ties", section_title="All")
    section = store.document(shop.id).sections[0].id  # type: ignore[union-attr]
    a, b = store.add_items(section, [acme(1), acme(2)])
    x = store.add_item(section, acme(3), index=1)
    store.remove_items([x.id])
    y = store.add_item(section, acme(4), index=1)  # the same neighbours as x had
    store.restore_items([x.id])
    doc = store.document(shop.id)
    assert doc is not None
    keys = [i.position for i in doc.items]
    assert len(set(keys)) == 4 and keys == sorted(keys)
    assert {doc.items[1].id, doc.items[2].id} == {x.id, y.id}
    z = store.add_item(section, acme(5), index=2)  # between the two: no tie to break
    assert [i.id for i in store.document(shop.id).items][2] == z.id  # type: ignore
    assert (a.id, b.id) == (doc.items[0].id, doc.items[3].id)


def test_restoring_past_the_limit_is_refused_and_changes_nothing(
    db: Database, store: ShopStore
) -> None:
    shop = store.create_shop("refill", "Refill", section_title="All")
    section = store.document(shop.id).sections[0].id  # type: ignore[union-attr]
    items = store.add_items(section, [acme(i) for i in range(30)])
    store.remove_items([items[0].id, items[1].id])
    store.add_items(section, [acme(30)])
    with pytest.raises(StoreError, match="room for 1 more, not 2"):
        store.restore_items([items[0].id, items[1].id])
    assert store.room_left(shop.id) == 1
    store.restore_items([items[0].id])
    assert store.room_left(shop.id) == 0
    store.remove_section(section)
    store.add_items(store.add_section(shop.id, "New").id, [acme(31)])
    with pytest.raises(StoreError, match="room for 29 more, not 30"):
        store.restore_section(section)
    assert count(db, "SELECT count(*) FROM shop_sections WHERE deleted_at IS NULL") == 1
