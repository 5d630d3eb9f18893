"""Undo commands of the board editor: every edit is one ``QUndoCommand``, saved as it is shown.

Commands hold plain values and call back into a ``BoardWriter`` (the editor's controller),
which shows the result on the canvas at once and queues its write on the writer lane: the
effect of an undo or a redo is known, so neither waits for the store. Item fields are written
through ``BoardStore.update_items`` so that an edit of several items (a multi-selection drag) is
one transaction both ways. An add is queued (or, for products the store may refuse, stored)
before its command is pushed, so the command's first redo writes nothing and a refusal never
reaches the stack; its redo after an undo restores the tombstoned rows, bringing back the
items as they were, image included.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from PySide6.QtGui import QUndoCommand

from studio.core.boards import BoardItem

# Fields of a BoardItem that an edit may change (ids, board and kind never change).
EDITABLE = (
    "x",
    "y",
    "width",
    "height",
    "rotation",
    "flip_h",
    "flip_v",
    "z",
    "crop",
    "product",
    "media_hash",
    "text",
    "color",
    "font_size",
)
MERGE_ID = 0x42D  # edits of one run (arrow-key nudges, size steps) merge into one undo step


class BoardWriter(Protocol):
    def write_items(self, changes: Sequence[tuple[str, Mapping[str, object]]]) -> None: ...
    def restore_items(self, ids: Sequence[str]) -> None: ...
    def remove_items(self, ids: Sequence[str]) -> None: ...
    def write_board(self, fields: Mapping[str, object]) -> None: ...


def diff(before: BoardItem, after: BoardItem) -> tuple[dict[str, object], dict[str, object]]:
    """The fields that differ, as (old values, new values)."""
    old: dict[str, object] = {}
    new: dict[str, object] = {}
    for name in EDITABLE:
        a, b = getattr(before, name), getattr(after, name)
        if a != b:
            old[name], new[name] = a, b
    return old, new


class UpdateItemsCommand(QUndoCommand):
    """Changed fields of one or more items, written in one transaction."""

    def __init__(
        self,
        writer: BoardWriter,
        pairs: Sequence[tuple[BoardItem, BoardItem]],
        text: str,
        *,
        run: object = None,
    ) -> None:
        super().__init__(text)
        self._writer = writer
        self._before: list[tuple[str, Mapping[str, object]]] = []
        self._after: list[tuple[str, Mapping[str, object]]] = []
        for before, after in pairs:
            old, new = diff(before, after)
            if new:
                self._before.append((before.id, old))
                self._after.append((before.id, new))
        # Commands with the same run token merge (QUndoStack only offers the top one).
        self._run = run

    @property
    def empty(self) -> bool:
        return not self._after

    def id(self) -> int:
        return MERGE_ID if self._run is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if (
            not isinstance(other, UpdateItemsCommand)
            or other._run is None
            or other._run != self._run
        ):
            return False
        if [i for i, _ in other._after] != [i for i, _ in self._after]:
            return False
        merged_after: list[tuple[str, Mapping[str, object]]] = []
        for (item_id, mine), (_, theirs) in zip(self._after, other._after, strict=True):
            merged_after.append((item_id, {**mine, **theirs}))
        merged_before: list[tuple[str, Mapping[str, object]]] = []
        for (item_id, mine), (_, theirs) in zip(self._before, other._before, strict=True):
            merged_before.append((item_id, {**theirs, **mine}))
        self._after, self._before = merged_after, merged_before
        return True

    def redo(self) -> None:
        self._writer.write_items(self._after)

    def undo(self) -> None:
        self._writer.write_items(self._before)


class AddItemsCommand(QUndoCommand):
    """Items already added to the store; undo tombstones them, redo restores them."""

    def __init__(self, writer: BoardWriter, ids: Sequence[str], text: str) -> None:
        super().__init__(text)
        self._writer = writer
        self._ids = list(ids)
        self._done = True  # the first redo (push) finds the items added already

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._writer.restore_items(self._ids)

    def undo(self) -> None:
        self._writer.remove_items(self._ids)


class DeleteItemsCommand(QUndoCommand):
    def __init__(self, writer: BoardWriter, ids: Sequence[str], text: str) -> None:
        super().__init__(text)
        self._writer = writer
        self._ids = list(ids)

    def redo(self) -> None:
        self._writer.remove_items(self._ids)

    def undo(self) -> None:
        self._writer.restore_items(self._ids)


class BoardFieldsCommand(QUndoCommand):
    """The board's own fields: background colour, title, size."""

    def __init__(
        self,
        writer: BoardWriter,
        before: Mapping[str, object],
        after: Mapping[str, object],
        text: str,
    ) -> None:
        super().__init__(text)
        self._writer = writer
        self._before = dict(before)
        self._after = dict(after)

    def redo(self) -> None:
        self._writer.write_board(self._after)

    def undo(self) -> None:
        self._writer.write_board(self._before)
