"""Search, filters, sorts and facet counts over the catalog, fast at 1M products.

Each query reads only what its answer needs:

- **Ranked text** (relevance, no filter), the shape of type-ahead, pickers and the grid: FTS5
  alone, through ``studio.store.search_text`` (a probe, a count or an estimate, a bounded
  ranking: read its docstring). No column is loaded. With a ``limit`` the ids are the ranked
  head; without one (the grid), a ``RankedIds`` whose head is there at once and whose rest
  (every other match, newest first) is made the first time it is asked for
  (``studio.store.search_ids``).
- **Newest first**, with or without text: product ids descending (the importer numbers
  products in the order they are added), from FTS5 or, for the whole catalog, from its id
  range.
- **Filters, price sorts and facet counts**: numpy over the in-memory columns of
  ``studio.store.columns``, loaded on the first such query: a filter is a boolean mask over
  the matching ids, a sort filters a precomputed global order by membership, a facet is one
  ``np.bincount``. A "top N" query (``limit`` set) that arrives before the columns are
  loaded reads its merchant filter or price order with SQL instead
  (``studio.store.search_sql``): for one query, as ``studio search`` asks, that is far
  cheaper than loading every column.

``SearchResult.total`` is exact, except for more than 50,000 matches on the ranked path,
where it is an estimate within about 1% and ``exact`` is False (the grid then learns the
exact count from ``RankedIds.complete()``). Facets are disjunctive: each facet's counts apply
every filter but its own. Brand and category list their top 50 values; selected values are
always listed; the commission facet (bands of the platform's rate, ``commission_bands``) is
empty while no product has one. ``SortKey.COMMISSION`` orders by the platform's commission
rate, highest first (products without one last, newest first), from an order loaded once per
catalog change.
``took_ms`` is the whole call, including any column load it waited for.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from functools import partial

import numpy as np

from studio.core.catalog import (
    COMMISSION_BANDS,
    NO_COMMISSION,
    Facets,
    FacetValue,
    SearchQuery,
    SearchResult,
    SortKey,
    commission_band_label,
    price_band_label,
)
from studio.core.product import Availability
from studio.store import search_sql, search_text
from studio.store.codes import AVAILABILITY_CODES
from studio.store.columns import BoolArray, Columns, ColumnStore, IdArray, Names, Prices
from studio.store.commission_bands import SLOTS, BandArray, BandCache, band_mask, band_slots
from studio.store.db import Database
from studio.store.search_ids import (
    IdRange,
    MatchCache,
    RankedIds,
    newest_except,
    relevance_order,
)
from studio.store.search_rank import rank_all, ranked_head
from studio.store.search_text import (
    TextQuery,
    count,
    count_cheaper,
    estimate,
    expand,
    fetch_ids,
    few_enough,
    first_matches,
    id_span,
    matches_after,
    parse_text,
)

TOP_VALUES = 50  # brand and category facets list this many values (plus selected ones)
_MAX_CACHED_EXPANSIONS = 10_000


class Filters:
    """The query's filters as per-facet boolean masks over an array of matching ids."""

    def __init__(
        self,
        q: SearchQuery,
        cols: Columns,
        prices: Prices,
        ids: IdArray,
        bands: Callable[[], BandArray | None] = lambda: None,
    ) -> None:
        self.masks: dict[str, BoolArray] = {}
        if q.merchants:
            self.masks["merchant"] = _accepts(cols.merchants, q.merchants, cols.merchant, ids)
        if q.brands:
            self.masks["brand"] = _accepts(cols.brands, q.brands, cols.brand, ids)
        if q.categories:
            self.masks["category"] = _accepts(cols.categories, q.categories, cols.category, ids)
        if q.price_bands:
            table = np.zeros(prices.band_slots + 1, dtype=np.bool_)
            for band in q.price_bands:
                slot = prices.band_slot(band)
                if slot is not None:
                    table[slot + 1] = True
            self.masks["price_band"] = table[prices.band[ids] + 1]
        if q.availability:
            table = np.zeros(len(AVAILABILITY_CODES) + 1, dtype=np.bool_)
            for value in q.availability:
                table[AVAILABILITY_CODES.index(Availability(value).value) + 1] = True
            self.masks["availability"] = table[cols.availability[ids] + 1]
        if q.on_sale is not None:
            on_sale = prices.on_sale[ids]
            self.masks["on_sale"] = on_sale if q.on_sale else ~on_sale
        if q.commission_bands:
            self.masks["commission"] = band_mask(q, bands(), ids)

    def all_but(self, facet: str | None) -> BoolArray | None:
        """The AND of every mask except ``facet``'s (None: nothing filtered)."""
        out: BoolArray | None = None
        for name, mask in self.masks.items():
            if name != facet:
                out = mask.copy() if out is None else np.logical_and(out, mask, out=out)
        return out


def _accepts(names: Names, accepted: frozenset[str], column: np.ndarray, ids: IdArray) -> BoolArray:
    table = names.lookup(accepted)
    values = column[ids]
    accepted_ids: BoolArray = table[np.minimum(values, table.size - 1)] & (values < table.size)
    return accepted_ids


class SearchEngine:
    """Answers SearchQuery with ranked ids and facet counts; safe to use from any thread."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.columns = ColumnStore(db)
        self._lock = threading.Lock()
        # Index terms per long prefix: they change only with the index, i.e. on import.
        self._expansions: dict[str, tuple[str, ...] | None] = {}
        self._matches_of = MatchCache()
        self._bands = BandCache(db)

    def invalidate(self) -> None:
        """Call after the catalog changed (an import): the next query reloads the columns."""
        with self._lock:
            self._expansions = {}
        self._matches_of.clear()
        self.columns.invalidate()
        self._bands.invalidate()

    def _text(self, conn: sqlite3.Connection, raw: str) -> TextQuery | None:
        text = parse_text(raw)
        if text is None or not text.needs_expansion:
            return text
        last = text.tokens[-1]
        with self._lock:
            known = last in self._expansions
            terms = self._expansions.get(last)
        if not known:
            terms = expand(conn, last)
            with self._lock:
                if len(self._expansions) >= _MAX_CACHED_EXPANSIONS:
                    self._expansions = {}
                self._expansions[last] = terms
        return TextQuery(text.tokens, True, terms)

    def expression(self, raw: str) -> str | None:
        """The FTS5 MATCH expression run for the search text ``raw`` (None: it has no word)."""
        with self.db.connect() as conn:
            text = self._text(conn, raw)
        return None if text is None else text.match()

    def _all_matches(self, conn: sqlite3.Connection, text: TextQuery) -> IdArray:
        """Every match of ``text``, ascending (shared by the queries and facets asking)."""
        expr = text.match()
        return self._matches_of.get(expr, lambda: fetch_ids(conn, expr))

    def _matches(self, conn: sqlite3.Connection, text: TextQuery | None, cols: Columns) -> IdArray:
        if text is None:
            return cols.ids
        ids = self._all_matches(conn, text)
        # Ids newer than the column snapshot (an import not yet invalidated) are left out.
        return ids[ids < cols.size] if ids.size and ids[-1] >= cols.size else ids

    def search(self, q: SearchQuery) -> SearchResult:
        """Matching ids in display order, and how many there are."""
        start = time.perf_counter()
        exact = True
        ids: IdArray | RankedIds | IdRange
        with self.db.connect() as conn:
            text = self._text(conn, q.text)
            plain = not _filtered(q) and q.sort in (SortKey.RELEVANCE, SortKey.NEWEST)
            by_sql = q.sort is not SortKey.COMMISSION and search_sql.can(q)
            if plain and text is not None and q.sort is SortKey.RELEVANCE:
                ids, total, exact = self._ranked(conn, text, q.limit)
            elif plain and text is not None:
                matches = self._all_matches(conn, text)
                ids, total = matches[::-1][: q.limit], int(matches.size)
            elif plain:
                ids, total = self._everything(conn, q.limit)
            elif q.limit is not None and self.columns.peek() is None and by_sql:
                ids, total = search_sql.search(conn, q, text, self._all_matches, _head)
            else:
                ids, total = self._with_columns(conn, q, text)
        return SearchResult(ids, total, (time.perf_counter() - start) * 1000, exact)

    def _ranked(
        self, conn: sqlite3.Connection, text: TextQuery, limit: int | None
    ) -> tuple[IdArray | RankedIds, int, bool]:
        """Relevance order with no filter: FTS5 only (see search_text)."""
        expr = text.match()
        first = first_matches(conn, expr, search_text.RANK_ALL + 1)
        if first.size <= search_text.RANK_ALL:  # the probe found every match
            return rank_all(conn, text, first)[:limit], int(first.size), True
        span = id_span(conn)
        few = few_enough(first, span)
        if few and len(text.tokens) > 1:
            # An AND: reading every match costs what counting them does, and lets the
            # candidates be read upwards (see search_rank).
            matches = np.concatenate((first, matches_after(conn, expr, int(first[-1]))))
            head = ranked_head(conn, text, int(matches.size), span, matches)
            if limit is not None and limit <= head.size:
                return head[:limit], int(matches.size), True
            return relevance_order(head, matches)[:limit], int(matches.size), True
        if few or count_cheaper(text, first, span):
            total, exact = count(conn, expr), True
        else:
            total, exact = estimate(conn, text, span, first)
        head = ranked_head(conn, text, total, span)
        ids = RankedIds(head, partial(self._rest, text))
        if limit is not None:  # the rest is made only for a limit past the head
            return ids[:limit], total, exact
        return ids, total, exact

    def _rest(self, text: TextQuery, head: IdArray) -> IdArray:
        """Every match of ``text`` not in ``head``, newest first (RankedIds' rest)."""
        with self.db.connect() as conn:
            return newest_except(self._all_matches(conn, text), head)

    def _everything(
        self, conn: sqlite3.Connection, limit: int | None
    ) -> tuple[IdArray | IdRange, int]:
        """Every product, newest first: the columns' order when loaded, else the id range."""
        cols = self.columns.peek()
        if cols is not None:
            return cols.newest[:limit], int(cols.ids.size)
        return search_sql.everything(conn, limit)

    def _with_columns(
        self, conn: sqlite3.Connection, q: SearchQuery, text: TextQuery | None
    ) -> tuple[IdArray, int]:
        cols = self.columns.get()
        prices = cols.prices()
        unfiltered = matches = self._matches(conn, text, cols)
        keep = Filters(q, cols, prices, matches, partial(self._bands.get, cols.size)).all_but(None)
        if keep is not None:
            matches = matches[keep]
        total = int(matches.size)
        if text is not None and q.sort is SortKey.RELEVANCE:
            ids = relevance_order(_head(conn, text, unfiltered), matches)
        elif q.sort is SortKey.COMMISSION:
            order = self.columns.commission_order()
            # Ids newer than the column snapshot (an import not yet invalidated) are left out.
            ids = _member_order(matches, order[order < cols.size], cols.size)
        else:
            ids = _sorted(matches, q.sort, cols, prices, text is None and keep is None)
        return ids[: q.limit], total

    def facets(self, q: SearchQuery) -> Facets:
        """Counts per value of each facet for ``q`` (each facet ignores its own filter)."""
        start = time.perf_counter()
        cols = self.columns.get()
        prices = cols.prices()
        with self.db.connect() as conn:
            ids = self._matches(conn, self._text(conn, q.text), cols)
        bands = self._bands.get(cols.size)
        filters = Filters(q, cols, prices, ids, lambda: bands)

        def counts(facet: str, values: np.ndarray, size: int) -> np.ndarray:
            keep = filters.all_but(facet)
            return np.bincount(values if keep is None else values[keep], minlength=size)

        merchant = counts("merchant", cols.merchant[ids], cols.merchants.size)
        brand = counts("brand", cols.brand[ids], cols.brands.size)
        category = counts("category", cols.category[ids], cols.categories.size)
        band = counts("price_band", prices.band[ids] + 1, prices.band_slots + 1)
        avail = counts("availability", cols.availability[ids] + 1, len(AVAILABILITY_CODES) + 1)
        sale = counts("on_sale", prices.on_sale[ids].view(np.int8), 2)
        rate = counts("commission", band_slots(bands, ids), SLOTS)
        return Facets(
            merchant=_named(merchant, cols.merchants, q.merchants, None),
            brand=_named(brand, cols.brands, q.brands, TOP_VALUES),
            category=_named(category, cols.categories, q.categories, TOP_VALUES),
            price_band=tuple(
                FacetValue(str(value), price_band_label(value), int(band[i + 1]))
                for i, value in enumerate(map(prices.band_value, range(prices.band_slots)))
                if band[i + 1] or value in q.price_bands
            ),
            availability=tuple(
                FacetValue(code, code.replace("_", " ").capitalize(), int(avail[i + 1]))
                for i, code in enumerate(AVAILABILITY_CODES)
                if avail[i + 1] or Availability(code) in q.availability
            ),
            on_sale=tuple(
                FacetValue(value, label, int(sale[flag]))
                for value, label, flag in (("true", "On sale", 1), ("false", "Not on sale", 0))
                if sale[flag] or q.on_sale is (flag == 1)
            ),
            commission=()
            if bands is None
            else tuple(
                FacetValue(str(band), commission_band_label(band), int(rate[band + 1]))
                for band in range(NO_COMMISSION, len(COMMISSION_BANDS))
                if rate[band + 1] or band in q.commission_bands
            ),
            took_ms=(time.perf_counter() - start) * 1000,
        )


def _head(conn: sqlite3.Connection, text: TextQuery, matches: IdArray) -> IdArray:
    """The ranked head of ``text``, given every one of its ``matches`` (ascending)."""
    if matches.size <= search_text.RANK_ALL:
        return rank_all(conn, text, matches)
    return ranked_head(conn, text, int(matches.size), id_span(conn), matches)


def _filtered(q: SearchQuery) -> bool:
    return bool(
        q.merchants
        or q.brands
        or q.categories
        or q.price_bands
        or q.availability
        or q.on_sale is not None
        or q.commission_bands
    )


def _sorted(
    matches: IdArray, sort: SortKey, cols: Columns, prices: Prices, everything: bool
) -> IdArray:
    """``matches`` in the order of ``sort`` (relevance without text: newest)."""
    if sort is SortKey.PRICE_ASC:
        order = prices.order("asc")
    elif sort is SortKey.PRICE_DESC:
        order = prices.order("desc")
    else:
        order = cols.newest
    if everything:
        return order
    return _member_order(matches, order, cols.size)


def _member_order(matches: IdArray, order: IdArray, size: int) -> IdArray:
    """The ``matches`` in the order of the global ``order`` (every id below ``size``)."""
    # Filtering the global order by membership costs O(catalog), yet beats sorting 300k keys.
    member = np.zeros(size, dtype=np.bool_)
    member[matches] = True
    return order[member[order]]


def _named(
    counts: np.ndarray, names: Names, selected: frozenset[str], top: int | None
) -> tuple[FacetValue, ...]:
    """Values with a count, most frequent first (ties by name), capped at ``top``; values
    the user selected are always listed so they can be unselected."""
    nonzero = np.flatnonzero(counts)
    nonzero = nonzero[nonzero > 0]
    order = sorted(nonzero.tolist(), key=lambda i: (-int(counts[i]), names.names.get(i, "")))
    chosen = order if top is None else order[:top]
    listed = {names.names.get(i, "") for i in chosen}
    out = [
        FacetValue(names.names[i], names.names[i], int(counts[i]))
        for i in chosen
        if i in names.names
    ]
    for name in sorted(selected - listed):
        i = names.ids.get(name)
        out.append(
            FacetValue(name, name, int(counts[i]) if i is not None and i < counts.size else 0)
        )
    return tuple(out)
