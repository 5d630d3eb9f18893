"""Cards and the detail pane read from a real store filled by the importer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from studio.core.catalog import SearchQuery
from studio.core.money import Money
from studio.core.product import Availability, Condition, ProductRecord
from studio.store.catalog import CatalogStore
from studio.store.db import open_database

NOW = datetime.now(UTC)
DAY = timedelta(days=1)


def rec(merchant: str, offer: str, title: str, **kw: object) -> ProductRecord:
    return ProductRecord(merchant=merchant, offer_id=offer, title=title, **kw)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[CatalogStore]:
    db = open_database(tmp_path / "store.sqlite3")
    yield CatalogStore(db)
    db.close()


def id_of(store: CatalogStore, offer: str) -> int:
    with store.db.connect() as conn:
        return int(
            conn.execute("SELECT id FROM products WHERE offer_id = ?", (offer,)).fetchone()[0]
        )


def test_cards_follow_the_given_order_and_skip_missing(store: CatalogStore) -> None:
    store.import_feed(
        "Shop",
        "test",
        [
            rec(
                "Shop",
                f"o{i}",
                f"Item {i}",
                brand="Acme" if i % 2 else None,
                price=Money(1000 + i, "EUR"),
                image_link=f"https://img/{i}.jpg",
            )
            for i in range(1200)  # more than one 500-id chunk
        ],
    )
    ids = [id_of(store, "o7"), 999_999, id_of(store, "o8"), *range(1200, 0, -1)]
    cards = store.cards(ids)
    assert [c.title for c in cards[:2]] == ["Item 7", "Item 8"]
    assert [c.id for c in cards] == [i for i in ids if i != 999_999]
    first = cards[0]
    assert (first.brand, first.merchant, first.price, first.image_link) == (
        "Acme",
        "Shop",
        Money(1007, "EUR"),
        "https://img/7.jpg",
    )
    assert cards[1].brand is None and first.availability is Availability.IN_STOCK
    assert store.cards([]) == []


def test_sale_price_only_while_in_effect(store: CatalogStore) -> None:
    price, sale = Money(5000, "USD"), Money(3500, "USD")
    windows = {
        "open": (None, None),
        "now": (NOW - DAY, NOW + DAY),
        "past": (NOW - 9 * DAY, NOW - DAY),
        "future": (NOW + DAY, NOW + 9 * DAY),
        "started": (NOW - DAY, None),
    }
    store.import_feed(
        "Shop",
        "test",
        [
            rec("Shop", name, name, price=price, sale_price=sale, sale_start=a, sale_end=b)
            for name, (a, b) in windows.items()
        ]
        + [rec("Shop", "none", "none", price=price)],
    )
    cards = {c.title: c for c in store.cards(range(1, 7))}
    assert {t for t, c in cards.items() if c.sale_price == sale} == {"open", "now", "started"}
    assert all(c.price == price for c in cards.values())
    assert store.search(SearchQuery(on_sale=True)).total == 3


def test_detail_has_images_variants_history_and_attributes(store: CatalogStore) -> None:
    base = {"item_group_id": "g1", "brand": "Nordlys", "product_type": "Apparel > Shirts"}
    store.import_feed(
        "Shop",
        "test",
        [
            rec(
                "Shop",
                "s",
                "Linen shirt S",
                description="Light <b>linen</b>.",
                size="S",
                link="https://shop/s",
                image_link="https://img/s.jpg",
                additional_images=("https://img/s2.jpg", "https://img/s3.jpg"),
                price=Money(4900, "EUR"),
                color="Blue",
                material="Linen",
                gender="unisex",
                age_group="adult",
                condition=Condition.NEW,
                gtin="4006381333931",
                mpn="LS-1",
                extra=(("shipping", "FR:::4.95 EUR"), ("shipping", "DE:::5.95 EUR")),
                **base,
            ),
            rec("Shop", "m", "Linen shirt M", size="M", price=Money(4900, "EUR"), **base),
            rec("Shop", "x", "Other", item_group_id=None),
        ],
    )
    # Another merchant using the same group id is not a variant.
    store.import_feed("Elsewhere", "test", [rec("Elsewhere", "s", "Foreign", item_group_id="g1")])
    # A price change is recorded in the history.
    store.import_feed(
        "Shop",
        "test",
        [
            rec(
                "Shop",
                "s",
                "Linen shirt S",
                description="Light <b>linen</b>.",
                size="S",
                link="https://shop/s",
                image_link="https://img/s.jpg",
                additional_images=("https://img/s2.jpg", "https://img/s3.jpg"),
                price=Money(5900, "EUR"),
                sale_price=Money(3900, "EUR"),
                color="Blue",
                material="Linen",
                gender="unisex",
                age_group="adult",
                condition=Condition.NEW,
                gtin="4006381333931",
                mpn="LS-1",
                **base,
            ),
            rec("Shop", "m", "Linen shirt M", size="M", price=Money(4900, "EUR"), **base),
        ],
        full=False,
    )
    d = store.detail(id_of(store, "s"))
    assert d is not None
    assert d.card.title == "Linen shirt S" and d.card.sale_price == Money(3900, "EUR")
    assert d.offer_id == "s" and d.link == "https://shop/s" and d.category == "Apparel > Shirts"
    assert d.description == "Light <b>linen</b>."
    assert d.images == ("https://img/s.jpg", "https://img/s2.jpg", "https://img/s3.jpg")
    assert [v.title for v in d.variants] == ["Linen shirt M"]
    assert (d.gtin, d.mpn, d.condition) == ("4006381333931", "LS-1", "new")
    attrs = dict(d.attributes)
    assert attrs["Colour"] == "Blue" and attrs["Size"] == "S" and attrs["Material"] == "Linen"
    assert attrs["Gender"] == "unisex" and attrs["Age group"] == "adult"
    assert attrs["GTIN"] == "4006381333931" and attrs["MPN"] == "LS-1"
    prices = [(p.price, p.sale_price) for p in d.price_history]
    assert prices[0] == (Money(4900, "EUR"), None)
    assert prices[-1] == (Money(5900, "EUR"), Money(3900, "EUR"))
    other = store.detail(id_of(store, "x"))
    assert other is not None and other.variants == () and other.images == ()
    assert store.detail(123_456) is None
