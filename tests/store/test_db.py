"""Opening the store: two files, migrations, pragmas, backups, a newer schema, the fast path."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from studio.core.errors import StoreError
from studio.core.product import Availability
from studio.store import db as dbmod
from studio.store.catalog_migrations import HEAD as CATALOG_HEAD
from studio.store.db import catalog_path, downgrade, known_revisions, open_database
from studio.store.migrations import HEAD
from studio.store.models import (
    AVAILABILITY_CODES,
    CatalogBase,
    ContentBase,
    availability_code,
    availability_from_code,
)


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}


def test_new_store_has_the_schema_at_head(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "dir" / "studio.sqlite3"
    db = open_database(path)
    try:
        with db.connect() as conn:
            assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
        with db.catalog_db.connect() as conn:
            version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            assert version == (CATALOG_HEAD,)
        assert catalog_path(path) == path.with_name("catalog.sqlite3")
        content, catalog = _tables(path), _tables(catalog_path(path))
        assert {"looks", "hotspots", "shops", "reviews", "outbox", "media"} <= content
        assert not {"products", "merchants", "product_fts"} & content
        names = catalog
        for table in (
            "merchants",
            "brands",
            "categories",
            "products",
            "price_history",
            "imports",
            "product_fts",
            "product_fts_src",
            "ux_products_merchant_offer",
        ):
            assert table in names
    finally:
        db.close()


@pytest.mark.parametrize(
    ("head", "folder"),
    [(HEAD, dbmod.MIGRATIONS_DIR), (CATALOG_HEAD, dbmod.CATALOG_MIGRATIONS_DIR)],
)
def test_head_constants_match_the_migration_scripts(head: str, folder: Path) -> None:
    assert head in known_revisions(folder)
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(folder))
    assert ScriptDirectory.from_config(config).get_current_head() == head


def test_each_file_matches_its_models(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    db = open_database(tmp_path / "s.sqlite3")
    try:
        for database, base in ((db, ContentBase), (db.catalog_db, CatalogBase)):
            with database.engine.connect() as conn:
                diff = compare_metadata(MigrationContext.configure(conn), base.metadata)
            # FTS5's shadow tables and the view are raw SQL on purpose, not models.
            diff = [
                d
                for d in diff
                if not (d[0] == "remove_table" and d[1].name.startswith("product_fts"))
            ]
            assert diff == [], database.path.name
    finally:
        db.close()


def test_the_catalog_is_attached_read_only_to_content_connections(tmp_path: Path) -> None:
    """Content connections read products by their plain names, and cannot write them: an
    edit's BEGIN IMMEDIATE then locks the content file only."""
    db = open_database(tmp_path / "s.sqlite3")
    try:
        with db.connect() as conn:
            assert conn.execute("SELECT count(*) FROM products").fetchone() == (0,)
            with pytest.raises(sqlite3.OperationalError, match="readonly"):
                conn.execute("INSERT INTO merchants (name) VALUES ('M')")
        with db.catalog_db.connect() as conn:
            conn.execute("INSERT INTO merchants (name) VALUES ('M')")
        with db.connect() as conn:
            assert conn.execute("SELECT name FROM merchants").fetchall() == [("M",)]
    finally:
        db.close()


def test_an_edit_takes_no_lock_the_catalog_holds(tmp_path: Path) -> None:
    """While the catalog file is locked by a writer (an import's one transaction), a content
    write transaction starts and commits at once."""
    from studio.store.looks import LookStore

    db = open_database(tmp_path / "s.sqlite3")
    importer = sqlite3.connect(catalog_path(tmp_path / "s.sqlite3"), isolation_level=None)
    try:
        importer.execute("BEGIN IMMEDIATE")
        importer.execute("INSERT INTO merchants (name) VALUES ('importing')")
        db.write_patience = 0.0  # a wait at all would fail the edit
        look = LookStore(db).create_look("Made while the catalog is being written")
        assert LookStore(db).document(look.id) is not None
        with db.connect() as conn:  # and the catalog's readers see its last commit
            assert conn.execute("SELECT count(*) FROM merchants").fetchone() == (0,)
        importer.execute("COMMIT")
    finally:
        importer.close()
        db.close()


def test_every_connection_has_wal_foreign_keys_and_pragmas(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.sqlite3")
    try:
        with db.connect() as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
            assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
            assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
            with pytest.raises(sqlite3.IntegrityError):
                conn.execute(
                    "INSERT INTO look_photos (id, look_id, media_hash, width, height, position, "
                    "crop_left, crop_top, crop_right, crop_bottom, rotation, alt_text, "
                    "created_at, updated_at) VALUES ('p', 'no-such-look', 'h', 1, 1, 'a', "
                    "0, 0, 1, 1, 0, '', 'now', 'now')"
                )
        with db.catalog_db.connect() as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            with pytest.raises(sqlite3.IntegrityError):
                conn.execute(
                    "INSERT INTO imports (merchant_id, format, started_at, added, "
                    "updated, unchanged, marked_unavailable, rejected) "
                    "VALUES (999, 'x', 'now', 0, 0, 0, 0, 0)"
                )
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        db.close()


def test_each_thread_gets_its_own_connection(tmp_path: Path) -> None:
    import threading

    db = open_database(tmp_path / "s.sqlite3")
    seen: list[sqlite3.Connection] = []

    def grab() -> None:
        with db.connect() as conn:
            seen.append(conn)

    try:
        grab()
        grab()
        thread = threading.Thread(target=grab)
        thread.start()
        thread.join()
        assert seen[0] is seen[1]
        assert seen[2] is not seen[0]
    finally:
        db.close()
    with pytest.raises(StoreError, match="closed"), db.connect():
        pass


def test_a_newer_revision_is_refused_and_the_file_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    open_database(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match=r"newer version of Vitrine Studio.*9999_future"):
        open_database(path, backup_dir=tmp_path / "backups")
    assert path.read_bytes() == before
    assert not (tmp_path / "backups").exists()


def test_a_file_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (x)")
    conn.close()
    with pytest.raises(StoreError, match="not a Vitrine Studio database"):
        open_database(path)
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError):
        open_database(garbage)


def test_migrating_an_existing_store_backs_it_up_first(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    backups = tmp_path / "backups"
    db = open_database(path)
    downgrade(db, "base")  # an honest older store: every table of 0001 gone, stamp empty
    with db.connect() as conn:
        conn.execute("CREATE TABLE keepsake (note TEXT)")
        conn.execute("INSERT INTO keepsake VALUES ('written before the upgrade')")
    db.close()
    assert "products" not in _tables(path)

    db = open_database(path, backup_dir=backups)
    try:
        with db.connect() as conn:
            assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
    finally:
        db.close()
    copies = list(backups.glob("studio-base-*.sqlite3"))
    assert len(copies) == 1
    with sqlite3.connect(copies[0]) as conn:
        assert conn.execute("SELECT note FROM keepsake").fetchall() == [
            ("written before the upgrade",)
        ]
        assert "products" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()


def test_no_backup_for_a_new_store_or_one_already_at_head(tmp_path: Path) -> None:
    backups = tmp_path / "backups"
    open_database(tmp_path / "s.sqlite3", backup_dir=backups).close()
    open_database(tmp_path / "s.sqlite3", backup_dir=backups).close()
    assert not backups.exists() or not any(backups.iterdir())


def test_opening_a_current_store_imports_neither_alembic_nor_sqlalchemy(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    open_database(path).close()
    code = (
        "import sys; from pathlib import Path; from studio.store.db import open_database; "
        f"db = open_database(Path({str(path)!r})); "
        "print(sorted(m for m in ('alembic', 'sqlalchemy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_availability_codes_round_trip() -> None:
    assert AVAILABILITY_CODES[availability_code(Availability.UNAVAILABLE)] == "unavailable"
    for value in Availability:
        assert availability_from_code(availability_code(value)) is value
    with pytest.raises(ValueError):
        availability_from_code(len(AVAILABILITY_CODES))


def test_migration_0002_rebuilds_the_search_index_of_an_existing_catalog(tmp_path: Path) -> None:
    """A 0001 store with products: the index is remade lighter, and still finds them all."""
    from studio.core.catalog import SearchQuery
    from studio.store.catalog import CatalogStore
    from tests.store.test_search_engine import rec

    path, backups = tmp_path / "s.sqlite3", tmp_path / "backups"
    db = open_database(path)
    CatalogStore(db).import_feed(
        "M",
        "test",
        [rec("M", "1", "Linen shirt"), rec("M", "2", "Crème brûlée"), rec("M", "3", "Shoe rack")],
    )
    downgrade(db, "0001")
    db.close()

    def index_sql() -> str:
        with sqlite3.connect(path) as conn:
            return str(
                conn.execute("SELECT sql FROM sqlite_master WHERE name = 'product_fts'").fetchone()[
                    0
                ]
            )

    assert "prefix='2 3', detail=full" in index_sql()

    reopened = open_database(path, backup_dir=backups)
    store = CatalogStore(reopened)
    try:
        path = catalog_path(path)  # 0005 moved the rebuilt index into the catalog's file
        assert "prefix='3', detail=column" in index_sql()
        assert len(list(backups.glob("studio-0001-*.sqlite3"))) == 1
        assert store.search(SearchQuery("sh")).total == 2
        assert store.search(SearchQuery("creme")).total == 1
        assert store.search(SearchQuery("rack ")).total == 1
    finally:
        reopened.close()


def test_an_older_store_moves_its_catalog_to_its_own_file(tmp_path: Path) -> None:
    """A store of revision 0004 kept everything in one file: opening it backs it up, moves
    the products and their search index (as it is) into the catalog file, keeps every look,
    and leaves no catalog table in the content file."""
    from studio.core.catalog import SearchQuery
    from studio.core.looks import ProductRef
    from studio.store.catalog import CatalogStore
    from studio.store.looks import LookStore
    from tests.store.test_search_engine import rec

    path, backups = tmp_path / "studio.sqlite3", tmp_path / "backups"
    db = open_database(path)
    CatalogStore(db).import_feed(
        "M", "test", [rec("M", str(i), f"Linen shirt {i}") for i in range(50)]
    )
    looks = LookStore(db)
    look = looks.create_look("Summer")
    photo = looks.add_photo(look.id, "a" * 64, 100, 100)
    looks.add_hotspot(photo.id, ProductRef(1, "M", "1"), 0.5, 0.5)
    downgrade(db, "0004")
    db.close()
    catalog_path(path).unlink()  # an honest 0004 store had no catalog file at all
    for suffix in ("-wal", "-shm"):
        Path(f"{catalog_path(path)}{suffix}").unlink(missing_ok=True)
    assert {"products", "product_fts", "looks"} <= _tables(path)

    db = open_database(path, backup_dir=backups)
    try:
        assert not {"products", "merchants", "product_fts", "product_fts_src"} & _tables(path)
        assert {"products", "product_fts"} <= _tables(catalog_path(path))
        assert len(list(backups.glob("studio-0004-*.sqlite3"))) == 1
        assert CatalogStore(db).search(SearchQuery("linen")).total == 50
        doc = LookStore(db).document(look.id)
        assert doc is not None and doc.hotspots[0].product.offer_id == "1"
        with db.catalog_db.connect() as conn:  # the index moved as it was, and is sound
            conn.execute("INSERT INTO product_fts (product_fts) VALUES ('integrity-check')")
    finally:
        db.close()
