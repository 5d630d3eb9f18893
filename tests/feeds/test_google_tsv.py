"""Google Merchant text feeds (TSV): the hand-written sample in tests/feeds/data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from feedhelp import DATA, by_id, extra, read_feed

from studio.core.money import Money
from studio.core.product import Availability, Condition
from studio.feeds import detect_format


def test_small_tsv_feed() -> None:
    path = DATA / "small_feed.tsv"
    assert detect_format(path) == "google-tsv"
    records, rejected = read_feed(path)
    items = by_id(records)
    assert list(items) == ["TS-100-S", "TS-100-M", "TS-101"]

    small = items["TS-100-S"]
    assert small.title == "Linen Shirt – Small"
    assert small.description == "Washed linen.\nRelaxed fit."
    assert small.additional_images == (
        "https://img.example/ts-100-b.jpg",
        "https://img.example/ts-100-c.jpg",
    )
    assert small.price == Money(4990, "EUR") and small.sale_price == Money(3990, "EUR")
    # Offset without a colon, Z, and spaces around the slash.
    assert small.sale_start == datetime(2026, 2, 24, 13, 0, tzinfo=timezone(timedelta(hours=-8)))
    assert small.sale_end == datetime(2026, 2, 28, 15, 30, tzinfo=UTC)
    assert small.gtin == "4006381333931"
    assert small.item_group_id == "TS-100"
    assert (small.color, small.size, small.material) == ("Sand", "S", "Linen")
    assert small.google_category == "212"
    # Colon-packed shipping kept verbatim; the decimal comma does not split an entry.
    assert extra(small, "shipping") == ["DE::Standard:4,95 EUR", "AT::Express:9.90 EUR"]
    assert extra(small, "custom_label_0") == ["summer"]

    medium = items["TS-100-M"]
    assert medium.gtin == "4006381333931"  # spaces and dashes stripped
    assert medium.availability is Availability.PREORDER
    assert medium.availability_date == datetime(2026, 3, 15, 9, tzinfo=timezone(timedelta(hours=1)))

    tote = items["TS-101"]
    assert tote.condition is Condition.REFURBISHED
    assert tote.availability is Availability.OUT_OF_STOCK
    assert tote.gtin is None and any("3.65275E+11" in n for n in extra(tote, "note"))

    assert [(r.where, r.reason) for r in rejected] == [
        ("line 5", "missing id"),
        ("line 6", "missing title"),
        ("line 7", "price: not a finite price: 'NaN EUR'"),
    ]
    assert rejected[1].offer_id == "TS-102"


def test_comma_separated_google_text_feed(tmp_path: Path) -> None:
    feed = tmp_path / "feed.csv"
    feed.write_text(
        "id,title,price,Image Link,g:availability\n"
        'K-1,"Kettle, steel",24.50 GBP,https://img.example/k1.jpg,in stock\n'
        "K-2,Toaster,30.00,,in stock\n",
        encoding="utf-8-sig",
    )
    assert detect_format(feed) == "google-tsv"
    [kettle, toaster], _ = read_feed(feed, default_currency="EUR")
    assert toaster.price == Money(3000, "EUR")
    assert extra(toaster, "note") == ["price '30.00' has no currency; EUR assumed"]
    assert extra(kettle, "note") == []
    assert kettle.title == "Kettle, steel"
    assert kettle.price == Money(2450, "GBP")
    assert kettle.image_link == "https://img.example/k1.jpg"
