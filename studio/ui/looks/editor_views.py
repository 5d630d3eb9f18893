"""What the look editor shows of its document: the photo, the markers, the cards and checks.

A mixin of ``LookEditor`` (kept apart so each module stays readable). ``_refresh`` brings the
views in step with the session's document after an edit or a re-read ("look", "photos",
"hotspots" or "all"): the heading and the inspector, the strip and the photo on the canvas
(its preview cut and decoded in a worker), the markers and the "In this look" list with their
numbers and labels. It also fetches the cards (price, availability) of the tagged products, in
a worker and again when the catalog changed, runs the look's checks
(``studio.core.look_checks``) with the conflicts ``ConflictWatch`` reads, and fills the
inspector's tag box for the selected marker.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from studio.core.catalog import ProductCard
from studio.core.look_checks import check_look
from studio.core.looks import Crop, LookPhoto

if TYPE_CHECKING:
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QLabel, QTabWidget

    from studio.core.looks import LookDocument
    from studio.media.library import MediaLibrary
    from studio.store.catalog import CatalogStore
    from studio.store.looks import LookStore
    from studio.ui.looks.canvas import LookCanvas
    from studio.ui.looks.checks_panel import ChecksPanel
    from studio.ui.looks.images import PreviewLoader
    from studio.ui.looks.inspector import Inspector
    from studio.ui.looks.photo_strip import PhotoStrip
    from studio.ui.looks.products_panel import ProductsPanel
    from studio.ui.looks.session import LookSession
    from studio.ui.tasks import TaskManager
    from studio.ui.widgets.checks import ConflictWatch


class EditorViews:
    """The views of ``LookEditor`` kept in step with its document (``self`` is the editor)."""

    if TYPE_CHECKING:  # what the mixin uses of the editor
        tasks: TaskManager
        catalog: Callable[[], CatalogStore | None]
        looks: LookStore | None
        media: MediaLibrary | None
        session: LookSession | None
        cards: dict[int, ProductCard]
        cards_ready: bool
        heading: QLabel
        hint: QLabel
        canvas: LookCanvas
        strip: PhotoStrip
        previews: PreviewLoader
        products: ProductsPanel
        inspector: Inspector
        checks: ChecksPanel
        conflicts: ConflictWatch
        tabs: QTabWidget

        @property
        def doc(self) -> LookDocument | None: ...
        def tr(self, text: str) -> str: ...
        def _leave_crop_mode(self) -> Crop: ...
        def update_crop_enabled(self) -> None: ...
        def _remember(self, key: str, value: str) -> None: ...

    _current_photo = ""
    _shown_key: tuple[object, ...] | None = None  # the photo, crop and turn on the canvas

    @property
    def current_photo(self) -> LookPhoto | None:
        doc = self.doc
        return doc.photo(self._current_photo) if doc is not None else None

    def _refresh(self, kind: str) -> None:
        doc = self.doc
        if doc is None:
            return
        if kind in ("look", "all"):
            self.heading.setText(doc.look.title)
            self.inspector.show_look(doc.look)
        if kind in ("photos", "all"):
            if doc.photo(self._current_photo) is None:
                self._current_photo = doc.photos[-1].id if doc.photos else ""
            self.strip.set_photos(doc.photos, self._current_photo)
            self.hint.setVisible(not doc.photos)
            self.show_photo(self._current_photo, force=True)
        self._refresh_hotspots()
        self._fetch_cards()
        self._watch_conflicts()
        self.run_checks()

    def show_photo(self, photo_id: str, *, force: bool = False) -> None:
        """Show one photo of the look on the canvas (its preview loads in a worker)."""
        if photo_id == self._current_photo and not force and self._shown_key is not None:
            return
        if photo_id != self._current_photo:
            self._leave_crop_mode()  # the pending crop belongs to the photo left behind
        self._current_photo = photo_id
        photo = self.canvas_photo()
        key = (photo.id, photo.crop, photo.rotation) if photo is not None else None
        if key != self._shown_key:
            self._shown_key = key
            self.canvas.set_photo(photo, None)
            if photo is not None and self.media is not None:
                self.previews.request(photo)
        self.strip.select(photo_id)
        self.update_crop_enabled()
        self.inspector.show_photo(self.current_photo)
        if self.canvas.crop.active:
            self.inspector.show_crop(self.canvas.crop.pending)
        self._remember("looks/last_photo", photo_id)
        self._refresh_hotspots()

    def canvas_photo(self) -> LookPhoto | None:
        """The photo as the canvas shows it: uncropped while cropping."""
        photo = self.current_photo
        if photo is not None and self.canvas.crop.active:
            return dataclasses.replace(photo, crop=Crop())
        return photo

    def _preview_ready(self, photo_id: str, image: QImage) -> None:
        photo = self.canvas_photo()
        if photo is not None and photo.id == photo_id:
            self.canvas.set_photo(photo, image)

    def _watch_conflicts(self, *, force: bool = False) -> None:
        doc = self.doc
        if doc is not None and self.looks is not None:
            self.conflicts.watch(self.looks.db, [h.product for h in doc.hotspots], force=force)

    def labels(self) -> dict[str, str]:
        doc = self.doc
        if doc is None:
            return {}
        out = {}
        for h in doc.hotspots:
            card = self.cards.get(h.product.product_id or -1)
            out[h.id] = h.label or (card.title if card is not None else "")
        return out

    def _refresh_hotspots(self) -> None:
        doc = self.doc
        if doc is None:
            return
        numbers = self.session.numbers() if self.session is not None else {}
        self.canvas.set_hotspots(doc.hotspots, numbers, self.labels())
        selected = self.canvas.selected_hotspot()
        self.products.show_tagged(doc.hotspots, numbers, self.cards, selected)
        self._hotspot_selected(selected)

    def _fetch_cards(self, *, force: bool = False) -> None:
        doc, store = self.doc, self.catalog()
        if doc is None or store is None:
            return
        ids = sorted(
            {h.product.product_id for h in doc.hotspots if h.product.product_id is not None}
        )
        if self.cards_ready and set(ids) <= set(self.cards) and not force:
            return
        self.tasks.run(lambda: store.cards(ids), self._cards_arrived, channel="look-cards")

    def _cards_arrived(self, cards: list[ProductCard]) -> None:
        self.cards = {c.id: c for c in cards}
        self.cards_ready = True
        self._refresh_hotspots()
        self.run_checks()

    def run_checks(self) -> None:
        doc = self.doc
        if doc is None or not self.cards_ready:
            return
        availability = {pid: c.availability for pid, c in self.cards.items()}
        issues = check_look(doc, availability, self.conflicts.reasons)
        photo_numbers = {p.id: i for i, p in enumerate(doc.photos, start=1)}
        numbers = self.session.numbers() if self.session is not None else {}
        self.checks.show_issues(issues, numbers, photo_numbers)
        self.tabs.setTabText(
            1, self.tr("Checks ({n})").format(n=len(issues)) if issues else self.tr("Checks")
        )

    def _hotspot_selected(self, hotspot_id: str) -> None:
        session = self.session
        hotspot = session.hotspot(hotspot_id) if session is not None else None
        number = session.numbers().get(hotspot_id, 0) if session is not None else 0
        text = ""
        if hotspot is not None:
            card = self.cards.get(hotspot.product.product_id or -1)
            text = (
                card.title
                if card is not None
                else self.tr("No longer in the catalog ({offer})").format(
                    offer=hotspot.product.offer_id
                )
            )
        self.inspector.show_hotspot(hotspot, number, text)
