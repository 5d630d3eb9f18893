"""A lazy Qt list model over a search result: a million rows, a few thousand cards in memory.

``SearchResult.ids`` (a compact numpy array, or a tuple) fixes the row order and the row count;
the cards themselves are fetched page by page in a worker (``CatalogStore.cards``) the first
time a view asks for a row of that page, and kept in a small LRU. Until a page arrives, ``card``
returns ``None`` and the view paints a placeholder; when it arrives the model emits
``dataChanged`` for exactly that page's rows. Nothing here ever holds a Python object per row.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Sequence
from functools import partial
from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractListModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from studio.core.catalog import ProductCard, SearchResult
from studio.ui.tasks import TaskManager
from studio.ui.widgets.mime import MIME_TYPE, product_mime_data

log = logging.getLogger(__name__)

PAGE_SIZE = 200
MAX_PAGES = 20  # 4,000 cards cached: several screens of the largest grid, a few MB
MAX_INFLIGHT = 2  # pages fetched at once; newer requests go first
MAX_WANTED = 8  # queued page requests kept; older ones were scrolled past

CardRole = Qt.ItemDataRole.UserRole + 1
ProductIdRole = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


class CardSource(Protocol):
    """What the model needs from the store (``CatalogStore`` satisfies it)."""

    def cards(self, ids: Sequence[int]) -> list[ProductCard]: ...


def _as_int_list(chunk: Any) -> list[int]:
    tolist = getattr(chunk, "tolist", None)
    return [int(i) for i in (tolist() if tolist is not None else chunk)]


def result_ids(result: SearchResult, limit: int) -> list[int]:
    """The first ``limit`` ids of ``result`` (a tuple or a numpy array, as the store chose)."""
    ids: Any = result.ids
    return _as_int_list(ids[:limit])


class CatalogModel(QAbstractListModel):
    """Rows are the ids of the current ``SearchResult``; cards load lazily per page."""

    #: Emitted when a page of cards arrives: first and last row (inclusive).
    page_loaded = Signal(int, int)
    #: Emitted when a result shown by its ranked head has all its rows: their number.
    rows_completed = Signal(int)

    def __init__(self, tasks: TaskManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._source: CardSource | None = None
        self._ids: Any = ()
        self._count = 0
        self._generation = 0
        self._pages: OrderedDict[int, list[ProductCard | None]] = OrderedDict()
        self._wanted: OrderedDict[int, None] = OrderedDict()
        self._inflight: set[int] = set()

    # -- content ----------------------------------------------------------------------------

    def set_source(self, source: CardSource | None) -> None:
        self._source = source

    def set_result(self, result: SearchResult | None) -> None:
        """Show ``result``'s rows; cached cards of the previous result are dropped.

        A ranked result's ids may come as a head with the rest made on first need (the
        store's ``RankedIds``: ``ready`` ids now, ``complete()`` for all): the head's rows show
        at once and the rest are appended when a worker has completed them, so neither the
        GUI thread nor the keystroke's search waits for every match of a common word.
        """
        self.beginResetModel()
        self._generation += 1
        self._ids = result.ids if result is not None else ()
        ready = getattr(self._ids, "ready", None)
        self._count = ready if ready is not None else len(self._ids)
        self._pages.clear()
        self._wanted.clear()
        self._inflight.clear()
        self.endResetModel()
        complete = getattr(self._ids, "complete", None)
        if complete is not None and not getattr(self._ids, "is_complete", True):
            self._tasks.run(
                complete,
                partial(self._completed, self._generation),
                lambda exc: log.error("completing the result failed: %s", exc),
                channel="catalog-rows",
            )

    def _completed(self, generation: int, ids: Any) -> None:
        """Every id of the current result is known: append the rows past its head."""
        if generation != self._generation:
            return
        count = len(ids)
        if count > self._count:
            self.beginInsertRows(QModelIndex(), self._count, count - 1)
            self._count = count
            self.endInsertRows()
        self.rows_completed.emit(count)

    def invalidate_cards(self) -> None:
        """Forget cached cards (after an import changed them) and repaint from the store."""
        self._generation += 1
        self._pages.clear()
        self._wanted.clear()
        self._inflight.clear()
        if self._count:
            self.dataChanged.emit(self.index(0), self.index(self._count - 1))

    @property
    def total(self) -> int:
        return self._count

    def product_id(self, row: int) -> int:
        return int(self._ids[row])

    def row_of(self, product_id: int) -> int | None:
        """The row showing ``product_id`` among the rows shown now (a ranked head's rest is
        not made for this: a linear scan of the shown ids, on the GUI thread)."""
        ids = self._ids
        if not self._count:
            return None
        if hasattr(ids, "__array__"):
            import numpy as np  # only loaded once a real result exists

            hits = np.flatnonzero(np.asarray(ids[: self._count]) == product_id)
            return int(hits[0]) if len(hits) else None
        try:
            return list(ids[: self._count]).index(product_id)
        except ValueError:
            return None

    def card(self, row: int, *, fetch: bool = True) -> ProductCard | None:
        """The card of ``row`` if its page is loaded; otherwise ``None`` (and fetch the page)."""
        if not 0 <= row < self._count:
            return None
        page_no = row // PAGE_SIZE
        page = self._pages.get(page_no)
        if page is not None and row - page_no * PAGE_SIZE < len(page):
            self._pages.move_to_end(page_no)
            return page[row - page_no * PAGE_SIZE]
        if page is not None:  # loaded while it held the end of a ranked head: load it whole
            del self._pages[page_no]
        if fetch:
            self.request_page(page_no)
        return None

    def is_loaded(self, row: int) -> bool:
        page = self._pages.get(row // PAGE_SIZE)
        return page is not None and row % PAGE_SIZE < len(page)

    # -- fetching ---------------------------------------------------------------------------

    def request_page(self, page_no: int) -> None:
        if page_no in self._pages or page_no in self._inflight or self._source is None:
            return
        self._wanted[page_no] = None
        self._wanted.move_to_end(page_no)
        while len(self._wanted) > MAX_WANTED:
            self._wanted.popitem(last=False)
        self._pump()

    def _pump(self) -> None:
        source = self._source
        while source is not None and self._wanted and len(self._inflight) < MAX_INFLIGHT:
            page_no, _ = self._wanted.popitem(last=True)  # the newest request is on screen
            start = page_no * PAGE_SIZE
            # Never past the rows shown: a ranked head's rest may not be made yet.
            stop = min(start + PAGE_SIZE, self._count)
            ids = _as_int_list(self._ids[start:stop])
            generation = self._generation
            self._inflight.add(page_no)

            def done(
                cards: list[ProductCard],
                page_no: int = page_no,
                gen: int = generation,
                ids: list[int] = ids,
            ) -> None:
                self._page_arrived(gen, page_no, ids, cards)

            def failed(exc: BaseException, page_no: int = page_no, gen: int = generation) -> None:
                if gen == self._generation:
                    self._inflight.discard(page_no)
                log.error("loading cards of page %d failed: %s", page_no, exc)

            self._tasks.run(partial(source.cards, ids), done, failed)

    def _page_arrived(
        self, generation: int, page_no: int, ids: list[int], cards: list[ProductCard]
    ) -> None:
        if generation != self._generation:
            return  # a newer result replaced the rows this page belonged to
        self._inflight.discard(page_no)
        by_id = {c.id: c for c in cards}
        self._pages[page_no] = [by_id.get(i) for i in ids]
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        first = page_no * PAGE_SIZE
        last = min(first + len(ids), self._count) - 1
        self.dataChanged.emit(self.index(first), self.index(last))
        self.page_loaded.emit(first, last)
        self._pump()

    # -- Qt model interface -----------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else self._count

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = index.row()
        if role == ProductIdRole:
            return self.product_id(row)
        if role == CardRole:
            return self.card(row)
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            card = self.card(row)
            return card.title if card is not None else self.tr("Loading…")
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        )

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE, "text/plain"]

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def mime_for_rows(self, rows: Sequence[int]) -> QMimeData:
        ids = [self.product_id(r) for r in rows]
        titles = [c.title for c in (self.card(r, fetch=False) for r in rows) if c is not None]
        return product_mime_data(ids, titles)

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        return self.mime_for_rows(rows)
