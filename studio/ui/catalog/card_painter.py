"""How one product card (grid) or one list row is drawn; used by ``ProductGridView``.

Everything is painted directly with ``QPainter`` (no widget per card): an image or a
placeholder, the title elided to the card width, the brand and the variants it stands for
("4 colours · S–XL"), the price (a sale price in red with
the original struck through), an availability badge and the merchant.
"""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QWidget

from studio.core.catalog import ProductCard, group_title
from studio.ui.widgets.colours import RowColours, badge_colours, blend, readable, row_colours
from studio.ui.widgets.images import ImageLoader
from studio.ui.widgets.labels import (
    availability_colour,
    availability_label,
    commission_label,
    format_money,
    rate_label,
    tr,
    variants_label,
)

#: Drawn cards kept at least (~200 KB each). The view raises ``CardPainter.keep`` to twice
#: the cards it shows as it paints: every card on screen is blitted again after a partial
#: repaint, and a scroll draws each card once as it comes in. (A fixed 64 held 13 MiB of
#: cards where the desktop's grid shows a dozen.)
MIN_CACHED_CARDS = 24
MAX_SCALED = 120  # scaled thumbnails kept (list rows): a few screens


# Height under a grid card's image: two title lines, the brand, the price and the badge row.
TEXT_BLOCK_HEIGHT = 102


def title_lines(fm: QFontMetrics, title: str, width: int) -> list[str]:
    """``title`` on at most two lines of ``width`` pixels, broken at a space, the rest elided."""
    if fm.horizontalAdvance(title) <= width:
        return [title]
    first = ""
    for word in title.split(" "):
        candidate = f"{first} {word}" if first else word
        if fm.horizontalAdvance(candidate) > width:
            break
        first = candidate
    if not first:  # one word wider than the card
        return [fm.elidedText(title, Qt.TextElideMode.ElideRight, width)]
    rest = title[len(first) :].strip()
    return [first, fm.elidedText(rest, Qt.TextElideMode.ElideRight, width)]


class CardPainter:
    """Draws cards and list rows for ``view`` with images from ``images``."""

    def __init__(self, view: QWidget, images: ImageLoader | None) -> None:
        self._view = view
        self._images = images
        base = view.font()
        self._title_font = QFont(base)
        self._title_font.setWeight(QFont.Weight.DemiBold)
        self._small_font = QFont(base)
        self._small_font.setPointSizeF(max(7.0, base.pointSizeF() * 0.88))
        self._badge_font = QFont(self._small_font)
        self._badge_font.setWeight(QFont.Weight.DemiBold)
        self._scaled: OrderedDict[tuple[str, int, int], QPixmap] = OrderedDict()
        self._cards: OrderedDict[tuple[object, ...], QPixmap] = OrderedDict()
        self.keep = MIN_CACHED_CARDS

    def paint(
        self,
        painter: QPainter,
        card: ProductCard | None,
        rect: QRect,
        *,
        list_mode: bool,
        selected: bool,
        current: bool,
        row: int,
    ) -> None:
        """Draw a card (or list row) from the card cache when nothing about it changed.

        Scrolling repaints the same cards frame after frame; each is drawn once into a pixmap
        and blitted after that, until its look (selection, focus, image state...) changes.
        """
        if card is None:  # a placeholder: cheap to draw, not worth caching
            self._paint_uncached(painter, None, rect, list_mode, selected, current, row)
            return
        key = (
            card.id,
            rect.width(),
            rect.height(),
            list_mode,
            selected,
            current,
            row % 2 if list_mode else 0,
            self.image_state(card),
            self._view.palette().cacheKey(),  # a switch of light and dark redraws the cards
        )
        pixmap = self._cards.get(key)
        if pixmap is None:
            ratio = self._view.devicePixelRatioF()
            pixmap = QPixmap(rect.size() * ratio)
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            card_painter = QPainter(pixmap)
            card_painter.setRenderHints(painter.renderHints())
            self._paint_uncached(
                card_painter,
                card,
                QRect(QPoint(0, 0), rect.size()),
                list_mode,
                selected,
                current,
                row,
            )
            card_painter.end()
            self._cards[key] = pixmap
            while len(self._cards) > self.keep:
                self._cards.popitem(last=False)
        else:
            self._cards.move_to_end(key)
        painter.drawPixmap(rect.topLeft(), pixmap)

    def _paint_uncached(
        self,
        painter: QPainter,
        card: ProductCard | None,
        rect: QRect,
        list_mode: bool,
        selected: bool,
        current: bool,
        row: int,
    ) -> None:
        if list_mode:
            self.paint_list_row(painter, card, rect, selected, current, row)
        else:
            self.paint_card(painter, card, rect, selected, current)

    def thumbnail(self, card: ProductCard | None, size: QSize) -> QImage | QPixmap | None:
        """The card's thumbnail fitting ``size``: the loader's image itself when it fits (a
        grid card), else a copy scaled once and reused (list rows, the drag pixmap)."""
        if card is None or self._images is None or not card.image_link:
            return None
        image = self._images.image(card.image_link)
        if image is None or image.isNull():
            return None
        if image.width() <= size.width() and image.height() <= size.height():
            return image  # no copy: the image cache already holds it
        key = (card.image_link, size.width(), size.height())
        pixmap = self._scaled.get(key)
        if pixmap is not None:
            self._scaled.move_to_end(key)
            return pixmap
        pixmap = QPixmap.fromImage(
            image.scaled(
                size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
        )
        self._scaled[key] = pixmap
        while len(self._scaled) > MAX_SCALED:
            self._scaled.popitem(last=False)
        return pixmap

    def image_state(self, card: ProductCard) -> int:
        """0 while the thumbnail loads (asking for it), 1 when ready, 2 when it failed."""
        if self._images is None or not card.image_link:
            return 2
        if self._images.image(card.image_link) is not None:
            return 1
        return 2 if self._images.is_failed(card.image_link) else 0

    def forget(self) -> None:
        """Drop scaled thumbnails and drawn cards: the products behind them may have changed."""
        self._scaled.clear()
        self._cards.clear()

    def paint_image(
        self, painter: QPainter, card: ProductCard | None, rect: QRect, colours: RowColours
    ) -> None:
        thumb = self.thumbnail(card, rect.size())
        if thumb is None:
            placeholder = blend(colours.background, colours.text, 0.08)
            painter.fillRect(rect, placeholder)
            if (
                card is not None
                and self._images is not None
                and self._images.is_failed(card.image_link)
            ):
                painter.setPen(readable(colours.secondary, placeholder))
                painter.setFont(self._small_font)
                # A small list thumbnail has no room for words: a dash says "nothing here".
                text = tr("No image") if rect.width() > 90 else "–"
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
            return
        target = QRect(QPoint(0, 0), thumb.size())
        target.moveCenter(rect.center())
        painter.fillRect(rect, QColor("#ffffff"))
        if isinstance(thumb, QImage):
            painter.drawImage(target.topLeft(), thumb)
        else:
            painter.drawPixmap(target.topLeft(), thumb)

    def paint_price(
        self,
        painter: QPainter,
        card: ProductCard,
        rect: QRect,
        align: Qt.AlignmentFlag,
        colours: RowColours,
    ) -> None:
        """Sale price in red, then the original struck through; or just the price."""
        fm = QFontMetrics(self._title_font)
        if card.sale_price is not None and card.price is not None:
            sale, original = format_money(card.sale_price), format_money(card.price)
            small = QFontMetrics(self._small_font)
            width = fm.horizontalAdvance(sale) + 6 + small.horizontalAdvance(original)
            x = rect.right() - width if align & Qt.AlignmentFlag.AlignRight else rect.left()
            painter.setFont(self._title_font)
            painter.setPen(colours.sale)
            painter.drawText(
                QRect(x, rect.top(), fm.horizontalAdvance(sale) + 2, rect.height()),
                Qt.AlignmentFlag.AlignVCenter,
                sale,
            )
            struck = QFont(self._small_font)
            struck.setStrikeOut(True)
            painter.setFont(struck)
            painter.setPen(colours.struck)
            painter.drawText(
                QRect(
                    x + fm.horizontalAdvance(sale) + 6,
                    rect.top(),
                    small.horizontalAdvance(original) + 2,
                    rect.height(),
                ),
                Qt.AlignmentFlag.AlignVCenter,
                original,
            )
            return
        painter.setFont(self._title_font)
        painter.setPen(colours.text)
        text = format_money(card.price) or tr("No price")
        painter.drawText(rect, align | Qt.AlignmentFlag.AlignVCenter, text)

    def paint_badge(
        self, painter: QPainter, card: ProductCard, x: int, y: int, background: QColor
    ) -> int:
        text = availability_label(card.availability)
        fm = QFontMetrics(self._badge_font)
        badge = QRectF(x, y, fm.horizontalAdvance(text) + 12, fm.height() + 4)
        # A faint tint of the availability's colour, its text that colour made readable.
        fill, colour = badge_colours(availability_colour(card.availability), background)
        path = QPainterPath()
        path.addRoundedRect(badge, badge.height() / 2, badge.height() / 2)
        painter.fillPath(path, fill)
        painter.setPen(colour)
        painter.setFont(self._badge_font)
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
        return int(badge.width())

    def paint_card(
        self,
        painter: QPainter,
        card: ProductCard | None,
        rect: QRect,
        selected: bool,
        current: bool,
    ) -> str | None:
        palette = self._view.palette()
        colours = row_colours(palette)
        path = QPainterPath()
        path.addRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8)
        painter.fillPath(path, colours.background)
        highlight = palette.color(QPalette.ColorRole.Highlight)
        border = blend(colours.background, colours.text, 0.18)
        pen = QPen(highlight if selected or current else border, 2.0 if selected else 1.0)
        if current and not selected:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawPath(path)
        pad = 10
        image_rect = QRect(
            rect.left() + pad,
            rect.top() + pad,
            rect.width() - 2 * pad,
            rect.height() - 2 * pad - TEXT_BLOCK_HEIGHT,
        )
        self.paint_image(painter, card, image_rect, colours)
        text_x, width = rect.left() + pad, rect.width() - 2 * pad
        y = image_rect.bottom() + 8
        if card is None:
            for i, w in enumerate((width, width * 2 // 3, width // 2)):
                painter.fillRect(QRect(text_x, y + 6 + i * 22, w, 10), border)
            return None
        painter.setFont(self._title_font)
        painter.setPen(colours.text)
        fm = QFontMetrics(self._title_font)
        # A card stands for its item group: the group's title (its variants' colours and
        # sizes are listed below), on up to two lines, the second elided.
        for line in title_lines(fm, group_title(card), width):
            painter.drawText(QRect(text_x, y, width, fm.height()), Qt.AlignmentFlag.AlignLeft, line)
            y += fm.height()
        y += 2
        small = QFontMetrics(self._small_font)
        painter.setFont(self._small_font)
        painter.setPen(colours.secondary)
        painter.drawText(
            QRect(text_x, y, width, small.height()),
            Qt.AlignmentFlag.AlignLeft,
            small.elidedText(
                " · ".join(p for p in (card.brand, variants_label(card)) if p),
                Qt.TextElideMode.ElideRight,
                width,
            ),
        )
        y += small.height() + 4
        self.paint_price(
            painter,
            card,
            QRect(text_x, y, width, fm.height() + 2),
            Qt.AlignmentFlag.AlignLeft,
            colours,
        )
        y += fm.height() + 6
        badge_w = self.paint_badge(painter, card, text_x, y, colours.background)
        painter.setFont(self._small_font)
        painter.setPen(colours.secondary)
        merchant_w = width - badge_w - 8
        # The platform's commission beside the merchant who pays it ("Lumen · 8 %").
        seller = " · ".join(p for p in (card.merchant, rate_label(card.commission_rate)) if p)
        painter.drawText(
            QRect(text_x + badge_w + 8, y, merchant_w, small.height() + 4),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            small.elidedText(seller, Qt.TextElideMode.ElideLeft, merchant_w),
        )
        return card.image_link

    def paint_list_row(
        self,
        painter: QPainter,
        card: ProductCard | None,
        rect: QRect,
        selected: bool,
        current: bool,
        row: int,
    ) -> str | None:
        palette = self._view.palette()
        colours = row_colours(palette, selected=selected, alternate=bool(row % 2))
        painter.fillRect(rect, colours.background)
        if current:
            painter.setPen(
                QPen(palette.color(QPalette.ColorRole.Highlight), 1, Qt.PenStyle.DashLine)
            )
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
        thumb = QRect(rect.left() + 8, rect.top() + 6, rect.height() - 12, rect.height() - 12)
        self.paint_image(painter, card, thumb, colours)
        if card is None:
            painter.fillRect(
                QRect(thumb.right() + 12, rect.center().y() - 5, rect.width() // 3, 10),
                blend(colours.background, colours.text, 0.18),
            )
            return None
        x = thumb.right() + 12
        right = rect.right() - 8
        price_w, badge_w = 190, 100
        text_w = max(40, right - x - price_w - badge_w - 16)
        fm, small = QFontMetrics(self._title_font), QFontMetrics(self._small_font)
        painter.setFont(self._title_font)
        painter.setPen(colours.text)
        mid = rect.center().y()
        painter.drawText(
            QRect(x, mid - fm.height(), text_w, fm.height()),
            Qt.AlignmentFlag.AlignLeft,
            fm.elidedText(group_title(card), Qt.TextElideMode.ElideRight, text_w),
        )
        painter.setFont(self._small_font)
        painter.setPen(colours.secondary)
        subtitle = " · ".join(
            part
            for part in (
                card.brand,
                variants_label(card),
                card.merchant,
                commission_label(card.commission_rate),
            )
            if part
        )
        painter.drawText(
            QRect(x, mid + 2, text_w, small.height()),
            Qt.AlignmentFlag.AlignLeft,
            small.elidedText(subtitle, Qt.TextElideMode.ElideRight, text_w),
        )
        self.paint_badge(
            painter,
            card,
            right - price_w - badge_w - 8,
            mid - (small.height() + 4) // 2,
            colours.background,
        )
        self.paint_price(
            painter,
            card,
            QRect(right - price_w, mid - fm.height() // 2 - 1, price_w, fm.height() + 2),
            Qt.AlignmentFlag.AlignRight,
            colours,
        )
        return card.image_link
