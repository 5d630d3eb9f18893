"""The real thing: ``studio-server run --demo`` as its own process on a free loopback port
(uvicorn, the engine under test), called over HTTP with httpx; what ``make server`` gives a
newcomer, and the API's behaviour end to end, gzip and body limit included."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pgcluster import new_pg_database
from serverhelp import PASSWORD, Api, slug

from bench import platform_server
from studio.protocol.catalog_wire import page_from_wire
from studio.server.db import Database


class Live:
    def __init__(self, base: str, log: Path, email: str, password: str) -> None:
        self.base, self.log, self.email, self.password = base, log, email, password


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, pg_admin_url: str | None) -> Iterator[Live]:
    folder = tmp_path_factory.mktemp("live")
    url = new_pg_database(pg_admin_url) if pg_admin_url else f"sqlite:///{folder / 'p.sqlite3'}"
    try:
        server = platform_server.start(folder / "data", "--demo", "--db", url)
    except RuntimeError as exc:
        pytest.fail(str(exc))
    base, log = server.url, server.log
    try:
        found = re.search(r"Demo curator: (\S+)\s+password: (\S+)", log.read_text())
        assert found, log.read_text()
        yield Live(base, log, found.group(1), found.group(2))
    finally:
        platform_server.stop(server)
        if pg_admin_url is None:
            Database(url).dispose()


@pytest.fixture
def client(live: Live) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.base, timeout=60) as c:
        yield c


def test_the_demo_curator_signs_in_and_gets_the_platforms_catalog(
    live: Live, client: httpx.Client
) -> None:
    r = client.post(
        "/v1/sessions",
        json={"email": live.email, "password": live.password, "device_name": "newcomer"},
    )
    assert r.status_code == 201, r.text
    headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
    merchants = client.get("/v1/merchants", headers=headers).json()["merchants"]
    assert {m["name"] for m in merchants} == {
        "Maison Lumière",
        "Trailhead Outfitters",
        "Nordlys Coffee",
        "Atelier Verde",
    }
    r = client.get(
        "/v1/catalog/changes?limit=10000", headers={**headers, "Accept-Encoding": "gzip"}
    )
    assert r.headers["content-encoding"] == "gzip"
    page = page_from_wire(r.json())
    assert len(page.changes) > 40 and not page.more
    assert {c.merchant for c in page.changes} == {m["name"] for m in merchants}
    rates = {c.product.category: str(c.commission_rate) for c in page.changes if c.product}
    assert rates["Lighting > Table Lamps"] == "0.1" and rates["Decor > Vases"] == "0.08"


def test_accounts_end_to_end_over_http(live: Live, client: httpx.Client) -> None:
    api = Api(client)
    ann = api.account("studio on loopback")
    assert api.get("/v1/me", ann).json()["email"] == ann.email
    old = ann.session["refresh_token"]
    new = client.post("/v1/sessions/refresh", json={"refresh_token": old})
    assert new.status_code == 200
    replay = client.post("/v1/sessions/refresh", json={"refresh_token": old})
    assert replay.status_code == 401 and slug(replay) == "token-reused"
    r = client.get("/v1/me", headers={"Authorization": f"Bearer {new.json()['access_token']}"})
    assert slug(r) == "revoked"
    # Passwords are never written to the server's output.
    assert PASSWORD not in live.log.read_text()


def test_hostile_requests_over_http(client: httpx.Client) -> None:
    r = client.post("/v1/sessions", content=b"{oops", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and slug(r) == "malformed"
    big = b"x" * (2 * 1024 * 1024)
    r = client.post("/v1/accounts", content=big, headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and slug(r) == "too-large"
    r = client.post(
        "/v1/accounts",
        content=iter([big[:700_000], big[:700_000]]),
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 413 and slug(r) == "too-large"
    r = client.get("/v1/me", headers={"Authorization": "Bearer va_forged"})
    assert r.status_code == 401 and slug(r) == "unauthorized"


def test_devices_and_sign_out_over_http(client: httpx.Client) -> None:
    api = Api(client)
    ann, bob = api.account("laptop"), api.account("bob's")
    desktop = api.sign_in(ann.email, "desktop").json()
    devices = api.get("/v1/me/devices", ann).json()["devices"]
    assert [(d["name"], d["current"]) for d in devices] == [("laptop", True), ("desktop", False)]
    r = client.delete(f"/v1/me/devices/{bob.device_id}", headers=ann.headers)
    assert r.status_code == 404 and slug(r) == "not-found"
    r = client.delete(f"/v1/me/devices/{desktop['device']['id']}", headers=ann.headers)
    assert r.status_code == 204
    assert client.delete("/v1/sessions/current", headers=ann.headers).status_code == 204
    assert slug(api.get("/v1/me", ann)) == "revoked"
    assert api.get("/v1/me", bob).status_code == 200
