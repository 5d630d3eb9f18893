"""Search, filters, sorts and facets of the catalog store, checked against the records."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studio.core.catalog import PRICE_BANDS, SearchQuery, SortKey, price_band
from studio.core.money import Money
from studio.core.product import Availability, ProductRecord
from studio.store import search_rank, search_text
from studio.store.catalog import CatalogStore
from studio.store.db import open_database
from studio.store.search_ids import RankedIds
from studio.store.search_text import parse_text

NOW = datetime.now(UTC)
BRANDS = ("Acme", "Café Noir", "Zoë Atelier", "Nordlys")
CATEGORIES = ("Apparel > Shirts", "Apparel > Dresses", "Home > Lamps")
CURRENCIES = ("USD", "EUR", "JPY")
NOUNS = ("shirt", "dress", "lamp", "mug")


def rec(merchant: str, offer: str, title: str, **kw: object) -> ProductRecord:
    return ProductRecord(merchant=merchant, offer_id=offer, title=title, **kw)  # type: ignore[arg-type]


def random_records(merchant: str, n: int, seed: int) -> list[ProductRecord]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        currency = rng.choice(CURRENCIES)
        scale = 1 if currency == "JPY" else 100
        price = (
            Money(
                rng.choice([5, 30, 60, 120, 300, 700, 1500]) * scale + rng.randrange(scale),
                currency,
            )
            if rng.random() < 0.9
            else None
        )
        sale = sale_start = sale_end = None
        if price is not None and rng.random() < 0.4:
            sale = Money(price.minor // 3, currency)
            window = rng.choice(["open", "now", "past", "future"])
            if window == "now":
                sale_start, sale_end = NOW - timedelta(days=2), NOW + timedelta(days=2)
            elif window == "past":
                sale_start, sale_end = NOW - timedelta(days=9), NOW - timedelta(days=2)
            elif window == "future":
                sale_start, sale_end = NOW + timedelta(days=2), NOW + timedelta(days=9)
        out.append(
            rec(
                merchant,
                f"{merchant}-{i}",
                f"{rng.choice(BRANDS)} {rng.choice(NOUNS)} {i}",
                description=rng.choice(["soft cotton", "warm light", "everyday classic"]),
                brand=rng.choice((*BRANDS, None)),
                product_type=rng.choice((*CATEGORIES, None)),
                price=price,
                sale_price=sale,
                sale_start=sale_start,
                sale_end=sale_end,
                availability=rng.choice(list(Availability)[:5]),
            )
        )
    return out


def effective_major(r: ProductRecord) -> Decimal | None:
    money = r.sale_price if r.sale_in_effect(NOW) else r.price
    return None if money is None else money.decimal


def band_of(r: ProductRecord) -> int | None:
    """The facet value of ``r``'s band: a range of its own currency (never compared across)."""
    value = effective_major(r)
    if value is None or r.price is None:
        return None
    return price_band(
        r.price.currency,
        next(
            i
            for i, (low, high) in enumerate(PRICE_BANDS)
            if value >= low and (high is None or value < high)
        ),
    )


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[CatalogStore, dict[int, ProductRecord]]]:
    """Two merchants of random products, and the record behind each stored id."""
    db = open_database(tmp_path_factory.mktemp("search") / "store.sqlite3")
    store = CatalogStore(db)
    records = random_records("North", 160, 1) + random_records("South", 140, 2)
    store.import_feed("North", "test", records[:160])
    store.import_feed("South", "test", records[160:])
    with db.connect() as conn:
        by_id = {
            pid: records[[r.offer_id for r in records].index(offer)]
            for pid, offer in conn.execute("SELECT id, offer_id FROM products")
        }
    yield store, by_id
    db.close()


def ids_of(store: CatalogStore, q: SearchQuery) -> list[int]:
    result = store.search(q)
    ids = np.asarray(result.ids)  # an int32/int64 array, or RankedIds (complete on demand)
    assert np.issubdtype(ids.dtype, np.integer)
    assert result.total == len(ids) or q.limit is not None
    return [int(i) for i in ids]


# -- the query text ------------------------------------------------------------------------
def test_parse_text_quotes_tokens_and_drops_operators() -> None:
    text = parse_text('red "shirt" AND NOT (blue) OR NEAR* sh')
    assert text is not None
    assert text.tokens == ("red", "shirt", "blue", "sh")
    assert text.match() == '"red" AND "shirt" AND "blue" AND "sh"*'
    assert parse_text("shirt ").match() == '"shirt"'  # type: ignore[union-attr]
    assert parse_text("red s").match() == '"red" AND "s"'  # type: ignore[union-attr]
    assert parse_text('ab"cd').match(("title",)) == '{title} : ("ab" AND "cd"*)'  # type: ignore[union-attr]
    assert parse_text("   ") is None and parse_text('*:^()"') is None and parse_text("") is None
    assert parse_text("l'été") is not None


def test_accent_and_case_insensitive(
    world: tuple[CatalogStore, dict[int, ProductRecord]], tmp_path: Path
) -> None:
    store = CatalogStore(open_database(tmp_path / "a.sqlite3"))
    store.import_feed(
        "M",
        "test",
        [
            rec("M", "1", "Café crème"),
            rec("M", "2", "Cafe au lait"),
            rec("M", "3", "CAFÉ NOIR"),
            rec("M", "4", "Tea"),
        ],
    )
    for query in ("café", "cafe", "CAFÉ", "Cafe "):
        assert store.search(SearchQuery(query)).total == 3, query
    assert store.search(SearchQuery("creme")).total == 1
    store.db.close()


def test_prefix_type_ahead(tmp_path: Path) -> None:
    store = CatalogStore(open_database(tmp_path / "p.sqlite3"))
    store.import_feed(
        "M",
        "test",
        [
            rec("M", "1", "Linen shirt"),
            rec("M", "2", "Shirts pack"),
            rec("M", "3", "Shoe"),
            rec("M", "4", "Blue lamp"),
            rec("M", "5", "Crème brûlée"),
            rec("M", "6", "Straße 9"),
        ],
    )

    def titles(text: str) -> set[str]:
        return {c.title for c in store.cards(store.search(SearchQuery(text)).ids)}  # type: ignore[arg-type]

    assert titles("sh") == {"Linen shirt", "Shirts pack", "Shoe"}
    assert titles("shi") == {"Linen shirt", "Shirts pack"}
    assert titles("shirt") == {"Linen shirt", "Shirts pack"}
    assert titles("shirt ") == {"Linen shirt"}  # a finished word is matched whole
    assert titles("linen sh") == {"Linen shirt"}  # every token must match
    assert titles("CRÈM") == titles("crem") == titles("brule") == {"Crème brûlée"}
    assert titles("straß") == titles("Straße") == {"Straße 9"}  # not ASCII: FTS5's prefix
    assert titles("shirtz") == set() and titles("zz") == set()
    result = store.search(SearchQuery("sh", limit=2))
    assert result.total == 3 and len(result.ids) == 2 and result.exact  # type: ignore[arg-type]
    store.db.close()


def test_title_match_ranks_above_description_match(tmp_path: Path) -> None:
    store = CatalogStore(open_database(tmp_path / "r.sqlite3"))
    store.import_feed(
        "M",
        "test",
        [
            rec("M", "t", "Brass lamp", description="for the desk"),
            rec("M", "d", "Desk light", description="a lamp with a brass foot"),
            rec("M", "c", "Shade", product_type="Home > Lamp"),
        ],
    )
    ids = store.search(SearchQuery("lamp")).ids
    assert [c.title for c in store.cards(ids)] == ["Brass lamp", "Shade", "Desk light"]  # type: ignore[arg-type]
    store.db.close()


def test_bounded_ranking_puts_title_matches_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past RANK_ALL matches only a bounded candidate set is scored; title matches lead."""
    monkeypatch.setattr(search_text, "RANK_ALL", 5)
    monkeypatch.setattr(search_rank, "CANDIDATES", 4)
    store = CatalogStore(open_database(tmp_path / "b.sqlite3"))
    titled = [rec("M", f"t{i}", f"Lamp {i}") for i in range(6)]
    described = [rec("M", f"d{i}", f"Light {i}", description="lamp") for i in range(20)]
    store.import_feed("M", "test", titled + described)  # the description matches are newest
    for q in (
        SearchQuery("lamp", limit=4),
        SearchQuery("lamp"),
        SearchQuery("lamp "),
        SearchQuery("la", limit=4),
    ):
        result = store.search(q)
        assert result.total == 26
        top = [c.title for c in store.cards(result.ids[:4])]  # type: ignore[index]
        assert all(t.startswith("Lamp") for t in top), top
    full = store.search(SearchQuery("lamp")).ids
    assert sorted(full.tolist()) == list(range(1, 27))  # type: ignore[attr-defined]
    # A limit past the ranked head is filled from the rest, newest first (it used to stop
    # at the head: a CLI --limit past the candidates got fewer rows than there were).
    for text in ("la", "lamp", "lamp lig"):
        whole = np.asarray(store.search(SearchQuery(text)).ids).tolist()
        top = store.search(SearchQuery(text, limit=20)).ids
        assert np.asarray(top).tolist() == whole[:20] and len(whole) >= 20, text
    store.db.close()


def test_type_ahead_estimates_huge_counts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past EXACT_BELOW matches (COUNT_BELOW for one word) a ranked query estimates from
    rowid slices and says so; the
    grid's ids still hold every match once asked beyond the ranked head."""
    store = CatalogStore(open_database(tmp_path / "e.sqlite3"))
    store.import_feed(
        "M", "test", [rec("M", str(i), "Lamp" if i % 2 else "Mug") for i in range(4000)]
    )
    assert store.search(SearchQuery("lamp", limit=10)).exact  # small: counted exactly
    monkeypatch.setattr(search_text, "RANK_ALL", 50)
    monkeypatch.setattr(search_rank, "CANDIDATES", 20)
    monkeypatch.setattr(search_text, "EXACT_BELOW", 100)
    monkeypatch.setattr(search_text, "SAMPLE_FRACTION", 0.5)
    monkeypatch.setattr(search_text, "SAMPLE_SLICES", 4)
    # One word under COUNT_BELOW is counted: cheaper than the slices' seeks.
    assert store.search(SearchQuery("lamp", limit=10)).total == 2000
    assert store.search(SearchQuery("lamp", limit=10)).exact
    monkeypatch.setattr(search_text, "COUNT_BELOW", 100)
    result = store.search(SearchQuery("lamp", limit=10))
    assert not result.exact and abs(result.total - 2000) < 200
    assert len(result.ids) == 10  # type: ignore[arg-type]
    full = store.search(SearchQuery("lamp"))
    assert not full.exact and abs(full.total - 2000) < 200
    ids = full.ids
    assert isinstance(ids, RankedIds) and not ids.is_complete and ids.ready == 20
    assert [int(i) for i in ids[:20]] == ids[:20].tolist() and not ids.is_complete
    assert len(ids) == 2000 and ids.is_complete  # the rest: every other match, newest first
    assert sorted(ids.tolist()) == list(range(2, 4001, 2))
    assert ids[20:].tolist() == sorted(set(range(2, 4001, 2)) - set(ids[:20].tolist()))[::-1]
    store.db.close()


@settings(max_examples=150, deadline=None)
@given(
    st.text(max_size=40)
    | st.sampled_from(
        [
            '"',
            '""',
            "AND",
            "OR NOT",
            "NEAR(a b)",
            "*",
            "a*",
            "^a",
            "title:x",
            "{title}: x",
            "(",
            ")",
            "-",
            "a - b",
            "🙂",
            "  ",
            "\x00",
            "e\u0301",
            "_",
            "___a",
            "'",
            "\\",
            'a"b',
            "😀shirt😀",
            "shirt\u19b0linen",
            "sh\u19b0",
            "\u19b0",  # a letter to Python, a separator to unicode61
        ]
    )
)
def test_hostile_text_never_raises(
    world: tuple[CatalogStore, dict[int, ProductRecord]], text: str
) -> None:
    store, _ = world
    for sort in (SortKey.RELEVANCE, SortKey.PRICE_ASC):
        result = store.search(SearchQuery(text, sort=sort))
        assert result.total == len(result.ids)  # type: ignore[arg-type]
        assert store.search(SearchQuery(text, limit=10)).total >= 0
    assert store.facets(SearchQuery(text)) is not None


# -- filters and facets, against counts made from the records -----------------------------
def _selection(by_id: dict[int, ProductRecord], q: SearchQuery) -> dict[int, ProductRecord]:
    def ok(r: ProductRecord) -> bool:
        return (
            (not q.merchants or r.merchant in q.merchants)
            and (not q.brands or r.brand in q.brands)
            and (not q.categories or r.category in q.categories)
            and (not q.price_bands or band_of(r) in q.price_bands)
            and (not q.availability or r.availability in q.availability)
            and (q.on_sale is None or r.sale_in_effect(NOW) == q.on_sale)
        )

    return {i: r for i, r in by_id.items() if ok(r)}


FILTERS = [
    SearchQuery(merchants=frozenset({"South"})),
    SearchQuery(brands=frozenset({"Café Noir", "Acme"})),
    SearchQuery(categories=frozenset({"Home > Lamps"})),
    SearchQuery(price_bands=frozenset({0, 3})),
    SearchQuery(price_bands=frozenset({6})),
    SearchQuery(availability=frozenset({Availability.OUT_OF_STOCK, Availability.PREORDER})),
    SearchQuery(on_sale=True),
    SearchQuery(on_sale=False),
    SearchQuery(merchants=frozenset({"North"}), on_sale=True, price_bands=frozenset({0})),
    SearchQuery(brands=frozenset({"Nobody"})),
]


@pytest.mark.parametrize("q", FILTERS)
def test_each_filter_matches_an_independent_count(
    world: tuple[CatalogStore, dict[int, ProductRecord]], q: SearchQuery
) -> None:
    store, by_id = world
    expected = set(_selection(by_id, q))
    assert set(ids_of(store, q)) == expected
    texted = SearchQuery(
        "shirt ",
        merchants=q.merchants,
        brands=q.brands,
        categories=q.categories,
        price_bands=q.price_bands,
        availability=q.availability,
        on_sale=q.on_sale,
    )
    shirts = {i for i in expected if "shirt" in by_id[i].title.split()}
    assert set(ids_of(store, texted)) == shirts


@pytest.mark.parametrize("q", [SearchQuery(), SearchQuery("shirt"), *FILTERS[:4], FILTERS[8]])
def test_facet_counts_are_disjunctive_and_exact(
    world: tuple[CatalogStore, dict[int, ProductRecord]], q: SearchQuery
) -> None:
    store, by_id = world
    if q.text:
        # "shirt" is a prefix: it also matches the category "Apparel > Shirts".
        by_id = {
            i: r
            for i, r in by_id.items()
            if any(
                w.lower().startswith("shirt")
                for field in (r.title, r.brand or "", r.category or "", r.description)
                for w in field.split()
            )
        }
    facets = store.facets(q)

    def expect(facet: str, key: object) -> Counter[object]:
        # A facet's own filter is ignored, the others apply.
        cleared = {facet: frozenset() if facet != "on_sale" else None}
        sub = _selection(by_id, SearchQuery(**{**_fields(q), **cleared}))
        return Counter(key(r) for r in sub.values())  # type: ignore[operator]

    def got(values: tuple) -> dict[str, int]:  # type: ignore[type-arg]
        return {v.value: v.count for v in values if v.count}

    assert got(facets.merchant) == dict(expect("merchants", lambda r: r.merchant))
    brands = expect("brands", lambda r: r.brand)
    brands.pop(None, None)
    assert got(facets.brand) == dict(brands)
    categories = expect("categories", lambda r: r.category)
    categories.pop(None, None)
    assert got(facets.category) == dict(categories)
    bands = expect("price_bands", band_of)
    bands.pop(None, None)
    assert got(facets.price_band) == {str(k): v for k, v in bands.items()}
    avail = expect("availability", lambda r: r.availability.value)
    assert got(facets.availability) == dict(avail)
    sale = expect("on_sale", lambda r: "true" if r.sale_in_effect(NOW) else "false")
    assert got(facets.on_sale) == dict(sale)


def _fields(q: SearchQuery) -> dict[str, object]:
    return {
        "merchants": q.merchants,
        "brands": q.brands,
        "categories": q.categories,
        "price_bands": q.price_bands,
        "availability": q.availability,
        "on_sale": q.on_sale,
    }


def test_selected_values_stay_listed(world: tuple[CatalogStore, dict[int, ProductRecord]]) -> None:
    store, _ = world
    facets = store.facets(SearchQuery("zzzunknown", brands=frozenset({"Acme"})))
    assert [(v.value, v.count) for v in facets.brand] == [("Acme", 0)]


# -- sorts ---------------------------------------------------------------------------------
def test_price_sorts_use_the_effective_price(
    world: tuple[CatalogStore, dict[int, ProductRecord]],
) -> None:
    store, by_id = world
    for sort, sign in ((SortKey.PRICE_ASC, 1), (SortKey.PRICE_DESC, -1)):
        ids = ids_of(store, SearchQuery(sort=sort))
        assert sorted(ids) == sorted(by_id)
        prices = [effective_major(by_id[i]) for i in ids]
        priced = [p for p in prices if p is not None]
        assert prices[: len(priced)] == priced  # unpriced last
        # Grouped by currency, alphabetically; sorted by price within each currency only.
        codes = [by_id[i].price.currency for i in ids[: len(priced)]]  # type: ignore[union-attr]
        assert codes == sorted(codes) and len(set(codes)) == 3
        pairs = list(zip(codes, priced, strict=True))
        assert all(sign * (b - a) >= 0 for (c, a), (d, b) in pairwise(pairs) if c == d)
    on_sale = ids_of(store, SearchQuery("shirt", on_sale=True, sort=SortKey.PRICE_ASC))
    keys = [(by_id[i].price.currency, effective_major(by_id[i])) for i in on_sale]  # type: ignore[union-attr]
    assert keys == sorted(keys)  # type: ignore[type-var]


def test_newest_sort_and_relevance_without_text(
    world: tuple[CatalogStore, dict[int, ProductRecord]],
) -> None:
    store, by_id = world
    newest = ids_of(store, SearchQuery(sort=SortKey.NEWEST))
    # South was imported second: all of it first, then ids descending within an import.
    assert [by_id[i].merchant for i in newest[:140]] == ["South"] * 140
    assert newest[:140] == sorted(newest[:140], reverse=True)
    assert ids_of(store, SearchQuery()) == newest
    assert ids_of(store, SearchQuery(limit=7)) == newest[:7]


def test_commission_sort_without_rates_is_newest_first(
    world: tuple[CatalogStore, dict[int, ProductRecord]],
) -> None:
    """Hand-imported products carry no rate: sorted by commission they come newest first
    (tests/store/test_platform_apply.py sorts products that have one)."""
    store, _ = world
    shirts = ids_of(store, SearchQuery("shirt", sort=SortKey.COMMISSION))
    assert shirts and shirts == ids_of(store, SearchQuery("shirt", sort=SortKey.NEWEST))
    assert ids_of(store, SearchQuery(sort=SortKey.COMMISSION)) == ids_of(
        store, SearchQuery(sort=SortKey.NEWEST)
    )


# -- invalidation ---------------------------------------------------------------------------
def test_reimport_refreshes_results_and_facets(tmp_path: Path) -> None:
    store = CatalogStore(open_database(tmp_path / "i.sqlite3"))
    first = [rec("M", "1", "Red mug", brand="Acme", price=Money(500, "EUR"))]
    store.import_feed("M", "test", first)
    assert store.search(SearchQuery("teapot")).total == 0
    assert {v.value: v.count for v in store.facets(SearchQuery()).brand} == {"Acme": 1}
    store.import_feed(
        "M", "test", [*first, rec("M", "2", "Teapot", brand="Nordlys", price=Money(90000, "EUR"))]
    )
    assert store.search(SearchQuery("teapot")).total == 1
    facets = store.facets(SearchQuery())
    assert {v.value: v.count for v in facets.brand} == {"Acme": 1, "Nordlys": 1}
    bands = {price_band("EUR", 0): 1, price_band("EUR", 5): 1}
    assert {v.value: v.count for v in facets.price_band} == {str(k): v for k, v in bands.items()}
    store.import_feed("M", "test", [first[0]])  # full: the teapot becomes unavailable
    avail = {v.value: v.count for v in store.facets(SearchQuery()).availability}
    assert avail == {"in_stock": 1, "unavailable": 1}
    assert store.product_count() == 2 and store.merchants() == ["M"]
    store.db.close()


def test_empty_catalog_answers_nothing(tmp_path: Path) -> None:
    store = CatalogStore(open_database(tmp_path / "empty.sqlite3"))
    for q in (
        SearchQuery(),
        SearchQuery("shirt", limit=5),
        SearchQuery("sh", on_sale=True),
        SearchQuery(sort=SortKey.PRICE_DESC),
    ):
        result = store.search(q)
        assert result.total == 0 and len(result.ids) == 0  # type: ignore[arg-type]
    facets = store.facets(SearchQuery("shirt"))
    assert facets.merchant == facets.brand == facets.price_band == ()
    assert store.cards([1, 2]) == [] and store.detail(1) is None
    assert store.product_count() == 0 and store.merchants() == []
    store.db.close()


def test_worker_threads_share_one_store(
    world: tuple[CatalogStore, dict[int, ProductRecord]],
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    store, _ = world
    queries = [
        SearchQuery("shirt"),
        SearchQuery("lamp", sort=SortKey.PRICE_ASC),
        SearchQuery(on_sale=True),
        SearchQuery("mu", limit=3),
    ]
    expected = [store.search(q).ids.tolist() for q in queries]  # type: ignore[attr-defined]

    def work(k: int) -> list[int]:
        if k % 7 == 0:
            store.invalidate()  # a reload racing with readers must stay consistent
        store.facets(queries[k % 4])
        return store.search(queries[k % 4]).ids.tolist()  # type: ignore[attr-defined,no-any-return]

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(work, range(40)))
    assert all(r == expected[k % 4] for k, r in enumerate(results))


def test_sale_flags_follow_the_clock(tmp_path: Path) -> None:
    from studio.store.columns import load_columns

    store = CatalogStore(open_database(tmp_path / "clock.sqlite3"))
    store.import_feed(
        "M",
        "test",
        [
            rec(
                "M",
                "later",
                "Later",
                price=Money(30000, "EUR"),
                sale_price=Money(2000, "EUR"),
                sale_start=NOW + timedelta(days=1),
                sale_end=NOW + timedelta(days=3),
            ),
            rec("M", "open", "Open", price=Money(9000, "JPY"), sale_price=Money(800, "JPY")),
        ],
    )
    cols = load_columns(store.db)
    later, open_ = (cols.ids[0], cols.ids[1])
    day = 86_400
    before = cols.prices(NOW.timestamp())
    for offset, expected in ((0, False), (2 * day, True), (4 * day, False), (0, False)):
        prices = cols.prices(NOW.timestamp() + offset)
        assert bool(prices.on_sale[later]) is expected, offset
        assert prices.price[later] == (20.0 if expected else 300.0)
        band = prices.band_value(int(prices.band[later]))
        assert band == price_band("EUR", 0 if expected else 4)
        assert prices.on_sale[open_] and prices.price[open_] == 800.0  # JPY: no minor unit
        assert prices.band_value(int(prices.band[open_])) == price_band("JPY", 5)
    # A query holding the Prices of an earlier instant keeps seeing them.
    assert not before.on_sale[later] and before.price[later] == 300.0
    store.db.close()


@pytest.mark.parametrize(
    "prefix",
    [
        "shir",
        "SHIRT",
        "dres",
        "Café",
        "CAFÉ",
        "nord",
        "cott",
        "every",
        "zzzz",
        "Zoë",
        "atel",
        "sh",
        "CA",
        "Zö",
        "ev",
        "qx",
        "co",
        "9z",
    ],
)
def test_expanded_prefix_matches_what_fts5_prefix_matches(
    world: tuple[CatalogStore, dict[int, ProductRecord]], prefix: str
) -> None:
    """Long and 2-letter prefixes are spelled out as index terms (or 3-letter prefixes); the
    matches must not change."""
    store, _ = world
    with store.db.connect() as conn:
        own = search_text.fetch_ids(conn, search_text.TextQuery((prefix,), True).match())
    assert sorted(ids_of(store, SearchQuery(prefix))) == own.tolist()
    assert sorted(ids_of(store, SearchQuery(f"Acme {prefix}"))) == sorted(
        set(ids_of(store, SearchQuery("acme "))) & set(own.tolist())
    )


def test_words_split_where_the_index_tokenizer_splits() -> None:
    """A quoted string of two index tokens is a phrase, which the index refuses: a letter that
    FTS5's unicode61 treats as a separator (U+19B0, recategorised after its tables) splits."""
    assert search_text.fts_tokens("shirt\u19b0linen") == ["shirt", "linen"]
    assert search_text.fts_tokens("maße") == ["maße"] and search_text.fts_tokens("中文") == ["中文"]
    assert search_text.parse_text("\u19b0") is None


def test_two_letter_prefix_finds_letters_left_unfolded(tmp_path: Path) -> None:
    store = CatalogStore(open_database(tmp_path / "p.sqlite3"))
    store.import_feed(
        "M",
        "test",
        [
            rec("M", "1", "Maße table"),
            rec("M", "2", "Mø chair"),
            rec("M", "3", "Ma lamp"),
            rec("M", "4", "Mug 42"),
            rec("M", "5", "Ma7 plug"),
        ],
    )
    found = {
        c.title
        for c in store.cards(  # type: ignore[arg-type]
            store.search(SearchQuery("ma")).ids
        )
    }
    assert found == {"Maße table", "Ma lamp", "Ma7 plug"}
    assert store.search(SearchQuery("mø")).total == 1
    store.db.close()
