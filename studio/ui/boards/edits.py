"""The board editor's edits: each gesture, key or button becomes one undo command.

``BoardEdits`` turns what the user did (a nudge, a flip, a layering step, a colour, the words
of a label) into an undo command on the editor's stack; pushing it runs its first redo, which
the controller (``controller.py``) shows at once and saves on the writer lane. Arrow-key nudges
and text-size steps of one run merge into one undo step: a run ends when the selection changes
or any other step, undo or redo comes between.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from PySide6.QtCore import QObject, QTimer

from studio.core.boards import BoardItem, BoardItemKind
from studio.core.ordering import key_between, keys_after, keys_between
from studio.ui.boards.commands import BoardFieldsCommand, DeleteItemsCommand, UpdateItemsCommand
from studio.ui.boards.controller import BoardController
from studio.ui.boards.items import text_size


def restyled(item: BoardItem, text: str, font_size: float, color: str) -> BoardItem:
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


def stepped(order: list[BoardItem], ids: set[str], *, up: bool) -> list[tuple[BoardItem, str]]:
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


class BoardEdits(QObject):
    """The edit operations of one editor, over its ``controller`` and undo stack."""

    def __init__(self, controller: BoardController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.undo = controller.undo
        # The run of merging edits in progress (arrow-key nudges, size steps): its token and
        # the stack index it left; any other change of the stack ends it.
        self._run: tuple[str, object] | None = None
        self._run_index = -1
        self._pushing_run = False
        self.undo.indexChanged.connect(self._index_changed)
        controller.scene.selectionChanged.connect(self.end_run)

    def commit(
        self, pairs: Sequence[tuple[BoardItem, BoardItem]], text: str, *, run: str | None = None
    ) -> None:
        """One undo step; with ``run``, it joins the step of the run of that kind going on."""
        if run is None:
            command = UpdateItemsCommand(self.controller, pairs, text)
        else:
            if self._run is None or self._run[0] != run:
                self._run = (run, object())
            command = UpdateItemsCommand(self.controller, pairs, text, run=self._run)
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
        ids = [i.id for i in self.controller.selected()]
        if ids:
            self.undo.push(DeleteItemsCommand(self.controller, ids, self.tr("Delete")))

    def nudge(self, dx: float, dy: float) -> None:
        self.commit(
            [
                (i, dataclasses.replace(i, x=i.x + dx, y=i.y + dy))
                for i in self.controller.selected()
            ],
            self.tr("Move"),
            run="nudge",
        )

    def flip(self, horizontal: bool) -> None:
        chosen = self.controller.selected()
        if horizontal:
            pairs = [(i, dataclasses.replace(i, flip_h=not i.flip_h)) for i in chosen]
            self.commit(pairs, self.tr("Flip horizontally"))
        else:
            pairs = [(i, dataclasses.replace(i, flip_v=not i.flip_v)) for i in chosen]
            self.commit(pairs, self.tr("Flip vertically"))

    def restack(self, where: str) -> None:
        """Layering of the selection: "front", "back", "forward" or "backward"."""
        chosen = self.controller.selected()
        if not chosen:
            return
        ids = {i.id for i in chosen}
        order = self.controller.items
        n = len(chosen)
        if where == "front":
            on_top = {i.id for i in order[-n:]} == ids
            # Above items still being stored too (a product dropped a moment ago).
            top = max(order[-1].z, self.controller.top_key)
            keys = [i.z for i in chosen] if on_top else keys_after(top, n)
            pairs = list(zip(chosen, keys, strict=True))
        elif where == "back":
            at_bottom = {i.id for i in order[:n]} == ids
            keys = [i.z for i in chosen] if at_bottom else keys_between(None, order[0].z, n)
            pairs = list(zip(chosen, keys, strict=True))
        else:
            pairs = stepped(order, ids, up=where == "forward")
        changes = [(i, dataclasses.replace(i, z=k)) for i, k in pairs if k != i.z]
        labels = {
            "front": self.tr("Bring to front"),
            "back": self.tr("Send to back"),
            "forward": self.tr("Bring forward"),
            "backward": self.tr("Send backward"),
        }
        self.commit(changes, labels[where])

    def set_background(self, colour: str) -> None:
        board = self.controller.board
        if board is not None and colour != board.background:
            self.undo.push(
                BoardFieldsCommand(
                    self.controller,
                    {"background": board.background},
                    {"background": colour},
                    self.tr("Background colour"),
                )
            )

    def set_text(self, item_id: str, text: str) -> None:
        g = self.controller.graphics.get(item_id)
        if g is None or g.item.text == text:
            return
        if not text.strip():  # an emptied label would be an invisible item: remove it
            # Later: this runs inside the label editor's key handler, and removing the label
            # deletes its editor with it.
            QTimer.singleShot(0, self, lambda: self._remove_label(item_id))
            return
        item = g.item
        self.commit(
            [(item, restyled(item, text, item.font_size, item.color))], self.tr("Edit text")
        )

    def _remove_label(self, item_id: str) -> None:
        if item_id in self.controller.graphics:
            self.undo.push(DeleteItemsCommand(self.controller, [item_id], self.tr("Delete")))

    def set_text_style(
        self, *, color: str | None = None, font_size: float | None = None, run: str | None = None
    ) -> None:
        """Colour and/or size of the selected labels: one write, one undo step (or a run's)."""
        pairs = [
            (i, restyled(i, i.text, font_size or i.font_size, color or i.color))
            for i in self.controller.selected()
            if i.kind is BoardItemKind.TEXT
        ]
        text = self.tr("Text size") if color is None else self.tr("Text colour")
        self.commit(
            pairs, text if font_size is None or color is None else self.tr("Text style"), run=run
        )
