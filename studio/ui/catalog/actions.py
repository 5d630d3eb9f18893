"""What a product card and the detail pane offer: add to the open look, to a shop, to the open
board, write a review; the grid's context menu and the detail pane's buttons build the same.

The catalog feature imports no other feature folder. Looks, boards and reviews are reached
through the main window: ``ProductActions.send`` carries (workspace name, product ids), and the
window hands them to that workspace's ``add_products`` (``studio.ui.workspace.TakesProducts``),
which tags, places or reviews them as its own editor does with a drop. Adding to a shop needs
no shop to be open, so it is written here, on the writer lane: the products go at the end of
the chosen shop's first shelf, all or none (the store refuses with a reason: the tier, a
product already there, a conflict of interest), and the message bar says how it went. The
shop list of the "Add to shop" menu is read in a worker when the stores open and again when a
write touched shops.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from studio.core.changes import Changes
from studio.ui.tasks import TaskManager
from studio.ui.widgets.message_bar import MessageBar

if TYPE_CHECKING:
    from studio.services.workspace import Stores

MAX_PRODUCTS = 200  # products one action takes (a look or board wants a handful)
Ids = Callable[[], list[int]]


class ProductActions(QObject):
    """The product actions of the Catalog workspace (one per view, shared by its menus)."""

    #: (workspace name: "looks", "boards" or "reviews"; product ids) for the main window.
    send = Signal(str, list)

    def __init__(self, tasks: TaskManager, message: MessageBar, parent: QObject) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._message = message
        self._stores: Stores | None = None
        self.shops: list[tuple[str, str]] = []  # (id, title), by title
        tasks.changed.connect(self._changed)

    def attach(self, stores: Stores) -> None:
        self._stores = stores
        self._read_shops()

    def _changed(self, changes: Changes, _origin: object) -> None:
        if changes.touches("shop"):
            self._read_shops()

    def _read_shops(self) -> None:
        shops = self._stores.shops if self._stores is not None else None
        if shops is None:
            return
        self._tasks.run(
            lambda: [(s.id, s.title) for s in shops.summaries()],
            self._shops_read,
            channel="catalog-shops",
            owner=self,
        )

    def _shops_read(self, shops: list[tuple[str, str]]) -> None:
        self.shops = shops

    # -- the menus --------------------------------------------------------------------------

    def fill_menu(self, menu: QMenu, ids: Ids) -> None:
        """Add the actions to ``menu``; each acts on ``ids()`` when chosen."""
        look = menu.addAction(self.tr("Add to the open &look"))
        look.triggered.connect(lambda: self.to_workspace("looks", ids()))
        self.fill_shop_menu(menu.addMenu(self.tr("Add to &shop")), ids)
        board = menu.addAction(self.tr("Add to the open &board"))
        board.triggered.connect(lambda: self.to_workspace("boards", ids()))
        menu.addSeparator()
        review = menu.addAction(self.tr("&Write a review"))
        review.triggered.connect(lambda: self.to_workspace("reviews", ids()[:1]))

    def fill_shop_menu(self, menu: QMenu, ids: Ids) -> None:
        """One action per shop (the list read last); a disabled line when there is none."""
        menu.clear()
        if not self.shops:
            none = menu.addAction(self.tr("No shop yet: make one in Shops"))
            none.setEnabled(False)
            return
        for shop_id, title in self.shops:
            action = QAction(title, menu)
            action.triggered.connect(
                lambda _c=False, s=shop_id, t=title: self.add_to_shop(s, t, ids())
            )
            menu.addAction(action)

    def context_menu(self, parent: QWidget, ids: Ids) -> QMenu:
        menu = QMenu(parent)
        self.fill_menu(menu, ids)
        return menu

    # -- acting -----------------------------------------------------------------------------

    def to_workspace(self, name: str, ids: Sequence[int]) -> None:
        if ids:
            self.send.emit(name, [int(i) for i in ids[:MAX_PRODUCTS]])

    def add_to_shop(self, shop_id: str, title: str, ids: Sequence[int]) -> None:
        """Shelve ``ids`` at the end of the shop's first shelf (one write: all or none)."""
        stores = self._stores
        shops = stores.shops if stores is not None else None
        if stores is None or shops is None or not ids:
            return
        catalog, wanted = stores.catalog, [int(i) for i in ids[:MAX_PRODUCTS]]

        def job() -> int:
            # Imported here: the picker (and the pickers' row painter) is ~25 ms of the
            # catalog's import, before the window's first paint, for an action chosen later.
            from studio.ui.widgets.catalog_picker import product_refs

            document = shops.document(shop_id)
            if document is None:
                raise LookupError(self.tr("That shop is gone."))
            if not document.sections:
                raise LookupError(self.tr("“{shop}” has no shelf yet.").format(shop=title))
            refs = [ref for ref, _card in product_refs(catalog, wanted)]
            return len(shops.add_items(document.sections[0].id, refs))

        def done(count: int) -> None:
            text = (
                self.tr("Added 1 product to “{shop}”.")
                if count == 1
                else self.tr("Added {count} products to “{shop}”.")
            )
            self._message.show_message(text.format(count=count, shop=title), "info")

        def failed(exc: BaseException) -> None:
            self._message.show_message(
                self.tr("Nothing was added to “{shop}”: {reason}").format(shop=title, reason=exc)
            )

        self._tasks.write(job, done, failed, owner=self)
