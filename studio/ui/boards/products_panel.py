"""The side list of a board's shoppable products, numbered as exports number them.

Every product item on a board is a shoppable tag. The list shows each one's number (1..n in
z order, ``studio.core.sharing.number_board_items``, the rule the exports use), title, price
and availability from ``CatalogStore.cards``, read in the background and kept per product so
that moving an item never queries again; they are asked again when the catalog changes (an
import, the re-link after it: ``TaskManager.changed``), the old entries shown until the new
answers arrive. Clicking an entry selects its item on the canvas.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from studio.core.boards import Board, BoardDocument, BoardItem
from studio.core.product import Availability
from studio.core.sharing import number_board_items
from studio.ui.tasks import TaskManager
from studio.ui.widgets.colours import mute
from studio.ui.widgets.labels import product_summary

if TYPE_CHECKING:
    from studio.core.catalog import ProductCard
    from studio.core.changes import Changes
    from studio.store.catalog import CatalogStore

ITEM_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class ProductsPanel(QWidget):
    """``show_items`` refreshes it; ``item_clicked`` names the board item chosen."""

    item_clicked = Signal(str)
    cards_changed = Signal()  # catalog cards arrived (the Checks tab re-checks)

    def __init__(
        self,
        tasks: TaskManager,
        catalog: Callable[[], CatalogStore | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._catalog = catalog
        self._cards: dict[int, ProductCard] = {}
        self._asked: set[int] = set()
        self._gone: set[int] = set()  # asked, and not in the catalog any more
        self._epoch = 0  # answers asked before the catalog last changed are dropped
        self._last: tuple[Board | None, Sequence[BoardItem]] = (None, ())
        self.heading = QLabel(self)
        self.heading.setObjectName("boardProductsHeading")
        self.hint = QLabel(
            self.tr(
                "Drag products from the catalog onto the board: each one "
                "becomes a numbered, shoppable tag listed here."
            ),
            self,
        )
        self.hint.setWordWrap(True)
        mute(self.hint)
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Shoppable products on this board"))
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(2)
        self.list.itemClicked.connect(self._clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        layout.addWidget(self.list, 1)
        tasks.changed.connect(self._heard)
        self.show_items(None, ())

    @property
    def cards(self) -> dict[int, ProductCard]:
        """The catalog cards read so far, by product id."""
        return self._cards

    def answered(self, product_id: int) -> bool:
        """Whether the catalog said what became of this product (a card, or gone)."""
        return product_id in self._cards or product_id in self._gone

    def _heard(self, changes: Changes, _origin: object) -> None:
        if changes.catalog or changes.relinked:
            self.reask()

    def reask(self) -> None:
        """Prices, availability or the products themselves may have changed: ask again for
        every product shown (its entry stays as it is until the answer comes)."""
        ids = sorted(
            {
                i.product.product_id
                for i in self._last[1]
                if i.product is not None and i.product.product_id is not None
            }
        )
        self._epoch += 1
        self._asked = set(ids)
        if ids:
            self._ask(ids)

    def show_items(self, board: Board | None, items: Sequence[BoardItem]) -> None:
        self._last = (board, items)
        self.list.clear()
        if board is None:
            self.heading.setText(self.tr("No board open"))
            self.hint.setVisible(False)
            return
        numbers = number_board_items(BoardDocument(board, tuple(items)))
        by_id = {i.id: i for i in items}
        self.heading.setText(self.tr("Shoppable products: {count}").format(count=len(numbers)))
        self.hint.setVisible(not numbers)
        missing = []
        for item_id, number in sorted(numbers.items(), key=lambda kv: kv[1]):
            item = by_id[item_id]
            ref = item.product
            card = self._cards.get(ref.product_id) if ref and ref.product_id is not None else None
            waiting = (
                ref is not None
                and ref.product_id is not None
                and card is None
                and (ref.product_id not in self._gone)
            )
            if waiting and ref is not None and ref.product_id is not None:
                if ref.product_id not in self._asked:
                    missing.append(ref.product_id)
                text = self.tr("{n}. Loading…").format(n=number)
            elif card is None:
                text = self.tr("{n}. {offer} ({merchant}): no longer in the catalog").format(
                    n=number,
                    offer=ref.offer_id if ref else "?",
                    merchant=ref.merchant if ref else "?",
                )
            else:
                text = self._describe(number, card)
            entry = QListWidgetItem(text)
            entry.setData(ITEM_ID_ROLE, item_id)
            if card is not None and card.availability in (
                Availability.OUT_OF_STOCK,
                Availability.UNAVAILABLE,
            ):
                entry.setForeground(Qt.GlobalColor.darkRed)
            self.list.addItem(entry)
        if missing:
            self._ask(missing)

    def _describe(self, number: int, card: ProductCard) -> str:
        return f"{number}. {card.title}\n    " + product_summary(
            None, card.price, card.sale_price, card.availability
        )

    def _ask(self, ids: list[int]) -> None:
        catalog = self._catalog()
        if catalog is None:
            return
        self._asked.update(ids)
        self._tasks.run(
            partial(catalog.cards, ids),
            partial(self._arrived, self._epoch, ids),
            self._failed,
            owner=self,
        )

    def _arrived(self, epoch: int, ids: list[int], cards: list[ProductCard]) -> None:
        if epoch != self._epoch:
            return  # read before the catalog changed: the newer answer is on its way
        found = {c.id for c in cards}
        self._gone = (self._gone | set(ids)) - found
        for product_id in set(ids) - found:
            self._cards.pop(product_id, None)  # left the catalog since it was read
        for card in cards:
            self._cards[card.id] = card
        self.show_items(*self._last)
        self.cards_changed.emit()

    def _failed(self, exc: BaseException) -> None:
        self.heading.setText(self.tr("Products could not be read: {reason}").format(reason=exc))

    def _clicked(self, entry: QListWidgetItem) -> None:
        item_id = entry.data(ITEM_ID_ROLE)
        if item_id:
            self.item_clicked.emit(str(item_id))

    def entries(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]
