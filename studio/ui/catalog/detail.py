"""The detail pane: everything about one product, its variants and its price history.

It shows a ``ProductDetail`` the catalog view loaded in a worker. Images (main + additional)
come through an ``ImageLoader`` and fill in as they arrive; the variant is picked with the
colour and size choosers (or from the list of variants), which ask for that product
(``variant_requested``), so what the action buttons (add to a look, a shop, a board, write a
review: ``actions.ProductActions``) take is the variant chosen; the merchant link opens in the
browser through ``QDesktopServices`` (only http and https links are shown as links). Text
from feeds is shown as plain text.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPaintEvent, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.catalog import PricePoint, ProductDetail
from studio.ui.catalog.actions import ProductActions
from studio.ui.catalog.variant_choosers import VariantChoosers, add_action_buttons
from studio.ui.widgets.colours import mute
from studio.ui.widgets.feed_values import readable_value
from studio.ui.widgets.images import ImageLoader
from studio.ui.widgets.labels import availability_label, commission_label, format_money

MAIN_IMAGE = 300
THUMB = 56
THUMB_COLUMNS = 5


def _variant_names(titles: list[str]) -> list[str]:
    """What tells variants apart: their titles without the words all of them share first.

    "Court Sneaker - White, 44" and "Court Sneaker - Black, 42" read "White, 44" and
    "Black, 42"; titles with nothing in common are kept whole.
    """
    if len(titles) < 2:
        return titles
    words = [t.split() for t in titles]
    shared = 0
    while all(len(w) > shared + 1 for w in words) and len({w[shared] for w in words}) == 1:
        shared += 1
    if shared == 0:
        return titles
    return [" ".join(w[shared:]).lstrip("-–—|,: ") or t for w, t in zip(words, titles, strict=True)]


class PriceSparkline(QWidget):
    """A tiny line chart of the price over imports (the sale price where one applied)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._points: list[int] = []
        self.setMinimumHeight(44)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_history(self, history: tuple[PricePoint, ...]) -> None:
        self._points = []
        for point in history:
            money = point.sale_price or point.price
            if money is not None:
                self._points.append(money.minor)
        self.setVisible(len(self._points) >= 2)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if len(self._points) < 2:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(self.rect()).adjusted(4, 6, -4, -6)
        low, high = min(self._points), max(self._points)
        span = (high - low) or 1
        step = area.width() / (len(self._points) - 1)
        line = QPolygonF(
            [
                QPointF(area.left() + i * step, area.bottom() - (v - low) / span * area.height())
                for i, v in enumerate(self._points)
            ]
        )
        painter.setPen(QPen(QColor("#1f5fbf"), 2))
        painter.drawPolyline(line)
        painter.setBrush(QColor("#1f5fbf"))
        painter.drawEllipse(line.last(), 3, 3)
        painter.end()


class DetailPane(QScrollArea):
    """Scrollable pane for one product; empty text until a product is shown."""

    variant_requested = Signal(int)

    def __init__(self, images: ImageLoader | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._images = images
        self._detail: ProductDetail | None = None
        self._image_urls: list[str] = []
        self._main_url: str | None = None
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMinimumWidth(280)
        self.setAccessibleName(self.tr("Product details"))
        body = QWidget(self)
        self.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(8)

        self.placeholder = QLabel(self.tr("Select a product to see its details."), body)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        mute(self.placeholder)
        layout.addWidget(self.placeholder)

        self.content = QWidget(body)
        col = QVBoxLayout(self.content)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(8)
        self.main_image = QLabel(self.content)
        self.main_image.setFixedHeight(MAIN_IMAGE)
        self.main_image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.main_image.setStyleSheet("background: palette(alternate-base); border-radius: 6px;")
        mute(self.main_image)
        # A grid, so a product with many images (feeds allow 11) wraps instead of widening the pane.
        self.thumbs = QGridLayout()
        self.thumbs.setSpacing(6)
        self.title = QLabel(self.content)
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.brand = QLabel(self.content)
        self.brand.setTextFormat(Qt.TextFormat.PlainText)
        mute(self.brand)
        self.price = QLabel(self.content)
        self.price.setTextFormat(Qt.TextFormat.RichText)
        self.availability = QLabel(self.content)
        self.merchant = QLabel(self.content)
        self.merchant.setTextFormat(Qt.TextFormat.RichText)
        self.merchant.setOpenExternalLinks(True)  # QDesktopServices.openUrl under the hood
        self.merchant.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.commission = QLabel(self.content)
        self.commission.setTextFormat(Qt.TextFormat.PlainText)
        self.commission.setToolTip(
            self.tr("The platform's commission rate for this product (its merchant pays it)")
        )
        self.choosers = VariantChoosers(self.content)
        self.choosers.chosen.connect(self.variant_requested)
        self.action_row = QGridLayout()
        self.action_row.setSpacing(6)
        self.variants_label = QLabel(self.tr("Variants"), self.content)
        self.variants = QListWidget(self.content)
        self.variants.setAccessibleName(self.tr("Variants"))
        self.variants.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.variants.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.variants.itemActivated.connect(self._variant_activated)
        self.variants.itemClicked.connect(self._variant_activated)
        self.history_label = QLabel(self.tr("Price history"), self.content)
        self.sparkline = PriceSparkline(self.content)
        self.history = QLabel(self.content)
        self.history.setTextFormat(Qt.TextFormat.PlainText)
        mute(self.history)
        self.description = QLabel(self.content)
        self.description.setWordWrap(True)
        self.description.setTextFormat(Qt.TextFormat.PlainText)
        self.description.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.attributes = QFormLayout()
        self.attributes.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        for section in (self.variants_label, self.history_label):
            section.setStyleSheet("font-weight: 600; margin-top: 6px;")
        col.addWidget(self.main_image)
        col.addLayout(self.thumbs)
        for widget in (
            self.title,
            self.brand,
            self.price,
            self.availability,
            self.merchant,
            self.commission,
        ):
            col.addWidget(widget)
        col.addWidget(self.choosers)
        col.addLayout(self.action_row)
        below: tuple[QWidget, ...] = (
            self.variants_label,
            self.variants,
            self.history_label,
            self.sparkline,
            self.history,
            self.description,
        )
        for part in below:
            col.addWidget(part)
        col.addLayout(self.attributes)
        layout.addWidget(self.content)
        layout.addStretch(1)
        self.content.hide()
        if images is not None:
            images.loaded.connect(self._image_loaded)

    # -- showing a product ------------------------------------------------------------------

    @property
    def detail(self) -> ProductDetail | None:
        return self._detail

    def show_detail(self, detail: ProductDetail | None, *, keep_scroll: bool = False) -> None:
        """Show ``detail`` (None: the placeholder); ``keep_scroll`` when it is the same
        product read again (after an import), so the reader keeps their place."""
        scroll = self.verticalScrollBar().value()
        self._detail = detail
        self.placeholder.setVisible(detail is None)
        self.content.setVisible(detail is not None)
        if detail is None:
            return
        card = detail.card
        self.title.setText(card.title)
        self.brand.setText(card.brand or "")
        self.brand.setVisible(bool(card.brand))
        if card.sale_price is not None and card.price is not None:
            self.price.setText(
                f'<span style="color:#c0262d; font-size:large; font-weight:600">'
                f"{escape(format_money(card.sale_price))}</span>&nbsp;&nbsp;"
                f'<s style="color:#80868f">{escape(format_money(card.price))}</s>'
            )
        else:
            text = format_money(card.price) or self.tr("No price")
            self.price.setText(
                f'<span style="font-size:large; font-weight:600">{escape(text)}</span>'
            )
        self.availability.setText(availability_label(card.availability))
        self.merchant.setText(self._merchant_html(detail))
        self.commission.setText(commission_label(card.commission_rate))
        self.commission.setVisible(card.commission_rate is not None)
        self._show_images(detail)
        self.choosers.set_detail(detail)
        self._show_variants(detail)
        self._show_history(detail)
        self.description.setText(detail.description)
        self.description.setVisible(bool(detail.description))
        self._show_attributes(detail)
        self.verticalScrollBar().setValue(scroll if keep_scroll else 0)

    def _merchant_html(self, detail: ProductDetail) -> str:
        merchant = escape(detail.card.merchant)
        link = detail.link or ""
        if link.startswith(("http://", "https://")):
            return self.tr("Sold by {merchant} · {link}").format(
                merchant=merchant,
                link=f'<a href="{escape(link, quote=True)}">{self.tr("View at merchant")}</a>',
            )
        return self.tr("Sold by {merchant}").format(merchant=merchant)

    def _show_images(self, detail: ProductDetail) -> None:
        urls = [u for u in (detail.card.image_link, *detail.images) if u]
        self._image_urls = list(dict.fromkeys(urls))
        self._main_url = self._image_urls[0] if self._image_urls else None
        while self.thumbs.count():
            item = self.thumbs.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        if len(self._image_urls) > 1:
            for n, url in enumerate(self._image_urls):
                button = QToolButton(self.content)
                button.setIconSize(QSize(THUMB, THUMB))
                button.setAutoRaise(True)
                button.setAccessibleName(self.tr("Image {n}").format(n=n + 1))
                button.setProperty("url", url)
                button.clicked.connect(lambda _c=False, u=url: self._select_image(u))
                self.thumbs.addWidget(button, n // THUMB_COLUMNS, n % THUMB_COLUMNS)
            self.thumbs.setColumnStretch(THUMB_COLUMNS, 1)
        self._refresh_images()

    def _select_image(self, url: str) -> None:
        self._main_url = url
        self._refresh_images()

    def _refresh_images(self) -> None:
        if self._images is None:
            return
        if self._main_url is None:
            self.main_image.setPixmap(QPixmap())
            self.main_image.setText(self.tr("No image"))
        else:
            image = self._images.image(self._main_url)
            if image is not None:
                pixmap = QPixmap.fromImage(image).scaled(
                    QSize(self.main_image.width() or MAIN_IMAGE, MAIN_IMAGE),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
                self.main_image.setPixmap(pixmap)
            else:
                self.main_image.setPixmap(QPixmap())
                failed = self._images.is_failed(self._main_url)
                self.main_image.setText(self.tr("No image") if failed else self.tr("Loading…"))
        for i in range(self.thumbs.count()):
            item = self.thumbs.itemAt(i)
            button = item.widget() if item is not None else None
            if isinstance(button, QToolButton):
                thumb = self._images.image(str(button.property("url")))
                if thumb is not None:
                    button.setIcon(QIcon(QPixmap.fromImage(thumb)))

    def _image_loaded(self, url: str) -> None:
        if url in self._image_urls:
            self._refresh_images()

    def _show_variants(self, detail: ProductDetail) -> None:
        self.variants.clear()
        names = _variant_names([v.title for v in detail.variants])
        for variant, name in zip(detail.variants, names, strict=True):
            parts = [
                name,
                format_money(variant.sale_price or variant.price),
                availability_label(variant.availability),
            ]
            item = QListWidgetItem(" — ".join(p for p in parts if p))
            item.setData(Qt.ItemDataRole.UserRole, variant.id)
            item.setToolTip(variant.title)
            if variant.id == detail.card.id:  # the one shown above
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.variants.addItem(item)
        has = bool(detail.variants)
        rows = min(len(detail.variants), 6)
        self.variants.setFixedHeight(
            rows * (self.variants.sizeHintForRow(0) if rows else 0)
            + 2 * self.variants.frameWidth()
            + 2
        )
        self.variants_label.setVisible(has)
        self.variants.setVisible(has)

    # -- the variant chosen, and what to do with it -----------------------------------------

    def set_actions(self, actions: ProductActions) -> None:
        """Buttons acting on the product shown (the variant chosen)."""

        def shown() -> list[int]:
            return [self._detail.card.id] if self._detail is not None else []

        self.shop_button = add_action_buttons(self.action_row, self.content, actions, shown)

    def _variant_activated(self, item: QListWidgetItem) -> None:
        product_id = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(product_id, int) and (
            self._detail is None or product_id != self._detail.card.id
        ):
            self.variant_requested.emit(product_id)

    def _show_history(self, detail: ProductDetail) -> None:
        history = detail.price_history
        lines = []
        for point in history[-6:]:
            money = format_money(point.sale_price or point.price) or "—"
            lines.append(f"{point.seen_at[:10]}  {money}")
        self.history.setText("\n".join(lines))
        self.sparkline.set_history(history)
        has = len(history) > 1
        self.history_label.setVisible(has)
        self.history.setVisible(has)

    def _attribute_label(self, key: str) -> str:
        """The store's English labels and feeds' raw keys ("shipping_weight"), made readable
        and passed through tr() so a translation can name them."""
        words = key.replace("_", " ").strip()
        return self.tr(words[:1].upper() + words[1:])

    def _show_attributes(self, detail: ProductDetail) -> None:
        while self.attributes.rowCount():
            self.attributes.removeRow(0)
        rows: list[tuple[str, str]] = [
            (self.tr("Category"), detail.category or ""),
            (self.tr("Condition"), detail.condition or ""),
            (self.tr("GTIN"), detail.gtin or ""),
            (self.tr("MPN"), detail.mpn or ""),
            (self.tr("Offer id"), detail.offer_id),
            *(
                (self._attribute_label(label), readable_value(label, value))
                for label, value in detail.attributes
            ),
        ]
        seen: set[str] = set()
        for label, value in rows:
            if value and label.casefold() not in seen:
                seen.add(label.casefold())
                text = QLabel(value)
                text.setTextFormat(Qt.TextFormat.PlainText)
                text.setWordWrap(True)
                name = QLabel(label)
                mute(name)
                self.attributes.addRow(name, text)
