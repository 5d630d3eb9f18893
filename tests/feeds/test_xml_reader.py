"""The streaming Google XML reader: same records as a plain whole-tree reading, bounded memory.

The reader asks lxml for item events only and maps children by their full tag name; the
reference below is the straightforward reading (whole tree, every tag split into namespace and
local name, every text joined with itertext) that the reader must agree with on any feed.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import studio.feeds.xml_google as xml_google
from studio.core.errors import FeedError
from studio.core.product import ProductRecord, RejectedRow
from studio.feeds import open_feed
from studio.feeds.records import Item, RecordBuilder, Value, first
from studio.feeds.xml_google import ATOM_NS, G_NS, MAX_ITEM_ELEMENTS

_KNOWN = {
    "id",
    "item_group_id",
    "title",
    "description",
    "link",
    "image_link",
    "additional_image_link",
    "price",
    "sale_price",
    "sale_price_effective_date",
    "availability",
    "availability_date",
    "condition",
    "brand",
    "gtin",
    "mpn",
    "google_product_category",
    "product_type",
    "color",
    "size",
    "gender",
    "age_group",
    "material",
}


def _split(tag: object) -> tuple[str, str]:
    if not isinstance(tag, str):
        return "", ""
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def _text(elem: etree._Element) -> str:
    return "".join(elem.itertext())


def reference_item(item: etree._Element, builder: RecordBuilder, index: int) -> Item:
    """The documented mapping, read the obvious way."""
    google: dict[str, list[str]] = {}
    plain: dict[str, str] = {}
    extra: list[tuple[str, str]] = []
    long_description: str | None = None
    for child in item:
        ns, name = _split(child.tag)
        if ns == G_NS:
            if name == "shipping":
                extra.append(("shipping", xml_google._shipping(child)))
            elif name in _KNOWN:
                google.setdefault(name, []).append(_text(child))
            elif value := first(xml_google._packed(child) if len(child) else _text(child)):
                extra.append((name, value))
        elif ns in ("", ATOM_NS):
            if name == "link" and ns == ATOM_NS:
                if child.get("rel", "alternate") == "alternate" and child.get("href"):
                    plain.setdefault("link", child.get("href", ""))
            elif name == "summary" or (name == "content" and ns == ATOM_NS):
                plain.setdefault("description", _text(child))
            elif name in ("title", "link", "description"):
                plain.setdefault(name, _text(child))
        elif name == "long_description" and long_description is None:
            long_description = _text(child)
    values: dict[str, Value] = dict(google)
    for name in ("title", "link", "description"):
        if first(google.get(name)) is None and name in plain:
            values[name] = plain[name]
    if first(values.get("description")) is None and long_description:
        values["description"] = long_description
    offer_id = first(google.get("id"))
    where = f"item {offer_id}" if offer_id and len(offer_id) <= 50 else f"item #{index}"
    return builder.build(values, where=where, extra=extra, note_missing_currency=True)


def reference_read(path: Path) -> list[Item]:
    root = etree.parse(
        str(path),
        etree.XMLParser(
            resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True
        ),
    ).getroot()
    builder = RecordBuilder("m")
    found: list[Item] = []

    def walk(elem: etree._Element) -> None:
        for child in elem:
            if _split(child.tag)[1] in ("item", "entry"):
                found.append(reference_item(child, builder, len(found) + 1))
            else:
                walk(child)

    walk(root)
    return found


# -- generated feeds --------------------------------------------------------------------------

_xml_char = st.characters(exclude_categories=["Cs", "Cn"], min_codepoint=0x20) | st.sampled_from(
    list("\t\n\r")
)
_values = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "  x  ",
            "A1",
            "12.00 USD",
            "12,5 EUR",
            "$3",
            "in stock",
            "available for order",
            "New",
            "96385074",
            "3.65275E+11",
            "2026-03-01",
            "2026-02-01T00:00Z/2026-02-14T23:59Z",
            "Crème &amp; Co",
            "&lt;p&gt;Hi",
            "<![CDATA[<p>Warm <b>light</b></p>]]>",
            "a<!-- c -->b",
            "L" * 51,
        ]
    ),
    st.text(_xml_char, max_size=20).map(escape),
)
_children = st.one_of(
    st.tuples(st.sampled_from(sorted(_KNOWN | {"custom_label_0", "shipping_weight"})), _values).map(
        lambda p: f"<g:{p[0]}>{p[1]}</g:{p[0]}>"
    ),
    st.tuples(st.sampled_from(["title", "link", "description", "summary", "content"]), _values).map(
        lambda p: f"<{p[0]}>{p[1]}</{p[0]}>"
    ),
    st.sampled_from(
        [
            "<g:shipping><g:country>US</g:country><g:price>4.95 USD</g:price></g:shipping>",
            "<g:tax><g:country>US</g:country><g:rate>8.25</g:rate></g:tax>",
            "<m:long_description xmlns:m='urn:m'>Long text</m:long_description>",
            "<a:link xmlns:a='http://www.w3.org/2005/Atom' href='https://x.example/p'/>",
            "<a:content xmlns:a='http://www.w3.org/2005/Atom'>Atom body</a:content>",
            "<g:title>Split <b>bold</b> title</g:title>",
            "<item><g:id>inner</g:id></item>",
            "<g:empty/>",
            "<?pi x?>",
            "\n  ",
        ]
    ),
)
_items = st.lists(
    st.lists(_children, max_size=10).map(
        lambda kids: (
            "<item><g:id>ok</g:id><title>T</title><g:price>1 USD</g:price>"
            + "".join(kids)
            + "</item>"
        )
    )
    | st.lists(_children, max_size=10).map(lambda kids: "<item>" + "".join(kids) + "</item>"),
    min_size=1,
    max_size=6,
)


@given(_items, st.booleans())
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_reader_matches_the_whole_tree_reading(
    tmp_path: Path, items: list[str], channel_junk: bool
) -> None:
    junk = "<title>Shop</title><image><url>u</url></image>" if channel_junk else ""
    path = tmp_path / "feed.xml"
    path.write_text(
        f'<rss xmlns:g="{G_NS}"><channel>{junk}{"".join(items)}</channel></rss>', encoding="utf-8"
    )
    assert list(open_feed(path, "m", "google-xml")) == reference_read(path)


def test_reader_matches_on_the_fixture_feeds(fixtures_dir: Path) -> None:
    for path in sorted((fixtures_dir / "google_merchant").glob("*.xml")):
        assert list(open_feed(path, "m", "google-xml")) == reference_read(path), path.name


# -- guards -----------------------------------------------------------------------------------


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "feed.xml"
    path.write_text(f'<rss xmlns:g="{G_NS}"><channel>{body}</channel></rss>', encoding="utf-8")
    return path


@pytest.mark.parametrize("chunk", [256 * 1024, 1024], ids=["one-chunk", "many-chunks"])
def test_item_element_cap_is_exact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(xml_google, "_CHUNK", chunk)
    head = "<g:id>C1</g:id><title>t</title><g:price>1 USD</g:price>"  # 3 elements

    def item(nested: int) -> str:
        return f"<item>{head}<g:tax>{'<g:x/>' * nested}</g:tax></item>"

    # 3 + g:tax + nested = MAX_ITEM_ELEMENTS: accepted; one more: refused.
    [ok] = open_feed(_write(tmp_path, item(MAX_ITEM_ELEMENTS - 4)), "m", "google-xml")
    assert isinstance(ok, ProductRecord)
    with pytest.raises(FeedError, match=f"more than {MAX_ITEM_ELEMENTS} elements") as caught:
        list(open_feed(_write(tmp_path, item(MAX_ITEM_ELEMENTS - 3)), "m", "google-xml"))
    assert caught.value.where == "item 1"


def test_finished_elements_outside_items_are_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 200k junk elements around and between items (and nested in channel-level elements):
    # after each chunk the tree must be back to a handful of elements.
    sizes: list[int] = []
    prune = xml_google._prune

    def measuring_prune(root: etree._Element, item: etree._Element | None) -> None:
        prune(root, item)
        sizes.append(sum(1 for _ in root.iter()))

    monkeypatch.setattr(xml_google, "_prune", measuring_prune)
    monkeypatch.setattr(xml_google, "_CHUNK", 16 * 1024)
    good = "<item><g:id>{}</g:id><title>t</title><g:price>1 USD</g:price></item>"
    body = "".join(
        "<j/>" * 20_000 + f"<group>{'<k/>' * 20_000}</group>" + good.format(n) for n in range(5)
    )
    items = list(open_feed(_write(tmp_path, body), "m", "google-xml"))
    assert [i.offer_id for i in items if isinstance(i, ProductRecord)] == [str(n) for n in range(5)]
    assert len(sizes) > 40 and max(sizes) < 10


def test_items_before_a_syntax_error_in_the_same_chunk_come_first(tmp_path: Path) -> None:
    good = "<item><g:id>{}</g:id><title>t</title><g:price>1 USD</g:price></item>"
    path = _write(tmp_path, good.format(1) + good.format(2) + "<item><g:id>3</g:id></wrong>")
    seen: list[ProductRecord | RejectedRow] = []
    with pytest.raises(FeedError, match="malformed XML") as caught:
        seen.extend(open_feed(path, "m", "google-xml"))
    assert [getattr(i, "offer_id", None) for i in seen] == ["1", "2"]
    assert caught.value.where == "line 1"
