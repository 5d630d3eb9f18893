"""The catalog's tables, created the same way by its first migration and by a downgrade.

The merchant catalog (merchants, brands, categories, products, their FTS5 index, price
history, import runs) lives in its own file since content migration 0005, so that a long
catalog import never holds the lock a curator's edit needs. Its schema was built by content
migrations 0001 and 0002 before; ``create()`` makes that same schema (the shape of 0002: a
3-letter prefix index with column detail) with Alembic operations, and is called by the
catalog history's first revision and by content migration 0005's downgrade, which moves the
catalog back into the content file. ``studio.store.models`` says what each column holds.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

TABLES = ("merchants", "brands", "categories", "products", "price_history", "imports")
# The FTS5 index's own tables: copied as they are when the catalog moves between files, so
# a million products are not indexed again.
FTS_SHADOWS = ("product_fts_data", "product_fts_idx", "product_fts_docsize", "product_fts_config")

# External content: the index stores no copy of the text; it reads the view when it needs the
# columns (highlight, snippet, 'rebuild'). The view's column names match the index's.
FTS_SOURCE_VIEW = """
CREATE VIEW product_fts_src AS
SELECT p.id AS id, p.title AS title, b.name AS brand, c.path AS category,
       p.description AS description
FROM products AS p
LEFT JOIN brands AS b ON b.id = p.brand_id
LEFT JOIN categories AS c ON c.id = p.category_id
"""
FTS_TABLE = """
CREATE VIRTUAL TABLE product_fts USING fts5(
    title, brand, category, description,
    content='product_fts_src', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2', prefix='3', detail=column
)
"""
# A large in-memory buffer: a bulk import flushes (and later merges) far fewer segments.
FTS_HASHSIZE = 256 * 1024 * 1024


def create(op: Any) -> None:
    """Create every catalog table, index, the FTS view and index (``op``: alembic.op)."""
    op.create_table(
        "merchants",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False, unique=True),
        sa.Column("feed_format", sa.Text),
        sa.Column("last_import_at", sa.Text),
    )
    op.create_table(
        "brands",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False, unique=True),
    )
    op.create_table(
        "categories",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("path", sa.Text, nullable=False, unique=True),
    )
    op.create_table(
        "products",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("merchant_id", sa.Integer, sa.ForeignKey("merchants.id"), nullable=False),
        sa.Column("offer_id", sa.Text, nullable=False),
        sa.Column("item_group_id", sa.Text),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("link", sa.Text),
        sa.Column("image_link", sa.Text),
        sa.Column("images", sa.Text),
        sa.Column("currency", sa.Text),
        sa.Column("price_minor", sa.Integer),
        sa.Column("sale_minor", sa.Integer),
        sa.Column("sale_start", sa.Text),
        sa.Column("sale_end", sa.Text),
        sa.Column("availability", sa.Integer, nullable=False),
        sa.Column("availability_date", sa.Text),
        sa.Column("condition", sa.Text),
        sa.Column("brand_id", sa.Integer, sa.ForeignKey("brands.id")),
        sa.Column("category_id", sa.Integer, sa.ForeignKey("categories.id")),
        sa.Column("gtin", sa.Text),
        sa.Column("mpn", sa.Text),
        sa.Column("google_category", sa.Text),
        sa.Column("product_type", sa.Text),
        sa.Column("color", sa.Text),
        sa.Column("size", sa.Text),
        sa.Column("gender", sa.Text),
        sa.Column("age_group", sa.Text),
        sa.Column("material", sa.Text),
        sa.Column("extra", sa.Text),
        sa.Column("content_hash", sa.Integer, nullable=False),
        sa.Column("added_seq", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
    )
    op.create_index(
        "ux_products_merchant_offer", "products", ["merchant_id", "offer_id"], unique=True
    )
    op.create_index("ix_products_group", "products", ["merchant_id", "item_group_id"])
    op.create_table(
        "price_history",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("product_id", sa.Integer, sa.ForeignKey("products.id"), nullable=False),
        sa.Column("import_id", sa.Integer, nullable=False),
        sa.Column("seen_at", sa.Text, nullable=False),
        sa.Column("currency", sa.Text),
        sa.Column("price_minor", sa.Integer),
        sa.Column("sale_minor", sa.Integer),
    )
    op.create_index("ix_price_history_product", "price_history", ["product_id"])
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("merchant_id", sa.Integer, sa.ForeignKey("merchants.id"), nullable=False),
        sa.Column("format", sa.Text, nullable=False),
        sa.Column("started_at", sa.Text, nullable=False),
        sa.Column("finished_at", sa.Text),
        sa.Column("added", sa.Integer, nullable=False),
        sa.Column("updated", sa.Integer, nullable=False),
        sa.Column("unchanged", sa.Integer, nullable=False),
        sa.Column("marked_unavailable", sa.Integer, nullable=False),
        sa.Column("rejected", sa.Integer, nullable=False),
    )
    op.execute(FTS_SOURCE_VIEW)
    op.execute(FTS_TABLE)
    op.execute(f"INSERT INTO product_fts (product_fts, rank) VALUES ('hashsize', {FTS_HASHSIZE})")


def drop(op: Any) -> None:
    """Drop every catalog object ``create`` made from the ``main`` schema (named: a content
    connection attaches the catalog, whose tables have the same names); the index's shadow
    tables go with it."""
    op.execute("DROP TABLE IF EXISTS main.product_fts")
    op.execute("DROP VIEW IF EXISTS main.product_fts_src")
    for table in reversed(TABLES):
        op.execute(f"DROP TABLE IF EXISTS main.{table}")


def copy(op: Any, source: str, target: str) -> None:
    """Replace the catalog rows of schema ``target`` by those of ``source`` (both attached to
    one connection, the same schema), the search index's shadow tables included, so the
    index moves with its products instead of being built again."""
    bind = op.get_bind()
    tables = (*TABLES, *FTS_SHADOWS)
    for table in reversed(tables):  # children first: the foreign keys hold at every step
        op.execute(f"DELETE FROM {target}.{table}")
    for table in tables:
        # The columns both sides have: a catalog of a later revision (c0003 added some) moves
        # back into a content file whose tables predate them.
        theirs = {r[1] for r in bind.exec_driver_sql(f"PRAGMA {target}.table_info({table})")}
        names = [r[1] for r in bind.exec_driver_sql(f"PRAGMA {source}.table_info({table})")]
        cols = ", ".join(n for n in names if n in theirs)
        op.execute(f"INSERT INTO {target}.{table} ({cols}) SELECT {cols} FROM {source}.{table}")
