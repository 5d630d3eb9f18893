"""ShopStore: a shop shows each product once (same merchant + offer id), whatever the shelf.

Shelving a product the shop holds already, or twice in one batch, and replacing an item's
product by one the shop holds, are refused with the reason naming the product and its shelf;
nothing is written (all or none). Moving items, and the same product in two shops, are fine.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from studio.core.errors import StoreError
from studio.core.looks import ProductRef
from studio.store.catalog import CatalogStore
from studio.store.db import Database, open_database
from studio.store.profile import ProfileStore
from studio.store.shops import ShopStore
from tests.store.test_shops_store import acme, acme_feed, count


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "studio.sqlite3")
    CatalogStore(database).import_feed("Acme", "google-xml", acme_feed(10))
    yield database
    database.close()


@pytest.fixture
def store(db: Database) -> ShopStore:
    return ShopStore(db)


def shelves(store: ShopStore, handle: str) -> tuple[str, str, str]:
    shop = store.create_shop(handle, handle.title(), section_title="New in")
    other = store.add_section(shop.id, "Sale")
    return shop.id, store.document(shop.id).sections[0].id, other.id  # type: ignore[union-attr]


def items(store: ShopStore, shop_id: str) -> list[tuple[str, str]]:
    doc = store.document(shop_id)
    assert doc is not None
    return [(i.section_id, i.product.offer_id) for i in doc.items]


def test_shelving_a_product_the_shop_holds_is_refused_naming_its_shelf(
    db: Database, store: ShopStore
) -> None:
    shop, new_in, sale = shelves(store, "twice")
    store.add_items(new_in, [acme(1), acme(2)])
    before, entries = items(store, shop), count(db, "SELECT count(*) FROM outbox")
    for section in (new_in, sale):  # the same shelf or another one
        with pytest.raises(
            StoreError,
            match=r"Acme thing 01 is already in this shop, on the "
            r"shelf 'New in'",
        ):
            store.add_item(section, acme(1))
    # The product is known by merchant + offer id, whatever product id the ref carries.
    with pytest.raises(StoreError, match="already in this shop"):
        store.add_item(sale, ProductRef(999_999, "Acme", "a2"))
    # A batch with one product held: all or none.
    with pytest.raises(StoreError, match="Acme thing 02 is already in this shop"):
        store.add_items(sale, [acme(3), acme(2), acme(4)])
    assert items(store, shop) == before
    assert count(db, "SELECT count(*) FROM outbox") == entries


def test_the_same_product_twice_in_one_batch_is_refused(db: Database, store: ShopStore) -> None:
    shop, new_in, _ = shelves(store, "batch")
    with pytest.raises(StoreError, match="Acme thing 05 is chosen twice"):
        store.add_items(new_in, [acme(5), acme(6), acme(5)])
    assert items(store, shop) == []


def test_a_removed_item_frees_its_product_and_other_shops_are_separate(
    db: Database, store: ShopStore
) -> None:
    ProfileStore(db).set_tier_from_platform("full")  # two live shops
    shop, new_in, sale = shelves(store, "first")
    item = store.add_item(new_in, acme(1))
    other, other_shelf, _ = shelves(store, "second")
    store.add_item(other_shelf, acme(1))  # another shop may hold it too
    store.remove_items([item.id])
    again = store.add_item(sale, acme(1))  # removed: the shop no longer holds it
    assert items(store, shop) == [(sale, "a1")]
    # Moving an item between shelves is no second shelving.
    store.move_items([again.id], new_in, 0)
    assert items(store, shop) == [(new_in, "a1")]
    assert items(store, other) == [(other_shelf, "a1")]


def test_replacing_into_a_product_the_shop_holds_is_refused(db: Database, store: ShopStore) -> None:
    shop, new_in, sale = shelves(store, "swap")
    one, two = store.add_items(new_in, [acme(1), acme(2)])
    three = store.add_item(sale, acme(3))
    entries = count(db, "SELECT count(*) FROM outbox")
    with pytest.raises(
        StoreError,
        match=r"Acme thing 02 is already in this shop, on the "
        r"shelf 'New in'",
    ):
        store.replace_product(three.id, acme(2))
    with pytest.raises(StoreError, match="Acme thing 01 is already in this shop"):
        store.apply_replacements([(three.id, acme(4)), (two.id, acme(1))])
    with pytest.raises(StoreError, match="Acme thing 07 is chosen twice"):
        store.apply_replacements([(one.id, acme(7)), (two.id, acme(7))])
    assert items(store, shop) == [(new_in, "a1"), (new_in, "a2"), (sale, "a3")]
    assert count(db, "SELECT count(*) FROM outbox") == entries
    # Replacing a product by itself, or swapping two items' products, leaves no repeat.
    store.replace_product(one.id, acme(1))
    store.apply_replacements([(one.id, acme(2)), (two.id, acme(1))])
    assert items(store, shop) == [(new_in, "a2"), (new_in, "a1"), (sale, "a3")]


def test_a_removed_item_whose_product_was_shelved_again_cannot_come_back(
    db: Database, store: ShopStore
) -> None:
    # Remove a product, shelve it again (a new item): bringing the old item back (an undo
    # after the redo history was cut, another window) would show it twice.
    shop, new_in, sale = shelves(store, "again")
    old, _ = store.add_items(new_in, [acme(1), acme(2)])
    store.remove_items([old.id])
    store.add_item(sale, acme(1))
    before, entries = items(store, shop), count(db, "SELECT count(*) FROM outbox")
    with pytest.raises(
        StoreError,
        match=r"Acme thing 01 is already in this shop, on the "
        r"shelf 'Sale'",
    ):
        store.restore_items([old.id])
    assert items(store, shop) == before  # all or none: nothing written
    assert count(db, "SELECT count(*) FROM outbox") == entries


def test_a_shelf_whose_product_was_shelved_again_cannot_come_back(
    db: Database, store: ShopStore
) -> None:
    shop, new_in, _sale = shelves(store, "shelf")
    third = store.add_section(shop, "Third").id
    store.add_items(third, [acme(3), acme(4)])
    store.remove_section(third)
    store.add_item(new_in, acme(4))
    before, entries = items(store, shop), count(db, "SELECT count(*) FROM outbox")
    with pytest.raises(
        StoreError,
        match=r"Acme thing 04 is already in this shop, on the "
        r"shelf 'New in'",
    ):
        store.restore_section(third)
    assert items(store, shop) == before
    assert count(db, "SELECT count(*) FROM outbox") == entries
    assert third not in {s.id for s in store.document(shop).sections}  # type: ignore[union-attr]
