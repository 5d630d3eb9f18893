"""The open look as the editor sees it: one ``LookDocument`` kept in step with the store.

Every edit goes through a ``LookSession`` method, which writes it through ``LookStore`` at
once (a small transaction, fine on the UI thread: no Save button) and patches the in-memory
document from the record the store returns, so the views never wait on a re-read. Structural
edits whose side effects the store decides (removing or restoring a photo with its hotspots)
re-read the document. ``changed`` tells the views what to refresh.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from studio.core.looks import Hotspot, Look, LookDocument, LookPhoto, ProductRef
from studio.core.sharing import number_hotspots

if TYPE_CHECKING:
    from studio.store.looks import LookStore


def _sorted_hotspots(doc: LookDocument, hotspots: list[Hotspot]) -> tuple[Hotspot, ...]:
    order = {p.id: i for i, p in enumerate(doc.photos)}
    return tuple(sorted(hotspots, key=lambda h: (order.get(h.photo_id, 1 << 30), h.position)))


class LookSession(QObject):
    """The editor's document and the only path its edits take to the store."""

    #: What changed: "look", "photos", "hotspots" or "all".
    changed = Signal(str)

    def __init__(self, store: LookStore, doc: LookDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.doc = doc

    @property
    def look_id(self) -> str:
        return self.doc.look.id

    # -- reads ------------------------------------------------------------------------------

    def photo(self, photo_id: str | None) -> LookPhoto | None:
        return next((p for p in self.doc.photos if p.id == photo_id), None)

    def hotspot(self, hotspot_id: str | None) -> Hotspot | None:
        return next((h for h in self.doc.hotspots if h.id == hotspot_id), None)

    def numbers(self) -> dict[str, int]:
        return number_hotspots(self.doc)

    # -- writes -----------------------------------------------------------------------------

    def reload(self) -> None:
        doc = self.store.document(self.look_id)
        if doc is not None:
            self.doc = doc
        self.changed.emit("all")

    def update_look(self, **fields: object) -> Look:
        look: Look = self.store.update_look(self.look_id, **fields)
        self.doc = dataclasses.replace(self.doc, look=look)
        self.changed.emit("look")
        return look

    def add_photo(
        self, media_hash: str, width: int, height: int, photo_id: str, position: str | None = None
    ) -> LookPhoto:
        photo: LookPhoto = self.store.add_photo(
            self.look_id, media_hash, width, height, photo_id=photo_id, position=position
        )
        photos = sorted([*self.doc.photos, photo], key=lambda p: p.position)
        self.doc = dataclasses.replace(self.doc, photos=tuple(photos))
        self.changed.emit("photos")
        return photo

    def remove_photo(self, photo_id: str) -> None:
        self.store.remove_photo(photo_id)
        self.reload()

    def restore_photo(self, photo_id: str) -> None:
        self.store.restore_photo(photo_id)
        self.reload()

    def update_photo(self, photo_id: str, **fields: object) -> LookPhoto:
        photo: LookPhoto = self.store.update_photo(photo_id, **fields)
        photos = sorted(
            [photo if p.id == photo_id else p for p in self.doc.photos], key=lambda p: p.position
        )
        self.doc = dataclasses.replace(self.doc, photos=tuple(photos))
        if "position" in fields:  # numbering follows the carousel order
            self.doc = dataclasses.replace(
                self.doc, hotspots=_sorted_hotspots(self.doc, list(self.doc.hotspots))
            )
        self.changed.emit("photos")
        return photo

    def replace_media(self, photo_id: str, media_hash: str, width: int, height: int) -> LookPhoto:
        photo: LookPhoto = self.store.replace_media(photo_id, media_hash, width, height)
        self.doc = dataclasses.replace(
            self.doc, photos=tuple(photo if p.id == photo_id else p for p in self.doc.photos)
        )
        self.changed.emit("photos")
        return photo

    def add_hotspot(
        self,
        photo_id: str,
        product: ProductRef,
        x: float,
        y: float,
        *,
        hotspot_id: str,
        label: str = "",
    ) -> Hotspot:
        hotspot: Hotspot = self.store.add_hotspot(
            photo_id, product, x, y, label=label, hotspot_id=hotspot_id
        )
        self._put_hotspot(hotspot)
        return hotspot

    def restore_hotspot(self, hotspot_id: str) -> Hotspot:
        hotspot: Hotspot = self.store.restore_hotspot(hotspot_id)
        self._put_hotspot(hotspot)
        return hotspot

    def update_hotspot(self, hotspot_id: str, **fields: object) -> Hotspot:
        hotspot: Hotspot = self.store.update_hotspot(hotspot_id, **fields)
        self._put_hotspot(hotspot)
        return hotspot

    def delete_hotspot(self, hotspot_id: str) -> None:
        self.store.delete_hotspot(hotspot_id)
        self.doc = dataclasses.replace(
            self.doc, hotspots=tuple(h for h in self.doc.hotspots if h.id != hotspot_id)
        )
        self.changed.emit("hotspots")

    def _put_hotspot(self, hotspot: Hotspot) -> None:
        others = [h for h in self.doc.hotspots if h.id != hotspot.id]
        self.doc = dataclasses.replace(
            self.doc, hotspots=_sorted_hotspots(self.doc, [*others, hotspot])
        )
        self.changed.emit("hotspots")
