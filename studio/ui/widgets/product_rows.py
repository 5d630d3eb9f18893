"""A compact product row for the editor's narrow catalog list: thumbnail, title, price, stock.

The catalog browser's list rows are laid out for a full-width view; beside the canvas there
are only a few hundred pixels, so the editor paints its own rows over the same
``CatalogModel`` (whose lazy pages and drag MIME data it reuses).

Thumbnails are scaled once per image and kept, and an arriving thumbnail repaints only the
rows on screen that show it: while a page of pictures loads, each arrival used to repaint
(and rescale) every row of the list.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from studio.core.catalog import ProductCard
from studio.core.sharing import is_orderable
from studio.ui.widgets.catalog_model import CardRole
from studio.ui.widgets.colours import blend, row_colours
from studio.ui.widgets.images import ImageLoader, ScaledThumbnails, rows_on_screen
from studio.ui.widgets.labels import price_label, stock_label

ROW_HEIGHT = 56
THUMB = QSize(ROW_HEIGHT - 8, ROW_HEIGHT - 8)
_Index = QModelIndex | QPersistentModelIndex


class ProductRowDelegate(QStyledItemDelegate):
    def __init__(self, images: ImageLoader, view: QAbstractItemView) -> None:
        super().__init__(view)
        self.images = images
        self._view = view
        self._thumbs = ScaledThumbnails(images, THUMB)
        images.loaded.connect(self._image_loaded)

    def _image_loaded(self, url: str) -> None:
        # The rows live in the scroll area's viewport: updating the view itself repaints only
        # its frame, and a thumbnail would show only after the next scroll.
        view, model = self._view, self._view.model()
        for row in rows_on_screen(view):
            index = model.index(row, 0)
            card = index.data(CardRole)
            if card is not None and card.image_link == url:
                view.viewport().update(view.visualRect(index))

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        return QSize(200, ROW_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        rect: QRect = option.rect
        state = option.state
        painter.save()
        # From the view's palette (light or dark), every text readable on its row.
        colours = row_colours(
            self._view.palette(),
            selected=bool(state & QStyle.StateFlag.State_Selected),
            alternate=bool(index.row() % 2),
        )
        painter.fillRect(rect, colours.background)
        card: ProductCard | None = index.data(CardRole)
        thumb = QRect(rect.left() + 6, rect.top() + 4, THUMB.width(), THUMB.height())
        scaled = self._thumbs.get(card.image_link if card is not None else None)
        if scaled is not None:
            painter.drawImage(
                thumb.left() + (thumb.width() - scaled.width()) // 2,
                thumb.top() + (thumb.height() - scaled.height()) // 2,
                scaled,
            )
        else:
            painter.fillRect(thumb, blend(colours.background, colours.text, 0.08))
        if card is None:
            painter.restore()
            return
        font = QFont(option.font)
        small = QFont(font)
        small.setPointSizeF(font.pointSizeF() * 0.88)
        x = thumb.right() + 10
        width = rect.right() - x - 8
        price = price_label(card.price, card.sale_price)
        font.setBold(True)
        fm = QFontMetrics(font)
        price_w = fm.horizontalAdvance(price) + 4
        if price_w > width // 2:  # a narrow list: the price to pay, without "(was …)"
            price = price_label(card.sale_price or card.price, None)
            price_w = fm.horizontalAdvance(price) + 4
        painter.setFont(font)
        painter.setPen(colours.text)
        top = QRect(x, rect.top() + 8, width, fm.height())
        painter.drawText(top, Qt.AlignmentFlag.AlignRight, price)
        font.setBold(False)
        painter.setFont(font)
        painter.drawText(
            QRect(x, top.top(), width - price_w - 6, fm.height()),
            Qt.AlignmentFlag.AlignLeft,
            # Elided in the middle: a merchant's variants differ at the end of their titles
            # ("Court Sneaker, Recycled Leather - White, 38"), which elision at the right
            # cut off, leaving four identical rows.
            QFontMetrics(font).elidedText(
                card.title, Qt.TextElideMode.ElideMiddle, width - price_w - 6
            ),
        )
        painter.setFont(small)
        sm = QFontMetrics(small)
        stock = stock_label(card.availability)
        stock_w = sm.horizontalAdvance(stock) + 4
        line = QRect(x, top.bottom() + 4, width, sm.height())
        orderable = is_orderable(card.availability)
        painter.setPen(colours.in_stock if orderable else colours.out_of_stock)
        painter.drawText(line, Qt.AlignmentFlag.AlignRight, stock)
        painter.setPen(colours.secondary)
        who = " · ".join(p for p in (card.brand, card.merchant) if p)
        painter.drawText(
            QRect(x, line.top(), width - stock_w - 6, sm.height()),
            Qt.AlignmentFlag.AlignLeft,
            sm.elidedText(who, Qt.TextElideMode.ElideRight, width - stock_w - 6),
        )
        painter.restore()
