"""Helpers of the server suite: an API caller with accounts made on demand, and catalog data.

``Api`` wraps an httpx-style client (FastAPI's TestClient in-process, ``httpx.Client`` for a
real process), so the same test body can run against both.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from studio.core.money import Money
from studio.core.product import ProductRecord
from studio.server import catalog
from studio.server.db import Database

PASSWORD = "correct horse battery"
PROBLEM_TYPE = "https://vitrine.invalid/problems/"
_n = itertools.count(1)


class Account:
    """A signed-in user: their User and Session bodies, and the header to call with."""

    def __init__(self, user: dict[str, Any], session: dict[str, Any], email: str) -> None:
        self.user, self.session, self.email = user, session, email

    @property
    def token(self) -> str:
        return str(self.session["access_token"])

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    @property
    def device_id(self) -> str:
        return str(self.session["device"]["id"])


class Api:
    def __init__(self, client: Any) -> None:
        self.client = client

    def sign_up(self, handle: str | None = None, email: str | None = None) -> dict[str, Any]:
        n = next(_n)
        body = {
            "email": email or f"user{n}@example.com",
            "password": PASSWORD,
            "display_name": f"User {n}",
            "handle": handle or f"user{n}",
        }
        r = self.client.post("/v1/accounts", json=body)
        assert r.status_code == 201, r.text
        user: dict[str, Any] = r.json()
        return user

    def sign_in(self, email: str, device: str = "laptop", password: str = PASSWORD) -> Any:
        return self.client.post(
            "/v1/sessions", json={"email": email, "password": password, "device_name": device}
        )

    def account(self, device: str = "laptop") -> Account:
        user = self.sign_up()
        r = self.sign_in(user["email"], device)
        assert r.status_code == 201, r.text
        return Account(user, r.json(), user["email"])

    def get(self, path: str, who: Account | None = None, **kw: Any) -> Any:
        return self.client.get(path, headers=who.headers if who else {}, **kw)


def slug(response: Any) -> str:
    """The problem's slug; asserts the response is problem details."""
    assert response.headers["content-type"].startswith("application/problem+json"), response.text
    body = response.json()
    assert body["type"].startswith(PROBLEM_TYPE) and body["status"] == response.status_code
    assert isinstance(body["title"], str) and isinstance(body["detail"], str)
    return str(body["type"].removeprefix(PROBLEM_TYPE))


def product(merchant: str, offer_id: str, **fields: Any) -> ProductRecord:
    base: dict[str, Any] = {
        "title": f"Product {offer_id}",
        "price": Money(1000, "EUR"),
        "product_type": "Home > Kitchen",
    }
    return ProductRecord(merchant=merchant, offer_id=offer_id, **{**base, **fields})


def merchant(
    db: Database, name: str, rate: str = "0.08", categories: dict[str, str] | None = None
) -> None:
    pairs = [(p, Decimal(r)) for p, r in (categories or {}).items()]
    with db.write() as s:
        catalog.add_merchant(s, name, Decimal(rate), pairs)


def ingest(db: Database, name: str, records: Iterable[ProductRecord], full: bool = True) -> Any:
    with db.write() as s:
        found = catalog.find_merchant(s, name)
        return catalog.ingest(s, found, "test", list(records), full=full)
