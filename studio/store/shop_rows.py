"""Row writers and loaders of ``studio.store.shops``, each inside the caller's transaction.

Also the three shelving rules (``check_room``, ``allowed_product``, ``check_not_held``: a
shop shows each product once), ``slot`` (a drop index as order keys) and ``suggestions``
(in-stock replacements for an item). Every ``put_*`` upserts records through the
registry-driven ``studio.store.records`` (stamped, each with its outbox entry), as
``studio.store.look_rows`` does for looks.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from studio.core.errors import StoreError
from studio.core.looks import ProductRef
from studio.core.ordering import keys_between
from studio.core.rules import check_product
from studio.core.shops import (
    TIER_LIMITS,
    Shop,
    ShopItem,
    ShopSection,
    Suggestion,
    rank_replacements,
    room_left,
)
from studio.protocol.kinds import kind
from studio.store import records
from studio.store.curation_rows import (
    ProductInfo,
    load_affiliations,
    load_profile,
    product_info,
    ruled_product,
    same_category,
)

SHOP, SECTION, ITEM = kind("shop"), kind("shop_section"), kind("shop_item")


def find_shop(conn: sqlite3.Connection, shop_id: str) -> Shop | None:
    record = records.find(conn, SHOP, shop_id)
    return None if record is None else records.load(SHOP, record)


def get_shop(conn: sqlite3.Connection, shop_id: str) -> Shop:
    shop: Shop = records.load(SHOP, records.get(conn, SHOP, shop_id))
    return shop


def shops_where(conn: sqlite3.Connection, where: str, args: Sequence[object] = ()) -> list[Shop]:
    """The shops matching ``where``, by title (case-insensitively)."""
    rows = records.select(conn, SHOP, where, args, order="title COLLATE NOCASE, id")
    return [records.load(SHOP, r) for r in rows]


def get_section(conn: sqlite3.Connection, section_id: str) -> tuple[ShopSection, str | None]:
    """The section (removed or not) and its ``deleted_at``."""
    record = records.get(conn, SECTION, section_id)
    return records.load(SECTION, record), record["deleted_at"]


def get_item(conn: sqlite3.Connection, item_id: str) -> tuple[ShopItem, str | None]:
    """The item (removed or not) and its ``deleted_at``."""
    return get_items(conn, [item_id])[0]


def get_items(
    conn: sqlite3.Connection, item_ids: Sequence[str]
) -> list[tuple[ShopItem, str | None]]:
    """``get_item`` of each id, in their order; StoreError for an unknown one."""
    return [
        (records.load(ITEM, r), r["deleted_at"])
        for r in records.get_many(conn, ITEM, list(item_ids))
    ]


def live_sections(conn: sqlite3.Connection, shop_id: str) -> list[ShopSection]:
    rows = records.select(
        conn, SECTION, "shop_id = ? AND deleted_at IS NULL", [shop_id], order="position, id"
    )
    return [records.load(SECTION, r) for r in rows]


def live_items(conn: sqlite3.Connection, section_id: str) -> list[ShopItem]:
    rows = records.select(
        conn, ITEM, "section_id = ? AND deleted_at IS NULL", [section_id], order="position, id"
    )
    return [records.load(ITEM, r) for r in rows]


def shop_items(conn: sqlite3.Connection, shop_id: str) -> list[ShopItem]:
    """The shop's live items in live sections, by section position, then item position."""
    rows = records.select(
        conn,
        ITEM,
        "s.shop_id = ? AND s.deleted_at IS NULL AND i.deleted_at IS NULL",
        [shop_id],
        alias="i",
        join="JOIN shop_sections s ON s.id = i.section_id",
        order="s.position, s.id, i.position, i.id",
    )
    return [records.load(ITEM, r) for r in rows]


def item_count(conn: sqlite3.Connection, shop_id: str) -> int:
    return int(
        conn.execute(
            "SELECT count(*) FROM shop_items i JOIN shop_sections s ON s.id = i.section_id "
            "WHERE s.shop_id = ? AND s.deleted_at IS NULL AND i.deleted_at IS NULL",
            (shop_id,),
        ).fetchone()[0]
    )


def put_shop(conn: sqlite3.Connection, shop: Shop) -> None:
    """Upsert the shop (stamped as it says); StoreError when its handle is taken."""
    if shop.deleted_at is None:
        other = conn.execute(
            "SELECT title FROM shops WHERE handle = ? AND id != ? AND deleted_at IS NULL",
            (shop.handle, shop.id),
        ).fetchone()
        if other is not None:
            raise StoreError(
                f"the handle {shop.handle!r} is already used by your shop "
                f"{other[0]!r}; choose another one"
            )
    records.put(conn, SHOP, records.record_of(SHOP, shop), now=shop.updated_at)


def put_section(
    conn: sqlite3.Connection, section: ShopSection, now: str, *, deleted_at: str | None = None
) -> None:
    records.put(conn, SECTION, records.record_of(SECTION, section, deleted_at=deleted_at), now=now)


def put_item(
    conn: sqlite3.Connection, item: ShopItem, now: str, *, deleted_at: str | None = None
) -> None:
    put_items(conn, [(item, deleted_at)], now)


def put_items(
    conn: sqlite3.Connection, items: Sequence[tuple[ShopItem, str | None]], now: str
) -> None:
    """Upsert each (item, deleted_at) stamped ``now``, with its outbox entry: one statement
    for the rows and one for the entries (a sort or its undo writes a whole shelf)."""
    records.put_many(
        conn,
        ITEM,
        [records.record_of(ITEM, item, deleted_at=deleted_at) for item, deleted_at in items],
        now=now,
    )


_PARENT = {"shop_items": "section_id", "shop_sections": "shop_id"}


def slot(
    conn: sqlite3.Connection,
    table: str,
    parent_id: str,
    index: int | None,
    n: int,
    exclude: Sequence[str] = (),
) -> list[str]:
    """``n`` order keys that put rows at ``index`` among the live rows of ``table`` under
    ``parent_id`` (``exclude``: the rows being moved; None = at the end).

    The keys are also distinct from every removed row's key: order keys are deterministic, so
    a key made between the same two neighbours as a removed row would equal its key, and the
    two would tie once it is restored (leaving no key between them for a later drop).
    """
    parent = _PARENT[table]
    skip = f" AND id NOT IN ({', '.join('?' * len(exclude))})" if exclude else ""
    live = f"{parent} = ? AND deleted_at IS NULL{skip}"
    count = conn.execute(
        f"SELECT count(*) FROM {table} WHERE {live}", (parent_id, *exclude)
    ).fetchone()[0]
    at = count if index is None else max(0, min(index, count))
    rows = f"{parent} = ?{skip}"  # live and removed
    if at == count:  # at the end: after every key, removed rows' too
        lower = conn.execute(
            f"SELECT max(position) FROM {table} WHERE {rows}", (parent_id, *exclude)
        ).fetchone()[0]
        return keys_between(lower, None, n)
    lower = (
        None
        if at == 0
        else conn.execute(
            f"SELECT position FROM {table} WHERE {live} ORDER BY position, id LIMIT 1 OFFSET ?",
            (parent_id, *exclude, at - 1),
        ).fetchone()[0]
    )
    # The next key of ANY row above ``lower`` (at most the next live row's).
    upper = conn.execute(
        f"SELECT min(position) FROM {table} WHERE {rows}"
        + ("" if lower is None else " AND position > ?"),
        (parent_id, *exclude) + (() if lower is None else (lower,)),
    ).fetchone()[0]
    return keys_between(lower, upper, n)


def check_room(
    conn: sqlite3.Connection, shop_id: str, adding: int, *, already_written: int = 0
) -> None:
    """StoreError naming the limit and the room left when ``adding`` more would not fit
    (``already_written`` of them are live already, inside this transaction)."""
    tier = load_profile(conn).tier.value
    count = item_count(conn, shop_id) - already_written
    left = room_left(tier, count)
    if adding > left:
        raise StoreError(
            f"a {tier} shop holds at most {TIER_LIMITS[tier]} products; this one has "
            f"{count}, so there is room for {left} more, not {adding}"
        )


def allowed_product(conn: sqlite3.Connection, product: ProductRef) -> ProductInfo:
    """The catalog row of a product that may be shelved; StoreError (the reason) otherwise."""
    return ruled_product(conn, product)[0]


def check_not_held(
    conn: sqlite3.Connection,
    shop_id: str,
    infos: Sequence[ProductInfo],
    *,
    leaving: Sequence[str] = (),
) -> None:
    """StoreError naming the product and its shelf when one of ``infos`` is on a live shelf of
    the shop already, or comes twice among them: a shop shows each product (merchant + offer
    id) once. ``leaving``: ids of items whose product is being replaced in this edit (their
    current products do not count). One probe of the (merchant, offer id) index per product,
    so adding to a shop of 10,000 products reads no more than adding to an empty one."""
    seen: set[tuple[str, str]] = set()
    for info in infos:
        key = (info.merchant, info.offer_id)
        if key in seen:
            raise StoreError(f"{info.title} is chosen twice; a shop shows each product once")
        seen.add(key)
        for shelf, item_id in conn.execute(
            "SELECT s.title, i.id FROM shop_items i JOIN shop_sections s ON "
            "s.id = i.section_id WHERE i.merchant = ? AND i.offer_id = ? AND "
            "s.shop_id = ? AND i.deleted_at IS NULL AND s.deleted_at IS NULL",
            (*key, shop_id),
        ):
            if item_id not in leaving:
                raise StoreError(
                    f"{info.title} is already in this shop, on the shelf "
                    f"{shelf!r}; a shop shows each product once"
                )


def bring_back(conn: sqlite3.Connection, shop_id: str, items: Sequence[ShopItem], now: str) -> None:
    """Make these removed items of the shop live again, or raise StoreError (the reason) when
    the shop now holds one of their products on another item (shelved again meanwhile: it
    would show twice) or they would not fit its tier. Not a new shelving, so the conflict
    rule does not apply, as a look's earlier tag comes back from an undo; a product the
    catalog no longer has comes back too (the shop's health says what became of it)."""
    infos = [
        info
        for item in items
        if (info := product_info(conn, item.product.merchant, item.product.offer_id))
    ]
    check_not_held(conn, shop_id, infos)
    check_room(conn, shop_id, len(items))
    for item in items:
        put_item(conn, item, now)


def suggestions(
    conn: sqlite3.Connection, item: ShopItem, shop_id: str, limit: int
) -> list[Suggestion]:
    """In-stock products of the item's category that the rules allow and the shop does not
    hold yet, ranked by ``studio.core.shops.rank_replacements``."""
    ref = item.product
    current = product_info(conn, ref.merchant, ref.offer_id)
    if current is None:
        return []
    held = {
        (r[0], r[1])
        for r in conn.execute(
            "SELECT i.merchant, i.offer_id FROM shop_items i JOIN shop_sections s ON "
            "s.id = i.section_id WHERE s.shop_id = ? AND i.deleted_at IS NULL AND "
            "s.deleted_at IS NULL",
            (shop_id,),
        )
    }
    affiliations = load_affiliations(conn)
    candidates = [
        Suggestion(
            ProductRef(c.product_id, c.merchant, c.offer_id),
            c.title,
            c.brand,
            c.price_minor,
            c.currency,
        )
        for c in same_category(conn, ref.merchant, ref.offer_id)
        if (c.merchant, c.offer_id) not in held
        and check_product(affiliations, c.brand, c.category).allowed
    ]
    return rank_replacements(
        current.title,
        current.brand,
        item.shelved_price_minor,
        item.shelved_currency,
        candidates,
        limit,
    )
