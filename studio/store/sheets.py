"""Build the sheets that exports draw: a look or a board, with its legend read from the catalog.

A sheet (``studio.core.sharing``) is everything an export shows, resolved once: photo files,
markers on the shown photos, and one legend line per tag with the product's title, brand,
merchant, price (sale included), link and availability as the catalog has them now. A tag
whose product has left the catalog still gets its line, from what the tag itself remembers
(merchant and offer id), marked "no longer in the catalog", so an export never silently drops
a number. The curator's declared ties are applied as the platform's pages will: each line of a
brand that pays the curator (or of their own brand) says so, and the sheet's disclosure says
the links are the merchants' plain links and names the paying brands
(``studio.core.sharing.links_disclosure``). The media library is passed in as ``media_path``
(store and media never import each other; the composition root joins them).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from studio.core.boards import BoardItemKind
from studio.core.catalog import ProductDetail
from studio.core.errors import StoreError
from studio.core.looks import MatchKind, ProductRef
from studio.core.profile import Affiliation
from studio.core.rules import check_product, paying_brands
from studio.core.sharing import (
    MISSING_FROM_CATALOG,
    BoardSheet,
    LegendEntry,
    LookSheet,
    SheetMarker,
    SheetPhoto,
    availability_words,
    displayed_point,
    format_price,
    is_orderable,
    links_disclosure,
    number_board_items,
    number_hotspots,
)
from studio.store.boards import BoardStore
from studio.store.catalog import CatalogStore
from studio.store.curation_rows import load_affiliations
from studio.store.db import Database
from studio.store.looks import LookStore

MediaPath = Callable[[str], Path]

_BY_OFFER_SQL = (
    "SELECT p.id FROM products p JOIN merchants m ON m.id = p.merchant_id "
    "WHERE m.name = ? AND p.offer_id = ?"
)


class ProductLookup:
    """Catalog details by ProductRef, each product read once per sheet."""

    def __init__(self, catalog: CatalogStore) -> None:
        self._catalog = catalog
        self._seen: dict[tuple[int | None, str, str], ProductDetail | None] = {}

    def __call__(self, ref: ProductRef) -> ProductDetail | None:
        key = (ref.product_id, ref.merchant, ref.offer_id)
        if key not in self._seen:
            self._seen[key] = self._find(ref)
        return self._seen[key]

    def _find(self, ref: ProductRef) -> ProductDetail | None:
        if ref.product_id is not None:
            detail = self._catalog.detail(ref.product_id)
            # The id is only a shortcut: merchant + offer id is the product's identity (a
            # rebuilt store may have given the id to another product).
            if detail is not None and (detail.card.merchant, detail.offer_id) == (
                ref.merchant,
                ref.offer_id,
            ):
                return detail
        with self._catalog.db.connect() as conn:
            row = conn.execute(_BY_OFFER_SQL, (ref.merchant, ref.offer_id)).fetchone()
        return None if row is None else self._catalog.detail(int(row[0]))


def _ties(db: Database) -> list[Affiliation]:
    with db.connect() as conn:
        return load_affiliations(conn)


def _disclosure(legend: Sequence[LegendEntry], ties: Sequence[Affiliation]) -> str:
    return links_disclosure(paying_brands(ties, (e.brand for e in legend if e.paid_by)))


def legend_entry(
    number: int,
    ref: ProductRef,
    detail: ProductDetail | None,
    *,
    label: str = "",
    kind: MatchKind = MatchKind.EXACT,
    ties: Sequence[Affiliation] = (),
) -> LegendEntry:
    """One legend line; from the tag alone when the product is no longer in the catalog;
    ``ties``: the curator's affiliations (a paying or own brand is said on the line)."""
    if detail is None:
        return LegendEntry(
            number=number,
            label=label,
            title=label or f"{ref.merchant} item {ref.offer_id}",
            brand=None,
            merchant=ref.merchant,
            price="",
            link=None,
            kind=kind,
            available=False,
            availability_note=MISSING_FROM_CATALOG,
        )
    card = detail.card
    verdict = check_product(ties, card.brand, detail.category)
    return LegendEntry(
        number=number,
        label=label,
        title=card.title,
        brand=card.brand,
        merchant=card.merchant,
        price=format_price(card.price, card.sale_price),
        link=detail.link,
        kind=kind,
        available=is_orderable(card.availability),
        availability_note=availability_words(card.availability),
        paid_by=verdict.paid_by,
        own_brand=verdict.own_brand,
    )


def look_sheet(
    looks: LookStore, catalog: CatalogStore, media_path: MediaPath, look_id: str
) -> LookSheet:
    """The sheet of one look; StoreError when there is no look with this id."""
    doc = looks.document(look_id)
    if doc is None:
        raise StoreError(f"no look with id {look_id!r}")
    numbers = number_hotspots(doc)
    lookup = ProductLookup(catalog)
    ties = _ties(looks.db)
    photos: list[SheetPhoto] = []
    legend: list[LegendEntry] = []
    for photo in doc.photos:
        markers: list[SheetMarker] = []
        for hotspot in sorted(doc.hotspots_of(photo.id), key=lambda h: numbers[h.id]):
            number = numbers[hotspot.id]
            shown = displayed_point(hotspot.x, hotspot.y, photo.crop, photo.rotation)
            if shown is not None:  # cropped out: no marker, but the legend keeps its line
                markers.append(SheetMarker(number, shown[0], shown[1]))
            legend.append(
                legend_entry(
                    number,
                    hotspot.product,
                    lookup(hotspot.product),
                    label=hotspot.label,
                    kind=hotspot.kind,
                    ties=ties,
                )
            )
        try:
            image = media_path(photo.media_hash)
        except ValueError as exc:  # not a SHA-256 digest: a damaged row, not a crash
            raise StoreError(
                f"photo {photo.id} of look {look_id!r} names no valid media "
                f"file ({photo.media_hash!r})"
            ) from exc
        photos.append(
            SheetPhoto(
                image=image,
                crop=photo.crop,
                rotation=photo.rotation,
                markers=tuple(markers),
                alt_text=photo.alt_text,
            )
        )
    return LookSheet(
        title=doc.look.title,
        caption=doc.look.caption,
        photos=tuple(photos),
        legend=tuple(legend),
        disclosure=_disclosure(legend, ties),
    )


def board_sheet(
    boards: BoardStore, catalog: CatalogStore, media_path: MediaPath, board_id: str
) -> BoardSheet:
    """The sheet of one board; StoreError when there is no board with this id."""
    doc = boards.document(board_id)
    if doc is None:
        raise StoreError(f"no board with id {board_id!r}")
    numbers = number_board_items(doc)
    lookup = ProductLookup(catalog)
    ties = _ties(boards.db)
    images: dict[str, Path] = {}
    for item in doc.items:
        if item.media_hash and item.media_hash not in images:
            try:
                images[item.media_hash] = media_path(item.media_hash)
            except ValueError:  # not a digest: drawn as a missing picture, not a crash
                continue
    legend: list[LegendEntry] = []
    for item in sorted(doc.items, key=lambda i: numbers.get(i.id, 0)):
        if item.kind is not BoardItemKind.PRODUCT or item.id not in numbers:
            continue
        ref = item.product or ProductRef(None, "", "")
        detail = lookup(ref) if item.product is not None else None
        legend.append(legend_entry(numbers[item.id], ref, detail, ties=ties))
    return BoardSheet(
        title=doc.board.title,
        board=doc,
        images=images,
        legend=tuple(legend),
        numbers=numbers,
        disclosure=_disclosure(legend, ties),
    )
