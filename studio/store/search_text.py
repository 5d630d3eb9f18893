"""The full-text half of search: safe FTS5 expressions, match counts and bounded ranking.

**Safe queries.** User text never reaches FTS5 syntax: it is split into word tokens with a
Unicode-aware regex, FTS5 operators are dropped, each token becomes a quoted FTS5 string
(doubled quotes) and the tokens are ANDed. A token is further split wherever FTS5's own
tokenizer would split it (its Unicode tables are older than Python's: a letter Python knows and
unicode61 does not separates), because a quoted string of two index tokens is a phrase, which
the index (``detail=column``) refuses. The last token is a prefix unless the text ends with a
space, so results follow the user's typing; a one-letter last token is matched whole (a
one-letter prefix would read most of the index).

**Prefixes.** A 3-letter prefix uses the index's prefix entries (``prefix='3'``). A 2-letter
one is spelled out as the exact term OR the 3-letter prefixes that exist in the index
(``("sh" OR "shi"* OR "sho"*)``, found by probing each letter and digit), which FTS5 merges
lazily. A longer prefix ("shirt"*) makes FTS5 materialise the merged doclist of every
expansion before the first row, even under LIMIT (11 ms for "shirt"* at 1M); so a plain ASCII
prefix is expanded instead, through an ``fts5vocab`` table, into ``("shirt" OR "shirts")``.
Prefixes that do not fold to ASCII keep FTS5's own prefix query. Expansions depend only on
the index, so the engine caches them until the next import.

**Counting.** ``count()`` is exact. ``estimate()`` (the "top N" path only) counts matches in
1/16 of the ids, as 16 thin rowid slices spread over the catalog (FTS5 seeks rowid ranges;
fewer, wider slices for an OR of many expansions, whose every query costs more to start), and
extrapolates, from
the first quarter of each slice alone when that already holds ``PRECISE_HITS`` matches; when
it predicts fewer than ``EXACT_BELOW`` matches it counts exactly instead. An estimate is
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

import json
import re
import sqlite3
import threading
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
MIN_SLICES = 4
SAMPLE_FRACTION = 1 / 16  # of the ids, in all slices together
PRECISE_HITS = 10_000  # sampled matches enough for a ~1% estimate (binomial error)
MAX_TOKENS = 16
MAX_TOKEN_CHARS = 64
MAX_EXPANSIONS = 32
# Third letters probed for a 2-letter prefix: ASCII letters and digits, and the Latin letters
# that remove_diacritics leaves as they are (so "ma" still finds "maße").
_THIRD_LETTERS = tuple("abcdefghijklmnopqrstuvwxyz0123456789ßæøœðþłđħıŋĳ")

_WORD = re.compile(r"[^\W_]+")  # letters and digits of any script; '_' separates like FTS5
_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})
_BM25 = f"bm25(product_fts, {', '.join(map(str, WEIGHTS))})"
_TITLE_BRAND = ("title", "brand")
_TOKENIZE = "unicode61 remove_diacritics 2"  # as the index's (migration 0002)
_VOCAB = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.product_vocab "
    "USING fts5vocab(main, 'product_fts', 'row')"
)
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
            # A 2-letter prefix's expansions are 3-letter prefixes, marked with a '*'.
            parts[-1] = (
                "("
                + " OR ".join(
                    _quote(t[:-1]) + "*" if t.endswith("*") else _quote(t) for t in self.expansions
                )
                + ")"
            )
        elif self.prefix:
            parts[-1] += "*"
        expr = " AND ".join(parts)
        return f"{{{' '.join(columns)}}} : ({expr})" if columns else expr

    @property
    def phrases(self) -> int:
        """How many phrases ``match()`` holds (an expanded prefix is one per expansion)."""
        return len(self.tokens) - 1 + (len(self.expansions) if self.expansions else 1)

    @property
    def type_ahead(self) -> bool:
        return self.prefix and len(self.tokens[-1]) <= SHORT_PREFIX

    @property
    def needs_expansion(self) -> bool:
        # Only a 3-letter prefix has entries of its own in the index.
        return self.prefix and len(self.tokens[-1]) != SHORT_PREFIX and self.expansions is None


def parse_text(text: str) -> TextQuery | None:
    """Tokens of ``text`` ready for FTS5, or None when it holds no word at all."""
    tokens = [
        t[:MAX_TOKEN_CHARS]
        for word in _WORD.findall(text)
        if word not in _OPERATORS
        for t in fts_tokens(word)
    ]
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
    """Index terms starting with ``prefix`` (for 2 letters: the term itself and the 3-letter
    prefixes found, marked ``*``); None when FTS5's prefix query must be used."""
    folded = fold(prefix)
    if folded is None:
        return None
    if len(folded) == 2:
        found = conn.execute(
            "SELECT value FROM json_each(?) WHERE EXISTS (SELECT 1 FROM product_fts "
            "WHERE product_fts MATCH '\"' || value || '\"*')",
            (json.dumps([folded + c for c in _THIRD_LETTERS]),),
        ).fetchall()
        return (folded, *(r[0] + "*" for r in found))
    conn.execute(_VOCAB)
    upper = folded[:-1] + chr(ord(folded[-1]) + 1)
    rows = conn.execute(
        "SELECT term FROM temp.product_vocab WHERE term >= ? AND term < ? LIMIT ?",
        (folded, upper, MAX_EXPANSIONS + 1),
    ).fetchall()
    if not rows or len(rows) > MAX_EXPANSIONS:
        return None  # nothing (then "x"* matches nothing too) or too many to spell out
    return tuple(r[0] for r in rows)


class _Tokenizer:
    """Which characters FTS5's unicode61 tokenizer keeps inside a token, asked of FTS5 itself
    (once per character, in a private in-memory index) for characters outside ASCII."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._kept: dict[str, bool] = {}

    def keeps(self, char: str) -> bool:
        with self._lock:
            kept = self._kept.get(char)
            if kept is None:
                conn = self._connection()
                conn.execute("DELETE FROM t")
                conn.execute("INSERT INTO t VALUES (?)", (f"a{char}b",))
                kept = conn.execute("SELECT count(*) FROM v").fetchone()[0] == 1  # "a?b"
                if len(self._kept) < 100_000:
                    self._kept[char] = kept
            return kept

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = sqlite3.connect(":memory:", check_same_thread=False)
            self._conn.execute(f"CREATE VIRTUAL TABLE t USING fts5(x, tokenize='{_TOKENIZE}')")
            self._conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'row')")
        return self._conn


_TOKENIZER = _Tokenizer()


def fts_tokens(word: str) -> list[str]:
    """``word`` (letters and digits) split where FTS5's tokenizer would split it."""
    if word.isascii():
        return [word]
    parts, current = [], []
    for char in word:
        if char.isascii() or _TOKENIZER.keeps(char):
            current.append(char)
        elif current:
            parts.append("".join(current))
            current = []
    if current:
        parts.append("".join(current))
    return parts


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


def estimate(conn: sqlite3.Connection, text: TextQuery, ids: IdArray) -> tuple[int, bool]:
    """(number of matches, exact?) — see the module docstring."""
    expr = text.match()
    n = int(ids.size)
    # Each slice's query seeks every phrase in every index segment first (~0.1 ms a phrase at
    # 1M): an OR of many phrases samples fewer, wider slices, the same share of the ids.
    slices = max(MIN_SLICES, SAMPLE_SLICES // text.phrases)
    step = n // slices
    width = int(n * SAMPLE_FRACTION) // slices
    if width < 50:
        return count(conn, expr), True
    sql = "SELECT count(*) FROM product_fts WHERE product_fts MATCH ? AND rowid >= ? AND rowid <= ?"

    def sample(start: int, stop: int) -> int:  # matches in [start, stop) of every slice
        return sum(
            int(
                conn.execute(
                    sql, (expr, int(ids[k * step + start]), int(ids[k * step + stop - 1]))
                ).fetchone()[0]
            )
            for k in range(slices)
        )

    # A dense match (a 2-letter prefix: most of the catalog) reads most of each slice: a
    # quarter of the width holds enough hits for a precise estimate, at a quarter of the cost.
    # A sparse one is counted exactly as soon as the quarter says it is below the bar.
    sampled = width // 4
    hits = sample(0, sampled)
    if hits < PRECISE_HITS and hits * n < sampled * slices * EXACT_BELOW:
        return count(conn, expr), True
    if hits < PRECISE_HITS:
        hits += sample(sampled, width)
        sampled = width
    guess = round(hits * n / (sampled * slices))
    if guess < EXACT_BELOW:
        return count(conn, expr), True
    return guess, False


def ranked_head(conn: sqlite3.Connection, text: TextQuery, total: int, cols: Columns) -> IdArray:
    """The best matches in display order (all of them when ``total <= RANK_ALL``)."""
    expr = text.match()
    if total <= RANK_ALL and not (text.type_ahead and len(text.tokens) > 1):
        rows = conn.execute(
            f"SELECT rowid, {_BM25} FROM product_fts WHERE product_fts MATCH ?", (expr,)
        ).fetchall()
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


def _candidates(
    conn: sqlite3.Connection, expr: str, scored: bool, floor: int | None, lengths: Array
) -> IdArray:
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
        return _by_score(
            conn.execute(
                f"SELECT rowid, {_BM25} FROM product_fts WHERE {where} {tail}", args
            ).fetchall()
        )
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
