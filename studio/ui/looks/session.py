"""The open look as the editor sees it: one ``LookDocument``, changed at once, saved behind.

Every edit goes through a ``LookSession`` method, and none waits for the store. An edit the
store cannot refuse (a title typed, a marker moved, a crop, a photo added, removed or moved, a
tag taken off) is *optimistic*: the session makes the new record itself - ids made here, order
keys from ``studio.core.ordering``, the store's own value checks (``studio.store.values``) -
puts it in the document, tells the views (``changed``) and only then queues the write on the
writer lane (``PageWrites``), so a busy store never freezes the window. Tagging a product, which
the conflict-of-interest rule may refuse, is *written, then shown*: ``add_hotspots`` and
``write_hotspot`` hand the stored records (or the refusal's reason) to the caller, which shows
them with its undo step (``show_hotspot``).

The record a write stores replaces the session's copy once no later write of that record is
queued: the store's word wins, yet a reply never takes back typing still on its way. Removing
or restoring a photo takes away or brings back its tags here at once, and the document is read
again after the write all the same (the store decides what goes with a photo). ``reread`` reads
the document again when another source changed it; a read that began before an edit was queued
is read again after that edit, so a re-read never undoes what the view already shows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal

from studio.core.errors import StoreError
from studio.core.looks import (
    Hotspot,
    Look,
    LookDocument,
    LookPhoto,
    LookStatus,
    MatchKind,
    ProductRef,
    new_id,
)
from studio.core.ordering import key_between
from studio.core.sharing import number_hotspots
from studio.store.values import check_crop, order_key, tags, text, unit

if TYPE_CHECKING:
    from studio.store.looks import LookStore
    from studio.ui.tasks import TaskManager
    from studio.ui.widgets.writes import PageWrites

T = TypeVar("T")
#: A tag to write: the product and where it sits (fractions of the upright, uncropped photo).
TagSpec = tuple[ProductRef, float, float]
_FACETS = ("occasions", "seasons", "styles")


def _sorted_hotspots(photos: Sequence[LookPhoto], hotspots: list[Hotspot]) -> tuple[Hotspot, ...]:
    order = {p.id: i for i, p in enumerate(photos)}
    return tuple(sorted(hotspots, key=lambda h: (order.get(h.photo_id, 1 << 30), h.position, h.id)))


def _look_values(fields: dict[str, object]) -> dict[str, object]:
    """The look's fields as the store will keep them (``LookStore.update_look``'s checks)."""
    out: dict[str, object] = {}
    for name, value in fields.items():
        if name in _FACETS:
            out[name] = tags(value, name)
        elif name == "status":
            out[name] = LookStatus(text(value, name))
        else:
            out[name] = text(value, name)
    return out


def _photo_values(fields: dict[str, object]) -> dict[str, object]:
    out: dict[str, object] = {}
    for name, value in fields.items():
        if name == "crop":
            out[name] = check_crop(value)
        elif name == "rotation":
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"rotation must be whole quarter turns, not {value!r}")
            out[name] = value % 4
        elif name == "position":
            out[name] = order_key(value)
        else:
            out[name] = text(value, name)
    return out


def _hotspot_values(fields: dict[str, object]) -> dict[str, object]:
    out: dict[str, object] = {}
    for name, value in fields.items():
        if name in ("x", "y"):
            out[name] = unit(value, name)
        elif name == "kind":
            out[name] = MatchKind(text(value, name))
        elif name == "position":
            out[name] = order_key(value)
        elif name == "product":
            out[name] = value
        else:
            out[name] = text(value, name)
    return out


class LookSession(QObject):
    """The editor's document and the only path its edits take to the store."""

    #: What changed: "look", "photos", "hotspots" or "all".
    changed = Signal(str)
    #: The look is no longer in the store (a re-read found nothing).
    gone = Signal()

    def __init__(
        self, store: LookStore, doc: LookDocument, writes: PageWrites, tasks: TaskManager
    ) -> None:
        super().__init__()
        self.store = store
        self.doc = doc
        self.writes = writes
        self.tasks = tasks
        self.closed = False
        self._queued = 0  # writes queued so far: a re-read older than the last one is stale
        self._reads = 0  # re-reads asked for: only the last one's document is taken
        self._inflight: dict[str, int] = {}  # record id -> its writes not yet committed
        self._removed: dict[str, tuple[LookPhoto, tuple[Hotspot, ...]]] = {}
        self._last_key: str | None = None  # the last place given to a new photo

    @property
    def look_id(self) -> str:
        return self.doc.look.id

    def close(self) -> None:
        """Another look is shown: replies still on their way are dropped (they are saved)."""
        self.closed = True

    # -- reads ------------------------------------------------------------------------------

    def photo(self, photo_id: str | None) -> LookPhoto | None:
        return next((p for p in self.doc.photos if p.id == photo_id), None)

    def hotspot(self, hotspot_id: str | None) -> Hotspot | None:
        return next((h for h in self.doc.hotspots if h.id == hotspot_id), None)

    def numbers(self) -> dict[str, int]:
        return number_hotspots(self.doc)

    def reread(self) -> None:
        """Read the document again (another source changed it, or a write failed)."""
        if self.closed:
            return
        self._reads += 1
        mark, read_no, store, look_id = self._queued, self._reads, self.store, self.look_id

        def read() -> LookDocument | None:
            return store.document(look_id)

        def arrived(doc: LookDocument | None) -> None:
            if self.closed or read_no != self._reads:
                return  # a newer read was asked for: it answers (reads may finish out of order)
            if mark != self._queued:  # an edit was queued since: read what it left
                self.reread()
                return
            if doc is None:
                self.gone.emit()
                return
            self.doc = doc
            # Every write queued before the read has answered; one that failed never will.
            self._inflight.clear()
            for photo in doc.photos:
                self._removed.pop(photo.id, None)
            self.changed.emit("all")

        if self.writes.pending:  # after them, or the read may not see what the view shows
            self.writes.after(read, arrived)
        else:
            self.tasks.run(read, arrived, owner=self.writes)

    # -- optimistic edits -------------------------------------------------------------------

    def update_look(self, **fields: object) -> None:
        look = dataclasses.replace(self.doc.look, **_look_values(fields))  # type: ignore[arg-type]
        self._set_look(look)
        store, look_id = self.store, self.look_id
        self._write(look_id, lambda: store.update_look(look_id, **fields), self._set_look)

    def add_photo(self, media_hash: str, width: int, height: int, photo_id: str) -> None:
        """A new photo at the end of the carousel (after every photo this session has seen,
        removed ones too, so bringing one back never ties its place)."""
        known = [p.position for p in self.doc.photos]
        known += [p.position for p, _ in self._removed.values()]
        position = key_between(max([*known, self._last_key or ""]) or None, None)
        self._last_key = position
        photo = LookPhoto(photo_id, self.look_id, media_hash, width, height, position)
        self._put_photo(photo)
        store, look_id = self.store, self.look_id
        self._write(
            photo_id,
            lambda: store.add_photo(
                look_id, media_hash, width, height, photo_id=photo_id, position=position
            ),
            self._put_photo,
        )

    def remove_photo(self, photo_id: str) -> None:
        photo = self.photo(photo_id)
        if photo is not None:
            self._removed[photo_id] = (photo, self.doc.hotspots_of(photo_id))
            self.doc = dataclasses.replace(
                self.doc,
                photos=tuple(p for p in self.doc.photos if p.id != photo_id),
                hotspots=tuple(h for h in self.doc.hotspots if h.photo_id != photo_id),
            )
            self.changed.emit("photos")
        store = self.store
        self._write(photo_id, lambda: store.remove_photo(photo_id), lambda _none: self.reread())

    def restore_photo(self, photo_id: str) -> None:
        removed = self._removed.pop(photo_id, None)
        if removed is not None:
            photo, hotspots = removed
            photos = sorted([*self.doc.photos, photo], key=lambda p: (p.position, p.id))
            self.doc = dataclasses.replace(
                self.doc,
                photos=tuple(photos),
                hotspots=_sorted_hotspots(photos, [*self.doc.hotspots, *hotspots]),
            )
            self.changed.emit("photos")
        store = self.store
        self._write(photo_id, lambda: store.restore_photo(photo_id), lambda _p: self.reread())

    def update_photo(self, photo_id: str, **fields: object) -> None:
        photo = self.photo(photo_id)
        if photo is not None:
            self._put_photo(dataclasses.replace(photo, **_photo_values(fields)))  # type: ignore[arg-type]
        store = self.store
        self._write(photo_id, lambda: store.update_photo(photo_id, **fields), self._put_photo)

    def replace_media(self, photo_id: str, media_hash: str, width: int, height: int) -> None:
        photo = self.photo(photo_id)
        if photo is not None:
            self._put_photo(
                dataclasses.replace(photo, media_hash=media_hash, width=width, height=height)
            )
        store = self.store
        self._write(
            photo_id,
            lambda: store.replace_media(photo_id, media_hash, width, height),
            self._put_photo,
        )

    def update_hotspot(self, hotspot_id: str, **fields: object) -> None:
        hotspot = self.hotspot(hotspot_id)
        if hotspot is not None:
            self._put_hotspot(dataclasses.replace(hotspot, **_hotspot_values(fields)))  # type: ignore[arg-type]
        store = self.store
        self._write(
            hotspot_id, lambda: store.update_hotspot(hotspot_id, **fields), self._put_hotspot
        )

    def delete_hotspot(self, hotspot_id: str) -> None:
        self.doc = dataclasses.replace(
            self.doc, hotspots=tuple(h for h in self.doc.hotspots if h.id != hotspot_id)
        )
        self.changed.emit("hotspots")
        store = self.store
        self._write(hotspot_id, lambda: store.delete_hotspot(hotspot_id), None)

    def restore_hotspot(self, hotspot: Hotspot) -> None:
        """Bring back a tag taken off (as it was: undo is the known inverse)."""
        self.show_hotspot(hotspot)
        store = self.store
        self._write(hotspot.id, lambda: store.restore_hotspot(hotspot.id), self._put_hotspot)

    # -- written, then shown ----------------------------------------------------------------

    def add_hotspots(
        self,
        photo_id: str,
        specs: Sequence[TagSpec],
        on_done: Callable[[list[Hotspot | str]], object],
    ) -> None:
        """Tag products on a photo in one write; ``on_done`` gets, per spec, the stored
        hotspot or the reason the store refused it (nothing of it written)."""
        store = self.store
        ids = [new_id() for _ in specs]

        def job() -> list[Hotspot | str]:
            out: list[Hotspot | str] = []
            for hotspot_id, (ref, x, y) in zip(ids, specs, strict=True):
                try:
                    out.append(store.add_hotspot(photo_id, ref, x, y, hotspot_id=hotspot_id))
                except StoreError as exc:  # this product refused; the others still go
                    out.append(str(exc))
            return out

        self._queue(job, on_done)

    def write_hotspot(
        self,
        hotspot_id: str,
        fields: dict[str, Any],
        on_done: Callable[[Hotspot], object],
        on_refused: Callable[[str], object],
    ) -> None:
        """Change a hotspot the store may refuse (another product): shown by ``on_done``."""
        store = self.store
        self._queue(lambda: store.update_hotspot(hotspot_id, **fields), on_done, on_refused)

    def show_hotspot(self, hotspot: Hotspot) -> None:
        """Show a hotspot as stored (its write is done, or queued by the caller)."""
        if self.photo(hotspot.photo_id) is not None:
            self._put_hotspot(hotspot)

    # -- the document and the lane ----------------------------------------------------------

    def _write(
        self, record_id: str, fn: Callable[[], T], stored: Callable[[T], object] | None
    ) -> None:
        """Queue an optimistic write; ``stored(record)`` once it is the record's last one."""
        self._inflight[record_id] = self._inflight.get(record_id, 0) + 1

        def done(value: T) -> None:
            left = self._inflight.pop(record_id, 1) - 1
            if left:
                self._inflight[record_id] = left
            elif stored is not None and not self.closed:
                stored(value)

        # A failure is PageWrites': it says why, clears the undo steps and re-reads (resync).
        self._queue(fn, done)

    def _queue(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], object],
        on_refused: Callable[[str], object] | None = None,
    ) -> None:
        self._queued += 1

        def done(value: T) -> None:
            if not self.closed:
                on_done(value)

        self.writes.write(fn, done, on_refused=on_refused)

    def _set_look(self, look: Look) -> None:
        if self.closed or look.id != self.look_id:
            return
        shown = dataclasses.replace(self.doc.look, updated_at=look.updated_at)
        self.doc = dataclasses.replace(self.doc, look=look)
        if shown != look:  # not only its stamp: the view shows what is saved
            self.changed.emit("look")

    def _put_photo(self, photo: LookPhoto) -> None:
        if photo.look_id != self.look_id or photo.id in self._removed:
            return
        old = self.photo(photo.id)
        if old == photo:
            return
        photos = sorted(
            [p for p in self.doc.photos if p.id != photo.id] + [photo],
            key=lambda p: (p.position, p.id),
        )
        self.doc = dataclasses.replace(self.doc, photos=tuple(photos))
        if old is None or old.position != photo.position:  # numbering follows the carousel
            self.doc = dataclasses.replace(
                self.doc, hotspots=_sorted_hotspots(photos, list(self.doc.hotspots))
            )
        self.changed.emit("photos")

    def _put_hotspot(self, hotspot: Hotspot) -> None:
        if self.photo(hotspot.photo_id) is None or self.hotspot(hotspot.id) == hotspot:
            return
        others = [h for h in self.doc.hotspots if h.id != hotspot.id]
        self.doc = dataclasses.replace(
            self.doc, hotspots=_sorted_hotspots(self.doc.photos, [*others, hotspot])
        )
        self.changed.emit("hotspots")
