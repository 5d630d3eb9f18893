"""Alembic migrations of the local store, run programmatically by ``studio.store.db``.

``HEAD`` must name the newest revision in ``versions/``: the start-up fast path compares the
database's stamp with it without importing Alembic (a test checks they agree).
"""

HEAD = "0006"
