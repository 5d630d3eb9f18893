"""The product pickers' search: a pasted product link, the merchant's name, in stock first.

The editors' pickers (look, shop, review, board) search the catalog as the browser does
(``CatalogStore.search``, ranked full text), with three things a curator picking a product
needs and the browser's grid does not:

- **a product link**: a merchant's product page address, pasted or typed, finds the product
  whose landing link (``products.link``) it is. Links are compared normalised: scheme and
  ``www.`` ignored, host lower-cased, the trailing slash, the fragment and tracking
  parameters (``utm_*``, ``gclid``, ``fbclid``...) dropped, the other parameters sorted.
  The lookup is a range of the ``ix_products_link`` index per scheme and host spelling
  (catalog revision c0002), never a scan;
- **the merchant's name**: the FTS index holds titles, brands, categories and descriptions,
  not merchants (adding them would re-index every product). A word that begins a word of a
  merchant's name ("atelier", "nordlys") adds that merchant's products, narrowed by the
  query's other words when there are some ("atelier dress"): a merchant filter on the
  search, as the browser's facet does;
- **in stock first**: the products a buyer can order now come before the others, each group
  in the search's own order.

``pick_search`` is one worker call; it reads, never writes.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from studio.core.catalog import SearchQuery, SearchResult
from studio.store.codes import AVAILABILITY_CODES

if TYPE_CHECKING:
    from studio.store.catalog import CatalogStore

_NOT_ORDERABLE = (AVAILABILITY_CODES.index("out_of_stock"), AVAILABILITY_CODES.index("unavailable"))
_TRACKING = re.compile(r"^(utm_.*|gclid|fbclid|msclkid|mc_cid|mc_eid|_ga|ref|ref_src)$", re.I)
_LINK = re.compile(r"^(https?://|www\.)\S+$", re.I)
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
MIN_MERCHANT_PREFIX = 3  # "at" would name half the merchants
_CHUNK = 500


def looks_like_link(text: str) -> bool:
    return bool(_LINK.match(text.strip()))


def _parts(url: str) -> tuple[str, str, str] | None:
    """(host without www., path without trailing slash, kept query) of ``url``."""
    text = url.strip()
    if text.lower().startswith("www."):
        text = "https://" + text
    try:
        split = urlsplit(text)
    except ValueError:
        return None
    if split.scheme.lower() not in ("http", "https") or not split.hostname:
        return None
    host = split.hostname.lower().removeprefix("www.")
    if split.port is not None:
        host = f"{host}:{split.port}"
    path = split.path.rstrip("/")
    kept = sorted((k, v) for k, v in parse_qsl(split.query, keep_blank_values=True))
    query = urlencode([(k, v) for k, v in kept if not _TRACKING.match(k)])
    return host, path, query


def normalise_link(url: str) -> str | None:
    """The form two links of one product page share (see the module docstring); None for
    what is not an http(s) link."""
    parts = _parts(url)
    if parts is None:
        return None
    host, path, query = parts
    return f"{host}{path}" + (f"?{query}" if query else "")


def by_link(conn: sqlite3.Connection, url: str) -> list[int]:
    """Ids of the products whose landing link is ``url`` (normalised), oldest first."""
    parts = _parts(url)
    wanted = normalise_link(url)
    if parts is None or wanted is None:
        return []
    host, path, _query = parts
    found: set[int] = set()
    for scheme in ("https", "http"):
        for spelling in (host, f"www.{host}"):
            start = f"{scheme}://{spelling}{path}"
            # Every stored link beginning with it: the range of the index, a probe.
            rows = conn.execute(
                "SELECT id, link FROM products WHERE link >= ? AND link < ?",
                (start, start + "\U0010ffff"),
            ).fetchall()
            found.update(int(pid) for pid, link in rows if normalise_link(link) == wanted)
    return sorted(found)


def _merchants(conn: sqlite3.Connection) -> list[str]:
    return [str(r[0]) for r in conn.execute("SELECT name FROM merchants ORDER BY name")]


def merchant_matches(names: Iterable[str], text: str) -> dict[str, list[str]]:
    """Each merchant some word of ``text`` names (the word begins a word of its name), with
    the words left once those are taken out."""
    tokens = [t.casefold() for t in _TOKEN.findall(text)]
    out: dict[str, list[str]] = {}
    for name in names:
        words = [w.casefold() for w in _TOKEN.findall(name)]
        naming = {
            t
            for t in tokens
            if len(t) >= MIN_MERCHANT_PREFIX and any(w.startswith(t) for w in words)
        }
        if naming:
            out[name] = [t for t in tokens if t not in naming]
    return out


def orderable_first(conn: sqlite3.Connection, ids: list[int]) -> list[int]:
    """``ids`` with the products a buyer can order now first, each group in its order."""
    unorderable: set[int] = set()
    marks = ", ".join("?" * len(_NOT_ORDERABLE))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        rows = conn.execute(
            f"SELECT id FROM products WHERE id IN ({', '.join('?' * len(chunk))}) "
            f"AND availability IN ({marks})",
            (*chunk, *_NOT_ORDERABLE),
        )
        unorderable.update(int(r[0]) for r in rows)
    return [i for i in ids if i not in unorderable] + [i for i in ids if i in unorderable]


def _ids(result: SearchResult, limit: int) -> list[int]:
    ids: Any = result.ids
    head = ids[:limit]
    tolist = getattr(head, "tolist", None)
    return [int(i) for i in (tolist() if tolist is not None else head)]


def pick_search(store: CatalogStore, text: str, limit: int) -> SearchResult:
    """What a picker shows for ``text`` (see the module docstring): at most ``limit`` ids,
    in stock first; ``total`` counts every product found (the link's, the text's and the
    named merchants'), as far as the searches count them."""
    text = text.strip()
    with store.db.catalog_db.connect() as conn:
        if looks_like_link(text):
            ids = by_link(conn, text)[:limit]
            return SearchResult(tuple(orderable_first(conn, ids)), len(ids), 0.0)
        first = store.search(SearchQuery(text=text, limit=limit))
        if not text:
            return SearchResult(
                tuple(orderable_first(conn, _ids(first, limit))), first.total, first.took_ms
            )
        ids, total, took = _ids(first, limit), first.total, first.took_ms
        seen = set(ids)
        # One search per set of leftover words, over every merchant they leave (a word in
        # many merchants' names must not cost a search per merchant).
        groups: dict[tuple[str, ...], set[str]] = {}
        for merchant, leftover in merchant_matches(_merchants(conn), text).items():
            groups.setdefault(tuple(leftover), set()).add(merchant)
        for words, merchants in groups.items():
            more = store.search(
                SearchQuery(text=" ".join(words), merchants=frozenset(merchants), limit=limit)
            )
            took += more.took_ms
            got = _ids(more, limit)
            added = [i for i in got if i not in seen]
            # Counted once: what the text search found of these merchants' is in its total.
            total += more.total - (len(got) - len(added))
            seen.update(added)
            ids.extend(added)
        ids = ids[:limit]
        return SearchResult(tuple(orderable_first(conn, ids)), total, took)
