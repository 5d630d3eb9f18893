"""Every fast path of the search against its plain-SQL definition, on a generated catalog.

The engine answers a query from whichever source is cheapest (a probe, a sampled count, a
head with a rest made on first need, the in-memory columns, or SQL for one query). These
properties state what the answer must be in plain SQL over the same database, and check that
every path gives exactly that: the match set, the count, the ranked head and the rest newest
first, the "top N" cut, newest and price orders and the merchant filter. The thresholds are
scaled down so a catalog of a few thousand products takes the paths a million takes.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import time
from collections.abc import Iterator

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.catalog_gen import generate_records
from studio.core.catalog import SearchQuery, SortKey
from studio.core.money import Money
from studio.core.product import ProductRecord
from studio.store import search_rank, search_sql, search_text
from studio.store.catalog import CatalogStore
from studio.store.db import Database, open_database
from studio.store.search_ids import IdRange, RankedIds

MERCHANTS = ("North", "South", "West")
PER_MERCHANT = 1_500
WORDS = (
    "shirt",
    "dress",
    "black",
    "navy",
    "classic",
    "slim",
    "everyday",
    "crème",
    "hoodie",
    "linen",
    "sneakers",
    "teapot",
    "wallet",
    "zzqx",
)
SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = open_database(tmp_path_factory.mktemp("paths") / "store.sqlite3")
    store = CatalogStore(database)
    for m, merchant in enumerate(MERCHANTS):
        records = generate_records(PER_MERCHANT, seed=40 + m, merchants=1)
        store.import_feed(
            merchant,
            "generated",
            [_yen(dataclasses.replace(r, merchant=merchant), i) for i, r in enumerate(records)],
        )
    yield database
    database.close()


def _yen(r: ProductRecord, i: int) -> ProductRecord:
    """Every seventh product priced in yen (no minor unit): prices of several scales."""
    if i % 7 or r.price is None:
        return r
    sale = None if r.sale_price is None else Money(r.sale_price.minor, "JPY")
    return dataclasses.replace(r, price=Money(r.price.minor, "JPY"), sale_price=sale)


@pytest.fixture(autouse=True)
def _small_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Scaled to the catalog: 4,500 products take the paths 1M take with the real values."""
    monkeypatch.setattr(search_text, "RANK_ALL", 40)
    monkeypatch.setattr(search_text, "EXACT_BELOW", 600)
    monkeypatch.setattr(search_text, "PRECISE_HITS", 300)
    monkeypatch.setattr(search_rank, "CANDIDATES", 30)
    monkeypatch.setattr(search_rank, "SCORED_BELOW", 400)
    monkeypatch.setattr(search_rank, "SCAN_MATCHES", 900)


# -- the definitions, in plain SQL ----------------------------------------------------------


def plain_matches(conn: sqlite3.Connection, expr: str) -> list[int]:
    sql = "SELECT rowid FROM product_fts WHERE product_fts MATCH ? ORDER BY rowid"
    return [r[0] for r in conn.execute(sql, (expr,))]


def plain_head(conn: sqlite3.Connection, text: search_text.TextQuery, total: int) -> list[int]:
    """The ranking search_rank's docstring states, read with plain SQL."""
    expr, titled = text.match(), text.match(("title", "brand"))
    one = len(text.tokens) == 1
    if total <= search_text.RANK_ALL:
        everything = plain_matches(conn, expr)
        if one:
            return _ordered(conn, expr, everything, True, "")
        first = _ordered(conn, titled, plain_matches(conn, titled), False, "title")
        rest = [i for i in everything if i not in set(first)]
        return first + _ordered(conn, expr, rest, False, "description")
    scored = total <= search_rank.SCORED_BELOW and not text.type_ahead and one
    c = search_rank.CANDIDATES
    if total > search_rank.SCAN_MATCHES:
        lo, hi = conn.execute("SELECT min(id), max(id) FROM products").fetchone()
        floor = hi + 1 - max(1, (hi - lo + 1) * search_rank.SCAN_MATCHES // total)
        window = [i for i in plain_matches(conn, titled) if i >= floor][:c]
    else:
        window = plain_matches(conn, titled)[-c:]
    head = _ordered(conn, titled, window, scored, "title")
    if len(head) < c:
        newest = plain_matches(conn, expr)[-c:]
        head += [i for i in _ordered(conn, expr, newest, scored, "description") if i not in head]
    return head


def _ordered(
    conn: sqlite3.Connection, expr: str, ids: list[int], scored: bool, column: str
) -> list[int]:
    """``ids`` by bm25 (``scored``) or by the length of ``column``; ties newest first."""
    keys = json.dumps(ids)
    if scored:
        bm25 = f"bm25(product_fts, {', '.join(map(str, search_rank.WEIGHTS))})"
        rows = conn.execute(
            f"SELECT rowid, {bm25} FROM product_fts WHERE product_fts MATCH ? "
            "AND rowid IN (SELECT value FROM json_each(?))",
            (expr, keys),
        ).fetchall()
    else:
        rows = conn.execute(
            f"SELECT id, min(length({column}), 4095) FROM products "
            "WHERE id IN (SELECT value FROM json_each(?))",
            (keys,),
        ).fetchall()
    return [i for i, _ in sorted(rows, key=lambda r: (r[1], -r[0]))]


def plain_by_price(conn: sqlite3.Connection, ids: list[int], descending: bool) -> list[int]:
    """``ids`` by currency (alphabetically: never compared as numbers), then the price in
    effect now (major units), unpriced last, ties newest first."""
    rows = conn.execute(
        f"SELECT p.id, {search_sql.PRICE}, p.currency FROM products AS p "
        "WHERE p.id IN (SELECT value FROM json_each(:ids))",
        {"ids": json.dumps(ids), "now": time.time()},
    ).fetchall()
    sign = -1 if descending else 1
    return [
        i
        for i, _price, _code in sorted(
            rows, key=lambda r: (r[1] is None, r[2] or "", sign * (r[1] or 0), -r[0])
        )
    ]


# -- the properties -------------------------------------------------------------------------

texts = st.one_of(
    st.sampled_from(WORDS),
    st.builds(lambda w, k: w[:k], st.sampled_from(WORDS), st.integers(2, 5)),
    st.builds(lambda a, b: f"{a} {b}", st.sampled_from(WORDS), st.sampled_from(WORDS)),
    st.builds(lambda a, b: f"{a} {b[:2]}", st.sampled_from(WORDS), st.sampled_from(WORDS)),
).flatmap(lambda t: st.sampled_from([t, t + " "]))


@SETTINGS
@given(texts)
def test_ranked_results_are_the_plain_definition(db: Database, raw: str) -> None:
    store = CatalogStore(db)
    grid = store.search(SearchQuery(raw))
    top = store.search(SearchQuery(raw, limit=25))
    with db.connect() as conn:
        text = store._engine._text(conn, raw)
        assert text is not None
        matches = plain_matches(conn, text.match())
        # The head depends on the count: past SCAN_MATCHES it bounds the scan.
        head = plain_head(conn, text, grid.total)
    ids = [int(i) for i in np.asarray(grid.ids)]
    assert sorted(ids) == matches  # every match, once
    if grid.exact:
        assert grid.total == top.total == len(matches)
    else:  # sampled: only past EXACT_BELOW, and close
        assert len(matches) >= search_text.EXACT_BELOW * 0.7
        assert abs(grid.total - len(matches)) <= 0.25 * len(matches)
    assert ids[: len(head)] == head
    assert ids[len(head) :] == [i for i in reversed(matches) if i not in set(head)]
    assert [int(i) for i in top.ids] == ids[:25]  # type: ignore[attr-defined]


@SETTINGS
@given(
    st.one_of(st.just(""), texts),
    st.sampled_from([SortKey.NEWEST, SortKey.PRICE_ASC, SortKey.PRICE_DESC, SortKey.RELEVANCE]),
    st.sampled_from([frozenset(), frozenset({"South"}), frozenset({"North", "West"})]),
)
def test_sql_and_columns_give_the_same_order(
    db: Database, raw: str, sort: SortKey, merchants: frozenset[str]
) -> None:
    """A one-off "top N" read with SQL (no columns loaded) equals the columns' answer, and
    both are the plain definition of the sort."""
    q = SearchQuery(raw, merchants=merchants, sort=sort, limit=30)
    fresh = CatalogStore(db)  # nothing loaded: SQL for this one query
    by_sql = fresh.search(q)
    assert fresh._engine.columns.peek() is None
    loaded = CatalogStore(db)
    loaded._engine.columns.get()
    by_columns = loaded.search(q)
    full = loaded.search(SearchQuery(raw, merchants=merchants, sort=sort))
    assert [int(i) for i in by_sql.ids] == [int(i) for i in by_columns.ids]  # type: ignore[attr-defined]
    assert by_sql.total == by_columns.total == full.total
    with db.connect() as conn:
        text = loaded._engine._text(conn, raw)
        every = (
            plain_matches(conn, text.match())
            if text is not None
            else [r[0] for r in conn.execute("SELECT id FROM products ORDER BY id")]
        )
        if merchants:
            mine = {
                r[0]
                for r in conn.execute(
                    "SELECT p.id FROM products AS p JOIN merchants AS m ON m.id = p.merchant_id "
                    "WHERE m.name IN (SELECT value FROM json_each(?))",
                    (json.dumps(sorted(merchants)),),
                )
            }
            every = [i for i in every if i in mine]
        if sort is SortKey.NEWEST or (sort is SortKey.RELEVANCE and text is None):
            # Newest first is the order products were added: added_seq, then id.
            expected = [
                r[0]
                for r in conn.execute(
                    "SELECT id FROM products WHERE id IN (SELECT value FROM json_each(?)) "
                    "ORDER BY added_seq DESC, id DESC",
                    (json.dumps(every),),
                )
            ]
        elif sort is SortKey.RELEVANCE:
            assert text is not None
            # Unfiltered, the ranked path's count (maybe sampled) bounds the scan; filtered,
            # the columns and SQL paths count every match of the text.
            count = full.total if not merchants else len(plain_matches(conn, text.match()))
            head = plain_head(conn, text, count)
            kept = set(every)
            first = [i for i in head if i in kept]
            expected = first + [i for i in reversed(every) if i not in set(first)]
        else:
            expected = plain_by_price(conn, every, sort is SortKey.PRICE_DESC)
    assert [int(i) for i in np.asarray(full.ids)] == expected
    assert [int(i) for i in by_sql.ids] == expected[:30]  # type: ignore[attr-defined]


def test_the_grid_rest_is_made_on_first_need_only(db: Database) -> None:
    store = CatalogStore(db)
    result = store.search(SearchQuery("shirt"))  # far past EXACT_BELOW: sampled, head first
    ids = result.ids
    assert isinstance(ids, RankedIds)
    assert ids.ready == search_rank.CANDIDATES and not ids.is_complete  # type-ahead: unscored
    assert ids[:10].size == 10 and not ids.is_complete  # within the head: nothing made
    assert int(ids[ids.ready]) > 0 and ids.is_complete  # past it: made, once
    with db.connect() as conn:
        assert len(ids) == len(plain_matches(conn, store._engine._text(conn, "shirt").match()))  # type: ignore[union-attr]


def test_the_whole_catalog_newest_first_needs_no_array(db: Database) -> None:
    """Without text or filter, before any column is loaded, the grid's ids are the id range
    (no gap here), and they are the plain newest-first order."""
    store = CatalogStore(db)
    result = store.search(SearchQuery())
    ids = result.ids
    assert isinstance(ids, IdRange) and store._engine.columns.peek() is None
    with db.connect() as conn:
        expected = [
            r[0] for r in conn.execute("SELECT id FROM products ORDER BY added_seq DESC, id DESC")
        ]
    assert len(ids) == result.total == len(expected)
    assert np.asarray(ids).tolist() == ids.tolist() == expected
    assert ids[5:25].tolist() == expected[5:25] and ids[::7].tolist() == expected[::7]
    assert int(ids[0]) == expected[0] and int(ids[-1]) == expected[-1]
    with pytest.raises(IndexError):
        ids[len(expected)]
    assert store.search(SearchQuery(limit=10)).ids.tolist() == expected[:10]  # type: ignore[attr-defined]
