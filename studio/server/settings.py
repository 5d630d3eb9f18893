"""What a platform server process is configured with, and where its data lives.

One frozen ``Settings`` value is made by the command line (``studio.server.cli``) and handed
to ``create_app``; nothing reads the environment after that. The data folder is ``--data DIR``,
else ``$VITRINE_SERVER_HOME``, else the platform's user data folder (platformdirs); the
database is ``--db URL``, else an embedded SQLite file in that folder. The token lifetimes,
argon2 costs and sign-in limits have the contract's defaults; tests shorten some of them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import platformdirs

ENV_HOME = "VITRINE_SERVER_HOME"
# The database URL handed to the processes of ``run --workers N`` (like ``--db``).
ENV_DB = "VITRINE_SERVER_DB"
APP_DIR_NAME = "vitrine-server"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8750
MAX_BODY_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class PasswordCost:
    """argon2id's parameters (RFC 9106's second recommended option, memory-constrained:
    64 MiB, 3 passes, 4 lanes). A sign-in costs one hash of this size; docs/server.md
    states it, and ``make bench`` measures it."""

    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 4


# Cheap parameters for tests only: the hashing is the same code, a hundredth of the work.
TEST_PASSWORD_COST = PasswordCost(time_cost=1, memory_kib=1024, parallelism=1)


@dataclass(frozen=True, slots=True)
class SignInLimits:
    """Failed sign-ins allowed per window, per account (email) and per client address.

    Counted in the database, so every server process behind a load balancer shares them."""

    window_seconds: int = 15 * 60
    per_account: int = 5
    per_address: int = 30


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    db_url: str
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    access_seconds: int = 15 * 60
    refresh_seconds: int = 60 * 24 * 3600
    max_body_bytes: int = MAX_BODY_BYTES
    password_cost: PasswordCost = field(default_factory=PasswordCost)
    sign_in: SignInLimits = field(default_factory=SignInLimits)
    # Pages of GET /v1/catalog/changes (the contract's default and maximum).
    changes_default_limit: int = 5000
    changes_max_limit: int = 10000

    @property
    def is_sqlite(self) -> bool:
        return self.db_url.startswith("sqlite")

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]


def default_data_dir() -> Path:
    home = os.environ.get(ENV_HOME)
    if home:
        return Path(home).expanduser()
    return Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False))


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def resolve(data: Path | None = None, db: str | None = None, **rest: object) -> Settings:
    """Settings for ``--data`` and ``--db`` as given (None: the defaults above)."""
    data_dir = (data or default_data_dir()).expanduser().resolve()
    url = db or sqlite_url(data_dir / "platform.sqlite3")
    return Settings(data_dir=data_dir, db_url=url, **rest)  # type: ignore[arg-type]
