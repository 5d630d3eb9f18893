"""The board editor's model side: the open board's items, its store writes and its edits.

``BoardController`` is the ``BoardWriter`` the undo commands call: each write goes to the
``BoardStore`` at once (autosave: every edit is saved as it is made; these are small writes
that stay well under a frame) and the stored values come back onto the canvas. The edit
operations (add, delete, nudge, flip, layer, colour, text) build one undo command each.
Adding is done first and pushed after, so a refusal (the 201st item) never reaches the stack.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from studio.core.boards import MAX_BOARD_ITEMS, Board, BoardDocument, BoardItem, BoardItemKind
from studio.core.errors import StudioError
from studio.core.looks import new_id
from studio.core.ordering import key_between, keys_after, keys_between
from studio.ui.boards.commands import (
    AddItemsCommand,
    BoardFieldsCommand,
    DeleteItemsCommand,
    UpdateItemsCommand,
)
from studio.ui.boards.items import BoardGraphicsItem, text_size
from studio.ui.boards.loader import PixmapCache
from studio.ui.boards.scene import BoardScene

if TYPE_CHECKING:
    from studio.store.boards import BoardStore


class BoardController(QObject):
    """Owns the open board's state; see the module docstring."""

    items_changed = Signal()  # items added, removed or edited (the side list refreshes)
    board_changed = Signal(object)  # the Board after an edit of its own fields
    message = Signal(str)  # something the user must read: a refusal, a failed import

    def __init__(
        self,
        boards: BoardStore,
        scene: BoardScene,
        undo: QUndoStack,
        pixmaps: PixmapCache,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.boards = boards
        self.scene = scene
        self.undo = undo
        self.pixmaps = pixmaps
        self.board: Board | None = None
        self.graphics: dict[str, BoardGraphicsItem] = {}
        self.titles: dict[str, str] = {}  # item id -> product title (placeholders)
        self._pending_fields: dict[str, dict[str, object]] = {}
        # The run of merging edits in progress (arrow-key nudges, size steps): its token and
        # the stack index it left; any other change of the stack ends it.
        self._run: tuple[str, object] | None = None
        self._run_index = -1
        self._pushing_run = False
        pixmaps.ready.connect(self._pixmap_ready)
        undo.indexChanged.connect(self._index_changed)
        scene.selectionChanged.connect(self.end_run)

    # -- loading ----------------------------------------------------------------------------

    def load(self, doc: BoardDocument | None) -> None:
        self.scene.cancel_drag()
        for g in self.graphics.values():
            g.drop_cache()
        self.scene.clear()
        self.graphics.clear()
        self.undo.clear()
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

    @property
    def items(self) -> list[BoardItem]:
        """The live items, bottom to top."""
        return sorted((g.item for g in self.graphics.values()), key=lambda i: i.z)

    def selected(self) -> list[BoardItem]:
        return sorted((g.item for g in self.scene.selected_board_items()), key=lambda i: i.z)

    def _show(self, item: BoardItem) -> None:
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

    # -- BoardWriter: the store writes behind every command ----------------------------------

    def _failed(self, exc: StudioError) -> None:
        """A write was refused: say why and show the board as stored."""
        self.message.emit(str(exc))
        if self.board is not None:
            doc = self.boards.document(self.board.id)
            if doc is not None:
                self.scene.cancel_drag()
                for item in doc.items:
                    self._show(item)
                for item_id in set(self.graphics) - {i.id for i in doc.items}:
                    self._forget(item_id)
                self._restack()

    def write_items(self, changes: Sequence[tuple[str, Mapping[str, object]]]) -> None:
        if not changes:
            return
        try:
            stored = self.boards.update_items(list(changes))
        except StudioError as exc:
            self._failed(exc)
            return
        for item in stored:
            self._show(item)
        if any("z" in fields for _, fields in changes):
            self._restack()
        self.scene.refresh_overlay()
        self.items_changed.emit()

    def restore_items(self, ids: Sequence[str]) -> None:
        try:
            for item_id in ids:
                item = self.boards.restore_item(item_id)
                pending = self._pending_fields.pop(item_id, None)
                if pending:
                    (item,) = self.boards.update_items([(item_id, pending)])
                self._show(item)
        except StudioError as exc:
            self._failed(exc)
            return
        self._restack()
        self.items_changed.emit()

    def remove_items(self, ids: Sequence[str]) -> None:
        try:
            for item_id in ids:
                self.boards.delete_item(item_id)
                self._forget(item_id)
        except StudioError as exc:
            self._failed(exc)
            return
        self.scene.refresh_overlay()
        self.items_changed.emit()

    def write_board(self, fields: Mapping[str, object]) -> None:
        if self.board is None:
            return
        try:
            self.board = self.boards.update_board(self.board.id, **fields)
        except StudioError as exc:
            self._failed(exc)
            return
        b = self.board
        self.scene.set_board(b.width, b.height, b.background)
        self.board_changed.emit(b)

    # -- edits ------------------------------------------------------------------------------

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

    def add(self, items: Sequence[BoardItem], text: str) -> list[BoardItem]:
        """Store ``items`` on top of the board, select them, and push one undo step."""
        if self.board is None or not items or not self.room_for(len(items)):
            return []
        added: list[BoardItem] = []
        try:
            for item in items:
                added.append(self.boards.add_item(item))
        except StudioError as exc:
            self.message.emit(str(exc))
        for item in added:
            self._show(item)
        if added:
            self._restack()
            self.scene.clearSelection()
            for item in added:
                self.graphics[item.id].setSelected(True)
            self.undo.push(AddItemsCommand(self, [i.id for i in added], text))
            self.items_changed.emit()
        return added

    def update_later(self, item_id: str, fields: dict[str, object]) -> None:
        """Finish an item's placement (its image arrived): not an undo step of its own."""
        if item_id in self.graphics:
            self.write_items([(item_id, fields)])
        else:  # undone meanwhile: a redo restores it with these fields
            self._pending_fields[item_id] = {**self._pending_fields.get(item_id, {}), **fields}

    def commit(
        self, pairs: Sequence[tuple[BoardItem, BoardItem]], text: str, *, run: str | None = None
    ) -> None:
        """One undo step; with ``run``, it joins the step of the run of that kind going on."""
        if run is None:
            command = UpdateItemsCommand(self, pairs, text)
        else:
            if self._run is None or self._run[0] != run:
                self._run = (run, object())
            command = UpdateItemsCommand(self, pairs, text, run=self._run)
        if command.empty:
            return
        self._pushing_run = run is not None
        try:
            self.undo.push(command)
        finally:
            self._pushing_run = False
        if run is not None:
            self._run_index = self.undo.index()

    def end_run(self) -> None:
        """The next nudge or size step starts an undo step of its own."""
        self._run = None

    def _index_changed(self, index: int) -> None:
        if not self._pushing_run and index != self._run_index:
            self.end_run()  # another edit, an undo or a redo came between

    def delete_selected(self) -> None:
        ids = [i.id for i in self.selected()]
        if ids:
            self.undo.push(DeleteItemsCommand(self, ids, self.tr("Delete")))

    def nudge(self, dx: float, dy: float) -> None:
        self.commit(
            [(i, dataclasses.replace(i, x=i.x + dx, y=i.y + dy)) for i in self.selected()],
            self.tr("Move"),
            run="nudge",
        )

    def flip(self, horizontal: bool) -> None:
        if horizontal:
            pairs = [(i, dataclasses.replace(i, flip_h=not i.flip_h)) for i in self.selected()]
            self.commit(pairs, self.tr("Flip horizontally"))
        else:
            pairs = [(i, dataclasses.replace(i, flip_v=not i.flip_v)) for i in self.selected()]
            self.commit(pairs, self.tr("Flip vertically"))

    def restack(self, where: str) -> None:
        """Layering of the selection: "front", "back", "forward" or "backward"."""
        chosen = self.selected()
        if not chosen:
            return
        ids = {i.id for i in chosen}
        order = self.items
        n = len(chosen)
        if where == "front":
            on_top = {i.id for i in order[-n:]} == ids
            keys = [i.z for i in chosen] if on_top else keys_after(order[-1].z, n)
            pairs = list(zip(chosen, keys, strict=True))
        elif where == "back":
            at_bottom = {i.id for i in order[:n]} == ids
            keys = [i.z for i in chosen] if at_bottom else keys_between(None, order[0].z, n)
            pairs = list(zip(chosen, keys, strict=True))
        else:
            pairs = self._step(order, ids, up=where == "forward")
        changes = [(i, dataclasses.replace(i, z=k)) for i, k in pairs if k != i.z]
        labels = {
            "front": self.tr("Bring to front"),
            "back": self.tr("Send to back"),
            "forward": self.tr("Bring forward"),
            "backward": self.tr("Send backward"),
        }
        self.commit(changes, labels[where])

    @staticmethod
    def _step(order: list[BoardItem], ids: set[str], *, up: bool) -> list[tuple[BoardItem, str]]:
        """Each selected item jumps over its nearest unselected neighbour, one layer."""
        work = list(order) if up else list(reversed(order))
        out: list[tuple[BoardItem, str]] = []
        keys = [i.z for i in work]
        for pos in range(len(work) - 2, -1, -1):
            item = work[pos]
            if item.id not in ids or work[pos + 1].id in ids:
                continue
            # The item jumps over its neighbour: a new key between the neighbour and beyond.
            neighbour = keys[pos + 1]
            beyond = keys[pos + 2] if pos + 2 < len(keys) else None
            key = key_between(neighbour, beyond) if up else key_between(beyond, neighbour)
            work[pos], work[pos + 1] = work[pos + 1], item
            keys[pos], keys[pos + 1] = neighbour, key
            out.append((item, key))
        return out

    def set_background(self, colour: str) -> None:
        if self.board is not None and colour != self.board.background:
            self.undo.push(
                BoardFieldsCommand(
                    self,
                    {"background": self.board.background},
                    {"background": colour},
                    self.tr("Background colour"),
                )
            )

    @staticmethod
    def _restyled(item: BoardItem, text: str, font_size: float, color: str) -> BoardItem:
        """The label with new words or style; a label stretched by its handles stays so."""
        old = text_size(item.text, item.font_size)
        new = text_size(text, font_size)
        sx = item.width / old.width() if old.width() else 1.0
        sy = item.height / old.height() if old.height() else 1.0
        return dataclasses.replace(
            item,
            text=text,
            font_size=font_size,
            color=color,
            width=new.width() * sx,
            height=new.height() * sy,
        )

    def set_text(self, item_id: str, text: str) -> None:
        g = self.graphics.get(item_id)
        if g is None or g.item.text == text:
            return
        if not text.strip():  # an emptied label would be an invisible item: remove it
            # Later: this runs inside the label editor's key handler, and removing the label
            # deletes its editor with it.
            QTimer.singleShot(0, self, lambda: self._remove_label(item_id))
            return
        item = g.item
        self.commit(
            [(item, self._restyled(item, text, item.font_size, item.color))], self.tr("Edit text")
        )

    def _remove_label(self, item_id: str) -> None:
        if item_id in self.graphics:
            self.undo.push(DeleteItemsCommand(self, [item_id], self.tr("Delete")))

    def set_text_style(
        self, *, color: str | None = None, font_size: float | None = None, run: str | None = None
    ) -> None:
        """Colour and/or size of the selected labels: one write, one undo step (or a run's)."""
        pairs = [
            (i, self._restyled(i, i.text, font_size or i.font_size, color or i.color))
            for i in self.selected()
            if i.kind is BoardItemKind.TEXT
        ]
        text = self.tr("Text size") if color is None else self.tr("Text colour")
        self.commit(
            pairs, text if font_size is None or color is None else self.tr("Text style"), run=run
        )
