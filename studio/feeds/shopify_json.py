"""Shopify product JSON: Admin REST / storefront ``products.json`` and Product Listings.

Accepted envelopes: ``{"products": [...]}``, ``{"product": {...}}``, a bare array of products,
``{"product_listings": [...]}``, ``{"product_listing": {...}}`` and a bare product object.
Each variant becomes one record: offer id = variant id (else its SKU), item_group_id = the
product id, title = product title + " – " + variant title (unless "Default Title").

Memory: the standard library has no incremental JSON parser (and ijson is not a dependency),
so a JSON feed is loaded whole, but only up to :data:`MAX_JSON_BYTES`; a bigger file is a
clear FeedError asking for a paginated export or another format.

Currency: Shopify prices carry none. The variant's ``presentment_prices`` entry matching its
price, else a ``currency``/``price_currency`` field on the variant or product, else the
import's default currency, else USD.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from studio.core.errors import FeedError
from studio.core.product import Availability, RejectedRow
from studio.feeds.guards import FeedSource
from studio.feeds.records import Item, RecordBuilder, Value

MAX_JSON_BYTES = 256 * 1024**2
_OPTION_FIELDS = {"size": "size", "color": "color", "colour": "color", "material": "material"}


def load_json(source: FeedSource) -> Any:
    data = bytearray()
    while len(data) <= MAX_JSON_BYTES and (more := source.read(MAX_JSON_BYTES + 1 - len(data))):
        data += more
    if len(data) > MAX_JSON_BYTES:
        raise FeedError(
            f"JSON feeds larger than {MAX_JSON_BYTES // 1024**2} MB are refused "
            "(export in pages or as CSV)",
            where=source.path.name,
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FeedError(f"the file is not valid UTF-8 (byte offset {exc.start})") from exc
    if not text.strip():
        raise FeedError("the file is empty", where=source.path.name)
    try:
        # Decimal keeps numeric prices exact; NaN/Infinity stay text so the row is refused.
        return json.loads(text, parse_float=Decimal, parse_constant=str)
    except json.JSONDecodeError as exc:
        raise FeedError(f"malformed JSON: {exc.msg}", where=f"line {exc.lineno}") from exc
    except (RecursionError, ValueError) as exc:
        raise FeedError(f"unreadable JSON: {exc}") from exc


def _products(doc: Any) -> list[Any]:
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        for key in ("products", "product_listings"):
            if isinstance(doc.get(key), list):
                return list(doc[key])
        for key in ("product", "product_listing"):
            if isinstance(doc.get(key), dict):
                return [doc[key]]
        if isinstance(doc.get("variants"), list) and "title" in doc:
            return [doc]  # a bare product (or product listing) object
    raise FeedError("not a Shopify product feed (no products, product or product_listings)")


def parse_shopify_json(
    source: FeedSource, builder: RecordBuilder, shop_url: str | None = None
) -> Iterator[Item]:
    products = _products(load_json(source))
    for index, product in enumerate(products, start=1):
        if not isinstance(product, dict):
            yield RejectedRow(where=f"product #{index}", reason="not a product object")
            continue
        variants = product.get("variants")
        if not isinstance(variants, list) or not variants:
            # A product without variants has nothing to buy; Shopify always creates one.
            pid = _text(product.get("id") or product.get("product_id")) or f"#{index}"
            yield RejectedRow(where=f"product {pid}", reason="product has no variants")
            continue
        for number, variant in enumerate(variants, start=1):
            if isinstance(variant, dict):
                yield _variant(product, variant, builder, shop_url)
            else:
                pid = _text(product.get("id") or product.get("product_id")) or f"#{index}"
                yield RejectedRow(
                    where=f"product {pid} variant #{number}", reason="not a variant object"
                )


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    return str(value)


def _position(obj: Mapping[str, Any]) -> int:
    position = obj.get("position")
    return position if isinstance(position, int) else 0


def _option_names(product: Mapping[str, Any]) -> list[str]:
    options = product.get("options")
    if not isinstance(options, list):
        return []
    ordered = sorted(
        (o for o in options if isinstance(o, dict)),
        key=_position,
    )
    return [_text(o.get("name")) or "" for o in ordered]


def _options(product: Mapping[str, Any], variant: Mapping[str, Any]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    if isinstance(variant.get("option_values"), list):
        for ov in variant["option_values"]:
            if isinstance(ov, dict) and _text(ov.get("value")):
                pairs.append((_text(ov.get("name")) or "", _text(ov["value"]) or ""))
        return pairs
    names = _option_names(product)
    for n in range(3):
        value = _text(variant.get(f"option{n + 1}"))
        if value:
            pairs.append((names[n] if n < len(names) else f"Option{n + 1}", value))
    return pairs


def _images(product: Mapping[str, Any], variant: Mapping[str, Any]) -> list[str]:
    images = [i for i in product.get("images") or [] if isinstance(i, dict) and _text(i.get("src"))]
    images.sort(key=_position)
    srcs = [_text(i["src"]) or "" for i in images]
    first_src: list[str] = []
    featured = variant.get("featured_image")
    if isinstance(featured, dict) and _text(featured.get("src")):
        first_src.append(_text(featured["src"]) or "")
    image_id = variant.get("image_id")
    first_src += [_text(i["src"]) or "" for i in images if image_id and i.get("id") == image_id]
    if not srcs and isinstance(product.get("image"), dict):
        srcs = [_text(product["image"].get("src")) or ""]
    return list(dict.fromkeys(s for s in first_src + srcs if s))


def _currency(product: Mapping[str, Any], variant: Mapping[str, Any]) -> str | None:
    price = _text(variant.get("price"))
    presentment = variant.get("presentment_prices")
    if isinstance(presentment, list):
        entries = [p.get("price") for p in presentment if isinstance(p, dict)]
        money = [e for e in entries if isinstance(e, dict) and _text(e.get("currency_code"))]
        for entry in money:
            if _same_amount(_text(entry.get("amount")), price):
                return _text(entry["currency_code"])
        if money:
            return _text(money[0]["currency_code"])
    for holder in (variant, product):
        for key in ("currency", "price_currency"):
            if code := _text(holder.get(key)):
                return code
    return None


def _same_amount(a: str | None, b: str | None) -> bool:
    try:
        return a is not None and b is not None and Decimal(a) == Decimal(b)
    except InvalidOperation:
        return False


def _availability(product: Mapping[str, Any], variant: Mapping[str, Any]) -> Availability:
    if str(product.get("status", "active")).lower() in ("draft", "archived"):
        return Availability.OUT_OF_STOCK
    if isinstance(variant.get("available"), bool):
        return Availability.IN_STOCK if variant["available"] else Availability.OUT_OF_STOCK
    quantity = variant.get("inventory_quantity")
    tracked = variant.get("inventory_management") == "shopify"
    if (
        tracked
        and variant.get("inventory_policy") == "deny"
        and isinstance(quantity, int)
        and quantity <= 0
    ):
        return Availability.OUT_OF_STOCK
    return Availability.IN_STOCK


def _variant(
    product: Mapping[str, Any],
    variant: Mapping[str, Any],
    builder: RecordBuilder,
    shop_url: str | None,
) -> Item:
    product_id = _text(product.get("id") or product.get("product_id"))
    variant_id = _text(variant.get("id"))
    offer_id = variant_id or _text(variant.get("sku"))
    title = _text(product.get("title")) or ""
    variant_title = (_text(variant.get("title")) or "").strip()
    if title and variant_title and variant_title != "Default Title":
        title = f"{title} – {variant_title}"
    values: dict[str, Value] = {
        "id": offer_id,
        "item_group_id": product_id,
        "title": title,
        "description": _text(product.get("body_html")),
        "brand": _text(product.get("vendor")),
        "product_type": _text(product.get("product_type")),
        "gtin": _text(variant.get("barcode")),
        "availability": _availability(product, variant).value,
    }
    extra: list[tuple[str, str]] = []
    if sku := _text(variant.get("sku")):
        extra.append(("sku", sku))
    if str(product.get("status", "active")).lower() in ("draft", "archived"):
        extra.append(("status", str(product["status"]).lower()))
    images = _images(product, variant)
    if images:
        values["image_link"] = images[0]
        values["additional_image_link"] = images[1:]
    price, compare_at = _text(variant.get("price")), _text(variant.get("compare_at_price"))
    values["price"] = price
    if compare_at and price and _greater(compare_at, price):
        values["price"], values["sale_price"] = compare_at, price
    for name, value in _options(product, variant):
        field = _OPTION_FIELDS.get(name.strip().lower())
        if field and field not in values:
            values[field] = value
        else:
            extra.append((f"option:{name}", value))
    tags = product.get("tags")
    if isinstance(tags, list):
        tags = ", ".join(t for t in (_text(x) for x in tags) if t)
    if tag_text := _text(tags):
        extra.append(("tags", tag_text))
    handle = _text(product.get("handle"))
    if shop_url and handle:
        values["link"] = f"{shop_url.rstrip('/')}/products/{handle}" + (
            f"?variant={variant_id}" if variant_id else ""
        )
    where = f"variant {offer_id}" if offer_id else f"product {product_id} variant"
    return builder.build(values, where=where, extra=extra, currency=_currency(product, variant))


def _greater(a: str, b: str) -> bool:
    try:
        return Decimal(a) > Decimal(b)
    except InvalidOperation:
        return False
