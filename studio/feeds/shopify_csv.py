"""Shopify's product CSV (the import/export template): one row per variant, grouped by Handle.

Product-level columns (Title, Body (HTML), Vendor, Type, Tags, Published, Status, option names,
Google Shopping / *) appear only on the first row of a handle and are forward-filled to its
other rows. Rows that hold only ``Image Src`` add images to every variant of their product.
Rows of one handle are contiguous, so the parser buffers one product at a time (at most
:data:`MAX_PRODUCT_ROWS` rows) and memory stays bounded by the largest product.

Decisions:

* offer id = Variant SKU; without one, the handle (one variant) or ``handle-N`` (N-th variant);
* currency: the CSV has none, so the import's default currency applies, else USD;
* Variant Compare At Price above Variant Price means a sale: price = compare-at, sale = price;
* a product that is not on sale to the public (Status draft/archived, or Published FALSE) is
  still imported, as OUT_OF_STOCK with ("status", ...) in extra: UNAVAILABLE is reserved for
  the store's "gone from the feed" marker;
* Variant Inventory Qty <= 0 with Variant Inventory Policy "deny" is OUT_OF_STOCK;
* option values go to size/color/material when the option is named Size/Color/Colour/Material,
  otherwise to extra as ("option:<name>", value).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from studio.core.errors import FeedError
from studio.core.product import Availability
from studio.feeds.guards import FeedSource, Table
from studio.feeds.records import Item, RecordBuilder, Value

MAX_PRODUCT_ROWS = 5000
REQUIRED = ("Handle", "Variant Price")
_PRODUCT_COLUMNS = (
    "Title",
    "Body (HTML)",
    "Vendor",
    "Product Category",
    "Type",
    "Tags",
    "Published",
    "Status",
    "Option1 Name",
    "Option2 Name",
    "Option3 Name",
    "Google Shopping / Google Product Category",
    "Google Shopping / Gender",
    "Google Shopping / Age Group",
    "Google Shopping / MPN",
    "Google Shopping / Condition",
)
_VARIANT_COLUMNS = (
    "Handle",
    "Option1 Value",
    "Option2 Value",
    "Option3 Value",
    "Variant SKU",
    "Variant Inventory Qty",
    "Variant Inventory Policy",
    "Variant Price",
    "Variant Compare At Price",
    "Variant Barcode",
    "Variant Image",
    "Image Src",
    "Image Position",
)
_VARIANT_MARKERS = ("Variant SKU", "Variant Price", "Option1 Value", "Variant Barcode")
_OPTION_FIELDS = {"size": "size", "color": "color", "colour": "color", "material": "material"}

Row = dict[str, str]


def parse_shopify_csv(
    source: FeedSource, builder: RecordBuilder, shop_url: str | None = None
) -> Iterator[Item]:
    table = Table(source)
    table.require(REQUIRED, "Shopify product CSV")
    group: list[tuple[int, Row]] = []
    for line, row in table.records(_PRODUCT_COLUMNS + _VARIANT_COLUMNS):
        if group and row.get("Handle", "") != group[0][1].get("Handle", ""):
            yield from _product(group, builder, shop_url)
            group = []
        group.append((line, row))
        if len(group) > MAX_PRODUCT_ROWS:
            raise FeedError(
                f"one product spans more than {MAX_PRODUCT_ROWS} rows", where=f"line {line}"
            )
    if group:
        yield from _product(group, builder, shop_url)


def _product(
    group: list[tuple[int, Row]], builder: RecordBuilder, shop_url: str | None
) -> Iterator[Item]:
    handle = group[0][1].get("Handle", "")
    product: Row = {}
    for _, row in group:  # forward-fill: the first non-empty value of each product column
        for column in _PRODUCT_COLUMNS:
            if row.get(column) and not product.get(column):
                product[column] = row[column]
    variants = [(line, row) for line, row in group if any(row.get(m) for m in _VARIANT_MARKERS)]
    images: list[tuple[int, str]] = []
    for _, row in group:
        if src := row.get("Image Src"):
            images.append((_int(row.get("Image Position")) or 10**6, src))
    product_images = [src for _, src in sorted(images, key=lambda p: p[0])]
    if not handle:
        for line, _ in variants:
            yield builder.build({}, where=f"line {line}")  # reported as "missing id"
        return
    for number, (line, row) in enumerate(variants, start=1):
        offer_id = row.get("Variant SKU") or (
            handle if len(variants) == 1 else f"{handle}-{number}"
        )
        yield _variant(handle, product, row, offer_id, product_images, builder, shop_url, line)


def _variant(
    handle: str,
    product: Row,
    row: Row,
    offer_id: str,
    product_images: list[str],
    builder: RecordBuilder,
    shop_url: str | None,
    line: int,
) -> Item:
    extra: list[tuple[str, str]] = []
    values: dict[str, Value] = {
        "id": offer_id,
        "item_group_id": handle,
        "description": product.get("Body (HTML)"),
        "brand": product.get("Vendor"),
        "product_type": product.get("Type"),
        "google_product_category": product.get("Google Shopping / Google Product Category"),
        "gender": product.get("Google Shopping / Gender"),
        "age_group": product.get("Google Shopping / Age Group"),
        "mpn": product.get("Google Shopping / MPN"),
        "condition": product.get("Google Shopping / Condition"),
        "gtin": row.get("Variant Barcode"),
    }
    option_values: list[str] = []
    for n in (1, 2, 3):
        value = row.get(f"Option{n} Value")
        if not value:
            continue
        name = product.get(f"Option{n} Name") or f"Option{n}"
        if value != "Default Title":
            option_values.append(value)
        field = _OPTION_FIELDS.get(name.strip().lower())
        if field:
            values[field] = value
        elif value != "Default Title":
            extra.append((f"option:{name}", value))
    title = product.get("Title", "")
    values["title"] = f"{title} – {' / '.join(option_values)}" if title and option_values else title

    images = [row["Variant Image"]] if row.get("Variant Image") else []
    images += product_images
    images = list(dict.fromkeys(images))
    if images:
        values["image_link"], values["additional_image_link"] = images[0], images[1:]

    price, compare_at = row.get("Variant Price", ""), row.get("Variant Compare At Price", "")
    values["price"] = price
    if compare_at and price and _greater(compare_at, price):
        values["price"], values["sale_price"] = compare_at, price

    status = product.get("Status", "active").lower()
    published = product.get("Published", "TRUE").upper() != "FALSE"
    if status in ("draft", "archived") or not published:
        values["availability"] = Availability.OUT_OF_STOCK.value
        extra.append(("status", status if status != "active" else "unpublished"))
    else:
        quantity = _int(row.get("Variant Inventory Qty"))
        deny = row.get("Variant Inventory Policy", "").lower() == "deny"
        out = quantity is not None and quantity <= 0 and deny
        values["availability"] = (Availability.OUT_OF_STOCK if out else Availability.IN_STOCK).value
    if tags := product.get("Tags"):
        extra.append(("tags", tags))
    if category := product.get("Product Category"):
        extra.append(("shopify_category", category))
    if shop_url:
        values["link"] = f"{shop_url.rstrip('/')}/products/{handle}"
    return builder.build(values, where=f"line {line}", extra=extra)


def _int(text: str | None) -> int | None:
    # A plain, short number only: int(Decimal("1e999999999")) would build a billion digits.
    if not text or not re.fullmatch(r"-?\d{1,12}(?:\.\d{0,6})?", text):
        return None
    return int(Decimal(text))


def _greater(a: str, b: str) -> bool:
    try:
        return Decimal(a) > Decimal(b)
    except InvalidOperation:
        return False
