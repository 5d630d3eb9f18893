"""The platform server's composition root: ``create_app(settings)`` builds every object.

The database (migrated here, before the first request), the password hasher and the
settings go on ``app.state.platform`` (``studio.server.deps``); the routers, the problem
handlers, the body limit and gzip are installed on the app. Nothing else in the server makes
a long-lived object. ``main`` is the ``studio-server`` console script (``studio.server.cli``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.middleware.gzip import GZipMiddleware

from studio.server import problems, routes_accounts, routes_catalog
from studio.server.callers import SeenRecorder
from studio.server.db import Database
from studio.server.deps import Platform
from studio.server.security import Passwords
from studio.server.settings import Settings

API_VERSION = "1.0.0"
# Level 1, measured on a 10,000-product page (9.7 MB of JSON): 1.70 MB in 56 ms, where level 5
# makes 1.39 MB in 132 ms and level 9 (Starlette's default) 1.32 MB in 363 ms. Compressing is
# the server's main cost per page, and 0.3 MB more per page is cheaper than 76 ms on any link
# faster than ~30 Mbit/s (docs/server.md).
GZIP_LEVEL = 1


def create_app(settings: Settings, *, db: Database | None = None, migrate: bool = True) -> FastAPI:
    """The ASGI app for ``settings``; ``db`` shares an open Database (tests), else one is
    opened and closed with the app's lifespan."""
    database = db or Database(settings.db_url)
    if migrate:
        database.migrate()
    platform = Platform(settings, database, Passwords(settings.password_cost), SeenRecorder())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if db is None:
            database.dispose()

    app = FastAPI(
        title="Vitrine platform",
        version=API_VERSION,
        summary="Accounts, devices and merchant catalogs for Vitrine Studio",
        lifespan=lifespan,
    )
    app.state.platform = platform
    problems.install(app)
    app.include_router(routes_accounts.router)
    app.include_router(routes_catalog.router)

    @app.get("/v1/health", tags=["health"])
    def health() -> dict[str, str]:
        """Unauthenticated liveness for load balancers and scripts."""
        return {"status": "ok"}

    # Outermost first: the body limit sees the request before anything reads it.
    app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=GZIP_LEVEL)
    app.add_middleware(problems.BodyLimit, limit=settings.max_body_bytes)
    return app


def main(argv: list[str] | None = None) -> int:
    from studio.server.cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    raise SystemExit(main())
