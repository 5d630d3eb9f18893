"""The platform's Alembic history (studio.server.migrations) makes exactly the tables of
studio.server.models, on the engine under test; a database from a newer server is refused."""

from __future__ import annotations

import pytest
import sqlalchemy
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from studio.server.db import MIGRATIONS_DIR, Database, DatabaseError
from studio.server.migrations import HEAD
from studio.server.models import Base


def test_head_names_the_newest_revision() -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_heads() == [HEAD]


def test_the_migrated_schema_is_the_models(db: Database) -> None:
    with db.writer.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    # SQLite reports a DateTime(timezone=True) as plain DATETIME: not a difference.
    real = [d for d in diff if not (isinstance(d, list) and d and d[0][0] == "modify_type")]
    assert real == []


def test_migrating_twice_changes_nothing_and_keeps_the_counter(db: Database) -> None:
    db.migrate()
    with db.read() as s:
        assert s.execute(sqlalchemy.text("SELECT id, value FROM catalog_counter")).all() == [(1, 0)]


def test_a_database_from_a_newer_server_is_refused_untouched(db: Database) -> None:
    with db.writer.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = 's9999'")
    try:
        with pytest.raises(DatabaseError, match="s9999"):
            db.migrate()
        with db.read() as s:
            version = s.execute(sqlalchemy.text("SELECT version_num FROM alembic_version"))
            assert version.scalar() == "s9999"
    finally:  # PostgreSQL's database serves the whole session
        with db.writer.begin() as conn:
            conn.exec_driver_sql(f"UPDATE alembic_version SET version_num = '{HEAD}'")
