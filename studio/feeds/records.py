"""Turn one parsed offer (Google attribute names -> raw text) into a ProductRecord or a rejection.

Every format maps its own columns onto Google Merchant attribute names (``id``, ``title``,
``price``, ``sale_price_effective_date``, ...) and hands them to :meth:`RecordBuilder.build`,
so the validation rules live in one place:

* rejected: missing id, id longer than 50 characters, missing title, missing price (except
  where a format allows none), a value over 1 MB, a price or sale price that is not exact
  money (NaN, 1e309, negative, garbled), an unknown availability, a bad sale interval;
* kept with a note in ``extra`` ("note", ...): a GTIN that is not a valid GTIN-8/12/13/14
  (bad check digit, spreadsheet-mangled "3.65275E+11") is dropped, never repaired; so is an
  MPN in scientific notation; the deprecated availability "available for order" reads as in
  stock; an unknown condition or an unreadable availability_date is dropped; a Google price
  without a currency gets the default currency (else USD) and a note.

A second offer with an id already seen in the same feed is rejected (the first one wins).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from studio.core.errors import RowError
from studio.core.money import Money, exponent, parse_price
from studio.core.product import (
    Availability,
    Condition,
    ProductRecord,
    RejectedRow,
    normalise_availability,
)
from studio.feeds.guards import MAX_FIELD
from studio.feeds.seen import SeenIds
from studio.feeds.text import (
    SCIENTIFIC,
    clean_text,
    collapse_text,
    html_to_text,
    normalise_gtin,
    parse_datetime,
    parse_interval,
)

MAX_ID = 50
MAX_ADDITIONAL_IMAGES = 10
DEFAULT_CURRENCY = "USD"
# A currency code or symbol somewhere in a price text (parse_price understands both).
_HAS_CURRENCY = re.compile(r"[A-Za-z]{3}|[$€£¥₹₽₩]")

# A value is one text or a list of texts (repeated attributes).
Value = str | Sequence[str] | None
Item = ProductRecord | RejectedRow


def first(value: Value) -> str | None:
    """The first non-empty trimmed text of a value."""
    if value is None:
        return None
    if isinstance(value, str):
        return clean_text(value)
    for v in value:
        text = clean_text(v)
        if text:
            return text
    return None


def add_value(values: dict[str, Value], name: str, text: str) -> None:
    """Record ``text`` for ``name``: a plain str the first time, a list once it repeats.

    Lists only for repeated attributes keep the common case cheap (see _first_texts).
    """
    old = values.get(name)
    if old is None:
        values[name] = text
    elif isinstance(old, str):
        values[name] = [old, text]
    else:
        values[name] = [*old, text]


def every(value: Value) -> list[str]:
    """All non-empty trimmed texts of a value."""
    if value is None:
        return []
    values = [value] if isinstance(value, str) else value
    return [t for v in values if (t := clean_text(v))]


def _too_long(name: str) -> RowError:
    return RowError(f"{name} is longer than {MAX_FIELD // 1024**2} MB")


def _first_texts(values: Mapping[str, Value]) -> dict[str, str]:
    """Each attribute's first non-empty trimmed text, checking every value's size on the way.

    One pass instead of a ``first(values.get(name))`` per field: this is the hot loop of every
    import, so the common value, a clean one-line str, costs a size check and a strip. The
    description is only size-checked: it is read raw (it may be multi-line HTML).
    """
    texts: dict[str, str] = {}
    for name, value in values.items():
        if type(value) is str:
            if len(value) > MAX_FIELD:
                raise _too_long(name)
            if name == "description":
                continue
            # Printable: no controls or line breaks, the ASCII space the only whitespace.
            if value.isprintable() and "  " not in value:
                text: str | None = value.strip()
            else:
                text = collapse_text(value)
        elif value is None:
            continue
        else:
            if sum(map(len, value)) > MAX_FIELD:
                raise _too_long(name)
            text = None if name == "description" else first(value)
        if text:
            texts[name] = text
    return texts


# The price shapes nearly every feed uses, "1299.00 USD" or a bare "1299.00" (Shopify,
# WooCommerce): read with integer arithmetic. Anything else (separators, symbols, more decimals
# than the currency has) takes parse_price.
_PLAIN_PRICE = re.compile(r"([0-9]{1,12})(?:\.([0-9]{1,4}))?(?: ([A-Z]{3}))?")
_CODE = re.compile(r"[A-Z]{3}")


def parse_feed_price(text: str, default_currency: str | None) -> Money:
    """``parse_price`` with a fast path for the plain ``digits[.digits][ CODE]`` shapes."""
    match = _PLAIN_PRICE.fullmatch(text)
    if match is not None:
        units, fraction, code = match.groups("")
        if not code and default_currency:
            code = default_currency.strip().upper()
        digits = exponent(code)
        if len(fraction) <= digits and _CODE.fullmatch(code):  # exact: nothing to round
            return Money(int(units + fraction.ljust(digits, "0")), code)
    return parse_price(text, default_currency)


def _money(name: str, text: str | None, currency: str | None) -> Money | None:
    if text is None:
        return None
    try:
        return parse_feed_price(text, currency)
    except RowError as exc:
        raise RowError(f"{name}: {exc.reason}") from exc


class RecordBuilder:
    """Builds the records of one feed: shared settings, and the ids seen so far.

    The ids must be remembered to the end, because a duplicate may appear at any distance:
    ``seen`` keeps them on disk for a large feed (``studio.feeds.seen``).
    """

    def __init__(
        self, merchant: str, default_currency: str | None = None, seen: SeenIds | None = None
    ) -> None:
        self.merchant = merchant
        self.default_currency = default_currency
        self._seen = seen if seen is not None else SeenIds()

    def build(
        self,
        values: Mapping[str, Value],
        *,
        where: str,
        extra: Iterable[tuple[str, str]] = (),
        currency: str | None = None,
        require_price: bool = True,
        note_missing_currency: bool = False,
    ) -> Item:
        """Validate and normalise one offer; a RowError anywhere becomes a RejectedRow.

        ``currency`` (a currency the feed itself states) wins over the default currency.
        """
        extra = list(extra)
        currency = currency or self.default_currency
        try:
            texts = _first_texts(values)
            price_text = texts.get("price")
            if note_missing_currency and price_text and not _has_currency(price_text):
                assumed = currency or DEFAULT_CURRENCY
                extra.append(("note", f"price {price_text!r} has no currency; {assumed} assumed"))
            record = _build(self.merchant, values, texts, currency, extra, require_price)
        except RowError as exc:
            offer_id = first(values.get("id"))
            shown = offer_id if offer_id is None or len(offer_id) <= 80 else offer_id[:80] + "…"
            return RejectedRow(where=where, reason=exc.reason, offer_id=shown)
        offer_id = record.offer_id
        if not self._seen.add(offer_id):
            return RejectedRow(
                where=where,
                reason="duplicate id (an earlier offer in this feed has it)",
                offer_id=offer_id,
            )
        return record


def _has_currency(price_text: str) -> bool:
    tail = price_text[-3:]
    # "12.00 USD": three ASCII letters at the end settle it without a regex search.
    if len(tail) == 3 and tail.isascii() and tail.isalpha():
        return True
    return _HAS_CURRENCY.search(price_text) is not None


def _build(
    merchant: str,
    values: Mapping[str, Value],
    texts: dict[str, str],
    default_currency: str | None,
    extra: list[tuple[str, str]],
    require_price: bool,
) -> ProductRecord:
    for name, value in extra:
        if len(value) > MAX_FIELD:
            raise _too_long(name)
    get = texts.get
    offer_id = get("id")
    if not offer_id:
        raise RowError("missing id")
    if len(offer_id) > MAX_ID:
        raise RowError(f"id longer than {MAX_ID} characters")
    title = get("title")
    if not title:
        raise RowError("missing title")

    currency = default_currency or DEFAULT_CURRENCY
    price = _money("price", get("price"), currency)
    if price is None and require_price:
        raise RowError("missing price")
    sale_price = _money("sale_price", get("sale_price"), currency)
    sale_start = sale_end = None
    interval = get("sale_price_effective_date")
    if interval and sale_price is not None:
        sale_start, sale_end = parse_interval(interval)

    availability = Availability.IN_STOCK
    raw_availability = get("availability")
    if raw_availability:
        found = _availability(raw_availability)
        if found is None:
            raise RowError(f"unknown availability {raw_availability[:40]!r}")
        availability = found
        if raw_availability.lower() == "available for order":
            extra.append(("note", "deprecated availability 'available for order' read as in_stock"))
    availability_date = None
    if date_text := get("availability_date"):
        try:
            availability_date = parse_datetime(date_text)
        except RowError as exc:
            extra.append(("note", f"availability_date dropped: {exc.reason}"))

    condition = None
    if condition_text := get("condition"):
        condition = _condition(condition_text)
        if condition is None:
            extra.append(("note", f"unknown condition {condition_text[:40]!r} dropped"))

    gtin = None
    if gtin_text := get("gtin"):
        gtin, gtin_note = normalise_gtin(gtin_text)
        if gtin_note:
            extra.append(("note", gtin_note))

    mpn = get("mpn")
    if mpn and ("e" in mpn or "E" in mpn) and SCIENTIFIC.fullmatch(mpn):
        extra.append(("note", f"mpn {mpn!r} dropped: mangled into scientific notation"))
        mpn = None
    raw = values.get("description")
    if isinstance(raw, str):  # the size pass bounded it already
        description = html_to_text(raw)
    else:
        description = html_to_text("\n".join(raw or ())[:MAX_FIELD])

    image_link = get("image_link")
    images = values.get("additional_image_link")
    if images is None:
        additional: tuple[str, ...] = ()
    elif type(images) is str:
        only = get("additional_image_link")
        additional = (only,) if only and only != image_link else ()
    else:
        unique = dict.fromkeys(u for u in every(images) if u != image_link)
        additional = tuple(unique)[:MAX_ADDITIONAL_IMAGES]

    # Positional: this runs once per offer and keywords cost a third more; the order is
    # ProductRecord's field order, which test_fast_paths pins.
    return ProductRecord(
        merchant,
        offer_id,
        title,
        get("item_group_id"),
        description,
        get("link"),
        image_link,
        additional,
        price,
        sale_price,
        sale_start,
        sale_end,
        availability,
        availability_date,
        condition,
        get("brand"),
        gtin,
        mpn,
        get("google_product_category"),
        get("product_type"),
        get("color"),
        get("size"),
        get("gender"),
        get("age_group"),
        get("material"),
        tuple([kv for kv in extra if kv[1]]) if extra else (),
    )


# Feeds spell availability and condition a handful of ways: remember each spelling's meaning
# (bounded in count and length, in case a hostile feed invents a new spelling per item).
_MEMO_LIMIT = 1024
_MEMO_TEXT = 64
_AVAILABILITIES: dict[str, Availability | None] = {}
_CONDITIONS: dict[str, Condition | None] = {}


def _availability(text: str) -> Availability | None:
    try:
        return _AVAILABILITIES[text]
    except KeyError:
        pass
    found = normalise_availability(text)
    # UNAVAILABLE is the store's own marker for offers gone from a re-import, never a feed value.
    if found is Availability.UNAVAILABLE:
        found = None
    if len(_AVAILABILITIES) < _MEMO_LIMIT and len(text) <= _MEMO_TEXT:
        _AVAILABILITIES[text] = found
    return found


def _condition(text: str) -> Condition | None:
    try:
        return _CONDITIONS[text]
    except KeyError:
        pass
    try:
        found: Condition | None = Condition(text.lower())
    except ValueError:
        found = None
    if len(_CONDITIONS) < _MEMO_LIMIT and len(text) <= _MEMO_TEXT:
        _CONDITIONS[text] = found
    return found
