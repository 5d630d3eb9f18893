"""Object-level authorization, generated from the app's route table: every route that takes an
id is called by one user with another user's ids and must answer 403 or 404, leaving the
object untouched; every route but the few public ones refuses a caller without a token.

A new route with a path parameter and no entry in ``OWNED`` fails this test: whoever adds it
says how to make another user's id for it, and so the check cannot be skipped by omission.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from fastapi import APIRouter
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from serverhelp import Account, Api, slug

# (method, path) -> the path parameters naming an object that belongs to ``owner``.
OWNED: dict[tuple[str, str], Callable[[Account], dict[str, str]]] = {
    ("DELETE", "/v1/me/devices/{device_id}"): lambda owner: {"device_id": owner.device_id},
}
# Reachable without a token; everything else must answer 401 without one.
PUBLIC = {
    ("POST", "/v1/accounts"),
    ("POST", "/v1/sessions"),
    ("POST", "/v1/sessions/refresh"),
    ("GET", "/v1/health"),
}


def _api_routes(routes: Iterable[Any]) -> Iterator[APIRoute]:
    """Every APIRoute, through included routers (FastAPI keeps them nested since 0.1xx:
    ``original_router``; flat before) and mounts."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):
            yield from _api_routes(route.original_router.routes)
        elif hasattr(route, "routes"):
            yield from _api_routes(route.routes)


def _routes(client: TestClient) -> list[tuple[str, str]]:
    app: Any = client.app
    out = [(m, r.path) for r in _api_routes(app.routes) for m in sorted(r.methods)]
    # The walk and the OpenAPI document (made from the same table) must agree: a route the
    # walk missed would escape the matrix.
    documented = {
        (method.upper(), path) for path, item in app.openapi()["paths"].items() for method in item
    }
    assert set(out) == documented
    return out


def _unlisted(client: TestClient) -> set[tuple[str, str]]:
    with_ids = {r for r in _routes(client) if "{" in r[1]}
    assert with_ids, "the matrix found no id-taking route: the route table changed shape?"
    assert not OWNED.keys() - with_ids, "OWNED names routes that no longer exist"
    return with_ids - OWNED.keys()


def test_every_route_taking_an_id_has_an_entry(client: TestClient) -> None:
    missing = _unlisted(client)
    assert not missing, f"add these routes to OWNED (how to name another user's object): {missing}"


def test_a_new_id_route_without_an_entry_is_caught(client: TestClient) -> None:
    app: Any = client.app
    router = APIRouter(prefix="/v1")

    @router.get("/looks/{look_id}")
    def look(look_id: str) -> dict[str, str]:
        return {"id": look_id}

    app.include_router(router)
    app.openapi_schema = None  # made again with the new route
    assert _unlisted(client) == {("GET", "/v1/looks/{look_id}")}


def test_no_route_serves_another_users_object(api: Api) -> None:
    ann, bob = api.account("ann's"), api.account("bob's")
    for (method, path), ids in OWNED.items():
        url = path.format(**ids(bob))
        r = api.client.request(method, url, headers=ann.headers, json={})
        assert r.status_code in (403, 404), (method, path, r.status_code)
        assert slug(r) in ("forbidden", "not-found")
    # Bob's objects are as they were: his device still signs him in.
    assert api.get("/v1/me", bob).status_code == 200
    assert [d["id"] for d in api.get("/v1/me/devices", bob).json()["devices"]] == [bob.device_id]


def test_the_owner_is_served(api: Api) -> None:
    """The matrix's ids are real: the same call by their owner succeeds."""
    for (method, path), ids in OWNED.items():
        owner = api.account()
        r = api.client.request(method, path.format(**ids(owner)), headers=owner.headers)
        assert r.status_code < 300, (method, path, r.status_code)


def test_every_other_route_needs_a_token(api: Api) -> None:
    someone = api.account()
    for method, path in _routes(api.client):
        if (method, path) in PUBLIC:
            continue
        url = path.format(**OWNED[(method, path)](someone)) if "{" in path else path
        r = api.client.request(method, url)
        assert r.status_code == 401 and slug(r) == "unauthorized", (method, path)
