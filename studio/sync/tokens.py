"""Where the studio keeps its platform tokens: the system keyring, else memory for the session.

The access and refresh tokens of the one signed-in account per server are one keyring entry:
service name = the app id (``io.vitrine.Studio``), user name = the server's address. They are
never written to the settings file, the log or the store.

Without a usable keyring (a headless box has keyring's ``fail`` backend; a locked keychain
raises ``KeyringError``), the studio says so ONCE (``on_notice``) and keeps the tokens in this
object's memory: signed in for the rest of the session, work goes on, nothing is written in
clear anywhere. Tests set an in-memory backend explicitly (``keyring.set_keyring``), never the
user's real keyring.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import keyring
import keyring.errors

from studio import APP_ID

log = logging.getLogger(__name__)

NO_KEYRING = (
    "no usable system keyring ({backend}): you stay signed in for this session only "
    "(the tokens are kept in memory, never written to disk)"
)


@dataclass(frozen=True, slots=True)
class Tokens:
    """A device's current pair: the short-lived access token and the rotating refresh token."""

    access: str
    refresh: str

    def __repr__(self) -> str:  # never print a secret in a log or a traceback
        return "Tokens(<hidden>)"


def usable(backend: Any) -> bool:
    """Whether ``backend`` can keep a secret: not the fail or null backends, not a chain of
    nothing."""
    from keyring.backends import chainer, fail, null

    if isinstance(backend, fail.Keyring | null.Keyring):
        return False
    return not (isinstance(backend, chainer.ChainerBackend) and not backend.backends)


class TokenStore:
    """The tokens per server address, in the keyring or (see the module docstring) memory."""

    def __init__(
        self,
        *,
        service: str = APP_ID,
        backend: Any = None,
        on_notice: Callable[[str], None] | None = None,
    ) -> None:
        self.service = service
        self._backend = backend if backend is not None else keyring.get_keyring()
        self._memory: dict[str, Tokens] = {}
        self._lock = threading.Lock()
        self._on_notice = on_notice
        self.notice: str | None = None  # set once the store fell back to memory
        if not usable(self._backend):
            self._fall_back(type(self._backend).__module__)

    @property
    def in_memory(self) -> bool:
        return self.notice is not None

    def _fall_back(self, why: str) -> None:
        if self.notice is not None:
            return
        self.notice = NO_KEYRING.format(backend=why)
        log.warning("%s", self.notice)
        if self._on_notice is not None:
            self._on_notice(self.notice)

    def get(self, server: str) -> Tokens | None:
        with self._lock:
            if self.in_memory:
                return self._memory.get(server)
            try:
                text = self._backend.get_password(self.service, server)
            except keyring.errors.KeyringError as exc:
                self._fall_back(f"{type(exc).__name__}: {exc}")
                return self._memory.get(server)
        return _decode(text)

    def put(self, server: str, tokens: Tokens) -> None:
        text = json.dumps({"access": tokens.access, "refresh": tokens.refresh})
        with self._lock:
            self._memory[server] = tokens  # also in memory: a keyring failing later loses none
            if self.in_memory:
                return
            try:
                self._backend.set_password(self.service, server, text)
            except keyring.errors.KeyringError as exc:
                self._fall_back(f"{type(exc).__name__}: {exc}")

    def clear(self, server: str) -> None:
        with self._lock:
            self._memory.pop(server, None)
            if self.in_memory:
                return
            try:
                self._backend.delete_password(self.service, server)
            except keyring.errors.PasswordDeleteError:
                pass  # nothing was stored: already signed out
            except keyring.errors.KeyringError as exc:
                self._fall_back(f"{type(exc).__name__}: {exc}")


def _decode(text: str | None) -> Tokens | None:
    """Tokens from a keyring entry; None for none or an entry this studio did not write."""
    if not text:
        return None
    try:
        data = json.loads(text)
        access, refresh = data["access"], data["refresh"]
    except (ValueError, KeyError, TypeError):
        log.warning("ignoring an unreadable platform token entry in the keyring")
        return None
    if not isinstance(access, str) or not isinstance(refresh, str):
        return None
    return Tokens(access, refresh)
