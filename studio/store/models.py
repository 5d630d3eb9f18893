"""SQLAlchemy 2 typed models of the local store, and the availability codes stored in it.

The store is two SQLite files (since content migration 0005): the merchant catalog
(``CatalogBase``: ``catalog.sqlite3``, its own migration history in ``catalog_migrations``)
and the curator's content (``ContentBase``: ``studio.sqlite3``: looks, boards, shops,
reviews, the profile, media rows and the outbox), so that a long catalog import never holds
the write lock an edit needs. Content connections attach the catalog read-only as
``catalog``, so a query may join content rows to products by their unqualified names.
The content tables' columns are the record kinds of ``studio.protocol.kinds`` (a test keeps
them in step), plus ``product_id`` where a kind names a product.

The catalog (made by catalog revision c0001, the shape content migrations 0001 and 0002 had
built; FTS5 objects are raw SQL there, ``studio.store.catalog_schema``):

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

Looks and boards (migration 0003; written only by ``studio.store.looks`` / ``boards``, each
edit one transaction that also appends to ``outbox``):

- Ids are client-made UUID text; ``created_at``/``updated_at``/``deleted_at`` are ISO 8601
  UTC text with microseconds (``2026-11-29T22:15:00.123456+00:00``, so text order is time
  order); ``deleted_at`` set = a tombstone (in the trash, or removed and restorable). Rows are
  never deleted.
- ``media``: one row per stored master (``hash`` = SHA-256 hex = its file name), with its
  upright ``width``/``height``, source ``format`` and ``bytes`` when known.
- ``looks``: ``occasions``/``seasons``/``styles`` are JSON arrays of text (the record, in the
  user's order); ``status`` a ``LookStatus`` value. ``look_tags`` (look_id, facet, tag) mirrors
  those arrays for the indexed tag filter (``ix_look_tags_tag``). ``ix_looks_updated`` serves
  the library's most-recent-first order.
- ``look_photos``: ``position`` is a fractional-index key (``studio.core.ordering``) within
  the look; ``crop_*`` fractions of the upright photo; ``rotation`` quarter turns clockwise.
- ``hotspots``: one row each; ``x``/``y`` fractions of the upright uncropped photo;
  ``position`` orders them on their photo; the product is ``product_id`` (nullable, no foreign
  key: a tag outlives its product's row) plus the stable ``merchant``/``offer_id``
  (``ix_hotspots_offer`` finds the tags to re-link after a re-import).
- ``boards`` and ``board_items``: one row per item; ``z`` is a fractional key (larger on top);
  product items carry ``product_id``/``merchant``/``offer_id`` like hotspots; ``media_hash``
  has no foreign key (a product image may be imported after the item is placed).
- ``outbox``: the sync queue, ``seq`` AUTOINCREMENT (never reused), ``op_id`` a UUID per
  entry; ``entity`` a record kind's wire name (``look``, ``hotspot``, ``shop_item``...);
  ``action`` ``upsert`` or ``delete``; ``payload`` the whole record after the edit, in wire
  form; ``ix_outbox_record`` (entity, entity_id, seq) serves compaction (0005).

Shops, reviews and the profile (migration 0004; written only by ``studio.store.profile`` /
``shops`` / ``reviews``, same conventions as looks: UUID text ids, ISO stamps, tombstones,
fractional ``position`` keys, one transaction per edit with its outbox entries):

- ``profile``: exactly one row, ``id`` = 'me' (a CHECK); ``tier`` is ``starter`` or ``full``;
  ``avatar_hash`` a media hash or NULL. ``affiliations``: brand, category path ("A > B"),
  ``relationship`` (makes | represents | paid_by).
- ``shops``: ``handle`` unique among live shops (partial index ``ux_shops_handle_live``, WHERE
  ``deleted_at IS NULL``); ``accent`` "#rrggbb"; ``banner_hash`` a media hash or NULL (no
  foreign key, like every media hash of 0004). ``shop_sections``: shelves, ``position`` within
  the shop. ``shop_items``: one row per shelved product (``product_id`` nullable, no foreign
  key, plus ``merchant``/``offer_id``; ``ix_shop_items_offer`` for re-linking),
  ``position`` within the section, ``note``, ``featured``, and ``shelved_price_minor`` /
  ``shelved_currency``: the price when shelved, for the health check.
- ``reviews``: the product reference as above, ``rating`` 1..5 or NULL (not rated yet),
  ``body`` plain text with the markdown subset of ``studio.core.reviews``, ``pros``/``cons``
  JSON arrays of text,
  ``provenance`` and ``status`` enum values (the disclosure is derived, never stored).
  ``review_photos``: one row per photo, ``position`` within the review.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Text,
    text,
)
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


class CatalogBase(DeclarativeBase):
    """The catalog file's tables (``catalog.sqlite3``; its history: ``catalog_migrations``)."""

    metadata = MetaData()


class ContentBase(DeclarativeBase):
    """The content file's tables (``studio.sqlite3``; its history: ``migrations``)."""

    metadata = MetaData()


class Merchant(CatalogBase):
    __tablename__ = "merchants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    feed_format: Mapped[str | None] = mapped_column(Text)
    last_import_at: Mapped[str | None] = mapped_column(Text)
    # "feed" (imported by hand) or "platform" (its catalog comes from the platform; c0003).
    source: Mapped[str] = mapped_column(Text, server_default="feed")


class Brand(CatalogBase):
    __tablename__ = "brands"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)


class Category(CatalogBase):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(Text, unique=True)


class Product(CatalogBase):
    __tablename__ = "products"
    __table_args__ = (
        Index("ux_products_merchant_offer", "merchant_id", "offer_id", unique=True),
        Index("ix_products_group", "merchant_id", "item_group_id"),
        Index("ix_products_link", "link"),  # a pasted product link (catalog revision c0002)
        Index("ix_products_commission", "commission_ppm"),  # highest commission first (c0003)
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
    # The effective commission rate in parts per million (0.08 -> 80000), exact, never a
    # float; None for a hand-imported product (c0003).
    commission_ppm: Mapped[int | None] = mapped_column(Integer)


class PriceHistory(CatalogBase):
    __tablename__ = "price_history"
    __table_args__ = (Index("ix_price_history_product", "product_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    import_id: Mapped[int] = mapped_column(Integer)
    seen_at: Mapped[str] = mapped_column(Text)
    currency: Mapped[str | None] = mapped_column(Text)
    price_minor: Mapped[int | None] = mapped_column(Integer)
    sale_minor: Mapped[int | None] = mapped_column(Integer)


class PlatformCursor(CatalogBase):
    """Per server: the cursor of the last catalog page applied (with that page's rows)."""

    __tablename__ = "platform_cursor"

    server: Mapped[str] = mapped_column(Text, primary_key=True)
    cursor: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[str] = mapped_column(Text)


class ImportRun(CatalogBase):
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


class Media(ContentBase):
    __tablename__ = "media"

    hash: Mapped[str] = mapped_column(Text, primary_key=True)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    format: Mapped[str | None] = mapped_column(Text)
    bytes: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[str] = mapped_column(Text)


class LookRow(ContentBase):
    __tablename__ = "looks"
    __table_args__ = (Index("ix_looks_updated", "updated_at"),)

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    caption: Mapped[str] = mapped_column(Text)
    occasions: Mapped[str] = mapped_column(Text)  # JSON array of text
    seasons: Mapped[str] = mapped_column(Text)  # JSON array of text
    styles: Mapped[str] = mapped_column(Text)  # JSON array of text
    status: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[str] = mapped_column(Text)
    deleted_at: Mapped[str | None] = mapped_column(Text)


class LookTag(ContentBase):
    __tablename__ = "look_tags"
    __table_args__ = (Index("ix_look_tags_tag", "tag"),)

    look_id: Mapped[str] = mapped_column(ForeignKey("looks.id"), primary_key=True)
    facet: Mapped[str] = mapped_column(Text, primary_key=True)  # occasions | seasons | styles
    tag: Mapped[str] = mapped_column(Text, primary_key=True)


class LookPhotoRow(ContentBase):
    __tablename__ = "look_photos"
    __table_args__ = (Index("ix_look_photos_look", "look_id", "position"),)

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    look_id: Mapped[str] = mapped_column(ForeignKey("looks.id"))
    media_hash: Mapped[str] = mapped_column(ForeignKey("media.hash"))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    position: Mapped[str] = mapped_column(Text)
    crop_left: Mapped[float] = mapped_column(Float)
    crop_top: Mapped[float] = mapped_column(Float)
    crop_right: Mapped[float] = mapped_column(Float)
    crop_bottom: Mapped[float] = mapped_column(Float)
    rotation: Mapped[int] = mapped_column(Integer)
    alt_text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[str] = mapped_column(Text)
    deleted_at: Mapped[str | None] = mapped_column(Text)


class HotspotRow(ContentBase):
    __tablename__ = "hotspots"
    __table_args__ = (
        Index("ix_hotspots_photo", "photo_id", "position"),
        Index("ix_hotspots_offer", "merchant", "offer_id"),
    )

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    photo_id: Mapped[str] = mapped_column(ForeignKey("look_photos.id"))
    product_id: Mapped[int | None] = mapped_column(Integer)  # no FK on purpose, see above
    merchant: Mapped[str] = mapped_column(Text)
    offer_id: Mapped[str] = mapped_column(Text)
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)
    label: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text)
    position: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[str] = mapped_column(Text)
    deleted_at: Mapped[str | None] = mapped_column(Text)


class BoardRow(ContentBase):
    __tablename__ = "boards"
    __table_args__ = (Index("ix_boards_updated", "updated_at"),)

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    background: Mapped[str] = mapped_column(Text)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[str] = mapped_column(Text)
    deleted_at: Mapped[str | None] = mapped_column(Text)


class BoardItemRow(ContentBase):
    __tablename__ = "board_items"
    __table_args__ = (Index("ix_board_items_board", "board_id", "z"),)

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    board_id: Mapped[str] = mapped_column(ForeignKey("boards.id"))
    kind: Mapped[str] = mapped_column(Text)
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)
    width: Mapped[float] = mapped_column(Float)
    height: Mapped[float] = mapped_column(Float)
    rotation: Mapped[float] = mapped_column(Float)
    flip_h: Mapped[bool] = mapped_column(Boolean)
    flip_v: Mapped[bool] = mapped_column(Boolean)
    z: Mapped[str] = mapped_column(Text)
    crop_left: Mapped[float] = mapped_column(Float)
    crop_top: Mapped[float] = mapped_column(Float)
    crop_right: Mapped[float] = mapped_column(Float)
    crop_bottom: Mapped[float] = mapped_column(Float)
    product_id: Mapped[int | None] = mapped_column(Integer)
    merchant: Mapped[str | None] = mapped_column(Text)
    offer_id: Mapped[str | None] = mapped_column(Text)
    media_hash: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    color: Mapped[str] = mapped_column(Text)
    font_size: Mapped[float] = mapped_column(Float)
    created_at: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[str] = mapped_column(Text)
    deleted_at: Mapped[str | None] = mapped_column(Text)


class OutboxRow(ContentBase):
    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_record", "entity", "entity_id", "seq"),
        {"sqlite_autoincrement": True},
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    op_id: Mapped[str] = mapped_column(Text, unique=True)
    entity: Mapped[str] = mapped_column(Text)
    entity_id: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    created_at: Mapped[str] = mapped_column(Text)


class ProfileRow(ContentBase):
    __tablename__ = "profile"
    __table_args__ = (CheckConstraint("id = 'me'", name="ck_profile_one_row"),)

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    display_name: Mapped[str] = mapped_column(Text)
    bio: Mapped[str] = mapped_column(Text)
    avatar_hash: Mapped[str | None] = mapped_column(Text)
    tier: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[str] = mapped_column(Text)


class AffiliationRow(ContentBase):
    __tablename__ = "affiliations"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    brand: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(Text)
    relationship: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[str] = mapped_column(Text)
    deleted_at: Mapped[str | None] = mapped_column(Text)


class ShopRow(ContentBase):
    __tablename__ = "shops"
    __table_args__ = (
        Index(
            "ux_shops_handle_live", "handle", unique=True, sqlite_where=text("deleted_at IS NULL")
        ),
    )

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    handle: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    tagline: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    banner_hash: Mapped[str | None] = mapped_column(Text)
    accent: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[str] = mapped_column(Text)
    deleted_at: Mapped[str | None] = mapped_column(Text)


class ShopSectionRow(ContentBase):
    __tablename__ = "shop_sections"
    __table_args__ = (Index("ix_shop_sections_shop", "shop_id", "position"),)

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    shop_id: Mapped[str] = mapped_column(ForeignKey("shops.id"))
    title: Mapped[str] = mapped_column(Text)
    position: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[str] = mapped_column(Text)
    deleted_at: Mapped[str | None] = mapped_column(Text)


class ShopItemRow(ContentBase):
    __tablename__ = "shop_items"
    __table_args__ = (
        Index("ix_shop_items_section", "section_id", "position"),
        Index("ix_shop_items_offer", "merchant", "offer_id"),
    )

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    section_id: Mapped[str] = mapped_column(ForeignKey("shop_sections.id"))
    product_id: Mapped[int | None] = mapped_column(Integer)  # no FK on purpose, see above
    merchant: Mapped[str] = mapped_column(Text)
    offer_id: Mapped[str] = mapped_column(Text)
    position: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text)
    featured: Mapped[bool] = mapped_column(Boolean)
    shelved_price_minor: Mapped[int | None] = mapped_column(Integer)
    shelved_currency: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[str] = mapped_column(Text)
    deleted_at: Mapped[str | None] = mapped_column(Text)


class ReviewRow(ContentBase):
    __tablename__ = "reviews"
    __table_args__ = (
        Index("ix_reviews_updated", "updated_at"),
        Index("ix_reviews_offer", "merchant", "offer_id"),
    )

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    product_id: Mapped[int | None] = mapped_column(Integer)
    merchant: Mapped[str] = mapped_column(Text)
    offer_id: Mapped[str] = mapped_column(Text)
    rating: Mapped[int | None] = mapped_column(Integer)  # None: not rated yet
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    pros: Mapped[str] = mapped_column(Text)  # JSON array of text
    cons: Mapped[str] = mapped_column(Text)  # JSON array of text
    provenance: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[str] = mapped_column(Text)
    deleted_at: Mapped[str | None] = mapped_column(Text)


class ReviewPhotoRow(ContentBase):
    __tablename__ = "review_photos"
    __table_args__ = (Index("ix_review_photos_review", "review_id", "position"),)

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    review_id: Mapped[str] = mapped_column(ForeignKey("reviews.id"))
    media_hash: Mapped[str] = mapped_column(Text)
    position: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[str] = mapped_column(Text)
    deleted_at: Mapped[str | None] = mapped_column(Text)
