"""The transport's retry policy (studio.sync.http), seen from the other end of the wire.

The platform server never answers 503 on demand, so these few tests talk to a small stdlib
HTTP server that answers what each test scripts and counts the requests it gets; the sleeps
urllib3 would make are recorded instead of slept (no test here waits or times anything).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import urllib3.util.retry

from studio.sync.errors import RateLimited, ServerError
from studio.sync.http import MAX_RETRY_WAIT, Transport


class Scripted(ThreadingHTTPServer):
    status = 503
    headers: dict[str, str]
    seen: list[str]


class Handler(BaseHTTPRequestHandler):
    server: Scripted

    def _answer(self) -> None:
        self.server.seen.append(self.command)
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        body = json.dumps(
            {
                "type": "https://vitrine.invalid/problems/server-error",
                "title": "Scripted failure",
                "status": self.server.status,
                "detail": "scripted",
            }
        ).encode()
        self.send_response(self.server.status)
        self.send_header("Content-Type", "application/problem+json")
        self.send_header("Content-Length", str(len(body)))
        for key, value in self.server.headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_DELETE = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def scripted() -> Iterator[Scripted]:
    server = Scripted(("127.0.0.1", 0), Handler)
    server.seen, server.headers = [], {}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture()
def slept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    waits: list[float] = []
    monkeypatch.setattr(urllib3.util.retry.time, "sleep", waits.append)
    return waits


def transport(server: Scripted) -> Transport:
    host, port = server.server_address[:2]
    return Transport(f"http://{host!s}:{port}")


def test_an_idempotent_request_is_retried_honouring_retry_after(
    scripted: Scripted, slept: list[float]
) -> None:
    scripted.status, scripted.headers = 503, {"Retry-After": "2"}
    with pytest.raises(ServerError, match="Scripted failure"):
        transport(scripted).call("GET", "/v1/me")
    assert scripted.seen == ["GET"] * 4  # the first try and three retries
    assert slept == [2.0, 2.0, 2.0]


def test_a_post_is_never_sent_twice(scripted: Scripted, slept: list[float]) -> None:
    scripted.status, scripted.headers = 503, {}
    with pytest.raises(ServerError):
        transport(scripted).call("POST", "/v1/sessions/refresh", json_body={"refresh_token": "x"})
    assert scripted.seen == ["POST"]
    assert slept == []


def test_a_long_retry_after_is_reported_not_slept(scripted: Scripted, slept: list[float]) -> None:
    wait = int(MAX_RETRY_WAIT * 6)
    scripted.status, scripted.headers = 429, {"Retry-After": str(wait)}
    with pytest.raises(RateLimited) as limited:
        transport(scripted).call("GET", "/v1/catalog/changes")
    assert limited.value.retry_after == wait
    assert scripted.seen == ["GET"] and slept == []
