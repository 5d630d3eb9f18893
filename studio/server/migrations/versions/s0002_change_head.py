"""Each product row keeps its Change's JSON up to the product (``products.change_head``), so
a page of ``GET /v1/catalog/changes`` is string joins (docs/server.md, "The change log").

Existing rows get theirs here, in batches, from the columns they already have.

Revision ID: s0002
Revises: s0001
Create Date: 2026-12-08
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "s0002"
down_revision = "s0001"
branch_labels = None
depends_on = None

BATCH = 5000


def _head(seq: int, merchant: str, offer_id: str, available: bool, rate: str) -> str:
    # The same text as studio.server.catalog.change_head at this revision (a migration
    # never imports the code it predates).
    name, offer = json.dumps(merchant, ensure_ascii=False), json.dumps(offer_id, ensure_ascii=False)
    return (
        f'{{"seq":{seq},"merchant":{name},"offer_id":{offer},'
        f'"available":{"true" if available else "false"},"commission_rate":"{rate}","product":'
    )


def upgrade() -> None:
    # NOT NULL needs a value for the rows already there; '' is replaced just below.
    op.add_column(
        "products", sa.Column("change_head", sa.Text(), nullable=False, server_default="")
    )
    conn = op.get_bind()
    products = sa.table(
        "products",
        sa.column("id", sa.BigInteger),
        sa.column("merchant_id", sa.Uuid),
        sa.column("offer_id", sa.String),
        sa.column("seq", sa.BigInteger),
        sa.column("available", sa.Boolean),
        sa.column("effective_rate", sa.String),
        sa.column("change_head", sa.Text),
    )
    merchants = sa.table("merchants", sa.column("id", sa.Uuid), sa.column("name", sa.String))
    names = dict(conn.execute(sa.select(merchants.c.id, merchants.c.name)).all())
    last = -1
    while True:
        rows = conn.execute(
            sa.select(
                products.c.id,
                products.c.merchant_id,
                products.c.offer_id,
                products.c.seq,
                products.c.available,
                products.c.effective_rate,
            )
            .where(products.c.id > last)
            .order_by(products.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        conn.execute(
            products.update()
            .where(products.c.id == sa.bindparam("pid"))
            .values(change_head=sa.bindparam("head")),
            [
                {"pid": pid, "head": _head(seq, names[mid], offer, bool(avail), rate)}
                for pid, mid, offer, seq, avail, rate in rows
            ],
        )
        last = rows[-1][0]
    with op.batch_alter_table("products") as batch:
        batch.alter_column("change_head", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("products") as batch:
        batch.drop_column("change_head")
