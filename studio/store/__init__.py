"""The local SQLite store: SQLAlchemy models, Alembic migrations, catalog import and search."""
