"""Migration 0004: up from 0003 keeps the looks; down removes exactly its tables."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from studio.store.db import Database, downgrade, migrate, open_database
from studio.store.looks import LookStore
from studio.store.migrations import HEAD

NEW = {
    "profile",
    "affiliations",
    "shops",
    "shop_sections",
    "shop_items",
    "reviews",
    "review_photos",
}


def tables(db: Database) -> set[str]:
    with db.connect() as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_up_from_0003_and_down_again(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.sqlite3")
    try:
        assert tables(db) >= NEW
        downgrade(db, "0003")
        assert not NEW & tables(db) and "looks" in tables(db)
        look = LookStore(db).create_look("Kept")
        migrate(db)
        assert tables(db) >= NEW
        assert LookStore(db).document(look.id) is not None
        with db.connect() as conn:
            conn.execute("INSERT INTO shops VALUES ('1','h','t','','',NULL,'#000000','a','a',NULL)")
            conn.execute("INSERT INTO shops VALUES ('2','h','t','','',NULL,'#000000','a','a','x')")
            # The handle is unique among live shops only.
            with pytest.raises(sqlite3.IntegrityError):
                conn.execute(
                    "INSERT INTO shops VALUES ('3','h','t','','',NULL,'#000000','a','a',NULL)"
                )
            assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
    finally:
        db.close()
