"""WooCommerce's product CSV export: the official sample data."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from feedhelp import by_id, extra, read_feed

from studio.core.money import Money
from studio.core.product import Availability
from studio.feeds import detect_format


def test_woocommerce_sample_products(fixtures_dir: Path) -> None:
    path = fixtures_dir / "woocommerce" / "sample_products.csv"
    assert detect_format(path) == "woocommerce-csv"
    records, rejected = read_feed(path, default_currency="EUR")
    assert rejected == []
    items = by_id(records)
    # The two variable parents are not offers; their 7 variations are.
    assert "woo-vneck-tee" not in items and "woo-hoodie" not in items
    assert len(records) == 23  # 25 rows: 2 variable parents, 7 variations, 16 others

    red = items["woo-vneck-tee-red"]
    assert red.item_group_id == "woo-vneck-tee"
    assert red.title == "V-Neck T-Shirt - Red"
    assert red.color == "Red" and red.size is None  # "any size" variation
    assert red.product_type == "Clothing > Tshirts"  # inherited from the parent
    assert red.description.startswith("Lorem ipsum")  # its own description
    assert red.price == Money(2000, "EUR")
    assert red.image_link is not None and red.image_link.endswith("vneck-tee-2.jpg")
    assert len(red.additional_images) == 2  # the parent's other images

    hoodie = items["woo-hoodie-red"]
    assert hoodie.item_group_id == "woo-hoodie"
    assert hoodie.sale_price == Money(4200, "EUR") and hoodie.price == Money(4500, "EUR")
    assert extra(hoodie, "attribute:Logo") == ["No"]
    assert sum(r.item_group_id == "woo-hoodie" for r in records) == 4

    pennant = items["wp-pennant"]
    assert pennant.link == "https://mercantile.wordpress.org/product/wordpress-pennant/"
    assert pennant.price == Money(1105, "EUR")

    beanie = items["woo-beanie"]
    assert beanie.price == Money(2000, "EUR") and beanie.sale_price == Money(1800, "EUR")
    assert beanie.product_type == "Clothing > Accessories"
    assert extra(beanie, "shipping_weight") == ["0.2 lb"]  # ".2" read as a decimal
    assert extra(items["woo-tshirt"], "shipping_weight") == ["0.8 lb"]

    album = items["woo-album"]
    assert extra(album, "type") == ["downloadable, simple, virtual"]
    assert album.product_type == "Music"

    collection = items["logo-collection"]
    assert collection.price is None
    assert extra(collection, "grouped_products") == ["woo-hoodie-with-logo, woo-tshirt, woo-beanie"]

    assert "Woo-tshirt-logo" in items  # mixed-case SKU kept as is
    assert all(r.availability is Availability.IN_STOCK for r in records)


def test_woocommerce_edge_cases(tmp_path: Path) -> None:
    feed = tmp_path / "wc.csv"
    feed.write_text(
        "ID,Type,SKU,Name,Published,In stock?,Stock,Backorders allowed?,Regular price,"
        "Sale price,Date sale price starts,Date sale price ends,Categories,Images,Parent,"
        "Brands,Attribute 1 name,Attribute 1 value(s),Description\n"
        '10,variable,,Lamp,1,1,,0,,,,,"Home > Lighting, Sale",'
        '"https://i.example/a.jpg, https://i.example/b.jpg",,Lumen,Material,Brass,'
        '"First line\\nSecond line"\n'
        "11,variation,LAMP-S,Lamp - Small,1,0,,0,30,25,2026-01-01 00:00:00,2026-01-31,,,id:10,,,,\n"
        "12,simple,DRAFT-1,Draft thing,0,1,,0,10,,,,,,,,,,\n"
        "13,simple,OOS-1,Sold out thing,1,,0,notify,10,,,,,,,,,,\n"
        "14,variable,LONELY,Lonely parent,1,1,,0,,,,,,,,,,,\n",
        encoding="utf-8",
    )
    records, rejected = read_feed(feed)
    items = by_id(records)
    small = items["LAMP-S"]
    assert small.item_group_id == "id:10"  # the parent has no SKU
    assert small.product_type == "Home > Lighting" and small.brand == "Lumen"
    assert small.material == "Brass"
    assert small.description == "First line\nSecond line"
    assert small.availability is Availability.OUT_OF_STOCK
    assert small.sale_start == datetime(2026, 1, 1, tzinfo=UTC)  # naive dates read as UTC
    assert small.sale_end is not None and small.sale_end.day == 31
    assert small.image_link == "https://i.example/a.jpg"
    assert items["DRAFT-1"].availability is Availability.OUT_OF_STOCK
    assert extra(items["DRAFT-1"], "status") == ["draft"]
    assert items["OOS-1"].availability is Availability.BACKORDER
    assert [(r.where, r.offer_id, r.reason) for r in rejected] == [
        ("line 6", "LONELY", "variable product without variations"),
    ]
