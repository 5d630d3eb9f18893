"""Routes of accounts, sessions and devices (``/v1/accounts``, ``/v1/sessions``, ``/v1/me``).

Sign-in is three steps so that argon2's ~0.1 s never runs inside a write transaction (on
SQLite that would queue every other write behind it): read the account and the sign-in
counters, verify the password outside any transaction, then write the device and its tokens
(or count the failure). Errors that must leave a write behind (a failure counted, a device
revoked for token reuse) are raised only after their transaction committed.
"""

from __future__ import annotations

import time
import uuid

from fastapi import APIRouter, Request, Response
from sqlalchemy.exc import IntegrityError

from studio.server import accounts, ratelimit, schemas
from studio.server.callers import CallerDevice, CallerUser
from studio.server.deps import CallerDep, PlatformDep
from studio.server.models import Device, User
from studio.server.problems import Problem

router = APIRouter(prefix="/v1")
_AUTH = schemas.problem_responses(401, 403)


def user_out(user: User | CallerUser) -> schemas.User:
    return schemas.User(
        id=user.id,
        email=user.email,
        handle=user.handle,
        display_name=user.display_name,
        role=user.role,  # type: ignore[arg-type]
        tier=user.tier,  # type: ignore[arg-type]
        created_at=user.created_at,
    )


def device_out(device: Device | CallerDevice, current: uuid.UUID) -> schemas.Device:
    return schemas.Device(
        id=device.id,
        name=device.name,
        created_at=device.created_at,
        last_seen_at=device.last_seen_at,
        current=device.id == current,
    )


def session_out(p: PlatformDep, issued: accounts.Issued) -> schemas.Session:
    return schemas.Session(
        access_token=issued.access_token,
        access_expires_in=p.settings.access_seconds,
        refresh_token=issued.refresh_token,
        device=device_out(issued.device, issued.device.id),
        user=user_out(issued.user),
    )


@router.post(
    "/accounts",
    status_code=201,
    response_model=schemas.User,
    responses=schemas.problem_responses(400, 409, 413, 422),
    tags=["accounts"],
)
def sign_up(body: schemas.SignUp, p: PlatformDep) -> schemas.User:
    try:
        with p.db.write() as s:
            user = accounts.create_user(
                s,
                p.passwords,
                email=body.email,
                password=body.password,
                display_name=body.display_name,
                handle=body.handle,
            )
    except IntegrityError as exc:  # the same handle or email signed up a moment before
        raise Problem("conflict", "the handle or the email was just taken") from exc
    return user_out(user)


@router.post(
    "/sessions",
    status_code=201,
    response_model=schemas.Session,
    responses=schemas.problem_responses(400, 401, 403, 413, 422, 429),
    tags=["sessions"],
)
def sign_in(body: schemas.SignIn, request: Request, p: PlatformDep) -> schemas.Session:
    limits = p.settings.sign_in
    address = request.client.host if request.client else "unknown"
    keys = ratelimit.keys_for(body.email, address, limits)
    with p.db.read() as s:
        wait = ratelimit.retry_after(s, keys, limits, time.time())
        user = None if wait else accounts.find_user(s, body.email)
    if wait:
        raise Problem(
            "rate-limited",
            f"too many failed sign-ins; try again in {wait} s",
            headers={"Retry-After": str(wait)},
        )
    verdict = p.passwords.verify(user.password_hash if user else None, body.password)
    if user is None or not verdict.ok:
        with p.db.write() as s:
            ratelimit.record_failure(s, keys, limits, time.time())
        raise Problem("unauthorized")
    if user.disabled:
        raise Problem("disabled")
    now = accounts.now_utc()
    with p.db.write() as s:
        fresh = s.get(User, user.id)
        if fresh is None or fresh.disabled:
            raise Problem("disabled")
        if verdict.rehash:
            fresh.password_hash = verdict.rehash
        device = accounts.new_device(s, fresh, body.device_name, now)
        issued = accounts.issue(s, p.settings, device, fresh, now)
    return session_out(p, issued)


@router.post(
    "/sessions/refresh",
    response_model=schemas.Session,
    responses=schemas.problem_responses(400, 401, 403, 413, 422),
    tags=["sessions"],
)
def refresh(body: schemas.Refresh, p: PlatformDep) -> schemas.Session:
    with p.db.write() as s:
        outcome = accounts.refresh(s, p.settings, body.refresh_token, accounts.now_utc())
    if isinstance(outcome, Problem):
        raise outcome
    return session_out(p, outcome)


@router.delete("/sessions/current", status_code=204, responses=_AUTH, tags=["sessions"])
def sign_out(who: CallerDep, p: PlatformDep) -> Response:
    with p.db.write() as s:
        device = s.get(Device, who.device.id)
        if device is not None:
            accounts.revoke(s, device, "signed-out", accounts.now_utc())
    return Response(status_code=204)


@router.get("/me", response_model=schemas.User, responses=_AUTH, tags=["me"])
async def me(who: CallerDep) -> schemas.User:
    # async: no I/O of its own (the token check ran in ``caller``), so no trip to a thread.
    return user_out(who.user)


@router.get("/me/devices", response_model=schemas.Devices, responses=_AUTH, tags=["me"])
def my_devices(who: CallerDep, p: PlatformDep) -> schemas.Devices:
    with p.db.read() as s:
        devices = accounts.devices_of(s, who.user.id)
    return schemas.Devices(devices=[device_out(d, who.device.id) for d in devices])


@router.delete(
    "/me/devices/{device_id}",
    status_code=204,
    responses=schemas.problem_responses(401, 403, 404, 422),
    tags=["me"],
)
def revoke_device(device_id: uuid.UUID, who: CallerDep, p: PlatformDep) -> Response:
    with p.db.write() as s:
        device = accounts.own_device(s, who.user.id, device_id)
        accounts.revoke(s, device, "revoked", accounts.now_utc())
    return Response(status_code=204)
