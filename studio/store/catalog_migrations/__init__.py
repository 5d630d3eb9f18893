"""Alembic migrations of the catalog file (``catalog.sqlite3``), run by ``studio.store.db``.

The catalog has its own history since it left the content file (content migration 0005).
``HEAD`` must name the newest revision in ``versions/`` (a test checks it), as for the
content history in ``studio.store.migrations``.
"""

HEAD = "c0003"
