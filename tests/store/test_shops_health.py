"""Shop health fixes: suggested replacements, one by one and all at once, and their undo."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from studio.core.errors import StoreError
from studio.core.looks import ProductRef
from studio.core.money import Money
from studio.core.product import Availability, ProductRecord
from studio.core.profile import Relationship
from studio.core.shops import IssueKind
from studio.store import outbox
from studio.store.catalog import CatalogStore
from studio.store.db import Database, open_database
from studio.store.profile import ProfileStore
from studio.store.shops import ShopStore

SNEAKERS = "Footwear > Sneakers"


def rec(
    offer: str,
    title: str,
    price: int,
    brand: str,
    category: str = SNEAKERS,
    availability: Availability = Availability.IN_STOCK,
) -> ProductRecord:
    return ProductRecord(
        "Kicks",
        offer,
        title,
        price=Money(price, "EUR"),
        brand=brand,
        product_type=category,
        availability=availability,
    )


FEED = [
    rec("red", "Red canvas sneaker", 5000, "Acme"),
    rec("red2", "Red canvas sneaker low", 5200, "Acme"),
    rec("blue", "Blue leather sneaker", 9000, "Bolt"),
    rec("green", "Green canvas sneaker", 5100, "Cozy"),
    rec("boot", "Red canvas boot", 5000, "Acme", "Footwear > Boots"),
    rec("sold", "Red canvas sneaker high", 5000, "Acme", availability=Availability.OUT_OF_STOCK),
]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "studio.sqlite3")
    CatalogStore(database).import_feed("Kicks", "google-xml", FEED)
    yield database
    database.close()


def ref(offer: str) -> ProductRef:
    return ProductRef(None, "Kicks", offer)


def shelf(store: ShopStore) -> tuple[str, str]:
    shop = store.create_shop("kicks", "Kicks", section_title="All")
    return shop.id, store.document(shop.id).sections[0].id  # type: ignore[union-attr]


def test_suggestions_are_same_category_in_stock_allowed_and_not_shelved(db: Database) -> None:
    store = ShopStore(db)
    _, section = shelf(store)
    item, _green = store.add_items(section, [ref("red"), ref("green")])
    offers = [s.product.offer_id for s in store.suggest_replacements(item.id)]
    # Same category only (no boot), in stock only (not "sold"), not already shelved (green).
    assert offers == ["red2", "blue"]
    best = store.suggest_replacements(item.id)[0]
    assert best.score > 0.5 and best.product.product_id is not None
    ProfileStore(db).add_affiliation("Acme", "Footwear", Relationship.MAKES)
    assert [s.product.offer_id for s in store.suggest_replacements(item.id)] == ["red2"]


def test_fix_all_at_once_and_undo(db: Database) -> None:
    store = ShopStore(db)
    shop_id, section = shelf(store)
    red, blue, green = store.add_items(section, [ref("red"), ref("blue"), ref("green")])
    feed = [r for r in FEED if r.offer_id not in ("red", "green")]
    feed = [
        rec("blue", "Blue leather sneaker", 9900, "Bolt") if r.offer_id == "blue" else r
        for r in feed
    ]
    CatalogStore(db).import_feed("Kicks", "google-xml", feed)
    kinds = {i.item_id: i.kind for i in store.health(shop_id)}
    assert kinds == {
        red.id: IssueKind.UNAVAILABLE,
        blue.id: IssueKind.PRICE_CHANGED,
        green.id: IssueKind.UNAVAILABLE,
    }
    seen = len(outbox.pending(db))
    before, unfixed = store.fix_health(shop_id)
    # red takes the one free sneaker in stock (red2); nothing is left to suggest for green.
    assert unfixed == [green.id]
    assert [(i.item_id, i.kind) for i in store.health(shop_id)] == [
        (green.id, IssueKind.UNAVAILABLE)
    ]
    assert len(outbox.pending(db)) == seen + 2  # one entry per fixed item
    doc = store.document(shop_id)
    assert doc is not None
    assert [i.product.offer_id for i in doc.items] == ["red2", "blue", "green"]
    assert doc.items[1].shelved_price_minor == 9900 and doc.items[0].shelved_price_minor == 5200
    assert [i.position for i in doc.items] == [red.position, blue.position, green.position]
    store.revert_items(before)
    assert {i.item_id for i in store.health(shop_id)} == {red.id, blue.id, green.id}


def test_apply_replacements_is_all_or_none(db: Database) -> None:
    store = ShopStore(db)
    _, section = shelf(store)
    red, green = store.add_items(section, [ref("red"), ref("green")])
    with pytest.raises(StoreError, match="not in the catalog"):
        store.apply_replacements([(red.id, ref("red2")), (green.id, ref("nope"))])
    doc = store.document(store.summaries()[0].id)
    assert doc is not None and [i.product.offer_id for i in doc.items] == ["red", "green"]
    store.apply_replacements([(red.id, ref("red2"))])
    assert store.document(doc.shop.id).items[0].product.offer_id == "red2"  # type: ignore


def test_moving_a_removed_item_keeps_it_removed(db: Database) -> None:
    store = ShopStore(db)
    shop_id, section = shelf(store)
    a, b = store.add_items(section, [ref("red"), ref("green")])
    store.remove_items([a.id])
    store.move_items([a.id], section, 0)
    assert [i.id for i in store.document(shop_id).items] == [b.id]  # type: ignore
    store.restore_items([a.id])
    assert [i.id for i in store.document(shop_id).items] == [a.id, b.id]  # type: ignore
