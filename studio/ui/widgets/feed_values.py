"""Feed values as a shopper reads them, not as the feed spells them.

Merchant feeds keep some attributes in their own compact syntax, which the store keeps
verbatim (``ProductDetail.attributes``): Google's shipping is ``country:region:service:price``
("US:CA:Overnight:16.00 USD", "GB::Standard:3.95 GBP"), several lines joined by commas. The
detail pane shows them through ``readable_value``: "United States, CA · Overnight: $16.00".
A value that does not parse is shown as it is: nothing a merchant wrote is ever hidden.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, QLocale

from studio.core.errors import StudioError
from studio.core.money import parse_price
from studio.ui.widgets.labels import format_money

# A new shipping line starts after ", " with a country code and a colon (a price may hold a
# comma itself: "1,299.00 USD").
_SHIPPING_LINES = re.compile(r",\s*(?=[A-Za-z]{2}:)")
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")


def _tr(text: str) -> str:
    return QCoreApplication.translate("FeedValues", text)


def country_name(code: str) -> str:
    """ "US" -> "United States" (Qt's English name); the code when Qt does not know it."""
    if not _COUNTRY.match(code):
        return code
    territory = QLocale.codeToTerritory(code.upper())
    if territory == QLocale.Country.AnyTerritory:
        return code.upper()
    return QLocale.territoryToString(territory)


def shipping_line(value: str) -> str:
    """One Google shipping value made readable (see the module docstring)."""
    parts = value.split(":")
    if len(parts) != 4:
        return value
    country, region, service, price = (p.strip() for p in parts)
    where = ", ".join(p for p in (country_name(country) if country else "", region) if p)
    cost = price
    if price:
        try:
            money = parse_price(price)
        except (StudioError, ValueError):
            money = None
        if money is not None:
            cost = format_money(money) if money.minor else _tr("Free")
    what = f"{service}: {cost}" if service and cost else service or cost
    return " · ".join(p for p in (where, what) if p) or value


def readable_value(key: str, value: str) -> str:
    """``value`` of the feed attribute ``key`` as a shopper reads it."""
    if key.strip().casefold() == "shipping":
        return "\n".join(shipping_line(line) for line in _SHIPPING_LINES.split(value))
    return value
