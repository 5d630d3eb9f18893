"""Opening the local SQLite store: pragmas, start-up migrations, backups, per-thread connections.

``open_database()`` is called once per program by its composition root. It reads the schema
revision with plain ``sqlite3`` first: when the file is already at the head revision (every
start but the first after an update) neither Alembic nor SQLAlchemy is imported, which keeps the
desktop's cold start short. Otherwise it refuses a revision it does not know (a newer app wrote
it: the file is left untouched), backs an existing database up with SQLite's online backup API,
and runs the Alembic migrations in one transaction.

``Database.connect()`` hands out one raw ``sqlite3`` connection per thread, in autocommit mode
(``isolation_level=None``): callers write ``BEGIN``/``COMMIT`` themselves, which is what the
bulk importer and the search fast paths want. ``Database.engine`` is SQLAlchemy's, created on
first use, with the same pragmas and real transactional DDL.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.core.errors import StoreError
from studio.store.migrations import HEAD

if TYPE_CHECKING:
    import sqlalchemy

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Per connection, and every UI worker thread has one: kept small so that scans (the search
# columns' build reads every product) do not leave tens of MB of pages per thread (the desktop
# must stay under 250 MB with a 1M catalog). The bulk importer raises its own connection's
# cache while it runs and puts it back after.
CACHE_SIZE_KIB = 6 * 1024
BUSY_TIMEOUT_MS = 10_000
_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA synchronous=NORMAL",
    f"PRAGMA cache_size=-{CACHE_SIZE_KIB}",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    "PRAGMA temp_store=MEMORY",
)


def apply_pragmas(conn: Any) -> None:
    """Set the store's pragmas on a new DBAPI connection (sqlite3 or SQLAlchemy's)."""
    cursor = conn.cursor()
    for pragma in _PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


class Database:
    """An open store file: per-thread raw connections and a lazily built SQLAlchemy engine."""

    def __init__(self, path: Path, *, exclusive: bool = False) -> None:
        self.path = path
        # True when this program is the file's only user (the CLI, the benchmarks): bulk
        # imports may then take the file for themselves (see importer). The desktop keeps it
        # False so its readers are never blocked by an import.
        self.exclusive = exclusive
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._closed = False

    def _thread_connection(self) -> sqlite3.Connection:
        if self._closed:
            raise StoreError(f"{self.path}: the store is closed")
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            # check_same_thread=False only so close() may close it; each thread uses its own.
            conn = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False, cached_statements=256
            )
            apply_pragmas(conn)
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """The calling thread's raw connection (autocommit; an open transaction is rolled back
        if the block raises). The connection stays open for the thread's next call."""
        conn = self._thread_connection()
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.rollback()
            raise

    @cached_property
    def engine(self) -> sqlalchemy.Engine:
        return _make_engine(self.path)

    def close(self) -> None:
        """Close every connection this object opened (call when no thread uses it any more)."""
        self._closed = True
        with self._lock:
            conns, self._connections = self._connections, []
        for conn in conns:
            conn.close()
        if "engine" in self.__dict__:
            self.__dict__.pop("engine").dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _make_engine(path: Path) -> sqlalchemy.Engine:
    import sqlalchemy

    engine = sqlalchemy.create_engine(f"sqlite:///{path}")

    @sqlalchemy.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin, so DDL
        # (migrations) is transactional too (SQLAlchemy's documented pysqlite recipe).
        dbapi_conn.isolation_level = None
        apply_pragmas(dbapi_conn)

    @sqlalchemy.event.listens_for(engine, "begin")
    def _on_begin(conn: sqlalchemy.Connection) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


def read_revision(path: Path) -> tuple[bool, str | None]:
    """(is a store, its revision), read without writing; (False, None) for a file with no tables.

    A file with tables but no ``alembic_version`` is not ours: StoreError.
    """
    try:
        # Read-write but without pragmas, so nothing is written, except that SQLite rolls back
        # a hot journal left by a killed import (a read-only connection could not).
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True)
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open the store: {exc}") from exc
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            return False, None
        if "alembic_version" not in tables:
            raise StoreError(f"{path}: not a Vitrine Studio database")
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return True, (row[0] if row else None)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: not a Vitrine Studio database ({exc})") from exc
    finally:
        conn.close()


def backup(path: Path, backup_dir: Path, revision: str | None) -> Path:
    """Copy the store with SQLite's online backup API to backup_dir/studio-<rev>-<time>.sqlite3."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = backup_dir / f"studio-{revision or 'base'}-{stamp}.sqlite3"
    src = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def _alembic_config(connection: sqlalchemy.Connection) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def known_revisions() -> set[str]:
    """Every revision the migrations folder defines (imports Alembic)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return {s.revision for s in ScriptDirectory.from_config(config).walk_revisions()}


def migrate(db: Database, target: str = "head") -> None:
    """Run Alembic's upgrade to ``target`` in one transaction on ``db``."""
    from alembic import command

    with db.engine.begin() as conn:
        command.upgrade(_alembic_config(conn), target)


def downgrade(db: Database, target: str) -> None:
    """Run Alembic's downgrade to ``target`` (tests and recovery tools only)."""
    from alembic import command

    with db.engine.begin() as conn:
        command.downgrade(_alembic_config(conn), target)


def open_database(
    path: Path, *, backup_dir: Path | None = None, exclusive: bool = False
) -> Database:
    """Open (creating or migrating as needed) the store at ``path``; see the module docstring.

    ``exclusive``: the caller is the only program and thread using the file (headless tools),
    which lets a merchant's first import skip the WAL's double write.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    is_store, revision = (False, None)
    if path.exists() and path.stat().st_size > 0:
        is_store, revision = read_revision(path)
    if is_store and revision == HEAD:
        return Database(path, exclusive=exclusive)
    if revision is not None and revision not in known_revisions():
        raise StoreError(
            f"{path} was written by a newer version of Vitrine Studio (schema revision "
            f"{revision!r}); update the app to open it"
        )
    if is_store and backup_dir is not None:
        backup(path, backup_dir, revision)
    db = Database(path, exclusive=exclusive)
    try:
        migrate(db)
    except Exception as exc:
        db.close()
        raise StoreError(f"{path}: migrating the store failed: {exc}") from exc
    # Release the migration's pooled connection: an idle extra connection would keep the
    # bulk importer from switching journal modes (the engine is rebuilt on next use).
    db.__dict__.pop("engine").dispose()
    return db
