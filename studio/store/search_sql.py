"""One query's filters and sorts read with SQL, for when the in-memory columns are not loaded.

Loading ``studio.store.columns`` reads every product (1-2 s at 1M): right for the desktop,
whose facet counts need them on every query, wrong for ``studio search``, which asks one
"top N" question and exits. So a query with a ``limit`` that arrives before the columns are
loaded reads what it needs here instead:

- a merchant filter: the merchant's product ids from the (merchant, offer) index, a few ms
  per 50,000 products, intersected with the matches;
- a price sort: SQLite's own ORDER BY ... LIMIT over the matching rows, by currency, then
  the effective price (a sale in effect now, in major units of the product's currency)
  computed exactly as the columns derive it, so both paths order alike, ties newest first,
  unpriced last;
- every product newest first: the id range (ids are numbered in the order products are
  added), or the ids themselves when the range has gaps.

Other filters (brand, category, band, availability, on sale) come from the desktop's facet
panel, where the columns are loaded anyway; ``can()`` says no to them.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable

import numpy as np

from studio.core.catalog import SearchQuery, SortKey
from studio.core.money import MINOR_UNIT_EXPONENTS
from studio.store.columns import SCALES
from studio.store.search_ids import IdArray, IdRange, relevance_order
from studio.store.search_text import (
    TextQuery,
    count,
    count_products,
    id_span,
    parse_ids,
)

# The very doubles the columns scale by, so both paths order equal prices alike.
_SCALE = (
    "CASE p.currency "
    + " ".join(
        f"WHEN '{code}' THEN {float(SCALES[exp])!r}"
        for code, exp in sorted(MINOR_UNIT_EXPONENTS.items())
    )
    + f" ELSE {float(SCALES[2])!r} END"
)
_START = "ifnull(CAST(strftime('%s', p.sale_start) AS INTEGER), -1)"
_END = "ifnull(CAST(strftime('%s', p.sale_end) AS INTEGER), -1)"
# ProductRecord.sale_in_effect, as Columns.prices derives it: inclusive at both ends.
_ON_SALE = (
    f"p.sale_minor IS NOT NULL AND ({_START} = -1 OR {_START} <= :now) "
    f"AND ({_END} = -1 OR :now <= {_END})"
)
PRICE = f"(CASE WHEN {_ON_SALE} THEN p.sale_minor ELSE p.price_minor END) * ({_SCALE})"
_IN_MERCHANTS = (
    "p.merchant_id IN (SELECT id FROM merchants WHERE name IN "
    "(SELECT value FROM json_each(:merchants)))"
)

MatchesOf = Callable[[sqlite3.Connection, TextQuery], IdArray]
HeadOf = Callable[[sqlite3.Connection, TextQuery, IdArray], IdArray]


def can(q: SearchQuery) -> bool:
    """Whether SQL answers ``q``'s filters cheaply (a merchant filter, or none)."""
    return not (
        q.brands
        or q.categories
        or q.price_bands
        or q.availability
        or q.on_sale is not None
        or q.commission_bands
    )


def search(
    conn: sqlite3.Connection,
    q: SearchQuery,
    text: TextQuery | None,
    matches_of: MatchesOf,
    head_of: HeadOf,
) -> tuple[IdArray, int]:
    """(ids in display order, cut at ``q.limit``; total) of a query ``can()`` accepted."""
    merchant = _merchant_ids(conn, q.merchants) if q.merchants else None
    if q.sort in (SortKey.PRICE_ASC, SortKey.PRICE_DESC):
        return _by_price(conn, q, text, matches_of, merchant)
    assert merchant is not None, "a plain query has no SQL of its own to read"
    if text is None:
        return merchant[::-1][: q.limit], int(merchant.size)
    matches = matches_of(conn, text)
    kept = matches[_among(matches, merchant)]
    if q.sort is SortKey.NEWEST:
        return kept[::-1][: q.limit], int(kept.size)
    return relevance_order(head_of(conn, text, matches), kept)[: q.limit], int(kept.size)


def _among(ids: IdArray, allowed: IdArray) -> np.ndarray:
    """Which of ``ids`` are in ``allowed`` (a mask over the id range: 10x np.isin's speed)."""
    top = max(int(ids.max(initial=0)), int(allowed.max(initial=0))) + 1
    member = np.zeros(top, dtype=np.bool_)
    member[allowed] = True
    return member[ids]


def _merchant_ids(conn: sqlite3.Connection, names: frozenset[str]) -> IdArray:
    """Ids of the named merchants' products, ascending (read from the merchant index)."""
    row = conn.execute(
        f"SELECT group_concat(p.id) FROM products AS p WHERE {_IN_MERCHANTS}",
        {"merchants": json.dumps(sorted(names))},
    ).fetchone()
    return np.sort(parse_ids(row[0]))


def _by_price(
    conn: sqlite3.Connection,
    q: SearchQuery,
    text: TextQuery | None,
    matches_of: MatchesOf,
    merchant: IdArray | None,
) -> tuple[IdArray, int]:
    direction = "ASC" if q.sort is SortKey.PRICE_ASC else "DESC"
    # Grouped by currency (alphabetically) first: prices in two currencies are not comparable.
    order = f"ORDER BY ({PRICE}) IS NULL, p.currency, {PRICE} {direction}, p.id DESC LIMIT :limit"
    args = {"now": time.time(), "limit": q.limit, "merchants": json.dumps(sorted(q.merchants))}
    where = [_IN_MERCHANTS] if merchant is not None else []
    if text is None:
        source = "products AS p"
        total = int(merchant.size) if merchant is not None else count_products(conn)
    else:
        source = "product_fts AS f JOIN products AS p ON p.id = f.rowid"
        where.insert(0, "product_fts MATCH :expr")
        args["expr"] = text.match()
        if merchant is None:
            total = count(conn, text.match())
        else:
            matches = matches_of(conn, text)
            total = int(np.count_nonzero(_among(matches, merchant)))
    condition = f"WHERE {' AND '.join(where)}" if where else ""
    rows = conn.execute(f"SELECT p.id FROM {source} {condition} {order}", args).fetchall()
    return np.array([r[0] for r in rows], dtype=np.int64), total


def everything(conn: sqlite3.Connection, limit: int | None) -> tuple[IdArray | IdRange, int]:
    """Every product id, newest (largest) first, cut at ``limit``; and how many there are."""
    total = count_products(conn)
    if limit is not None:
        rows = conn.execute("SELECT id FROM products ORDER BY id DESC LIMIT ?", (limit,))
        return np.array([r[0] for r in rows], dtype=np.int64), total
    span = id_span(conn)
    if span.width == total:  # no gap: the range says it all, without reading an id
        return IdRange(span.hi, span.lo), total
    row = conn.execute(
        "SELECT group_concat(id) FROM (SELECT id FROM products ORDER BY id DESC)"
    ).fetchone()
    return parse_ids(row[0]), total
