"""The shelf view: one list of shelf headers and product rows, with drops at the pointer.

Two drags land here: catalog products (``application/x-vitrine-product-ids``, from the
picker beside the shelves or the catalog browser) are shelved where they are dropped, and rows
of this view (``ITEM_MIME``) move there, within a shelf or to another. The view works out the
place - the shelf and the index among its items - and paints a line where the drop will
land; the editor does the edit (one undo step). A drag repaints only the strips of the old
and the new line, so a drag over 10,000 rows costs one small paint per frame.

Scrolling asks the model for the cards of the rows about to be shown, and a card or a
thumbnail that arrives repaints only the rows on screen that show it: the view scrolls by
copying what it has drawn and painting the strip that came in, never all of it again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QMimeData, QModelIndex, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from studio.core.shops import ShopItem
from studio.ui.shops.model import ITEM_MIME, ROW_HEIGHT, ShelfModel
from studio.ui.widgets.gestures import GestureGc
from studio.ui.widgets.images import rows_on_screen
from studio.ui.widgets.mime import MIME_TYPE, decode_product_ids

EDGE = 28  # px from the top or bottom edge where a drag scrolls the view


@dataclass(frozen=True, slots=True)
class DropPlace:
    """Where a drop lands: the shelf and the index among its items (moving rows counted);
    ``line_y`` is where the view draws the insertion line."""

    section_id: str
    index: int
    line_y: int


def item_ids(mime: QMimeData) -> list[str]:
    """The shop item ids an internal drag carries ([] for any other drag)."""
    if not mime.hasFormat(ITEM_MIME):
        return []
    return [i for i in bytes(mime.data(ITEM_MIME).data()).decode().split("\n") if i]


class ShelfView(QTableView):
    """``products_dropped(section id, index, product ids)``;
    ``items_dropped(section id, index, item ids)`` (index counts the shelf's rows as shown).

    A one-column table with its headers hidden, not a ``QListView``: every row is
    ``ROW_HEIGHT`` high, which the table's row header knows without asking any row, whereas a
    list view lays every row out again after each move or insert (a Python call per row: tens
    of milliseconds for 10,000, or, laid out in batches, a view that jumps back to the first
    batch when the user works deep in a shelf)."""

    products_dropped = Signal(str, int, list)
    items_dropped = Signal(str, int, list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._gc = GestureGc(self)  # no collector pause mid-drag
        rows, columns = self.verticalHeader(), self.horizontalHeader()
        rows.hide()
        columns.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(ROW_HEIGHT)
        rows.setMinimumSectionSize(ROW_HEIGHT)
        columns.setStretchLastSection(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        self.setTabKeyNavigation(False)  # Tab leaves the shelves, as in a list
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(False)  # the view paints its own line (see paintEvent)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setAccessibleName(self.tr("Shelves"))
        self._line: int | None = None
        self.read_only = False
        self.verticalScrollBar().valueChanged.connect(self._prefetch)

    def moveCursor(
        self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        # One column: Home and End go to the first and the last row, as in a list (a table
        # would go to the row's first and last column, which is where it already is).
        if action in (
            QAbstractItemView.CursorAction.MoveHome,
            QAbstractItemView.CursorAction.MoveEnd,
        ):
            modifiers |= Qt.KeyboardModifier.ControlModifier
        return super().moveCursor(action, modifiers)

    def setModel(self, model: object) -> None:
        super().setModel(model)  # type: ignore[arg-type]
        if isinstance(model, ShelfModel):
            model.decorations_changed.connect(self.viewport().update)
            model.cards_arrived.connect(self._cards_arrived)
            # A shop just opened: the screen below is asked for with the first one.
            model.modelReset.connect(self._prefetch_soon)

    # -- rows on screen -------------------------------------------------------------------------

    def visible_rows(self) -> range:
        """The rows on screen now (top to bottom; empty for an empty view)."""
        return rows_on_screen(self)

    def repaint_rows(self, showing: Callable[[ShopItem], bool]) -> None:
        """Repaint the product rows on screen for which ``showing(item)`` holds."""
        model = self.model()
        if not isinstance(model, ShelfModel):
            return
        for row in self.visible_rows():
            item = model.item_at(row)
            if item is not None and showing(item):
                self.viewport().update(self.visualRect(model.index(row)))

    def image_loaded(self, url: str) -> None:
        """A thumbnail arrived: repaint the rows on screen whose product shows it."""
        model = self.model()
        if not isinstance(model, ShelfModel):
            return

        def shows(item: ShopItem) -> bool:
            card = model.cards.get(item.product.product_id or -1)
            return card is not None and card.image_link == url

        self.repaint_rows(shows)

    def _cards_arrived(self, product_ids: list[int]) -> None:
        arrived = set(product_ids)
        self.repaint_rows(lambda item: item.product.product_id in arrived)

    def _prefetch_soon(self) -> None:
        QTimer.singleShot(0, self, self._prefetch)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._prefetch_soon()

    def _prefetch(self) -> None:
        model = self.model()
        rows = self.visible_rows()
        if isinstance(model, ShelfModel) and rows:
            # A screen beyond each edge, whichever way the scroll goes.
            model.prefetch(rows.start - len(rows), rows.stop + len(rows))

    def shelf_model(self) -> ShelfModel:
        model = self.model()
        assert isinstance(model, ShelfModel)
        return model

    # -- where a drop lands --------------------------------------------------------------------

    def place_at(self, pos: QPoint) -> DropPlace | None:
        model = self.shelf_model()
        if not model.sections:
            return None
        index = self.indexAt(pos)
        if not index.isValid():
            last = model.sections[-1]
            rows = model.rowCount()
            rect = self.visualRect(model.index(rows - 1)) if rows else QRect()
            return DropPlace(last.id, len(model.items[last.id]), rect.bottom())
        rect = self.visualRect(index)
        s, offset = model.locate(index.row())
        section = model.sections[s]
        if offset == 0:  # on a header: first on that shelf
            return DropPlace(section.id, 0, rect.bottom())
        if pos.y() < rect.center().y():
            return DropPlace(section.id, offset - 1, rect.top())
        return DropPlace(section.id, offset, rect.bottom())

    # -- drag and drop -------------------------------------------------------------------------

    def _accepts(self, event: QDragMoveEvent | QDragEnterEvent | QDropEvent) -> bool:
        mime = event.mimeData()
        if self.read_only:
            return False
        return mime.hasFormat(ITEM_MIME) or mime.hasFormat(MIME_TYPE)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._accepts(event):
            self._gc.begin()
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if not self._accepts(event):
            event.ignore()
            return
        pos = event.position().toPoint()
        self._autoscroll(pos)
        place = self.place_at(pos)
        self._set_line(None if place is None else place.line_y)
        if place is None:
            event.ignore()
            return
        internal = event.mimeData().hasFormat(ITEM_MIME)
        event.setDropAction(Qt.DropAction.MoveAction if internal else Qt.DropAction.CopyAction)
        event.accept()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._gc.end()
        self._set_line(None)
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:
        self._gc.end()
        self._set_line(None)
        place = self.place_at(event.position().toPoint()) if self._accepts(event) else None
        if place is None:
            event.ignore()
            return
        mime = event.mimeData()
        moving = item_ids(mime)
        if moving:
            # The drop is taken here; Copy so Qt's drag code never removes the source rows.
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            # The moved rows become current once placed; until then no row is, or Qt would
            # make the row above a removed current row current and scroll it into view.
            self.selectionModel().clearCurrentIndex()
            self.items_dropped.emit(place.section_id, place.index, moving)
            return
        products = decode_product_ids(mime)
        if not products:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.products_dropped.emit(place.section_id, place.index, products)

    def _autoscroll(self, pos: QPoint) -> None:
        bar = self.verticalScrollBar()
        height = self.viewport().height()
        if pos.y() < EDGE:
            bar.setValue(bar.value() - bar.singleStep() * 4)
        elif pos.y() > height - EDGE:
            bar.setValue(bar.value() + bar.singleStep() * 4)

    # -- the insertion line ----------------------------------------------------------------------

    def _strip(self, y: int) -> QRect:
        return QRect(0, y - 3, self.viewport().width(), 7)

    def _set_line(self, y: int | None) -> None:
        if y == self._line:
            return
        if self._line is not None:
            self.viewport().update(self._strip(self._line))
        self._line = y
        if y is not None:
            self.viewport().update(self._strip(y))

    @property
    def drop_line(self) -> int | None:
        return self._line

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._line is None:
            return
        painter = QPainter(self.viewport())
        painter.setPen(QPen(QColor("#0969da"), 3))
        painter.drawLine(4, self._line, self.viewport().width() - 4, self._line)
        painter.end()
