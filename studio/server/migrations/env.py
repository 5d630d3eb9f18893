"""Alembic environment of the platform's database (``studio.server.db.Database.migrate`` runs
it, always online, on the connection it hands over in ``config.attributes``)."""

from alembic import context

from studio.server.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached by a hand-run `alembic` command
    raise RuntimeError("the platform's migrations run through `studio-server migrate`")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite rebuilds tables to alter
)
with context.begin_transaction():
    context.run_migrations()
