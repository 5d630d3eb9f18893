"""A REAL platform server for the tests: ``studio-server run`` on a free loopback port with a
temporary ``--data`` folder, seeded with its own admin commands (shared by the sync tests and
the desktop's GUI tests). Tests make their own accounts through the public sign-up."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from bench.catalog_gen import generate_records
from studio.core.product import ProductRecord

PASSWORD = "correct horse battery"
ADMIN_EMAIL = "admin@vitrine.invalid"
STARTUP_SECONDS = 60  # a loaded CI machine imports FastAPI slowly; this is a bound, not a timing


def lumen_records(n: int = 40) -> list[ProductRecord]:
    """The records of the Lumen feed the ``platform`` fixture ingests (as generated)."""
    return list(generate_records(n, seed=11, merchants=1))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """A running ``studio-server`` process and its data folder."""

    url: str
    data: Path
    process: subprocess.Popen[bytes]
    log: Path

    def admin(self, *args: str) -> str:
        """Run a ``studio-server`` admin command on this server's data; its stdout."""
        done = subprocess.run(
            [sys.executable, "-m", "studio.server.app", *args, "--data", str(self.data)],
            capture_output=True,
            text=True,
            env={**os.environ, "VITRINE_PASSWORD": PASSWORD},
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def ingest(self, feed: Path, merchant: str, *extra: str) -> None:
        self.admin("ingest-feed", str(feed), "--merchant", merchant, *extra)

    def sign_up(self) -> str:
        """A new account (its email); the password is PASSWORD."""
        n = uuid.uuid4().hex[:10]
        email = f"curator{n}@example.com"
        body = {"email": email, "password": PASSWORD, "display_name": f"C {n}", "handle": f"c{n}"}
        r = requests.post(f"{self.url}/v1/accounts", json=body, timeout=30)
        assert r.status_code == 201, r.text
        return email


def _wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        if server.process.poll() is not None:
            pytest.fail(f"studio-server exited: {server.log.read_text()[-2000:]}")
        try:
            if requests.get(f"{server.url}/v1/me", timeout=2).status_code == 401:
                return
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"studio-server did not start: {server.log.read_text()[-2000:]}")
        time.sleep(0.2)


def start_server(data: Path) -> Server:
    port = free_port()
    log = data.parent / f"server-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "studio.server.app",
                "run",
                "--data",
                str(data),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}", data, process, log)
    try:
        _wait_until_up(server)
    except BaseException:
        stop_server(server)
        raise
    return server


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
