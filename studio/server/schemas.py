"""The API's request and response bodies (pydantic v2): what the OpenAPI document describes.

Requests are strict about types (a number where a string belongs is a 422, never coerced)
and ignore fields they do not know (a newer studio may send more). The catalog page's model
is here for the OpenAPI document only: the route writes that JSON itself, from the payloads
``studio.protocol.catalog_wire`` made at ingest, without building a model per product.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$"
    ),
]
Handle = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{3,30}$")]
Password = Annotated[str, StringConstraints(min_length=10, max_length=1000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Token = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class Request(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        # PostgreSQL text cannot hold U+0000 (a 500 there, found by schemathesis); no field
        # of ours has a use for it, so it is a 422 on either engine.
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain NUL characters")
        return value


class SignUp(Request):
    email: Email
    password: Password
    display_name: Name
    handle: Handle


class SignIn(Request):
    email: Annotated[str, StringConstraints(max_length=320)]
    password: Annotated[str, StringConstraints(max_length=1000)]
    device_name: Name


class Refresh(Request):
    refresh_token: Token


class User(BaseModel):
    id: uuid.UUID
    email: str
    handle: str
    display_name: str
    role: Literal["member", "expert", "merchant", "admin"]
    tier: Literal["starter", "full"]
    created_at: datetime


class Device(BaseModel):
    id: uuid.UUID
    name: str
    created_at: datetime
    last_seen_at: datetime
    current: bool


class Devices(BaseModel):
    devices: list[Device]


class Session(BaseModel):
    access_token: str
    access_expires_in: int
    refresh_token: str
    device: Device
    user: User


class Merchant(BaseModel):
    id: uuid.UUID
    name: str
    rate: Annotated[str, Field(pattern=r"^\d+(\.\d+)?$", examples=["0.08"])]


class Merchants(BaseModel):
    merchants: list[Merchant]


class MoneyWire(BaseModel):
    amount_minor: int
    currency: str


class ProductPayload(BaseModel):
    """Every field of ``studio.core.product.ProductRecord`` (see catalog_wire)."""

    model_config = ConfigDict(extra="allow")

    merchant: str
    offer_id: str
    title: str
    description: str
    item_group_id: str | None
    link: str | None
    image_link: str | None
    additional_images: list[str]
    price: MoneyWire | None
    sale_price: MoneyWire | None
    sale_start: str | None
    sale_end: str | None
    availability: str
    availability_date: str | None
    condition: str | None
    brand: str | None
    gtin: str | None
    mpn: str | None
    google_category: str | None
    product_type: str | None
    color: str | None
    size: str | None
    gender: str | None
    age_group: str | None
    material: str | None
    extra: list[list[str]]


class Change(BaseModel):
    seq: int
    merchant: str
    offer_id: str
    available: bool
    commission_rate: str
    product: ProductPayload | None


class ChangesPage(BaseModel):
    changes: list[Change]
    cursor: int
    more: bool


class ProblemBody(BaseModel):
    """RFC 9457 problem details; ``type`` ends in the stable slug."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` entry for each of ``statuses``: a problem+json body."""
    return {
        status: {
            "model": ProblemBody,
            "content": {"application/problem+json": {}},
            "description": "problem details (RFC 9457)",
        }
        for status in statuses
    }
