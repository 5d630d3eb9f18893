"""The board editor's Checks tab: what to fix before the board is shared, each with its fix.

Beside the canvas the editor shows three tabs: the catalog to add products from
(``catalog_panel``), the shoppable products (``products_panel``) and these checks. The issues
come from the pure rules of ``studio.core.board_checks`` over the open board, the products'
availability as the products tab read it from the catalog, and the conflict-of-interest reasons
(``studio.ui.widgets.checks.ConflictWatch``: read again whenever the tab is shown, and when a
write anywhere changed the declared ties or the catalog). They are recomputed after every edit
and when the catalog cards arrive; the tab's title counts them.

Fixes, one click each: a product that left the catalog, is out of stock or that a declared tie
now forbids can be shown on the canvas or removed from the board (one undo step, like Delete);
"too many products" shows the Products tab to thin them out; "no product" shows the Catalog
tab, to drag some onto the canvas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QTabWidget

from studio.core.board_checks import BoardCheckKind, BoardIssue, check_board
from studio.core.boards import BoardDocument, BoardItemKind
from studio.core.sharing import number_board_items
from studio.ui.boards.commands import DeleteItemsCommand
from studio.ui.widgets.checks import CheckRow, ChecksList, ConflictWatch

if TYPE_CHECKING:
    from studio.core.changes import Changes
    from studio.ui.boards.editor import BoardEditor


class BoardChecks(QObject):
    """``tabs``: the Catalog, Products and Checks tabs; ``issues``: what ``list`` shows."""

    def __init__(self, editor: BoardEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.issues: list[BoardIssue] = []
        self.list = ChecksList(editor)
        self.list.setObjectName("boardChecks")
        self.conflicts = ConflictWatch(editor._tasks, "board-conflicts", self)
        self.tabs = QTabWidget(editor)
        self.tabs.setObjectName("boardSideTabs")
        # The catalog first: search beside the canvas and drag onto it.
        self.tabs.addTab(editor.catalog_panel, self.tr("Catalog"))
        self.tabs.addTab(editor.products, self.tr("Products"))
        self.tabs.addTab(self.list, self.tr("Checks"))
        self.conflicts.changed.connect(self.refresh)
        editor.products.cards_changed.connect(self.refresh)
        editor.controller.items_changed.connect(self._items_changed)
        self.tabs.currentChanged.connect(self._tab_shown)
        editor._tasks.changed.connect(self._heard)

    def _heard(self, changes: Changes, _origin: object) -> None:
        # A tie declared in the profile, or a product's brand or category changed by an
        # import, may make a product on the board a conflict of interest (or no longer).
        if changes.touches("affiliation", "profile") or changes.catalog or changes.relinked:
            self._watch(force=True)

    def _doc(self) -> BoardDocument | None:
        controller = self.editor.controller
        board = controller.board
        return None if board is None else BoardDocument(board, tuple(controller.items))

    def _items_changed(self) -> None:
        doc = self._doc()
        if doc is None:
            self.conflicts.forget()
        self._watch()
        self.refresh()

    def _tab_shown(self, index: int) -> None:
        if self.tabs.widget(index) is self.list:
            self._watch(force=True)

    def _watch(self, *, force: bool = False) -> None:
        doc = self._doc()
        if doc is not None:
            refs = [i.product for i in doc.items if i.product is not None]
            self.conflicts.watch(self.editor._boards.db, refs, force=force)

    def refresh(self) -> None:
        """Check the open board again and show the issues with their fixes."""
        doc = self._doc()
        cards = self.editor.products.cards
        availability = {pid: card.availability for pid, card in cards.items()}
        issues = [] if doc is None else check_board(doc, availability, self.conflicts.reasons)
        # A product whose card is still being read is not "gone": its issue waits for it.
        reading = {
            i.id
            for i in (doc.items if doc is not None else ())
            if i.product is not None
            and i.product.product_id is not None
            and not self.editor.products.answered(i.product.product_id)
        }
        self.issues = [
            i
            for i in issues
            if not (i.kind is BoardCheckKind.MISSING_PRODUCT and i.item_id in reading)
        ]
        numbers = {} if doc is None else number_board_items(doc)
        self.list.show_rows([self._row(issue, numbers) for issue in self.issues])
        self.tabs.setTabText(
            self.tabs.indexOf(self.list),
            self.tr("Checks ({n})").format(n=len(self.issues))
            if self.issues
            else self.tr("Checks"),
        )

    def _row(self, issue: BoardIssue, numbers: dict[str, int]) -> CheckRow:
        n = numbers.get(issue.item_id or "", "?")
        kind = issue.kind
        words = {
            BoardCheckKind.NO_PRODUCTS: self.tr("No product on the board: nothing to shop"),
            BoardCheckKind.TOO_MANY_ITEMS: self.tr("Too many items on the board"),
            BoardCheckKind.TOO_MANY_PRODUCTS: self.tr("Too many products to read"),
            BoardCheckKind.CONFLICT: self.tr("Product {n}: conflict of interest"),
            BoardCheckKind.MISSING_PRODUCT: self.tr("Product {n}: no longer in the catalog"),
            BoardCheckKind.UNAVAILABLE: self.tr("Product {n}: out of stock"),
        }
        text = words[kind].format(n=n)
        if kind in (BoardCheckKind.TOO_MANY_ITEMS, BoardCheckKind.TOO_MANY_PRODUCTS):
            show = self.tr("Show products")
            fixes = [(show, lambda: self.tabs.setCurrentWidget(self.editor.products))]
            return CheckRow(f"{text}: {issue.detail}", issue.detail, fixes)
        if kind is BoardCheckKind.NO_PRODUCTS:
            catalog = self.tr("Show the catalog")
            fixes = [(catalog, lambda: self.tabs.setCurrentWidget(self.editor.catalog_panel))]
            return CheckRow(
                f"{text}. {issue.detail[0].upper()}{issue.detail[1:]}.", issue.detail, fixes
            )
        if issue.item_id is None:
            return CheckRow(f"{text}. {issue.detail[0].upper()}{issue.detail[1:]}.", issue.detail)
        item_id = issue.item_id
        return CheckRow(
            self.tr("Product {n} — {reason}").format(n=n, reason=issue.detail)
            if kind is BoardCheckKind.CONFLICT
            else text,
            issue.detail,
            [
                (self.tr("Show it"), lambda: self.editor.select_item(item_id)),
                (self.tr("Remove it"), lambda: self.remove(item_id)),
            ],
        )

    def remove(self, item_id: str) -> None:
        """Take the item off the board (one undo step)."""
        controller = self.editor.controller
        item = next((i for i in controller.items if i.id == item_id), None)
        if item is not None and item.kind is BoardItemKind.PRODUCT:
            controller.undo.push(
                DeleteItemsCommand(controller, [item_id], self.tr("Remove from the board"))
            )
