"""Alembic migrations of the platform's database, run by ``studio.server.db``.

``HEAD`` names the newest revision in ``versions/`` (a test checks it).
"""

HEAD = "s0002"
