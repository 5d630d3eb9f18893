"""WooCommerce's product CSV export (the built-in exporter's columns), read row by row.

Row types (the ``Type`` cell, which may also say ``downloadable``/``virtual``):

* ``simple`` and ``external`` rows are offers; an external product links to ``External URL``;
* a ``variable`` row is the parent of ``variation`` rows and is not an offer itself: its name,
  descriptions, categories, images, brand and single-valued attributes are inherited by its
  variations, whose ``Parent`` cell names it by SKU or as ``id:123``. A variable product that no
  variation refers to is reported as rejected at the end of the file;
* a ``grouped`` row is imported without a price (it is a collection page).

Parents are remembered (compactly) until the end of the file, because the exporter does not
promise that variations follow their parent; memory grows with the number of variable
products, not with the number of rows.

Decisions: currency = the import's default currency, else USD (the export has none).
Unpublished products (Published 0 = draft, -1 = private) are imported as OUT_OF_STOCK with
("status", "draft"/"private") in extra, like Shopify drafts, so an offer that is hidden for a
while is not deleted from curators' shops. Categories: the first ``A > B`` path.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from studio.core.errors import FeedError
from studio.core.product import Availability, RejectedRow
from studio.feeds.guards import FeedSource, Table
from studio.feeds.records import Item, RecordBuilder, Value

REQUIRED = ("Type", "Regular price")
MAX_PARENTS = 500_000
_INHERITED_DESCRIPTION = 5000  # enough for display; keeps remembered parents small
# Columns read by name (the exporter's spelling; files may differ in case).
_COLUMNS = (
    "ID",
    "Type",
    "SKU",
    "Name",
    "Published",
    "Short description",
    "Description",
    "Date sale price starts",
    "Date sale price ends",
    "In stock?",
    "Stock",
    "Backorders allowed?",
    "Sale price",
    "Regular price",
    "Categories",
    "Tags",
    "Images",
    "Parent",
    "Grouped products",
    "External URL",
    "Brands",
    "GTIN, UPC, EAN, or ISBN",
    *(f"Attribute {n} {part}" for n in range(1, 100) for part in ("name", "value(s)")),
)
_OPTION_FIELDS = {"size": "size", "color": "color", "colour": "color", "material": "material"}
_UNESCAPED_COMMA = re.compile(r"(?<!\\),")
_IMAGE_SPLIT = re.compile(r",\s*(?=https?://)", re.IGNORECASE)
_NUMBER = re.compile(r"-?(?:\d{1,12}(?:\.\d{0,6})?|\.\d{1,6})")


@dataclass(slots=True)
class _Parent:
    line: int
    sku: str
    values: dict[str, str]
    images: list[str]
    attributes: dict[str, str]  # option name -> single value the variations inherit
    published: str
    has_variations: bool = False
    extra: list[tuple[str, str]] = field(default_factory=list)


def parse_woocommerce_csv(
    source: FeedSource, builder: RecordBuilder, shop_url: str | None = None
) -> Iterator[Item]:
    table = Table(source)
    table.require(REQUIRED, "WooCommerce product CSV")
    weight_column = next((h for h in table.header if h.lower().startswith("weight")), None)
    parents: dict[str, _Parent] = {}
    for line, row in table.records(_COLUMNS):
        kinds = {k.strip().lower() for k in row.get("Type", "").split(",")}
        if "variable" in kinds:
            parent = _remember(line, row)
            for key in (parent.sku, f"id:{row.get('ID', '')}"):
                if key and key != "id:":
                    parents[key] = parent
            if len(parents) > 2 * MAX_PARENTS:
                raise FeedError(f"more than {MAX_PARENTS} variable products", where=f"line {line}")
            continue
        parent_ref = row.get("Parent", "")
        found = parents.get(parent_ref) if parent_ref else None
        if found is not None:
            found.has_variations = True
        yield _offer(line, row, kinds, found, parent_ref, weight_column, builder, shop_url)
    reported: set[int] = set()
    for parent in parents.values():
        if not parent.has_variations and parent.line not in reported:
            reported.add(parent.line)
            yield RejectedRow(
                where=f"line {parent.line}",
                offer_id=parent.sku or None,
                reason="variable product without variations",
            )


def _remember(line: int, row: dict[str, str]) -> _Parent:
    description = _description(row)[:_INHERITED_DESCRIPTION]
    values = {
        "title": row.get("Name", ""),
        "description": description,
        "product_type": _first_category(row.get("Categories", "")) or "",
        "brand": _first_category(row.get("Brands", "")) or "",
        "id": row.get("ID", ""),
    }
    attributes = {name: value for name, value in _attributes(row) if "," not in value}
    extra = [("tags", row["Tags"])] if row.get("Tags") else []
    return _Parent(
        line,
        row.get("SKU", ""),
        values,
        _images(row),
        attributes,
        row.get("Published", "1"),
        extra=extra,
    )


def _offer(
    line: int,
    row: dict[str, str],
    kinds: set[str],
    parent: _Parent | None,
    parent_ref: str,
    weight_column: str | None,
    builder: RecordBuilder,
    shop_url: str | None,
) -> Item:
    inherited = parent.values if parent else {}
    extra: list[tuple[str, str]] = list(parent.extra) if parent else []
    sku = row.get("SKU", "")
    values: dict[str, Value] = {
        "id": sku or (f"id:{row['ID']}" if row.get("ID") else None),
        "title": row.get("Name") or inherited.get("title"),
        "description": _description(row) or inherited.get("description"),
        "product_type": _first_category(row.get("Categories", "")) or inherited.get("product_type"),
        "brand": _first_category(row.get("Brands", "")) or inherited.get("brand"),
        "gtin": row.get("GTIN, UPC, EAN, or ISBN"),
    }
    if parent_ref:
        values["item_group_id"] = parent.sku if parent and parent.sku else parent_ref
    images = _images(row) + (parent.images if parent else [])
    images = list(dict.fromkeys(images))
    if images:
        values["image_link"], values["additional_image_link"] = images[0], images[1:]

    attributes = dict(parent.attributes) if parent else {}
    attributes.update(_attributes(row))
    for name, value in attributes.items():
        target = _OPTION_FIELDS.get(name.lower())
        if target:
            values[target] = "/".join(v.strip() for v in value.split(","))
        else:
            extra.append((f"attribute:{name}", value))

    regular, sale = row.get("Regular price", ""), row.get("Sale price", "")
    values["price"] = regular or sale
    if regular and sale:
        values["sale_price"] = sale
        start, end = row.get("Date sale price starts", ""), row.get("Date sale price ends", "")
        if start or end:
            values["sale_price_effective_date"] = f"{start}/{end}"

    values["availability"] = _availability(row).value
    published = row.get("Published", "1")
    if parent and parent.published in ("0", "-1"):
        published = parent.published
    if published in ("0", "-1"):
        values["availability"] = Availability.OUT_OF_STOCK.value
        extra.append(("status", "draft" if published == "0" else "private"))

    if "external" in kinds and row.get("External URL"):
        values["link"] = row["External URL"]
    elif shop_url and row.get("ID"):
        # WordPress resolves ?p=<post id> to the product page (variations to their parent's).
        post = inherited.get("id") if parent else row["ID"]
        values["link"] = f"{shop_url.rstrip('/')}/?p={post}"
    extra.append(("type", ", ".join(sorted(kinds))))
    if row.get("Tags"):
        extra.append(("tags", row["Tags"]))
    if row.get("Grouped products"):
        extra.append(("grouped_products", row["Grouped products"]))
    if weight_column and (weight := _number(row.get(weight_column, ""))):
        unit = weight_column.partition("(")[2].rstrip(")").strip() or "kg"
        extra.append(("shipping_weight", f"{weight} {unit.removesuffix('s')}"))
    return builder.build(
        values, where=f"line {line}", extra=extra, require_price="grouped" not in kinds
    )


def _description(row: dict[str, str]) -> str:
    # The exporter writes line breaks inside descriptions as the two characters "\n".
    text = row.get("Description") or row.get("Short description") or ""
    return text.replace("\\n", "\n")


def _first_category(cell: str) -> str | None:
    """ "Clothing > Tshirts, Music" -> "Clothing > Tshirts" (commas in names are escaped)."""
    for part in _UNESCAPED_COMMA.split(cell):
        path = " > ".join(p.strip() for p in part.replace("\\,", ",").split(">") if p.strip())
        if path:
            return path
    return None


def _images(row: dict[str, str]) -> list[str]:
    return [u.strip() for u in _IMAGE_SPLIT.split(row.get("Images", "")) if u.strip()]


def _attributes(row: dict[str, str]) -> list[tuple[str, str]]:
    pairs = []
    for n in range(1, 100):
        name_key = f"Attribute {n} name"
        if name_key not in row:
            break
        name, value = row.get(name_key, ""), row.get(f"Attribute {n} value(s)", "")
        if name and value:
            pairs.append((name, value))
    return pairs


def _availability(row: dict[str, str]) -> Availability:
    in_stock = row.get("In stock?", "").lower()
    backorders = row.get("Backorders allowed?", "").lower() in ("1", "notify", "yes")
    if in_stock in ("backorder", "onbackorder"):
        return Availability.BACKORDER
    if in_stock in ("0", "no", "outofstock"):
        return Availability.BACKORDER if backorders else Availability.OUT_OF_STOCK
    stock = _number(row.get("Stock", ""))
    if not in_stock and stock is not None and stock <= 0:
        return Availability.BACKORDER if backorders else Availability.OUT_OF_STOCK
    return Availability.IN_STOCK


def _number(text: str) -> Decimal | None:
    if not _NUMBER.fullmatch(text or ""):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None
