"""What every route is handed: the platform's objects and the authenticated caller.

``create_app`` puts one :class:`Platform` (settings, database, password hasher) on
``app.state``; routes take it and the caller through FastAPI dependencies, so nothing is a
module-level singleton and a test can run two apps side by side.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from studio.server import accounts
from studio.server.db import Database
from studio.server.problems import Problem
from studio.server.security import Passwords
from studio.server.settings import Settings


@dataclass(frozen=True, slots=True)
class Platform:
    settings: Settings
    db: Database
    passwords: Passwords


def platform(request: Request) -> Platform:
    found: Platform = request.app.state.platform
    return found


PlatformDep = Annotated[Platform, Depends(platform)]

# auto_error=False: a missing or malformed header is our 401 problem, not FastAPI's 403.
_bearer = HTTPBearer(auto_error=False, description="an access token from POST /v1/sessions")


def caller(
    p: PlatformDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> accounts.Caller:
    if credentials is None or not credentials.credentials:
        raise Problem(
            "unauthorized",
            "an access token is required (Authorization: Bearer ...)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    now = accounts.now_utc()
    with p.db.read() as s:
        who = accounts.authenticate(s, credentials.credentials, now)
    if accounts.needs_seen(who.device, now):
        with p.db.write() as s:
            accounts.touch(s, who.device.id, now)
        who.device.last_seen_at = now
    return who


CallerDep = Annotated[accounts.Caller, Depends(caller)]
