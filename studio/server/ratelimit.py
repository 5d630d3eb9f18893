"""Failed sign-ins counted per account and per client address, in the database.

The counters live in ``sign_in_failures`` (fixed windows of ``SignInLimits.window_seconds``),
not in a process's memory, so every server process behind a load balancer sees the same
counts, and a restart forgets nothing. A key over its limit is refused with 429 and
``Retry-After`` (the seconds left in the window) BEFORE the password is checked, so a locked
account cannot be probed further, even with the right password.

Counting is one upsert (``INSERT ... ON CONFLICT DO UPDATE``): SQLite and PostgreSQL both
have it, through their own SQLAlchemy dialect constructs (both paths run in the test suite).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from studio.server.models import SignInFailures
from studio.server.settings import SignInLimits


@dataclass(frozen=True, slots=True)
class Key:
    name: str  # "account:ann@example.com" or "address:10.0.0.7"
    limit: int


def keys_for(email: str, address: str, limits: SignInLimits) -> tuple[Key, Key]:
    return (
        Key(f"account:{email.strip().casefold()}", limits.per_account),
        Key(f"address:{address}", limits.per_address),
    )


def _window(now: float, limits: SignInLimits) -> int:
    return int(now) // limits.window_seconds * limits.window_seconds


def retry_after(s: Session, keys: Sequence[Key], limits: SignInLimits, now: float) -> int | None:
    """Seconds to wait when any key has used up its window, else None."""
    start = _window(now, limits)
    counts: dict[str, int] = dict(
        s.execute(
            select(SignInFailures.key, SignInFailures.count).where(
                SignInFailures.key.in_([k.name for k in keys]),
                SignInFailures.window_start == start,
            )
        ).all()
    )
    if any(counts.get(k.name, 0) >= k.limit for k in keys):
        return max(1, start + limits.window_seconds - int(now))
    return None


def record_failure(s: Session, keys: Iterable[Key], limits: SignInLimits, now: float) -> None:
    """One more failure on each key in the current window; older windows are dropped."""
    start = _window(now, limits)
    names = [k.name for k in keys]
    dialect = s.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for name in names:
        stmt = insert(SignInFailures).values(key=name, window_start=start, count=1)
        s.execute(
            stmt.on_conflict_do_update(
                index_elements=[SignInFailures.key, SignInFailures.window_start],
                set_={"count": SignInFailures.count + 1},
            )
        )
    s.execute(
        delete(SignInFailures).where(
            SignInFailures.key.in_(names), SignInFailures.window_start < start
        )
    )
