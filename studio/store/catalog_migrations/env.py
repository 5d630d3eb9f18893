"""Alembic environment of the catalog file (``studio.store.alembic_env`` runs it)."""

from alembic import context

from studio.store.alembic_env import run_migrations
from studio.store.models import CatalogBase

run_migrations(context, CatalogBase.metadata)
