"""studio.protocol.catalog_wire: every ProductRecord survives the trip through JSON, and a
payload that breaks the contract is a WireError naming the field, never a half-built record."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studio.core.money import Money
from studio.core.product import Availability, Condition, ProductRecord
from studio.protocol.catalog_wire import (
    Change,
    ChangesPage,
    WireError,
    change_from_wire,
    change_to_wire,
    format_rate,
    page_from_wire,
    page_to_wire,
    parse_rate,
    product_from_wire,
    product_to_wire,
)

_text = st.text(max_size=30)
_opt = st.none() | _text
_money = st.builds(
    Money, st.integers(min_value=0, max_value=10**15), st.sampled_from(["EUR", "USD", "JPY"])
)
_zones = st.sampled_from(
    [None, UTC, timezone(timedelta(hours=-8)), timezone(timedelta(hours=5, minutes=30))]
)
_moment = st.none() | st.datetimes(timezones=_zones)
products = st.builds(
    ProductRecord,
    merchant=_text,
    offer_id=_text,
    title=_text,
    item_group_id=_opt,
    description=_text,
    link=_opt,
    image_link=_opt,
    additional_images=st.lists(_text, max_size=3).map(tuple),
    price=st.none() | _money,
    sale_price=st.none() | _money,
    sale_start=_moment,
    sale_end=_moment,
    availability=st.sampled_from(list(Availability)),
    availability_date=_moment,
    condition=st.none() | st.sampled_from(list(Condition)),
    brand=_opt,
    gtin=_opt,
    mpn=_opt,
    google_category=_opt,
    product_type=_opt,
    color=_opt,
    size=_opt,
    gender=_opt,
    age_group=_opt,
    material=_opt,
    extra=st.lists(st.tuples(_text, _text), max_size=3).map(tuple),
)
rates = st.decimals(min_value=0, max_value=1, places=4, allow_nan=False, allow_infinity=False)


@given(products)
def test_every_product_record_round_trips_through_json(record: ProductRecord) -> None:
    wire = json.loads(json.dumps(product_to_wire(record)))
    assert product_from_wire(wire) == record


@given(products, rates, st.integers(min_value=1, max_value=2**62))
def test_a_change_round_trips_with_its_rate(record: ProductRecord, rate: Decimal, seq: int) -> None:
    change = Change(seq, record.merchant, record.offer_id, True, rate, record)
    wire = json.loads(json.dumps(change_to_wire(change)))
    assert isinstance(wire["commission_rate"], str)  # never a float on the wire
    back = change_from_wire(wire)
    assert back == change
    assert back.commission_rate == rate


def test_the_wire_form_is_as_the_contract_says() -> None:
    record = ProductRecord(
        merchant="Nordlys",
        offer_id="A1",
        title="Mug",
        price=Money(1250, "EUR"),
        availability=Availability.PREORDER,
        condition=Condition.NEW,
        additional_images=("https://x/1.jpg",),
        sale_start=datetime(2026, 1, 2, 3, 4, tzinfo=UTC),
        extra=(("shipping", "DE:5 EUR"),),
    )
    wire = product_to_wire(record)
    assert wire["price"] == {"amount_minor": 1250, "currency": "EUR"}
    assert wire["sale_price"] is None
    assert wire["availability"] == "preorder" and wire["condition"] == "new"
    assert wire["additional_images"] == ["https://x/1.jpg"]
    assert wire["extra"] == [["shipping", "DE:5 EUR"]]
    assert wire["sale_start"] == "2026-01-02T03:04:00+00:00"


def test_an_unavailable_change_carries_no_product() -> None:
    change = Change(7, "Nordlys", "A1", False, Decimal("0.08"), None)
    wire = change_to_wire(change)
    assert wire == {
        "seq": 7,
        "merchant": "Nordlys",
        "offer_id": "A1",
        "available": False,
        "commission_rate": "0.08",
        "product": None,
    }
    assert change_from_wire(wire) == change


def test_rates_are_plain_decimal_strings() -> None:
    assert format_rate(Decimal("8E-2")) == "0.08"
    assert format_rate(Decimal("0.125")) == "0.125"
    assert parse_rate("0.08") == Decimal("0.08")
    for bad in ["1.5", "-0.1", "NaN", "Infinity", "eight", 0.08, None, "1" * 50]:
        with pytest.raises(WireError):
            parse_rate(bad)


def test_unknown_fields_are_ignored_and_missing_optionals_defaulted() -> None:
    minimal = {"merchant": "M", "offer_id": "1", "title": "T", "some_future_field": [1, 2]}
    assert product_from_wire(minimal) == ProductRecord(merchant="M", offer_id="1", title="T")


def _good() -> dict[str, Any]:
    record = ProductRecord(merchant="M", offer_id="1", title="T", price=Money(100, "EUR"))
    return change_to_wire(Change(1, "M", "1", True, Decimal("0.1"), record))


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("seq",), "1", "seq"),
        (("seq",), True, "seq"),
        (("available",), 1, "available"),
        (("commission_rate",), 0.1, "commission_rate"),
        (("product", "title"), None, "title"),
        (("product", "price"), {"amount_minor": 1.5, "currency": "EUR"}, "price.amount_minor"),
        (("product", "price"), {"amount_minor": -1, "currency": "EUR"}, "price.amount_minor"),
        (("product", "price"), {"amount_minor": 1, "currency": "euro"}, "price.currency"),
        (("product", "availability"), ["in_stock"], "availability"),
        (("product", "availability"), "sold", "availability"),
        (("product", "condition"), {}, "condition"),
        (("product", "sale_end"), "yesterday", "sale_end"),
        (("product", "additional_images"), "https://x", "additional_images"),
        (("product", "additional_images"), "", "additional_images"),
        (("product", "additional_images"), [None], "additional_images"),
        (("product", "extra"), [["a"]], "extra"),
        (("product", "extra"), {}, "extra"),
        (("product", "extra"), "", "extra"),
        (("product", "gender"), ["f"], "gender"),
        (("product", "merchant"), None, "merchant"),
        (("product", "brand"), 12, "brand"),
        (("product", "offer_id"), "2", "product"),
        (("product",), None, "product"),
        (("product",), [], "product"),
    ],
)
def test_a_bad_field_is_a_wire_error_naming_it(
    path: tuple[str, ...], value: Any, field: str
) -> None:
    wire = _good()
    target = wire
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(WireError, match=field.replace(".", r"\.")):
        change_from_wire(wire)


def test_a_page_round_trips_and_checks_its_envelope() -> None:
    page = ChangesPage((change_from_wire(_good()),), cursor=1, more=False)
    assert page_from_wire(json.loads(json.dumps(page_to_wire(page)))) == page
    for bad in [[], {"changes": {}, "cursor": 1, "more": False}, {"changes": [], "cursor": "1"}]:
        with pytest.raises(WireError):
            page_from_wire(bad)
