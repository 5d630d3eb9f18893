"""Opening the local SQLite store: two files, pragmas, migrations, backups, per-thread connections.

The store is two files: the curator's content (``studio.sqlite3``: looks, boards, shops,
reviews, profile, media rows, outbox) and the merchant catalog (``catalog_path(content)``:
products and their search index), each with its own write lock and its own Alembic history
(``migrations``, ``catalog_migrations``), so that a long catalog import never holds the lock
an edit needs, while the import stays one atomic transaction of its own file.

``open_database(content_path)`` is called once per program by its composition root (through
``studio.services``). For each file it reads the schema revision with plain ``sqlite3`` first:
when the file is already at its head revision (every start but the first after an update)
neither Alembic nor SQLAlchemy is imported, which keeps the desktop's cold start short.
Otherwise it refuses a revision it does not know (a newer app wrote it: the file is left
untouched), backs an existing file up with SQLite's online backup API, and runs the file's
migrations in one transaction (the content's with the catalog attached, so revision 0005 can
move an older store's catalog into its own file).

``Database.connect()`` hands out one raw ``sqlite3`` connection per thread, in autocommit mode
(``isolation_level=None``): callers write ``BEGIN``/``COMMIT`` themselves. A content
``Database`` attaches the catalog READ-ONLY to each of its connections as ``catalog``, so
reads may join content rows to products by their unqualified names, while ``BEGIN
IMMEDIATE`` on it locks only the content file; catalog writes (imports) go through
``Database.catalog``, the catalog file's own ``Database``. ``Database.engine`` is
SQLAlchemy's, created on first use, with the same pragmas and real transactional DDL.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import weakref
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.core.errors import StoreError
from studio.store.catalog_migrations import HEAD as CATALOG_HEAD
from studio.store.migrations import HEAD

if TYPE_CHECKING:
    import sqlalchemy

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
CATALOG_MIGRATIONS_DIR = Path(__file__).resolve().parent / "catalog_migrations"
CATALOG_SCHEMA = "catalog"  # the name content connections attach the catalog under
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


def is_busy(exc: sqlite3.OperationalError) -> bool:
    """Whether ``exc`` says another connection holds a lock (SQLITE_BUSY / SQLITE_LOCKED)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


def catalog_path(content: Path) -> Path:
    """The catalog file beside a content file: ``studio.sqlite3`` -> ``catalog.sqlite3``;
    ``x.sqlite3`` -> ``x-catalog.sqlite3`` (tests and tools keep several stores in one dir)."""
    if content.name == "studio.sqlite3":
        return content.with_name("catalog.sqlite3")
    return content.with_name(f"{content.stem}-catalog{content.suffix}")


def apply_pragmas(conn: Any) -> None:
    """Set the store's pragmas on a new DBAPI connection (sqlite3 or SQLAlchemy's)."""
    cursor = conn.cursor()
    for pragma in _PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


class Database:
    """An open store file: per-thread raw connections and a lazily built SQLAlchemy engine.

    ``attach`` maps schema names to files attached read-only to every connection (a content
    file attaches its catalog); ``catalog`` is the catalog file's own ``Database`` (for its
    writes), None for a file that is not a content file. ``write_patience``: seconds a write
    waits for a busy file before StoreError (None: it waits as long as it takes, so an edit is
    never dropped); ``on_busy(waited_s)`` hears each wait (a command line says so).
    """

    def __init__(
        self,
        path: Path,
        *,
        exclusive: bool = False,
        attach: Mapping[str, Path] | None = None,
        catalog: Database | None = None,
    ) -> None:
        self.path = path
        # True when this program is the file's only user (the CLI, the benchmarks).
        self.exclusive = exclusive
        self.attach = dict(attach or {})
        self.catalog = catalog
        self.write_patience: float | None = None
        self.on_busy: Callable[[float], None] | None = None
        self._local = threading.local()
        self._lock = threading.Lock()
        # Each thread's connection, held by its thread-local: when the thread ends (a pool
        # thread expires), the holder goes and closes it, so connections (and their page
        # caches) never pile up; close() reaches the live ones through this set.
        self._held: weakref.WeakSet[_Held] = weakref.WeakSet()
        self._closed = False

    @property
    def catalog_db(self) -> Database:
        """The file catalog writes go to: the attached catalog's, or this one's."""
        return self.catalog if self.catalog is not None else self

    def _thread_connection(self) -> sqlite3.Connection:
        if self._closed:
            raise StoreError(f"{self.path}: the store is closed")
        held: _Held | None = getattr(self._local, "held", None)
        if held is not None:
            return held.conn
        # check_same_thread=False only so close() may close it; each thread uses its own.
        # A URI, so that the read-only attachments below are understood as URIs too.
        conn = sqlite3.connect(
            _uri(self.path, "rwc"),
            uri=True,
            isolation_level=None,
            check_same_thread=False,
            cached_statements=256,
        )
        apply_pragmas(conn)
        for schema, path in self.attach.items():
            # Read-only: BEGIN IMMEDIATE takes the lock of every database attached
            # read-write, and an edit must never wait for a catalog import.
            conn.execute("ATTACH DATABASE ? AS " + schema, (_uri(path, "ro"),))
        held = _Held(conn)
        self._local.held = held
        with self._lock:
            self._held.add(held)
        return conn

    @property
    def open_connections(self) -> int:
        """Connections open now (one per thread that used the store and still lives)."""
        with self._lock:
            return len(self._held)

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
        return _make_engine(self.path, {})

    def close(self) -> None:
        """Close every connection this object opened, and its catalog's (call when no thread
        uses it any more)."""
        self._closed = True
        with self._lock:
            held, self._held = list(self._held), weakref.WeakSet()
        for each in held:
            each.close()
        if self.catalog is not None:
            # Last: a read-only attachment cannot checkpoint, the catalog's own connection
            # can, so closing it after them leaves no WAL behind.
            self.catalog.close()
        if "engine" in self.__dict__:
            self.__dict__.pop("engine").dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Held:
    """A thread's connection; closed when the thread's local storage lets go of it."""

    __slots__ = ("__weakref__", "conn")

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def close(self) -> None:
        self.conn.close()

    def __del__(self) -> None:
        with contextlib.suppress(sqlite3.Error):  # at interpreter exit: nothing left to do
            self.conn.close()


def _uri(path: Path, mode: str) -> str:
    return f"{path.resolve().as_uri()}?mode={mode}"


def _make_engine(
    path: Path, attach: Mapping[str, Path], *, migrating: bool = False
) -> sqlalchemy.Engine:
    """SQLAlchemy's engine over ``path`` with the store's pragmas; ``attach``: schemas to
    attach read-write (a migration that moves rows between the files); ``migrating``: foreign
    keys unenforced, as SQLite's table rebuild needs (batch mode drops a table that others
    reference), and checked by ``_run`` before the commit instead."""
    import sqlalchemy

    engine = sqlalchemy.create_engine(f"sqlite:///{path}")

    @sqlalchemy.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin, so DDL
        # (migrations) is transactional too (SQLAlchemy's documented pysqlite recipe).
        dbapi_conn.isolation_level = None
        apply_pragmas(dbapi_conn)
        if migrating:  # only outside a transaction does this take effect
            dbapi_conn.execute("PRAGMA foreign_keys=OFF")
        for schema, other in attach.items():
            dbapi_conn.execute(f"ATTACH DATABASE ? AS {schema}", (str(other),))

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


def backup(path: Path, backup_dir: Path, revision: str | None, label: str = "studio") -> Path:
    """Copy a store file with SQLite's online backup API to
    backup_dir/<label>-<rev>-<time>.sqlite3."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = backup_dir / f"{label}-{revision or 'base'}-{stamp}.sqlite3"
    src = sqlite3.connect(_uri(path, "ro"), uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def _alembic_config(connection: sqlalchemy.Connection, script_dir: Path) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(script_dir))
    config.attributes["connection"] = connection
    return config


def _script_dir(db: Database) -> Path:
    """The migrations of ``db``: the content history for a content file, else the catalog's."""
    return MIGRATIONS_DIR if db.catalog is not None else CATALOG_MIGRATIONS_DIR


def known_revisions(script_dir: Path = MIGRATIONS_DIR) -> set[str]:
    """Every revision a migrations folder defines (imports Alembic)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(script_dir))
    return {s.revision for s in ScriptDirectory.from_config(config).walk_revisions()}


def _run(db: Database, command_name: str, target: str) -> None:
    """Alembic's upgrade or downgrade of ``db`` in one transaction; a content file's
    migrations run with its catalog attached read-write as ``catalog``."""
    from alembic import command

    attach = {CATALOG_SCHEMA: db.catalog.path} if db.catalog is not None else {}
    engine = _make_engine(db.path, attach, migrating=True)
    try:
        with engine.begin() as conn:
            getattr(command, command_name)(_alembic_config(conn, _script_dir(db)), target)
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchone()
            if broken is not None:  # rolled back: the store stays as it was
                raise StoreError(f"{db.path}: a migration left a row of {broken[0]} orphaned")
    finally:
        # An idle pooled connection would hold the file open (and the catalog attached).
        engine.dispose()


def migrate(db: Database, target: str = "head") -> None:
    """Run Alembic's upgrade to ``target`` on ``db``'s file in one transaction."""
    _run(db, "upgrade", target)


def downgrade(db: Database, target: str) -> None:
    """Run Alembic's downgrade to ``target`` (tests and recovery tools only)."""
    _run(db, "downgrade", target)


def _prepare(
    path: Path, head: str, script_dir: Path, backup_dir: Path | None, label: str
) -> tuple[bool, bool]:
    """(needs migrating, existed before) for one file; refuses a revision from a newer app
    and backs an existing file up before it is migrated."""
    path.parent.mkdir(parents=True, exist_ok=True)
    is_store, revision = (False, None)
    if path.exists() and path.stat().st_size > 0:
        is_store, revision = read_revision(path)
    if is_store and revision == head:
        return False, True
    if revision is not None and revision not in known_revisions(script_dir):
        raise StoreError(
            f"{path} was written by a newer version of Vitrine Studio (schema revision "
            f"{revision!r}); update the app to open it"
        )
    if is_store and backup_dir is not None:
        backup(path, backup_dir, revision, label)
    return True, is_store


def _migrated(db: Database) -> None:
    try:
        migrate(db)
    except Exception as exc:
        db.close()
        raise StoreError(f"{db.path}: migrating the store failed: {exc}") from exc


def open_catalog(path: Path, *, backup_dir: Path | None = None) -> Database:
    """Open (creating or migrating as needed) a catalog file on its own."""
    path = Path(path)
    needs, _existed = _prepare(path, CATALOG_HEAD, CATALOG_MIGRATIONS_DIR, backup_dir, "catalog")
    db = Database(path)
    if needs:
        _migrated(db)
    return db


def open_database(
    path: Path,
    *,
    backup_dir: Path | None = None,
    exclusive: bool = False,
    catalog: Path | None = None,
) -> Database:
    """Open (creating or migrating as needed) the store whose content file is ``path`` and
    whose catalog is ``catalog`` (default ``catalog_path(path)``): the content ``Database``,
    its catalog attached (see the module docstring), ``Database.catalog`` the catalog's own.

    ``exclusive``: the caller is the only program and thread using the files (headless tools).
    """
    path = Path(path)
    catalog_db = open_catalog(catalog or catalog_path(path), backup_dir=backup_dir)
    try:
        needs, existed = _prepare(path, HEAD, MIGRATIONS_DIR, backup_dir, "studio")
    except BaseException:
        catalog_db.close()
        raise
    db = Database(
        path, exclusive=exclusive, attach={CATALOG_SCHEMA: catalog_db.path}, catalog=catalog_db
    )
    catalog_db.exclusive = exclusive
    if needs:
        _migrated(db)
        if existed:
            _reclaim(path)
    return db


def _reclaim(path: Path) -> None:
    """VACUUM a content file whose catalog moved out (revision 0005): the freed pages of a
    large catalog would otherwise stay in it. Skipped when little is free."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        free = conn.execute("PRAGMA freelist_count").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        if free > 1024 and free * 2 > pages:
            conn.execute("VACUUM")
    finally:
        conn.close()
