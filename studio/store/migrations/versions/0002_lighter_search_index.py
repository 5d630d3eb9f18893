"""A lighter full-text index: 3-letter prefix entries only, and column-level detail.

Building the index was the larger half of a bulk import. Measured on the 1M generated
catalog (20 imports, 2 cores): 21.3 s with ``prefix='2 3', detail=full``, 15.6 s with
``prefix='3', detail=column``. What each gives up, and why search does not need it:

- 2-letter prefix entries: a 2-letter type-ahead prefix is spelled out as the exact term OR
  the 3-letter prefixes that exist in the index (``studio.store.search_text.expand``), which
  FTS5 merges lazily, as fast as one prefix entry under LIMIT.
- Token positions (detail=full): search never runs phrase or NEAR queries (every user token
  is its own quoted string); bm25 still weighs columns, but counts a term once per column.

Existing stores are migrated by dropping the index and rebuilding it from the products
(seconds per 100k products, once).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_TABLE = """
CREATE VIRTUAL TABLE product_fts USING fts5(
    title, brand, category, description,
    content='product_fts_src', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2', {options}
)
"""
FTS_OPTIONS = "prefix='3', detail=column"
_OLD_OPTIONS = "prefix='2 3', detail=full"
FTS_HASHSIZE = 256 * 1024 * 1024  # as in 0001: a large buffer means fewer segment merges


def _recreate(options: str) -> None:
    # The FTS5 config (hashsize, automerge) lives in the shadow tables dropped here: set again.
    op.execute("DROP TABLE product_fts")
    op.execute(_TABLE.format(options=options))
    op.execute(f"INSERT INTO product_fts (product_fts, rank) VALUES ('hashsize', {FTS_HASHSIZE})")
    op.execute("INSERT INTO product_fts (product_fts) VALUES ('rebuild')")


def upgrade() -> None:
    _recreate(FTS_OPTIONS)


def downgrade() -> None:
    _recreate(_OLD_OPTIONS)
