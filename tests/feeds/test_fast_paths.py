"""The parsers' fast paths give exactly what the general paths give, and the XML guards hold.

The hot helpers (text cleaning, HTML reduction, prices, GTIN check digits, dates, the one-pass
field normalisation, the Google XML item reader) each take a shortcut for the common shape of
a value; every property here compares the shortcut with the general path on arbitrary input.
"""

from __future__ import annotations

from dataclasses import fields

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from studio.core.errors import RowError
from studio.core.money import Money, parse_price
from studio.core.product import ProductRecord, RejectedRow
from studio.feeds import records
from studio.feeds.records import (
    _HAS_CURRENCY,
    RecordBuilder,
    Value,
    _first_texts,
    _has_currency,
    add_value,
    first,
    parse_feed_price,
)
from studio.feeds.text import (
    _html_to_text_general,
    _parse_datetime,
    _parse_interval,
    clean_text,
    collapse_text,
    gtin_check_ok,
    html_to_text,
    parse_datetime,
    parse_interval,
)

G_NS = "http://base.google.com/ns/1.0"
# Characters that make the general paths do something: every kind of whitespace, controls,
# markup, entities, the separators prices use, and letters outside Latin-1.
_TRICKY = list(" \t\n\r\x0b\x0c\x1c\x85\xa0\u200b\u2028\u3000\x00\x7f<>&;/#.,-'$€£¥AaZzÉé0159")
# Mostly-clean text built from tokens (the fast paths' territory: edge and double spaces,
# entities, tags) and anything at all.
_TOKENS = [
    "a",
    "Zé",
    "12",
    ".",
    " ",
    "  ",
    "&amp;",
    "&#233;",
    "&lt;p&gt;",
    "<b>",
    "</p>",
    "<",
    "&",
    ";",
    "\n",
    "\t",
    "\xa0",
    "\u00a6",
    "x" * 30,
]
texts = st.one_of(
    st.lists(st.sampled_from(_TOKENS), max_size=8).map("".join),
    st.text(st.sampled_from(_TRICKY) | st.characters(), max_size=60),
)


def outcome(function: object, *args: object) -> object:
    """A call's result, or the type and message of the error it raised."""
    try:
        return function(*args)  # type: ignore[operator]
    except RowError as exc:
        return (type(exc), str(exc))


@given(texts)
@example(" a ")
@example("a  b")
@example("a\u00a0b")
@settings(max_examples=400, deadline=None)
def test_clean_text_fast_path_matches_the_general_path(text: str) -> None:
    assert clean_text(text) == (collapse_text(text) or None)


@given(texts)
@example(" a  b ")
@example("Fish &amp; chips")
@example("x<b>y")
@example("one\ntwo")
@settings(max_examples=400, deadline=None)
def test_html_to_text_fast_path_matches_the_general_path(text: str) -> None:
    assert html_to_text(text) == _html_to_text_general(text)


digits = st.text(st.sampled_from("0123456789"), min_size=1, max_size=14)
prices = st.one_of(
    st.builds(
        lambda units, fraction, sep, code: f"{units}{fraction}{sep}{code}",
        digits,
        st.sampled_from(["", "."]).flatmap(
            lambda dot: st.just("") if not dot else digits.map(lambda d: "." + d[:5])
        ),
        st.sampled_from(["", " ", "  ", "\t"]),
        st.sampled_from(["", "USD", "EUR", "JPY", "KWD", "CLF", "usd", "US", "ZZZ"]),
    ),
    texts,
)


@given(prices, st.sampled_from([None, "EUR", "usd", "JPY", "KWD", " chf ", "EURO", ""]))
@settings(max_examples=600, deadline=None)
def test_price_fast_path_matches_parse_price(text: str, default: str | None) -> None:
    assert outcome(parse_feed_price, text, default) == outcome(parse_price, text, default)


@given(prices)
def test_currency_detection_matches_the_regex(text: str) -> None:
    assert _has_currency(text) == (_HAS_CURRENCY.search(text) is not None)


@pytest.mark.parametrize(
    ("text", "money"),
    [
        ("1256.22 EUR", Money(125622, "EUR")),
        ("12.5 USD", Money(1250, "USD")),
        ("007.10 GBP", Money(710, "GBP")),
        ("1500 JPY", Money(1500, "JPY")),
        ("0.5 KWD", Money(500, "KWD")),
        ("12.345 USD", Money(1234, "USD")),  # rounded, half-even
        ("19.99", Money(1999, "CHF")),
    ],
)
def test_price_examples(text: str, money: Money) -> None:
    assert parse_feed_price(text, "chf") == money


@given(digits.filter(lambda d: len(d) >= 2))
def test_gtin_check_digit_matches_the_gs1_definition(number: str) -> None:
    body, check = number[:-1], int(number[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    assert gtin_check_ok(number) == ((10 - total % 10) % 10 == check)


dates = st.one_of(
    st.sampled_from(
        [
            "2026-02-01T00:00Z",
            "2026-12-25T13:00-0800",
            "2026-03-01",
            "bad",
            "2026-02-14T23:59:59.5+01:00",
            " 2026-01-01 ",
            "2026-13-01",
        ]
    ),
    texts,
)


@given(dates, dates)
@settings(max_examples=300, deadline=None)
def test_cached_dates_match_the_parser(start: str, end: str) -> None:
    for _ in range(2):  # the second round is served from the cache
        assert outcome(parse_datetime, start) == outcome(_parse_datetime, start)
        interval = f"{start}/{end}"
        assert outcome(parse_interval, interval) == outcome(_parse_interval, interval)


values = st.dictionaries(
    st.sampled_from(["id", "title", "price", "brand", "description", "gtin", "color"]),
    st.one_of(st.none(), texts, st.lists(texts, max_size=3)),
    max_size=7,
)


@given(values)
@settings(max_examples=400, deadline=None)
def test_first_texts_matches_first_per_field(row: dict[str, Value]) -> None:
    expected = {
        name: text
        for name, value in row.items()
        if name != "description" and (text := first(value))
    }
    assert _first_texts(row) == expected


def test_first_texts_names_the_oversized_field() -> None:
    with pytest.raises(RowError, match="brand is longer than 1 MB"):
        _first_texts({"title": "ok", "brand": "b" * (2**20 + 1), "color": "c" * (2**20 + 1)})
    with pytest.raises(RowError, match="color is longer than 1 MB"):
        _first_texts({"title": "ok", "color": ["c" * 2**19, "c" * 2**19, "c"]})


def test_str_and_list_values_build_the_same_record() -> None:
    row = {
        "id": " A1 ",
        "title": "Lamp\n  big",
        "price": "12.00 USD",
        "gtin": "96385074",
        "description": "<p>Warm</p> light",
        "additional_image_link": "https://x/1.jpg",
        "availability": "in stock",
        "condition": "New",
        "mpn": "1.5E+3",
    }
    listed = {name: [value] for name, value in row.items()}
    built = RecordBuilder("m").build(row, where="w", note_missing_currency=True)
    assert built == RecordBuilder("m").build(listed, where="w", note_missing_currency=True)
    assert isinstance(built, ProductRecord)
    assert (built.offer_id, built.title, built.additional_images) == (
        "A1",
        "Lamp big",
        ("https://x/1.jpg",),
    )


def test_spelling_memos_stay_bounded() -> None:
    builder = RecordBuilder("m")
    for n in range(3000):
        long = f"weird {n} " + "x" * 100
        for availability, condition in ((f"weird {n}", f"odd {n}"), (long, long)):
            row = {
                "id": f"{n}-{len(availability)}",
                "title": "t",
                "price": "1 USD",
                "availability": availability,
                "condition": condition,
            }
            assert isinstance(builder.build(row, where="w"), RejectedRow)
    assert len(records._AVAILABILITIES) <= records._MEMO_LIMIT
    assert all(len(text) <= records._MEMO_TEXT for text in records._AVAILABILITIES)


def test_add_value_keeps_one_str_until_a_value_repeats() -> None:
    row: dict[str, Value] = {}
    add_value(row, "a", "1")
    assert row == {"a": "1"}
    add_value(row, "a", "2")
    add_value(row, "a", "3")
    assert row == {"a": ["1", "2", "3"]}


def test_record_field_order_is_what_the_builder_passes_positionally() -> None:
    assert [f.name for f in fields(ProductRecord)] == [
        "merchant",
        "offer_id",
        "title",
        "item_group_id",
        "description",
        "link",
        "image_link",
        "additional_images",
        "price",
        "sale_price",
        "sale_start",
        "sale_end",
        "availability",
        "availability_date",
        "condition",
        "brand",
        "gtin",
        "mpn",
        "google_category",
        "product_type",
        "color",
        "size",
        "gender",
        "age_group",
        "material",
        "extra",
    ]
