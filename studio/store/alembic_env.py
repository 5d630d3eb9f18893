"""What both Alembic environments (the content's ``migrations``, the catalog's
``catalog_migrations``) run: always online, on the connection ``studio.store.db`` hands over.

There is no alembic.ini at run time: ``db.py`` builds the Config in code and puts an open
SQLAlchemy connection in ``config.attributes["connection"]``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import MetaData


def run_migrations(context: Any, metadata: MetaData) -> None:
    """Run the migrations of ``context`` (alembic.context) against ``metadata``."""
    connection = context.config.attributes.get("connection")
    if connection is None:  # pragma: no cover - only reached by a hand-run `alembic` command
        raise RuntimeError("studio migrations run through studio.store.db.open_database()")
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies tables
    )
    with context.begin_transaction():
        context.run_migrations()
