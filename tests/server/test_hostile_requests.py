"""Bad requests get a clear 4xx problem and write nothing (studio.server.problems): malformed
JSON, huge bodies (declared or streamed), wrong types, unknown routes and methods; an
unexpected error is a bare 500 that leaks no trace."""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy
from fastapi.testclient import TestClient
from serverhelp import PASSWORD, Api, slug

from studio.server.app import create_app
from studio.server.db import Database
from studio.server.models import Device, User
from studio.server.settings import Settings

MIB = 1024 * 1024


def _rows(db: Database) -> tuple[int, int]:
    with db.read() as s:
        users = s.scalar(sqlalchemy.select(sqlalchemy.func.count()).select_from(User))
        devices = s.scalar(sqlalchemy.select(sqlalchemy.func.count()).select_from(Device))
    return int(users or 0), int(devices or 0)


def test_malformed_json_is_400_and_writes_nothing(api: Api, db: Database) -> None:
    for path in ["/v1/accounts", "/v1/sessions", "/v1/sessions/refresh"]:
        for body in [b"{", b"not json", b'{"email": "a@b.c",}', b"\xff\xfe"]:
            r = api.client.post(path, content=body, headers={"Content-Type": "application/json"})
            assert r.status_code == 400, (path, body)
            assert slug(r) == "malformed"
    assert _rows(db) == (0, 0)


def test_wrong_types_and_shapes_are_422_naming_the_field(api: Api, db: Database) -> None:
    good = {"email": "a@example.com", "password": PASSWORD, "display_name": "A", "handle": "abc"}
    for body in [
        [],
        "a string",
        {**good, "email": ["a@example.com"]},
        {**good, "password": 1234567890123},
        {**good, "display_name": None},
        {k: v for k, v in good.items() if k != "handle"},
        {**good, "display_name": "nul\u0000byte"},  # PostgreSQL text cannot hold it
    ]:
        r = api.client.post("/v1/accounts", json=body)
        assert r.status_code == 422 and slug(r) == "validation", body
        assert r.json()["errors"], body
    r = api.client.post("/v1/accounts", json={**good, "email": 5})
    assert r.json()["detail"].startswith("email:")
    r = api.client.post(
        "/v1/sessions", json={"email": "\u0000", "password": "x", "device_name": "d"}
    )
    assert r.status_code == 422 and slug(r) == "validation"
    assert _rows(db) == (0, 0)


def test_unknown_fields_are_ignored(api: Api) -> None:
    body = {
        "email": "a@example.com",
        "password": PASSWORD,
        "display_name": "A",
        "handle": "abc",
        "role": "admin",  # not the caller's to choose: ignored, like any unknown field
        "from_the_future": {"x": 1},
    }
    r = api.client.post("/v1/accounts", json=body)
    assert r.status_code == 201 and r.json()["role"] == "member"


def test_a_body_over_one_mib_is_413_before_it_is_parsed(api: Api, db: Database) -> None:
    huge = b'{"email": "' + b"a" * (MIB + 10) + b'"}'
    r = api.client.post("/v1/accounts", content=huge, headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and slug(r) == "too-large"

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit counts what arrives
        yield b'{"email": "'
        for _ in range(17):
            yield b"a" * 65536
        yield b'"}'

    r = api.client.post(
        "/v1/sessions", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 413 and slug(r) == "too-large"
    assert _rows(db) == (0, 0)
    # Just under the limit is read (and refused for what it says, not for its size).
    near = b'{"email": "' + b"a" * (MIB - 100) + b'"}'
    r = api.client.post("/v1/sessions", content=near, headers={"Content-Type": "application/json"})
    assert r.status_code == 422


def test_unknown_routes_and_methods_are_problems(api: Api) -> None:
    r = api.client.get("/v1/nothing-here")
    assert r.status_code == 404 and slug(r) == "not-found"
    r = api.client.put("/v1/me")
    assert r.status_code == 405 and slug(r) == "method-not-allowed"
    r = api.client.get("/v1/me/devices/not-a-uuid")
    assert r.status_code in (404, 405)
    r = api.client.delete("/v1/me/devices/not-a-uuid", headers={"Authorization": "Bearer x"})
    assert r.status_code in (401, 422)


def test_query_parameters_out_of_range_are_422(api: Api) -> None:
    me = api.account()
    for query in ["after=-1", "after=abc", "limit=0", "limit=10001", f"after={2**63}", "limit=1.5"]:
        r = api.get(f"/v1/catalog/changes?{query}", me)
        assert r.status_code == 422 and slug(r) == "validation", query


def test_an_unexpected_error_is_a_bare_500_without_a_trace(
    settings: Settings, db: Database
) -> None:
    app = create_app(settings, db=db, migrate=False)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.get("/boom")
    assert r.status_code == 500 and slug(r) == "server-error"
    assert "secret" not in r.text and "Traceback" not in r.text and "RuntimeError" not in r.text
