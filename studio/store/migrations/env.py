"""Alembic environment of the content file (``studio.store.alembic_env`` runs it)."""

from alembic import context

from studio.store.alembic_env import run_migrations
from studio.store.models import ContentBase

run_migrations(context, ContentBase.metadata)
