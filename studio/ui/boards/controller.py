"""The open board on the canvas and its writes: every edit saved on the writer lane.

``BoardController`` holds the open board's items (one ``BoardGraphicsItem`` each) and is the
``BoardWriter`` the undo commands call (``edits.py`` builds the commands). It never writes the
store on the GUI thread: each write is a job for the writer lane (``BoardWrites``), and the
canvas shows an edit in one of the two ways ``studio.ui.widgets.writes`` defines:

- optimistic, for what the store cannot refuse: a move, a flip, a label or a photo added
  within the item limit (counted here, the store's rule), a removal, and every undo and redo,
  whose effect is known. The new values are computed here with the store's own checks
  (``checked_item``, stacking keys from ``studio.core.ordering``), shown at once, then saved;
  a busy store delays the save, never the canvas.
- write, then show, for products dropped on the board: the store checks each against the
  curator's declared ties (conflict of interest). They appear, selected and as one undo
  step, once stored; a refusal only says why, leaving the canvas and the undo history alone.

A write that fails anyway (the board trashed elsewhere, a full disk) is reported by
``BoardWrites``, which clears the undo history and has the editor read the board again;
``merge`` shows a board read again (after that, or when another writer changed it) keeping the
selection, the zoom and the undo history.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from studio.core.boards import MAX_BOARD_ITEMS, Board, BoardDocument, BoardItem, BoardItemKind
from studio.core.errors import StudioError
from studio.core.looks import new_id
from studio.core.ordering import keys_after
from studio.store.boards import checked_item
from studio.store.values import order_key
from studio.ui.boards.commands import AddItemsCommand
from studio.ui.boards.items import BoardGraphicsItem
from studio.ui.boards.loader import PixmapCache
from studio.ui.boards.scene import BoardScene
from studio.ui.boards.writes import BoardWrites

if TYPE_CHECKING:
    from studio.store.boards import BoardStore


def edited(item: BoardItem, fields: Mapping[str, object]) -> BoardItem:
    """``item`` with ``fields`` changed, as the store will store it (ValueError if bad)."""
    changed = checked_item(dataclasses.replace(item, **fields))  # type: ignore[arg-type]
    if "z" in fields:
        order_key(changed.z)
    return changed


class BoardController(QObject):
    """Owns the open board's state and saves its edits; see the module docstring."""

    items_changed = Signal()  # items added, removed or edited (the side list refreshes)
    board_changed = Signal(object)  # the Board after an edit of its own fields
    message = Signal(str)  # something the user must read: a refusal, a failed import

    def __init__(
        self,
        boards: BoardStore,
        writes: BoardWrites,
        scene: BoardScene,
        undo: QUndoStack,
        pixmaps: PixmapCache,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.boards = boards
        self.writes = writes
        self.scene = scene
        self.undo = undo
        self.pixmaps = pixmaps
        self.board: Board | None = None
        self.graphics: dict[str, BoardGraphicsItem] = {}
        self.titles: dict[str, str] = {}  # item id -> product title (placeholders)
        # Items taken off the canvas by an undo step, as they were: a redo shows them again
        # at once (and an image that arrives meanwhile is kept in them).
        self._removed: dict[str, BoardItem] = {}
        self._top = ""  # the highest stacking key shown or handed out: new items go above
        pixmaps.ready.connect(self._pixmap_ready)

    # -- showing ----------------------------------------------------------------------------

    def load(self, doc: BoardDocument | None) -> None:
        """Show another board (or none): a fresh canvas and an empty undo history."""
        self.scene.cancel_drag()
        for g in self.graphics.values():
            g.drop_cache()
        self.scene.clear()
        self.graphics.clear()
        self.undo.clear()
        self._removed.clear()
        self._top = ""
        self.board = doc.board if doc is not None else None
        self.pixmaps.retain({i.media_hash for i in doc.items if i.media_hash} if doc else set())
        if doc is None:
            self.items_changed.emit()
            return
        b = doc.board
        self.scene.set_board(b.width, b.height, b.background)
        for item in doc.items:
            self._show(item)
        self._restack()
        self.items_changed.emit()

    def merge(self, doc: BoardDocument) -> None:
        """Show the open board as read again; the selection, zoom and undo history stay."""
        if self.board is None or doc.board.id != self.board.id:
            self.load(doc)
            return
        self.board = b = doc.board
        self.scene.set_board(b.width, b.height, b.background)
        self.board_changed.emit(b)
        for item in doc.items:
            self._show(item)
        for item_id in set(self.graphics) - {i.id for i in doc.items}:
            self._forget(item_id)
        self._restack()
        self.scene.refresh_overlay()
        self.items_changed.emit()

    @property
    def items(self) -> list[BoardItem]:
        """The live items, bottom to top."""
        return sorted((g.item for g in self.graphics.values()), key=lambda i: i.z)

    @property
    def top_key(self) -> str:
        """The highest stacking key in use (items being stored included)."""
        return self._top

    def selected(self) -> list[BoardItem]:
        return sorted((g.item for g in self.scene.selected_board_items()), key=lambda i: i.z)

    def known(self, item_id: str) -> BoardItem | None:
        """The item as this canvas last showed it (on the board, or taken off by an undo)."""
        g = self.graphics.get(item_id)
        return g.item if g is not None else self._removed.get(item_id)

    def _show(self, item: BoardItem) -> None:
        self._top = max(self._top, item.z)
        g = self.graphics.get(item.id)
        if g is None:
            g = BoardGraphicsItem(item)
            g.title = self.titles.get(item.id, "")
            self.graphics[item.id] = g
            self.scene.addItem(g)
        else:
            g.apply(item)
        self._update_pixmap(g)

    def _update_pixmap(self, g: BoardGraphicsItem) -> None:
        h = g.item.media_hash
        if g.item.kind is BoardItemKind.TEXT or not h:
            return
        side = max(
            g.item.width / max(1e-6, g.item.crop.right - g.item.crop.left),
            g.item.height / max(1e-6, g.item.crop.bottom - g.item.crop.top),
        )
        failed = h in self.pixmaps.failed
        if failed != g.failed:
            g.failed = failed
            g.changed()
        pixmap = self.pixmaps.pixmap(h, side)
        if pixmap is not None:
            g.set_pixmap(pixmap)

    def _pixmap_ready(self, media_hash: str) -> None:
        for g in self.graphics.values():
            if g.item.media_hash == media_hash:
                self._update_pixmap(g)

    def _forget(self, item_id: str) -> None:
        g = self.graphics.pop(item_id, None)
        if g is not None:
            g.drop_cache()
            self.scene.removeItem(g)

    def _restack(self) -> None:
        for n, item in enumerate(self.items):
            self.graphics[item.id].setZValue(n)

    def _select(self, items: Sequence[BoardItem]) -> None:
        self.scene.clearSelection()
        for item in items:
            g = self.graphics.get(item.id)
            if g is not None:
                g.setSelected(True)

    # -- BoardWriter: optimistic, the canvas first and the lane behind ----------------------

    def _save(self, job: Callable[[], object]) -> None:
        self.writes.write(job)

    def write_items(self, changes: Sequence[tuple[str, Mapping[str, object]]]) -> None:
        if not changes:
            return
        shown: list[BoardItem] = []
        try:
            for item_id, fields in changes:
                if item_id in self.graphics:
                    shown.append(edited(self.graphics[item_id].item, fields))
                elif item_id in self._removed:
                    self._removed[item_id] = edited(self._removed[item_id], fields)
        except ValueError as exc:  # never from a gesture; shown and saved neither
            self.message.emit(str(exc))
            return
        for item in shown:
            self._show(item)
        if any("z" in fields for _, fields in changes):
            self._restack()
        self.scene.refresh_overlay()
        self.items_changed.emit()
        boards, saved = self.boards, [(item_id, dict(fields)) for item_id, fields in changes]
        self._save(lambda: boards.update_items(saved))

    def remove_items(self, ids: Sequence[str]) -> None:
        for item_id in ids:
            g = self.graphics.get(item_id)
            if g is not None:
                self._removed[item_id] = g.item
                self._forget(item_id)
        self.scene.refresh_overlay()
        self.items_changed.emit()
        boards, gone = self.boards, list(ids)

        def delete() -> None:
            for item_id in gone:
                boards.delete_item(item_id)

        self._save(delete)

    def restore_items(self, ids: Sequence[str]) -> None:
        for item_id in ids:
            item = self._removed.pop(item_id, None)
            if item is not None:
                self._show(item)
        self._restack()
        self.scene.refresh_overlay()
        self.items_changed.emit()
        boards, back = self.boards, list(ids)
        self.writes.write(
            lambda: [boards.restore_item(item_id) for item_id in back], self._restored
        )

    def _restored(self, items: list[BoardItem]) -> None:
        # An item another writer had removed meanwhile was not on the canvas: show it now
        # (unless it was taken off again since).
        board_id = self.board.id if self.board is not None else None
        late = [
            i
            for i in items
            if i.board_id == board_id and i.id not in self.graphics and i.id not in self._removed
        ]
        for item in late:
            self._show(item)
        if late:
            self._restack()
            self.items_changed.emit()

    def write_board(self, fields: Mapping[str, object]) -> None:
        if self.board is None:
            return
        self.board = b = dataclasses.replace(self.board, **fields)  # type: ignore[arg-type]
        self.scene.set_board(b.width, b.height, b.background)
        self.board_changed.emit(b)
        boards, board_id, saved = self.boards, b.id, dict(fields)
        self._save(lambda: boards.update_board(board_id, **saved))

    # -- adding -----------------------------------------------------------------------------

    def room_for(self, n: int) -> bool:
        """True if ``n`` more items fit; otherwise the refusal is shown."""
        if len(self.graphics) + n <= MAX_BOARD_ITEMS:
            return True
        self.message.emit(
            self.tr("A board holds at most {limit} items; this one has {count}.").format(
                limit=MAX_BOARD_ITEMS, count=len(self.graphics)
            )
        )
        return False

    def new_item(
        self, kind: BoardItemKind, x: float, y: float, width: float, height: float, **fields: object
    ) -> BoardItem:
        assert self.board is not None
        return BoardItem(new_id(), self.board.id, kind, round(x), round(y), width, height, **fields)  # type: ignore[arg-type]

    def _on_top(self, items: Sequence[BoardItem]) -> list[BoardItem]:
        """``items`` with stacking keys above every other (ValueError for a bad value)."""
        keys = keys_after(self._top or None, len(items))
        placed = [edited(item, {"z": key}) for item, key in zip(items, keys, strict=True)]
        self._top = keys[-1]
        return placed

    def _placed(self, items: Sequence[BoardItem], text: str) -> None:
        """Show new ``items``, selected, as one undo step (their add is saved already or
        queued: the step's first redo writes nothing)."""
        for item in items:
            self._show(item)
        self._restack()
        self._select(items)
        self.undo.push(AddItemsCommand(self, [i.id for i in items], text))
        self.items_changed.emit()

    def add(self, items: Sequence[BoardItem], text: str) -> list[BoardItem]:
        """Put labels or photos on top of the board at once, selected, as one undo step; the
        items as shown (none when they do not fit)."""
        if self.board is None or not items or not self.room_for(len(items)):
            return []
        try:
            placed = self._on_top(items)
        except ValueError as exc:
            self.message.emit(str(exc))
            return []
        self._placed(placed, text)
        boards = self.boards
        self._save(lambda: [boards.add_item(item) for item in placed])
        return placed

    def add_products(
        self,
        items: Sequence[BoardItem],
        text: str,
        then: Callable[[list[BoardItem]], object] | None = None,
    ) -> None:
        """Store product ``items`` on top of the board, then show them as one undo step; the
        first the store refuses (a declared tie, the item limit) and those after it are not
        added, and the reason is shown. ``then(added)`` always follows (none added: [])."""

        def refused(reason: str) -> None:
            self.message.emit(reason)
            if then is not None:
                then([])

        if self.board is None or not items or not self.room_for(len(items)):
            if then is not None:
                then([])
            return
        try:
            placed = self._on_top(items)
        except ValueError as exc:
            refused(str(exc))
            return
        boards, board_id = self.boards, placed[0].board_id

        def store() -> tuple[list[BoardItem], str]:
            added: list[BoardItem] = []
            for item in placed:
                try:
                    added.append(boards.add_item(item))
                except (StudioError, ValueError) as exc:
                    return added, str(exc)
            return added, ""

        def stored(result: tuple[list[BoardItem], str]) -> None:
            added, reason = result
            if reason:
                self.message.emit(reason)
            if added and self.board is not None and self.board.id == board_id:
                self._placed(added, text)
            if then is not None:
                then(added)

        self.writes.write(store, stored, on_refused=refused)

    def update_later(self, item_id: str, fields: dict[str, object]) -> None:
        """Finish an item's placement (its image arrived): saved, not an undo step of its
        own; an item undone meanwhile keeps it for its redo."""
        self.write_items([(item_id, fields)])
