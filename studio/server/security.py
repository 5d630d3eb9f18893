"""Passwords and tokens: argon2id hashes (argon2-cffi) and opaque random tokens kept hashed.

A password is hashed with argon2id at ``Settings.password_cost`` and never logged; a hash
made with older (cheaper) parameters is re-hashed at the next good sign-in. A sign-in with an
unknown email still verifies against a dummy hash, so the answer takes as long as for a wrong
password (no account enumeration by timing).

Tokens are ``secrets.token_urlsafe(32)`` (256 bits) with a readable prefix (``va_`` access,
``vr_`` refresh); the database holds only their SHA-256, so a copy of it signs no one in.
SHA-256 suffices here (unlike passwords): a 256-bit random token cannot be guessed.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from studio.server.settings import PasswordCost

TOKEN_BYTES = 32
ACCESS_PREFIX = "va_"
REFRESH_PREFIX = "vr_"


def new_token(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def webhook_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(TOKEN_BYTES)


@dataclass(frozen=True, slots=True)
class Verdict:
    ok: bool
    # A new hash to store (the stored one used older parameters); None when it is current.
    rehash: str | None = None


class Passwords:
    """argon2id at one cost; ``verify`` of any stored hash, re-hashing an outdated one."""

    def __init__(self, cost: PasswordCost) -> None:
        self.cost = cost
        self._hasher = PasswordHasher(
            time_cost=cost.time_cost,
            memory_cost=cost.memory_kib,
            parallelism=cost.parallelism,
        )
        # Verified against when the email is unknown: the same work as a wrong password.
        self._dummy = self._hasher.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored: str | None, password: str) -> Verdict:
        try:
            self._hasher.verify(stored or self._dummy, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return Verdict(False)
        if stored is None:
            return Verdict(False)
        if self._hasher.check_needs_rehash(stored):
            return Verdict(True, self._hasher.hash(password))
        return Verdict(True)
