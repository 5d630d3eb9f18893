"""The platform's tables (SQLAlchemy 2 typed models), the same on SQLite and PostgreSQL.

Alembic's ``studio/server/migrations`` creates them (``0001``); a test keeps the two in
step. Nothing here is SQLite-only: ids are ``Uuid`` (CHAR(32) on SQLite, UUID on
PostgreSQL), moments are UTC (``UtcDateTime`` gives them back aware on both engines),
rates are canonical decimal text ("0.08"; SQLite has no exact decimal type).

- ``users``: ``email_key`` and ``handle_key`` are the casefolded forms, unique, so "Ann@x"
  and "ann@x" are one account; ``password_hash`` is argon2id's PHC string.
- ``devices``: one per signed-in studio, the family of its tokens. ``revoked_at`` set: signed
  out or revoked (``revoked_reason``: ``signed-out``, ``revoked``, ``token-reused``).
- ``access_tokens`` / ``refresh_tokens``: SHA-256 hex of the opaque token, never the token.
  A refresh token is used once: ``rotated_at`` set means it was exchanged; presenting it again
  revokes its device.
- ``sign_in_failures``: fixed-window counters per ``account:<email>`` / ``address:<ip>``.
- ``merchants``, ``category_rates``: commission rates; ``products``: one row per offer with
  its wire payload (JSON text made by ``studio.protocol.catalog_wire``), its effective rate and
  ``seq``, taken from the one-row ``catalog_counter`` under its row lock so that commit order
  is sequence order.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ROLES = ("member", "expert", "merchant", "admin")
TIERS = ("starter", "full")


class UtcDateTime(TypeDecorator[datetime]):
    """A moment stored in UTC and read back timezone-aware (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: the platform stores aware UTC moments")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        moment: datetime = value
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    email_key: Mapped[str] = mapped_column(String(320), unique=True)
    handle: Mapped[str] = mapped_column(String(30))
    handle_key: Mapped[str] = mapped_column(String(30), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    tier: Mapped[str] = mapped_column(String(16))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Device(Base):
    __tablename__ = "devices"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    revoked_reason: Mapped[str | None] = mapped_column(String(32), nullable=True)


class AccessToken(Base):
    __tablename__ = "access_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id"), index=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)


class RefreshToken(Base):
    __tablename__ = "refresh_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id"), index=True)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    rotated_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class SignInFailures(Base):
    __tablename__ = "sign_in_failures"

    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    window_start: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class Merchant(Base):
    __tablename__ = "merchants"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    rate: Mapped[str] = mapped_column(String(16))
    webhook_secret: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CategoryRate(Base):
    __tablename__ = "category_rates"

    merchant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("merchants.id"), primary_key=True)
    path: Mapped[str] = mapped_column(String(1000), primary_key=True)
    rate: Mapped[str] = mapped_column(String(16))


class CatalogCounter(Base):
    """One row (id 1): the last sequence number handed out."""

    __tablename__ = "catalog_counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (Index("ux_products_merchant_offer", "merchant_id", "offer_id", unique=True),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    merchant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("merchants.id"))
    offer_id: Mapped[str] = mapped_column(String(500))
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    available: Mapped[bool] = mapped_column(Boolean)
    category: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    own_rate: Mapped[str | None] = mapped_column(String(16), nullable=True)
    effective_rate: Mapped[str] = mapped_column(String(16))
    digest: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)
    # The Change's JSON before its product (catalog.change_head), rewritten with every seq.
    change_head: Mapped[str] = mapped_column(Text)
