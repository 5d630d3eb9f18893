"""Ranking full-text matches within a keystroke's budget: bm25 where it is cheap, tiers where not.

**Bounded ranking.** bm25 costs ~0.6 µs per scored row plus one pass over each phrase's whole
doclist (its IDF), 180 ms for "shirt" over 1M products. So, for one token: up to ``RANK_ALL``
matches, every one is ranked by bm25 (title 10, brand 5, category 3, description 1); up to
``SCORED_BELOW``, the ``CANDIDATES`` newest matches whose title or brand hold it are ranked by
bm25, then the newest matches elsewhere. For several tokens (the IDF pass reads the doclist of
each, however common: 190-260 ms for a pasted 16-word title), for 2-3 letter type-ahead and
beyond SCORED_BELOW, bm25 would blow the budget, and the same candidate tiers are ordered by
shorter text first (bm25's length normalisation on the column that dominates: the title for
title/brand matches, else the description), newest first. Past ``SCAN_MATCHES`` matches the
title/brand scan is bounded to the newest ids holding about that many matches, so a term found
mostly in descriptions does not read its whole doclist to find few title matches; it reads
upwards from that bound, and the first ``CANDIDATES`` found there are the candidates. When
every match is known, the newest candidates of several tokens are read upwards from where
twice CANDIDATES of them start (the same rows: FTS5 steps an AND 2-4x slower downwards).
Measured against full bm25 at 1M: the top 100 of "shirt" (title matches) score 98% of the
true top 100; of "everyday" (descriptions only, where term frequency, unknown here, dominates)
about 65%.

Nothing here needs the in-memory columns: the text lengths the tiers order by are read with
the candidates (500 rows: ~0.3 ms), and the id range from the products table's index.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

import numpy as np

from studio.store.search_ids import IdArray
from studio.store.search_text import EMPTY, Span, TextQuery

WEIGHTS = (10.0, 5.0, 3.0, 1.0)  # bm25 column weights: title, brand, category, description
SCORED_BELOW = 50_000
# Scanning for candidates costs ~7 us each for a 2-letter prefix (the title/brand check of a
# few in a hundred matches), bm25 6-12 us each: the top 100's bm25 score sum measured the
# same from 250 to 2,000 candidates for every query tried (docs/benchmarks.md).
CANDIDATES = 500
SCAN_MATCHES = 60_000
MAX_LENGTH = 4095  # characters: longer titles and descriptions rank as this long
_BM25 = f"bm25(product_fts, {', '.join(map(str, WEIGHTS))})"
_TITLE_BRAND = ("title", "brand")


def rank_all(conn: sqlite3.Connection, text: TextQuery, matches: IdArray) -> IdArray:
    """Every one of ``matches`` (ascending, at most RANK_ALL: the probe found them all) in
    display order: by bm25 for one word; for several, in the tiers of ``ranked_head``, for
    bm25's IDF pass would read the whole doclist of each word, however common (190-260 ms
    for a pasted 16-word title at 1M)."""
    if not matches.size:
        return EMPTY
    if len(text.tokens) == 1:
        rows = conn.execute(
            f"SELECT rowid, {_BM25} FROM product_fts WHERE product_fts MATCH ?", (text.match(),)
        ).fetchall()
        return _by_score(rows)
    # The title/brand tier, read over the matches' own rowid range (upwards, so cheap).
    titled = _shortest_first(
        conn.execute(
            f"SELECT f.rowid, min(length(p.title), {MAX_LENGTH}) FROM product_fts AS f "
            "JOIN products AS p ON p.id = f.rowid "
            "WHERE product_fts MATCH ? AND f.rowid >= ? AND f.rowid <= ?",
            (text.match(_TITLE_BRAND), int(matches[0]), int(matches[-1])),
        ).fetchall()
    )
    rest = matches[~np.isin(matches, titled)]
    described = _shortest_first(
        conn.execute(
            f"SELECT id, min(length(description), {MAX_LENGTH}) FROM products "
            "WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(rest.tolist()),),
        ).fetchall()
    )
    return np.concatenate((titled, described))


def ranked_head(
    conn: sqlite3.Connection,
    text: TextQuery,
    total: int,
    span: Span,
    matches: IdArray | None = None,
) -> IdArray:
    """The best of ``total`` matches (more than RANK_ALL) in display order: up to
    ``CANDIDATES`` matching in title or brand, then as many matching elsewhere. ``matches``,
    every match ascending when the caller has them, lets the newest be read upwards."""
    expr = text.match()
    # bm25's IDF pass reads each phrase's whole doclist: with one token that is ``total``
    # rows; with several, a common one ("navy shirt") would cost ~10 ms alone.
    scored = total <= SCORED_BELOW and not text.type_ahead and len(text.tokens) == 1
    if total > SCAN_MATCHES and span.width:
        # Bound the title/brand scan to the newest ids holding about SCAN_MATCHES matches.
        floor = span.hi + 1 - max(1, span.width * SCAN_MATCHES // total)
        head = _ranked_rows(
            conn, text.match(_TITLE_BRAND), scored, "title", "AND f.rowid >= ? LIMIT ?",
            (floor, CANDIDATES),
        )  # fmt: skip
    else:
        head = _newest(conn, text.match(_TITLE_BRAND), scored, "title", matches)
    if head.size < CANDIDATES:
        # The rest matched mostly in descriptions: there the description's length counts.
        if matches is not None:  # the newest matches are known: read just those
            newest = int(matches[max(0, matches.size - CANDIDATES)])
            more = _ranked_rows(conn, expr, scored, "description", "AND f.rowid >= ?", (newest,))
        else:
            more = _newest(conn, expr, scored, "description", None)
        head = np.concatenate((head, more[~np.isin(more, head)]))
    return head


def _newest(
    conn: sqlite3.Connection, expr: str, scored: bool, column: str, matches: IdArray | None
) -> IdArray:
    """The ``CANDIDATES`` newest matches of ``expr``, best first.

    FTS5 steps an AND of several words 2-4x slower downwards than upwards, so when every
    match of the query is known (``expr`` matches a subset of them), unscored candidates are
    read upwards from where twice CANDIDATES matches start: the last CANDIDATES found are
    the same rows. Otherwise, and when that range holds too few, downwards from the newest.
    """
    if matches is not None and not scored:
        start = max(0, matches.size - 2 * CANDIDATES)
        rows = _rows(
            conn, expr, scored, column, "AND f.rowid >= ? ORDER BY f.rowid", (int(matches[start]),)
        )
        if len(rows) >= CANDIDATES or start == 0:
            return _shortest_first(rows[-CANDIDATES:])
    return _ranked_rows(conn, expr, scored, column, "ORDER BY f.rowid DESC LIMIT ?", (CANDIDATES,))


def _ranked_rows(
    conn: sqlite3.Connection, expr: str, scored: bool, column: str, tail: str, args: tuple[int, ...]
) -> IdArray:
    """The matches of ``expr`` selected by ``tail``, best first: by bm25 when ``scored``,
    else shorter ``column`` first (lengths read with them: 2,000 rows cost ~1 ms)."""
    rows = _rows(conn, expr, scored, column, tail, args)
    return _by_score(rows) if scored else _shortest_first(rows)


def _rows(
    conn: sqlite3.Connection, expr: str, scored: bool, column: str, tail: str, args: tuple[int, ...]
) -> list[tuple[int, Any]]:
    score = _BM25 if scored else f"min(length(p.{column}), {MAX_LENGTH})"
    source = "product_fts AS f" + ("" if scored else " JOIN products AS p ON p.id = f.rowid")
    return conn.execute(
        f"SELECT f.rowid, {score} FROM {source} WHERE product_fts MATCH ? {tail}", (expr, *args)
    ).fetchall()


def _shortest_first(rows: Iterable[tuple[int, int]]) -> IdArray:
    """Ids of (rowid, text length) rows: shorter text first (bm25's length term), then
    newest."""
    found = np.array(list(rows), dtype=np.int64)
    if not found.size:
        return EMPTY
    ids, lengths = found[:, 0], found[:, 1]
    return ids[np.lexsort((-ids, lengths))]  # np.lexsort's last key leads


def _by_score(rows: Iterable[tuple[int, float]]) -> IdArray:
    """Ids of (rowid, bm25) rows, best (lowest) score first, ties newest first."""
    table = np.array(list(rows), dtype=np.float64)
    if not table.size:
        return EMPTY
    ids = table[:, 0].astype(np.int64)
    return ids[np.lexsort((-ids, table[:, 1]))]
