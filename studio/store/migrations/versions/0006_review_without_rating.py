"""A review may have no rating yet: ``reviews.rating`` becomes nullable.

A new review starts without a rating until the curator gives one (it used to start at three
stars, which looked like a verdict); such a review is "not ready" in the checks and the list.
NULL is "no rating"; a rating is still 1..5. SQLite cannot drop a NOT NULL in place, so the
table is copied (Alembic's batch mode); every row keeps its rating. The downgrade gives the
rows without one the old default, three, as the app then required one.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-14
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reviews") as batch:
        batch.alter_column("rating", existing_type=sa.Integer, nullable=True)


def downgrade() -> None:
    op.execute("UPDATE reviews SET rating = 3 WHERE rating IS NULL")
    with op.batch_alter_table("reviews") as batch:
        batch.alter_column("rating", existing_type=sa.Integer, nullable=False)
