"""Typed errors of talking to the platform, mapped from the API's problem slugs.

The server answers every failure with RFC 9457 problem details whose ``type`` ends in a stable
slug (``.../problems/revoked``); ``from_problem`` maps the slug, never the wording, to one of
the classes below, so the desktop and the command line say what happened and what to do:
sign in again, wait N seconds, check the address... Failures that never reached the server
(refused connection, DNS, timeout) are ``Offline``; a certificate the studio cannot verify is
``TlsFailure``. Every class is a ``StudioError``: the command line prints it as one line.
"""

from __future__ import annotations

import math
from typing import Any

from studio.core.errors import StudioError

PROBLEM_PREFIX = "https://vitrine.invalid/problems/"


class PlatformError(StudioError):
    """A request to the platform failed; ``reason`` is one line for a person."""

    def __init__(self, reason: str, *, status: int | None = None, slug: str | None = None):
        self.reason = reason
        self.status = status
        self.slug = slug
        super().__init__(reason)


class InsecureServer(PlatformError):
    """The server address is refused before anything is sent: plain http to a host that is
    not this machine (a password would cross the network in clear), or not a web address."""


class Offline(PlatformError):
    """The server could not be reached: no connection, a name that does not resolve, a
    timeout. Nothing was changed on either side; trying again later is the remedy."""


class TlsFailure(Offline):
    """The server's certificate could not be verified (expired, self-signed, wrong name)."""


class NotSignedIn(PlatformError):
    """This studio holds no usable session for the server: sign in first."""


class SignInAgain(NotSignedIn):
    """The session ended on the server (signed out or revoked on another device, a refresh
    token replayed): the tokens were cleared here; local work is untouched."""


class WrongCredentials(PlatformError):
    """Sign-in refused: the email or the password is wrong (the server does not say which)."""


class AccountDisabled(PlatformError):
    """The account is disabled on the platform."""


class RateLimited(PlatformError):
    """Too many attempts; ``retry_after`` seconds to wait (None when the server named none)."""

    def __init__(self, reason: str, *, retry_after: float | None, status: int = 429):
        self.retry_after = retry_after
        super().__init__(reason, status=status, slug="rate-limited")


class Conflict(PlatformError):
    """The handle or email is taken (sign-up)."""


class NotFound(PlatformError):
    """The object does not exist or is not the caller's (a device id of another account)."""


class Forbidden(PlatformError):
    """The account may not do this."""


class BadRequest(PlatformError):
    """The server refused what the studio sent (invalid, malformed, too large): a bug of
    the studio or a server of another version; the problem's detail says which field."""


class ServerError(PlatformError):
    """The server failed (5xx) or answered something that is not the API (a proxy's page)."""


_BY_SLUG: dict[str, type[PlatformError]] = {
    "validation": BadRequest,
    "malformed": BadRequest,
    "too-large": BadRequest,
    "unauthorized": NotSignedIn,
    "token-reused": SignInAgain,
    "revoked": SignInAgain,
    "disabled": AccountDisabled,
    "forbidden": Forbidden,
    "not-found": NotFound,
    "conflict": Conflict,
    "server-error": ServerError,
}


def slug_of(problem: dict[str, Any]) -> str | None:
    """The stable slug of a problem document (the last path segment of its ``type``)."""
    kind = problem.get("type")
    if not isinstance(kind, str) or not kind.startswith(PROBLEM_PREFIX):
        return None
    return kind[len(PROBLEM_PREFIX) :] or None


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header given in seconds (the API's form); None when
    absent or not a number (an HTTP date is not used by the platform)."""
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def from_problem(
    status: int, problem: dict[str, Any] | None, *, retry_after: str | None = None
) -> PlatformError:
    """The typed error for a failed response: by the problem's slug when it has one, else by
    the status alone (a proxy's error page is no problem document)."""
    problem = problem or {}
    slug = slug_of(problem)
    title = problem.get("title") if isinstance(problem.get("title"), str) else None
    detail = problem.get("detail") if isinstance(problem.get("detail"), str) else None
    if slug == "rate-limited" or status == 429:
        wait = parse_retry_after(retry_after)
        when = f"try again in {math.ceil(wait)} s" if wait is not None else "try again later"
        return RateLimited(f"too many attempts: {when}", retry_after=wait, status=status)
    cls = _BY_SLUG.get(slug or "")
    if cls is None:
        cls = _by_status(status)
    if cls is SignInAgain:
        reason = "the session ended on the server (signed out or revoked): sign in again"
    elif cls is ServerError:
        reason = f"the server failed: {title or f'HTTP {status}'}"
    else:
        reason = detail or title or f"HTTP {status}"
    return cls(reason, status=status, slug=slug)


def _by_status(status: int) -> type[PlatformError]:
    if status >= 500:
        return ServerError
    return {
        401: NotSignedIn,
        403: Forbidden,
        404: NotFound,
        409: Conflict,
    }.get(status, BadRequest if 400 <= status < 500 else ServerError)
