"""What every route is handed: the platform's objects and the authenticated caller.

``create_app`` puts one :class:`Platform` (settings, database, password hasher, the
``last_seen_at`` recorder) on ``app.state``; routes take it and the caller through FastAPI
dependencies, so nothing is a module-level singleton and a test can run two apps side by side.

FastAPI runs a plain ``def`` dependency or route on a worker thread and an ``async def`` one
on the event loop; each trip to a thread costs a task, a queue and a wake-up. So what does no
I/O is ``async def`` (``platform``, and routes such as ``GET /v1/me``), and an authenticated
request makes one trip for the token check (``caller``), plus one for its route's own I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import BackgroundTasks, Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from studio.server import accounts, callers
from studio.server.db import Database
from studio.server.problems import Problem
from studio.server.security import Passwords
from studio.server.settings import Settings


@dataclass(frozen=True, slots=True)
class Platform:
    settings: Settings
    db: Database
    passwords: Passwords
    seen: callers.SeenRecorder


async def platform(request: Request) -> Platform:
    found: Platform = request.app.state.platform
    return found


PlatformDep = Annotated[Platform, Depends(platform)]

# auto_error=False: a missing or malformed header is our 401 problem, not FastAPI's 403.
_bearer = HTTPBearer(auto_error=False, description="an access token from POST /v1/sessions")


def caller(
    p: PlatformDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    background: BackgroundTasks,
) -> callers.Caller:
    if credentials is None or not credentials.credentials:
        raise Problem(
            "unauthorized",
            "an access token is required (Authorization: Bearer ...)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    now = accounts.now_utc()
    who = callers.authenticate(p.db, credentials.credentials, now)
    if p.seen.claim(who.device, now):
        # After the response: the caller never waits for a write lock for bookkeeping.
        background.add_task(p.seen.record, p.db, who.device.id, now)
    return who


CallerDep = Annotated[callers.Caller, Depends(caller)]
