"""Accounts, devices and their tokens: what the routes of ``routes_accounts`` and the admin
commands do, on a Session they are handed (no HTTP here beyond the Problem they raise).

A device is one signed-in studio and the family of its tokens: an access token (15 minutes)
and a refresh token (60 days) that is exchanged on every refresh for a new pair. The old
refresh token is kept, marked rotated: presenting it again means two parties hold it, so the
device is revoked (``token-reused``) and both must sign in again. Signing out or revoking a
device keeps its rows, so a token of it answers ``revoked`` rather than ``unauthorized``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from studio.server import security
from studio.server.models import AccessToken, Device, RefreshToken, User
from studio.server.problems import Problem
from studio.server.settings import Settings


def now_utc() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Issued:
    """A new token pair, as the client receives it (the database keeps only hashes)."""

    access_token: str
    refresh_token: str
    device: Device
    user: User


def create_user(
    s: Session,
    passwords: security.Passwords,
    *,
    email: str,
    password: str,
    display_name: str,
    handle: str,
    role: str = "member",
    tier: str = "starter",
) -> User:
    """A new account; 409 ``conflict`` naming the handle or email already taken."""
    email = email.strip()
    email_key, handle_key = email.casefold(), handle.casefold()
    taken = s.execute(
        select(User.email_key, User.handle_key).where(
            (User.email_key == email_key) | (User.handle_key == handle_key)
        )
    ).all()
    if any(row.handle_key == handle_key for row in taken):
        raise Problem("conflict", f"the handle {handle!r} is taken", extra={"field": "handle"})
    if taken:
        raise Problem("conflict", "an account with this email exists", extra={"field": "email"})
    user = User(
        id=uuid.uuid4(),
        email=email,
        email_key=email_key,
        handle=handle,
        handle_key=handle_key,
        display_name=display_name,
        password_hash=passwords.hash(password),
        role=role,
        tier=tier,
        disabled=False,
        created_at=now_utc(),
    )
    s.add(user)
    s.flush()
    return user


def find_user(s: Session, email: str) -> User | None:
    return s.scalars(select(User).where(User.email_key == email.strip().casefold())).first()


def issue(s: Session, settings: Settings, device: Device, user: User, now: datetime) -> Issued:
    """A new access and refresh token for ``device``; its expired tokens are dropped."""
    access, refresh = (
        security.new_token(security.ACCESS_PREFIX),
        security.new_token(security.REFRESH_PREFIX),
    )
    s.execute(
        delete(AccessToken).where(AccessToken.device_id == device.id, AccessToken.expires_at < now)
    )
    s.add(
        AccessToken(
            token_hash=security.token_hash(access),
            device_id=device.id,
            expires_at=now + timedelta(seconds=settings.access_seconds),
        )
    )
    s.add(
        RefreshToken(
            token_hash=security.token_hash(refresh),
            device_id=device.id,
            issued_at=now,
            expires_at=now + timedelta(seconds=settings.refresh_seconds),
        )
    )
    device.last_seen_at = now
    s.flush()
    return Issued(access, refresh, device, user)


def new_device(s: Session, user: User, name: str, now: datetime) -> Device:
    device = Device(id=uuid.uuid4(), user_id=user.id, name=name, created_at=now, last_seen_at=now)
    s.add(device)
    s.flush()
    return device


def revoke(s: Session, device: Device, reason: str, now: datetime) -> None:
    if device.revoked_at is None:
        device.revoked_at, device.revoked_reason = now, reason
    # Its live access tokens stop at once (the rows stay: they answer "revoked").
    s.execute(
        update(AccessToken)
        .where(AccessToken.device_id == device.id, AccessToken.expires_at > now)
        .values(expires_at=now)
    )
    s.flush()


def refresh(s: Session, settings: Settings, token: str, now: datetime) -> Issued | Problem:
    """The next pair for a refresh token, or the Problem to answer (after this transaction
    commits: a reuse's revocation must be kept, not rolled back with the error)."""
    row = s.get(RefreshToken, security.token_hash(token))
    if row is None:
        return Problem("unauthorized", "unknown refresh token")
    device = s.get(Device, row.device_id)
    user = s.get(User, device.user_id) if device is not None else None
    if device is None or user is None:
        return Problem("unauthorized", "unknown refresh token")
    if device.revoked_at is not None:
        return Problem("revoked")
    if user.disabled:
        return Problem("disabled")
    if row.rotated_at is None and row.expires_at <= now:
        return Problem("unauthorized", "the refresh token expired; sign in again")
    # Exactly one refresh wins a race for the same token: the row is claimed by an UPDATE
    # that only matches an unrotated token (a row lock on PostgreSQL; SQLite writes in turn).
    claimed = s.execute(
        update(RefreshToken)
        .where(RefreshToken.token_hash == row.token_hash, RefreshToken.rotated_at.is_(None))
        .values(rotated_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        revoke(s, device, "token-reused", now)
        return Problem("token-reused")
    return issue(s, settings, device, user, now)


def devices_of(s: Session, user_id: uuid.UUID) -> list[Device]:
    return list(
        s.scalars(
            select(Device)
            .where(Device.user_id == user_id, Device.revoked_at.is_(None))
            .order_by(Device.created_at, Device.id)
        )
    )


def own_device(s: Session, user_id: uuid.UUID, device_id: uuid.UUID) -> Device:
    """The caller's device ``device_id``; another user's (or none) is 404, never 403, so
    ids cannot be probed."""
    device = s.get(Device, device_id)
    if device is None or device.user_id != user_id or device.revoked_at is not None:
        raise Problem("not-found", "no such device")
    return device


def set_disabled(s: Session, email: str, disabled: bool) -> User:
    user = find_user(s, email)
    if user is None:
        raise Problem("not-found", f"no account with the email {email!r}")
    user.disabled = disabled
    return user


def count_users(s: Session) -> int:
    return int(s.scalar(select(func.count()).select_from(User)) or 0)
