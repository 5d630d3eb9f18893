"""The platform's database: engines for SQLite and PostgreSQL, migrations, transactions.

SQLite (the embedded default) runs in WAL mode with a busy timeout and foreign keys on. Its
reads begin deferred (readers never wait), its writes ``BEGIN IMMEDIATE``: a write
transaction that first read and then met another writer's commit would otherwise fail with
"database is locked" instead of waiting its turn. So a SQLite ``Database`` has two engines
over one file, a reader and a writer; PostgreSQL (psycopg 3) needs only one, its row locks do
the rest (the catalog counter's ``UPDATE`` holds its row until commit).

Every request or command opens ``db.read()`` or ``db.write()``: one Session, one
transaction, committed on success and rolled back on any exception. ``db.lookup()`` is the
token check's: a Core connection in autocommit for ONE statement (a single SELECT is atomic
on both engines), which spares each authenticated request a BEGIN and a ROLLBACK (SQLite
calls; PostgreSQL round trips) and the ORM's cost (measured in docs/server.md).

Pools are sized for the threads that use them: FastAPI runs sync routes and dependencies on
anyio's worker threads (40 by default), and a thread holds one connection at a time, so 40
per engine is never waited on (the overflow covers threads started outside anyio, such as a
test's); a PostgreSQL server needs ``max_connections`` of 60 per server process at most.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 30_000
# anyio's default thread limiter: the most threads of one process that use the database.
WORKER_THREADS = 40


class DatabaseError(Exception):
    """The database cannot be used (unreachable, newer than this server, not ours)."""


def _sqlite_engine(url: str, *, begin: str | None) -> Engine:
    """An engine whose transactions start with ``begin`` ("BEGIN IMMEDIATE", "BEGIN"), or,
    with None, none at all: every statement is its own transaction (lookups)."""
    engine = sqlalchemy.create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        pool_size=WORKER_THREADS,
        max_overflow=WORKER_THREADS,
    )

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling is off: the "begin" hook below decides.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")  # WAL keeps it durable across crashes
        cursor.close()

    if begin is not None:

        @event.listens_for(engine, "begin")
        def _begin(conn: sqlalchemy.Connection) -> None:
            conn.exec_driver_sql(begin)

    return engine


class Database:
    """One platform database: ``read()`` and ``write()`` transactions, ``migrate()``."""

    def __init__(self, url: str) -> None:
        try:
            self._open(url)
        except sqlalchemy.exc.ArgumentError as exc:  # a typo in --db, or a driver not installed
            raise DatabaseError(
                f"not a usable database URL ({exc}); use sqlite:///PATH or "
                "postgresql+psycopg://USER:PASSWORD@HOST/DB"
            ) from exc

    def _open(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            path = sqlalchemy.engine.make_url(url).database
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.reader = _sqlite_engine(url, begin="BEGIN")
            self.writer = _sqlite_engine(url, begin="BEGIN IMMEDIATE")
            self.lookups = _sqlite_engine(url, begin=None)
        else:
            self.reader = self.writer = sqlalchemy.create_engine(
                url,
                pool_size=WORKER_THREADS,
                max_overflow=WORKER_THREADS // 2,
                pool_pre_ping=True,
            )
            # The same pool; each checkout is put in autocommit and reset on its return.
            self.lookups = self.reader.execution_options(isolation_level="AUTOCOMMIT")
        self._read = sessionmaker(self.reader, expire_on_commit=False)
        self._write = sessionmaker(self.writer, expire_on_commit=False)

    @contextmanager
    def read(self) -> Iterator[Session]:
        # Closing ends the transaction without expiring what was read (a rollback would).
        with self._read() as session:
            yield session

    @contextmanager
    def lookup(self) -> Iterator[sqlalchemy.Connection]:
        """A connection for one read-only statement, in autocommit (no transaction)."""
        with self.lookups.connect() as conn:
            yield conn

    @contextmanager
    def write(self) -> Iterator[Session]:
        with self._write.begin() as session:
            yield session

    def migrate(self) -> None:
        """Bring the schema to the newest revision (one transaction); refuse a database
        written by a newer server instead of touching it."""
        from alembic import command
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        known = {s.revision for s in ScriptDirectory.from_config(config).walk_revisions()}
        try:
            with self.writer.begin() as conn:
                current = _current_revision(conn)
                if current is not None and current not in known:
                    raise DatabaseError(
                        f"the database is at revision {current}, unknown to this server "
                        "(written by a newer version?); it was left untouched"
                    )
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
        except sqlalchemy.exc.OperationalError as exc:
            raise DatabaseError(f"cannot open the database: {_reason(exc)}") from exc

    def dispose(self) -> None:
        self.reader.dispose()
        if self.is_sqlite:
            self.writer.dispose()
            self.lookups.dispose()


def _current_revision(conn: sqlalchemy.Connection) -> str | None:
    if not sqlalchemy.inspect(conn).has_table("alembic_version"):
        return None
    row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    return None if row is None else str(row[0])


def _reason(exc: sqlalchemy.exc.DBAPIError) -> str:
    """The driver's first line, without SQLAlchemy's SQL echo and link."""
    return str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
