"""Undo commands of the shops page: every edit is one ``QUndoCommand`` over store writes.

Each edit is written first (so a refusal - the 31st product, a competitor's brand - never
reaches the stack) and then pushed with what undo and redo need: the ids, the placements
before and after, or the item records before and after. Undo and redo call back into a
``ShopWriter`` (the editor's controller), which writes the store, one transaction per call,
and shows the stored result. Commands carry their shop's id, so the writer can bring that
shop back on screen when an older step is undone while another shop is open.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from PySide6.QtGui import QUndoCommand

from studio.core.shops import ShopItem

Placement = tuple[str, str, str]  # (item id, section id, position), as ShopStore gives them
TYPING_ID = 0x5409  # settings typed in one field merge into one undo step


class ShopWriter(Protocol):
    def remove_items(self, shop_id: str, ids: Sequence[str]) -> None: ...
    def restore_items(self, shop_id: str, ids: Sequence[str]) -> None: ...
    def place_items(self, shop_id: str, placements: Sequence[Placement]) -> None: ...
    def write_items(self, shop_id: str, items: Sequence[ShopItem]) -> None: ...
    def write_shop(self, shop_id: str, fields: Mapping[str, object]) -> None: ...
    def section_op(self, shop_id: str, op: str, section_id: str, value: object) -> None: ...
    def shop_op(self, shop_id: str, op: str) -> None: ...


class _Done(QUndoCommand):
    """A command whose first redo already happened (the edit was written before the push)."""

    def __init__(self, writer: ShopWriter, shop_id: str, text: str) -> None:
        super().__init__(text)
        self.writer = writer
        self.shop_id = shop_id
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self.again()

    def again(self) -> None:
        raise NotImplementedError


class AddItemsCommand(_Done):
    """Products shelved: undo removes the rows, redo restores the same rows in place."""

    def __init__(self, writer: ShopWriter, shop_id: str, ids: Sequence[str], text: str) -> None:
        super().__init__(writer, shop_id, text)
        self.ids = list(ids)

    def undo(self) -> None:
        self.writer.remove_items(self.shop_id, self.ids)

    def again(self) -> None:
        self.writer.restore_items(self.shop_id, self.ids)


class RemoveItemsCommand(_Done):
    def __init__(self, writer: ShopWriter, shop_id: str, ids: Sequence[str], text: str) -> None:
        super().__init__(writer, shop_id, text)
        self.ids = list(ids)

    def undo(self) -> None:
        self.writer.restore_items(self.shop_id, self.ids)

    def again(self) -> None:
        self.writer.remove_items(self.shop_id, self.ids)


class PlaceItemsCommand(_Done):
    """A move or a sort: the placements before and after, put back exactly."""

    def __init__(
        self,
        writer: ShopWriter,
        shop_id: str,
        before: Sequence[Placement],
        after: Sequence[Placement],
        text: str,
    ) -> None:
        super().__init__(writer, shop_id, text)
        self.before, self.after = list(before), list(after)

    def undo(self) -> None:
        self.writer.place_items(self.shop_id, self.before)

    def again(self) -> None:
        self.writer.place_items(self.shop_id, self.after)


class ItemRecordsCommand(_Done):
    """A note, a featured flag, a replaced product, an accepted price, a health fix: the item
    records before and after, written back as they were (``ShopStore.revert_items``)."""

    def __init__(
        self,
        writer: ShopWriter,
        shop_id: str,
        before: Sequence[ShopItem],
        after: Sequence[ShopItem],
        text: str,
        *,
        merge_key: object = None,
    ) -> None:
        super().__init__(writer, shop_id, text)
        self.before, self.after = list(before), list(after)
        self._merge_key = merge_key

    def undo(self) -> None:
        self.writer.write_items(self.shop_id, self.before)

    def again(self) -> None:
        self.writer.write_items(self.shop_id, self.after)

    def id(self) -> int:
        return TYPING_ID + 1 if self._merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, ItemRecordsCommand) or other._merge_key != self._merge_key:
            return False
        self.after = other.after
        return True


class ShopFieldsCommand(_Done):
    """Settings of the shop (handle, title, tagline, description, banner, accent)."""

    def __init__(
        self,
        writer: ShopWriter,
        shop_id: str,
        before: Mapping[str, object],
        after: Mapping[str, object],
        text: str,
        *,
        merge_key: object = None,
    ) -> None:
        super().__init__(writer, shop_id, text)
        self.before, self.after = dict(before), dict(after)
        self._merge_key = merge_key

    def undo(self) -> None:
        self.writer.write_shop(self.shop_id, self.before)

    def again(self) -> None:
        self.writer.write_shop(self.shop_id, self.after)

    def id(self) -> int:
        return TYPING_ID if self._merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if (
            not isinstance(other, ShopFieldsCommand)
            or other._merge_key != self._merge_key
            or other.shop_id != self.shop_id
        ):
            return False
        self.after.update(other.after)
        return True


class SectionCommand(_Done):
    """A shelf added, renamed, moved or removed: ``ops`` are (undo op, value) and (redo op,
    value) for ``ShopWriter.section_op`` ("remove", "restore", "rename", "position")."""

    def __init__(
        self,
        writer: ShopWriter,
        shop_id: str,
        section_id: str,
        undo_op: tuple[str, object],
        redo_op: tuple[str, object],
        text: str,
    ) -> None:
        super().__init__(writer, shop_id, text)
        self.section_id = section_id
        self._undo, self._redo = undo_op, redo_op

    def undo(self) -> None:
        self.writer.section_op(self.shop_id, self._undo[0], self.section_id, self._undo[1])

    def again(self) -> None:
        self.writer.section_op(self.shop_id, self._redo[0], self.section_id, self._redo[1])


class ShopCommand(_Done):
    """A shop created, duplicated, trashed or restored: ("trash" | "restore") both ways."""

    def __init__(
        self, writer: ShopWriter, shop_id: str, undo_op: str, redo_op: str, text: str
    ) -> None:
        super().__init__(writer, shop_id, text)
        self._undo, self._redo = undo_op, redo_op

    def undo(self) -> None:
        self.writer.shop_op(self.shop_id, self._undo)

    def again(self) -> None:
        self.writer.shop_op(self.shop_id, self._redo)
