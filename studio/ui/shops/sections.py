"""Shelf edits of the shop controller (a mixin of ``ShopController``): add, rename, move, remove.

The store cannot refuse these, so each is shown at once and written behind. A new shelf's id
is made here (``new_id``); a new or moved shelf's order key is guessed between its neighbours
and the store chooses the real one (clear of removed shelves' keys, which only it knows). Every
shelf job reads the shop's live shelves back, and the last one queued puts them on screen when
they differ from the guess; a move's job also fills in the key its redo will write (a cell,
as ``PlaceItemsCommand.after`` is for rows). Shelves are few, so the model takes a new list of
them (a rename repaints its header; adding, moving or removing one lays the shelves out again).
A removed shelf's command keeps the items that went with it, so its undo shows them at once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from studio.core.looks import new_id
from studio.core.ordering import key_between
from studio.core.shops import ShopDocument, ShopItem, ShopSection
from studio.store.values import text as text_value
from studio.ui.shops.commands import SectionCommand
from studio.ui.shops.model import ShelfModel

if TYPE_CHECKING:
    from studio.store.shops import ShopStore

T = TypeVar("T")
Shelves = tuple[list[ShopSection], dict[str, list[ShopItem]]]


def _tr(text: str) -> str:
    return QCoreApplication.translate("ShopController", text)


def _ordered(sections: Sequence[ShopSection]) -> list[ShopSection]:
    return sorted(sections, key=lambda s: (s.position, s.id))


class SectionEdits:
    """Needs the controller's store, model, writes and signals (declared below)."""

    shops: ShopStore
    model: ShelfModel
    shop_id: str | None
    doc: ShopDocument | None
    serial: int
    push: Callable[[QUndoCommand], None]
    edited: Callable[[], None]
    showing: Callable[[str], bool]
    shelves_serial = 0  # the serial of the last shelf edit queued

    if TYPE_CHECKING:

        def write(
            self,
            fn: Callable[[], T],
            on_done: Callable[[T], object] | None = None,
            *,
            on_refused: Callable[[str], object] | None = None,
        ) -> None: ...
        def show_and_write(
            self,
            shop_id: str,
            ids: Sequence[str],
            show: Callable[[], object],
            job: Callable[[], T],
            on_done: Callable[[T], object] | None = None,
        ) -> None: ...

    # -- showing and confirming -------------------------------------------------------------

    def _show_sections(
        self, sections: Sequence[ShopSection], fresh: dict[str, list[ShopItem]] | None = None
    ) -> None:
        self.model.set_sections(_ordered(sections), fresh or {})
        if self.doc is not None:
            self.doc = ShopDocument(self.doc.shop, tuple(self.model.sections), self.doc.items)
        self.edited()

    def _shelf_job(
        self,
        shop_id: str,
        op: Callable[[], object],
        then: Callable[[list[ShopSection]], None] | None = None,
    ) -> Callable[[], Shelves]:
        """A job doing ``op``, then reading the shop's live shelves as it left them (with the
        items of any shelf the view does not hold), handed to ``then`` there."""
        shops, known = self.shops, frozenset(self.model.items)

        def job() -> Shelves:
            op()
            sections, fresh = shops.shelves(shop_id, known=known)
            if then is not None:
                then(sections)
            return sections, fresh

        return job

    def _stored(self, shop_id: str, serial: int) -> Callable[[Shelves], None]:
        def confirm(shelves: Shelves) -> None:
            sections, fresh = shelves
            # The last shelf edit queued, and the store chose other keys than the view's.
            if (
                serial == self.shelves_serial
                and self.showing(shop_id)
                and sections != self.model.sections
            ):
                self._show_sections(sections, fresh)

        return confirm

    def _write_shelves(
        self,
        shop_id: str,
        op: Callable[[], object],
        then: Callable[[list[ShopSection]], None] | None = None,
    ) -> None:
        self.shelves_serial = self.serial + 1  # this write's
        self.write(self._shelf_job(shop_id, op, then), self._stored(shop_id, self.shelves_serial))

    # -- edits ------------------------------------------------------------------------------

    def add_section(self, title: str, index: int | None = None) -> str | None:
        """A new shelf at ``index`` (None: last), shown at once; its id."""
        shop_id, shops = self.shop_id, self.shops
        if shop_id is None or not self.showing(shop_id):
            return None
        sections = list(self.model.sections)
        at = len(sections) if index is None else max(0, min(index, len(sections)))
        try:
            key = key_between(
                sections[at - 1].position if at else None,
                sections[at].position if at < len(sections) else None,
            )
        except ValueError:  # two shelves tied on one key: the store makes room
            self._write_shelves(shop_id, lambda: shops.add_section(shop_id, title, index=at))
            return None
        section = ShopSection(new_id(), shop_id, title, key)
        self._show_sections([*sections, section], {section.id: []})
        self._write_shelves(
            shop_id, lambda: shops.add_section(shop_id, title, index=at, section_id=section.id)
        )
        self.push(
            SectionCommand(
                self,  # type: ignore[arg-type]
                shop_id,
                section,
                ("remove", None),
                ("restore", []),
                _tr("Add shelf"),
            )
        )
        return section.id

    def rename_section(self, section_id: str, title: str) -> None:
        shop_id, shops = self.shop_id, self.shops
        section = next((s for s in self.model.sections if s.id == section_id), None)
        if shop_id is None or section is None or title == section.title:
            return
        title = text_value(title, "title")
        renamed = dataclasses.replace(section, title=title)
        self._show_sections([renamed if s.id == section_id else s for s in self.model.sections])
        self._write_shelves(shop_id, lambda: shops.rename_section(section_id, title))
        self.push(
            SectionCommand(
                self,  # type: ignore[arg-type]
                shop_id,
                renamed,
                ("rename", section.title),
                ("rename", title),
                _tr("Rename shelf"),
            )
        )

    def move_section(self, section_id: str, delta: int) -> None:
        shop_id, shops = self.shop_id, self.shops
        sections = list(self.model.sections)
        ids = [s.id for s in sections]
        if shop_id is None or section_id not in ids:
            return
        index = ids.index(section_id) + delta
        if not 0 <= index < len(ids):
            return
        section = sections[ids.index(section_id)]
        others = [s for s in sections if s.id != section_id]
        try:
            key = key_between(
                others[index - 1].position if index else None,
                others[index].position if index < len(others) else None,
            )
        except ValueError:
            key = ""
        cell = [key]  # the store's key, once the move has committed (the redo writes it)

        def stored_key(stored: list[ShopSection]) -> None:
            cell[0] = next(s.position for s in stored if s.id == section_id)

        if key:
            self._show_sections([*others, dataclasses.replace(section, position=key)])
        self._write_shelves(shop_id, lambda: shops.move_section(section_id, index), stored_key)
        self.push(
            SectionCommand(
                self,  # type: ignore[arg-type]
                shop_id,
                section,
                ("position", [section.position]),
                ("position", cell),
                _tr("Move shelf"),
            )
        )

    def remove_section(self, section_id: str) -> None:
        """Take the shelf off with its products (its undo brings both back)."""
        shop_id, shops = self.shop_id, self.shops
        section = next((s for s in self.model.sections if s.id == section_id), None)
        if shop_id is None or section is None:
            return
        items = list(self.model.items.get(section_id, []))
        self._show_sections([s for s in self.model.sections if s.id != section_id])
        self._write_shelves(shop_id, lambda: shops.remove_section(section_id))
        self.push(
            SectionCommand(
                self,  # type: ignore[arg-type]
                shop_id,
                section,
                ("restore", items),
                ("remove", None),
                _tr("Remove shelf"),
            )
        )

    def section_op(self, shop_id: str, op: str, section: ShopSection, value: object) -> None:
        """Undo and redo of shelf edits: shown at once, written behind."""
        shops, section_id = self.shops, section.id
        ops: dict[str, Callable[[], object]] = {
            "remove": lambda: shops.remove_section(section_id),
            "restore": lambda: shops.restore_section(section_id),
            "rename": lambda: shops.rename_section(section_id, str(value)),
            # Read when it runs: a move's cell holds the store's key by then.
            "position": lambda: shops.set_section_position(section_id, str(value[0])),  # type: ignore[index]
        }

        def show() -> None:
            shown = next((s for s in self.model.sections if s.id == section_id), section)
            rest = [s for s in self.model.sections if s.id != section_id]
            if op == "restore":
                self._show_sections([*rest, section], {section_id: list(value)})  # type: ignore[call-overload]
            elif op == "rename":
                self._show_sections([*rest, dataclasses.replace(shown, title=str(value))])
            elif op == "position":
                key = str(value[0])  # type: ignore[index]
                self._show_sections([*rest, dataclasses.replace(shown, position=key)])
            else:
                self._show_sections(rest)

        self.shelves_serial = self.serial + 1  # this write's
        self.show_and_write(
            shop_id,
            [],
            show,
            self._shelf_job(shop_id, ops[op]),
            self._stored(shop_id, self.shelves_serial),
        )
