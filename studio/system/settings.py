"""The studio's own settings that are not the window's: where the platform account lives.

The desktop keeps its window and page state in Qt's ``QSettings``; what the command line and
the desktop must both read (the platform server's address, the account's email, this
device's id and name) is a small JSON file of its own, ``platform.json`` in the config
folder, read without Qt. It holds no secret: the tokens are in the keyring
(``studio.sync.tokens``). Written whole to a temporary file and renamed over the old one, so
a crash never leaves half a file; an unreadable file (edited by hand, truncated by a full
disk) is reported in the log and read as empty rather than stopping the studio.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.system.permissions import FILE_MODE

log = logging.getLogger(__name__)

FILE_NAME = "platform.json"
DEFAULT_SERVER = "http://127.0.0.1:8750"


@dataclass(frozen=True, slots=True)
class PlatformSettings:
    """The account this studio signs in with; ``server`` None until the first sign-in."""

    server: str | None = None
    email: str | None = None
    device_id: str | None = None
    device_name: str | None = None
    # The account's last known tier: the platform sets it, the studio never raises it itself.
    tier: str | None = None

    def replace(self, **changes: Any) -> PlatformSettings:
        return dataclasses.replace(self, **changes)


def settings_path(config: Path) -> Path:
    return config / FILE_NAME


def load(config: Path) -> PlatformSettings:
    """The settings in ``config`` (empty ones when there is no file or it is unreadable)."""
    path = settings_path(config)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return PlatformSettings()
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable settings %s: %s", path, exc)
        return PlatformSettings()
    if not isinstance(data, dict):
        log.warning("ignoring settings %s: not an object", path)
        return PlatformSettings()
    known = {f.name for f in dataclasses.fields(PlatformSettings)}
    values = {k: v for k, v in data.items() if k in known and (v is None or isinstance(v, str))}
    return PlatformSettings(**values)


def save(config: Path, settings: PlatformSettings) -> None:
    """Write ``settings`` atomically (temporary file, fsync, rename), private to the user."""
    config.mkdir(parents=True, exist_ok=True)
    path = settings_path(config)
    text = json.dumps(dataclasses.asdict(settings), indent=2, sort_keys=True) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=".platform-", suffix=".tmp", dir=config)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
