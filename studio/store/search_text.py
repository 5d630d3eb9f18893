"""The full-text half of search: safe FTS5 expressions, match counts and bounded ranking.

**Safe queries.** User text never reaches FTS5 syntax: it is split into word tokens with a
Unicode-aware regex, FTS5 operators are dropped, each token becomes a quoted FTS5 string
(doubled quotes) and the tokens are ANDed. The last token is a prefix unless the text ends with
a space, so results follow the user's typing; a one-letter last token is matched whole (a
one-letter prefix would read most of the index).

**Prefixes.** 2-3 letter prefixes use the index's prefix entries (``prefix='2 3'``). A longer
prefix ("shirt"*) makes FTS5 materialise the merged doclist of every expansion before the first
row, even under LIMIT (11 ms for "shirt"* at 1M); so a plain ASCII prefix is expanded instead,
through an ``fts5vocab`` table, into ``("shirt" OR "shirts")``, which FTS5 merges lazily. The
expansions depend only on the index, so the engine caches them until the next import.

**Counting.** ``count()`` is exact. ``estimate()`` (the "top N" path only) counts matches in
16 thin rowid slices spread over the catalog (FTS5 seeks rowid ranges) and extrapolates; when
that predicts fewer than ``EXACT_BELOW`` matches it counts exactly instead. An estimate is
flagged with ``SearchResult.exact = False``.

**Bounded ranking.** bm25 costs ~0.6 µs per scored row plus one pass over each phrase's whole
doclist (its IDF), 180 ms for "shirt" over 1M products. So: up to ``RANK_ALL`` matches, every
one is ranked by bm25 (title 10, brand 5, category 3, description 1); for one token up to
``SCORED_BELOW``, the ``CANDIDATES`` newest matches whose title or brand hold it are ranked by
bm25, then the newest matches elsewhere; beyond that, for several tokens (the IDF pass reads the
doclist of each, however common) and for 2-3 letter type-ahead, bm25 would blow the budget, and
the same candidate tiers are ordered by shorter text first (bm25's length normalisation on the
column that dominates: the title for title/brand matches, else the description), newest first.
Past ``SCAN_MATCHES`` matches the title/brand scan is bounded to the newest ids holding about
that many matches, so a term found mostly in descriptions does not read its whole doclist to
find few title matches; it reads upwards from that bound, and the first ``CANDIDATES`` found
there are the candidates. Measured against full bm25 at 1M: the top 100 of "shirt" (title
matches) score 98% of the true top 100; of "everyday" (descriptions only, where term
frequency, unknown here, dominates) about 65%.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import dataclass

import numpy as np

from studio.store.columns import Array, Columns, IdArray

WEIGHTS = (10.0, 5.0, 3.0, 1.0)  # bm25 column weights: title, brand, category, description
RANK_ALL = 2_000
SCORED_BELOW = 50_000
CANDIDATES = 2_000
SCAN_MATCHES = 60_000
SHORT_PREFIX = 3
EXACT_BELOW = 50_000
SAMPLE_SLICES = 16
SAMPLE_FRACTION = 1 / 16  # of each slice's stretch of ids
MAX_TOKENS = 16
MAX_TOKEN_CHARS = 64
MAX_EXPANSIONS = 32

_WORD = re.compile(r"[^\W_]+")  # letters and digits of any script; '_' separates like FTS5
_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})
_BM25 = f"bm25(product_fts, {', '.join(map(str, WEIGHTS))})"
_TITLE_BRAND = ("title", "brand")
_VOCAB = ("CREATE VIRTUAL TABLE IF NOT EXISTS temp.product_vocab "
          "USING fts5vocab(main, 'product_fts', 'row')")
EMPTY: IdArray = np.zeros(0, dtype=np.int64)
EMPTY.setflags(write=False)


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


@dataclass(frozen=True, slots=True)
class TextQuery:
    """Tokens of the user's text; whether the last is a prefix; its expansions if known."""

    tokens: tuple[str, ...]
    prefix: bool
    expansions: tuple[str, ...] | None = None

    def match(self, columns: tuple[str, ...] = ()) -> str:
        """The FTS5 MATCH expression: quoted tokens ANDed, optionally limited to columns."""
        parts = [_quote(t) for t in self.tokens]
        if self.prefix and self.expansions:
            parts[-1] = "(" + " OR ".join(map(_quote, self.expansions)) + ")"
        elif self.prefix:
            parts[-1] += "*"
        expr = " AND ".join(parts)
        return f"{{{' '.join(columns)}}} : ({expr})" if columns else expr

    @property
    def type_ahead(self) -> bool:
        return self.prefix and len(self.tokens[-1]) <= SHORT_PREFIX

    @property
    def needs_expansion(self) -> bool:
        return self.prefix and not self.type_ahead and self.expansions is None


def parse_text(text: str) -> TextQuery | None:
    """Tokens of ``text`` ready for FTS5, or None when it holds no word at all."""
    tokens = [t[:MAX_TOKEN_CHARS] for t in _WORD.findall(text) if t not in _OPERATORS]
    if not tokens:
        return None
    tokens = tokens[:MAX_TOKENS]
    prefix = len(tokens[-1]) >= 2 and not text[-1:].isspace()
    return TextQuery(tuple(tokens), prefix)


def fold(token: str) -> str | None:
    """``token`` as unicode61 with remove_diacritics stores it, when that is certain (ASCII
    after folding); None otherwise (the caller keeps FTS5's own prefix query)."""
    decomposed = unicodedata.normalize("NFD", token.lower())
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return folded if folded.isascii() and folded.isalnum() else None


def expand(conn: sqlite3.Connection, prefix: str) -> tuple[str, ...] | None:
    """Index terms starting with ``prefix``; None when FTS5's prefix query must be used."""
    folded = fold(prefix)
    if folded is None:
        return None
    conn.execute(_VOCAB)
    upper = folded[:-1] + chr(ord(folded[-1]) + 1)
    rows = conn.execute("SELECT term FROM temp.product_vocab WHERE term >= ? AND term < ? "
                        "LIMIT ?", (folded, upper, MAX_EXPANSIONS + 1)).fetchall()
    if not rows or len(rows) > MAX_EXPANSIONS:
        return None  # nothing (then "x"* matches nothing too) or too many to spell out
    return tuple(r[0] for r in rows)


def fetch_ids(conn: sqlite3.Connection, expr: str) -> IdArray:
    """Every matching rowid, ascending (group_concat and one numpy parse: 4x np.fromiter)."""
    row = conn.execute(
        "SELECT group_concat(rowid) FROM product_fts WHERE product_fts MATCH ?", (expr,)
    ).fetchone()
    text = row[0] if row else None
    return np.fromstring(text, dtype=np.int64, sep=",") if text else EMPTY


def count(conn: sqlite3.Connection, expr: str) -> int:
    row = conn.execute("SELECT count(*) FROM product_fts WHERE product_fts MATCH ?", (expr,))
    return int(row.fetchone()[0])


def estimate(conn: sqlite3.Connection, expr: str, ids: IdArray) -> tuple[int, bool]:
    """(number of matches, exact?) — see the module docstring."""
    n = int(ids.size)
    step = n // SAMPLE_SLICES
    width = int(step * SAMPLE_FRACTION)
    if width < 50:
        return count(conn, expr), True
    hits = 0
    sql = ("SELECT count(*) FROM product_fts WHERE product_fts MATCH ? "
           "AND rowid >= ? AND rowid <= ?")
    for k in range(SAMPLE_SLICES):
        lo = k * step
        row = conn.execute(sql, (expr, int(ids[lo]), int(ids[lo + width - 1]))).fetchone()
        hits += int(row[0])
    guess = round(hits * n / (width * SAMPLE_SLICES))
    if guess < EXACT_BELOW:
        return count(conn, expr), True
    return guess, False


def ranked_head(conn: sqlite3.Connection, text: TextQuery, total: int,
                cols: Columns) -> IdArray:
    """The best matches in display order (all of them when ``total <= RANK_ALL``)."""
    expr = text.match()
    if total <= RANK_ALL and not (text.type_ahead and len(text.tokens) > 1):
        rows = conn.execute(f"SELECT rowid, {_BM25} FROM product_fts "
                            "WHERE product_fts MATCH ?", (expr,)).fetchall()
        return _by_score(rows)
    # bm25's IDF pass reads each phrase's whole doclist: with one token that is ``total``
    # rows; with several, a common one ("navy shirt") would cost ~10 ms alone.
    scored = total <= SCORED_BELOW and not text.type_ahead and len(text.tokens) == 1
    floor = None
    if total > SCAN_MATCHES and cols.ids.size:
        # Bound the title/brand scan to the newest ids holding about SCAN_MATCHES matches.
        floor = int(cols.ids[-max(1, cols.ids.size * SCAN_MATCHES // total)])
    head = _candidates(conn, text.match(_TITLE_BRAND), scored, floor, cols.title_length)
    if head.size < CANDIDATES:
        # The rest matched mostly in descriptions: there the description's length counts.
        more = _candidates(conn, expr, scored, None, cols.description_length)
        head = np.concatenate((head, more[~np.isin(more, head)]))
    return head


def _candidates(conn: sqlite3.Connection, expr: str, scored: bool, floor: int | None,
                lengths: Array) -> IdArray:
    """Up to ``CANDIDATES`` matches of ``expr``, best first: the first ones from ``floor`` up
    when given (FTS5 honours a rowid lower bound only when scanning upwards: downwards it
    reads the whole doclist when few rows match), else the newest ones."""
    where = "product_fts MATCH ?"
    args: tuple[object, ...]
    if floor is None:
        tail, args = "ORDER BY rowid DESC LIMIT ?", (expr, CANDIDATES)
    else:
        tail, args = "AND rowid >= ? LIMIT ?", (expr, floor, CANDIDATES)
    if scored:
        return _by_score(conn.execute(
            f"SELECT rowid, {_BM25} FROM product_fts WHERE {where} {tail}", args).fetchall())
    rows = conn.execute(f"SELECT rowid FROM product_fts WHERE {where} {tail}", args).fetchall()
    if not rows:
        return EMPTY
    found = np.array([r[0] for r in rows], dtype=np.int64)
    known = found[found < lengths.size]
    # Shorter text first (bm25's length term), then newest; np.lexsort's last key leads.
    order = known[np.lexsort((-known, lengths[known]))]
    return np.concatenate((order, found[found >= lengths.size]))


def _by_score(rows: list[tuple[int, float]]) -> IdArray:
    """Ids of (rowid, bm25) rows, best (lowest) score first, ties newest first."""
    if not rows:
        return EMPTY
    table = np.array(rows, dtype=np.float64)
    ids = table[:, 0].astype(np.int64)
    return ids[np.lexsort((-ids, table[:, 1]))]
