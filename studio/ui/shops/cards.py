"""The catalog cards the shelves show beside each shop item, fetched lazily and kept.

``ShelfCards`` holds and fetches them; ``CardRows`` is the shelf model's side of them.

A shop item names its product; what a row shows beyond it - title, brand, price, stock,
thumbnail - is the product's ``ProductCard`` from ``CatalogStore.cards``. A shop may hold
10,000 products, so cards are fetched only for the rows painted or about to be (``get`` from
the model's ``data()``, ``want`` from the view's prefetch), a page of them per worker call,
the newest requests (the rows on screen now) first.

The catalog changes under the cards: a feed import reprices products, takes them out of
stock or out of the catalog. ``mark_stale`` keeps every card for painting but asks for it
again the next time its row is painted, so an import costs a re-read of the rows on screen,
not of 10,000 cards, and no row flickers back to its offer id meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from studio.core.catalog import ProductCard
from studio.core.shops import ShopItem
from studio.ui.tasks import TaskManager

if TYPE_CHECKING:
    from studio.store.catalog import CatalogStore

CARD_PAGE = 200  # cards fetched per worker call
PREFETCH_BLOCK = 64  # rows whose cards a scroll asks for at once (one fetch per block)


class ShelfCards(QObject):
    """Cards by product id (``known``; None: the catalog has no such product), fetched on
    demand from ``source()`` (the catalog store, or None before one is open). ``arrived``
    names the product ids whose cards just came, so only the rows showing them repaint."""

    arrived = Signal(list)

    def __init__(
        self,
        tasks: TaskManager,
        source: Callable[[], CatalogStore | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._source = source
        self.known: dict[int, ProductCard | None] = {}
        self._stale: set[int] = set()
        self._wanted: dict[int, None] = {}
        self._fetching = False
        self._pump = QTimer(self, singleShot=True, interval=0)
        self._pump.timeout.connect(self._fetch)

    def get(self, product_id: int | None) -> ProductCard | None:
        """The card as known (None until it arrives); an unknown or stale one is asked for."""
        if product_id is None:
            return None
        if product_id not in self.known or product_id in self._stale:
            self._ask([product_id], first=True)
        return self.known.get(product_id)

    def want(self, product_ids: Iterable[int]) -> None:
        """Ask for these cards behind the ones already asked for (rows about to be shown)."""
        ahead = [
            pid
            for pid in product_ids
            if (pid not in self.known or pid in self._stale) and pid not in self._wanted
        ]
        self._ask(ahead, first=False)

    def needs(self, product_id: int) -> bool:
        """Whether this card is missing or stale and not asked for yet."""
        fresh = product_id in self.known and product_id not in self._stale
        return not fresh and product_id not in self._wanted

    def forget(self, product_ids: Iterable[int | None] | None = None) -> None:
        """Read these cards again now (a product replaced, a price accepted); each keeps
        showing until its fresh copy arrives. None: drop every card (another catalog)."""
        if product_ids is None:
            self.known.clear()
            self._stale.clear()
            return
        self._ask([p for p in product_ids if p is not None and p in self.known], first=True)

    def mark_stale(self) -> None:
        """The catalog changed: every card is read again when its row is next painted."""
        self._stale = set(self.known)

    @property
    def pending(self) -> int:
        return len(self._wanted) + int(self._fetching)

    def _ask(self, product_ids: list[int], *, first: bool) -> None:
        if not product_ids:
            return
        if first:
            for pid in product_ids:
                self._wanted.pop(pid, None)  # to the end: served first
            self._wanted.update(dict.fromkeys(product_ids))
        else:
            self._wanted = dict.fromkeys(product_ids) | self._wanted
        if not self._fetching:
            self._pump.start()

    def _fetch(self) -> None:
        store = self._source()
        if store is None or not self._wanted:
            return
        # The newest requests are the rows on screen now: serve them first.
        ids = list(self._wanted)[-CARD_PAGE:]
        for pid in ids:
            del self._wanted[pid]
            self._stale.discard(pid)
        self._fetching = True
        self._tasks.run(lambda: (ids, store.cards(ids)), self._arrived, self._failed, owner=self)

    def _arrived(self, result: tuple[list[int], list[ProductCard]]) -> None:
        ids, cards = result
        self._fetching = False
        by_id = {c.id: c for c in cards}
        for pid in ids:
            self.known[pid] = by_id.get(pid)
        self.arrived.emit(ids)
        if self._wanted:
            self._pump.start()

    def _failed(self, _exc: BaseException) -> None:
        self._fetching = False


class CardRows:
    """The shelf model's side of its cards (a mixin of ``ShelfModel``): a row's card, the
    cards of rows about to be shown, cards read again."""

    card_cache: ShelfCards

    if TYPE_CHECKING:

        def item_at(self, row: int) -> ShopItem | None: ...
        def rowCount(self) -> int: ...

    def card(self, item: ShopItem) -> ProductCard | None:
        """The item's card as known (None until it arrives); asked for when missing."""
        return self.card_cache.get(item.product.product_id)

    @property
    def cards(self) -> dict[int, ProductCard | None]:
        return self.card_cache.known

    def prefetch(self, first: int, last: int) -> None:
        """Ask for the cards of rows ``first``..``last`` (widened to whole blocks) that are not
        here or asked for yet: the rows a scroll is about to show, so they are painted with
        their card instead of a placeholder repainted a moment later. Rows on screen keep
        their turn first."""
        lo = max(0, first) // PREFETCH_BLOCK * PREFETCH_BLOCK
        hi = min(self.rowCount(), (last // PREFETCH_BLOCK + 1) * PREFETCH_BLOCK)
        needs = self.card_cache.needs
        ahead = []
        for row in range(lo, hi):
            item = self.item_at(row)
            pid = item.product.product_id if item is not None else None
            if pid is not None and needs(pid):
                ahead.append(pid)
        self.card_cache.want(ahead)

    def forget_cards(self, product_ids: Iterable[int | None] | None = None) -> None:
        """Read these cards again (see ``ShelfCards.forget``; None: all, another catalog)."""
        self.card_cache.forget(product_ids)

    @property
    def cards_pending(self) -> int:
        return self.card_cache.pending
