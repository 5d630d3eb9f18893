"""Test helpers: a real local HTTP server standing in for a merchant's CDN, and a record of
every file opened and every connection made while a test runs (through audit hooks).

The studio never fetches from a local address (``studio.media.safe_fetch``); a test that needs
a CDN serves one on 127.0.0.1 and says so with ``allow_loopback``, which makes only loopback
count as public for that test - every other rule (the scheme, the single resolution, the
connection to the vetted address) still runs for real.
"""

from __future__ import annotations

import functools
import http.server
import ipaddress
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from studio.media import safe_fetch


class PictureServer:
    """Serves ``root`` over HTTP on ``host`` (port chosen by the system); ``requests`` lists
    the paths asked for, ``hosts`` the Host headers sent."""

    def __init__(self, root: Path, host: str = "127.0.0.1") -> None:
        self.root = root
        self.requests: list[str] = []
        self.hosts: list[str] = []
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                server.hosts.append(self.headers.get("Host", ""))
                super().do_GET()

            def log_message(self, *args: object) -> None:
                pass

        family = socket.AF_INET6 if ":" in host else socket.AF_INET

        class Server(http.server.ThreadingHTTPServer):
            address_family = family

        self._server = Server((host, 0), functools.partial(Handler, directory=str(root)))
        self.port = int(self._server.server_address[1])
        self.base = f"http://{f'[{host}]' if ':' in host else host}:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def serving(root: Path, host: str = "127.0.0.1") -> Iterator[PictureServer]:
    root.mkdir(parents=True, exist_ok=True)
    server = PictureServer(root, host)
    try:
        yield server
    finally:
        server.close()


def allow_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let this test's local server stand in for a CDN on the internet."""
    real = safe_fetch.is_public_address

    def public_or_loopback(ip: Any) -> bool:
        return bool(ip.is_loopback) or real(ip)

    monkeypatch.setattr(safe_fetch, "is_public_address", public_or_loopback)


class Watch:
    """Files opened and addresses connected to while active (see ``watching``)."""

    def __init__(self) -> None:
        self.opened: list[str] = []
        self.connected: list[str] = []
        self.active = False

    def hook(self, event: str, args: tuple[Any, ...]) -> None:
        if not self.active:
            return
        if event == "open" and args and isinstance(args[0], str | bytes | Path):
            self.opened.append(str(Path(str(args[0]))))
        elif event == "socket.connect" and len(args) > 1:
            address = args[1]
            host = address[0] if isinstance(address, tuple) else str(address)
            self.connected.append(str(ipaddress.ip_address(host)) if _is_ip(host) else host)


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


_WATCH = Watch()
_INSTALLED = False


@contextmanager
def watching() -> Iterator[Watch]:
    """Record every file opened and every socket connected by this process meanwhile (an
    audit hook cannot be removed: one is installed once and switched on and off)."""
    global _INSTALLED
    if not _INSTALLED:
        sys.addaudithook(_WATCH.hook)
        _INSTALLED = True
    _WATCH.opened.clear()
    _WATCH.connected.clear()
    _WATCH.active = True
    try:
        yield _WATCH
    finally:
        _WATCH.active = False
