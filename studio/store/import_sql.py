"""The statements an import runs, and the order of a stored product row's values.

Shared by the first-import path (``studio.store.importer``) and the re-import path
(``studio.store.import_upsert``); ``bench_import`` reads the same columns back for its raw
baseline.
"""

from __future__ import annotations

BATCH = 10_000  # rows per executemany: large enough to amortise, small enough for progress

PRODUCT_COLUMNS = (
    "id",
    "merchant_id",
    "offer_id",
    "item_group_id",
    "title",
    "description",
    "link",
    "image_link",
    "images",
    "currency",
    "price_minor",
    "sale_minor",
    "sale_start",
    "sale_end",
    "availability",
    "availability_date",
    "condition",
    "brand_id",
    "category_id",
    "gtin",
    "mpn",
    "google_category",
    "product_type",
    "color",
    "size",
    "gender",
    "age_group",
    "material",
    "extra",
    "content_hash",
    "added_seq",
    "updated_at",
)
INSERT_PRODUCT = (
    f"INSERT INTO products ({', '.join(PRODUCT_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(PRODUCT_COLUMNS))})"
)
# A first import's rows: a repeated offer id is skipped by the unique index (then reported).
INSERT_NEW_PRODUCT = INSERT_PRODUCT + " ON CONFLICT (merchant_id, offer_id) DO NOTHING"
# Everything but id, merchant_id, offer_id and added_seq, then the id for the WHERE.
_UPDATED_COLUMNS = tuple(
    c for c in PRODUCT_COLUMNS if c not in ("id", "merchant_id", "offer_id", "added_seq")
)
UPDATE_PRODUCT = (
    f"UPDATE products SET {', '.join(f'{c} = ?' for c in _UPDATED_COLUMNS)} WHERE id = ?"
)
FILL_FTS_RANGE = (
    "INSERT INTO product_fts (rowid, title, brand, category, description) "
    "SELECT id, title, brand, category, description FROM product_fts_src "
    "WHERE id BETWEEN ? AND ?"
)
FILL_FTS_IDS = (
    "INSERT INTO product_fts (rowid, title, brand, category, description) "
    "SELECT id, title, brand, category, description FROM product_fts_src "
    "WHERE id IN (SELECT value FROM json_each(?))"
)
# The index must be told the exact old text to forget it: read from the view before the update.
DELETE_FTS_IDS = (
    "INSERT INTO product_fts (product_fts, rowid, title, brand, category, description) "
    "SELECT 'delete', id, title, brand, category, description FROM product_fts_src "
    "WHERE id IN (SELECT value FROM json_each(?))"
)
