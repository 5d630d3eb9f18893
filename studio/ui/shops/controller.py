"""The shop editor's controller: the edits of the open shop, written to the store, shown in the
shelf model, pushed on the undo stack.

Small writes run on the UI thread, one transaction each (like the boards editor); reads that
grow with the shop - the document on opening, the health check, catalog details of dropped
products - run in workers. After each write the controller reads back only the rows it
touched (their new positions, their records) and hands them to the model, so an edit of a
10,000-product shop moves a few rows, never rebuilds them. A refusal from the store (the tier
limit, the conflict-of-interest rule, a taken handle) is shown with its reason and changes
nothing: the command is pushed only after the write succeeded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Literal, ParamSpec, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from studio.core.errors import StudioError
from studio.core.looks import ProductRef
from studio.core.shops import HealthIssue, Shop, ShopDocument, ShopItem
from studio.core.tiers import room_left as room_at_tier
from studio.ui.shops.commands import (
    AddItemsCommand,
    ItemRecordsCommand,
    PlaceItemsCommand,
    Placement,
    RemoveItemsCommand,
    ShopFieldsCommand,
)
from studio.ui.shops.model import ShelfModel
from studio.ui.shops.sections import SectionEdits
from studio.ui.tasks import TaskManager, busy_cursor
from studio.ui.widgets.catalog_picker import product_refs
from studio.ui.widgets.gestures import when_still

if TYPE_CHECKING:
    from studio.store.catalog import CatalogStore
    from studio.store.platform_rules import Standing
    from studio.store.profile import ProfileStore
    from studio.store.shops import ShopStore

SortBy = Literal["price", "name"]
P = ParamSpec("P")
R = TypeVar("R")

_MANY_ROWS = 1000  # a sort or its undo of more rows holds the window a noticeable moment

MAX_DROP = 500  # products shelved by one drop (a full shop is filled in several)


def refs_of(catalog: CatalogStore, ids: Sequence[int]) -> list[ProductRef]:
    """Worker: the stable reference of each catalog product still there, in order."""
    return [ref for ref, _card in product_refs(catalog, list(ids))]


class ShopController(SectionEdits, QObject):
    """Signals: ``opened(doc or None)``, ``message(text, is_error)``, ``counts_changed()``,
    ``shop_changed(Shop)``, ``health_changed(list)``, ``want_shop(id)`` (an undo needs
    another shop on screen), ``list_changed(select id)`` (the shop list must re-read)."""

    opened = Signal(object)
    message = Signal(str, bool)
    counts_changed = Signal()
    shop_changed = Signal(object)
    health_changed = Signal(list)
    want_shop = Signal(str)
    list_changed = Signal(str)
    placed = Signal(list)  # item ids just shelved or moved: the view selects them

    def __init__(
        self,
        tasks: TaskManager,
        shops: ShopStore,
        profile: ProfileStore,
        catalog: Callable[[], CatalogStore | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.shops = shops
        self.profile = profile
        self.catalog = catalog
        self.model = ShelfModel(tasks, catalog, self)
        self.model.rename_requested = self.rename_section
        self.undo = QUndoStack(self)
        self.doc: ShopDocument | None = None
        self.shop_id: str | None = None
        self.tier = "starter"
        self.trial = True  # the starter's trial shop (only it takes products on that tier)
        self.trial_title = ""
        self.loading = False
        self.issues: list[HealthIssue] = []
        self.health_known = False  # the open shop's health checked (else the issues are [])
        self._health_timer = QTimer(self, singleShot=True, interval=250)
        when_still(self._health_timer, self.refresh_health)

    # -- opening ----------------------------------------------------------------------------

    def open_shop(self, shop_id: str | None) -> None:
        self.shop_id = shop_id
        if shop_id is None:
            self.tasks.supersede("shop-open")
            self._loaded(None)
            return
        self.loading = True
        shops = self.shops
        self.tasks.run(
            lambda: (shops.document(shop_id), shops.standing(shop_id)),
            self._arrived,
            self._open_failed,
            channel="shop-open",
            owner=self,
        )

    def _arrived(self, result: tuple[ShopDocument | None, Standing]) -> None:
        doc, standing = result
        self.tier = standing.tier.value
        self.trial, self.trial_title = standing.trial, standing.trial_title
        self._loaded(doc)

    def _open_failed(self, exc: BaseException) -> None:
        self.loading = False
        self.message.emit(self.tr("The shop could not be read: {reason}").format(reason=exc), True)

    def _loaded(self, doc: ShopDocument | None) -> None:
        self.doc = doc
        self.model.load(doc)
        self.loading = False
        self.opened.emit(doc)
        self.counts_changed.emit()
        self.issues, self.health_known = [], False
        self.health_changed.emit([])
        if doc is not None:
            self.refresh_health()

    @property
    def room_left(self) -> int:
        """How many more products the open shop may take at the profile's tier (none for a
        starter's shop other than the trial one). The model shows the shop's live items as
        stored, so it has the count: no query over 10,000 rows after every edit (the store
        still enforces the limit when it writes)."""
        return room_at_tier(self.tier, self.model.item_count, trial=self.trial)

    # -- helpers ----------------------------------------------------------------------------

    def _write(
        self, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs
    ) -> tuple[bool, R | None]:
        """Call a store write; a refusal shows its reason and returns (False, None)."""
        try:
            result = fn(*args, **kwargs)
        except (StudioError, ValueError) as exc:
            self.message.emit(str(exc), True)
            return False, None
        return True, result

    def push(self, command: QUndoCommand) -> None:
        self.undo.push(command)

    def _read(self, ids: Sequence[str]) -> list[tuple[ShopItem, str | None]]:
        return self.shops.items(ids)

    def _is_open(self, shop_id: str) -> bool:
        if shop_id == self.shop_id and self.doc is not None:
            return True
        self.want_shop.emit(shop_id)  # the page opens it; it will read the store as it is now
        return False

    def sync(self, shop_id: str, ids: Sequence[str]) -> None:
        """Show the stored state of these items (moved, changed, removed or back)."""
        if not self._is_open(shop_id):
            return
        rows = self._read(ids)
        self.model.drop_items([i.id for i, deleted in rows if deleted is not None])
        self.model.put_items([i for i, deleted in rows if deleted is None])
        self.edited()

    def edited(self) -> None:
        """After any edit of the open shop: the counter now, the health check soon."""
        self.counts_changed.emit()
        self._health_timer.start()

    # -- health -------------------------------------------------------------------------------

    def refresh_health(self) -> None:
        shop_id = self.shop_id
        if shop_id is None:
            return
        self.tasks.run(
            lambda: self.shops.health(shop_id),
            self._health,
            lambda exc: self.message.emit(str(exc), True),
            channel="shop-health",
            owner=self,
        )

    def _health(self, issues: list[HealthIssue]) -> None:
        self.issues, self.health_known = issues, True
        self.model.set_health(issues)
        self.health_changed.emit(issues)

    # -- shelving ---------------------------------------------------------------------------

    def add_products(self, section_id: str, index: int, product_ids: Sequence[int]) -> None:
        """Shelve catalog products at ``index`` of the shelf (details read in a worker)."""
        catalog, shop_id = self.catalog(), self.shop_id
        if catalog is None:
            self.message.emit(self.tr("Open a catalog first: products are shelved from it."), True)
            return
        if shop_id is None or not product_ids:
            return
        ids = list(product_ids)
        if len(ids) > MAX_DROP:
            self.message.emit(
                self.tr(
                    "One drop shelves at most {max} products: the first {max} "
                    "of the {n} dragged are added; drop the others next."
                ).format(max=MAX_DROP, n=len(ids)),
                True,
            )
            ids = ids[:MAX_DROP]
        self.tasks.run(
            lambda: refs_of(catalog, ids),
            lambda refs: self._shelve_refs(shop_id, section_id, index, refs),
            lambda exc: self.message.emit(str(exc), True),
            owner=self,
        )

    def _shelve_refs(
        self, shop_id: str, section_id: str, index: int, refs: Sequence[ProductRef]
    ) -> None:
        self.shelve(shop_id, section_id, index, refs)

    def shelve(
        self, shop_id: str, section_id: str, index: int | None, refs: Sequence[ProductRef]
    ) -> list[ShopItem]:
        if shop_id != self.shop_id or not refs:
            return []
        ok, items = self._write(self.shops.add_items, section_id, list(refs), index=index)
        if not ok or items is None:
            return []
        self.model.put_items(items)
        self.placed.emit([i.id for i in items])
        self.push(
            AddItemsCommand(
                self,
                shop_id,
                [i.id for i in items],
                self.tr("Add {n} products").format(n=len(items))
                if len(items) > 1
                else self.tr("Add a product"),
            )
        )
        self.edited()
        self.message.emit(self.tr("{n} added to the shelf.").format(n=len(items)), False)
        return list(items)

    def move_items(self, section_id: str, shown_index: int, ids: Sequence[str]) -> None:
        """Move rows to ``shown_index`` of the shelf as shown (the moving rows counted)."""
        shop_id = self.shop_id
        if shop_id is None or not ids:
            return
        shelf = self.model.items.get(section_id, [])
        moving = set(ids)
        index = shown_index - sum(1 for i in shelf[:shown_index] if i.id in moving)
        # Keep the rows in the order they are shown, wherever they were picked from (found
        # by their rows: a walk over a 10,000-item shop would cost the drop's frame).
        rows = {i: row for i in moving if (row := self.model.item_row(i)) is not None}
        ordered = sorted(rows, key=rows.__getitem__)
        ok, before = self._write(self.shops.move_items, ordered, section_id, index)
        if not ok or before is None:
            return
        self.sync(shop_id, ordered)
        self.placed.emit(ordered)
        after = [(i.id, i.section_id, i.position) for i, _ in self._read(ordered)]
        if before == after:
            return
        self.push(PlaceItemsCommand(self, shop_id, before, after, self.tr("Move products")))

    def remove_items_now(self, ids: Sequence[str]) -> None:
        shop_id = self.shop_id
        if shop_id is None or not ids:
            return
        if self._write(self.shops.remove_items, list(ids))[0]:
            self.model.drop_items(ids)
            self.push(RemoveItemsCommand(self, shop_id, ids, self.tr("Remove products")))
            self.edited()

    def sort_shelf(self, section_id: str, by: SortBy) -> None:
        shop_id = self.shop_id
        if shop_id is None:
            return
        with busy_cursor(len(self.model.items.get(section_id, ())) > _MANY_ROWS):
            ok, before = self._write(self.shops.sort_section, section_id, by)
            if not ok or before is None:
                return
            items = self.shops.shelf(section_id)
            self.model.set_shelf(section_id, items)
        after = [(i.id, i.section_id, i.position) for i in items]
        self.push(
            PlaceItemsCommand(
                self,
                shop_id,
                before,
                after,
                self.tr("Sort by price") if by == "price" else self.tr("Sort by name"),
            )
        )
        self.edited()

    def change_items(
        self,
        ids: Sequence[str],
        text: str,
        *,
        merge_key: object = None,
        note: str | None = None,
        featured: bool | None = None,
    ) -> None:
        """Note and/or featured flag of items, one undo step."""
        shop_id = self.shop_id
        if shop_id is None or not ids:
            return
        before = [i for i, _ in self._read(ids)]
        after = []
        for item_id in ids:
            ok, item = self._write(self.shops.update_item, item_id, note=note, featured=featured)
            if not ok or item is None:
                return
            after.append(item)
        self.model.put_items(after)
        self.push(ItemRecordsCommand(self, shop_id, before, after, text, merge_key=merge_key))

    def replace_products(self, pairs: Sequence[tuple[str, ProductRef]], text: str) -> bool:
        shop_id = self.shop_id
        if shop_id is None or not pairs:
            return False
        ok, before = self._write(self.shops.apply_replacements, list(pairs))
        if not ok or before is None:
            return False
        self._records_done(shop_id, before, text)
        return True

    def replace_with_catalog(self, ids: Sequence[str], product_ids: Sequence[int]) -> None:
        """Put catalog products in place of these items, pairwise (a worker reads them)."""
        catalog = self.catalog()
        if catalog is None or not ids:
            return
        chosen, wanted = list(ids), list(product_ids)

        def found(refs: list[ProductRef]) -> None:
            if len(refs) < len(chosen):
                self.message.emit(self.tr("A chosen product is no longer in the catalog."), True)
                return
            self.replace_products(
                list(zip(chosen, refs, strict=False)), self.tr("Replace products")
            )

        self.tasks.run(
            lambda: refs_of(catalog, wanted),
            found,
            lambda exc: self.message.emit(str(exc), True),
            owner=self,
        )

    def _records_done(self, shop_id: str, before: Sequence[ShopItem], text: str) -> None:
        after = [i for i, _ in self._read([b.id for b in before])]
        self.model.forget_cards(i.product.product_id for i in (*before, *after))
        self.model.put_items(after)
        self.push(ItemRecordsCommand(self, shop_id, before, after, text))
        self.edited()

    def accept_prices(self, ids: Sequence[str]) -> None:
        shop_id = self.shop_id
        if shop_id is None or not ids:
            return
        before = [i for i, _ in self._read(ids)]
        if self._write(self.shops.accept_prices, list(ids))[0]:
            self._records_done(shop_id, before, self.tr("Accept new prices"))

    def fix_all(self) -> None:
        shop_id = self.shop_id
        if shop_id is None:
            return
        ok, result = self._write(self.shops.fix_health, shop_id)
        if not ok or result is None:
            return
        before, unfixed = result
        if before:
            self._records_done(shop_id, before, self.tr("Fix shop health"))
        if unfixed:
            self.message.emit(
                self.tr(
                    "{n} products have no replacement in the catalog; "
                    "remove them or pick one yourself."
                ).format(n=len(unfixed)),
                True,
            )
        else:
            self.message.emit(self.tr("Fixed {n} issues.").format(n=len(before)), False)

    # -- settings -------------------------------------------------------------------------------

    def update_shop(
        self, fields: Mapping[str, object], text: str, *, merge_key: object = None
    ) -> bool:
        shop_id, doc = self.shop_id, self.doc
        if shop_id is None or doc is None:
            return False
        before = {k: getattr(doc.shop, k) for k in fields}
        ok, shop = self._write(self.shops.update_shop, shop_id, **fields)
        if not ok or shop is None:
            return False
        self._shop_is(shop)
        after = {k: getattr(shop, k) for k in fields}
        if before != after:
            self.push(ShopFieldsCommand(self, shop_id, before, after, text, merge_key=merge_key))
        return True

    def _shop_is(self, shop: Shop) -> None:
        if self.doc is not None and self.doc.shop.id == shop.id:
            self.doc = ShopDocument(shop, self.doc.sections, self.doc.items)
        self.shop_changed.emit(shop)

    # -- ShopWriter (undo and redo) ---------------------------------------------------------------

    def remove_items(self, shop_id: str, ids: Sequence[str]) -> None:
        if self._write(self.shops.remove_items, ids)[0]:
            self.sync(shop_id, ids)

    def restore_items(self, shop_id: str, ids: Sequence[str]) -> None:
        if self._write(self.shops.restore_items, ids)[0]:
            self.sync(shop_id, ids)

    def place_items(self, shop_id: str, placements: Sequence[Placement]) -> None:
        with busy_cursor(len(placements) > _MANY_ROWS):
            ok = self._write(self.shops.place_items, placements)[0]
        if ok:
            if len(placements) > 200 and self._is_open(shop_id):
                self._reload_shelves(shop_id)
            else:
                self.sync(shop_id, [p[0] for p in placements])

    def write_items(self, shop_id: str, items: Sequence[ShopItem]) -> None:
        if self._write(self.shops.revert_items, items)[0]:
            self.model.forget_cards(i.product.product_id for i in items)
            self.sync(shop_id, [i.id for i in items])

    def write_shop(self, shop_id: str, fields: Mapping[str, object]) -> None:
        ok, shop = self._write(self.shops.update_shop, shop_id, **fields)
        if ok and shop is not None and self._is_open(shop_id):
            self._shop_is(shop)
            self.list_changed.emit(shop_id)

    def _reload_shelves(self, shop_id: str) -> None:
        """Many rows moved at once (undo of a sort): each shelf's rows as stored."""
        sections, shelves = self.shops.shelves(shop_id)
        for section in sections:
            self.model.set_shelf(section.id, shelves[section.id])
        self.edited()
