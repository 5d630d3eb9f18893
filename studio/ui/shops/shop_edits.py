"""Shop-level edits of the shop controller (a mixin of ``ShopController``): the shop list's
create, duplicate, trash and restore, and the settings form's fields.

They share the page's undo stack with the shelves. Creating and duplicating (the handle must
be free, the tier must allow another shop) and restoring (the same) may be refused: they are
written, then shown - the list reads the shops again and selects the new one - with their undo
step. Trashing cannot be refused: the shop's line goes at once and the write follows.

Settings: a title, tagline, description, banner or accent typed or chosen is shown at once
(the value checked here as the store checks it) and written behind; consecutive typing in one
field is one undo step. A handle may be taken or malformed: it is written first, and a refusal
gives the field back its stored handle (``on_refused``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QCoreApplication, SignalInstance
from PySide6.QtGui import QUndoCommand

from studio.core.shops import Shop, ShopDocument, normalise_colour
from studio.store.values import text as text_value
from studio.ui.shops.commands import ShopCommand, ShopFieldsCommand

if TYPE_CHECKING:
    from studio.store.shops import ShopStore

T = TypeVar("T")


def _tr(text: str) -> str:
    return QCoreApplication.translate("ShopController", text)


def shop_values(fields: Mapping[str, object]) -> dict[str, object]:
    """The fields as the store will keep them (ValueError naming a bad one). Not the handle,
    which only the store can check (it must be free)."""
    values: dict[str, object] = {}
    for name, value in fields.items():
        if name == "accent":
            values[name] = normalise_colour(text_value(value, name))
        elif name == "banner_hash":
            values[name] = None if value is None else text_value(value, name)
        elif name in ("title", "tagline", "description"):
            values[name] = text_value(value, name)
        else:
            raise ValueError(f"a shop has no field {name!r} to edit here")
    return values


class ShopEdits:
    """Needs the controller's store, writes and signals (declared below)."""

    shops: ShopStore
    shop_id: str | None
    doc: ShopDocument | None
    message: SignalInstance
    list_changed: SignalInstance
    shop_trashed: SignalInstance
    push: Callable[[QUndoCommand], None]
    refused: Callable[[str], None]
    showing: Callable[[str], bool]
    shop_is: Callable[[Shop], None]
    when_written: Callable[[Callable[[], object]], None]

    if TYPE_CHECKING:

        def write(
            self,
            fn: Callable[[], T],
            on_done: Callable[[T], object] | None = None,
            *,
            on_refused: Callable[[str], object] | None = None,
        ) -> None: ...

    # -- the shop list --------------------------------------------------------------------------

    def create_shop(
        self, handle: str, title: str, on_created: Callable[[Shop], object] | None = None
    ) -> None:
        """A new shop with its first shelf, once the store took the handle."""
        shops, shelf = self.shops, _tr("Favourites")

        def done(shop: Shop) -> None:
            self._shop_step(shop.id, "trash", "restore", _tr("New shop"))
            self.list_changed.emit(shop.id)
            if on_created is not None:
                on_created(shop)

        self.write(
            lambda: shops.create_shop(handle, title, section_title=shelf),
            done,
            on_refused=self.refused,
        )

    def duplicate_shop(self, shop_id: str) -> None:
        shops = self.shops

        def done(shop: Shop) -> None:
            self._shop_step(shop.id, "trash", "restore", _tr("Duplicate shop"))
            self.list_changed.emit(shop.id)

        self.write(lambda: shops.duplicate_shop(shop_id), done, on_refused=self.refused)

    def trash_shop(self, shop_id: str, select: str) -> None:
        """To the trash now (its line goes, ``select`` is chosen), written behind."""
        shops = self.shops
        self.shop_trashed.emit(shop_id, select)
        self.write(lambda: shops.trash_shop(shop_id))
        self._shop_step(shop_id, "restore", "trash", _tr("Move shop to the trash"))

    def restore_shop(self, shop_id: str) -> None:
        shops = self.shops

        def done(_shop: Shop) -> None:
            self._shop_step(shop_id, "trash", "restore", _tr("Restore shop"))
            self.list_changed.emit(shop_id)

        self.write(lambda: shops.restore_shop(shop_id), done, on_refused=self.refused)

    def _shop_step(self, shop_id: str, undo_op: str, redo_op: str, text: str) -> None:
        self.push(ShopCommand(self, shop_id, undo_op, redo_op, text))  # type: ignore[arg-type]

    def shop_op(self, shop_id: str, op: str) -> None:
        """Undo and redo of the list's edits: a trash shows at once; a restore (which a taken
        handle or the tier may refuse) shows once written, and a refusal clears the undo."""
        shops = self.shops
        if op == "trash":
            self.shop_trashed.emit(shop_id, "")
            self.write(lambda: shops.trash_shop(shop_id))
        else:
            self.write(
                lambda: shops.restore_shop(shop_id), lambda _s: self.list_changed.emit(shop_id)
            )

    # -- settings -------------------------------------------------------------------------------

    def update_shop(
        self,
        fields: Mapping[str, object],
        text: str,
        *,
        merge_key: object = None,
        on_refused: Callable[[], object] | None = None,
    ) -> None:
        """Edit the open shop's fields (one undo step, merged with the step before it when
        ``merge_key`` is the same); ``on_refused`` after a refusal's message."""
        shop_id, doc, shops = self.shop_id, self.doc, self.shops
        if shop_id is None or doc is None or not self.showing(shop_id):
            return
        before = {k: getattr(doc.shop, k) for k in fields}
        if "handle" in fields:
            written = dict(fields)

            def done(shop: Shop) -> None:
                after = {k: getattr(shop, k) for k in written}
                if self.showing(shop.id) and self.doc is not None:
                    # Only what this edit wrote: a field typed since shows as typed.
                    self.shop_is(dataclasses.replace(self.doc.shop, **after))  # type: ignore[arg-type]
                if before != after:
                    self.push(ShopFieldsCommand(self, shop_id, before, after, text))  # type: ignore[arg-type]

            def refused(reason: str) -> None:
                self.refused(reason)
                if on_refused is not None:
                    on_refused()

            self.write(lambda: shops.update_shop(shop_id, **written), done, on_refused=refused)
            return
        try:
            values = shop_values(fields)
        except ValueError as exc:
            self.message.emit(str(exc), True)
            return
        if values == before:
            return
        self.shop_is(dataclasses.replace(doc.shop, **values))  # type: ignore[arg-type]
        self.write(lambda: shops.update_shop(shop_id, **values))
        self.push(
            ShopFieldsCommand(self, shop_id, before, values, text, merge_key=merge_key)  # type: ignore[arg-type]
        )

    def write_shop(self, shop_id: str, fields: Mapping[str, object]) -> None:
        """Undo and redo of settings: the fields as they were stored, shown and written."""
        shops, values = self.shops, dict(fields)
        if self.showing(shop_id) and self.doc is not None:
            self.shop_is(dataclasses.replace(self.doc.shop, **values))  # type: ignore[arg-type]
            self.write(lambda: shops.update_shop(shop_id, **values))
        else:
            self.write(lambda: shops.update_shop(shop_id, **values))
            self.when_written(lambda: self.list_changed.emit(shop_id))
