"""Search, filters, sorts and facet counts over the catalog, fast at 1M products.

Text goes to the FTS5 index through ``studio.store.search_text`` (safe expressions, counting,
bounded ranking: read its docstring); everything else is numpy over the in-memory columns of
``studio.store.columns``: a filter is a boolean mask over the matching ids, a sort filters a
precomputed global order by membership, a facet is one ``np.bincount``.

- ``SearchResult.ids`` holds every match in display order; for relevance with text, the ranked
  head first, then every other match newest first. ``total`` is exact, except on the "top N"
  path (``limit`` set, relevance, no filter) for more than 50,000 matches, where it is an
  estimate within about 1% and ``exact`` is False.
- Facets are disjunctive: each facet's counts apply every filter but its own. Brand and
  category list their top 50 values; selected values are always listed.
- ``SortKey.COMMISSION`` raises ``ValueError`` until commission rates exist (the UI hides it).
"""

from __future__ import annotations

import sqlite3
import threading
import time

import numpy as np

from studio.core.catalog import (
    PRICE_BANDS,
    Facets,
    FacetValue,
    SearchQuery,
    SearchResult,
    SortKey,
    price_band_label,
)
from studio.core.product import Availability
from studio.store.columns import BoolArray, Columns, ColumnStore, IdArray, Names, Prices
from studio.store.db import Database
from studio.store.models import AVAILABILITY_CODES
from studio.store.search_text import (
    TextQuery,
    estimate,
    expand,
    fetch_ids,
    parse_text,
    ranked_head,
)

TOP_VALUES = 50  # brand and category facets list this many values (plus selected ones)
_MAX_CACHED_EXPANSIONS = 10_000


class Filters:
    """The query's filters as per-facet boolean masks over an array of matching ids."""

    def __init__(self, q: SearchQuery, cols: Columns, prices: Prices, ids: IdArray) -> None:
        self.masks: dict[str, BoolArray] = {}
        if q.merchants:
            self.masks["merchant"] = _accepts(cols.merchants, q.merchants, cols.merchant, ids)
        if q.brands:
            self.masks["brand"] = _accepts(cols.brands, q.brands, cols.brand, ids)
        if q.categories:
            self.masks["category"] = _accepts(cols.categories, q.categories, cols.category, ids)
        if q.price_bands:
            table = np.zeros(len(PRICE_BANDS) + 1, dtype=np.bool_)
            for band in q.price_bands:
                if 0 <= band < len(PRICE_BANDS):
                    table[band + 1] = True
            self.masks["price_band"] = table[prices.band[ids] + 1]
        if q.availability:
            table = np.zeros(len(AVAILABILITY_CODES) + 1, dtype=np.bool_)
            for value in q.availability:
                table[AVAILABILITY_CODES.index(Availability(value).value) + 1] = True
            self.masks["availability"] = table[cols.availability[ids] + 1]
        if q.on_sale is not None:
            on_sale = prices.on_sale[ids]
            self.masks["on_sale"] = on_sale if q.on_sale else ~on_sale

    def all_but(self, facet: str | None) -> BoolArray | None:
        """The AND of every mask except ``facet``'s (None: nothing filtered)."""
        out: BoolArray | None = None
        for name, mask in self.masks.items():
            if name != facet:
                out = mask.copy() if out is None else np.logical_and(out, mask, out=out)
        return out


def _accepts(
    names: Names, accepted: frozenset[str], column: IdArray | np.ndarray, ids: IdArray
) -> BoolArray:
    table = names.lookup(accepted)
    values = column[ids]
    return table[np.minimum(values, table.size - 1)] & (values < table.size)


class SearchEngine:
    """Answers SearchQuery with ranked ids and facet counts; safe to use from any thread."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.columns = ColumnStore(db)
        self._lock = threading.Lock()
        # Index terms per long prefix: they change only with the index, i.e. on import.
        self._expansions: dict[str, tuple[str, ...] | None] = {}

    def invalidate(self) -> None:
        """Call after the catalog changed (an import): the next query reloads the columns."""
        with self._lock:
            self._expansions = {}
        self.columns.invalidate()

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

    def _matches(self, conn: sqlite3.Connection, text: TextQuery | None, cols: Columns) -> IdArray:
        if text is None:
            return cols.ids
        ids = fetch_ids(conn, text.match())
        # Ids newer than the column snapshot (an import not yet invalidated) are left out.
        return ids[ids < cols.size] if ids.size and ids[-1] >= cols.size else ids

    def search(self, q: SearchQuery) -> SearchResult:
        """Matching ids in display order, and how many there are."""
        start = time.perf_counter()
        if q.sort is SortKey.COMMISSION:
            raise ValueError("commission rates are not known yet")
        cols = self.columns.get()
        prices = cols.prices()
        limit = q.limit
        exact = True
        with self.db.connect() as conn:
            text = self._text(conn, q.text)
            if text is not None and q.sort is SortKey.RELEVANCE and limit and not _filtered(q):
                # "Top N": count (or estimate), then rank a bounded candidate set.
                total, exact = estimate(conn, text, cols.ids)
                ids = ranked_head(conn, text, total, cols)[:limit]
            else:
                matches = self._matches(conn, text, cols)
                unfiltered = int(matches.size)
                keep = Filters(q, cols, prices, matches).all_but(None)
                if keep is not None:
                    matches = matches[keep]
                total = int(matches.size)
                if text is not None and q.sort is SortKey.RELEVANCE:
                    head = ranked_head(conn, text, unfiltered, cols)
                    ids = _relevance_order(head, matches, cols.size)
                else:
                    ids = _sorted(matches, q.sort, cols, prices, text is None and keep is None)
                if limit is not None:
                    ids = ids[:limit]
        return SearchResult(ids, total, (time.perf_counter() - start) * 1000, exact)

    def facets(self, q: SearchQuery) -> Facets:
        """Counts per value of each facet for ``q`` (each facet ignores its own filter)."""
        start = time.perf_counter()
        cols = self.columns.get()
        prices = cols.prices()
        with self.db.connect() as conn:
            ids = self._matches(conn, self._text(conn, q.text), cols)
        filters = Filters(q, cols, prices, ids)

        def counts(facet: str, values: np.ndarray, size: int) -> np.ndarray:
            keep = filters.all_but(facet)
            return np.bincount(values if keep is None else values[keep], minlength=size)

        merchant = counts("merchant", cols.merchant[ids], cols.merchants.size)
        brand = counts("brand", cols.brand[ids], cols.brands.size)
        category = counts("category", cols.category[ids], cols.categories.size)
        band = counts("price_band", prices.band[ids] + 1, len(PRICE_BANDS) + 1)
        avail = counts("availability", cols.availability[ids] + 1, len(AVAILABILITY_CODES) + 1)
        sale = counts("on_sale", prices.on_sale[ids].view(np.int8), 2)
        return Facets(
            merchant=_named(merchant, cols.merchants, q.merchants, None),
            brand=_named(brand, cols.brands, q.brands, TOP_VALUES),
            category=_named(category, cols.categories, q.categories, TOP_VALUES),
            price_band=tuple(
                FacetValue(str(i), price_band_label(i), int(band[i + 1]))
                for i in range(len(PRICE_BANDS))
                if band[i + 1] or i in q.price_bands
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
            took_ms=(time.perf_counter() - start) * 1000,
        )


def _filtered(q: SearchQuery) -> bool:
    return bool(
        q.merchants
        or q.brands
        or q.categories
        or q.price_bands
        or q.availability
        or q.on_sale is not None
    )


def _relevance_order(head: IdArray, matches: IdArray, size: int) -> IdArray:
    """The ranked ``head`` (restricted to ``matches``), then every other match, newest first."""
    span = max(
        size, int(head.max()) + 1 if head.size else 0, int(matches[-1]) + 1 if matches.size else 0
    )
    member = np.zeros(span, dtype=np.bool_)
    member[matches] = True
    head = head[member[head]]
    member[head] = False
    rest = matches[::-1]
    return np.concatenate((head, rest[member[rest]]))


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
    # Filtering the global order by membership costs O(catalog), yet beats sorting 300k keys.
    member = np.zeros(cols.size, dtype=np.bool_)
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
