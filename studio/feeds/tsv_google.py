"""Google Merchant Center text feeds: a header row of attribute names, one item per line.

The delimiter is a tab (Google's "TSV"); a comma-separated file with the same header is read
the same way. Header names may carry a ``g:`` prefix, spaces or capitals ("Image link"); they
are normalised to Google's attribute names. Repeated attributes come either as repeated columns
or as one comma-separated cell (``additional_image_link``). Sub-attributes are colon-packed
(``shipping`` = ``US:CA:Overnight:16.00 USD``, several separated by commas) and are kept
verbatim in ``extra``. Unknown columns (custom labels, shipping_weight...) also go to ``extra``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from studio.core.errors import FeedError
from studio.feeds.guards import FeedSource, Table
from studio.feeds.records import Item, RecordBuilder, Value, add_value
from studio.feeds.text import clean_text

# Attributes whose single cell may hold several comma-separated values.
_LISTS = frozenset({"additional_image_link"})
# Attributes the record has a field for; every other column is kept in extra.
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
    }
)
_SINGLE = _KNOWN - _LISTS
# Shipping entries are separated by commas, but a price may use a decimal comma ("4,95 EUR"):
# only split where the next entry starts with a country code.
_SHIPPING_SPLIT = re.compile(r",\s*(?=[A-Za-z]{2}:)")


def attribute_name(header: str) -> str:
    """ "g:Image Link" / "image link" / "image_link" -> "image_link"."""
    name = header.strip().lower()
    if name.startswith("g:"):
        name = name[2:]
    return re.sub(r"[\s\-]+", "_", name)


def sniff_delimiter(first_line: str) -> str:
    return "\t" if "\t" in first_line else ","


def parse_google_tsv(source: FeedSource, builder: RecordBuilder) -> Iterator[Item]:
    head = source.peek_head(4096).decode("utf-8", errors="replace")
    table = Table(source, delimiter=sniff_delimiter(head.partition("\n")[0]))
    names = [attribute_name(h) for h in table.header]
    missing = {"id", "title"} - set(names)
    if missing:
        raise FeedError(
            f"not a Google Merchant text feed: no {', '.join(sorted(missing))} column",
            where="line 1",
        )
    for line, cells in table.rows():
        values: dict[str, Value] = {}  # one text per attribute, a list only when repeated
        extra: list[tuple[str, str]] = []
        for name, cell in zip(names, cells, strict=False):
            text = cell.strip()
            if not text:
                continue
            if name in _SINGLE:
                if name not in values:
                    values[name] = text
                else:
                    add_value(values, name, text)
            elif name == "shipping":
                extra.extend(("shipping", s.strip()) for s in _SHIPPING_SPLIT.split(text))
            elif name in _LISTS:
                if "," in text:
                    parts = [p for p in text.split(",") if p.strip()]
                    old = values.get(name)
                    values[name] = [*([old] if isinstance(old, str) else old or ()), *parts]
                else:
                    add_value(values, name, text)
            elif value := clean_text(text):
                extra.append((name, value))
        yield builder.build(values, where=f"line {line}", extra=extra, note_missing_currency=True)
