"""The catalog moves to a file of its own; the outbox gets an index for compaction.

A feed import of a million products is one long write transaction; while the catalog shared
the content file, every curator's edit made during it waited for the lock (and failed after
the busy timeout). Since this revision the catalog (merchants, brands, categories, products,
price history, imports and the FTS5 index) lives in ``catalog.sqlite3`` (its own history:
``studio.store.catalog_migrations``), which content connections attach read-only, and this
file keeps the curator's content, the media rows and the outbox.

Upgrade: ``studio.store.db`` attaches the catalog file (already at its head) as ``catalog``
before migrating; the rows of an existing catalog are copied into it, the search index's
shadow tables as they are (no re-indexing), then the tables are dropped from this file (the
space is reclaimed by a VACUUM after the migration). It is safe to run again after a crash:
the catalog's tables are emptied before the copy. Downgrade moves them back.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

from studio.store import catalog_schema

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _attached() -> bool:
    return "catalog" in {r[1] for r in op.get_bind().exec_driver_sql("PRAGMA database_list")}


def _has_rows(schema: str) -> bool:
    return bool(
        op.get_bind().exec_driver_sql(f"SELECT EXISTS (SELECT 1 FROM {schema}.merchants)").scalar()
    )


def upgrade() -> None:
    legacy = (
        op.get_bind()
        .exec_driver_sql(
            "SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = 'products'"
        )
        .fetchone()
    )
    if legacy is not None:
        if _has_rows("main"):
            if not _attached():
                raise RuntimeError("the catalog file must be attached to move the catalog into it")
            catalog_schema.copy(op, "main", "catalog")
        catalog_schema.drop(op)
    op.create_index("ix_outbox_record", "outbox", ["entity", "entity_id", "seq"])


def downgrade() -> None:
    op.drop_index("ix_outbox_record", "outbox")
    catalog_schema.create(op)
    if _attached() and _has_rows("catalog"):
        catalog_schema.copy(op, "catalog", "main")
