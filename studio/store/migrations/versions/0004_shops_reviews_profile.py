"""Shops, reviews and the profile: profile, affiliations, shops, sections, items, reviews, photos.

Design (studio.store.models says what each column holds), as in 0003:

- Client-made UUID text keys; fractional-index ``position`` text; tombstones (``deleted_at``).
- ``profile`` holds one row (``id`` = 'me', checked); the tier lives there.
- ``shops.handle`` is unique among LIVE shops (a partial unique index), so a trashed shop's
  handle can be reused, and restoring it then is refused by the store with a clear reason.
- Product references are ``product_id`` (nullable, no foreign key) plus ``merchant``/``offer_id``;
  shop items keep the price at shelving time for the health check.
- Media hashes (banner, avatar, review photos) have no foreign key: the ``media`` rows carry
  pixel sizes that these callers may not know, and an archive import may add the blob later.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _stamps() -> list[sa.Column[str]]:
    return [
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
        sa.Column("deleted_at", sa.Text),
    ]


def _product() -> list[sa.Column[object]]:
    return [
        sa.Column("product_id", sa.Integer),
        sa.Column("merchant", sa.Text, nullable=False),
        sa.Column("offer_id", sa.Text, nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "profile",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("display_name", sa.Text, nullable=False),
        sa.Column("bio", sa.Text, nullable=False),
        sa.Column("avatar_hash", sa.Text),
        sa.Column("tier", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
        sa.CheckConstraint("id = 'me'", name="ck_profile_one_row"),
    )
    op.create_table(
        "affiliations",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("brand", sa.Text, nullable=False),
        sa.Column("category", sa.Text, nullable=False),
        sa.Column("relationship", sa.Text, nullable=False),
        *_stamps(),
    )
    op.create_table(
        "shops",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("handle", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("tagline", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("banner_hash", sa.Text),
        sa.Column("accent", sa.Text, nullable=False),
        *_stamps(),
    )
    op.create_index(
        "ux_shops_handle_live",
        "shops",
        ["handle"],
        unique=True,
        sqlite_where=sa.text("deleted_at IS NULL"),
    )
    op.create_table(
        "shop_sections",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("shop_id", sa.Text, sa.ForeignKey("shops.id"), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("position", sa.Text, nullable=False),
        *_stamps(),
    )
    op.create_index("ix_shop_sections_shop", "shop_sections", ["shop_id", "position"])
    op.create_table(
        "shop_items",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("section_id", sa.Text, sa.ForeignKey("shop_sections.id"), nullable=False),
        *_product(),
        sa.Column("position", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("featured", sa.Boolean, nullable=False),
        sa.Column("shelved_price_minor", sa.Integer),
        sa.Column("shelved_currency", sa.Text),
        *_stamps(),
    )
    op.create_index("ix_shop_items_section", "shop_items", ["section_id", "position"])
    op.create_index("ix_shop_items_offer", "shop_items", ["merchant", "offer_id"])
    op.create_table(
        "reviews",
        sa.Column("id", sa.Text, primary_key=True),
        *_product(),
        sa.Column("rating", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("pros", sa.Text, nullable=False),
        sa.Column("cons", sa.Text, nullable=False),
        sa.Column("provenance", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        *_stamps(),
    )
    op.create_index("ix_reviews_updated", "reviews", ["updated_at"])
    op.create_index("ix_reviews_offer", "reviews", ["merchant", "offer_id"])
    op.create_table(
        "review_photos",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("review_id", sa.Text, sa.ForeignKey("reviews.id"), nullable=False),
        sa.Column("media_hash", sa.Text, nullable=False),
        sa.Column("position", sa.Text, nullable=False),
        *_stamps(),
    )
    op.create_index("ix_review_photos_review", "review_photos", ["review_id", "position"])


def downgrade() -> None:
    op.drop_index("ix_review_photos_review", "review_photos")
    op.drop_table("review_photos")
    op.drop_index("ix_reviews_offer", "reviews")
    op.drop_index("ix_reviews_updated", "reviews")
    op.drop_table("reviews")
    op.drop_index("ix_shop_items_offer", "shop_items")
    op.drop_index("ix_shop_items_section", "shop_items")
    op.drop_table("shop_items")
    op.drop_index("ix_shop_sections_shop", "shop_sections")
    op.drop_table("shop_sections")
    op.drop_index("ux_shops_handle_live", "shops")
    op.drop_table("shops")
    op.drop_table("affiliations")
    op.drop_table("profile")
