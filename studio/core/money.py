"""Exact money: integer minor units plus an ISO 4217 code, parsed from what merchants write.

Merchants write prices as "15.00 USD", "189.00 CHF", "1,299.00" with the currency elsewhere,
"1.299,00 EUR" in European style, or with a symbol. Floats never touch an amount: parsing goes
through Decimal and refuses NaN, infinities, negatives and absurd magnitudes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from studio.core.errors import MoneyError

# ISO 4217 currencies whose minor unit is not 2 digits; every other valid code uses 2.
MINOR_UNIT_EXPONENTS: dict[str, int] = {
    "BIF": 0,
    "CLP": 0,
    "DJF": 0,
    "GNF": 0,
    "ISK": 0,
    "JPY": 0,
    "KMF": 0,
    "KRW": 0,
    "PYG": 0,
    "RWF": 0,
    "UGX": 0,
    "UYI": 0,
    "VND": 0,
    "VUV": 0,
    "XAF": 0,
    "XOF": 0,
    "XPF": 0,
    "BHD": 3,
    "IQD": 3,
    "JOD": 3,
    "KWD": 3,
    "LYD": 3,
    "OMR": 3,
    "TND": 3,
    "CLF": 4,
    "UYW": 4,
}
_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₽": "RUB", "₩": "KRW"}
# Largest amount accepted, in major units: far beyond any product, far below overflow.
_MAX_MAJOR = Decimal(10) ** 12
_CODE = re.compile(r"[A-Z]{3}")
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:[ ,.'\u00a0\u202f]\d{3})+|\d+)?(?:[.,]\d+)?$")


def exponent(currency: str) -> int:
    """Digits after the decimal point for ``currency`` (2 unless ISO 4217 says otherwise)."""
    return MINOR_UNIT_EXPONENTS.get(currency, 2)


@dataclass(frozen=True, slots=True, order=True)
class Money:
    """An exact amount: ``minor`` units (cents) of ``currency`` (ISO 4217)."""

    minor: int
    currency: str

    def __post_init__(self) -> None:
        if not _CODE.fullmatch(self.currency):
            raise MoneyError(f"not an ISO 4217 currency code: {self.currency!r}")

    @property
    def decimal(self) -> Decimal:
        return Decimal(self.minor).scaleb(-exponent(self.currency))

    def format(self) -> str:
        """A plain, locale-neutral rendering such as ``15.00 USD``."""
        return f"{self.decimal:.{exponent(self.currency)}f} {self.currency}"

    def __str__(self) -> str:
        return self.format()


def _normalise_number(text: str) -> str:
    """Turn "1,299.00", "1.299,00", "1 299,5" or "1299" into a Decimal-ready string."""
    s = text.strip().replace("\u00a0", " ").replace("\u202f", " ")
    if not _NUMBER.match(s):
        raise MoneyError(f"not a price: {text!r}")
    s = s.replace(" ", "").replace("'", "")
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        decimal_sep = "." if s.rfind(".") > s.rfind(",") else ","
    elif commas == 1 and len(s) - s.rfind(",") - 1 != 3:
        decimal_sep = ","  # "12,5" or "12,50": a decimal comma; "1,299" stays a thousands group
    elif dots == 1:
        decimal_sep = "."
    else:
        decimal_sep = ""  # only thousands separators ("1,299", "1.299.000") or none at all
    int_part, _, frac = s.rpartition(decimal_sep) if decimal_sep else (s, "", "")
    if not decimal_sep:
        int_part, frac = s, ""
    digits = int_part.replace(",", "").replace(".", "")
    return f"{digits}.{frac}" if frac else digits


def parse_amount(text: str, currency: str) -> Money:
    """Parse a bare number written by a merchant into ``Money`` of ``currency``."""
    currency = currency.strip().upper()
    try:
        value = Decimal(_normalise_number(text))
    except InvalidOperation as exc:
        raise MoneyError(f"not a price: {text!r}") from exc
    if not value.is_finite():
        raise MoneyError(f"not a finite price: {text!r}")
    if value < 0:
        raise MoneyError(f"negative price: {text!r}")
    if value >= _MAX_MAJOR:
        raise MoneyError(f"price out of range: {text!r}")
    quantum = Decimal(1).scaleb(-exponent(currency))
    minor = int(value.quantize(quantum, rounding=ROUND_HALF_EVEN).scaleb(exponent(currency)))
    return Money(minor, currency)


def parse_price(text: str, default_currency: str | None = None) -> Money:
    """Parse "15.00 USD", "USD 15.00", "$15.00" or "1,299.00" (with ``default_currency``)."""
    s = text.strip()
    if not s:
        raise MoneyError("empty price")
    code: str | None = None
    m = re.fullmatch(r"(.*?)\s*([A-Za-z]{3})", s)
    if m and m.group(1):
        s, code = m.group(1), m.group(2).upper()
    else:
        m = re.fullmatch(r"([A-Za-z]{3})\s*(.*)", s)
        if m and m.group(2):
            code, s = m.group(1).upper(), m.group(2)
    if code is None and s and s[0] in _SYMBOLS:
        code, s = _SYMBOLS[s[0]], s[1:]
    elif code is None and s and s[-1] in _SYMBOLS:
        code, s = _SYMBOLS[s[-1]], s[:-1]
    code = code or (default_currency.upper() if default_currency else None)
    if not code:
        raise MoneyError(f"price without a currency: {text!r}")
    if s.strip().lower() in {"nan", "inf", "infinity", "-inf", "+inf"}:
        raise MoneyError(f"not a finite price: {text!r}")
    return parse_amount(s, code)
