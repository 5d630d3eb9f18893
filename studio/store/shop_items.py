"""The shelved products of ``ShopStore``: shelving, notes and flags, moves, sorts, removals.

A base of ``studio.store.shops.ShopStore`` (which says the rules every write follows: one
transaction each with its outbox entries; shelving checked against the catalog, the conflict
rule, the tier and the shop's one copy of each product). Placement is by index, as a drop
gives it: ``index`` counts the live rows of the target shelf WITHOUT the rows being moved
(None = at the end); calls that reorder return the previous placements (``Placement``), and
``place_items`` puts them back exactly (undo).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

from studio.core.errors import StoreError
from studio.core.looks import ProductRef, new_id
from studio.core.ordering import keys_after
from studio.core.shops import ShopItem
from studio.store import tx
from studio.store.curation_rows import ProductInfo, product_infos
from studio.store.db import Database
from studio.store.look_rows import replace
from studio.store.platform_rules import check_shelving
from studio.store.shop_rows import (
    allowed_product,
    bring_back,
    check_not_held,
    get_item,
    get_items,
    get_section,
    live_items,
    put_item,
    put_items,
    slot,
)
from studio.store.values import text

Placement = tuple[str, str, str]  # (item id, section id, position)


class ShelvedItems:
    """Edits of the shelved products (a base of ShopStore, over its ``db``)."""

    db: Database

    def add_item(
        self,
        section_id: str,
        product: ProductRef,
        *,
        index: int | None = None,
        note: str = "",
        featured: bool = False,
        item_id: str | None = None,
    ) -> ShopItem:
        """Shelve one product (see ``add_items``)."""
        return self.add_items(
            section_id,
            [product],
            index=index,
            note=note,
            featured=featured,
            item_ids=None if item_id is None else [item_id],
        )[0]

    def add_items(
        self,
        section_id: str,
        products: Sequence[ProductRef],
        *,
        index: int | None = None,
        note: str = "",
        featured: bool = False,
        item_ids: Sequence[str] | None = None,
    ) -> list[ShopItem]:
        """Shelve products (in this order, each with ``note``/``featured``) at ``index`` of
        the section in ONE transaction: all or none. StoreError (nothing written) when a
        product is not in the catalog, is refused by the conflict rule (the message is the
        rule's reason), is in the shop already (or twice in ``products``), or would pass the
        tier limit. Undo is ``remove_items``; redo is ``restore_items`` (same ids, places)."""
        if item_ids is not None and len(item_ids) != len(products):
            raise ValueError("item_ids must match products one to one")
        note = text(note, "note")
        with tx.write(self.db) as conn:
            section, deleted_at = get_section(conn, section_id)
            if deleted_at is not None:
                raise StoreError("this shelf was removed; restore it before adding to it")
            check_shelving(conn, section.shop_id, len(products))
            infos = [allowed_product(conn, p) for p in products]
            ids = list(item_ids) if item_ids is not None else [new_id() for _ in products]
            check_not_held(conn, section.shop_id, infos, leaving=ids)
            keys = slot(conn, "shop_items", section_id, index, len(products), ids)
            now = tx.now_iso()
            items = [
                ShopItem(
                    item_id,
                    section_id,
                    ProductRef(info.product_id, info.merchant, info.offer_id),
                    key,
                    note,
                    bool(featured),
                    info.price_minor,
                    info.currency,
                )
                for item_id, info, key in zip(ids, infos, keys, strict=True)
            ]
            for item in items:
                put_item(conn, item, now)
        return items

    def update_item(
        self, item_id: str, *, note: str | None = None, featured: bool | None = None
    ) -> ShopItem:
        """Set the curator's note and/or the featured flag."""
        with tx.write(self.db) as conn:
            item, deleted_at = get_item(conn, item_id)
            if note is not None:
                item = replace(item, note=text(note, "note"))
            if featured is not None:
                item = replace(item, featured=bool(featured))
            put_item(conn, item, tx.now_iso(), deleted_at=deleted_at)
        return item

    def move_items(
        self, item_ids: Sequence[str], section_id: str, index: int | None = None
    ) -> list[Placement]:
        """Move the items (in the given order) to ``index`` of the section, which may be
        another shelf of the same shop; returns their previous placements (for undo)."""
        with tx.write(self.db) as conn:
            target, deleted_at = get_section(conn, section_id)
            if deleted_at is not None:
                raise StoreError("this shelf was removed; restore it before moving to it")
            moving = get_items(conn, list(item_ids))
            for item, _ in moving:
                if get_section(conn, item.section_id)[0].shop_id != target.shop_id:
                    raise StoreError("items move between shelves of the same shop only")
            keys = slot(conn, "shop_items", section_id, index, len(moving), item_ids)
            put_items(
                conn,
                [
                    (replace(item, section_id=section_id, position=key), removed)
                    for (item, removed), key in zip(moving, keys, strict=True)
                ],
                tx.now_iso(),
            )
        return [(i.id, i.section_id, i.position) for i, _ in moving]

    def place_items(self, placements: Iterable[Placement]) -> None:
        """Put items at exact (section, position) places: the undo of a move or a sort."""
        places = list(placements)
        with tx.write(self.db) as conn:
            stored = get_items(conn, [item_id for item_id, _, _ in places])
            put_items(
                conn,
                [
                    (replace(item, section_id=section_id, position=position), deleted)
                    for (item, deleted), (_, section_id, position) in zip(
                        stored, places, strict=True
                    )
                ],
                tx.now_iso(),
            )

    def sort_section(
        self, section_id: str, by: Literal["price", "name"], *, descending: bool = False
    ) -> list[Placement]:
        """Reorder the shelf by the catalog's current price (products without one last) or
        title (case-insensitive), in one transaction; returns the previous placements."""
        if by not in ("price", "name"):
            raise ValueError(f"sort by 'price' or 'name', not {by!r}")
        with tx.write(self.db) as conn:
            get_section(conn, section_id)
            items = live_items(conn, section_id)
            infos = product_infos(conn, {(i.product.merchant, i.product.offer_id) for i in items})

            def info(item: ShopItem) -> ProductInfo | None:
                return infos.get((item.product.merchant, item.product.offer_id))

            def value(item: ShopItem) -> object:
                found = info(item)
                if found is None:
                    return None
                return found.price_minor if by == "price" else found.title.casefold()

            # Products without a price (or no longer in the catalog) go last either way.
            known = [i for i in items if value(i) is not None]
            ordered = sorted(known, key=lambda i: value(i), reverse=descending)  # type: ignore
            ordered += [i for i in items if value(i) is None]
            # After every removed row's key, so a restored row never ties with a sorted one.
            last = conn.execute(
                "SELECT max(position) FROM shop_items WHERE section_id = ?", (section_id,)
            ).fetchone()[0]
            put_items(
                conn,
                [
                    (replace(item, position=position), None)
                    for item, position in zip(ordered, keys_after(last, len(ordered)), strict=True)
                ],
                tx.now_iso(),
            )
        return [(i.id, i.section_id, i.position) for i in items]

    def remove_items(self, item_ids: Iterable[str]) -> None:
        """Tombstone the items (one stamp)."""
        with tx.write(self.db) as conn:
            now = tx.now_iso()
            put_items(conn, [(item, now) for item, _ in get_items(conn, list(item_ids))], now)

    def restore_items(self, item_ids: Sequence[str]) -> None:
        """Bring removed items back (all or none; ``bring_back`` says what is checked)."""
        with tx.write(self.db) as conn:
            now, by_shop = tx.now_iso(), dict[str, list[ShopItem]]()
            for item_id in item_ids:
                item, deleted_at = get_item(conn, item_id)
                if deleted_at is None:
                    put_item(conn, item, now)
                else:
                    shop_id = get_section(conn, item.section_id)[0].shop_id
                    by_shop.setdefault(shop_id, []).append(item)
            for shop_id, back in by_shop.items():
                check_shelving(conn, shop_id, len(back))
                bring_back(conn, shop_id, back, now)
