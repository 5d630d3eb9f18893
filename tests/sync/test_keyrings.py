"""Keyring backends for the tests, set explicitly: never the user's real keyring.

``MemoryKeyring`` for tests in this process (``keyring.set_keyring``); ``FileKeyring`` for
``studio`` run as a child process, which finds it through ``PYTHON_KEYRING_BACKEND`` and keeps
its entries in the JSON file ``$VITRINE_TEST_KEYRING`` so that a ``studio login`` and the
``studio account`` after it (two processes) share them, as a desktop keyring would.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

ENV_FILE = "VITRINE_TEST_KEYRING"


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError("no such entry")


class FileKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def _path(self) -> Path:
        return Path(os.environ[ENV_FILE])

    def _load(self) -> dict[str, str]:
        path = self._path()
        return json.loads(path.read_text()) if path.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}|{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        entries = self._load()
        entries[f"{service}|{username}"] = password
        self._path().write_text(json.dumps(entries))

    def delete_password(self, service: str, username: str) -> None:
        entries = self._load()
        if entries.pop(f"{service}|{username}", None) is None:
            raise PasswordDeleteError("no such entry")
        self._path().write_text(json.dumps(entries))


def test_the_memory_keyring_keeps_and_forgets() -> None:
    ring = MemoryKeyring()
    ring.set_password("s", "u", "p")
    assert ring.get_password("s", "u") == "p"
    ring.delete_password("s", "u")
    assert ring.get_password("s", "u") is None
