"""studio.store.platform_apply: a page of the platform's catalog changes applied with its cursor.

Pages are built with the protocol's own types (the codec both sides use); the end-to-end path
through a real server is in tests/sync/test_catalog_update.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from studio.core.catalog import SearchQuery, SortKey
from studio.core.errors import FeedError
from studio.core.money import Money
from studio.core.product import Availability, ProductRecord
from studio.protocol.catalog_wire import Change, ChangesPage
from studio.store import platform_apply
from studio.store.catalog import CatalogStore
from studio.store.codes import from_ppm, to_ppm
from studio.store.db import catalog_path, open_database
from studio.store.platform_apply import StaleCursor

SERVER = "http://127.0.0.1:8750"


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[CatalogStore]:
    db = open_database(tmp_path / "s.sqlite3")
    try:
        yield CatalogStore(db)
    finally:
        db.close()


def product(
    merchant: str, offer: str, title: str, price: int = 1000, **kw: object
) -> ProductRecord:
    return ProductRecord(
        merchant=merchant,
        offer_id=offer,
        title=title,
        price=Money(price, "EUR"),
        brand="Nordlys",
        **kw,  # type: ignore[arg-type]
    )


def up(seq: int, record: ProductRecord, rate: str = "0.08") -> Change:
    return Change(seq, record.merchant, record.offer_id, True, Decimal(rate), record)


def gone(seq: int, merchant: str, offer: str) -> Change:
    return Change(seq, merchant, offer, False, Decimal("0.08"), None)


def page(*changes: Change, more: bool = False) -> ChangesPage:
    return ChangesPage(tuple(changes), max(c.seq for c in changes), more)


def rows(store: CatalogStore, sql: str, *args: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(catalog_path(store.db.path)) as conn:
        return conn.execute(sql, args).fetchall()


def titles(store: CatalogStore, text: str) -> list[str]:
    ids = [int(i) for i in store.search(SearchQuery(text)).ids]  # type: ignore[union-attr]
    return sorted(c.title for c in store.cards(ids))


def test_a_first_page_adds_merchants_products_rates_and_the_cursor(store: CatalogStore) -> None:
    report = store.apply_platform_page(
        SERVER,
        0,
        page(
            up(3, product("Lumen", "a", "Brass desk lamp"), "0.08"),
            up(5, product("Lumen", "b", "Linen lamp shade"), "0.125"),
            up(9, product("Kettle Co", "k", "Copper kettle"), "0.0333"),
        ),
    )
    assert (report.upserts, report.unchanged, report.unavailable, report.cursor) == (3, 0, 0, 9)
    assert store.platform_cursor(SERVER) == 9
    assert store.platform_cursor("https://other.example") == 0
    assert rows(store, "SELECT name, source FROM merchants ORDER BY name") == [
        ("Kettle Co", "platform"),
        ("Lumen", "platform"),
    ]
    assert titles(store, "lamp") == ["Brass desk lamp", "Linen lamp shade"]
    assert rows(store, "SELECT offer_id, commission_ppm FROM products ORDER BY offer_id") == [
        ("a", 80000),
        ("b", 125000),
        ("k", 33300),
    ]
    cards = store.cards([int(i) for i in store.search(SearchQuery("kettle")).ids])  # type: ignore[union-attr]
    assert cards[0].commission_rate == Decimal("0.0333")
    detail = store.detail(cards[0].id)
    assert detail is not None and detail.card.commission_rate == Decimal("0.0333")


def test_later_pages_update_reindex_mark_unavailable_and_keep_unchanged_rows(
    store: CatalogStore,
) -> None:
    lamp, shade = product("Lumen", "a", "Brass desk lamp"), product("Lumen", "b", "Shade")
    mug = product("Lumen", "m", "Stoneware mug")
    store.apply_platform_page(SERVER, 0, page(up(1, lamp), up(2, shade), up(3, mug)))
    before = rows(store, "SELECT id, updated_at FROM products WHERE offer_id = 'm'")

    renamed = product("Lumen", "a", "Walnut floor lamp", price=1500)
    report = store.apply_platform_page(
        SERVER,
        3,
        page(up(4, renamed), up(5, shade, "0.1"), up(6, mug), gone(7, "Lumen", "zz")),
    )
    # The title and price changed, the shade's rate alone, the mug not at all; an offer the
    # studio never had is not counted as made unavailable.
    assert (report.upserts, report.unchanged, report.unavailable) == (2, 1, 0)
    assert titles(store, "walnut") == ["Walnut floor lamp"]
    assert titles(store, "brass") == []  # the old text left the index
    assert rows(store, "SELECT id, updated_at FROM products WHERE offer_id = 'm'") == before
    assert rows(store, "SELECT commission_ppm FROM products WHERE offer_id = 'b'") == [(100000,)]
    history = rows(
        store,
        "SELECT h.price_minor FROM price_history AS h JOIN products AS p ON p.id = h.product_id "
        "WHERE p.offer_id = 'a' ORDER BY h.id",
    )
    assert history == [(1000,), (1500,)]

    report = store.apply_platform_page(SERVER, 7, page(gone(8, "Lumen", "m")))
    assert report.unavailable == 1
    [card] = store.cards([int(i) for i in store.search(SearchQuery("stoneware")).ids])  # type: ignore[union-attr]
    assert card.availability is Availability.UNAVAILABLE
    # Listed again: available, as sent.
    store.apply_platform_page(SERVER, 8, page(up(9, mug)))
    [card] = store.cards([card.id])
    assert card.availability is Availability.IN_STOCK
    assert store.platform_cursor(SERVER) == 9


def test_a_hand_imported_merchant_of_the_same_name_is_never_touched(store: CatalogStore) -> None:
    store.import_feed("Lumen", "google-xml", [product("Lumen", "a", "Hand imported lamp")])
    own = rows(store, "SELECT * FROM products ORDER BY id")
    report = store.apply_platform_page(
        SERVER,
        0,
        page(
            up(1, product("Lumen", "a", "Platform lamp", price=99)),
            up(2, product("Lumen", "b", "Platform shade")),
            gone(3, "Lumen", "a"),
            up(4, product("Kettle Co", "k", "Copper kettle")),
        ),
    )
    assert report.held == {"Lumen": 2}  # offers a (last state: gone) and b
    assert report.upserts == 1 and report.unavailable == 0
    assert rows(store, "SELECT * FROM products WHERE merchant_id = 1 ORDER BY id") == own
    assert rows(store, "SELECT name, source FROM merchants ORDER BY id") == [
        ("Lumen", "feed"),
        ("Kettle Co", "platform"),
    ]
    assert store.platform_cursor(SERVER) == 4  # the cursor moves on all the same
    # The other way round: a feed is never imported into a platform merchant.
    with pytest.raises(FeedError, match="comes from the platform"):
        store.import_feed("Kettle Co", "google-xml", [product("Kettle Co", "k", "Hand kettle")])
    assert titles(store, "kettle") == ["Copper kettle"]


def test_a_page_that_fails_half_way_writes_nothing_and_keeps_the_cursor(
    store: CatalogStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.apply_platform_page(SERVER, 0, page(up(1, product("Lumen", "a", "Brass lamp"))))
    real = platform_apply._write_indexed

    def failing(conn: sqlite3.Connection, updated: list[int], added: list[int], write) -> None:  # type: ignore[no-untyped-def]
        real(conn, updated, added, write)
        raise OSError("the disk went away")

    monkeypatch.setattr(platform_apply, "_write_indexed", failing)
    second = page(up(2, product("Lumen", "a", "Walnut lamp")), up(3, product("New", "n", "Mug")))
    with pytest.raises(OSError):
        store.apply_platform_page(SERVER, 1, second)
    assert store.platform_cursor(SERVER) == 1
    assert rows(store, "SELECT name FROM merchants") == [("Lumen",)]
    assert titles(store, "lamp") == ["Brass lamp"]
    # Resumed after the failure: the same page applies from the kept cursor.
    monkeypatch.setattr(platform_apply, "_write_indexed", real)
    store.apply_platform_page(SERVER, 1, second)
    assert titles(store, "lamp") == ["Walnut lamp"] and store.platform_cursor(SERVER) == 3


def test_a_page_not_starting_at_the_stored_cursor_is_refused(store: CatalogStore) -> None:
    store.apply_platform_page(SERVER, 0, page(up(5, product("Lumen", "a", "Brass lamp"))))
    with pytest.raises(StaleCursor) as caught:
        store.apply_platform_page(SERVER, 0, page(up(6, product("Lumen", "b", "Other lamp"))))
    assert caught.value.stored == 5
    assert titles(store, "lamp") == ["Brass lamp"]
    store.reset_platform_cursor(SERVER)
    assert store.platform_cursor(SERVER) == 0


def test_sort_by_commission_highest_first_then_products_without_a_rate(
    store: CatalogStore,
) -> None:
    store.import_feed("Hand", "google-xml", [product("Hand", "h", "Hand lamp")])
    store.apply_platform_page(
        SERVER,
        0,
        page(
            up(1, product("Lumen", "low", "Low lamp"), "0.02"),
            up(2, product("Lumen", "high", "High lamp"), "0.2"),
            up(3, product("Lumen", "mid", "Mid lamp"), "0.08"),
            up(4, product("Lumen", "mid2", "Mid lamp too"), "0.08"),
            up(5, product("Lumen", "mug", "Mug"), "0.5"),
        ),
    )

    def order(q: SearchQuery) -> list[str]:
        ids = [int(i) for i in store.search(q).ids]  # type: ignore[union-attr]
        return [c.title for c in store.cards(ids)]

    # Ties: the newer product first; the hand-imported product (no rate) last.
    lamps = ["High lamp", "Mid lamp too", "Mid lamp", "Low lamp", "Hand lamp"]
    assert order(SearchQuery("lamp", sort=SortKey.COMMISSION)) == lamps
    assert order(SearchQuery("lamp", sort=SortKey.COMMISSION, limit=2)) == lamps[:2]
    assert order(SearchQuery(sort=SortKey.COMMISSION))[:2] == ["Mug", "High lamp"]
    filtered = SearchQuery("lamp", merchants=frozenset({"Hand"}), sort=SortKey.COMMISSION)
    assert order(filtered) == ["Hand lamp"]
    # A rate change re-orders at once (the search columns are invalidated with the page).
    store.apply_platform_page(SERVER, 5, page(up(6, product("Lumen", "low", "Low lamp"), "0.9")))
    assert order(SearchQuery("lamp", sort=SortKey.COMMISSION))[0] == "Low lamp"


@pytest.mark.parametrize(
    ("rate", "ppm"),
    [("0", 0), ("0.08", 80000), ("0.125", 125000), ("1", 1000000), ("0.000001", 1)],
)
def test_rates_are_kept_exactly_as_parts_per_million(rate: str, ppm: int) -> None:
    assert to_ppm(Decimal(rate)) == ppm
    assert from_ppm(ppm) == Decimal(rate)
    assert isinstance(from_ppm(ppm), Decimal)


def test_filter_and_count_by_commission_band(store: CatalogStore) -> None:
    """The catalog filters by bands of the platform's rate (under 5 %, 5-10 %, 10-15 %, 15 %
    and more, no rate), each band counted as a facet; a catalog with no rate has none."""
    store.import_feed("Hand", "google-xml", [product("Hand", "h", "Hand lamp")])
    assert store.facets(SearchQuery("lamp")).commission == ()
    store.apply_platform_page(
        SERVER,
        0,
        page(
            up(1, product("Lumen", "low", "Low lamp"), "0.02"),
            up(2, product("Lumen", "five", "Five lamp"), "0.05"),
            up(3, product("Lumen", "mid", "Mid lamp"), "0.08"),
            up(4, product("Lumen", "high", "High lamp"), "0.2"),
            up(5, product("Lumen", "mug", "Mug"), "0.12"),
        ),
    )

    def found(*bands: int, text: str = "lamp") -> list[str]:
        q = SearchQuery(text, commission_bands=frozenset(bands))
        ids = [int(i) for i in store.search(q).ids]  # type: ignore[union-attr]
        return sorted(c.title for c in store.cards(ids))

    assert found(1) == ["Five lamp", "Mid lamp"]  # 5 % belongs to 5-10 %
    assert found(3) == ["High lamp"]
    assert found(0, 3) == ["High lamp", "Low lamp"]
    assert found(-1) == ["Hand lamp"]
    assert found(2, text="") == ["Mug"]
    counts = {v.value: v.count for v in store.facets(SearchQuery("lamp")).commission}
    assert counts == {"-1": 1, "0": 1, "1": 2, "3": 1}
    # Each facet ignores its own filter; the others narrow it.
    narrowed = SearchQuery("lamp", merchants=frozenset({"Lumen"}), commission_bands=frozenset({3}))
    assert {v.value: v.count for v in store.facets(narrowed).commission} == {
        "0": 1,
        "1": 2,
        "3": 1,
    }
    # A rate changed by the next page moves the product to its band at once.
    store.apply_platform_page(SERVER, 5, page(up(6, product("Lumen", "low", "Low lamp"), "0.3")))
    assert found(3) == ["High lamp", "Low lamp"]


def test_a_page_written_chunk_by_chunk_is_indexed_exactly(
    store: CatalogStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages are written a chunk at a time, each chunk's index statements on the writer
    thread: with chunks of two rows, every added and updated row is searchable by its new
    text only, and the index agrees with the rows (FTS5's own integrity check)."""
    monkeypatch.setattr(platform_apply, "CHUNK", 2)
    first = [product("Lumen", f"o{i}", f"Brass lamp {i}") for i in range(7)]
    store.apply_platform_page(SERVER, 0, page(*(up(i + 1, r) for i, r in enumerate(first))))
    assert len(titles(store, "brass")) == 7
    second = page(
        up(8, product("Lumen", "o1", "Walnut lamp 1")),
        up(9, product("Lumen", "o2", "Brass lamp 2"), "0.2"),  # the rate alone
        up(10, product("Lumen", "n1", "Walnut stool")),
        up(11, product("Lumen", "o5", "Walnut lamp 5", price=2000)),
        gone(12, "Lumen", "o6"),
        up(13, product("Kettle Co", "k", "Walnut kettle")),
    )
    report = store.apply_platform_page(SERVER, 7, second)
    assert (report.upserts, report.unavailable, report.unchanged) == (5, 1, 0)
    assert titles(store, "walnut") == [
        "Walnut kettle",
        "Walnut lamp 1",
        "Walnut lamp 5",
        "Walnut stool",
    ]
    assert titles(store, "brass") == [f"Brass lamp {i}" for i in (0, 2, 3, 4, 6)]
    with sqlite3.connect(catalog_path(store.db.path)) as conn:
        conn.execute("INSERT INTO product_fts (product_fts) VALUES ('integrity-check')")
