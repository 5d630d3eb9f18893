"""Tagging products on the photo: a catalog drop or a pick in the in-place search.

A tag names its product by id and by its stable identity (merchant, offer id), which only
the product's detail carries, so the details are read in a worker before the hotspot is
added. Several products dropped together land side by side, as one undo step.

The same worker asks the look store whether the conflict-of-interest rule allows each product
(``LookStore.tag_refusal``): a refused one is not tagged, and its reason shows in the editor's
message bar above the photo (the others of the drop are still tagged).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from studio.core.catalog import ProductCard
from studio.core.looks import ProductRef
from studio.ui.looks.commands import AddHotspotCommand
from studio.ui.widgets.catalog_picker import product_refs

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from studio.store.catalog import CatalogStore
    from studio.store.looks import LookStore
    from studio.ui.looks.host import LookEditorHost

SPREAD = 0.04  # fraction of the photo between products dropped together
MAX_AT_ONCE = 20


def checked_refs(
    store: CatalogStore, looks: LookStore | None, ids: list[int]
) -> list[tuple[ProductRef, ProductCard, str]]:
    """Worker: ``product_refs`` with why each may not be tagged ("" when it may)."""
    return [
        (ref, card, looks.tag_refusal(ref) if looks is not None else "")
        for ref, card in product_refs(store, ids[:MAX_AT_ONCE])
    ]


class Tagger(QObject):
    #: the ids of the hotspots just added
    tagged = Signal(list)

    def __init__(self, editor: LookEditorHost, parent: QWidget) -> None:
        super().__init__(parent)
        self.editor = editor
        self.pending_point: tuple[str, float, float] | None = None

    def tag_products(self, ids: list[int], x: float, y: float) -> None:
        photo = self.editor.current_photo
        if photo is not None:
            self._tag(photo.id, ids, x, y)

    def tag_chosen(self, product_id: int) -> None:
        if self.pending_point is not None:
            photo_id, x, y = self.pending_point
            self.pending_point = None
            self._tag(photo_id, [product_id], x, y)

    def _tag(self, photo_id: str, ids: list[int], x: float, y: float) -> None:
        store = self.editor.catalog()
        if store is None or not ids:
            return
        look_id = self.editor.doc.look.id if self.editor.doc is not None else ""
        looks = self.editor.looks
        self.editor.tasks.run(
            lambda: checked_refs(store, looks, ids),
            lambda refs: self._add(look_id, photo_id, refs, x, y),
        )

    def _add(
        self,
        look_id: str,
        photo_id: str,
        checked: list[tuple[ProductRef, ProductCard, str]],
        x: float,
        y: float,
    ) -> None:
        editor, session = self.editor, self.editor.session
        if session is None or session.look_id != look_id or session.photo(photo_id) is None:
            return  # the look or photo went away while the details loaded
        refused = [(card, reason) for _, card, reason in checked if reason]
        if refused:
            editor.notice.show_message(
                "\n".join(
                    editor.tr("“{title}” was not tagged: {reason}").format(
                        title=card.title, reason=reason
                    )
                    for card, reason in refused
                ),
                "warning",
            )
        refs = [(ref, card) for ref, card, reason in checked if not reason]
        if not refs:
            return
        stack = editor.undo_stack
        if len(refs) > 1:
            stack.beginMacro(editor.tr("Tag {n} products").format(n=len(refs)))
        added = []
        for i, (ref, card) in enumerate(refs):
            editor.cards[card.id] = card
            px = min(max(x + i * SPREAD, 0.0), 1.0)
            command = AddHotspotCommand(
                session, photo_id, ref, px, y, "", editor.tr("Tag {title}").format(title=card.title)
            )
            stack.push(command)
            added.append(command.hotspot_id)
        if len(refs) > 1:
            stack.endMacro()
        if added:
            editor.canvas.select_hotspot(added[-1])
        self.tagged.emit(added)
