"""An index on the products' landing links: a pasted product link finds its product.

Anywhere a product is picked, a merchant's product page address may be pasted or typed
(``studio.store.search_pick.by_link``): the link is looked up as a range of this index (the
address without its query, then each stored link of that prefix compared as normalised),
a probe rather than a scan of every product.

Revision ID: c0002
Revises: c0001
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "c0002"
down_revision = "c0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_products_link", "products", ["link"])


def downgrade() -> None:
    op.drop_index("ix_products_link", table_name="products")
