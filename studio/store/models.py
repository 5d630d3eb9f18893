"""SQLAlchemy 2 typed models of the local store, and the availability codes stored in it.

The schema (created by migration 0001, the index remade by 0002; FTS5 objects are raw SQL there):

- ``merchants``, ``brands``, ``categories``: small lookup tables, names unique.
- ``products``: one row per (merchant, offer_id), unique through the index
  ``ux_products_merchant_offer``. ``availability`` is an index into ``AVAILABILITY_CODES``;
  prices are integer minor units plus ``currency``; ``sale_start``/``sale_end`` are ISO 8601
  UTC text (``2026-11-01T00:00:00+00:00``) or NULL; ``images`` is a JSON array of the
  additional image URLs (the main one is ``image_link``) or NULL; ``extra`` a JSON object of
  the record's extra pairs (a key given several times maps to a list) or NULL;
  ``content_hash`` is a signed 64-bit hash of the stored fields (the importer's
  unchanged test; 0 once marked unavailable); ``added_seq`` is the ``imports.id`` of the
  run that first added the row ("newest" sorts by ``added_seq DESC, id DESC``).
  Secondary index: ``ix_products_group`` (merchant_id, item_group_id) for variants. Brand and
  category have no index on purpose: facets and filters run on in-memory columns
  (``studio.store.columns``), and every index slows the bulk import.
- ``product_fts``: FTS5 over (title, brand, category, description), external content read
  from the view ``product_fts_src`` (id, title, brand, category, description) so highlight()
  and snippet() work; rowid = ``products.id``; tokenize ``unicode61 remove_diacritics 2``,
  ``prefix='3'``, ``detail=column`` since migration 0002 (which says what that costs: no
  phrase queries, bm25 counts a term once per column; and what it saves: a quarter of a bulk
  import). The importer keeps it in sync; nothing else writes products. Its 'hashsize' is
  raised to 256 MB; the importer sets 'automerge' 16 and 'crisismerge' 32
  (``studio.store.import_setup``), so a big catalog's index has up to 15 segments per level
  (search figures measured unchanged).
- ``price_history``: written only when an import sees a new (currency, price, sale price):
  a row with the new values, and on a product's first change also the values it replaced
  (``import_id`` and ``seen_at`` of the import that added the product). A product whose price
  never changed has no rows: its one price is the product's own.
- ``imports``: one row per import run with its counts.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, MetaData, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from studio.core.product import Availability

# Stored as the index into this tuple: never reorder, only append.
AVAILABILITY_CODES: tuple[str, ...] = (
    "in_stock",
    "out_of_stock",
    "preorder",
    "backorder",
    "limited_availability",
    "unavailable",
)
_CODE_OF: dict[Availability, int] = {Availability(v): i for i, v in enumerate(AVAILABILITY_CODES)}
_AVAILABILITY_OF: tuple[Availability, ...] = tuple(Availability(v) for v in AVAILABILITY_CODES)
UNAVAILABLE_CODE = AVAILABILITY_CODES.index("unavailable")


def availability_code(value: Availability) -> int:
    """The integer stored in ``products.availability`` for ``value``."""
    return _CODE_OF[value]


def availability_from_code(code: int) -> Availability:
    """The ``Availability`` stored as ``code`` (ValueError for an unknown code)."""
    if not 0 <= code < len(_AVAILABILITY_OF):
        raise ValueError(f"unknown availability code {code}")
    return _AVAILABILITY_OF[code]


class Base(DeclarativeBase):
    metadata = MetaData()


class Merchant(Base):
    __tablename__ = "merchants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    feed_format: Mapped[str | None] = mapped_column(Text)
    last_import_at: Mapped[str | None] = mapped_column(Text)


class Brand(Base):
    __tablename__ = "brands"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)


class Category(Base):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(Text, unique=True)


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (
        Index("ux_products_merchant_offer", "merchant_id", "offer_id", unique=True),
        Index("ix_products_group", "merchant_id", "item_group_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchants.id"))
    offer_id: Mapped[str] = mapped_column(Text)
    item_group_id: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, server_default="")
    link: Mapped[str | None] = mapped_column(Text)
    image_link: Mapped[str | None] = mapped_column(Text)
    images: Mapped[str | None] = mapped_column(Text)  # JSON array of additional image urls
    currency: Mapped[str | None] = mapped_column(Text)
    price_minor: Mapped[int | None] = mapped_column(Integer)
    sale_minor: Mapped[int | None] = mapped_column(Integer)
    sale_start: Mapped[str | None] = mapped_column(Text)
    sale_end: Mapped[str | None] = mapped_column(Text)
    availability: Mapped[int] = mapped_column(Integer)
    availability_date: Mapped[str | None] = mapped_column(Text)
    condition: Mapped[str | None] = mapped_column(Text)
    brand_id: Mapped[int | None] = mapped_column(ForeignKey("brands.id"))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    gtin: Mapped[str | None] = mapped_column(Text)
    mpn: Mapped[str | None] = mapped_column(Text)
    google_category: Mapped[str | None] = mapped_column(Text)
    product_type: Mapped[str | None] = mapped_column(Text)
    color: Mapped[str | None] = mapped_column(Text)
    size: Mapped[str | None] = mapped_column(Text)
    gender: Mapped[str | None] = mapped_column(Text)
    age_group: Mapped[str | None] = mapped_column(Text)
    material: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[str | None] = mapped_column(Text)  # JSON object
    content_hash: Mapped[int] = mapped_column(Integer)
    added_seq: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[str] = mapped_column(Text)


class PriceHistory(Base):
    __tablename__ = "price_history"
    __table_args__ = (Index("ix_price_history_product", "product_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    import_id: Mapped[int] = mapped_column(Integer)
    seen_at: Mapped[str] = mapped_column(Text)
    currency: Mapped[str | None] = mapped_column(Text)
    price_minor: Mapped[int | None] = mapped_column(Integer)
    sale_minor: Mapped[int | None] = mapped_column(Integer)


class ImportRun(Base):
    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchants.id"))
    format: Mapped[str] = mapped_column(Text)
    started_at: Mapped[str] = mapped_column(Text)
    finished_at: Mapped[str | None] = mapped_column(Text)
    added: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    marked_unavailable: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
