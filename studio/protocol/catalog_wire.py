"""The catalog's wire form: one codec between ``ProductRecord`` and the JSON the platform sends.

The platform server builds each ``Change`` of ``GET /v1/catalog/changes`` with this module and
the studio reads it back with the same module, so the two can never disagree on a field. The
wire form is plain JSON: money is ``{"amount_minor": int, "currency": "EUR"}`` (never a
float), enums are their values, tuples are lists, moments are ISO 8601 strings, commission
rates are decimal strings ("0.08").

Reading is strict about types (a wrong type is a :class:`WireError`, never a half-built
record) and lenient about fields: unknown fields are ignored, so a newer server can add one
without breaking an older studio. Both directions are written out field by field rather than
by reflection: a million products go through them on each side.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from studio.core.errors import StudioError
from studio.core.money import Money
from studio.core.product import Availability, Condition, ProductRecord

# The optional plain-text fields of ProductRecord, in declaration order.
_TEXTS = (
    "item_group_id",
    "link",
    "image_link",
    "brand",
    "gtin",
    "mpn",
    "google_category",
    "product_type",
    "color",
    "size",
    "gender",
    "age_group",
    "material",
)
_MOMENTS = ("sale_start", "sale_end", "availability_date")
_AVAILABILITY = {a.value: a for a in Availability}
_CONDITION = {c.value: c for c in Condition}


class WireError(StudioError, ValueError):
    """A catalog payload that is not what the contract says (wrong type, bad value)."""


@dataclass(frozen=True, slots=True)
class Change:
    """One product's latest state after a cursor: an upsert, or ``available=False`` and no
    product when the merchant no longer lists it."""

    seq: int
    merchant: str
    offer_id: str
    available: bool
    commission_rate: Decimal
    product: ProductRecord | None


@dataclass(frozen=True, slots=True)
class ChangesPage:
    """One page of ``GET /v1/catalog/changes``: ask again after ``cursor`` while ``more``."""

    changes: tuple[Change, ...]
    cursor: int
    more: bool


# --- writing -------------------------------------------------------------------------------


def format_rate(rate: Decimal) -> str:
    """A rate as a plain decimal string ("0.08"), never in exponent form ("8E-2")."""
    return format(rate, "f")


def money_to_wire(money: Money | None) -> dict[str, Any] | None:
    if money is None:
        return None
    return {"amount_minor": money.minor, "currency": money.currency}


def product_to_wire(record: ProductRecord) -> dict[str, Any]:
    """Every field of ``record`` as JSON-ready values (``ProductPayload``)."""
    out: dict[str, Any] = {
        "merchant": record.merchant,
        "offer_id": record.offer_id,
        "title": record.title,
        "description": record.description,
        "additional_images": list(record.additional_images),
        "price": money_to_wire(record.price),
        "sale_price": money_to_wire(record.sale_price),
        "availability": record.availability.value,
        "condition": None if record.condition is None else record.condition.value,
        "extra": [[k, v] for k, v in record.extra],
    }
    for name in _TEXTS:
        out[name] = getattr(record, name)
    for name in _MOMENTS:
        moment: datetime | None = getattr(record, name)
        out[name] = None if moment is None else moment.isoformat()
    return out


def change_to_wire(change: Change) -> dict[str, Any]:
    return {
        "seq": change.seq,
        "merchant": change.merchant,
        "offer_id": change.offer_id,
        "available": change.available,
        "commission_rate": format_rate(change.commission_rate),
        "product": None if change.product is None else product_to_wire(change.product),
    }


def page_to_wire(page: ChangesPage) -> dict[str, Any]:
    return {
        "changes": [change_to_wire(c) for c in page.changes],
        "cursor": page.cursor,
        "more": page.more,
    }


# --- reading -------------------------------------------------------------------------------


def _text(obj: Mapping[str, Any], name: str) -> str:
    value = obj.get(name)
    if type(value) is not str:
        raise WireError(f"{name}: expected a string, got {type(value).__name__}")
    return value


def _optional_text(obj: Mapping[str, Any], name: str) -> str | None:
    value = obj.get(name)
    if value is None or type(value) is str:
        return value
    raise WireError(f"{name}: expected a string or null, got {type(value).__name__}")


def _int(obj: Mapping[str, Any], name: str) -> int:
    value = obj.get(name)
    # bool is an int in Python, not on the wire.
    if type(value) is not int:
        raise WireError(f"{name}: expected an integer, got {type(value).__name__}")
    return value


def _bool(obj: Mapping[str, Any], name: str) -> bool:
    value = obj.get(name)
    if type(value) is not bool:
        raise WireError(f"{name}: expected true or false, got {type(value).__name__}")
    return value


def _mapping(value: Any, name: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise WireError(f"{name}: expected an object, got {type(value).__name__}")
    return value


def parse_rate(text: Any, name: str = "commission_rate") -> Decimal:
    """A decimal string between 0 and 1 inclusive; anything else is a WireError."""
    if type(text) is not str or len(text) > 40:
        raise WireError(f'{name}: expected a decimal string such as "0.08"')
    return _rate(text, name)


@lru_cache(maxsize=1024)  # a page carries a few distinct rates; a Decimal is immutable
def _rate(text: str, name: str) -> Decimal:
    try:
        rate = Decimal(text)
    except InvalidOperation as exc:
        raise WireError(f"{name}: not a decimal: {text!r}") from exc
    if not rate.is_finite() or rate < 0 or rate > 1:
        raise WireError(f"{name}: a rate must lie between 0 and 1, got {text!r}")
    return rate


def money_from_wire(value: Any, name: str) -> Money | None:
    if value is None:
        return None
    obj = _mapping(value, name)
    minor = obj.get("amount_minor")
    if type(minor) is not int or minor < 0:
        raise WireError(f"{name}.amount_minor: expected a non-negative integer")
    currency = obj.get("currency")
    if type(currency) is not str:
        raise WireError(f"{name}.currency: expected an ISO 4217 code")
    try:
        return _money(minor, currency)
    except StudioError as exc:
        raise WireError(f"{name}.currency: {exc}") from exc


# Prices repeat across a catalog and a Money is immutable: a hit skips the currency's check.
_money = lru_cache(maxsize=8192)(Money)


def _moment(obj: Mapping[str, Any], name: str) -> datetime | None:
    value = obj.get(name)
    if value is None:
        return None
    if type(value) is not str:
        raise WireError(f"{name}: expected an ISO 8601 string")
    try:
        return datetime.fromisoformat(value)
    except ValueError as exc:
        raise WireError(f"{name}: not an ISO 8601 moment: {value[:40]!r}") from exc


def _strings(value: Any, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if type(value) is not list or any(type(v) is not str for v in value):
        raise WireError(f"{name}: expected a list of strings")
    return tuple(value)


def _pairs(value: Any, name: str) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if type(value) is not list:
        raise WireError(f"{name}: expected a list of [name, value] pairs")
    out = []
    for pair in value:
        if type(pair) is not list or len(pair) != 2 or any(type(v) is not str for v in pair):
            raise WireError(f"{name}: expected a list of [name, value] pairs")
        out.append((pair[0], pair[1]))
    return tuple(out)


def _enum(value: Any, known: Mapping[str, Any], name: str) -> Any:
    # Only strings are looked up: a list or an object is unhashable, not merely unknown.
    found = known.get(value) if type(value) is str else None
    if found is None:
        raise WireError(f"{name}: unknown value {value!r:.40}")
    return found


_STR = frozenset((str,))
_STR_OR_NONE = frozenset((str, type(None)))


def product_from_wire(value: Any) -> ProductRecord:
    """The ``ProductRecord`` a payload describes; a :class:`WireError` names the bad field.

    A million payloads go through here on a studio's first update, so the common case is
    checked in bulk (the types of all the plain texts at once); a payload that fails a bulk
    check goes through the field-by-field checks, which name the bad field."""
    obj = value if type(value) is dict else _mapping(value, "product")
    get = obj.get
    heads: tuple[Any, ...] = (get("merchant"), get("offer_id"), get("title"))
    if not _STR.issuperset(map(type, heads)):
        heads = (_text(obj, "merchant"), _text(obj, "offer_id"), _text(obj, "title"))
    texts: tuple[Any, ...] = tuple(map(get, _TEXTS))
    if not _STR_OR_NONE.issuperset(map(type, texts)):
        texts = tuple(_optional_text(obj, name) for name in _TEXTS)
    availability = _enum(get("availability", "in_stock"), _AVAILABILITY, "availability")
    condition = get("condition")
    if condition is not None:
        condition = _enum(condition, _CONDITION, "condition")
    description = get("description", "")
    if type(description) is not str:
        raise WireError("description: expected a string")
    images = get("additional_images")
    if images is not None and (type(images) is not list or not _STR.issuperset(map(type, images))):
        images = _strings(images, "additional_images")
    extra = get("extra")
    group, link, image_link, brand, gtin, mpn, google_category, product_type = texts[:8]
    return ProductRecord(
        heads[0],
        heads[1],
        heads[2],
        group,
        description,
        link,
        image_link,
        tuple(images) if images else (),
        money_from_wire(get("price"), "price"),
        money_from_wire(get("sale_price"), "sale_price"),
        _moment(obj, "sale_start"),
        _moment(obj, "sale_end"),
        availability,
        _moment(obj, "availability_date"),
        condition,
        brand,
        gtin,
        mpn,
        google_category,
        product_type,
        texts[8],  # color
        texts[9],  # size
        texts[10],  # gender
        texts[11],  # age_group
        texts[12],  # material
        () if extra is None or extra == [] else _pairs(extra, "extra"),
    )


def change_from_wire(value: Any) -> Change:
    obj = value if type(value) is dict else _mapping(value, "change")
    product_value = obj.get("product")
    product = None if product_value is None else product_from_wire(product_value)
    available = _bool(obj, "available")
    if available and product is None:
        raise WireError("product: an available change must carry its product")
    merchant, offer_id = _text(obj, "merchant"), _text(obj, "offer_id")
    if product is not None and (product.merchant, product.offer_id) != (merchant, offer_id):
        raise WireError("product: its merchant and offer_id differ from the change's")
    return Change(
        seq=_int(obj, "seq"),
        merchant=merchant,
        offer_id=offer_id,
        available=available,
        commission_rate=parse_rate(obj.get("commission_rate")),
        product=product,
    )


def page_from_wire(value: Any) -> ChangesPage:
    """A whole page as the server sent it (after ``json.loads``)."""
    obj = _mapping(value, "page")
    changes = obj.get("changes")
    if type(changes) is not list:
        raise WireError("changes: expected a list")
    return ChangesPage(
        changes=tuple(change_from_wire(c) for c in changes),
        cursor=_int(obj, "cursor"),
        more=_bool(obj, "more"),
    )
