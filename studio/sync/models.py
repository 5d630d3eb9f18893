"""The platform's answers as plain, immutable values: the account, its devices, a session.

Read from the JSON of the platform API v1 (``User``, ``Device``, ``Session``, the
merchants) field by field; an answer that does not have the contract's shape is a
``ServerError`` naming the field (a server of another version, a proxy), never a half-built
value. Unknown fields are ignored, so a newer server may add some. These values cross threads
freely (the desktop reads them on a worker and shows them on the GUI thread).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from studio.protocol.catalog_wire import WireError, parse_rate
from studio.sync.errors import ServerError


@dataclass(frozen=True, slots=True)
class User:
    id: str
    email: str
    handle: str
    display_name: str
    role: str  # member | expert | merchant | admin
    tier: str  # starter | full: the platform sets it; the studio never raises it itself
    created_at: str

    def as_dict(self) -> dict[str, str]:
        return {
            "id": self.id,
            "email": self.email,
            "handle": self.handle,
            "display_name": self.display_name,
            "role": self.role,
            "tier": self.tier,
            "created_at": self.created_at,
        }


@dataclass(frozen=True, slots=True)
class Device:
    id: str
    name: str
    created_at: str
    last_seen_at: str | None
    current: bool

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "created_at": self.created_at,
            "last_seen_at": self.last_seen_at,
            "current": self.current,
        }


@dataclass(frozen=True, slots=True)
class SignedIn:
    """What a sign-in or a refresh answered, without the tokens (kept by the TokenStore)."""

    user: User
    device: Device
    access_expires_in: int


@dataclass(frozen=True, slots=True)
class PlatformMerchant:
    id: str
    name: str
    rate: Decimal


def _obj(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ServerError(f"the server's answer is not the API's: {what} is not an object")
    return value


def _str(obj: dict[str, Any], name: str, what: str) -> str:
    value = obj.get(name)
    if not isinstance(value, str):
        raise ServerError(f"the server's answer is not the API's: {what}.{name} is missing")
    return value


def user_from(value: Any) -> User:
    obj = _obj(value, "user")
    return User(
        *(
            _str(obj, n, "user")
            for n in ("id", "email", "handle", "display_name", "role", "tier", "created_at")
        )
    )


def device_from(value: Any) -> Device:
    obj = _obj(value, "device")
    seen = obj.get("last_seen_at")
    current = obj.get("current", False)
    return Device(
        id=_str(obj, "id", "device"),
        name=_str(obj, "name", "device"),
        created_at=_str(obj, "created_at", "device"),
        last_seen_at=seen if isinstance(seen, str) else None,
        current=current is True,
    )


def session_from(value: Any) -> tuple[SignedIn, str, str]:
    """(what was signed in, access token, refresh token) of a ``Session`` answer."""
    obj = _obj(value, "session")
    expires = obj.get("access_expires_in")
    if type(expires) is not int:
        raise ServerError("the server's answer is not the API's: access_expires_in")
    signed = SignedIn(user_from(obj.get("user")), device_from(obj.get("device")), expires)
    return signed, _str(obj, "access_token", "session"), _str(obj, "refresh_token", "session")


def devices_from(value: Any) -> list[Device]:
    items = _obj(value, "answer").get("devices")
    if not isinstance(items, list):
        raise ServerError("the server's answer is not the API's: devices is not a list")
    return [device_from(d) for d in items]


def merchants_from(value: Any) -> list[PlatformMerchant]:
    items = _obj(value, "answer").get("merchants")
    if not isinstance(items, list):
        raise ServerError("the server's answer is not the API's: merchants is not a list")
    out = []
    for item in items:
        obj = _obj(item, "merchant")
        try:
            rate = parse_rate(obj.get("rate"), "rate")
        except WireError as exc:
            raise ServerError(f"the server's answer is not the API's: {exc}") from exc
        name = _str(obj, "name", "merchant")
        out.append(PlatformMerchant(_str(obj, "id", "merchant"), name, rate))
    return out
