"""The catalog: merchants, brands, categories, products, their FTS5 index, price history, imports.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

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
    tokenize='unicode61 remove_diacritics 2', prefix='2 3', detail=full
)
"""
FTS_HASHSIZE = 256 * 1024 * 1024


def upgrade() -> None:
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
    # FTS5 flushes its in-memory index to a new segment whenever it exceeds 'hashsize'
    # (1 MB by default), and merges segments as they pile up: a bulk import of 1M products
    # spends most of its FTS time in those merges. A larger buffer (memory is only used by a
    # transaction that writes that much) makes bulk indexing over twice as fast.
    op.execute(f"INSERT INTO product_fts (product_fts, rank) VALUES ('hashsize', {FTS_HASHSIZE})")


def downgrade() -> None:
    op.execute("DROP TABLE product_fts")
    op.execute("DROP VIEW product_fts_src")
    op.drop_table("imports")
    op.drop_table("price_history")
    op.drop_table("products")
    op.drop_table("categories")
    op.drop_table("brands")
    op.drop_table("merchants")
