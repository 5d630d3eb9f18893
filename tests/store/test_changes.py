"""Every committed write reports what it changed (``Changes``), roots included; a rolled
back one reports nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from studio.core.changes import Changes
from studio.core.errors import StoreError
from studio.core.looks import ProductRef
from studio.store import tx
from studio.store.db import Database, open_database
from studio.store.looks import LookStore
from studio.store.shops import ShopStore
from tests.store.test_search_engine import rec

HASH = "b" * 64


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "s.sqlite3")
    from studio.store.catalog import CatalogStore

    CatalogStore(database).import_feed(
        "M", "test", [rec("M", str(i), f"Shirt {i}") for i in range(3)]
    )
    yield database
    database.close()


def test_an_edit_reports_its_records_and_their_root(db: Database) -> None:
    looks = LookStore(db)
    look = looks.create_look("L")
    photo = looks.add_photo(look.id, HASH, 100, 100)
    with tx.collecting() as got:
        spot = looks.add_hotspot(photo.id, ProductRef(None, "M", "1"), 0.5, 0.5)
        looks.update_photo(photo.id, alt_text="A shirt")
    changes = got.build()
    assert changes.ids("hotspot") == {spot.id}
    assert changes.ids("look_photo") == {photo.id}
    assert changes.root_ids("look") == {look.id}
    assert changes.touches_root("look", look.id) and changes.touches("hotspot")
    assert not changes.touches("shop", "board") and not changes.catalog


def test_nested_collections_each_see_the_writes_inside_them(db: Database) -> None:
    looks, shops = LookStore(db), ShopStore(db)
    with tx.collecting() as outer:
        look = looks.create_look("L")
        with tx.collecting() as inner:
            shop = shops.create_shop("my-shop", "Shop", section_title="All")
    assert inner.build().root_ids("shop") == {shop.id}
    assert not inner.build().touches("look")
    assert outer.build().root_ids("look") == {look.id}
    assert outer.build().root_ids("shop") == {shop.id}
    section = shops.document(shop.id).sections[0]  # type: ignore[union-attr]
    with tx.collecting() as got:
        (item,) = shops.add_items(section.id, [ProductRef(None, "M", "2")])
    assert got.build().ids("shop_item") == {item.id}
    assert got.build().root_ids("shop") == {shop.id}  # two levels up: item -> shelf -> shop


def test_a_refused_edit_reports_nothing(db: Database) -> None:
    looks = LookStore(db)
    with tx.collecting() as got:
        with pytest.raises(StoreError):
            looks.update_look("no-such-look", title="x")
        with pytest.raises(ValueError):
            looks.add_photo(looks.create_look("L").id, HASH, 0, 0)
    changes = got.build()
    assert set(changes.records) == {"look"}  # only the look that was created


def test_changes_combine() -> None:
    a = Changes.of("hotspot", ["h1"], root="look", root_ids=["l1"])
    b = Changes.of("look", ["l2"]) | Changes(catalog=True)
    both = a | b
    assert both.ids("hotspot") == {"h1"} and both.root_ids("look") == {"l1", "l2"}
    assert both.catalog and bool(both) and not bool(Changes())
