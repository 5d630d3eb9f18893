"""Edits of the open shop's items that the store cannot refuse (a mixin of ``ShopController``):
move, remove, note and featured flag; and the undo and redo of every item edit.

Each is shown at once in the shelf model and written behind on the writer lane. A move's
new order keys are the model's guess between the rows it lands between; the store chooses its
own (clear of removed rows' keys, which only it knows) and ``confirm`` takes them in place:
rows that keep their order never move, so the selection and the scroll stay. Each edit notes
the serial of its write on the rows it showed (``showing``), so a confirmation never puts back
a row a later edit has shown otherwise. Undo and redo show the known inverse - the records or
placements their command keeps - and write it the same way (``show_and_write``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QCoreApplication, SignalInstance
from PySide6.QtGui import QUndoCommand

from studio.core.shops import ShopItem
from studio.store.values import text as text_value
from studio.ui.shops.commands import (
    ItemRecordsCommand,
    PlaceItemsCommand,
    Placement,
    RemoveItemsCommand,
)
from studio.ui.shops.decided_edits import placements
from studio.ui.shops.model import ShelfModel

if TYPE_CHECKING:
    from studio.store.shops import ShopStore

T = TypeVar("T")


def _tr(text: str) -> str:
    return QCoreApplication.translate("ShopController", text)


class ItemEdits:
    """Needs the controller's store, model, writes and signals (declared below)."""

    shops: ShopStore
    model: ShelfModel
    shop_id: str | None
    serial: int
    message: SignalInstance
    placed: SignalInstance
    push: Callable[[QUndoCommand], None]
    edited: Callable[[], None]
    showing: Callable[[str], bool]

    if TYPE_CHECKING:

        def write(
            self,
            fn: Callable[[], T],
            on_done: Callable[[T], object] | None = None,
            *,
            on_refused: Callable[[str], object] | None = None,
            showing: Sequence[str] = (),
        ) -> None: ...
        def show_and_write(
            self,
            shop_id: str,
            ids: Sequence[str],
            show: Callable[[], object],
            job: Callable[[], T],
            on_done: Callable[[T], object] | None = None,
        ) -> None: ...

    marks: dict[str, int]  # item id -> the serial of the last edit that showed it

    def confirm(self, shop_id: str, serial: int, stored: Sequence[ShopItem]) -> None:
        """The store's records of an optimistic edit: shown where no later edit showed them."""
        if self.showing(shop_id):
            self.model.put_items([i for i in stored if self.marks.get(i.id) == serial])

    # -- moving, removing: shown at once ----------------------------------------------------

    def move_items(self, section_id: str, shown_index: int, ids: Sequence[str]) -> None:
        """Move rows to ``shown_index`` of the shelf as shown (the moving rows counted)."""
        shop_id, shops, model = self.shop_id, self.shops, self.model
        if shop_id is None or not self.showing(shop_id) or section_id not in model.items:
            return
        shelf = model.items[section_id]
        moving = set(ids)
        index = shown_index - sum(1 for i in shelf[:shown_index] if i.id in moving)
        # Keep the rows in the order they are shown, wherever they were picked from (found
        # by their rows: a walk over a 10,000-item shop would cost the drop's frame).
        rows = {i: row for i in moving if (row := model.item_row(i)) is not None}
        ordered = sorted(rows, key=rows.__getitem__)
        if not ordered or self._lands_in_place(section_id, index, ordered, rows):
            return
        items = [model.item(i) for i in ordered]
        before = placements([i for i in items if i is not None])
        try:
            keys = model.keys_for(section_id, index, ordered, len(ordered))
        except ValueError:  # two rows tied on one key: the store makes room
            keys = []
        after: list[Placement] = [(i, section_id, k) for i, k in zip(ordered, keys, strict=False)]
        if keys:
            model.put_items(
                [
                    dataclasses.replace(item, section_id=section_id, position=key)
                    for item, key in zip(items, keys, strict=True)
                    if item is not None
                ]
            )
            self.placed.emit(ordered)
            self.edited()

        def job() -> list[ShopItem]:
            shops.move_items(ordered, section_id, index)
            stored = [i for i, _ in shops.items(ordered)]
            after[:] = placements(stored)  # a redo queued behind this writes these keys
            return stored

        command = PlaceItemsCommand(self, shop_id, before, after, _tr("Move products"))  # type: ignore[arg-type]
        serial = self.serial + 1  # this write's
        self.write(
            job,
            lambda stored: self._moved(shop_id, serial, stored, command, bool(keys)),
            showing=ordered,
        )
        if keys:
            self.push(command)

    def _lands_in_place(
        self, section_id: str, index: int, ordered: list[str], rows: dict[str, int]
    ) -> bool:
        """Whether the rows would land where they are (one shelf, together, in this order)."""
        first = self.model.section_row(section_id) + 1 + index
        return [rows[i] for i in ordered] == list(range(first, first + len(ordered)))

    def _moved(
        self, shop_id: str, serial: int, stored: list[ShopItem], command: QUndoCommand, shown: bool
    ) -> None:
        self.confirm(shop_id, serial, stored)
        if not shown:  # the view could not guess the keys: shown now, one undo step
            self.placed.emit([i.id for i in stored])
            self.edited()
            self.push(command)

    def remove_items_now(self, ids: Sequence[str]) -> None:
        shop_id, shops = self.shop_id, self.shops
        if shop_id is None or not self.showing(shop_id):
            return
        items = [i for i in (self.model.item(x) for x in ids) if i is not None]
        if not items:
            return
        gone = [i.id for i in items]
        self.model.drop_items(gone)
        self.edited()
        self.write(lambda: shops.remove_items(gone), showing=gone)
        self.push(RemoveItemsCommand(self, shop_id, items, _tr("Remove products")))  # type: ignore[arg-type]

    def change_items(
        self,
        ids: Sequence[str],
        text: str,
        *,
        merge_key: object = None,
        note: str | None = None,
        featured: bool | None = None,
    ) -> None:
        """Note and/or featured flag of items, shown at once, one undo step."""
        shop_id, shops = self.shop_id, self.shops
        if shop_id is None or not self.showing(shop_id):
            return
        before = [i for i in (self.model.item(x) for x in ids) if i is not None]
        try:
            note = None if note is None else text_value(note, "note")
        except ValueError as exc:
            self.message.emit(str(exc), True)
            return
        after = [
            dataclasses.replace(
                i,
                note=i.note if note is None else note,
                featured=i.featured if featured is None else bool(featured),
            )
            for i in before
        ]
        if not before or after == before:
            return
        self.model.put_items(after)
        changed = [i.id for i in after]
        self.write(
            lambda: [shops.update_item(x, note=note, featured=featured) for x in changed],
            showing=changed,
        )
        self.push(ItemRecordsCommand(self, shop_id, before, after, text, merge_key=merge_key))  # type: ignore[arg-type]

    # -- ShopWriter: undo and redo show the known inverse, then write it -----------------------

    def remove_items(self, shop_id: str, items: Sequence[ShopItem]) -> None:
        ids, shops = [i.id for i in items], self.shops
        self.show_and_write(
            shop_id, ids, lambda: self.model.drop_items(ids), lambda: shops.remove_items(ids)
        )

    def restore_items(self, shop_id: str, items: Sequence[ShopItem]) -> None:
        ids, shops = [i.id for i in items], self.shops
        self.show_and_write(
            shop_id, ids, lambda: self.model.put_items(items), lambda: shops.restore_items(ids)
        )

    def place_items(self, shop_id: str, places: list[Placement]) -> None:
        """Put rows at exact places (the undo of a move or a sort, or its redo)."""
        shops = self.shops
        self.show_and_write(
            shop_id,
            [p[0] for p in places],
            lambda: self._show_places(places),
            lambda: shops.place_items(list(places)),  # read when it runs: see commands.py
        )

    def _show_places(self, places: Sequence[Placement]) -> None:
        model = self.model
        model.put_items(
            [
                dataclasses.replace(item, section_id=section_id, position=position)
                for item_id, section_id, position in places
                if (item := model.item(item_id)) is not None
            ]
        )

    def write_items(self, shop_id: str, items: Sequence[ShopItem]) -> None:
        shops, records = self.shops, list(items)

        def show() -> None:
            self.model.forget_cards(i.product.product_id for i in records)
            self.model.put_items(records)

        self.show_and_write(
            shop_id, [i.id for i in records], show, lambda: shops.revert_items(records)
        )
