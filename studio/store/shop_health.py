"""Shop health for ``studio.store.shops.ShopStore``: issues, suggestions, fixes, and undo.

Kept apart so each module stays one concern: ``shop_health`` computes a shop's issues from the
catalog and the declared affiliations (``studio.core.shops.health``: a product a tie declared
since forbids, a gone merchant, an unavailable product, a changed price) and, for a whole shop,
from its tier (``studio.store.platform_rules.tier_issues``: a starter's second shop from
before the one-shop rule, a shop holding more than its tier allows; kept, never deleted).
``ShopFixes`` (a base of ShopStore) adds the edits that resolve them: replace a product,
accept a new price, apply suggested replacements one by one or all at once (``fix_health``),
each ONE transaction with its outbox entries, and ``revert_items`` to undo any of them. A
conflicting product is removed with ``ShopStore.remove_items``; a shop-wide tier issue has no
fix here (the platform raises the tier; the curator may trash the shop or remove products).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from studio.core.looks import ProductRef
from studio.core.rules import conflicts
from studio.core.shops import HealthIssue, IssueKind, ShopItem, Suggestion, health
from studio.store import tx
from studio.store.curation_rows import (
    ProductInfo,
    load_affiliations,
    merchants_present,
    product_info,
    product_infos,
)
from studio.store.db import Database
from studio.store.look_rows import replace
from studio.store.platform_rules import tier_issues
from studio.store.shop_rows import (
    allowed_product,
    check_not_held,
    get_item,
    get_section,
    get_shop,
    put_item,
    shop_items,
    suggestions,
)


def shop_health(
    conn: sqlite3.Connection, items: list[ShopItem], shop_id: str | None = None
) -> list[HealthIssue]:
    """The issues of ``items`` against the catalog and the affiliations as they are now, in
    their order; with ``shop_id``, the shop's tier issue first (if any)."""
    issues = [] if shop_id is None else tier_issues(conn, shop_id, len(items))
    if not items:
        return issues
    infos = product_infos(conn, {(i.product.merchant, i.product.offer_id) for i in items})
    forbidden = conflicts(
        load_affiliations(conn), {k: (v.brand, v.category) for k, v in infos.items()}
    )
    return issues + health(
        items, {k: v.facts for k, v in infos.items()}, merchants_present(conn), forbidden
    )


class ShopFixes:
    """The health half of ShopStore (see the module doc)."""

    db: Database

    def health(self, shop_id: str) -> list[HealthIssue]:
        """The shop's health issues, in shop order (see ``studio.core.shops.health``)."""
        with self.db.connect() as conn:
            get_shop(conn, shop_id)
            return shop_health(conn, shop_items(conn, shop_id), shop_id)

    def replace_product(self, item_id: str, product: ProductRef) -> ShopItem:
        """Put another product in the item's place (note, flag and position kept; the price
        at shelving becomes the new product's); the conflict rule applies, and a product the
        shop holds on another item is refused (a shop shows each product once)."""
        with tx.write(self.db) as conn:
            item, deleted_at = get_item(conn, item_id)
            info = allowed_product(conn, product)
            check_not_held(
                conn, get_section(conn, item.section_id)[0].shop_id, [info], leaving=[item_id]
            )
            item = replace(
                item,
                product=ProductRef(info.product_id, info.merchant, info.offer_id),
                shelved_price_minor=info.price_minor,
                shelved_currency=info.currency,
            )
            put_item(conn, item, tx.now_iso(), deleted_at=deleted_at)
        return item

    def accept_prices(self, item_ids: Iterable[str]) -> list[ShopItem]:
        """Take the catalog's current price as the shelved price (clears "price changed")."""
        with tx.write(self.db) as conn:
            now, out = tx.now_iso(), []
            for item_id in item_ids:
                item, deleted_at = get_item(conn, item_id)
                info = product_info(conn, item.product.merchant, item.product.offer_id)
                if info is not None:
                    item = replace(
                        item, shelved_price_minor=info.price_minor, shelved_currency=info.currency
                    )
                    put_item(conn, item, now, deleted_at=deleted_at)
                out.append(item)
        return out

    def suggest_replacements(self, item_id: str, limit: int = 5) -> list[Suggestion]:
        """In-stock products of the same category, similar in title, brand and price, that
        the rules allow and the shop does not hold yet; best first."""
        with self.db.connect() as conn:
            item, _ = get_item(conn, item_id)
            shop_id = get_section(conn, item.section_id)[0].shop_id
            return suggestions(conn, item, shop_id, limit)

    def apply_replacements(self, pairs: Sequence[tuple[str, ProductRef]]) -> list[ShopItem]:
        """Replace several items' products in ONE transaction (all or none: the rules apply,
        and the shop must not end up holding a product twice); returns the items as they were
        (give them to ``revert_items`` to undo)."""
        with tx.write(self.db) as conn:
            now, before = tx.now_iso(), []
            by_shop: dict[str, list[ProductInfo]] = {}
            for item_id, product in pairs:
                item, deleted_at = get_item(conn, item_id)
                before.append(item)
                info = allowed_product(conn, product)
                by_shop.setdefault(get_section(conn, item.section_id)[0].shop_id, []).append(info)
                put_item(
                    conn,
                    replace(
                        item,
                        product=ProductRef(info.product_id, info.merchant, info.offer_id),
                        shelved_price_minor=info.price_minor,
                        shelved_currency=info.currency,
                    ),
                    now,
                    deleted_at=deleted_at,
                )
            # Checked on the shop as the batch leaves it (products may swap between items).
            leaving = [item_id for item_id, _ in pairs]
            for shop_id, infos in by_shop.items():
                check_not_held(conn, shop_id, infos, leaving=leaving)
        return before

    def fix_health(self, shop_id: str) -> tuple[list[ShopItem], list[str]]:
        """Fix every item's issue at once, in ONE transaction: a changed price is accepted, an
        unavailable product, a gone merchant's or a conflicting one is replaced by the best
        suggestion (the rules allow it). Returns the items as they were (for
        ``revert_items``) and the ids left unfixed (nothing to suggest); a shop-wide issue
        is not an item's and is left as it is."""
        with tx.write(self.db) as conn:
            get_shop(conn, shop_id)
            now, before, unfixed = tx.now_iso(), [], []
            taken: set[tuple[str, str]] = set()
            for issue in shop_health(conn, shop_items(conn, shop_id)):
                item, deleted_at = get_item(conn, issue.item_id)
                target = item.product
                if issue.kind is not IssueKind.PRICE_CHANGED:
                    best = next(
                        (
                            c.product
                            for c in suggestions(conn, item, shop_id, 10)
                            if (c.product.merchant, c.product.offer_id) not in taken
                        ),
                        None,
                    )
                    if best is None:
                        unfixed.append(item.id)
                        continue
                    taken.add((best.merchant, best.offer_id))
                    target = best
                info = product_info(conn, target.merchant, target.offer_id)
                assert info is not None  # an item with a price issue or a suggestion
                before.append(item)
                put_item(
                    conn,
                    replace(
                        item,
                        product=ProductRef(info.product_id, info.merchant, info.offer_id),
                        shelved_price_minor=info.price_minor,
                        shelved_currency=info.currency,
                    ),
                    now,
                    deleted_at=deleted_at,
                )
        return before, unfixed

    def revert_items(self, items: Iterable[ShopItem]) -> None:
        """Write these item records back as they are (undo of a replace, a price acceptance,
        a note or flag change, a fix); each keeps its current removed/live state."""
        with tx.write(self.db) as conn:
            now = tx.now_iso()
            for item in items:
                put_item(conn, item, now, deleted_at=get_item(conn, item.id)[1])
