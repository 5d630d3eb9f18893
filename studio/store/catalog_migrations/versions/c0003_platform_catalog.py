"""Merchants from the platform: their source, each product's commission rate, the cursor.

- ``merchants.source``: ``feed`` (imported by hand, every merchant until now) or
  ``platform`` (delivered by ``GET /v1/catalog/changes``). A platform page never writes a
  merchant whose source is ``feed`` (``studio.store.platform_apply``), and a feed import
  never writes a platform merchant.
- ``products.commission_ppm``: the product's effective commission rate in parts per million
  (0.08 = 80000), exact for any rate of up to six decimals, never a float; NULL for a
  hand-imported product (no rate known). Indexed: "highest commission first" reads the index
  backwards.
- ``platform_cursor``: per server address, the cursor of the last page applied, written in the
  same transaction as that page's products, so a killed update resumes after it.


Revision ID: c0003
Revises: c0002
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c0003"
down_revision = "c0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("merchants", sa.Column("source", sa.Text, nullable=False, server_default="feed"))
    op.add_column("products", sa.Column("commission_ppm", sa.Integer))
    op.create_index("ix_products_commission", "products", ["commission_ppm"])
    op.create_table(
        "platform_cursor",
        sa.Column("server", sa.Text, primary_key=True),
        sa.Column("cursor", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("platform_cursor")
    op.drop_index("ix_products_commission", table_name="products")
    # SQLite >= 3.35 drops a column in place (no foreign key or index names it any more).
    op.execute("ALTER TABLE products DROP COLUMN commission_ppm")
    op.execute("ALTER TABLE merchants DROP COLUMN source")
