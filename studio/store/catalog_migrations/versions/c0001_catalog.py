"""The catalog in a file of its own: merchants, brands, categories, products, FTS5, history.

The same schema content migrations 0001 and 0002 built inside the content file
(``studio.store.catalog_schema``); content migration 0005 moves an existing catalog's rows
(and its search index, as it is) into a file made by this revision.

Revision ID: c0001
Revises:
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

from studio.store import catalog_schema

revision = "c0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    catalog_schema.create(op)


def downgrade() -> None:
    catalog_schema.drop(op)
