"""How catalog values read on screen: prices, availability badges, counts.

Kept in one place so the grid, the list, the detail pane and the facet sidebar say the same
thing the same way. Amounts are formatted from ``Money.decimal`` (never through a float).
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from studio.core.catalog import (
    COMMISSION_BANDS,
    NO_COMMISSION,
    PRICE_BANDS,
    ProductCard,
    price_band_label,
    split_price_band,
)
from studio.core.money import Money, exponent
from studio.core.product import Availability

_SYMBOL_BEFORE = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "CAD": "CA$",
    "AUD": "A$",
    "INR": "₹",
    "KRW": "₩",
    "NZD": "NZ$",
}


def tr(text: str) -> str:
    return QCoreApplication.translate("catalog", text)


def format_money(money: Money | None) -> str:
    """``$1,299.00``, ``€15.00``, ``CHF 189.00``; an empty string when there is no price."""
    if money is None:
        return ""
    amount: Decimal = money.decimal
    digits = exponent(money.currency)
    number = f"{amount:,.{digits}f}"
    symbol = _SYMBOL_BEFORE.get(money.currency)
    return f"{symbol}{number}" if symbol else f"{money.currency} {number}"


def format_count(n: int) -> str:
    return f"{n:,}"


def products_label(n: int) -> str:
    if n == 1:
        return tr("1 product")
    return tr("{count} products").format(count=format_count(n))


def availability_label(value: Availability | str) -> str:
    labels = {
        Availability.IN_STOCK: tr("In stock"),
        Availability.OUT_OF_STOCK: tr("Out of stock"),
        Availability.PREORDER: tr("Pre-order"),
        Availability.BACKORDER: tr("Backorder"),
        Availability.LIMITED: tr("Limited"),
        Availability.UNAVAILABLE: tr("Unavailable"),
    }
    try:
        return labels[Availability(value)]
    except ValueError:
        return str(value)


_BADGE_COLOURS = {
    Availability.IN_STOCK: "#1e7d45",
    Availability.OUT_OF_STOCK: "#b3261e",
    Availability.PREORDER: "#1f5fbf",
    Availability.BACKORDER: "#a15c00",
    Availability.LIMITED: "#8a6d00",
    Availability.UNAVAILABLE: "#6b6b6b",
}


def availability_colour(value: Availability | str) -> QColor:
    try:
        return QColor(_BADGE_COLOURS[Availability(value)])
    except (ValueError, KeyError):
        return QColor("#6b6b6b")


def facet_value_label(facet: str, value: str, label: str) -> str:
    """The label a facet row shows: availability and price bands are translated here."""
    if facet == "availability":
        return availability_label(value)
    if facet == "price_band":
        try:
            return price_band_text(int(value))
        except (ValueError, IndexError):
            return label
    if facet == "on_sale":
        return tr("On sale") if value in ("1", "true", "True", "yes") else tr("Full price")
    if facet == "commission":
        return commission_band_text(value, label)
    return label or value


def commission_band_text(value: str, label: str) -> str:
    """A commission band's row: "Under 5 %", "5–10 %", "15 % and more", "No rate"."""
    try:
        band = int(value)
    except ValueError:
        return label
    if band == NO_COMMISSION:
        return tr("No rate (imported by hand)")
    if not 0 <= band < len(COMMISSION_BANDS):
        return label
    low = COMMISSION_BANDS[band] // 10_000
    if band + 1 == len(COMMISSION_BANDS):
        return tr("{low} % and more").format(low=low)
    high = COMMISSION_BANDS[band + 1] // 10_000
    if low == 0:
        return tr("Under {high} %").format(high=high)
    return tr("{low}–{high} %").format(low=low, high=high)


def variants_label(card: ProductCard) -> str:
    """What a card of several variants stands for: "4 colours · S–XL", "3 sizes: S, M, L",
    "2 variants"; "" for a product without variants."""
    if card.variants < 2:
        return ""
    parts = []
    if len(card.colours) > 1:
        parts.append(tr("{n} colours").format(n=len(card.colours)))
    sizes = card.sizes
    if len(sizes) > 2:
        parts.append(f"{sizes[0]}–{sizes[-1]}")
    elif len(sizes) == 2:
        parts.append(f"{sizes[0]}, {sizes[1]}")
    if not parts:
        parts.append(tr("{n} variants").format(n=card.variants))
    return " · ".join(parts)


def rate_label(rate: Decimal | None) -> str:
    """A commission rate as a percentage ("8 %", "12.5 %"), from the exact Decimal; "" when
    the platform gave none (a hand-imported merchant)."""
    if rate is None:
        return ""
    percent = (rate * 100).normalize()
    return f"{percent:f} %"


def commission_label(rate: Decimal | None) -> str:
    """ "8 % commission", or "" (see ``rate_label``)."""
    return tr("{rate} commission").format(rate=rate_label(rate)) if rate is not None else ""


def price_band_text(value: int) -> str:
    """A price band in its own currency: "€25–50", "CHF 1000+" (bands never mix currencies)."""
    currency, index = split_price_band(value)
    symbol = _SYMBOL_BEFORE.get(currency or "")
    if currency is None or symbol is None:
        return price_band_label(value)
    low, high = PRICE_BANDS[index]
    return f"{symbol}{low}+" if high is None else f"{symbol}{low}–{high}"


def price_label(price: Money | None, sale: Money | None) -> str:
    """``€39.00 (was €59.00)`` when a sale price differs, else the one price; "" without one."""
    shown = format_money(sale or price)
    if sale is not None and price is not None and sale != price:
        return tr("{sale} (was {price})").format(sale=shown, price=format_money(price))
    return shown


def stock_label(value: Availability) -> str:
    """What a product line says about stock: nothing when in stock, else its availability."""
    return "" if value is Availability.IN_STOCK else availability_label(value)


def product_summary(
    brand: str | None, price: Money | None, sale: Money | None, availability: Availability
) -> str:
    """``Brand · €39.00 (was €59.00) · Out of stock``, leaving out what is not known."""
    parts = (brand, price_label(price, sale), stock_label(availability))
    return " · ".join(p for p in parts if p)
