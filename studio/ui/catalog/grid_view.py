"""The product grid (and compact list): a virtual item view that scales to a million rows.

``QListView`` in icon mode lays out every row before it paints (seconds at 1M rows). This view
never does: cards have a fixed size, so the column count, the scroll range and the rows on
screen are arithmetic on the viewport size and the row count, and ``paintEvent`` draws only the
cards that intersect the viewport. It is a ``QAbstractItemView``, so selection, the current
index, keyboard navigation (arrows, PageUp/PageDown, Home/End, Enter -> ``activated``),
double-click and drag-out come from Qt; this class supplies the geometry.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from enum import StrEnum

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QItemSelectionRange,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QDrag,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPixmap,
    QRegion,
    QResizeEvent,
)
from PySide6.QtWidgets import QAbstractItemView, QWidget

from studio.ui.catalog.card_painter import MIN_CACHED_CARDS, CardPainter
from studio.ui.widgets.catalog_model import CatalogModel
from studio.ui.widgets.images import ImageLoader
from studio.ui.widgets.mime import install_copy

_Index = QModelIndex | QPersistentModelIndex
MAX_DRAG_PRODUCTS = 10_000  # a drag of "select all" on 1M rows carries the first 10k ids


_NAVIGATION_KEYS = {
    Qt.Key.Key_Home,
    Qt.Key.Key_End,
    Qt.Key.Key_PageUp,
    Qt.Key.Key_PageDown,
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
    Qt.Key.Key_Left,
    Qt.Key.Key_Right,
}


class ViewMode(StrEnum):
    GRID = "grid"
    LIST = "list"


class ProductGridView(QAbstractItemView):
    """Grid of product cards or one-line list rows over a ``CatalogModel``."""

    CARD = QSize(184, 290)  # minimum card size; cards stretch to fill the row
    SPACING = 12
    LIST_ROW = 60
    #: Emitted after a paint with the first and last rows it drew (for tests and benches).
    painted = Signal(int, int)

    def __init__(self, images: ImageLoader | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._images = images
        self._mode = ViewMode.GRID
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setMouseTracking(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAccessibleName(self.tr("Products"))
        # Ctrl+C: the selected products on the clipboard, as a drag carries them (a board pastes).
        install_copy(self, self.drag_mime_data)
        self._cards = CardPainter(self, images)
        self._image_rects: dict[str, list[QRect]] = {}  # content coordinates, from last paint
        if images is not None:
            images.loaded.connect(self._image_loaded)

    # -- mode and geometry ------------------------------------------------------------------

    def catalog_model(self) -> CatalogModel | None:
        model = self.model()
        return model if isinstance(model, CatalogModel) else None

    @property
    def mode(self) -> ViewMode:
        return self._mode

    def set_mode(self, mode: ViewMode | str) -> None:
        mode = ViewMode(mode)
        if mode == self._mode:
            return
        current = self.currentIndex()
        self._mode = mode
        self.updateGeometries()
        if current.isValid():
            self.scrollTo(current, QAbstractItemView.ScrollHint.PositionAtCenter)
        self.viewport().update()

    def _count(self) -> int:
        model = self.model()
        return model.rowCount() if model is not None else 0

    def columns(self) -> int:
        if self._mode == ViewMode.LIST:
            return 1
        width = self.viewport().width() - self.SPACING
        return max(1, width // (self.CARD.width() + self.SPACING))

    def _cell(self) -> QSize:
        """The pitch between rows/columns: card size plus spacing (grid) or a list row."""
        if self._mode == ViewMode.LIST:
            return QSize(self.viewport().width(), self.LIST_ROW)
        cols = self.columns()
        width = (self.viewport().width() - self.SPACING) // cols
        return QSize(
            max(width, self.CARD.width() + self.SPACING), self.CARD.height() + self.SPACING
        )

    def _content_height(self) -> int:
        rows = math.ceil(self._count() / self.columns())
        margin = self.SPACING if self._mode == ViewMode.GRID else 0
        return rows * self._cell().height() + margin

    def _rect_of_row(self, row: int) -> QRect:
        """Content coordinates (not scrolled) of the card or list row of ``row``."""
        cell = self._cell()
        if self._mode == ViewMode.LIST:
            return QRect(0, row * cell.height(), cell.width(), cell.height())
        line, col = divmod(row, self.columns())
        return QRect(
            self.SPACING + col * cell.width(),
            self.SPACING + line * cell.height(),
            cell.width() - self.SPACING,
            cell.height() - self.SPACING,
        )

    def _row_at(self, point: QPoint) -> int:
        """Row under a viewport point, or -1."""
        cell = self._cell()
        y = point.y() + self.verticalOffset()
        if self._mode == ViewMode.LIST:
            row = y // cell.height()
        else:
            x, y = point.x() - self.SPACING, y - self.SPACING
            if x < 0 or y < 0 or x % cell.width() >= cell.width() - self.SPACING:
                return -1
            col = x // cell.width()
            if col >= self.columns() or y % cell.height() >= cell.height() - self.SPACING:
                return -1
            row = (y // cell.height()) * self.columns() + col
        return row if 0 <= row < self._count() else -1

    def visible_rows(self) -> range:
        """Rows intersecting the viewport (possibly a few past the ends)."""
        count = self._count()
        if not count:
            return range(0)
        cell, cols = self._cell(), self.columns()
        top = self.verticalOffset()
        first_line = max(0, (top - self.SPACING) // cell.height())
        last_line = (top + self.viewport().height()) // cell.height()
        return range(first_line * cols, min(count, (last_line + 1) * cols))

    def updateGeometries(self) -> None:
        bar = self.verticalScrollBar()
        page = self.viewport().height()
        bar.setRange(0, max(0, self._content_height() - page))
        bar.setPageStep(page)
        bar.setSingleStep(max(20, self._cell().height() // 3))
        super().updateGeometries()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.updateGeometries()

    def rowsInserted(self, parent: _Index, start: int, end: int) -> None:
        # Rows appended to the result (a ranked head's rest): the scroll range grows.
        super().rowsInserted(parent, start, end)
        self.updateGeometries()
        self.viewport().update()

    # -- QAbstractItemView geometry interface -----------------------------------------------

    def visualRect(self, index: _Index) -> QRect:
        if not index.isValid():
            return QRect()
        return self._rect_of_row(index.row()).translated(0, -self.verticalOffset())

    def indexAt(self, point: QPoint) -> QModelIndex:
        row = self._row_at(point)
        model = self.model()
        return model.index(row, 0) if row >= 0 and model is not None else QModelIndex()

    def scrollTo(
        self,
        index: _Index,
        hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible,
    ) -> None:
        if not index.isValid():
            return
        rect = self._rect_of_row(index.row())
        bar, height = self.verticalScrollBar(), self.viewport().height()
        margin = self.SPACING if self._mode == ViewMode.GRID else 0
        top = bar.value()
        if hint == QAbstractItemView.ScrollHint.PositionAtTop:
            top = rect.top() - margin
        elif hint == QAbstractItemView.ScrollHint.PositionAtBottom:
            top = rect.bottom() + margin - height
        elif hint == QAbstractItemView.ScrollHint.PositionAtCenter:
            top = rect.center().y() - height // 2
        elif rect.top() - margin < top:
            top = rect.top() - margin
        elif rect.bottom() + margin > top + height:
            top = rect.bottom() + margin - height
        bar.setValue(top)

    def moveCursor(
        self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        count, model = self._count(), self.model()
        if not count or model is None:
            return QModelIndex()
        current = self.currentIndex()
        row = current.row() if current.isValid() else -1
        cols = self.columns()
        per_page = max(1, self.viewport().height() // self._cell().height()) * cols
        act = QAbstractItemView.CursorAction
        if row < 0:
            row = 0 if action != act.MoveEnd else count - 1
        elif action == act.MoveUp:
            row = row - cols if row >= cols else row
        elif action == act.MoveDown:
            row = row + cols if row + cols < count else row
        elif action in (act.MoveLeft, act.MovePrevious):
            row = (
                max(0, row - 1)
                if (self._mode == ViewMode.GRID or action == act.MovePrevious)
                else row
            )
        elif action in (act.MoveRight, act.MoveNext):
            row = (
                min(count - 1, row + 1)
                if (self._mode == ViewMode.GRID or action == act.MoveNext)
                else row
            )
        elif action == act.MovePageUp:
            row = max(row % cols, row - per_page)
        elif action == act.MovePageDown:
            row = min(count - 1, row + per_page)
        elif action == act.MoveHome:
            row = 0
        elif action == act.MoveEnd:
            row = count - 1
        return model.index(row, 0)

    def horizontalOffset(self) -> int:
        return 0

    def verticalOffset(self) -> int:
        return self.verticalScrollBar().value()

    def isIndexHidden(self, index: _Index) -> bool:
        return False

    def setSelection(self, rect: QRect, command: QItemSelectionModel.SelectionFlag) -> None:
        model, selection_model = self.model(), self.selectionModel()
        if model is None or selection_model is None:
            return
        rect = rect.normalized()
        selection = QItemSelection()
        if rect.width() <= 1 and rect.height() <= 1:
            row = self._row_at(rect.topLeft())
            if row >= 0:
                selection.select(model.index(row, 0), model.index(row, 0))
        else:
            # A rubber band: every visible card whose rect intersects it, row by row.
            for row in self.visible_rows():
                if self.visualRect(model.index(row, 0)).intersects(rect):
                    selection.select(model.index(row, 0), model.index(row, 0))
        selection_model.select(selection, command)

    def visualRegionForSelection(self, selection: QItemSelection) -> QRegion:
        # Repainting the viewport is cheaper than walking a selection that may span 1M rows.
        return QRegion(self.viewport().rect())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        super().keyPressEvent(event)
        # Qt scrolls only when the current index moves; Home on the first card after a scroll
        # must still bring it back into view.
        if event.key() in _NAVIGATION_KEYS and self.currentIndex().isValid():
            self.scrollTo(self.currentIndex())

    def keyboardSearch(self, search: str) -> None:
        """Disabled: Qt's version walks the model row by row (a million ``data`` calls)."""

    def dataChanged(
        self, top_left: _Index, bottom_right: _Index, roles: Sequence[int] = ()
    ) -> None:
        visible = self.visible_rows()
        if visible and top_left.row() <= visible[-1] and bottom_right.row() >= visible[0]:
            self.viewport().update()

    def _image_loaded(self, url: str) -> None:
        # Repaint just the cards showing this image, not the whole viewport.
        offset = self.verticalOffset()
        for rect in self._image_rects.get(url, ()):
            self.viewport().update(rect.translated(0, -offset))

    def forget_images(self) -> None:
        """Drop scaled thumbnails and drawn cards (after an import may have changed them)."""
        self._cards.forget()

    # -- selection helpers and drag ---------------------------------------------------------

    def selected_rows(self, limit: int = MAX_DRAG_PRODUCTS) -> list[int]:
        """Selected rows in order (up to ``limit``) without expanding the selection per row."""
        selection_model = self.selectionModel()
        if selection_model is None:
            return []
        rows: list[int] = []
        selection = selection_model.selection()
        ranges: list[QItemSelectionRange] = [selection.at(i) for i in range(selection.count())]
        for rng in sorted(ranges, key=lambda r: r.top()):
            for row in range(rng.top(), rng.bottom() + 1):
                rows.append(row)
                if len(rows) >= limit:
                    return rows
        return rows

    def drag_mime_data(self) -> object:
        model = self.catalog_model()
        rows = self.selected_rows()
        if model is None or not rows:
            return None
        return model.mime_for_rows(rows)

    def startDrag(self, supported: Qt.DropAction) -> None:
        mime = self.drag_mime_data()
        if mime is None:
            return
        drag = QDrag(self)
        drag.setMimeData(mime)  # type: ignore[arg-type]
        current = self.currentIndex()
        if current.isValid():
            rect = self.visualRect(current)
            pixmap = QPixmap(rect.size())
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            self._paint_row(painter, current.row(), QRect(QPoint(0, 0), rect.size()))
            painter.end()
            drag.setPixmap(
                pixmap.scaledToWidth(
                    min(160, rect.width()), Qt.TransformationMode.SmoothTransformation
                )
            )
        drag.exec(Qt.DropAction.CopyAction)

    # -- painting ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        palette = self.palette()
        role = QPalette.ColorRole.Base if self._mode == ViewMode.LIST else QPalette.ColorRole.Window
        painter.fillRect(event.rect(), palette.color(role))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        rows = self.visible_rows()
        self._cards.keep = max(MIN_CACHED_CARDS, 2 * len(rows))
        offset = self.verticalOffset()
        image_rects: dict[str, list[QRect]] = {}
        painted: list[int] = []
        for row in rows:
            content = self._rect_of_row(row)
            rect = content.translated(0, -offset)
            if rect.intersects(event.rect()):
                url = self._paint_row(painter, row, rect)
                painted.append(row)
            else:
                url = self._url_of(row)
            if url:
                image_rects.setdefault(url, []).append(content)
        if not rows and self.model() is not None:
            painter.setPen(QColor("#80868f"))
            painter.drawText(
                self.viewport().rect(),
                Qt.AlignmentFlag.AlignCenter,
                self.tr("No products match your search."),
            )
        painter.end()
        self._image_rects = image_rects
        if self._images is not None:
            self._images.retain(image_rects)
        if painted:
            self.painted.emit(painted[0], painted[-1])

    def _url_of(self, row: int) -> str | None:
        model = self.catalog_model()
        card = model.card(row, fetch=False) if model is not None else None
        return card.image_link if card is not None else None

    def _paint_row(self, painter: QPainter, row: int, rect: QRect) -> str | None:
        """Draw one card or list row; returns its image URL (to keep loading it)."""
        model = self.catalog_model()
        card = model.card(row) if model is not None else None
        index = model.index(row, 0) if model is not None else QModelIndex()
        selection_model = self.selectionModel()
        selected = bool(selection_model and index.isValid() and selection_model.isSelected(index))
        current = index.isValid() and index == self.currentIndex() and self.hasFocus()
        self._cards.paint(
            painter,
            card,
            rect,
            list_mode=self._mode == ViewMode.LIST,
            selected=selected,
            current=current,
            row=row,
        )
        return card.image_link if card is not None else None
