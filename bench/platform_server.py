"""A real ``studio-server`` for the platform figures: a data folder of its own, a merchant's
feed ingested with the server's own admin command, then ``studio-server run`` on a free
loopback port, stopped when the figure is measured.

The data folder is made by the caller in a temporary folder of its own (never the shared
``bench/.data``, which other runs may be reading); ingesting the bench's 1M-item feed takes
the server about a minute and a half.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

PASSWORD = "bench password, long enough"
EMAIL = "bench@vitrine.invalid"
STARTUP_SECONDS = 120  # a bound on a loaded machine, not a timing
_SERVER = (sys.executable, "-m", "studio.server.app")


@dataclass
class BenchServer:
    """A running ``studio-server run`` process."""

    url: str
    data: Path
    process: subprocess.Popen[bytes]
    log: Path


def admin(data: Path, *args: str) -> str:
    """Run a ``studio-server`` admin command on ``data``; its stdout (RuntimeError on failure)."""
    done = subprocess.run(
        [*_SERVER, *args, "--data", str(data)],
        capture_output=True,
        text=True,
        env={**os.environ, "VITRINE_PASSWORD": PASSWORD},
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"studio-server {args[0]} failed: {done.stderr[-2000:]}")
    return done.stdout


def seed(data: Path, feed: Path, merchant: str, rate: str = "8%") -> None:
    """A platform with ``merchant`` (its commission ``rate``), its ``feed`` ingested, and the
    bench's curator account (EMAIL, PASSWORD)."""
    admin(data, "migrate")
    admin(data, "merchants", "add", merchant, "--rate", rate)
    admin(data, "ingest-feed", str(feed), "--merchant", merchant)
    admin(data, "users", "add", "--email", EMAIL, "--handle", "bench")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(data: Path, *args: str) -> BenchServer:
    """``studio-server run`` on ``data`` on a free loopback port (``args``: more of its
    options, e.g. ``--demo``, ``--db URL``, ``--workers 2``), once it answers; RuntimeError
    naming its log's end when it exits or never answers. The tests start theirs here too."""
    port = _free_port()
    log = data.parent / f"server-{port}.log"
    command = [*_SERVER, "run", "--data", str(data), "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    server = BenchServer(f"http://127.0.0.1:{port}", data, process, log)
    deadline = time.monotonic() + STARTUP_SECONDS
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"studio-server exited: {log.read_text()[-2000:]}")
            try:
                if requests.get(f"{server.url}/v1/health", timeout=2).status_code == 200:
                    return server
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"studio-server did not start: {log.read_text()[-2000:]}")
            time.sleep(0.2)
    except BaseException:
        stop(server)
        raise


def stop(server: BenchServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
