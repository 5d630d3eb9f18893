"""The shelves of the open shop as ONE list model: a header row per shelf, then its items.

A shop may hold 10,000 products, so the model is built once from the shop document (read in
a worker) and then edited in place: ``put_items`` and ``drop_items`` move, insert or remove
only the rows an edit touched, keeping each shelf's items in the store's order (position,
then id), so the model never needs rebuilding after an edit. Rows are found through the shelf
start offsets (one small list, recomputed per edit), never by scanning the items.

What a row shows beyond the shop document - title, brand, price, stock, thumbnail - comes
from ``CatalogStore.cards``, fetched lazily: ``data()`` for a row whose card is not known yet
queues its product id, and one worker fetches the queued page; the health issues of the shop
arrive the same way (``set_health``).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

from studio.core.catalog import ProductCard
from studio.core.shops import HealthIssue, ShopDocument, ShopItem, ShopSection
from studio.ui.tasks import TaskManager

if TYPE_CHECKING:
    from studio.store.catalog import CatalogStore

ITEM_MIME = "application/x-vitrine-shop-item-ids"
KIND_ROLE = Qt.ItemDataRole.UserRole + 1  # "section" or "item"
ITEM_ROLE = Qt.ItemDataRole.UserRole + 2  # the ShopItem of an item row
SECTION_ROLE = Qt.ItemDataRole.UserRole + 3  # the ShopSection of the row (its own, or its shelf)
CARD_ROLE = Qt.ItemDataRole.UserRole + 4  # ProductCard or None (not fetched yet / gone)
ISSUE_ROLE = Qt.ItemDataRole.UserRole + 5  # HealthIssue or None
COUNT_ROLE = Qt.ItemDataRole.UserRole + 6  # a header's item count
ROW_HEIGHT = 60  # px, every row (header or product): the view places rows without asking
CARD_PAGE = 200  # cards fetched per worker call
PREFETCH_BLOCK = 64  # rows whose cards a scroll asks for at once (one fetch per block)
_Index = QModelIndex | QPersistentModelIndex


def _key(item: ShopItem) -> tuple[str, str]:
    return (item.position, item.id)


class ShelfModel(QAbstractListModel):
    """Header and item rows of one shop; ``card_source()`` gives the CatalogStore or None.

    ``cards_arrived`` (the product ids) and ``decorations_changed`` (health badges) say that
    rows look different though their data (the shop's records) did not change. They are not
    ``dataChanged`` on purpose: a view answers a ``dataChanged`` over many rows by repainting
    all of them, while a card page that arrives mid-scroll concerns the few rows on screen
    showing those products (the view repaints just those)."""

    decorations_changed = Signal()
    #: Cards arrived for these product ids: only the rows showing them need a repaint.
    cards_arrived = Signal(list)

    def __init__(
        self,
        tasks: TaskManager,
        card_source: Callable[[], CatalogStore | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._card_source = card_source
        self.sections: list[ShopSection] = []
        self.items: dict[str, list[ShopItem]] = {}
        self._starts: list[int] = []
        self._total = 0
        self._by_id: dict[str, ShopItem] = {}  # each shown item as the model has it
        self.cards: dict[int, ProductCard | None] = {}
        self.issues: dict[str, HealthIssue] = {}
        self._wanted: dict[int, None] = {}
        self._fetching = False
        self._pump = QTimer(self, singleShot=True, interval=0)
        self._pump.timeout.connect(self._fetch)

    # -- whole shop ---------------------------------------------------------------------------

    def load(self, doc: ShopDocument | None) -> None:
        self.beginResetModel()
        self.sections = list(doc.sections) if doc else []
        self.items = {s.id: [] for s in self.sections}
        for item in doc.items if doc else ():
            self.items.setdefault(item.section_id, []).append(item)
        for items in self.items.values():
            items.sort(key=_key)
        self._by_id = {i.id: i for items in self.items.values() for i in items}
        self.issues = {}
        self._reindex()
        self.endResetModel()

    def _reindex(self) -> None:
        starts, at = [], 0
        for section in self.sections:
            starts.append(at)
            at += 1 + len(self.items[section.id])
        self._starts = starts
        self._total = at

    @property
    def item_count(self) -> int:
        return len(self._by_id)

    # -- addressing ---------------------------------------------------------------------------

    def locate(self, row: int) -> tuple[int, int]:
        """(shelf index, offset): offset 0 is the header, n the shelf's n-th item (1-based)."""
        s = bisect.bisect_right(self._starts, row) - 1
        return s, row - self._starts[s]

    def section_row(self, section_id: str) -> int:
        s = next(i for i, sec in enumerate(self.sections) if sec.id == section_id)
        return self._starts[s]

    def item_row(self, item_id: str) -> int | None:
        item = self._by_id.get(item_id)
        if item is None:
            return None
        index = bisect.bisect_left(self.items[item.section_id], _key(item), key=_key)
        return self.section_row(item.section_id) + 1 + index

    def item_at(self, row: int) -> ShopItem | None:
        if not 0 <= row < self._total:
            return None
        s, offset = self.locate(row)
        return self.items[self.sections[s].id][offset - 1] if offset else None

    def section_at(self, row: int) -> ShopSection | None:
        """The shelf a row belongs to (a header's own shelf)."""
        if not 0 <= row < self._total:
            return None
        return self.sections[self.locate(row)[0]]

    def item(self, item_id: str) -> ShopItem | None:
        return self._by_id.get(item_id)

    # -- Qt model -----------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else self._total

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.locate(index.row())[1]:
            return base | Qt.ItemFlag.ItemIsDragEnabled
        return base | Qt.ItemFlag.ItemIsEditable  # F2 renames the shelf

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._total:
            return None
        s, offset = self.locate(index.row())
        section = self.sections[s]
        if offset == 0:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                return section.title
            return {
                KIND_ROLE: "section",
                SECTION_ROLE: section,
                COUNT_ROLE: len(self.items[section.id]),
            }.get(role)
        item = self.items[section.id][offset - 1]
        if role == ITEM_ROLE:
            return item
        if role == KIND_ROLE:
            return "item"
        if role == SECTION_ROLE:
            return section
        if role == ISSUE_ROLE:
            return self.issues.get(item.id)
        if role in (CARD_ROLE, Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            card = self.card(item)
            if role == CARD_ROLE:
                return card
            return card.title if card is not None else item.product.offer_id
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        # Renaming a shelf goes through the undo stack: the view's editor asks the page.
        if role == Qt.ItemDataRole.EditRole and self.rename_requested is not None:
            section = self.section_at(index.row())
            if section is not None and str(value).strip() and str(value) != section.title:
                self.rename_requested(section.id, str(value).strip())
            return False
        return False

    rename_requested: Callable[[str, str], None] | None = None

    def mimeTypes(self) -> list[str]:
        return [ITEM_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes})
        ids = [it.id for it in (self.item_at(r) for r in rows) if it is not None]
        mime = QMimeData()
        mime.setData(ITEM_MIME, QByteArray("\n".join(ids).encode()))
        return mime

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    # -- incremental edits ----------------------------------------------------------------------

    def drop_items(self, item_ids: Iterable[str]) -> None:
        """Remove these items' rows (unknown ids ignored), contiguous runs at once."""
        rows = sorted(r for r in (self.item_row(i) for i in set(item_ids)) if r is not None)
        # Bottom-up so earlier row numbers stay valid while removing.
        runs: list[list[int]] = []
        for row in rows:
            if runs and runs[-1][1] == row - 1:
                runs[-1][1] = row
            else:
                runs.append([row, row])
        for first, last in reversed(runs):
            s, offset = self.locate(first)
            section_id = self.sections[s].id
            self.beginRemoveRows(QModelIndex(), first, last)
            removed = self.items[section_id][offset - 1 : offset - 1 + last - first + 1]
            del self.items[section_id][offset - 1 : offset - 1 + last - first + 1]
            for item in removed:
                self._by_id.pop(item.id, None)
                self.issues.pop(item.id, None)
            self._reindex()
            self.endRemoveRows()
        self._headers_changed()

    def put_items(self, items: Sequence[ShopItem]) -> None:
        """Show ``items`` as they are now (new or changed: section, position, fields)."""
        in_place = set()
        for item in items:  # a field change in place: one row's data
            old = self._by_id.get(item.id)
            if old is None or (old.section_id, old.position) != (item.section_id, item.position):
                continue
            row = self.item_row(item.id)
            assert row is not None
            self.items[item.section_id][row - self.section_row(item.section_id) - 1] = item
            self._by_id[item.id] = item
            in_place.add(item.id)
            self.dataChanged.emit(self.index(row), self.index(row))
        placing = [i for i in items if i.id not in in_place and i.section_id in self.items]
        self.drop_items([i.id for i in placing])
        for item in sorted(placing, key=_key):
            shelf = self.items[item.section_id]
            at = bisect.bisect_left(shelf, _key(item), key=_key)
            row = self.section_row(item.section_id) + 1 + at
            self.beginInsertRows(QModelIndex(), row, row)
            shelf.insert(at, item)
            self._by_id[item.id] = item
            self._reindex()
            self.endInsertRows()
        self._headers_changed()

    def set_shelf(self, section_id: str, items: Sequence[ShopItem]) -> None:
        """Replace one shelf's items at once (a sort of thousands of rows): a layout change,
        so the other shelves' rows, the selection and the scroll stay."""
        if section_id not in self.items:
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_ids: list[tuple[QModelIndex, ShopItem | None]] = [
            (i, self.item_at(i.row())) for i in old
        ]
        for gone in self.items[section_id]:
            self._by_id.pop(gone.id, None)
        self.items[section_id] = sorted(items, key=_key)
        self._by_id.update({i.id: i for i in items})
        self._reindex()
        new = []
        for index, was in old_ids:
            row = self.item_row(was.id) if was is not None else index.row()
            new.append(self.index(row) if row is not None else QModelIndex())
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def set_sections(
        self, sections: Sequence[ShopSection], items_of_new: dict[str, list[ShopItem]]
    ) -> None:
        """The live shelves changed (added, renamed, moved, removed). A rename repaints one
        header; otherwise the model resets (shelves are few, and a reset of even 10,000
        uniform rows costs a few milliseconds); a new shelf comes with ``items_of_new``."""
        old_ids = [s.id for s in self.sections]
        if old_ids == [s.id for s in sections]:
            self.sections = list(sections)
            for section in sections:
                row = self.section_row(section.id)
                self.dataChanged.emit(self.index(row), self.index(row))
            return
        self.beginResetModel()
        keep = {s.id for s in sections}
        for gone in [i for i in old_ids if i not in keep]:
            for item in self.items.pop(gone, []):
                self._by_id.pop(item.id, None)
        self.sections = list(sections)
        for section in sections:
            if section.id not in self.items:
                shelf = sorted(items_of_new.get(section.id, []), key=_key)
                self.items[section.id] = shelf
                self._by_id.update({i.id: i for i in shelf})
        self._reindex()
        self.endResetModel()

    def _headers_changed(self) -> None:
        # Header rows show their shelf's count; there are few of them.
        for start in self._starts:
            self.dataChanged.emit(self.index(start), self.index(start), [COUNT_ROLE])

    # -- health and cards -----------------------------------------------------------------------

    def set_health(self, issues: Iterable[HealthIssue]) -> None:
        self.issues = {i.item_id: i for i in issues}
        self.decorations_changed.emit()

    def card(self, item: ShopItem) -> ProductCard | None:
        pid = item.product.product_id
        if pid is None:
            return None
        if pid in self.cards:
            return self.cards[pid]
        if pid not in self._wanted:
            self._wanted[pid] = None
            if not self._fetching:
                self._pump.start()
        return None

    def prefetch(self, first: int, last: int) -> None:
        """Ask for the cards of rows ``first``..``last`` (widened to whole blocks) that are not
        here or asked for yet: the rows a scroll is about to show, so they are painted with
        their card instead of a placeholder repainted a moment later. Rows on screen keep
        their turn first."""
        lo = max(0, first) // PREFETCH_BLOCK * PREFETCH_BLOCK
        hi = min(self._total, (last // PREFETCH_BLOCK + 1) * PREFETCH_BLOCK)
        ahead = []
        for row in range(lo, hi):
            item = self.item_at(row)
            pid = item.product.product_id if item is not None else None
            if pid is not None and pid not in self.cards and pid not in self._wanted:
                ahead.append(pid)
        if ahead:
            # _fetch serves the newest requests first: these go behind the ones on screen.
            self._wanted = dict.fromkeys(ahead) | self._wanted
            if not self._fetching:
                self._pump.start()

    def forget_cards(self, product_ids: Iterable[int | None] | None = None) -> None:
        """Read these cards again: a price or stock may have changed. Each keeps showing until
        its fresh copy arrives (a row never flickers back to its offer id). None forgets all
        of them at once (the catalog was replaced)."""
        if product_ids is None:
            self.cards.clear()
            return
        again = [pid for pid in product_ids if pid is not None and pid in self.cards]
        if again:
            self._wanted.update(dict.fromkeys(again))
            if not self._fetching:
                self._pump.start()

    def _fetch(self) -> None:
        store = self._card_source()
        if store is None or not self._wanted:
            return
        # The newest requests are the rows on screen now: serve them first.
        ids = list(self._wanted)[-CARD_PAGE:]
        for pid in ids:
            del self._wanted[pid]
        self._fetching = True
        self._tasks.run(lambda: (ids, store.cards(ids)), self._arrived, self._fetch_failed)

    def _arrived(self, result: tuple[list[int], list[ProductCard]]) -> None:
        ids, cards = result
        self._fetching = False
        by_id = {c.id: c for c in cards}
        for pid in ids:
            self.cards[pid] = by_id.get(pid)
        self.cards_arrived.emit(ids)
        if self._wanted:
            self._pump.start()

    def _fetch_failed(self, _exc: BaseException) -> None:
        self._fetching = False

    @property
    def cards_pending(self) -> int:
        return len(self._wanted) + int(self._fetching)
