"""Shopify: the official JSON fixtures and the two generations of the product CSV template."""

from __future__ import annotations

from pathlib import Path

from feedhelp import by_id, extra, read_feed

from studio.core.money import Money
from studio.core.product import Availability, Condition
from studio.feeds import detect_format


def test_product_json(fixtures_dir: Path) -> None:
    path = fixtures_dir / "shopify_json" / "product.json"
    assert detect_format(path) == "shopify-json"
    records, rejected = read_feed(path)
    assert rejected == []
    assert [r.offer_id for r in records] == ["808950810", "49148385", "39072856", "457924702"]
    pink = records[0]
    assert pink.title == "IPod Nano - 8GB – Pink"
    assert pink.item_group_id == "632910392"
    assert pink.brand == "Apple" and pink.product_type == "Cult Products"
    assert pink.price == Money(19900, "USD")  # no currency in Shopify JSON: USD by default
    assert pink.description.startswith("It's the small iPod with one very big idea: Video.")
    assert "<p>" not in pink.description
    assert (
        pink.image_link == "http://static.shopify.com/s/files/1/6909/3384/products/ipod-nano.png?0"
    )
    assert extra(pink, "tags") == ["Emotive, Flash Memory, MP3, Music"]
    assert extra(pink, "sku") == ["IPOD2008PINK"]
    assert pink.availability is Availability.IN_STOCK
    assert pink.link is None


def test_product_json_with_default_currency_and_shop_url(fixtures_dir: Path) -> None:
    records, _ = read_feed(
        fixtures_dir / "shopify_json" / "product.json",
        default_currency="CAD",
        shop_url="https://ipods.example/",
    )
    assert records[0].price == Money(19900, "CAD")
    assert records[0].link == "https://ipods.example/products/ipod-nano?variant=808950810"


def test_products_json_bare_array_with_reused_variant_ids(fixtures_dir: Path) -> None:
    # The fixture's four products all reuse variant 808950810: the first wins, the rest are
    # reported as duplicates.
    records, rejected = read_feed(fixtures_dir / "shopify_json" / "products.json")
    assert [r.offer_id for r in records] == ["808950810"]
    assert records[0].item_group_id == "1"
    assert len(rejected) == 3
    assert all(r.reason.startswith("duplicate id") for r in rejected)
    assert all(r.offer_id == "808950810" for r in rejected)


def test_product_listings(fixtures_dir: Path) -> None:
    records, rejected = read_feed(fixtures_dir / "shopify_json" / "product_listings.json")
    assert rejected == []
    items = by_id(records)
    assert list(items) == ["3", "4", "1", "2"]
    chair = items["3"]
    assert chair.title == "Synergistic Silk Chair – Aerodynamic Copper Clock"
    assert chair.item_group_id == "2"
    assert chair.brand == "O'Hara, Fritsch and Hudson"
    assert chair.description == ""  # body_html null
    assert chair.image_link is None  # images []
    assert chair.price == Money(17999, "USD")
    assert extra(chair, "option:Color or something") == ["Aerodynamic Copper Clock"]


def test_single_product_listing(fixtures_dir: Path) -> None:
    records, rejected = read_feed(fixtures_dir / "shopify_json" / "product_listing.json")
    assert rejected == [] and [r.offer_id for r in records] == ["3", "4"]


def test_storefront_shape(tmp_path: Path) -> None:
    feed = tmp_path / "products.json"
    feed.write_text(
        '{"products":[{"id":7,"title":"Mug","handle":"mug","body_html":"<p>Stoneware</p>",'
        '"vendor":"Kiln","product_type":"Kitchen","tags":["ceramic","gift"],'
        '"images":[{"id":1,"position":1,"src":"https:\\/\\/cdn.example\\/a.jpg"},'
        '{"id":2,"position":2,"src":"https:\\/\\/cdn.example\\/b.jpg"}],'
        '"options":[{"name":"Colour","position":1},{"name":"Size","position":2}],'
        '"variants":[{"id":70,"title":"Blue / L","option1":"Blue","option2":"L","price":"20.00",'
        '"compare_at_price":"25.00","available":false,"image_id":2,"barcode":"4006381333931",'
        '"presentment_prices":[{"price":{"amount":"20.00","currency_code":"EUR"}}]},'
        '{"id":71,"title":"Default Title","price":"NaN"},'
        '{"id":72,"title":"Big","price":"1e309"},'
        '{"id":73,"title":"Neg","price":"-5"}]}]}',
        encoding="utf-8",
    )
    records, rejected = read_feed(feed)
    [mug] = records
    assert mug.title == "Mug – Blue / L"
    assert (mug.color, mug.size) == ("Blue", "L")
    assert mug.price == Money(2500, "EUR") and mug.sale_price == Money(2000, "EUR")
    assert mug.availability is Availability.OUT_OF_STOCK
    assert mug.image_link == "https://cdn.example/b.jpg"  # the variant's image first
    assert mug.additional_images == ("https://cdn.example/a.jpg",)
    assert mug.gtin == "4006381333931"
    assert extra(mug, "tags") == ["ceramic, gift"]
    assert [r.offer_id for r in rejected] == ["71", "72", "73"]
    assert all("price" in r.reason for r in rejected)


def test_shopify_csv_newer_template(fixtures_dir: Path) -> None:
    path = (
        fixtures_dir
        / "shopify_csv"
        / "kcohen1997_Shopify-Product-CSV-File-Forward-Fill"
        / "product_template.csv"
    )
    assert detect_format(path) == "shopify-csv"
    records, rejected = read_feed(path, default_currency="CAD")
    assert rejected == []
    assert len(records) == 16  # 12 shirts + 3 jeans + 1 beanie; the image-only row is no offer
    items = by_id(records)

    shirt = items["SRT_COT_122"]  # a variant row: Title, Vendor... forward-filled
    assert shirt.title == "Example T-Shirt – Green / M"
    assert shirt.item_group_id == "example-shirt"
    assert (shirt.color, shirt.size) == ("Green", "M")
    assert shirt.brand == "Acme" and shirt.product_type == "Shirts"
    assert shirt.description.startswith("This t-shirt is as simple as it gets.")
    assert shirt.price == Money(2500, "CAD")
    assert shirt.google_category == "212"  # numeric Google category id
    assert (shirt.gender, shirt.age_group, shirt.condition) == ("male", "adult", Condition.NEW)
    assert shirt.gtin is None  # "4.6347E+11": Excel-mangled, dropped and flagged
    assert any("4.6347E+11" in note for note in extra(shirt, "note"))
    assert shirt.mpn is None
    assert shirt.image_link == "https://burst.shopifycdn.com/photos/green-t-shirt.jpg?width=1500"
    assert shirt.availability is Availability.OUT_OF_STOCK  # qty 0, policy deny

    jeans = items["PNT_DEN_285"]
    assert jeans.size == "28"
    # The image-only row adds its image to every variant of the product.
    extra_image = (
        "https://burst.shopifycdn.com/photos/"
        "female-fashion-model-poses-in-city-street.jpg?width=1500"
    )
    assert all(
        extra_image in (r.image_link, *r.additional_images)
        for r in records
        if r.item_group_id == "example-pants"
    )
    assert jeans.price == Money(9500, "CAD") and jeans.sale_price is None  # compare-at lower
    assert jeans.availability is Availability.OUT_OF_STOCK and extra(jeans, "status") == ["draft"]

    beanie = items["HAT_GRY_275"]
    assert beanie.title == "Example Beanie"  # "Default Title" is not appended
    assert beanie.price == Money(2299, "CAD") and beanie.sale_price == Money(1799, "CAD")
    assert beanie.condition is Condition.REFURBISHED
    assert beanie.google_category == "173"
    assert extra(beanie, "status") == ["archived"]


def test_shopify_csv_older_template(fixtures_dir: Path) -> None:
    path = fixtures_dir / "shopify_csv" / "umsu2_shopify_import_gen" / "product_template.csv"
    records, rejected = read_feed(path)
    assert rejected == []
    first, small, medium = records
    assert first.offer_id == "example-t-shirt-1"  # no SKU: handle + variant number
    assert first.title == 'Example T-Shirt – Lithograph - Height: 9" x Width: 12"'  # "" unescaped
    assert first.condition is Condition.USED
    assert first.google_category == "Apparel & Accessories > Clothing"
    assert first.mpn == "7X8ABC910"
    assert small.offer_id == "example-shirt-s"
    assert small.title == "Example T-Shirt – Small"
    assert small.brand == "Acme"  # forward-filled
    assert small.price == Money(2499, "USD") and small.sale_price == Money(1999, "USD")
    assert medium.image_link == first.image_link  # the product image is shared
    assert all(r.availability is Availability.IN_STOCK for r in records)


def test_shopify_csv_header_case_and_bom(tmp_path: Path) -> None:
    feed = tmp_path / "products.csv"
    feed.write_text(
        "handle,title,vendor,option1 name,option1 value,variant sku,variant price,"
        "variant inventory qty,variant inventory policy,image src\r\n"
        "mug,Mug,Kiln,Material,Stoneware,MUG-1,12.5,3,deny,https://i.example/m.jpg\r\n"
        ",,,,,,,,,\r\n"
        "mug,,,,,,,,,https://i.example/m2.jpg\r\n",
        encoding="utf-8-sig",
    )
    assert detect_format(feed) == "shopify-csv"
    [mug], rejected = read_feed(feed, default_currency="GBP")
    assert rejected == []
    assert (mug.offer_id, mug.title, mug.material) == ("MUG-1", "Mug – Stoneware", "Stoneware")
    assert mug.price == Money(1250, "GBP") and mug.brand == "Kiln"
    assert mug.additional_images == ("https://i.example/m2.jpg",)
    assert mug.availability is Availability.IN_STOCK
