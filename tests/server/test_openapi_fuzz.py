"""schemathesis over the app's own OpenAPI document: a few generated requests per operation
(valid and invalid ones), signed in, asserting no 5xx, the documented content type and a
body that matches the documented schema (problems included). Bounded: ``EXAMPLES`` per
operation, no shrinking deadline; the whole run takes seconds."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)
from serverhelp import Api, ingest, merchant, product

from studio.server.app import create_app
from studio.server.db import Database
from studio.server.settings import Settings

EXAMPLES = 12


@pytest.fixture
def fuzz_app(settings: Settings, db: Database) -> FastAPI:
    merchant(db, "M")
    ingest(db, "M", [product("M", f"P{i}") for i in range(3)])
    return create_app(settings, db=db, migrate=False)


@pytest.fixture
def bearer(fuzz_app: FastAPI) -> Iterator[dict[str, str]]:
    with TestClient(fuzz_app) as client:
        yield Api(client).account().headers


def _fuzz(operation: Any, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,  # the same requests on every run: a failure reproduces
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def check(case: Any) -> None:
        case.call_and_validate(
            headers=headers,
            checks=[not_a_server_error, content_type_conformance, response_schema_conformance],
        )

    check()


def test_every_operation_keeps_to_its_schema(fuzz_app: FastAPI, bearer: dict[str, str]) -> None:
    # One hypothesis run per operation, written out rather than through schemathesis'
    # pytest plugin (its fixture loader does not run on the pytest we use).
    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 10
    for operation in operations:
        # Signing the fuzzer out would leave every later case unauthorized.
        signs_out = (operation.method.upper(), operation.path) == ("DELETE", "/v1/sessions/current")
        _fuzz(operation, {} if signs_out else bearer)


def test_the_openapi_document_describes_every_route(fuzz_app: FastAPI) -> None:
    paths = fuzz_app.openapi()["paths"]
    assert set(paths) == {
        "/v1/accounts",
        "/v1/sessions",
        "/v1/sessions/refresh",
        "/v1/sessions/current",
        "/v1/me",
        "/v1/me/devices",
        "/v1/me/devices/{device_id}",
        "/v1/merchants",
        "/v1/catalog/changes",
        "/v1/health",
    }
    changes = paths["/v1/catalog/changes"]["get"]["responses"]
    assert "application/problem+json" in changes["401"]["content"]
    assert changes["200"]["content"]["application/json"]["schema"]["$ref"].endswith("ChangesPage")
