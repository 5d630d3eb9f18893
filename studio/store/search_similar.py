"""Products like a given one, for "Find similar": same category first, then brand and words.

A look's tag whose product went out of stock (or left the catalog, or a tie now forbids) is
replaced by a similar product the curator confirms. Similar means, in this order:

1. the same category: the same category row, the same Google product category, or a category
   whose last step names the same thing ("Accessories > Hats" and "Clothing > Hats": two
   merchants' trees rarely agree above the leaf). A product of an unrelated category is
   never offered, however many words its title shares (a merino throw is not a beanie);
2. within it, the same brand before another;
3. then the title words in common (Jaccard), then the closest price in the same currency.

When the product is no longer in the catalog its category is unknown: the title's words are
searched, runs of at least two words (one word alone, "merino", crosses categories), and the
candidates are kept to the category of the best match.

Only products a buyer can order are offered. The functions read; they never write.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from studio.core.catalog import SearchQuery, SearchResult
from studio.store.codes import AVAILABILITY_CODES

if TYPE_CHECKING:
    from studio.store.catalog import CatalogStore

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_ORDERABLE_NOT = (AVAILABILITY_CODES.index("out_of_stock"), AVAILABILITY_CODES.index("unavailable"))
MAX_CANDIDATES = 2000  # one category's products: plenty to rank, bounded on a huge catalog
MAX_RUNS = 12  # word searches tried for a product no longer in the catalog

_CANDIDATE_SQL = """
    SELECT p.id, p.title, b.name, p.price_minor, p.currency, c.path, p.google_category
    FROM products p LEFT JOIN brands b ON b.id = p.brand_id
    LEFT JOIN categories c ON c.id = p.category_id"""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A product's facts that similarity is judged on."""

    id: int
    title: str
    brand: str | None
    price_minor: int | None
    currency: str | None
    category: str | None  # the category path (the merchant's product type, else Google's)
    google_category: str | None


def result_ids(result: SearchResult, limit: int) -> list[int]:
    """The first ``limit`` ids of a result (a tuple or a numpy array)."""
    all_ids: Any = result.ids
    head = all_ids[:limit]
    tolist = getattr(head, "tolist", None)
    return [int(i) for i in (tolist() if tolist is not None else head)]


def words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text)}


def leaf(path: str | None) -> str | None:
    """The last step of a category path, folded: "Clothing > Hats" -> "hats"."""
    if not path:
        return None
    return path.rsplit(">", 1)[-1].strip().casefold() or None


def same_category(a: Candidate, b: Candidate) -> bool:
    """Whether ``b`` is of ``a``'s category (see the module docstring)."""
    for mine, theirs in ((a.category, b.category), (a.google_category, b.google_category)):
        if mine and theirs and mine.casefold() == theirs.casefold():
            return True
    leaves = {leaf(a.category), leaf(a.google_category)} - {None}
    return bool(leaves & ({leaf(b.category), leaf(b.google_category)} - {None}))


def rank(source: Candidate, candidates: Iterable[Candidate]) -> list[Candidate]:
    """``candidates`` of ``source``'s category, best first: brand, words, then price."""
    mine = words(source.title)
    brand = (source.brand or "").casefold()

    def key(c: Candidate) -> tuple[int, float, float, str, int]:
        theirs = words(c.title)
        jaccard = len(mine & theirs) / len(mine | theirs) if mine | theirs else 0.0
        same_brand = bool(brand) and (c.brand or "").casefold() == brand
        p, q = source.price_minor, c.price_minor
        distance = (
            abs(p - q) / max(p, q, 1)
            if p is not None and q is not None and source.currency == c.currency
            else 1.0
        )
        return (0 if same_brand else 1, -jaccard, distance, c.title.casefold(), c.id)

    return sorted((c for c in candidates if same_category(source, c)), key=key)


def _candidate(row: Sequence[object]) -> Candidate:
    pid, title, brand, price, currency, path, google = row
    return Candidate(
        int(pid),  # type: ignore[call-overload]
        str(title),
        brand if isinstance(brand, str) else None,
        price if isinstance(price, int) else None,
        currency if isinstance(currency, str) else None,
        path if isinstance(path, str) else None,
        google if isinstance(google, str) else None,
    )


def _orderable_in_category(conn: sqlite3.Connection, source: Candidate) -> list[Candidate]:
    """Orderable products that may be of ``source``'s category (``rank`` decides)."""
    leaves = {x for x in (leaf(source.category), leaf(source.google_category)) if x}
    ids = [
        r[0]
        for r in conn.execute("SELECT id, path FROM categories").fetchall()
        if leaf(r[1]) in leaves
    ]
    marks = ", ".join("?" * len(ids)) or "NULL"
    rows = conn.execute(
        f"{_CANDIDATE_SQL} WHERE p.availability NOT IN (?, ?) AND p.id != ? AND "
        f"(p.category_id IN ({marks}) OR lower(p.google_category) = lower(?)) LIMIT ?",
        (*_ORDERABLE_NOT, source.id, *ids, source.google_category or "", MAX_CANDIDATES),
    ).fetchall()
    return [_candidate(r) for r in rows]


def _by_words(store: CatalogStore, title: str, exclude: int | None) -> list[Candidate]:
    """A product no longer in the catalog: candidates from runs of its title words, kept to
    the category of the best match (see the module docstring)."""
    found = _WORD.findall(title)[:6]
    shortest = 1 if len(found) == 1 else 2
    runs = [
        found[i : i + n]
        for n in range(len(found), shortest - 1, -1)
        for i in range(len(found) - n + 1)
    ]
    for run in runs[:MAX_RUNS]:
        result = store.search(SearchQuery(text=" ".join(run), limit=50))
        ids = [i for i in result_ids(result, 50) if i != exclude]
        if not ids:
            continue
        with store.db.catalog_db.connect() as conn:
            marks = ", ".join("?" * len(ids))
            rows = conn.execute(
                f"{_CANDIDATE_SQL} WHERE p.id IN ({marks}) AND p.availability NOT IN (?, ?)",
                (*ids, *_ORDERABLE_NOT),
            ).fetchall()
        by_id = {c.id: c for c in map(_candidate, rows)}
        ordered = [by_id[i] for i in ids if i in by_id]
        if ordered:
            best = ordered[0]
            source = Candidate(-1, title, None, None, None, best.category, best.google_category)
            return rank(source, ordered)
    return []


def similar_products(
    store: CatalogStore,
    product_id: int | None,
    title: str,
    *,
    limit: int = 20,
) -> list[int]:
    """Ids of orderable products like ``product_id`` (or, when it is no longer in the
    catalog, like a product titled ``title``), best first; see the module docstring."""
    source = None
    if product_id is not None:
        with store.db.catalog_db.connect() as conn:
            row = conn.execute(f"{_CANDIDATE_SQL} WHERE p.id = ?", (product_id,)).fetchone()
            if row is not None:
                source = _candidate(row)
                if source.category or source.google_category:
                    return [c.id for c in rank(source, _orderable_in_category(conn, source))][
                        :limit
                    ]
    return [c.id for c in _by_words(store, source.title if source else title, product_id)][:limit]
