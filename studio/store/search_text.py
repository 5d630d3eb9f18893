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

**The probe.** Every ranked query starts with ``first_matches``: the first ``RANK_ALL + 1``
matches, read upwards. It costs about what FTS5's own ranked query costs for a rare or a
nonsense word (which end there: the probe found every match) and stops after RANK_ALL + 1
rows for a common one. How far it had to read tells the density of matches: below
``EXACT_BELOW`` matches predicted, the rest are read too (``matches_after``: about what
counting them costs, and then every match is known); above, their number is estimated,
except for one word predicted under ``COUNT_BELOW`` (per phrase), which is counted: stepping
its matches costs less than the slices' seeks.

**Counting.** ``estimate()`` counts matches in thin rowid slices spread over the catalog
(FTS5 seeks rowid ranges; fewer, wider slices for an OR of many expansions, whose every query
costs more to start), as wide as the probe's density says ``PRECISE_HITS`` matches need and
at most 1/16 of the ids, and extrapolates; when that predicts fewer than ``EXACT_BELOW``
matches it counts exactly instead. An estimate is flagged with ``SearchResult.exact = False``.

Ranking the matches is ``studio.store.search_rank``'s.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
import threading
import unicodedata
from dataclasses import dataclass

import numpy as np

from studio.store.search_ids import IdArray

RANK_ALL = 2_000
SHORT_PREFIX = 3
EXACT_BELOW = 50_000
# One word is counted exactly below this many predicted matches (divided by its phrases: an
# OR of prefixes merges as it counts): a count steps ~35 ns a match of one phrase, 45-75 ns of
# an OR, while the estimate's slices each seek the word in every index segment again, 1-9 ms
# in all whatever the number. On 1M products: 'tea*' (90k matches) count 3.1 ms, estimate
# 8.5; 'sne*' (86k) 3.7 against 12.6; 'bu' (62k, 2 phrases) 2.4 against 3.3; 'bla*' (92k) 3.4
# against 1.3; 'shirt' (370k) 24 against 1.3.
COUNT_BELOW = 150_000
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
    return parse_ids(row[0] if row else None)


def parse_ids(text: str | None) -> IdArray:
    """Ids from a ``group_concat`` of them (None: none), int32 when they fit (half the
    memory of the grid's results and of the match arrays the engine keeps)."""
    if not text:
        return EMPTY
    ids = np.fromstring(text, dtype=np.int64, sep=",")
    return ids.astype(np.int32) if ids.size and int(ids.max()) < 2**31 else ids


def first_matches(conn: sqlite3.Connection, expr: str, n: int) -> IdArray:
    """The ``n`` first matches (smallest rowids), ascending: the probe every ranked query
    starts with. It costs what FTS5's own ranked query costs for a rare word, stops after
    ``n`` rows for a common one, and scans upwards: an AND of several words costs FTS5 up to
    7x more downwards."""
    row = conn.execute(
        "SELECT group_concat(rowid) FROM (SELECT rowid FROM product_fts "
        "WHERE product_fts MATCH ? LIMIT ?)",
        (expr, n),
    ).fetchone()
    return parse_ids(row[0] if row else None)


def matches_after(conn: sqlite3.Connection, expr: str, after: int) -> IdArray:
    """Every match with a rowid above ``after``, ascending (the rest, after a probe)."""
    row = conn.execute(
        "SELECT group_concat(rowid) FROM product_fts WHERE product_fts MATCH ? AND rowid > ?",
        (expr, after),
    ).fetchone()
    return parse_ids(row[0] if row else None)


def count(conn: sqlite3.Connection, expr: str) -> int:
    row = conn.execute("SELECT count(*) FROM product_fts WHERE product_fts MATCH ?", (expr,))
    return int(row.fetchone()[0])


def count_products(conn: sqlite3.Connection) -> int:
    """Every product, counted over the smallest index; the scan fills the connection's page
    cache with index pages no search reads (6 MB per worker thread): handed back at once."""
    total = int(conn.execute("SELECT count(*) FROM products").fetchone()[0])
    conn.execute("PRAGMA shrink_memory")
    return total


@dataclass(frozen=True, slots=True)
class Span:
    """The smallest and the largest product id (``hi < lo`` when there is none)."""

    lo: int
    hi: int

    @property
    def width(self) -> int:
        return max(0, self.hi - self.lo + 1)


def id_span(conn: sqlite3.Connection) -> Span:
    """Two index seeks: min() and max() in one SELECT would scan the whole table."""
    lo = conn.execute("SELECT min(id) FROM products").fetchone()[0]
    hi = conn.execute("SELECT max(id) FROM products").fetchone()[0]
    return Span(0, -1) if lo is None else Span(int(lo), int(hi))


def few_enough(first: IdArray, span: Span) -> bool:
    """Whether the probe ``first_matches(..., RANK_ALL + 1)`` says the query has fewer than
    EXACT_BELOW matches: then they are all read (about what counting them costs), else
    their number is estimated."""
    return _density(first, span) * span.width < EXACT_BELOW


def count_cheaper(text: TextQuery, first: IdArray, span: Span) -> bool:
    """Whether counting every match of one-word ``text`` is cheap enough to do instead of
    estimating: fewer than COUNT_BELOW / phrases predicted by the probe ``first``. (Several
    words are an AND, which FTS5 steps far slower: they keep EXACT_BELOW.)"""
    predicted = _density(first, span) * span.width
    return len(text.tokens) == 1 and predicted * text.phrases < COUNT_BELOW


def _density(first: IdArray, span: Span) -> float:
    """Matches per id among the first ids, from how far the probe had to read."""
    return first.size / max(1, int(first[-1]) - span.lo + 1)


def estimate(
    conn: sqlite3.Connection, text: TextQuery, span: Span, first: IdArray
) -> tuple[int, bool]:
    """(number of matches, exact?) from thin rowid slices spread over the catalog, as wide
    as the density the probe ``first`` met says is needed for ``PRECISE_HITS``."""
    expr = text.match()
    density = _density(first, span)
    n = span.width
    # Each slice's query seeks every phrase in every index segment first (~0.1 ms a phrase at
    # 1M): an OR of many phrases samples fewer, wider slices, the same share of the ids.
    slices = max(MIN_SLICES, SAMPLE_SLICES // text.phrases)
    step = n // slices
    widest = int(n * SAMPLE_FRACTION) // slices
    width = min(widest, math.ceil(PRECISE_HITS / max(density, 1e-9) / slices))
    if width < 50:
        return count(conn, expr), True
    sql = "SELECT count(*) FROM product_fts WHERE product_fts MATCH ? AND rowid >= ? AND rowid <= ?"

    def sample(start: int, stop: int) -> int:  # matches in [start, stop) of every slice
        first = span.lo
        return sum(
            int(
                conn.execute(
                    sql, (expr, first + k * step + start, first + k * step + stop - 1)
                ).fetchone()[0]
            )
            for k in range(slices)
        )

    hits = sample(0, width)
    if hits < PRECISE_HITS // 2 and width < widest:
        # Sparser over the catalog than among the newest ids: widen to the whole share.
        hits += sample(width, widest)
        width = widest
    guess = round(hits * n / (width * slices))
    if guess < EXACT_BELOW:
        return count(conn, expr), True
    return guess, False
