"""Tagging products on the photo: a catalog drop or a pick in the in-place search.

A tag names its product by id and by its stable identity (merchant, offer id), which only
the product's detail carries, so the details are read in a worker first. Then the tags are
*written, then shown*: the store checks each product against the conflict-of-interest rule in
the very transaction that would add it (``LookStore.add_hotspot``), so a tie declared a moment
ago - even by another window - is never missed. The products it accepts are shown and pushed
as one undo step (several dropped together land side by side); a refused one is not tagged,
and its reason shows in the editor's message bar above the photo.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from studio.core.catalog import ProductCard
from studio.core.looks import Hotspot, ProductRef
from studio.ui.looks.commands import AddHotspotCommand
from studio.ui.widgets.catalog_picker import product_refs

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from studio.ui.looks.host import LookEditorHost
    from studio.ui.looks.session import LookSession

SPREAD = 0.04  # fraction of the photo between products dropped together
MAX_AT_ONCE = 20


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
        store, session = self.editor.catalog(), self.editor.session
        if store is None or session is None or not ids:
            return
        self.editor.tasks.run(
            lambda: product_refs(store, ids[:MAX_AT_ONCE]),
            lambda refs: self._write(session, photo_id, refs, x, y),
        )

    def _write(
        self,
        session: LookSession,
        photo_id: str,
        refs: list[tuple[ProductRef, ProductCard]],
        x: float,
        y: float,
    ) -> None:
        if session is not self.editor.session or session.photo(photo_id) is None or not refs:
            return  # the look or photo went away while the details loaded
        specs = [
            (ref, min(max(x + i * SPREAD, 0.0), 1.0), y) for i, (ref, _card) in enumerate(refs)
        ]
        cards = [card for _ref, card in refs]
        session.add_hotspots(
            photo_id, specs, lambda results: self._show(session, photo_id, cards, results)
        )

    def _show(
        self,
        session: LookSession,
        photo_id: str,
        cards: list[ProductCard],
        results: list[Hotspot | str],
    ) -> None:
        """The store's answer: refusals said, accepted tags shown as one undo step."""
        editor = self.editor
        refused = [(card, r) for card, r in zip(cards, results, strict=True) if isinstance(r, str)]
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
        added = [(c, h) for c, h in zip(cards, results, strict=True) if isinstance(h, Hotspot)]
        if not added or session is not editor.session or session.photo(photo_id) is None:
            return  # saved all the same; the look shown now is another
        stack = editor.undo_stack
        if len(added) > 1:
            stack.beginMacro(editor.tr("Tag {n} products").format(n=len(added)))
        for card, hotspot in added:
            editor.cards[card.id] = card
            stack.push(
                AddHotspotCommand(
                    session, hotspot, editor.tr("Tag {title}").format(title=card.title)
                )
            )
        if len(added) > 1:
            stack.endMacro()
        editor.canvas.select_hotspot(added[-1][1].id)
        self.tagged.emit([h.id for _c, h in added])
