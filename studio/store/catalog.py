"""The catalog facade the UI and the CLI use: import, search, facets, cards and detail.

``CatalogStore`` is the one object a composition root builds over an open ``Database``. It
delegates imports to ``studio.store.importer`` and refreshes the search engine's in-memory
columns afterwards; reads go to ``studio.store.search`` and ``studio.store.products``.
Every method may be called from any thread: each uses the calling thread's own connection,
and the shared in-memory columns are immutable snapshots. Nothing here imports Qt.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from studio.core.catalog import (
    Facets,
    ImportReport,
    ProductCard,
    ProductDetail,
    SearchQuery,
    SearchResult,
)
from studio.core.product import ProductRecord, RejectedRow
from studio.store import products
from studio.store.db import Database
from studio.store.search import SearchEngine
from studio.store.search_text import count_products
from studio.store.variants import GroupedIds
from studio.store.write_errors import room_errors

if TYPE_CHECKING:
    from studio.protocol.catalog_wire import ChangesPage
    from studio.store.platform_apply import PageReport


class CatalogStore:
    """Import, search and read the merchant catalog of one store."""

    def __init__(self, db: Database) -> None:
        # The workspace's Database: reads see the catalog through its read-only attachment;
        # imports write the catalog's own file (``db.catalog_db``), so edits never wait.
        self.db = db
        # The catalog's own file for everything here: the search index (and its fts5vocab
        # table) is found in ``main`` there, and a read-only file needs no attachment.
        self._catalog = db.catalog_db
        self._engine = SearchEngine(self._catalog)

    def import_feed(
        self,
        merchant: str,
        format_name: str,
        items: Iterable[ProductRecord | RejectedRow],
        *,
        full: bool = True,
        progress: Callable[[int], bool] | None = None,
    ) -> ImportReport:
        """Store a parsed feed in one transaction (see ``studio.store.importer``)."""
        from studio.store.importer import import_feed

        try:
            # A full disk: a DiskFullError naming the catalog file's folder, nothing stored.
            with room_errors(self._catalog.path):
                return import_feed(
                    self.db, merchant, format_name, items, full=full, progress=progress
                )
        finally:
            # Also after a failure: cheap, and never leaves a stale snapshot behind.
            self.invalidate()

    def apply_platform_page(self, server: str, after: int, page: ChangesPage) -> PageReport:
        """Apply one page of the platform's changes with its cursor, in one transaction
        (``studio.store.platform_apply``); StaleCursor when the store is not at ``after``."""
        from studio.store.platform_apply import apply_page

        try:
            with room_errors(self._catalog.path):
                return apply_page(self.db, server, after, page)
        finally:
            self.invalidate()

    def platform_cursor(self, server: str) -> int:
        """The cursor of the last page of ``server``'s catalog applied here (0: none)."""
        from studio.store.platform_apply import read_cursor

        with self._catalog.connect() as conn:
            return read_cursor(conn, server)

    def reset_platform_cursor(self, server: str) -> None:
        """The next update of ``server``'s catalog starts from the beginning."""
        from studio.store.platform_apply import reset_cursor

        reset_cursor(self.db, server)

    def invalidate(self) -> None:
        """Forget cached search columns (call after the catalog changed by other means)."""
        self._engine.invalidate()

    def search(self, q: SearchQuery, *, variants_as_one: bool = False) -> SearchResult:
        """Matching ids (numpy int64) in display order.

        ``variants_as_one`` (the grid): each item group's products are one id, the group's
        first-ranked (``studio.store.variants``); ``total`` still counts products."""
        result = self._engine.search(q)
        if not variants_as_one:
            return result
        groups = self._engine.columns.groups()
        if groups.empty:
            return result
        return dataclasses.replace(result, ids=GroupedIds(result.ids, groups))

    def facets(self, q: SearchQuery) -> Facets:
        return self._engine.facets(q)

    def cards(self, ids: Sequence[int]) -> list[ProductCard]:
        """Cards in the order of ``ids``; missing ids are skipped."""
        with self._catalog.connect() as conn:
            return products.cards(conn, ids)

    def detail(self, product_id: int) -> ProductDetail | None:
        with self._catalog.connect() as conn:
            return products.detail(conn, product_id)

    def product_count(self) -> int:
        """Every stored product (unavailable ones included)."""
        loaded = self._engine.columns.peek()
        if loaded is not None:  # the UI asks on every search: skip the 10 ms count at 1M
            return int(loaded.ids.size)
        with self._catalog.connect() as conn:
            return count_products(conn)

    def ids_by_link(self, url: str) -> list[int]:
        """The products whose landing link is ``url`` (a merchant's product page, pasted),
        compared normalised (``studio.store.search_pick``), oldest first."""
        from studio.store.search_pick import by_link

        with self._catalog.connect() as conn:
            return by_link(conn, url)

    def merchants(self) -> list[str]:
        """Merchant names, alphabetical."""
        with self._catalog.connect() as conn:
            return [r[0] for r in conn.execute("SELECT name FROM merchants ORDER BY name")]
