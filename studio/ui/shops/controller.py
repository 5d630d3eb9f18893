"""The shop editor's controller: the open shop, its shelf model, the page's undo stack and writes.

No store write runs on the GUI thread: every edit goes through the page's ``PageWrites`` (the
writer lane), in one of two ways (``studio.ui.widgets.writes``). An edit the store cannot
refuse - a move, a removal, a note, a flag, a shelf renamed, a shop field typed - is shown at
once in the shelf model (new order keys guessed by the model, new records made here) and
written behind it; the store's answer is taken in place when it differs (``confirm``). An
edit the store may refuse - shelving a product (the tier, a conflict of interest, a product
the shop holds), a handle, a replacement, a new or restored shop - is written first and shown
with its undo step once the store took it, so a refusal is a message and nothing else. Undo
and redo show the known inverse at once and write it the same way (``show_and_write``).

Reads that grow with the shop - the document on opening, the health check, the standing -
run in workers, after the page's queued writes when there are any (``when_written``), so
they see the store as the page shows it. What others change - another page, an import, the
re-link after it, an archive import - arrives on ``TaskManager.changed`` and is followed in
``follow.py``.
The edits live in mixins: ``item_edits.py`` (shown at once), ``decided_edits.py`` (decided by
the store), ``sections.py`` (shelves), ``shop_edits.py`` (the shop list, the settings).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from studio.core.shops import HealthIssue, Shop, ShopDocument
from studio.core.tiers import room_left as room_at_tier
from studio.ui.shops.decided_edits import DecidedEdits
from studio.ui.shops.follow import ShopReads
from studio.ui.shops.item_edits import ItemEdits
from studio.ui.shops.model import ShelfModel
from studio.ui.shops.sections import SectionEdits
from studio.ui.shops.shop_edits import ShopEdits
from studio.ui.tasks import TaskManager
from studio.ui.widgets.gestures import when_still
from studio.ui.widgets.writes import PageWrites

if TYPE_CHECKING:
    from studio.store.catalog import CatalogStore
    from studio.store.profile import ProfileStore
    from studio.store.shops import ShopStore

T = TypeVar("T")


class ShopController(ItemEdits, DecidedEdits, SectionEdits, ShopEdits, ShopReads, QObject):
    """Signals: ``opened(doc or None)``, ``message(text, is_error)``, ``counts_changed()``,
    ``shop_changed(Shop)``, ``health_changed(list)``, ``want_shop(id)`` (an undo needs
    another shop on screen), ``list_changed(select id)`` (the shop list must re-read),
    ``shop_trashed(id, select id)`` (its line goes now), ``placed(item ids)`` (just shelved
    or moved: the view selects them)."""

    opened = Signal(object)
    message = Signal(str, bool)
    counts_changed = Signal()
    shop_changed = Signal(object)
    health_changed = Signal(list)
    want_shop = Signal(str)
    list_changed = Signal(str)
    shop_trashed = Signal(str, str)
    placed = Signal(list)

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
        self.writes = PageWrites(tasks, self, undo=self.undo, resync=self.resync)
        self.writes.refused.connect(lambda text: self.message.emit(text, True))
        self.serial = 0  # edits queued so far: a read older than the newest edit is not shown
        self.marks: dict[str, int] = {}  # item id -> serial of the last edit showing it
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
        tasks.changed.connect(self.follow)

    # -- the open shop --------------------------------------------------------------------

    def showing(self, shop_id: str) -> bool:
        """Whether ``shop_id`` is the shop on screen, opened (its model is the one shown)."""
        return (
            shop_id == self.shop_id
            and not self.loading
            and self.doc is not None
            and self.doc.shop.id == shop_id
        )

    def resync(self) -> None:
        """A write failed: show the shop list and the open shop as the store has them."""
        self.list_changed.emit(self.shop_id or "")
        if self.shop_id is not None:
            self.open_shop(self.shop_id)

    @property
    def room_left(self) -> int:
        """How many more products the open shop may take at the profile's tier (none for a
        starter's shop other than the trial one). The model shows the shop's live items, so
        it has the count: no query over 10,000 rows after every edit (the store still
        enforces the limit when it writes)."""
        return room_at_tier(self.tier, self.model.item_count, trial=self.trial)

    # -- writing ----------------------------------------------------------------------------

    def write(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], object] | None = None,
        *,
        on_refused: Callable[[str], object] | None = None,
        showing: Sequence[str] = (),
    ) -> None:
        """Queue a store write on the lane (see ``PageWrites.write``); ``showing``: the items
        whose rows this edit shows (they take its serial, ``self.serial + 1`` before the call:
        an answer to an older write is not shown on them)."""
        self.serial += 1
        for item_id in showing:
            self.marks[item_id] = self.serial
        self.writes.write(fn, on_done, on_refused=on_refused)

    def refused(self, reason: str) -> None:
        """A write-then-show edit the store refused: its reason, and nothing else."""
        self.message.emit(reason, True)

    def when_written(self, fn: Callable[[], object]) -> None:
        """Call ``fn`` once the page's queued writes have finished (now when there are none):
        a read it starts sees the store as the page shows it."""
        if self.writes.pending:
            self.writes.after(lambda: None, lambda _none: fn())
        else:
            fn()

    def show_and_write(
        self,
        shop_id: str,
        ids: Sequence[str],
        show: Callable[[], object],
        job: Callable[[], T],
        on_done: Callable[[T], object] | None = None,
    ) -> None:
        """An edit of ``shop_id``'s items ``ids`` whose effect is known (undo, redo): show it
        now if that shop is on screen, write it behind; else write it and bring that shop up
        once written."""
        on_screen = self.showing(shop_id)
        if on_screen:
            show()
        self.write(job, on_done, showing=ids)
        if on_screen:
            self.edited()
        elif shop_id == self.shop_id:
            self.open_shop(shop_id)  # still opening: read it again after this write
        else:
            self.when_written(lambda: self.want_shop.emit(shop_id))

    def push(self, command: QUndoCommand) -> None:
        self.undo.push(command)

    def edited(self) -> None:
        """After any edit of the open shop: the counter now, the health check soon."""
        self.counts_changed.emit()
        self._health_timer.start()

    def shop_is(self, shop: Shop) -> None:
        """Show the open shop's record as it now is (a field edited, undone, changed)."""
        if self.doc is not None and self.doc.shop.id == shop.id:
            self.doc = ShopDocument(shop, self.doc.sections, self.doc.items)
        self.shop_changed.emit(shop)
