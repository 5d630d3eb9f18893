"""Money parsing: the formats merchants write, and the values that must be refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studio.core.errors import MoneyError
from studio.core.money import Money, parse_amount, parse_price


@pytest.mark.parametrize(
    ("text", "default", "expected"),
    [
        ("15.00 USD", None, Money(1500, "USD")),
        ("189.00 CHF", None, Money(18900, "CHF")),
        ("98.00 RON", None, Money(9800, "RON")),
        ("0 USD", None, Money(0, "USD")),
        ("1,299.00", "USD", Money(129900, "USD")),
        ("1.299,00 EUR", None, Money(129900, "EUR")),
        ("12,5 EUR", None, Money(1250, "EUR")),
        ("USD 3.5", None, Money(350, "USD")),
        ("$179.99", None, Money(17999, "USD")),
        ("1299 JPY", None, Money(1299, "JPY")),
        ("  15.00 usd ", None, Money(1500, "USD")),
        ("2.345 KWD", None, Money(2345, "KWD")),
    ],
)
def test_parses_what_merchants_write(text: str, default: str | None, expected: Money) -> None:
    assert parse_price(text, default) == expected


@pytest.mark.parametrize(
    "text", ["NaN", "nan USD", "1e309", "1e309 USD", "inf USD", "-5 USD", "", "abc", "12.3.4,5,6x"]
)
def test_refuses_values_that_are_not_money(text: str) -> None:
    with pytest.raises(MoneyError):
        parse_price(text, "USD")


def test_a_price_needs_a_currency() -> None:
    with pytest.raises(MoneyError, match="currency"):
        parse_price("15.00")


def test_formats_with_the_currency_exponent() -> None:
    assert Money(1500, "USD").format() == "15.00 USD"
    assert Money(1299, "JPY").format() == "1299 JPY"
    assert Money(2345, "KWD").decimal == Decimal("2.345")


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False))
def test_round_trips_any_two_decimal_amount(value: Decimal) -> None:
    money = parse_amount(f"{value:.2f}", "EUR")
    assert money.decimal == value
    assert parse_price(money.format()) == money
