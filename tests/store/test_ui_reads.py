"""The small reads the desktop asks of the stores instead of opening connections itself."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from studio.core.errors import StoreError
from studio.core.looks import ProductRef
from studio.core.money import Money
from studio.core.product import ProductRecord
from studio.store.catalog import CatalogStore
from studio.store.db import Database, open_database
from studio.store.reviews import ReviewStore
from studio.store.shops import ShopStore


def _record(offer: str, title: str, price: int) -> ProductRecord:
    return ProductRecord(
        "Acme", offer, title, price=Money(price, "EUR"), brand="Acme", product_type="Shoes"
    )


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "studio.sqlite3")
    records = [_record(f"a{i}", f"Acme shoe {i}", 1000 + i) for i in range(6)]
    CatalogStore(database).import_feed("Acme", "google-xml", records)
    yield database
    database.close()


def _ref(i: int) -> ProductRef:
    return ProductRef(None, "Acme", f"a{i}")


def test_shop_items_shelf_and_shelves_read_what_is_stored(db: Database) -> None:
    shops = ShopStore(db)
    shop = shops.create_shop("summer", "Summer")
    first = shops.add_section(shop.id, "Favourites")
    second = shops.add_section(shop.id, "Shoes")
    placed = shops.add_items(first.id, [_ref(0), _ref(1), _ref(2)])
    other = shops.add_items(second.id, [_ref(3)])
    shops.remove_items([placed[1].id])

    assert [i.id for i in shops.shelf(first.id)] == [placed[0].id, placed[2].id]
    rows = shops.items([placed[1].id, placed[0].id])
    assert [(item.id, deleted is not None) for item, deleted in rows] == [
        (placed[1].id, True),  # removed, still readable (undo brings it back)
        (placed[0].id, False),
    ]
    with pytest.raises(StoreError):
        shops.items(["no-such-item"])

    sections, shelves = shops.shelves(shop.id)
    assert [s.id for s in sections] == [first.id, second.id]
    assert [i.id for i in shelves[second.id]] == [other[0].id]
    # Shelves the caller already holds are not read again.
    sections, fresh = shops.shelves(shop.id, known={first.id})
    assert len(sections) == 2 and set(fresh) == {second.id}


def test_a_reviewed_products_catalog_facts_until_it_leaves_the_catalog(db: Database) -> None:
    reviews = ReviewStore(db)
    info = reviews.product_info(_ref(4))
    assert info is not None and info.title == "Acme shoe 4" and info.brand == "Acme"
    assert info.price_minor == 1004 and info.currency == "EUR"
    assert reviews.product_info(ProductRef(None, "Acme", "gone")) is None
