"""Google Merchant Center XML feeds (RSS 2.0 ``<item>`` and Atom 1.0 ``<entry>``), streamed.

The parser never builds the whole tree. The file is fed to lxml's pull parser in chunks, and
lxml reports only the document element and items (``tag=`` filter), so the ~20 children of an
item are built in C with no call back into Python; each item is then read in one pass over its
children, mapped by their full ``{namespace}name``. After every chunk, everything finished
outside the open item (items already read, channel-level elements, junk) is unlinked, so
memory stays bounded by a chunk plus the largest single item. Hostile XML is refused before
and during parsing:

* the prolog (everything before the root element) is scanned first, and any DOCTYPE is
  refused outright, so no entity can ever be declared (billion laughs, external entities);
* lxml runs with ``resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False``
  as a second line of defence (huge_tree=False keeps libxml2's 10 MB text-node limit);
* an item with more than MAX_ITEM_ELEMENTS elements (at any depth) is refused: checked on the
  open item after every chunk (so a huge one never finishes building) and when it ends.

Attributes in the Google namespace are matched by URI (any prefix). ``title``/``link``/
``description`` may be plain RSS (or Atom) elements or ``g:`` ones; ``g:`` wins. Other
namespaces are ignored, except that a marketplace ``long_description`` is used when the item has
no description at all (the siroop sample feed does this).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from itertools import islice

from lxml import etree

from studio.core.errors import FeedError
from studio.core.product import RejectedRow
from studio.feeds.guards import SNIFF_BYTES, FeedSource
from studio.feeds.records import Item, RecordBuilder, Value, add_value, first

G_NS = "http://base.google.com/ns/1.0"
ATOM_NS = "http://www.w3.org/2005/Atom"
# Children (at any depth) one item may hold; real items hold a few dozen.
MAX_ITEM_ELEMENTS = 5000
_SINGLE = ("title", "link", "description")
# g: attributes the record has a field for; anything else is kept in extra.
_KNOWN = frozenset(
    {
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
        "shipping",
    }
)
_SHIPPING_PARTS = ("country", "region", "service", "price")
# lxml reads this much at a time; the item cap and the pruning run between chunks.
_CHUNK = 256 * 1024
# feed_title reads this much at most: a channel's title comes before its items.
TITLE_BYTES = 1024**2
MAX_TITLE = 200
# Child elements by their full ("Clark") name, so no tag is split per child.
_GOOGLE_FIELDS = {f"{{{G_NS}}}{name}": name for name in _KNOWN if name != "shipping"}
_SHIPPING = f"{{{G_NS}}}shipping"
_ATOM_LINK = f"{{{ATOM_NS}}}link"
_PLAIN_FIELDS = {
    **{name: name for name in _SINGLE},
    **{f"{{{ATOM_NS}}}{name}": name for name in ("title", "description")},
    "summary": "description",
    f"{{{ATOM_NS}}}summary": "description",
    f"{{{ATOM_NS}}}content": "description",
}


def xml_root_name(head: bytes) -> str:
    """The root element's name (prefix stripped) after checking the prolog has no DOCTYPE.

    Raises FeedError for a DOCTYPE, for a prolog that does not fit in the sniffed prefix, and
    for anything that is not XML at all.
    """
    text = _decode_head(head)
    pos = 0
    length = len(text)
    while True:
        while pos < length and text[pos] in " \t\r\n":
            pos += 1
        if text.startswith("<?", pos):
            end = text.find("?>", pos)
            if end < 0:
                break
            pos = end + 2
        elif text.startswith("<!--", pos):
            end = text.find("-->", pos)
            if end < 0:
                break
            pos = end + 3
        elif text.startswith("<!", pos):
            raise FeedError("XML with a DOCTYPE/DTD is refused (entities are never expanded)")
        elif text.startswith("<", pos):
            m = re.match(r"<([A-Za-z_][\w.\-]*(?::[\w.\-]+)?)", text[pos : pos + 300])
            if not m:
                raise FeedError("not an XML feed (no root element)")
            return m.group(1).rpartition(":")[2]
        elif pos >= length:
            break
        else:
            raise FeedError("not an XML feed")
    raise FeedError(f"not an XML feed (no root element in the first {SNIFF_BYTES // 1024} KB)")


def _decode_head(head: bytes) -> str:
    # Only the prolog's markup matters here; UTF-16 needs decoding, everything else is
    # ASCII-compatible enough for latin-1 to show it.
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace")
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return head.decode("latin-1")


def parse_google_xml(source: FeedSource, builder: RecordBuilder) -> Iterator[Item]:
    root_name = xml_root_name(source.peek_head())
    if root_name not in ("rss", "feed"):
        raise FeedError(f"not a Google Merchant feed: root element <{root_name}>")
    # Events only for the document element and items: lxml then builds each item in C without
    # calling back into Python for every element, which is most of the cost of a big feed.
    parser = etree.XMLPullParser(
        events=("start", "end"),
        tag=("{*}rss", "{*}feed", "{*}item", "{*}entry"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )
    root: etree._Element | None = None
    item: etree._Element | None = None  # the item being read: its start seen, not its end
    index = 0
    while True:
        chunk = source.read(_CHUNK)
        error: Exception | None = None
        try:
            if chunk:
                parser.feed(chunk)
            else:
                parser.close()
        except (etree.LxmlError, UnicodeError) as exc:
            error = exc  # the items completed before the error are yielded first
        events = parser.read_events()
        if error is not None and not chunk:
            # A truncated document: the failing close() reports every element still open as
            # ended (lxml 6.2 does), so an item cut off mid-way would look complete.
            events = iter(())
        for event, elem in events:
            if item is None:
                if event == "start":
                    if root is None:
                        root = elem
                    elif _local(elem.tag) in ("item", "entry"):
                        item = elem
            elif event == "end" and elem is item:
                index += 1
                yield _item(elem, builder, index)
                item = None
            # Other events are rss/feed/item/entry elements nested inside an item: children.
        if error is not None:
            raise _feed_error(error) from error
        if not chunk:
            return
        if item is not None and _too_big(item):
            raise FeedError(
                f"an item with more than {MAX_ITEM_ELEMENTS} elements", where=f"item {index + 1}"
            )
        if root is not None:
            _prune(root, item)


def feed_title(source: FeedSource, limit: int = TITLE_BYTES) -> str | None:
    """The feed's own name: the RSS ``<channel><title>`` or the Atom ``<feed><title>``, read
    from at most ``limit`` bytes before the first item (None when it has none there). The same
    guards as parsing: no DOCTYPE, no entities, no network."""
    root_name = xml_root_name(source.peek_head())
    if root_name not in ("rss", "feed"):
        return None
    parser = etree.XMLPullParser(
        events=("end",),
        tag=("{*}title", "{*}item", "{*}entry"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    read = 0
    while read < limit:
        chunk = source.read(min(_CHUNK, limit - read))
        if not chunk:
            break
        read += len(chunk)
        try:
            parser.feed(chunk)
        except (etree.LxmlError, UnicodeError):
            return None  # a name is a convenience: the import itself says what is wrong
        for _event, elem in parser.read_events():
            if _local(elem.tag) in ("item", "entry"):
                return None
            parent = elem.getparent()
            if parent is not None and _local(parent.tag) in ("channel", "feed"):
                title = " ".join(_text(elem).split())
                return title[:MAX_TITLE] or None
    return None


def _feed_error(exc: Exception) -> FeedError:
    if isinstance(exc, etree.XMLSyntaxError):
        # The exception's own message can be a generic "no element found"; the latest fatal
        # entry of the error log says what libxml2 actually refused, and where.
        fatal = [e for e in exc.error_log if e.level_name == "FATAL"]
        message, line = (fatal[-1].message, fatal[-1].line) if fatal else (exc.msg, exc.lineno)
        return FeedError(f"malformed XML: {message}", where=f"line {line}")
    return FeedError(f"unreadable XML: {exc}")


def _too_big(item: etree._Element) -> bool:
    """True when an (unfinished) item holds more than MAX_ITEM_ELEMENTS elements."""
    seen = sum(1 for _ in islice(item.iter(), MAX_ITEM_ELEMENTS + 2))
    return seen - 1 > MAX_ITEM_ELEMENTS  # iter() counts the item itself


def _prune(root: etree._Element, item: etree._Element | None) -> None:
    """Drop every finished element outside the open item, so memory stays bounded.

    Along the path of open elements from the root, each element's children but the last are
    finished (the last may still be open): delete them, down to the open item or a leaf.
    Items already yielded go this way too, one chunk after they were read.
    """
    node = root
    while node is not item and len(node):
        last = node[-1]
        if last.getprevious() is not None:
            del node[:-1]
        node = last


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _text(elem: etree._Element) -> str:
    # itertext joins text split by sub-elements (comments and PIs are already removed).
    return "".join(elem.itertext())


def _item(item: etree._Element, builder: RecordBuilder, index: int) -> Item:
    values: dict[str, Value] = {}  # Google attribute -> text, or texts when repeated
    plain: dict[str, str] = {}  # RSS/Atom title, link, description: first one of each
    extra: list[tuple[str, str]] = []
    long_description: str | None = None
    google_field = _GOOGLE_FIELDS.get
    count = len(item)
    for child in item:
        tag = child.tag
        if len(child):
            count += _descendants(child)
            text = _text(child)
        else:
            text = child.text or ""
        name = google_field(tag)
        if name is not None:
            if name not in values:
                values[name] = text
            else:
                add_value(values, name, text)
        elif (name := _PLAIN_FIELDS.get(tag)) is not None:
            plain.setdefault(name, text)
        elif tag == _ATOM_LINK:
            if child.get("rel", "alternate") == "alternate" and child.get("href"):
                plain.setdefault("link", child.get("href", ""))
        elif tag == _SHIPPING:
            extra.append(("shipping", _shipping(child)))
        elif (ns := _ns(tag)) == G_NS:
            if value := first(_packed(child) if len(child) else text):
                extra.append((_local(tag), value))  # e.g. shipping_weight, custom_label_0
        elif (
            long_description is None
            and ns not in ("", ATOM_NS)
            and (_local(tag) == "long_description")
        ):
            long_description = text
    if count > MAX_ITEM_ELEMENTS:
        raise FeedError(
            f"an item with more than {MAX_ITEM_ELEMENTS} elements", where=f"item {index}"
        )
    # Repeated attributes keep every value; single ones (product_type too) use the first.
    for name in _SINGLE:
        if name in plain and (name not in values or first(values[name]) is None):
            values[name] = plain[name]
    if long_description and first(values.get("description")) is None:
        values["description"] = long_description
    record = builder.build(values, where="", extra=extra, note_missing_currency=True)
    if isinstance(record, RejectedRow):
        # Named only now: rejections are rare and the id is known to be short or not.
        offer_id = first(values.get("id"))
        where = f"item {offer_id}" if offer_id and len(offer_id) <= 50 else f"item #{index}"
        record = replace(record, where=where)
    return record


def _descendants(elem: etree._Element) -> int:
    """Elements below ``elem``, counted no further than the item cap."""
    return sum(1 for _ in islice(elem.iter(), MAX_ITEM_ELEMENTS + 2)) - 1


def _ns(tag: object) -> str:
    return tag[1:].partition("}")[0] if isinstance(tag, str) and tag.startswith("{") else ""


def _packed(elem: etree._Element) -> str:
    """Other sub-attribute groups (tax, installment...) packed in document order."""
    return ":".join(first(_text(c)) or "" for c in elem)


def _shipping(elem: etree._Element) -> str:
    """Pack a g:shipping block like the text format does: ``US:CA:Overnight:16.00 USD``."""
    parts = {_local(c.tag): first(_text(c)) or "" for c in elem}
    return ":".join(parts.get(p, "") for p in _SHIPPING_PARTS)
