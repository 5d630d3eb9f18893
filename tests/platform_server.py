"""A REAL platform server for the tests: ``studio-server run`` on a free loopback port with a
temporary ``--data`` folder, seeded with its own admin commands (shared by the sync tests and
the desktop's GUI tests). Tests make their own accounts through the public sign-up."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from bench import platform_server
from bench.catalog_gen import generate_records
from studio.core.product import ProductRecord

PASSWORD = "correct horse battery"
ADMIN_EMAIL = "admin@vitrine.invalid"


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


def start_server(data: Path) -> Server:
    """``studio-server run`` on ``data`` (already seeded) on a free loopback port, once it
    answers (``bench.platform_server.start``: one way to start a server, for benches and
    tests alike)."""
    try:
        running = platform_server.start(data)
    except RuntimeError as exc:
        pytest.fail(str(exc))
    return Server(running.url, data, running.process, running.log)


def stop_server(server: Server) -> None:
    platform_server.stop(
        platform_server.BenchServer(server.url, server.data, server.process, server.log)
    )
