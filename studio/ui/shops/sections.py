"""Shelf and shop-level edits of the shop controller (a mixin of ``ShopController``).

Shelves are few, so after a shelf edit the model takes the live shelves as stored (a new or
restored shelf with its items) rather than patching rows. Shops themselves (create,
duplicate, trash, restore) are written here too, so the shop list's edits share the page's
undo stack: each undo of those re-reads the list and selects the shop it concerns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from PySide6.QtCore import QCoreApplication, SignalInstance
from PySide6.QtGui import QUndoCommand

from studio.core.shops import Shop, ShopDocument, ShopItem
from studio.ui.shops.commands import Placement, SectionCommand, ShopCommand
from studio.ui.shops.model import ShelfModel

if TYPE_CHECKING:
    from studio.store.shops import ShopStore

P = ParamSpec("P")
R = TypeVar("R")


def _tr(text: str) -> str:
    return QCoreApplication.translate("ShopController", text)


class SectionEdits:
    """Needs the controller's store, model, shop id, ``_write``, ``push`` and signals."""

    shops: ShopStore
    model: ShelfModel
    shop_id: str | None
    doc: ShopDocument | None
    list_changed: SignalInstance
    want_shop: SignalInstance
    push: Callable[[QUndoCommand], None]
    edited: Callable[[], None]

    if TYPE_CHECKING:  # the controller's, and the rest of its ``ShopWriter`` side

        def _write(
            self, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs
        ) -> tuple[bool, R | None]: ...
        def remove_items(self, shop_id: str, ids: Sequence[str]) -> None: ...
        def restore_items(self, shop_id: str, ids: Sequence[str]) -> None: ...
        def place_items(self, shop_id: str, placements: Sequence[Placement]) -> None: ...
        def write_items(self, shop_id: str, items: Sequence[ShopItem]) -> None: ...
        def write_shop(self, shop_id: str, fields: Mapping[str, object]) -> None: ...

    def _sections_now(self, shop_id: str) -> None:
        if shop_id != self.shop_id or self.doc is None:
            self.want_shop.emit(shop_id)
            return
        sections, fresh = self.shops.shelves(shop_id, known=self.model.items)
        self.model.set_sections(sections, fresh)
        self.doc = ShopDocument(self.doc.shop, tuple(sections), self.doc.items)
        self.edited()

    def add_section(self, title: str, index: int | None = None) -> str | None:
        shop_id = self.shop_id
        if shop_id is None:
            return None
        ok, section = self._write(self.shops.add_section, shop_id, title, index=index)
        if not ok or section is None:
            return None
        self._sections_now(shop_id)
        self.push(
            SectionCommand(
                self,  # type: ignore[arg-type]
                shop_id,
                section.id,
                ("remove", None),
                ("restore", None),
                _tr("Add shelf"),
            )
        )
        return str(section.id)

    def rename_section(self, section_id: str, title: str) -> None:
        shop_id = self.shop_id
        section = next((s for s in self.model.sections if s.id == section_id), None)
        if shop_id is None or section is None or title == section.title:
            return
        if self._write(self.shops.rename_section, section_id, title)[0]:
            self._sections_now(shop_id)
            self.push(
                SectionCommand(
                    self,  # type: ignore[arg-type]
                    shop_id,
                    section_id,
                    ("rename", section.title),
                    ("rename", title),
                    _tr("Rename shelf"),
                )
            )

    def move_section(self, section_id: str, delta: int) -> None:
        shop_id = self.shop_id
        ids = [s.id for s in self.model.sections]
        if shop_id is None or section_id not in ids:
            return
        index = ids.index(section_id) + delta
        if not 0 <= index < len(ids):
            return
        ok, before = self._write(self.shops.move_section, section_id, index)
        if not ok or before is None:
            return
        self._sections_now(shop_id)
        after = next(s.position for s in self.model.sections if s.id == section_id)
        self.push(
            SectionCommand(
                self,  # type: ignore[arg-type]
                shop_id,
                section_id,
                ("position", before),
                ("position", after),
                _tr("Move shelf"),
            )
        )

    def remove_section(self, section_id: str) -> None:
        shop_id = self.shop_id
        if shop_id is None:
            return
        if self._write(self.shops.remove_section, section_id)[0]:
            self._sections_now(shop_id)
            self.push(
                SectionCommand(
                    self,  # type: ignore[arg-type]
                    shop_id,
                    section_id,
                    ("restore", None),
                    ("remove", None),
                    _tr("Remove shelf"),
                )
            )

    def section_op(self, shop_id: str, op: str, section_id: str, value: object) -> None:
        """Undo and redo of shelf edits."""
        store = self.shops
        calls: dict[str, Callable[[], object]] = {
            "remove": lambda: store.remove_section(section_id),
            "restore": lambda: store.restore_section(section_id),
            "rename": lambda: store.rename_section(section_id, str(value)),
            "position": lambda: store.set_section_position(section_id, str(value)),
        }
        if self._write(calls[op])[0]:
            self._sections_now(shop_id)

    # -- shops ------------------------------------------------------------------------------------

    def create_shop(self, handle: str, title: str) -> Shop | None:
        ok, shop = self._write(
            self.shops.create_shop, handle, title, section_title=_tr("Favourites")
        )
        if ok and shop is not None:
            self.push(
                ShopCommand(
                    self,  # type: ignore[arg-type]
                    shop.id,
                    "trash",
                    "restore",
                    _tr("New shop"),
                )
            )
            self.list_changed.emit(shop.id)
        return shop

    def duplicate_shop(self, shop_id: str) -> Shop | None:
        ok, shop = self._write(self.shops.duplicate_shop, shop_id)
        if ok and shop is not None:
            self.push(
                ShopCommand(
                    self,  # type: ignore[arg-type]
                    shop.id,
                    "trash",
                    "restore",
                    _tr("Duplicate shop"),
                )
            )
            self.list_changed.emit(shop.id)
        return shop

    def trash_shop(self, shop_id: str, select: str) -> bool:
        if self._write(self.shops.trash_shop, shop_id)[0]:
            self.push(
                ShopCommand(
                    self,  # type: ignore[arg-type]
                    shop_id,
                    "restore",
                    "trash",
                    _tr("Move shop to the trash"),
                )
            )
            self.list_changed.emit(select)
            return True
        return False

    def restore_shop(self, shop_id: str) -> bool:
        if self._write(self.shops.restore_shop, shop_id)[0]:
            self.push(
                ShopCommand(
                    self,  # type: ignore[arg-type]
                    shop_id,
                    "trash",
                    "restore",
                    _tr("Restore shop"),
                )
            )
            self.list_changed.emit(shop_id)
            return True
        return False

    def shop_op(self, shop_id: str, op: str) -> None:
        fn = self.shops.trash_shop if op == "trash" else self.shops.restore_shop
        if self._write(fn, shop_id)[0]:
            self.list_changed.emit(shop_id if op == "restore" else "")
