"""A throw-away PostgreSQL cluster for the server suite (``make test-pg``, ``.ci/run``).

``initdb`` into a temporary folder, ``pg_ctl start`` on a free loopback port with its socket in
that folder, trust authentication for the loopback only, and ``stop`` + removal at the end.
PostgreSQL refuses to run as root, so as root the folder is given to ``nobody`` and every
command runs through ``runuser -u nobody``. The binaries are Debian's
(``/usr/lib/postgresql/<version>/bin``) or whatever ``pg_ctl`` is on PATH.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy

RUN_AS = "nobody"


def find_bin() -> Path:
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).parent
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), reverse=True)
    if not found:
        raise RuntimeError(
            "PostgreSQL is not installed (no pg_ctl on PATH or in /usr/lib/postgresql/*/bin); "
            "install Debian's postgresql package"
        )
    return found[0].parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Cluster:
    """One running cluster; ``url(dbname)`` for SQLAlchemy (psycopg 3)."""

    def __init__(self) -> None:
        self.bin = find_bin()
        self.root = Path(tempfile.mkdtemp(prefix="vitrine-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        self.user = RUN_AS if self.as_root else os.environ.get("USER", "postgres")

    def _run(self, args: Sequence[str]) -> None:
        cmd = [str(a) for a in args]
        if self.as_root:
            cmd = ["runuser", "-u", RUN_AS, "--", *cmd]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{result.stdout}\n{result.stderr}")

    def start(self) -> Cluster:
        if self.as_root:
            shutil.chown(self.root, RUN_AS)
            self.root.chmod(0o700)
        self._run(
            [self.bin / "initdb", "-D", self.data, "-U", self.user, "--auth=trust", "-E", "UTF8"]
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.root} -c fsync=off -c max_connections=300 "
            "-c full_page_writes=off -c synchronous_commit=off"
        )
        self._run(
            [
                self.bin / "pg_ctl",
                "-D",
                self.data,
                "-o",
                options,
                "-l",
                self.root / "log",
                "-w",
                "start",
            ]
        )
        return self

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{dbname}"

    def stop(self) -> None:
        try:
            self._run([self.bin / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop"])
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def new_pg_database(admin_url: str) -> str:
    """A new empty database on the server; its URL."""
    name = f"vitrine_{uuid.uuid4().hex[:12]}"
    engine = sqlalchemy.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    return (
        sqlalchemy.engine.make_url(admin_url)
        .set(database=name)
        .render_as_string(hide_password=False)
    )
