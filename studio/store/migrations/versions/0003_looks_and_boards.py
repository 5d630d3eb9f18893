"""Looks and boards: media, looks (+ their tag index), photos, hotspots, boards, items, outbox.

Design (studio.store.models says what each column holds):

- Client-made UUID text primary keys, so records made offline keep their ids when synced.
- One row per hotspot and per board item, and orders as fractional-index text
  (``studio.core.ordering``): a move or an edit rewrites one row, which merges across devices.
- Deletes are tombstones (``deleted_at``), never row deletes: undo and sync need the record.
- Tag filtering reads ``look_tags`` (look_id, facet, tag) through its ``tag`` index; the looks
  row keeps the ordered JSON arrays that make up the record itself.
- Product references are ``product_id`` (nullable, no cascade: products are never deleted and
  a tag survives its product leaving the catalog) plus the stable ``merchant``/``offer_id``.
- ``outbox``: every edit appends its changed records here in the same transaction, for sync.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _stamps() -> list[sa.Column[str]]:
    return [
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
        sa.Column("deleted_at", sa.Text),
    ]


def _crop() -> list[sa.Column[float]]:
    return [
        sa.Column("crop_left", sa.Float, nullable=False),
        sa.Column("crop_top", sa.Float, nullable=False),
        sa.Column("crop_right", sa.Float, nullable=False),
        sa.Column("crop_bottom", sa.Float, nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "media",
        sa.Column("hash", sa.Text, primary_key=True),
        sa.Column("width", sa.Integer, nullable=False),
        sa.Column("height", sa.Integer, nullable=False),
        sa.Column("format", sa.Text),
        sa.Column("bytes", sa.Integer),
        sa.Column("created_at", sa.Text, nullable=False),
    )
    op.create_table(
        "looks",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("caption", sa.Text, nullable=False),
        sa.Column("occasions", sa.Text, nullable=False),
        sa.Column("seasons", sa.Text, nullable=False),
        sa.Column("styles", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        *_stamps(),
    )
    op.create_index("ix_looks_updated", "looks", ["updated_at"])
    op.create_table(
        "look_tags",
        sa.Column("look_id", sa.Text, sa.ForeignKey("looks.id"), primary_key=True),
        sa.Column("facet", sa.Text, primary_key=True),
        sa.Column("tag", sa.Text, primary_key=True),
    )
    op.create_index("ix_look_tags_tag", "look_tags", ["tag"])
    op.create_table(
        "look_photos",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("look_id", sa.Text, sa.ForeignKey("looks.id"), nullable=False),
        sa.Column("media_hash", sa.Text, sa.ForeignKey("media.hash"), nullable=False),
        sa.Column("width", sa.Integer, nullable=False),
        sa.Column("height", sa.Integer, nullable=False),
        sa.Column("position", sa.Text, nullable=False),
        *_crop(),
        sa.Column("rotation", sa.Integer, nullable=False),
        sa.Column("alt_text", sa.Text, nullable=False),
        *_stamps(),
    )
    op.create_index("ix_look_photos_look", "look_photos", ["look_id", "position"])
    op.create_table(
        "hotspots",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("photo_id", sa.Text, sa.ForeignKey("look_photos.id"), nullable=False),
        sa.Column("product_id", sa.Integer),
        sa.Column("merchant", sa.Text, nullable=False),
        sa.Column("offer_id", sa.Text, nullable=False),
        sa.Column("x", sa.Float, nullable=False),
        sa.Column("y", sa.Float, nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("position", sa.Text, nullable=False),
        *_stamps(),
    )
    op.create_index("ix_hotspots_photo", "hotspots", ["photo_id", "position"])
    op.create_index("ix_hotspots_offer", "hotspots", ["merchant", "offer_id"])
    op.create_table(
        "boards",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("background", sa.Text, nullable=False),
        sa.Column("width", sa.Integer, nullable=False),
        sa.Column("height", sa.Integer, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        *_stamps(),
    )
    op.create_index("ix_boards_updated", "boards", ["updated_at"])
    op.create_table(
        "board_items",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("board_id", sa.Text, sa.ForeignKey("boards.id"), nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("x", sa.Float, nullable=False),
        sa.Column("y", sa.Float, nullable=False),
        sa.Column("width", sa.Float, nullable=False),
        sa.Column("height", sa.Float, nullable=False),
        sa.Column("rotation", sa.Float, nullable=False),
        sa.Column("flip_h", sa.Boolean, nullable=False),
        sa.Column("flip_v", sa.Boolean, nullable=False),
        sa.Column("z", sa.Text, nullable=False),
        *_crop(),
        sa.Column("product_id", sa.Integer),
        sa.Column("merchant", sa.Text),
        sa.Column("offer_id", sa.Text),
        sa.Column("media_hash", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("color", sa.Text, nullable=False),
        sa.Column("font_size", sa.Float, nullable=False),
        *_stamps(),
    )
    op.create_index("ix_board_items_board", "board_items", ["board_id", "z"])
    op.create_table(
        "outbox",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("op_id", sa.Text, nullable=False, unique=True),
        sa.Column("entity", sa.Text, nullable=False),
        sa.Column("entity_id", sa.Text, nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("outbox")
    op.drop_index("ix_board_items_board", "board_items")
    op.drop_table("board_items")
    op.drop_index("ix_boards_updated", "boards")
    op.drop_table("boards")
    op.drop_index("ix_hotspots_offer", "hotspots")
    op.drop_index("ix_hotspots_photo", "hotspots")
    op.drop_table("hotspots")
    op.drop_index("ix_look_photos_look", "look_photos")
    op.drop_table("look_photos")
    op.drop_index("ix_look_tags_tag", "look_tags")
    op.drop_table("look_tags")
    op.drop_index("ix_looks_updated", "looks")
    op.drop_table("looks")
    op.drop_table("media")
