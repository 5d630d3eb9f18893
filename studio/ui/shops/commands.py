"""Undo commands of the shops page: every edit is one ``QUndoCommand``; none of them blocks.

An edit is shown and written before its command is pushed (an optimistic one at once, a
write-then-show one once the store took it: a refused edit - the 31st product, a competitor's
brand, a taken handle - never reaches the stack), so a command's first ``redo`` does nothing.
Later undos and redos hand the known inverse to a ``ShopWriter`` (the page's controller),
which shows it at once and queues its write on the writer lane: the records before and after
(items, shelves, placements, shop fields), never a re-read of the store on the GUI thread.
Commands carry their shop's id, so the writer can bring that shop back on screen when an older
step is undone while another shop is open.

A move's placements after it are the store's: the view guessed the order keys when it showed
the move, and the store chose them (clear of removed rows' keys, which only it knows). The job
that moved the rows fills ``PlaceItemsCommand.after`` in on the writer lane, so a redo queued
behind it - even before the GUI heard of the move's end - writes the stored keys.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from PySide6.QtGui import QUndoCommand

from studio.core.shops import ShopItem, ShopSection

Placement = tuple[str, str, str]  # (item id, section id, position), as ShopStore gives them
TYPING_ID = 0x5409  # settings typed in one field merge into one undo step


class ShopWriter(Protocol):
    def remove_items(self, shop_id: str, items: Sequence[ShopItem]) -> None: ...
    def restore_items(self, shop_id: str, items: Sequence[ShopItem]) -> None: ...
    def place_items(self, shop_id: str, placements: list[Placement]) -> None: ...
    def write_items(self, shop_id: str, items: Sequence[ShopItem]) -> None: ...
    def write_shop(self, shop_id: str, fields: Mapping[str, object]) -> None: ...
    def section_op(self, shop_id: str, op: str, section: ShopSection, value: object) -> None: ...
    def shop_op(self, shop_id: str, op: str) -> None: ...


class _Done(QUndoCommand):
    """A command whose first redo already happened (the edit was shown before the push)."""

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
    """Products shelved: undo removes the rows, redo brings the same rows back in place."""

    def __init__(
        self, writer: ShopWriter, shop_id: str, items: Sequence[ShopItem], text: str
    ) -> None:
        super().__init__(writer, shop_id, text)
        self.items = list(items)

    def undo(self) -> None:
        self.writer.remove_items(self.shop_id, self.items)

    def again(self) -> None:
        self.writer.restore_items(self.shop_id, self.items)


class RemoveItemsCommand(_Done):
    """Products taken off the shelves (the records as they were, to show them back)."""

    def __init__(
        self, writer: ShopWriter, shop_id: str, items: Sequence[ShopItem], text: str
    ) -> None:
        super().__init__(writer, shop_id, text)
        self.items = list(items)

    def undo(self) -> None:
        self.writer.restore_items(self.shop_id, self.items)

    def again(self) -> None:
        self.writer.remove_items(self.shop_id, self.items)


class PlaceItemsCommand(_Done):
    """A move or a sort: the placements before and after, put back exactly. ``after`` is a
    list the move's job may fill in (see the module docstring)."""

    def __init__(
        self,
        writer: ShopWriter,
        shop_id: str,
        before: Sequence[Placement],
        after: list[Placement],
        text: str,
    ) -> None:
        super().__init__(writer, shop_id, text)
        self.before, self.after = list(before), after

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
    value) for ``ShopWriter.section_op`` ("remove", "restore", "rename", "position"). The
    shelf's record, and the items a removal took with it, let a restore show it at once."""

    def __init__(
        self,
        writer: ShopWriter,
        shop_id: str,
        section: ShopSection,
        undo_op: tuple[str, object],
        redo_op: tuple[str, object],
        text: str,
    ) -> None:
        super().__init__(writer, shop_id, text)
        self.section = section
        self._undo, self._redo = undo_op, redo_op

    def undo(self) -> None:
        self.writer.section_op(self.shop_id, self._undo[0], self.section, self._undo[1])

    def again(self) -> None:
        self.writer.section_op(self.shop_id, self._redo[0], self.section, self._redo[1])


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
