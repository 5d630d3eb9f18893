"""Commission rates: parsing ("8%", "0.08"), their canonical text, and the effective rate.

A product's effective rate is its own rate if it has one, else the rate of the longest
category path that is a prefix of its category (whole path segments, compared without case:
"Home > Kitchen" covers "home > kitchen > Mugs", not "Home > Kitchenware"), else its
merchant's rate. Rates are Decimal, stored and sent as canonical decimal text ("0.08"),
never floats.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from studio.protocol.catalog_wire import format_rate


class RateError(ValueError):
    """A rate that is not a number between 0 and 100%."""


def parse_rate(text: str) -> Decimal:
    """ "8%" or "8.5 %" (percent) or "0.08" (a fraction) as a Decimal fraction in [0, 1]."""
    raw = text.strip()
    percent = raw.endswith("%")
    number = raw.removesuffix("%").strip()
    try:
        value = Decimal(number)
    except InvalidOperation as exc:
        raise RateError(f"not a rate: {text!r} (write 8% or 0.08)") from exc
    if not value.is_finite():
        raise RateError(f"not a rate: {text!r} (write 8% or 0.08)")
    if percent:
        value = value / 100
    if value < 0 or value > 1:
        raise RateError(f"a rate lies between 0% and 100%, not {text!r}")
    return value


def canonical(rate: Decimal) -> str:
    """The one text of a rate: "0.08" for 8%, 0.080 and 8E-2 alike."""
    if rate == 0:
        return "0"
    return format_rate(rate.normalize())


def segments(path: str | None) -> tuple[str, ...]:
    if not path:
        return ()
    return tuple(p.strip().casefold() for p in path.split(">") if p.strip())


class RateTable:
    """One merchant's rates: its own and its category paths', for ``effective``."""

    def __init__(self, merchant_rate: str, categories: Iterable[tuple[str, str]]) -> None:
        self.merchant_rate = merchant_rate
        self._paths: dict[tuple[str, ...], str] = {}
        for path, rate in categories:
            key = segments(path)
            if key:
                self._paths[key] = rate
        self._longest = max((len(k) for k in self._paths), default=0)
        self._cache: dict[str | None, str] = {}

    def for_category(self, category: str | None) -> str:
        known = self._cache.get(category)
        if known is not None:
            return known
        rate = self.merchant_rate
        if self._paths:
            parts = segments(category)
            for n in range(min(len(parts), self._longest), 0, -1):
                found = self._paths.get(parts[:n])
                if found is not None:
                    rate = found
                    break
        if len(self._cache) < 100_000:  # a feed has few distinct categories
            self._cache[category] = rate
        return rate

    def effective(self, category: str | None, own_rate: str | None) -> str:
        return own_rate if own_rate is not None else self.for_category(category)
