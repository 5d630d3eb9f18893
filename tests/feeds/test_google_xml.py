"""Google Merchant XML (RSS and Atom): the real sample feeds and a hand-written Atom feed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from feedhelp import DATA, by_id, extra, read_feed

from studio.core.money import Money
from studio.core.product import Availability, Condition
from studio.feeds import detect_format, feed_name


def test_google_example_online_store_feed(fixtures_dir: Path) -> None:
    path = fixtures_dir / "google_merchant" / "google_example_online_store_feed.xml"
    assert detect_format(path) == "google-xml"
    records, rejected = read_feed(path)
    assert rejected == []
    assert [r.offer_id for r in records] == [
        "TV_123456",
        "DVD-0564738",
        "PFM654321",
        "CLO-29473856-1",
        "CLO-29473856-2",
        "CLO-1029384",
    ]
    items = by_id(records)

    tv = items["TV_123456"]
    assert tv.title == 'LG Flatron M2262D 22" Full HD LCD TV'  # &quot; decoded
    assert "You'll also experience" in tv.description  # &#39; decoded
    assert tv.condition is Condition.USED
    assert tv.price == Money(15900, "USD")
    assert tv.availability is Availability.IN_STOCK  # legacy "in stock"
    assert tv.gtin == "8808992787426"
    assert tv.product_type == "Consumer Electronics > TVs > Flat Panel TVs"
    assert extra(tv, "shipping") == ["US::Standard:14.95 USD"]

    dvd = items["DVD-0564738"]  # CDATA with raw & and >
    assert dvd.link == "http://www.example.com/media/dvd/?sku=384616&src=gshopping&lang=en"
    assert dvd.google_category == "Media > DVDs & Movies > Television Shows"
    assert dvd.availability is Availability.PREORDER
    assert "King Arthur (Bradley James) & Merlin" in dvd.description

    dior = items["PFM654321"]
    assert dior.additional_images == (
        "http://images.example.com/PFM654321_2.jpg",
        "http://images.example.com/PFM654321_3.jpg",
    )
    assert extra(dior, "shipping") == ["US::Standard Rate:4.95 USD", "US::Next Day:8.50 USD"]
    assert dior.product_type == "Health & Beauty > Personal Care > Cosmetics > Skin Care > Lotion"

    standard, tall = items["CLO-29473856-1"], items["CLO-29473856-2"]
    assert standard.item_group_id == tall.item_group_id == "CLO-29473856"
    assert (standard.size, tall.size) == ("8 Standard", "8 Tall")
    assert standard.availability is Availability.OUT_OF_STOCK  # "out of stock" + trailing tab
    assert standard.brand == "M&S"
    assert (standard.gender, standard.age_group, standard.color) == ("Female", "Adult", "Navy")
    assert extra(standard, "shipping_weight") == ["750 g"]  # inline comment after it ignored

    jersey = items["CLO-1029384"]
    assert jersey.availability is Availability.IN_STOCK  # deprecated "available for order"
    assert any("available for order" in note for note in extra(jersey, "note"))
    assert jersey.price == Money(3399, "USD")
    assert jersey.sale_price == Money(2549, "USD")
    pacific = timezone(timedelta(hours=-8))
    assert jersey.sale_start == datetime(2011, 9, 1, 16, 0, tzinfo=pacific)
    assert jersey.sale_end == datetime(2011, 9, 3, 16, 0, tzinfo=pacific)
    assert jersey.sale_in_effect(datetime(2011, 9, 2, tzinfo=UTC))
    assert not jersey.sale_in_effect(datetime(2011, 9, 5, tzinfo=UTC))
    assert extra(jersey, "shipping") == ["US::Standard Free Shipping:0 USD"]
    assert jersey.color == "Black/Red/White"


def test_beispielfeed_with_custom_namespace(fixtures_dir: Path) -> None:
    records, rejected = read_feed(fixtures_dir / "google_merchant" / "Beispielfeed_GSF_XML.xml")
    assert rejected == []
    [lego] = records
    assert lego.offer_id == "10162513-L"
    assert lego.title == "LEGO City Tiefsee-Tauchscooter"  # g:title
    assert lego.item_group_id is None  # empty <g:item_group_id/>
    assert lego.additional_images == ()  # empty <g:additional_image_link/>
    assert lego.image_link == (
        "https://cdn.siroop.ch/media/images/sized/c9eb1f6ec31056d3ad835e121f8e78c8.400x400.jpg"
    )
    assert lego.price == Money(18900, "CHF")
    # The marketplace's long_description (CDATA with <br>) is the only description.
    assert lego.description.startswith(
        "Tauche mit dem Tiefsee-Tauchscooter nach dem verlorenen Schatz!\n\nBegleite den Taucher"
    )
    assert "Tiefsee – und zwar" in lego.description and "Hüte dich" in lego.description
    assert "<br" not in lego.description
    assert lego.brand == "LEGO" and lego.mpn == "60090"
    # Its 12-digit GTIN has a wrong check digit: dropped and noted, the row is kept.
    assert lego.gtin is None
    assert any("123456789123" in note for note in extra(lego, "note"))
    assert not any(k in ("attribute", "quantity") for k, _ in lego.extra)  # s: ignored


def test_atomra_feed(fixtures_dir: Path) -> None:
    records, rejected = read_feed(
        fixtures_dir / "google_merchant" / "atomra_google-merchant-feed.xml"
    )
    assert rejected == []
    assert len(records) == 7
    first = records[0]
    assert first.offer_id == "granule-box-750g"
    assert first.title.startswith('Ceara de nisip "Granule Box" 750g + 10 fitile | ')
    assert len(first.additional_images) == 9
    assert all(u.endswith(".webp") for u in first.additional_images)
    assert first.price == Money(9800, "RON")
    assert first.google_category == "Home & Garden > Decor > Candles"  # a text path
    assert first.product_type is not None
    assert first.product_type.startswith("Home Collection > Bestseller > Eco-Friendly")
    assert extra(first, "identifier_exists") == ["no"]
    assert first.mpn == "granule-box-750g" and first.gtin is None
    assert all(r.availability is Availability.IN_STOCK for r in records)
    assert all(r.price is not None and r.price.currency == "RON" for r in records)
    assert all(r.item_group_id is None for r in records)


def test_atom_feed() -> None:
    path = DATA / "atom_feed.xml"
    assert detect_format(path) == "google-xml"
    records, rejected = read_feed(path)
    assert rejected == []
    scarf, cushion = records
    assert scarf.offer_id == "AN-1"  # g:id, not the Atom <id>
    assert scarf.title == 'Wollschal "Fjord"'
    assert scarf.link == "https://atelier-nord.example/p/schal-fjord?ref=feed&lang=de"
    assert scarf.description == "Handgewebt aus Merino.\n\nMaße: 180 × 30 cm"  # script dropped
    assert scarf.price == Money(8900, "EUR")
    assert cushion.title == "Kissenbezug Leinen"  # g:title wins over the Atom title
    assert cushion.link == "https://atelier-nord.example/p/kissen"
    assert cushion.availability is Availability.BACKORDER
    assert cushion.availability_date == datetime(
        2026, 3, 1, 10, 0, tzinfo=timezone(timedelta(hours=1))
    )
    assert cushion.sale_start == datetime(2026, 2, 1, tzinfo=UTC)
    assert cushion.sale_end == datetime(2026, 2, 14, 23, 59, tzinfo=UTC)


def test_prefix_is_matched_by_namespace_uri(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<rss version="2.0" xmlns:gm="http://base.google.com/ns/1.0" xmlns:g="urn:not-google">'
        "<channel><item><gm:id>A1</gm:id><title>  Lamp\n </title><gm:price>10 USD</gm:price>"
        "<g:id>WRONG</g:id><gm:product_type>A &gt; B</gm:product_type>"
        "<gm:product_type>C &gt; D</gm:product_type><gm:tax><gm:country>US</gm:country>"
        "<gm:region>CA</gm:region><gm:rate>8.25</gm:rate></gm:tax></item></channel></rss>",
        encoding="utf-8",
    )
    [lamp], rejected = read_feed(feed)
    assert rejected == []
    assert (lamp.offer_id, lamp.title, lamp.product_type) == ("A1", "Lamp", "A > B")
    assert extra(lamp, "tax") == ["US:CA:8.25"]  # sub-attributes packed like the text format
    assert extra(lamp, "note") == []


def test_latin1_declared_encoding_is_honoured(tmp_path: Path) -> None:
    feed = tmp_path / "latin1.xml"
    feed.write_bytes(
        '<?xml version="1.0" encoding="ISO-8859-1"?>'
        '<rss xmlns:g="http://base.google.com/ns/1.0"><channel><item>'
        "<g:id>B1</g:id><g:title>Bügeleisen</g:title><g:price>20 EUR</g:price>"
        "</item></channel></rss>".encode("latin-1")
    )
    [iron], _ = read_feed(feed)
    assert iron.title == "Bügeleisen"


def test_utf16_and_bom_feeds(tmp_path: Path) -> None:
    xml = (
        '<?xml version="1.0" encoding="UTF-16"?><rss xmlns:g="http://base.google.com/ns/1.0">'
        "<channel><item><g:id>U1</g:id><g:title>Čaj</g:title><g:price>5 CZK</g:price>"
        "</item></channel></rss>"
    )
    utf16 = tmp_path / "utf16.xml"
    utf16.write_bytes(xml.encode("utf-16"))
    bom = tmp_path / "bom.xml"
    bom.write_bytes(b"\xef\xbb\xbf" + xml.replace("UTF-16", "UTF-8").encode("utf-8"))
    for path in (utf16, bom):
        assert detect_format(path) == "google-xml"
        [tea], _ = read_feed(path)
        assert tea.title == "Čaj" and tea.price == Money(500, "CZK")


def test_the_feed_names_its_store_when_it_states_one(fixtures_dir: Path, tmp_path: Path) -> None:
    google = fixtures_dir / "google_merchant"
    assert feed_name(google / "google_example_online_store_feed.xml") == "Example - Online Store"
    assert feed_name(google / "atomra_google-merchant-feed.xml") == "Atomra Home Romania"
    assert feed_name(google / "Beispielfeed_GSF_XML.xml") == "Products for Siroop Marketplace"
    assert feed_name(DATA / "atom_feed.xml") == "Atelier Nord – Produkte"  # the Atom feed title
    # An item's title is never the store's; nor is anything in a feed that names none.
    untitled = tmp_path / "untitled.xml"
    untitled.write_text(
        '<rss xmlns:g="http://base.google.com/ns/1.0"><channel><item><title>Lamp</title>'
        "<g:id>1</g:id></item><title>Too late</title></channel></rss>",
        encoding="utf-8",
    )
    assert feed_name(untitled) is None
    # Other formats name brands (Shopify's vendor), not the store; a hostile or broken file
    # names nothing (the import says what is wrong with it).
    assert feed_name(fixtures_dir / "shopify_json" / "products.json") is None
    assert feed_name(fixtures_dir / "woocommerce" / "sample_products.csv") is None
    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<!DOCTYPE rss [<!ENTITY a "x">]><rss><channel><title>&a;</title>')
    assert feed_name(bomb) is None
    assert feed_name(tmp_path / "missing.xml") is None
