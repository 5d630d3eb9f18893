"""Hostile and broken feed files: each gives a clear FeedError or a RejectedRow, fast, offline.

Every input is a real file written into tmp_path (nothing large is committed). The autouse
``no_network`` fixture makes any connection attempt fail the test.
"""

from __future__ import annotations

import gzip
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from feedhelp import read_feed

import studio.feeds.xml_google as xml_google
from studio.core.errors import FeedError
from studio.core.product import ProductRecord, RejectedRow
from studio.feeds import FORMATS, detect_format, open_feed

G = 'xmlns:g="http://base.google.com/ns/1.0"'
GOOD_ITEM = "<item><g:id>OK-1</g:id><title>Fine</title><g:price>1.00 USD</g:price></item>"
LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss {G}><channel><item><g:id>B1</g:id><title>&lol9;</title><g:price>1 USD</g:price></item>
</channel></rss>""".replace("{G}", G)
XXE = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY file SYSTEM "file:///etc/passwd">
 <!ENTITY web SYSTEM "http://127.0.0.1:9/feed.dtd">
]>
<rss {G}><channel><item><g:id>X1</g:id><title>a&file;&web;</title><g:price>1 USD</g:price>
</item></channel></rss>""".replace("{G}", G)


def consume(path: Path, fmt: str = "auto") -> list[ProductRecord | RejectedRow]:
    """Read a feed fully, asserting it takes at most a few seconds."""
    started = time.monotonic()
    try:
        return list(open_feed(path, "m", fmt))
    finally:
        assert time.monotonic() - started < 5


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


@pytest.mark.parametrize("text", [LAUGHS, XXE], ids=["billion-laughs", "external-entities"])
def test_doctype_is_refused(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, "evil.xml", text)
    with pytest.raises(FeedError, match="DOCTYPE") as caught:
        consume(path)
    assert caught.value.where == "evil.xml"
    with pytest.raises(FeedError, match="DOCTYPE"):
        consume(path, "google-xml")


def test_dtd_after_comments_and_inside_gzip_is_refused(tmp_path: Path) -> None:
    text = '<?xml version="1.0"?>\n<!-- a comment -->\n<!DOCTYPE rss SYSTEM "http://x/rss.dtd">'
    path = write(tmp_path, "dtd.xml.gz", gzip.compress((text + f"<rss {G}/>").encode()))
    with pytest.raises(FeedError, match="DOCTYPE"):
        consume(path, "google-xml")


@pytest.mark.parametrize("text", [LAUGHS, XXE], ids=["billion-laughs", "external-entities"])
def test_lxml_never_expands_entities_even_past_the_prolog_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    # Defence in depth: with the DOCTYPE check switched off, lxml itself must still neither
    # expand entities nor read files nor fetch anything.
    monkeypatch.setattr(xml_google, "xml_root_name", lambda head: "rss")
    try:
        items = consume(write(tmp_path, "evil.xml", text), "google-xml")
    except FeedError as exc:  # libxml2's own amplification guard may refuse it instead
        assert "entity" in exc.reason.lower()
        return
    [record] = items
    assert isinstance(record, ProductRecord)
    assert "root:" not in record.title and len(record.title) < 100


def test_prolog_too_long_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "long.xml", "<!--" + "x" * 100_000 + "-->" + f"<rss {G}/>")
    with pytest.raises(FeedError, match="no root element"):
        consume(path, "google-xml")


def test_wrong_encoding(tmp_path: Path) -> None:
    xml = f'<?xml version="1.0" encoding="utf-8"?><rss {G}><channel>{GOOD_ITEM}'
    xml += "<item><g:id>L1</g:id><title>B\xfcgeleisen</title></item></channel></rss>"
    with pytest.raises(FeedError, match="encoding") as caught:
        consume(write(tmp_path, "latin1.xml", xml.encode("latin-1")))
    assert caught.value.where == "line 1"
    tsv = "id\ttitle\tprice\nA1\tfine\t1 EUR\n" + "A2\tB\xfcgeleisen\t2 EUR\n"
    with pytest.raises(FeedError, match=r"not valid UTF-8 \(byte 0xfc at byte offset") as bad:
        consume(write(tmp_path, "latin1.tsv", tsv.encode("latin-1")))
    assert bad.value.where == "line 3"


def test_records_before_a_fatal_error_are_yielded_first(tmp_path: Path) -> None:
    path = write(tmp_path, "cut.xml", f"<rss {G}><channel>{GOOD_ITEM}<item><g:id>B</g:id><title>x")
    feed = open_feed(path, "m")
    seen: list[ProductRecord | RejectedRow] = []
    with pytest.raises(FeedError, match="malformed XML"):
        seen.extend(feed)
    assert [getattr(i, "offer_id", None) for i in seen] == ["OK-1"]


def test_truncated_gzip(tmp_path: Path) -> None:
    body = f"<rss {G}><channel>" + GOOD_ITEM * 2000 + "</channel></rss>"
    data = gzip.compress(body.encode())
    with pytest.raises(FeedError, match="truncated"):
        consume(write(tmp_path, "cut.xml.gz", data[: len(data) // 2]), "google-xml")


def test_gzip_without_gz_extension_is_read(tmp_path: Path) -> None:
    body = f"<rss {G}><channel>{GOOD_ITEM}</channel></rss>"
    path = write(tmp_path, "feed.xml", gzip.compress(body.encode()))
    assert detect_format(path) == "google-xml"
    assert [getattr(i, "offer_id", None) for i in consume(path)] == ["OK-1"]


@pytest.fixture(scope="session")
def gigabyte_of_newlines(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A gzip member that inflates to 1 GiB of newlines (about 1 MB compressed)."""
    path = tmp_path_factory.mktemp("bomb") / "member.gz"
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
    chunk = b"\n" * 2**20
    with path.open("wb") as out:
        for _ in range(1024):
            out.write(compressor.compress(chunk))
        out.write(compressor.flush())
    return path.read_bytes()


@pytest.mark.parametrize(
    ("name", "head", "fmt"),
    [
        ("bomb.json.gz", b"[", "shopify-json"),
        ("bomb.tsv.gz", b"id\ttitle\tprice\n", "google-tsv"),
        ("bomb.csv.gz", b"Handle,Title,Variant Price\n", "shopify-csv"),
        ("bomb.xml.gz", f"<rss {G}><channel>".encode(), "google-xml"),
    ],
)
def test_gzip_bomb(
    tmp_path: Path, gigabyte_of_newlines: bytes, name: str, head: bytes, fmt: str
) -> None:
    # Two gzip members: a small format-specific head, then 1 GiB of whitespace.
    path = write(tmp_path, name, gzip.compress(head) + gigabyte_of_newlines)
    assert path.stat().st_size < 2 * 2**20
    assert detect_format(path) == fmt
    with pytest.raises(FeedError) as caught:
        consume(path)
    if fmt != "google-xml":  # libxml2 may stop it first, at its 10 MB text-node limit
        assert "gzip bomb" in caught.value.reason


def test_ten_megabyte_xml_title(tmp_path: Path) -> None:
    giant = "A" * (10 * 2**20)
    path = write(
        tmp_path,
        "giant.xml",
        f"<rss {G}><channel>{GOOD_ITEM}<item><g:id>G1</g:id>"
        f"<title>{giant}</title><g:price>1 USD</g:price></item></channel></rss>",
    )
    with pytest.raises(FeedError, match="too long"):
        consume(path)


def test_two_megabyte_xml_title_rejects_the_row(tmp_path: Path) -> None:
    giant = "A" * (2 * 2**20)
    path = write(
        tmp_path,
        "big.xml",
        f"<rss {G}><channel><item><g:id>G1</g:id>"
        f"<title>{giant}</title><g:price>1 USD</g:price></item>{GOOD_ITEM}"
        "</channel></rss>",
    )
    items = consume(path)
    assert items[0] == RejectedRow(
        where="item G1", reason="title is longer than 1 MB", offer_id="G1"
    )
    assert isinstance(items[1], ProductRecord)


def test_oversized_custom_attribute_rejects_the_row(tmp_path: Path) -> None:
    label = "L" * (2 * 2**20)
    path = write(
        tmp_path,
        "label.xml",
        f"<rss {G}><channel><item><g:id>C1</g:id><title>t</title>"
        f"<g:price>1 USD</g:price><g:custom_label_0>{label}</g:custom_label_0></item>"
        "</channel></rss>",
    )
    [rejected] = consume(path)
    assert rejected == RejectedRow(
        where="item C1", reason="custom_label_0 is longer than 1 MB", offer_id="C1"
    )


def test_ten_megabyte_unbroken_csv_line(tmp_path: Path) -> None:
    path = write(tmp_path, "line.tsv", "id\ttitle\tprice\nA1\t" + "x" * (10 * 2**20) + "\t1 USD\n")
    with pytest.raises(FeedError, match="line longer than") as caught:
        consume(path)
    assert caught.value.where == "line 2"


def test_ten_megabyte_quoted_csv_field(tmp_path: Path) -> None:
    giant = "word\n" * (2 * 2**20)  # 10 MB spread over many lines inside one quoted field
    path = write(tmp_path, "field.csv", f'Handle,Title,Variant Price\nh,"{giant}",1\n')
    with pytest.raises(FeedError, match="field larger than field limit"):
        consume(path)


def test_ten_megabyte_json_title(tmp_path: Path) -> None:
    giant = "x" * (10 * 2**20)
    path = write(
        tmp_path,
        "giant.json",
        f'[{{"id":1,"title":"{giant}","variants":[{{"id":2,"price":"1"}}]}}]',
    )
    [rejected] = consume(path)
    assert isinstance(rejected, RejectedRow)
    assert rejected.reason == "title is longer than 1 MB"


@pytest.mark.parametrize(
    ("price", "reason"),
    [
        ("NaN USD", "not a finite price"),
        ("1e309 USD", "not a price"),
        ("-5 USD", "negative price"),
        ("12,34,56 USD", "not a price"),
        ("", "missing price"),
    ],
)
def test_bad_prices_reject_the_row(tmp_path: Path, price: str, reason: str) -> None:
    path = write(
        tmp_path,
        "prices.xml",
        f"<rss {G}><channel><item><g:id>P1</g:id><title>T</title>"
        f"<g:price>{price}</g:price></item>{GOOD_ITEM}</channel></rss>",
    )
    rejected, good = consume(path)
    assert isinstance(rejected, RejectedRow) and isinstance(good, ProductRecord)
    assert reason in rejected.reason and rejected.where == "item P1"


def test_duplicate_and_overlong_ids(tmp_path: Path) -> None:
    long_id = "L" * 51
    path = write(
        tmp_path,
        "dups.tsv",
        "id\ttitle\tprice\nD1\tfirst\t1 USD\nD1\tsecond\t2 USD\n"
        f"{long_id}\tlong\t3 USD\n{'M' * 50}\tfifty\t4 USD\n",
    )
    first, duplicate, too_long, fifty = consume(path)
    assert isinstance(first, ProductRecord) and first.title == "first"
    assert duplicate == RejectedRow(
        where="line 3", reason="duplicate id (an earlier offer in this feed has it)", offer_id="D1"
    )
    assert isinstance(too_long, RejectedRow) and too_long.reason == "id longer than 50 characters"
    assert isinstance(fifty, ProductRecord)


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_file(tmp_path: Path, fmt: str) -> None:
    path = write(tmp_path, "empty.dat", b"")
    with pytest.raises(FeedError, match="empty"):
        consume(path, fmt)
    with pytest.raises(FeedError, match="empty"):
        detect_format(path)


def junk() -> Iterator[bytes]:
    yield bytes(range(256)) * 40
    yield b"\x00" * 5000
    yield b"PK\x03\x04" + bytes(range(200))


@pytest.mark.parametrize("fmt", ("auto", *FORMATS))
@pytest.mark.parametrize("data", list(junk()), ids=["bytes", "nuls", "zip"])
def test_binary_junk(tmp_path: Path, fmt: str, data: bytes) -> None:
    with pytest.raises(FeedError):
        consume(write(tmp_path, "junk.bin", data), fmt)


def test_not_a_feed(tmp_path: Path) -> None:
    with pytest.raises(FeedError, match="unrecognised feed format: XML with root element <html>"):
        detect_format(write(tmp_path, "page.xml", "<html><body/></html>"))
    with pytest.raises(FeedError, match="unrecognised feed format"):
        detect_format(write(tmp_path, "other.csv", "name,amount\nx,1\n"))
    with pytest.raises(FeedError, match="not a Shopify product feed"):
        consume(write(tmp_path, "variants.json", '{"variants": []}'))
    with pytest.raises(FeedError, match="malformed JSON"):
        consume(write(tmp_path, "cut.json", '{"products": [{"id": 1, '))
    with pytest.raises(FeedError, match=r"nested too deeply|unreadable JSON"):
        consume(write(tmp_path, "deep.json", "[" * 100_000 + "]" * 100_000))
    with pytest.raises(FeedError, match="unknown feed format"):
        open_feed(write(tmp_path, "x.xml", f"<rss {G}/>"), "m", "rss-1.0")


def test_item_with_too_many_elements(tmp_path: Path) -> None:
    links = "<g:additional_image_link>u</g:additional_image_link>" * 6000
    path = write(tmp_path, "many.xml", f"<rss {G}><channel><item>{links}</item></channel></rss>")
    with pytest.raises(FeedError, match="more than 5000 elements"):
        consume(path)


def test_fraction_read_reaches_one(tmp_path: Path) -> None:
    body = (
        f"<rss {G}><channel>"
        + "".join(GOOD_ITEM.replace("OK-1", f"OK-{n}") for n in range(3000))
        + "</channel></rss>"
    )
    feed = open_feed(write(tmp_path, "big.xml", body), "m")
    assert feed.fraction_read() == 0.0
    seen = []
    for _ in feed:
        seen.append(feed.fraction_read())
    assert 0 < seen[0] < 1 and seen == sorted(seen)
    assert feed.fraction_read() == 1.0


def test_read_feed_helper_on_hostile_file(tmp_path: Path) -> None:
    with pytest.raises(FeedError):
        read_feed(write(tmp_path, "evil.xml", XXE))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FeedError, match="cannot open the file"):
        detect_format(tmp_path / "nope.xml")
    with pytest.raises(FeedError, match="cannot open the file"):
        consume(tmp_path / "nope.xml", "google-xml")


def test_shopify_json_odd_members(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "odd.json",
        '{"products": [3, {"id": 9, "title": "No variants", "variants": []},'
        ' {"id": 10, "title": "T", "variants": ["x", {"id": 11, "price": "1.00"}]}]}',
    )
    items = consume(path)
    assert [(i.where, i.reason) for i in items if isinstance(i, RejectedRow)] == [
        ("product #1", "not a product object"),
        ("product 9", "product has no variants"),
        ("product 10 variant #1", "not a variant object"),
    ]
    assert [i.offer_id for i in items if isinstance(i, ProductRecord)] == ["11"]
