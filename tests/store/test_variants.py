"""Variants as one card, and prices never compared across currencies: the store's side."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from studio.core.catalog import SearchQuery, SortKey, price_band, size_key
from studio.core.money import Money
from studio.core.product import Availability, ProductRecord
from studio.store.catalog import CatalogStore
from studio.store.db import open_database
from studio.store.search_ids import RankedIds
from studio.store.variants import GroupedIds, Groups


def rec(merchant: str, offer: str, title: str, **kw: object) -> ProductRecord:
    return ProductRecord(merchant=merchant, offer_id=offer, title=title, **kw)  # type: ignore[arg-type]


def shirts(merchant: str, group: str, currency: str, price: int) -> list[ProductRecord]:
    return [
        rec(
            merchant,
            f"{group}-{colour}-{size}",
            f"Linen shirt {colour} {size}",
            item_group_id=group,
            color=colour,
            size=size,
            price=Money(price, currency),
        )
        for colour in ("White", "Navy")
        for size in ("XL", "S", "M")
    ]


@pytest.fixture
def store(tmp_path: Path) -> CatalogStore:
    catalog = CatalogStore(open_database(tmp_path / "s.sqlite3"))
    catalog.import_feed(
        "North",
        "test",
        [
            *shirts("North", "g1", "EUR", 4900),
            rec("North", "mug", "Linen mug", price=Money(900, "EUR")),
        ],
    )
    # The same item group id at another merchant is another product.
    catalog.import_feed("South", "test", shirts("South", "g1", "USD", 3900))
    return catalog


def test_the_grid_shows_one_card_per_item_group(store: CatalogStore) -> None:
    plain = store.search(SearchQuery("linen"))
    grouped = store.search(SearchQuery("linen"), variants_as_one=True)
    assert plain.total == grouped.total == 13  # the count is of products
    ids = [int(i) for i in np.asarray(grouped.ids)]
    assert len(ids) == 3  # North's shirt, South's shirt, the mug
    # Each kept id is its group's first-ranked: the first of the plain order.
    order = [int(i) for i in np.asarray(plain.ids)]
    assert ids == [i for i in order if i in ids]
    for sort in (SortKey.NEWEST, SortKey.PRICE_ASC):
        assert len(store.search(SearchQuery(sort=sort), variants_as_one=True).ids) == 3  # type: ignore[arg-type]
    cards = {c.title.split()[-2] if c.variants > 1 else c.title: c for c in store.cards(ids)}
    assert {c.variants for c in cards.values()} == {6, 1}
    shirt = next(c for c in cards.values() if c.variants == 6)
    assert shirt.colours == ("White", "Navy") and shirt.sizes == ("S", "M", "XL")


def test_the_detail_lists_every_variant_to_choose_from(store: CatalogStore) -> None:
    first = int(np.asarray(store.search(SearchQuery("white")).ids)[0])
    detail = store.detail(first)
    assert detail is not None and len(detail.choices) == 6
    assert {(c.colour, c.size) for c in detail.choices} >= {("Navy", "S"), ("White", "XL")}
    assert all(c.availability is Availability.IN_STOCK for c in detail.choices)
    mug = store.detail(int(np.asarray(store.search(SearchQuery("mug")).ids)[0]))
    assert mug is not None and mug.choices == ()


def test_a_ranked_head_collapses_before_the_rest_is_made() -> None:
    leader = np.zeros(12, dtype=np.int32)
    leader[[3, 5, 7]] = 3  # one group: 3, 5, 7
    made = []

    def rest(head: np.ndarray) -> np.ndarray:
        made.append(True)
        return np.array([9, 5, 2, 1], dtype=np.int64)

    ids = GroupedIds(RankedIds(np.array([7, 3, 8], dtype=np.int64), rest), Groups(leader))
    assert ids.ready == 2 and list(ids[:2]) == [7, 8] and not made
    assert ids.tolist() == [7, 8, 9, 2, 1] and made and ids.products == 7


def test_price_bands_and_sorts_never_mix_currencies(store: CatalogStore) -> None:
    bands = {v.value: v.count for v in store.facets(SearchQuery()).price_band}
    assert bands == {
        str(price_band("EUR", 0)): 1,
        str(price_band("EUR", 1)): 6,
        str(price_band("USD", 1)): 6,
    }
    usd = store.search(SearchQuery(price_bands=frozenset({price_band("USD", 1)})))
    assert usd.total == 6
    cheap_first = store.cards(
        [int(i) for i in np.asarray(store.search(SearchQuery(sort=SortKey.PRICE_ASC)).ids)]
    )
    # EUR before USD (alphabetical), each by its own price: 9 EUR, 49 EUR, then 39 USD.
    assert [c.price.currency for c in cheap_first] == ["EUR"] * 7 + ["USD"] * 6  # type: ignore[union-attr]
    assert cheap_first[0].title == "Linen mug"


def test_sizes_order_as_a_shop_lists_them() -> None:
    assert sorted(["XL", "38", "S", "one size", "2XL", "M", "36"], key=size_key) == [
        "S", "M", "XL", "2XL", "36", "38", "one size"
    ]  # fmt: skip
