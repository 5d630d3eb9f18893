"""Alembic environment of the catalog file: online, on the connection ``studio.store.db``
hands over (there is no alembic.ini at run time)."""

from __future__ import annotations

from alembic import context

from studio.store.models import CatalogBase

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached by a hand-run `alembic` command
    raise RuntimeError("studio migrations run through studio.store.db.open_database()")

context.configure(
    connection=connection,
    target_metadata=CatalogBase.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies tables
)
with context.begin_transaction():
    context.run_migrations()
