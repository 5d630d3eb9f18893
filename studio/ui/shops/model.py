"""The shelves of the open shop as ONE list model: a header row per shelf, then its items.

A shop may hold 10,000 products, so the model is built once from the shop document (read in
a worker) and then edited in place: ``put_items`` and ``drop_items`` move, insert or remove
only the rows an edit touched, keeping each shelf's items in the store's order (position,
then id), so the model never needs rebuilding after an edit. Rows are found through the shelf
start offsets (one small list, recomputed per edit), never by scanning the items.

Edits are shown before the store has them (the writer lane commits them a moment later):
the controller guesses new order keys with ``keys_for`` and ``put_items`` takes the store's
keys in place when they keep the rows' order. What a row shows beyond the shop document comes
from the catalog's cards (``cards.py``), fetched lazily; the shop's health issues arrive with
``set_health``.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from studio.core.ordering import keys_between
from studio.core.shops import HealthIssue, ShopDocument, ShopItem, ShopSection
from studio.ui.shops.cards import CardRows, ShelfCards
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
MANY_ROWS = 200  # rows put at once past which their shelves are laid out again instead
ROW_HEIGHT = 60  # px, every row (header or product): the view places rows without asking
_Index = QModelIndex | QPersistentModelIndex


def _key(item: ShopItem) -> tuple[str, str]:
    return (item.position, item.id)


class ShelfModel(CardRows, QAbstractListModel):
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
        self.sections: list[ShopSection] = []
        self.items: dict[str, list[ShopItem]] = {}
        self._starts: list[int] = []
        self._total = 0
        self._by_id: dict[str, ShopItem] = {}  # each shown item as the model has it
        self.issues: dict[str, HealthIssue] = {}
        self.card_cache = ShelfCards(tasks, card_source, self)
        self.card_cache.arrived.connect(self.cards_arrived)

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
        """Show ``items`` as they are now (new or changed: section, position, fields). A row
        whose record changed without leaving its place - a field, or an order key the store
        chose in place of the one the view guessed - is changed where it is (no row moves,
        so the selection stays); the others move or come in. Many at once (a sort's undo)
        lay their shelves out again in one go."""
        if len(items) > MANY_ROWS:
            self._relayout(items)
            return
        in_place = self._in_place(items)
        for row in sorted(in_place.values()):
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

    def _relayout(self, items: Sequence[ShopItem]) -> None:
        by_id = {i.id: i for i in items if i.section_id in self.items}
        left = {old.section_id for i in by_id if (old := self._by_id.get(i)) is not None}
        shelves = {
            s: [i for i in self.items[s] if i.id not in by_id]
            for s in left | {i.section_id for i in by_id.values()}
        }
        for item in by_id.values():
            shelves[item.section_id].append(item)
        self.set_shelves(shelves)

    def _in_place(self, items: Sequence[ShopItem]) -> dict[str, int]:
        """Put the items that keep their row where they are; their rows by id. Items whose new
        key would change the shelf's order are left (all of them: one out of order may have
        been checked against another's new key)."""
        slots: dict[str, tuple[int, ShopItem, ShopItem]] = {}
        for item in items:
            old = self._by_id.get(item.id)
            if old is None or old.section_id != item.section_id or item.id in slots:
                continue
            row = self.item_row(item.id)
            assert row is not None
            slots[item.id] = (row, old, item)
        moved = [item.id for _r, old, item in slots.values() if old.position != item.position]
        for row, _old, item in slots.values():
            self._set_at(row, item)
        if moved and not all(self._fits(slots[i][0], slots[i][2]) for i in moved):
            for item_id in moved:
                row, old, _item = slots.pop(item_id)
                self._set_at(row, old)
        return {item_id: row for item_id, (row, _o, _i) in slots.items()}

    def _set_at(self, row: int, item: ShopItem) -> None:
        shelf = self.items[item.section_id]
        shelf[row - self.section_row(item.section_id) - 1] = item
        self._by_id[item.id] = item

    def _fits(self, row: int, item: ShopItem) -> bool:
        """Whether ``item`` at ``row`` is after the row above it and before the one below."""
        shelf = self.items[item.section_id]
        at = row - self.section_row(item.section_id) - 1
        key = _key(item)
        return (at == 0 or _key(shelf[at - 1]) < key) and (
            at == len(shelf) - 1 or key < _key(shelf[at + 1])
        )

    def keys_for(self, section_id: str, index: int, moving: Iterable[str], n: int) -> list[str]:
        """``n`` order keys for rows put at ``index`` of the shelf as shown without the
        ``moving`` rows: the view's guess of the keys the store will choose (it also keeps
        clear of removed rows' keys, which only it knows; ``put_items`` takes its answer).
        ValueError when the neighbours leave no room (two rows tied on one key)."""
        skip = set(moving)
        shelf = [i for i in self.items.get(section_id, []) if i.id not in skip]
        at = max(0, min(index, len(shelf)))
        lower = shelf[at - 1].position if at else None
        upper = shelf[at].position if at < len(shelf) else None
        return keys_between(lower, upper, n)

    def set_shelves(self, shelves: Mapping[str, Sequence[ShopItem]]) -> None:
        """Replace these shelves' items at once (a sort, its undo): a layout change, so the
        other shelves' rows, the selection and the scroll stay, and a row that moved from one
        of these shelves to another stays selected."""
        shelves = {s: items for s, items in shelves.items() if s in self.items}
        if not shelves:
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        # What each kept index pointed at: an item, else a header (its shelf).
        was = [(self.item_at(i.row()), self.section_at(i.row())) for i in old]
        for section_id, items in shelves.items():
            for gone in self.items[section_id]:
                self._by_id.pop(gone.id, None)
            self.items[section_id] = sorted(items, key=_key)
        for items in shelves.values():
            self._by_id.update({i.id: i for i in items})
        self._reindex()
        new = []
        for item, section in was:
            row = (
                self.item_row(item.id)
                if item is not None
                else (self.section_row(section.id) if section is not None else None)
            )
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
