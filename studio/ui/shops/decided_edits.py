"""Edits of the open shop that the store decides (a mixin of ``ShopController``): shelving
products, sorting a shelf, replacing products, accepting new prices, fixing the health.

The store may refuse them with a reason - the tier's limit, a conflict of interest, a product
the shop holds already - or decides their effect from what only it has in full (every
product's price and title for a sort, the rules and the catalog for a fix): each is written
first and shown, with its undo step, once the store took it. A refusal is a message in the
page's bar and nothing else: no row moves, no step is pushed. What the job returns (the items
as the store wrote them, before and after) is what the view shows and the undo step keeps -
unless the page showed other edits while it was queued: then those rows are read again once
those are written (``reread``), so an older answer never hides a newer edit. A drop shelves
at most ``MAX_DROP`` products.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Literal, TypeVar

from PySide6.QtCore import QCoreApplication, SignalInstance
from PySide6.QtGui import QUndoCommand

from studio.core.looks import ProductRef
from studio.core.shops import ShopItem
from studio.ui.shops.commands import (
    AddItemsCommand,
    ItemRecordsCommand,
    PlaceItemsCommand,
    Placement,
)
from studio.ui.shops.model import ShelfModel
from studio.ui.widgets.catalog_picker import product_refs

if TYPE_CHECKING:
    from studio.store.catalog import CatalogStore
    from studio.store.shops import ShopStore
    from studio.ui.tasks import TaskManager

SortBy = Literal["price", "name"]
T = TypeVar("T")
MAX_DROP = 500  # products shelved by one drop (a full shop is filled in several)


def refs_of(catalog: CatalogStore, ids: Sequence[int]) -> list[ProductRef]:
    """The stable reference of each catalog product still there, in order."""
    return [ref for ref, _card in product_refs(catalog, list(ids))]


def _tr(text: str, disambiguation: str = "", n: int = -1) -> str:
    return QCoreApplication.translate("ShopController", text, disambiguation or None, n)


def placements(items: Sequence[ShopItem]) -> list[Placement]:
    """Where the items are: (id, shelf, order key) each."""
    return [(i.id, i.section_id, i.position) for i in items]


class DecidedEdits:
    """Needs the controller's store, model, writes and signals (declared below)."""

    tasks: TaskManager
    shops: ShopStore
    model: ShelfModel
    shop_id: str | None
    catalog: Callable[[], CatalogStore | None]
    message: SignalInstance
    placed: SignalInstance
    push: Callable[[QUndoCommand], None]
    edited: Callable[[], None]
    refused: Callable[[str], None]
    showing: Callable[[str], bool]
    serial: int
    reread: Callable[[str, Sequence[str]], None]

    if TYPE_CHECKING:

        def write(
            self,
            fn: Callable[[], T],
            on_done: Callable[[T], object] | None = None,
            *,
            on_refused: Callable[[str], object] | None = None,
        ) -> None: ...

    # -- shelving ---------------------------------------------------------------------------

    def add_products(self, section_id: str, index: int, product_ids: Sequence[int]) -> None:
        """Shelve catalog products at ``index`` of the shelf, once the store took them."""
        catalog, shop_id, shops = self.catalog(), self.shop_id, self.shops
        if catalog is None:
            self.message.emit(_tr("Open a catalog first: products are shelved from it."), True)
            return
        if shop_id is None or not product_ids:
            return
        ids = list(product_ids)
        if len(ids) > MAX_DROP:
            self.message.emit(
                _tr(
                    "One drop shelves at most {max} products: the first {max} "
                    "of the {n} dragged are added; drop the others next."
                ).format(max=MAX_DROP, n=len(ids)),
                True,
            )
            ids = ids[:MAX_DROP]

        def job() -> list[ShopItem]:
            refs = refs_of(catalog, ids)
            return shops.add_items(section_id, refs, index=index) if refs else []

        self.write(job, lambda items: self._shelved(shop_id, items), on_refused=self.refused)

    def _shelved(self, shop_id: str, items: list[ShopItem]) -> None:
        if not items:
            return
        if self.showing(shop_id):
            self.model.put_items(items)
            self.placed.emit([i.id for i in items])
            self.edited()
        text = _tr("Add %n products", "", len(items)) if len(items) > 1 else None
        self.push(AddItemsCommand(self, shop_id, items, text or _tr("Add a product")))  # type: ignore[arg-type]
        self.message.emit(_tr("%n added to the shelf.", "", len(items)), False)

    # -- sorting, replacing, fixing ----------------------------------------------------------

    def sort_shelf(self, section_id: str, by: SortBy) -> None:
        """Order the shelf by the catalog's price or title (the store has them all)."""
        shop_id, shops = self.shop_id, self.shops
        if shop_id is None:
            return

        def job() -> tuple[list[Placement], list[ShopItem]]:
            return shops.sort_section(section_id, by), shops.shelf(section_id)

        def done(result: tuple[list[Placement], list[ShopItem]]) -> None:
            before, items = result
            if self.serial != serial:  # edits shown since: the shelf as they leave it
                self.reread(shop_id, [i.id for i in items])
            elif self.showing(shop_id):
                self.model.set_shelves({section_id: items})
                self.edited()
            text = _tr("Sort by price") if by == "price" else _tr("Sort by name")
            self.push(PlaceItemsCommand(self, shop_id, before, placements(items), text))  # type: ignore[arg-type]

        serial = self.serial + 1  # this write's
        self.write(job, done, on_refused=self.refused)

    def replace_products(self, pairs: Sequence[tuple[str, ProductRef]], text: str) -> None:
        """Put these products in the items' places (the rules apply: all or none)."""
        shop_id, shops, chosen = self.shop_id, self.shops, list(pairs)
        if shop_id is None or not chosen:
            return

        def job() -> tuple[list[ShopItem], list[ShopItem]]:
            before = shops.apply_replacements(chosen)
            return before, [i for i, _ in shops.items([b.id for b in before])]

        serial = self.serial + 1  # this write's
        self.write(
            job,
            lambda got: self._records_done(shop_id, serial, *got, text),
            on_refused=self.refused,
        )

    def replace_with_catalog(self, ids: Sequence[str], product_ids: Sequence[int]) -> None:
        """Put catalog products in place of these items, pairwise (a worker reads them)."""
        catalog = self.catalog()
        if catalog is None or not ids:
            return
        chosen, wanted = list(ids), list(product_ids)

        def found(refs: list[ProductRef]) -> None:
            if len(refs) < len(chosen):
                self.message.emit(_tr("A chosen product is no longer in the catalog."), True)
                return
            self.replace_products(list(zip(chosen, refs, strict=False)), _tr("Replace products"))

        self.tasks.run(
            lambda: refs_of(catalog, wanted),
            found,
            lambda exc: self.message.emit(str(exc), True),
            owner=self,  # type: ignore[arg-type]
        )

    def accept_prices(self, ids: Sequence[str]) -> None:
        shop_id, shops, chosen = self.shop_id, self.shops, list(ids)
        if shop_id is None or not chosen:
            return

        def job() -> tuple[list[ShopItem], list[ShopItem]]:
            before = [i for i, _ in shops.items(chosen)]
            return before, shops.accept_prices(chosen)

        serial = self.serial + 1  # this write's
        self.write(
            job,
            lambda got: self._records_done(shop_id, serial, *got, _tr("Accept new prices")),
            on_refused=self.refused,
        )

    def fix_all(self) -> None:
        shop_id, shops = self.shop_id, self.shops
        if shop_id is None:
            return

        def job() -> tuple[list[ShopItem], list[ShopItem], list[str]]:
            before, unfixed = shops.fix_health(shop_id)
            return before, [i for i, _ in shops.items([b.id for b in before])], unfixed

        def done(got: tuple[list[ShopItem], list[ShopItem], list[str]]) -> None:
            before, after, unfixed = got
            if before:
                self._records_done(shop_id, serial, before, after, _tr("Fix shop health"))
            if unfixed:
                self.message.emit(
                    _tr(
                        "%n products have no replacement in the catalog; "
                        "remove them or pick one yourself.",
                        "",
                        len(unfixed),
                    ),
                    True,
                )
            else:
                self.message.emit(_tr("Fixed %n issues.", "", len(before)), False)

        serial = self.serial + 1  # this write's
        self.write(job, done, on_refused=self.refused)

    def _records_done(
        self, shop_id: str, serial: int, before: list[ShopItem], after: list[ShopItem], text: str
    ) -> None:
        self.model.forget_cards(i.product.product_id for i in (*before, *after))
        if self.serial != serial:  # edits shown since: these rows as they leave them
            self.reread(shop_id, [i.id for i in after])
        elif self.showing(shop_id):
            self.model.put_items(after)
            self.edited()
        self.push(ItemRecordsCommand(self, shop_id, before, after, text))  # type: ignore[arg-type]
