"""Reads shared by the shop and review stores: catalog facts of a product and the profile.

Each takes the caller's connection (inside its transaction when writing), so a rule is checked
against exactly what the edit commits with. Catalog facts come from ``products`` (joined to
merchants, brands, categories): brand and category for the conflict rule, availability and
the current price for shop health, the link and the picture for the shop's page.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from studio.core.errors import StoreError
from studio.core.looks import ProductRef
from studio.core.profile import Affiliation, Profile, Relationship, Tier
from studio.core.rules import Verdict, check_product
from studio.core.shops import CatalogFacts
from studio.store.codes import AVAILABILITY_CODES

# Out of stock or withdrawn (the importer's mark for offers gone from a full feed).
_UNAVAILABLE = (AVAILABILITY_CODES.index("out_of_stock"), AVAILABILITY_CODES.index("unavailable"))
PROFILE_ID = "me"


@dataclass(frozen=True, slots=True)
class ProductInfo:
    """One catalog row as the shop and review rules need it."""

    product_id: int
    merchant: str
    offer_id: str
    title: str
    brand: str | None
    category: str | None
    available: bool
    price_minor: int | None
    currency: str | None
    link: str | None = None
    image_link: str | None = None  # the feed's main picture (a URL or a local path)

    @property
    def facts(self) -> CatalogFacts:
        return CatalogFacts(True, self.available, self.price_minor, self.currency)


_PRODUCT_SQL = """
    SELECT p.id, m.name, p.offer_id, p.title, b.name, c.path, p.availability, p.price_minor,
           p.sale_minor, p.sale_start, p.sale_end, p.currency, p.link, p.image_link
    FROM products p JOIN merchants m ON m.id = p.merchant_id
    LEFT JOIN brands b ON b.id = p.brand_id LEFT JOIN categories c ON c.id = p.category_id"""


def _info(row: tuple[object, ...], now: str) -> ProductInfo:
    (
        pid,
        merchant,
        offer,
        title,
        brand,
        category,
        avail,
        price,
        sale,
        start,
        end,
        cur,
        link,
        image,
    ) = row
    # The price a buyer pays now: the sale price inside its dates, else the regular one.
    in_sale = (
        sale is not None
        and (start is None or str(start) <= now)
        and (end is None or now <= str(end))
    )
    return ProductInfo(
        int(pid),  # type: ignore[call-overload]
        str(merchant),
        str(offer),
        str(title),
        brand if isinstance(brand, str) else None,
        category if isinstance(category, str) else None,
        avail not in _UNAVAILABLE,
        sale if in_sale else price,  # type: ignore[arg-type]
        cur if isinstance(cur, str) else None,
        link if isinstance(link, str) else None,
        image if isinstance(image, str) else None,
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def product_info(conn: sqlite3.Connection, merchant: str, offer_id: str) -> ProductInfo | None:
    """The catalog row of (merchant, offer id), or None when it is not in the catalog."""
    row = conn.execute(
        _PRODUCT_SQL + " WHERE m.name = ? AND p.offer_id = ?", (merchant, offer_id)
    ).fetchone()
    return None if row is None else _info(row, _now())


def product_infos(
    conn: sqlite3.Connection, keys: set[tuple[str, str]]
) -> dict[tuple[str, str], ProductInfo]:
    """Catalog rows for many (merchant, offer id) pairs: per merchant, offer ids in chunks,
    so every lookup is a probe of the unique (merchant_id, offer_id) index."""
    found: dict[tuple[str, str], ProductInfo] = {}
    by_merchant: dict[str, list[str]] = {}
    for merchant, offer in keys:
        by_merchant.setdefault(merchant, []).append(offer)
    now = _now()
    for merchant, offers in by_merchant.items():
        row = conn.execute("SELECT id FROM merchants WHERE name = ?", (merchant,)).fetchone()
        if row is None:
            continue
        for start in range(0, len(offers), 500):
            chunk = offers[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            for found_row in conn.execute(
                f"{_PRODUCT_SQL} WHERE p.merchant_id = ? AND p.offer_id IN ({marks})",
                (row[0], *chunk),
            ):
                info = _info(found_row, now)
                found[(info.merchant, info.offer_id)] = info
    return found


def same_category(
    conn: sqlite3.Connection, merchant: str, offer_id: str, limit: int = 2000
) -> list[ProductInfo]:
    """Available products in the category of (merchant, offer id), closest price first (at
    most ``limit``: the candidates a replacement is ranked from); [] without a category."""
    row = conn.execute(
        "SELECT p.category_id, p.price_minor FROM products p JOIN merchants m "
        "ON m.id = p.merchant_id WHERE m.name = ? AND p.offer_id = ?",
        (merchant, offer_id),
    ).fetchone()
    if row is None or row[0] is None:
        return []
    now = _now()
    rows = conn.execute(
        f"{_PRODUCT_SQL} WHERE p.category_id = ? AND p.availability NOT IN (?, ?) "
        "AND NOT (m.name = ? AND p.offer_id = ?) "
        "ORDER BY abs(coalesce(p.price_minor, 0) - ?), p.id LIMIT ?",
        (row[0], *_UNAVAILABLE, merchant, offer_id, row[1] or 0, limit),
    ).fetchall()
    return [_info(r, now) for r in rows]


def merchants_present(conn: sqlite3.Connection) -> set[str]:
    """Merchants with a catalog in the store: at least one offer not withdrawn."""
    rows = conn.execute(
        "SELECT m.name FROM merchants m WHERE EXISTS (SELECT 1 FROM products p WHERE "
        "p.merchant_id = m.id AND p.availability != ?)",
        (AVAILABILITY_CODES.index("unavailable"),),
    ).fetchall()
    return {r[0] for r in rows}


def load_profile(conn: sqlite3.Connection) -> Profile:
    row = conn.execute(
        "SELECT display_name, bio, avatar_hash, tier, updated_at FROM profile WHERE id = ?",
        (PROFILE_ID,),
    ).fetchone()
    return Profile() if row is None else Profile(row[0], row[1], row[2], Tier(row[3]), row[4])


def load_affiliations(conn: sqlite3.Connection) -> list[Affiliation]:
    """The live affiliations, oldest first."""
    rows = conn.execute(
        "SELECT brand, category, relationship, id FROM affiliations WHERE "
        "deleted_at IS NULL ORDER BY created_at, id"
    ).fetchall()
    return [Affiliation(r[0], r[1], Relationship(r[2]), r[3]) for r in rows]


def ruled_product(conn: sqlite3.Connection, product: ProductRef) -> tuple[ProductInfo, Verdict]:
    """The catalog row of a product to shelve or review, and the conflict rule's verdict on
    it; StoreError when the catalog does not hold it or the rule refuses it (the reason)."""
    info = product_info(conn, product.merchant, product.offer_id)
    if info is None:
        raise StoreError(f"{product.merchant} {product.offer_id} is not in the catalog")
    verdict = check_product(load_affiliations(conn), info.brand, info.category)
    if not verdict.allowed:
        raise StoreError(verdict.reason)
    return info, verdict
