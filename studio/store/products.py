"""Reading products for display: grid cards in bulk and the detail pane of one product.

``cards()`` serves the lazy grid: it gets a slice of the ids ``search()`` returned and answers
in the same order with one query per 500 ids. A sale price is shown only while its effective
dates hold (the stored sale may be scheduled or over). ``detail()`` gathers everything the detail
pane shows: all images, the variants (other offers of the same merchant sharing the
``item_group_id``), the price history, and the attributes as (label, value) pairs whose labels
are plain English words the UI translates.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime

from studio.core.catalog import PricePoint, ProductCard, ProductDetail, VariantChoice, size_key
from studio.core.errors import MoneyError
from studio.core.money import Money
from studio.store.codes import availability_from_code, from_ppm

CHUNK = 500  # ids per statement: well under SQLite's bound-parameter limit

_CARD_COLUMNS = (
    "p.id, p.title, b.name, m.name, p.currency, p.price_minor, p.sale_minor, p.sale_start, "
    "p.sale_end, p.availability, p.image_link"
)
# Read after the card's (and the detail's) own columns, so their positions stay as they are.
_COMMISSION = "p.commission_ppm"
_CARD_FROM = (
    "FROM products AS p JOIN merchants AS m ON m.id = p.merchant_id "
    "LEFT JOIN brands AS b ON b.id = p.brand_id"
)
# The item group of each asked product: one row per member, through ix_products_group.
_GROUP_SQL = (
    "SELECT p.id, g.id, g.color, g.size, g.availability FROM products AS p "
    "JOIN products AS g ON g.merchant_id = p.merchant_id AND g.item_group_id = p.item_group_id "
    "WHERE p.item_group_id IS NOT NULL AND p.id IN ({marks}) ORDER BY p.id, g.id"
)
_DETAIL_SQL = (
    f"SELECT {_CARD_COLUMNS}, p.offer_id, p.description, p.link, p.images, p.condition, "
    "p.gtin, p.mpn, c.path, p.item_group_id, p.merchant_id, p.color, p.size, p.gender, "
    f"p.age_group, p.material, p.extra, {_COMMISSION} {_CARD_FROM} "
    "LEFT JOIN categories AS c ON c.id = p.category_id WHERE p.id = ?"
)
# Detail attributes in display order: (label, index in the detail row).
_ATTRIBUTES = (
    ("Colour", 21),
    ("Size", 22),
    ("Gender", 23),
    ("Age group", 24),
    ("Material", 25),
    ("Condition", 15),
    ("GTIN", 16),
    ("MPN", 17),
)


def _money(minor: int | None, currency: str | None) -> Money | None:
    if minor is None or not currency:
        return None
    try:
        return Money(int(minor), currency)
    except MoneyError:
        return None  # a code the store should never hold; show no price rather than fail


def _when(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def sale_in_effect(start: str | None, end: str | None, now: datetime) -> bool:
    """The rule of ``ProductRecord.sale_in_effect`` on stored ISO 8601 dates."""
    begins, ends = _when(start), _when(end)
    if begins is not None and now < begins:
        return False
    return not (ends is not None and now > ends)


def _card(row: Sequence[object], now: datetime, ppm: object = None) -> ProductCard:
    pid, title, brand, merchant, currency, price, sale, start, end, code, image = row[:11]
    cur = currency if isinstance(currency, str) else None
    sale_price = None
    if sale is not None and sale_in_effect(start, end, now):  # type: ignore[arg-type]
        sale_price = _money(sale, cur)  # type: ignore[arg-type]
    return ProductCard(
        id=int(pid),  # type: ignore[call-overload]
        title=str(title),
        brand=brand if isinstance(brand, str) else None,
        merchant=str(merchant),
        price=_money(price, cur),  # type: ignore[arg-type]
        sale_price=sale_price,
        availability=availability_from_code(int(code)),  # type: ignore[call-overload]
        image_link=image if isinstance(image, str) else None,
        commission_rate=from_ppm(ppm) if isinstance(ppm, int) else None,
    )


def cards(
    conn: sqlite3.Connection, ids: Sequence[int], *, now: datetime | None = None
) -> list[ProductCard]:
    """Cards for ``ids`` in the same order; ids that do not exist are skipped."""
    now = now or datetime.now(UTC)
    wanted = [int(i) for i in ids]
    found: dict[int, ProductCard] = {}
    for lo in range(0, len(wanted), CHUNK):
        chunk = wanted[lo : lo + CHUNK]
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT {_CARD_COLUMNS}, {_COMMISSION} {_CARD_FROM} WHERE p.id IN ({marks})"
        for row in conn.execute(sql, chunk):
            found[int(row[0])] = _card(row, now, row[11])
        _add_variants(conn, chunk, found)
    return [found[i] for i in wanted if i in found]


def _members(
    conn: sqlite3.Connection, ids: Sequence[int]
) -> dict[int, list[tuple[int, str | None, str | None, int]]]:
    """The members (id, colour, size, availability code) of each asked product's item group."""
    out: dict[int, list[tuple[int, str | None, str | None, int]]] = {}
    for pid, gid, colour, size, code in conn.execute(
        _GROUP_SQL.format(marks=",".join("?" * len(ids))), list(ids)
    ):
        out.setdefault(int(pid), []).append((int(gid), colour, size, int(code)))
    return out


def _add_variants(
    conn: sqlite3.Connection, ids: Sequence[int], found: dict[int, ProductCard]
) -> None:
    """Give each card of a group of two or more its variant count, colours and sizes."""
    for pid, members in _members(conn, ids).items():
        if len(members) < 2 or pid not in found:
            continue
        colours = tuple(dict.fromkeys(c.strip() for _, c, _, _ in members if c and c.strip()))
        sizes = sorted({z.strip() for _, _, z, _ in members if z and z.strip()}, key=size_key)
        found[pid] = dataclasses.replace(
            found[pid], variants=len(members), colours=colours, sizes=tuple(sizes)
        )


def detail(
    conn: sqlite3.Connection, product_id: int, *, now: datetime | None = None
) -> ProductDetail | None:
    """Everything the detail pane shows about ``product_id``, or None if there is no such id."""
    now = now or datetime.now(UTC)
    row = conn.execute(_DETAIL_SQL, (int(product_id),)).fetchone()
    if row is None:
        return None
    card = _card(row, now, row[27])
    images = [card.image_link] if card.image_link else []
    images += [u for u in _json_list(row[14]) if isinstance(u, str) and u not in images]
    variants: tuple[ProductCard, ...] = ()
    choices: tuple[VariantChoice, ...] = ()
    group, merchant_id = row[19], row[20]
    if group:
        sibling_ids = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM products WHERE merchant_id = ? AND item_group_id = ? AND id != ? "
                "ORDER BY id",
                (merchant_id, group, card.id),
            )
        ]
        variants = tuple(cards(conn, sibling_ids, now=now))
        members = _members(conn, [card.id]).get(card.id, [])
        choices = tuple(
            VariantChoice(gid, colour or None, size or None, availability_from_code(code))
            for gid, colour, size, code in members
        )
    history = tuple(
        PricePoint(seen_at, _money(price, currency), _money(sale, currency))
        for seen_at, currency, price, sale in conn.execute(
            "SELECT seen_at, currency, price_minor, sale_minor FROM price_history "
            "WHERE product_id = ? ORDER BY seen_at, id",
            (card.id,),
        )
    )
    attributes = [(label, str(row[i])) for label, i in _ATTRIBUTES if row[i]]
    for key, value in _json_dict(row[26]).items():  # feed extras; a repeated key is a list
        text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        if key and text:
            attributes.append((str(key), text))
    return ProductDetail(
        card=card,
        offer_id=str(row[11]),
        description=str(row[12] or ""),
        link=row[13],
        images=tuple(images),
        condition=row[15],
        gtin=row[16],
        mpn=row[17],
        category=row[18],
        attributes=tuple(attributes),
        variants=variants,
        price_history=history,
        choices=choices if len(choices) > 1 else (),
    )


def _loads(text: str | None) -> object:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None  # unreadable JSON: shown as nothing rather than failing the pane


def _json_list(text: str | None) -> list[object]:
    value = _loads(text)
    return value if isinstance(value, list) else []


def _json_dict(text: str | None) -> dict[str, object]:
    value = _loads(text)
    return value if isinstance(value, dict) else {}
