"""How the open shop is read (a mixin of ``ShopController``): on opening, its health and the
profile's standing, and again where others changed it.

Reads run in workers, after the page's own queued writes when there are any
(``when_written``), so they see the store as the page shows it; one that ends after another
shop was chosen, or after the page closed, is dropped.

Every committed write is published on ``TaskManager.changed`` with its ``Changes``. The page's
own edits are already on screen (that is what showing them at once is for), so they are left
alone. Anything else - another page, a feed import and the re-link after it, an archive
import, later the sync's pull - is followed only as far as it concerns what the page shows:

- records of the open shop (its record, shelves or items): exactly those are read again in a
  worker and put in the model in place (a 10,000-product shop is never rebuilt for a changed
  row, so the selection and the scroll stay); many of them at once (an archive import) read
  the whole shop again. The read waits for the page's own queued writes and is dropped, and
  asked again, when the page queued another edit meanwhile, so it never shows the store from
  before an edit on screen. The undo stack is cleared: its steps hold records as they were
  before that change, and writing them back would silently undo it;
- the catalog (an import): the cards shown are read again as their rows are painted, and the
  health is checked again;
- the profile (the tier, affiliations): the standing and the health are read again.

A shop field someone is typing in is never overwritten (``SettingsForm.show_shop`` keeps it),
nor is a note being typed (the editor keeps it when the row changes under it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, SignalInstance
from PySide6.QtGui import QUndoStack

from studio.core.changes import Changes
from studio.core.shops import HealthIssue, Shop, ShopDocument, ShopItem, ShopSection
from studio.ui.shops.model import ShelfModel
from studio.ui.widgets.writes import PageWrites

if TYPE_CHECKING:
    from studio.store.platform_rules import Standing
    from studio.store.shops import ShopStore
    from studio.ui.tasks import TaskManager


def _tr(text: str) -> str:
    return QCoreApplication.translate("ShopController", text)


FOLLOW_MAX = 2_000  # changed items of the open shop read one by one; more: the whole shop
Followed = tuple[Shop | None, list[ShopSection], dict[str, list[ShopItem]], list[ShopItem]]


class ShopReads:
    """Needs the controller's store, model, writes and signals (declared below)."""

    tasks: TaskManager
    shops: ShopStore
    model: ShelfModel
    writes: PageWrites
    undo: QUndoStack
    shop_id: str | None
    doc: ShopDocument | None
    loading: bool
    serial: int
    tier: str
    trial: bool
    trial_title: str
    issues: list[HealthIssue]
    health_known: bool
    message: SignalInstance
    opened: SignalInstance
    counts_changed: SignalInstance
    health_changed: SignalInstance
    showing: Callable[[str], bool]
    when_written: Callable[[Callable[[], object]], None]
    edited: Callable[[], None]
    shop_is: Callable[[Shop], None]

    # -- opening ----------------------------------------------------------------------------

    def open_shop(self, shop_id: str | None) -> None:
        self.shop_id = shop_id
        self.tasks.supersede("shop-open")
        if shop_id is None:
            self._loaded(None)
            return
        self.loading = True
        self.when_written(lambda: self._read_shop(shop_id))

    def _read_shop(self, shop_id: str) -> None:
        if shop_id != self.shop_id:
            return  # another shop was chosen while the page's writes finished
        shops = self.shops
        self.tasks.run(
            lambda: (shops.document(shop_id), shops.standing(shop_id)),
            self._arrived,
            self._open_failed,
            channel="shop-open",
            owner=self,  # type: ignore[arg-type]
        )

    def _arrived(self, result: tuple[ShopDocument | None, Standing]) -> None:
        doc, standing = result
        self._standing(standing)
        self._loaded(doc)

    def _open_failed(self, exc: BaseException) -> None:
        self.loading = False
        self.message.emit(_tr("The shop could not be read: {reason}").format(reason=exc), True)

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

    def refresh_standing(self) -> None:
        """Read the tier again (the platform gave another; an archive brought a profile)."""
        shop_id, shops = self.shop_id, self.shops
        if shop_id is not None:
            self.tasks.run(
                lambda: shops.standing(shop_id),
                self._standing,
                lambda exc: self.message.emit(str(exc), True),
                channel="shop-standing",
                owner=self,  # type: ignore[arg-type]
            )

    def _standing(self, standing: Standing) -> None:
        self.tier = standing.tier.value
        self.trial, self.trial_title = standing.trial, standing.trial_title
        self.counts_changed.emit()

    # -- health -------------------------------------------------------------------------------

    def refresh_health(self) -> None:
        self.when_written(self._check_health)

    def _check_health(self) -> None:
        shop_id, shops = self.shop_id, self.shops
        if shop_id is None:
            return
        self.tasks.run(
            lambda: shops.health(shop_id),
            lambda issues: self._health(shop_id, issues),
            lambda exc: self.message.emit(str(exc), True),
            channel="shop-health",
            owner=self,  # type: ignore[arg-type]
        )

    def _health(self, shop_id: str, issues: list[HealthIssue]) -> None:
        if shop_id != self.shop_id:
            return  # checked for the shop open before
        self.issues, self.health_known = issues, True
        self.model.set_health(issues)
        self.health_changed.emit(issues)

    # -- what others changed ------------------------------------------------------------------

    def follow(self, changes: Changes, origin: object) -> None:
        """A write committed somewhere: follow it if it is not this page's own."""
        if self.writes.own(origin):
            return
        if changes.root_ids("shop"):
            self.undo.clear()  # see the module docstring
        shop_id = self.shop_id
        if shop_id is None:
            return
        if changes.touches("profile"):
            self.refresh_standing()
        if changes.catalog:
            self.model.card_cache.mark_stale()
            self.model.decorations_changed.emit()  # the rows on screen ask for theirs again
        if changes.touches_root("shop", shop_id):
            if self.loading:
                self.open_shop(shop_id)  # the read under way may be from before it
            elif len(changes.ids("shop_item")) > FOLLOW_MAX:
                self.model.forget_cards()
                self.open_shop(shop_id)
            else:
                self.when_written(lambda: self._read_changed(changes, shop_id))
        elif changes.catalog or changes.touches("profile"):
            self.edited()

    def reread(self, shop_id: str, item_ids: Sequence[str]) -> None:
        """Show these items of the shop as stored once the page's queued writes are."""
        changes = Changes.of("shop_item", item_ids, root="shop", root_ids=[shop_id])
        self.when_written(lambda: self._read_changed(changes, shop_id))

    def _read_changed(self, changes: Changes, shop_id: str) -> None:
        if not self.showing(shop_id):
            return
        shops, serial = self.shops, self.serial
        item_ids = sorted(changes.ids("shop_item"))
        known = frozenset(self.model.items)
        shop_changed = shop_id in changes.ids("shop")

        def read() -> Followed:
            sections, fresh = shops.shelves(shop_id, known=known)
            live = {s.id for s in sections}
            items = [
                i
                for i, deleted in shops.items(item_ids)
                if deleted is None and i.section_id in live
            ]
            return (shops.shop(shop_id) if shop_changed else None), sections, fresh, items

        def show(got: Followed) -> None:
            if not self.showing(shop_id):
                return
            if serial != self.serial:  # an edit queued since: read after it instead
                self.when_written(lambda: self._read_changed(changes, shop_id))
                return
            self._show_changed(item_ids, got)

        self.tasks.run(
            read,
            show,
            lambda exc: self.message.emit(str(exc), True),
            owner=self,  # type: ignore[arg-type]
        )

    def _show_changed(self, item_ids: list[str], got: Followed) -> None:
        shop, sections, fresh, items = got
        if shop is not None and shop.deleted_at is None:
            self.shop_is(shop)
        if sections != self.model.sections:
            self.model.set_sections(sections, fresh)
        live = {i.id for i in items}
        self.model.drop_items([i for i in item_ids if i not in live])
        relinked = [
            i.product.product_id
            for i in items
            if (old := self.model.item(i.id)) is None or old.product != i.product
        ]
        self.model.put_items(items)
        self.model.forget_cards(relinked)
        if self.doc is not None:
            self.doc = ShopDocument(self.doc.shop, tuple(self.model.sections), self.doc.items)
        self.edited()
