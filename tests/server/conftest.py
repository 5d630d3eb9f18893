"""Fixtures of the server suite: a database on the engine under test, the app in-process,
and the same app as a real ``studio-server run`` process on a loopback port.

The engine: SQLite by default (``make test``); PostgreSQL when ``VITRINE_TEST_PG`` is set,
either to a server's URL (``postgresql+psycopg://user@host:port/db``, which may create
databases) or to ``start``, which starts a throw-away cluster for the session
(``pgcluster.Cluster``; ``make test-pg`` and ``.ci/run`` do that).

On SQLite each test gets a fresh file; on PostgreSQL one migrated database serves the
session and is emptied between tests (TRUNCATE is fast; migrating per test is not).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy
from fastapi.testclient import TestClient
from pgcluster import new_pg_database
from serverhelp import Api

from studio.server.app import create_app
from studio.server.db import Database
from studio.server.settings import TEST_PASSWORD_COST, Settings, resolve

ENV_PG = "VITRINE_TEST_PG"


def pytest_report_header() -> str:
    return f"server suite engine: {'PostgreSQL' if os.environ.get(ENV_PG) else 'SQLite'}"


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str | None]:
    """The PostgreSQL server's URL to make databases in, or None on SQLite."""
    wanted = os.environ.get(ENV_PG)
    if not wanted:
        yield None
        return
    if wanted != "start":
        yield wanted
        return
    from pgcluster import Cluster

    cluster = Cluster().start()
    try:
        yield cluster.url()
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def pg_session_db(pg_admin_url: str | None) -> Iterator[Database | None]:
    if pg_admin_url is None:
        yield None
        return
    db = Database(new_pg_database(pg_admin_url))
    db.migrate()
    yield db
    db.dispose()


_KEEP = {"alembic_version", "catalog_counter"}


@pytest.fixture
def db(tmp_path: Path, pg_session_db: Database | None) -> Iterator[Database]:
    """A migrated, empty platform database on the engine under test."""
    if pg_session_db is None:
        database = Database(f"sqlite:///{tmp_path / 'platform.sqlite3'}")
        database.migrate()
        yield database
        database.dispose()
        return
    with pg_session_db.writer.begin() as conn:
        tables = [t for t in sqlalchemy.inspect(conn).get_table_names() if t not in _KEEP]
        conn.exec_driver_sql(f"TRUNCATE {', '.join(tables)} CASCADE")
        conn.exec_driver_sql("UPDATE catalog_counter SET value = 0")
    yield pg_session_db


@pytest.fixture
def settings(tmp_path: Path, db: Database) -> Settings:
    return resolve(tmp_path / "data", db.url, password_cost=TEST_PASSWORD_COST)


@pytest.fixture
def client(settings: Settings, db: Database) -> Iterator[TestClient]:
    app = create_app(settings, db=db, migrate=False)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client)
