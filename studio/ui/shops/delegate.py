"""How a shelf row looks: a shelf header band, or a product row of the shop.

A product row: thumbnail (``ImageLoader``, scaled once per image and kept), title and price,
brand · merchant and stock, the curator's note in italics, a star when featured and a coloured
badge naming its health issue. The card (title, price, stock) arrives lazily from the model;
until then the row shows the offer id. Painting does no I/O and no allocation it can avoid, so
a drag over 10,000 rows stays within a frame.

Each painted row is kept as a pixmap, keyed by everything it shows (the item's fields, its card,
its health issue, whether its thumbnail is there, the selection, the width, the font): a move
or a drop shifts the rows on screen by a few places, and a row shown again costs one
``drawPixmap`` instead of a dozen text layouts in Python (~0.6 ms a row on a slow machine).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from studio.core.catalog import ProductCard
from studio.core.sharing import is_orderable
from studio.core.shops import HealthIssue, IssueKind, ShopItem
from studio.ui.shops.model import (
    CARD_ROLE,
    COUNT_ROLE,
    ISSUE_ROLE,
    ITEM_ROLE,
    KIND_ROLE,
    ROW_HEIGHT,
)
from studio.ui.widgets.colours import (
    GRAPHIC_CONTRAST,
    RowColours,
    badge_colours,
    blend,
    readable,
    row_colours,
)
from studio.ui.widgets.images import ImageLoader, ScaledThumbnails
from studio.ui.widgets.labels import price_label, stock_label

_Index = QModelIndex | QPersistentModelIndex
# Painted rows kept, by their pixels: about eight screens of a 900 px wide shelf, two on a
# high-density screen (each row 4 bytes a device pixel).
ROWS_KEPT_BYTES = 24 * 1024 * 1024
THUMB = QSize(ROW_HEIGHT - 10, ROW_HEIGHT - 10)
_BADGE = {
    IssueKind.UNAVAILABLE: "#cf222e",
    IssueKind.MERCHANT_GONE: "#8250df",
    IssueKind.PRICE_CHANGED: "#bf8700",
    IssueKind.CONFLICT: "#9a3412",
    IssueKind.OVER_TIER: "#57606a",
}


def _bytes(pixmap: QPixmap) -> int:
    return pixmap.width() * pixmap.height() * 4


FEATURED = "#d4a72c"  # the featured star's gold, as tuned on white


class ShelfDelegate(QStyledItemDelegate):
    """Paints header and item rows of a ``ShelfModel`` (all rows ``ROW_HEIGHT`` high, so
    the view can lay out 10,000 of them without asking each one)."""

    def __init__(self, images: ImageLoader, view: QAbstractItemView) -> None:
        super().__init__(view)
        self.images = images
        self.accent = QColor("#222222")
        self._thumbs = ScaledThumbnails(images, THUMB, keep=400)
        self._font_cache: dict[str, tuple[QFont, QFont, QFont, QFont]] = {}
        self._rows: OrderedDict[tuple[object, ...], QPixmap] = OrderedDict()
        self._rows_bytes = 0
        self.badge_text = {
            IssueKind.UNAVAILABLE: self.tr("Unavailable"),
            IssueKind.MERCHANT_GONE: self.tr("Merchant gone"),
            IssueKind.PRICE_CHANGED: self.tr("Price changed"),
            IssueKind.CONFLICT: self.tr("Conflict of interest"),
            IssueKind.OVER_TIER: self.tr("Beyond your tier"),
        }

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        return QSize(300, ROW_HEIGHT)

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        # Qt refreshes open editors on every dataChanged over their row (cards and health
        # arrive in the background): never overwrite what the user has typed.
        if isinstance(editor, QLineEdit) and editor.isModified():
            return
        super().setEditorData(editor, index)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        rect: QRect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        font: QFont = option.font
        pal: QPalette = option.palette  # type: ignore[attr-defined]
        tones = row_colours(pal, selected=selected)  # readable in either scheme
        ratio = painter.device().devicePixelRatioF()
        draw: Callable[[QPainter, QRect], None]
        if index.data(KIND_ROLE) == "section":
            title, count = str(index.data()), int(index.data(COUNT_ROLE) or 0)
            key: tuple[object, ...] = ("shelf", title, count, self.accent.rgba())

            def draw(p: QPainter, r: QRect) -> None:
                self._header(p, pal, tones, selected, font, r, title, count)
        else:
            item: ShopItem = index.data(ITEM_ROLE)
            card: ProductCard | None = index.data(CARD_ROLE)
            issue: HealthIssue | None = index.data(ISSUE_ROLE)
            image = self._thumbs.get(card.image_link if card is not None else None)
            key = (
                "item",
                item.id,
                item.note,
                item.featured,
                item.product,
                card,
                issue.kind if issue is not None else None,
                image is not None,
            )

            def draw(p: QPainter, r: QRect) -> None:
                self._item(p, tones, font, r, item, card, issue, image)

        key += (selected, rect.width(), rect.height(), font.key(), ratio, pal.cacheKey())
        pixmap = self._rows.get(key)
        if pixmap is None:
            pixmap = QPixmap(rect.size() * ratio)
            pixmap.setDevicePixelRatio(ratio)
            row_painter = QPainter(pixmap)  # every row fills its whole rect first
            draw(row_painter, QRect(0, 0, rect.width(), rect.height()))
            row_painter.end()
            self._rows[key] = pixmap
            self._rows_bytes += _bytes(pixmap)
            while self._rows_bytes > ROWS_KEPT_BYTES and len(self._rows) > 1:
                self._rows_bytes -= _bytes(self._rows.popitem(last=False)[1])
        else:
            self._rows.move_to_end(key)
        painter.drawPixmap(rect.topLeft(), pixmap)

    def _header(
        self,
        painter: QPainter,
        pal: QPalette,
        tones: RowColours,
        selected: bool,
        base: QFont,
        rect: QRect,
        title: str,
        count: int,
    ) -> None:
        ground = tones.background if selected else pal.color(QPalette.ColorRole.AlternateBase)
        painter.fillRect(rect, ground)
        # The shop's accent as its page uses it, moved just enough to stand 3:1 off the
        # header (a near-black accent on a dark palette's header was invisible).
        bar = readable(self.accent, ground, GRAPHIC_CONTRAST)
        painter.fillRect(QRect(rect.left(), rect.top() + 10, 5, rect.height() - 20), bar)
        line = pal.color(QPalette.ColorRole.Mid)
        painter.fillRect(QRect(rect.left(), rect.bottom(), rect.width(), 1), line)
        font = QFont(base)
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        painter.setFont(font)
        painter.setPen(readable(tones.text, ground))
        fm = QFontMetrics(font)
        label = self.tr("%n products", "", count)
        sm = QFontMetrics(base)
        count_w = sm.horizontalAdvance(label) + 12
        text = QRect(rect.left() + 16, rect.top(), rect.width() - 28 - count_w, rect.height())
        painter.drawText(
            text,
            Qt.AlignmentFlag.AlignVCenter,
            fm.elidedText(title, Qt.TextElideMode.ElideRight, text.width()),
        )
        painter.setFont(base)
        painter.setPen(readable(tones.secondary, ground))
        painter.drawText(
            QRect(rect.right() - count_w - 8, rect.top(), count_w, rect.height()),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
            label,
        )

    def _fonts(self, base: QFont) -> tuple[QFont, QFont, QFont, QFont]:
        """The row's fonts (plain, small, bold, small italic) made once per view font, not
        once per painted row: a drag repaints a dozen rows a frame."""
        key = base.key()
        fonts = self._font_cache.get(key)
        if fonts is None:
            font = QFont(base)
            small = QFont(font)
            small.setPointSizeF(font.pointSizeF() * 0.88)
            bold = QFont(font)
            bold.setBold(True)
            italic = QFont(small)
            italic.setItalic(True)
            fonts = self._font_cache[key] = (font, small, bold, italic)
        return fonts

    def _item(
        self,
        painter: QPainter,
        tones: RowColours,
        base: QFont,
        rect: QRect,
        item: ShopItem,
        card: ProductCard | None,
        issue: HealthIssue | None,
        image: QImage | None,
    ) -> None:
        ground = tones.background
        painter.fillRect(rect, ground)
        painter.fillRect(
            QRect(rect.left() + 16, rect.bottom(), rect.width() - 16, 1),
            blend(ground, tones.text, 0.12),
        )
        thumb = QRect(rect.left() + 22, rect.top() + 5, THUMB.width(), THUMB.height())
        if image is not None:
            painter.drawImage(
                thumb.left() + (thumb.width() - image.width()) // 2,
                thumb.top() + (thumb.height() - image.height()) // 2,
                image,
            )
        else:
            painter.fillRect(thumb, blend(ground, tones.text, 0.07))
        font, small, bold, note_font = self._fonts(base)
        fm, sm = QFontMetrics(font), QFontMetrics(small)
        x = thumb.right() + 12
        right = rect.right() - 10
        # Right column: price on top, then the health badge or the stock.
        price = price_label(card.price, card.sale_price) if card is not None else ""
        price_w = QFontMetrics(bold).horizontalAdvance(price) + 6
        star_w = 0
        if item.featured:
            star_w = fm.horizontalAdvance("★") + 8
            painter.setPen(readable(FEATURED, ground, 3.0))  # a symbol: AA for graphics
            painter.setFont(font)
            painter.drawText(
                QRect(x, rect.top() + 6, star_w, fm.height()), Qt.AlignmentFlag.AlignLeft, "★"
            )
        top = QRect(x + star_w, rect.top() + 6, right - x - star_w, fm.height())
        painter.setFont(bold)
        painter.setPen(tones.text)
        painter.drawText(top, Qt.AlignmentFlag.AlignRight, price)
        painter.setFont(font)
        title = card.title if card is not None else item.product.offer_id
        painter.drawText(
            QRect(top.left(), top.top(), top.width() - price_w - 6, top.height()),
            Qt.AlignmentFlag.AlignLeft,
            fm.elidedText(title, Qt.TextElideMode.ElideRight, top.width() - price_w - 6),
        )
        painter.setFont(small)
        line = QRect(x, top.bottom() + 2, right - x, sm.height())
        badge_w = 0
        if issue is not None:
            text = self.badge_text[issue.kind]
            badge_w = sm.horizontalAdvance(text) + 12
            badge = QRect(right - badge_w, line.top(), badge_w, sm.height())
            fill, ink = badge_colours(_BADGE[issue.kind], ground)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.drawRoundedRect(badge, 4, 4)
            painter.setPen(ink)
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
        elif card is not None:
            stock = stock_label(card.availability)
            badge_w = sm.horizontalAdvance(stock) + 4
            painter.setPen(
                tones.in_stock if is_orderable(card.availability) else tones.out_of_stock
            )
            painter.drawText(line, Qt.AlignmentFlag.AlignRight, stock)
        who = " · ".join(
            p
            for p in ((card.brand, card.merchant) if card is not None else (item.product.merchant,))
            if p
        )
        painter.setPen(tones.secondary)
        painter.drawText(
            QRect(x, line.top(), line.width() - badge_w - 8, line.height()),
            Qt.AlignmentFlag.AlignLeft,
            sm.elidedText(who, Qt.TextElideMode.ElideRight, line.width() - badge_w - 8),
        )
        if item.note:
            painter.setFont(note_font)
            painter.setPen(readable(blend(tones.text, ground, 0.2), ground))
            painter.drawText(
                QRect(x, line.bottom() + 2, right - x, sm.height()),
                Qt.AlignmentFlag.AlignLeft,
                QFontMetrics(note_font).elidedText(
                    "“" + item.note + "”", Qt.TextElideMode.ElideRight, right - x
                ),
            )
