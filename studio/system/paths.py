"""Where the studio keeps its data, cache, logs and settings.

platformdirs gives each platform's usual places; ``--home DIR`` or ``STUDIO_HOME`` puts all of
them under one directory instead (tests always do, so they never touch a real profile).
``Paths.ensure()`` makes them private to the user (``studio.system.permissions``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from studio.system.permissions import DIR_MODE, tighten

APP_DIR_NAME = "vitrine-studio"
ENV_HOME = "STUDIO_HOME"


@dataclass(frozen=True, slots=True)
class Paths:
    data: Path
    cache: Path
    logs: Path
    config: Path

    @property
    def database(self) -> Path:
        """The curator's content (looks, boards, shops, reviews, profile, outbox)."""
        return self.data / "studio.sqlite3"

    @property
    def catalog_database(self) -> Path:
        """The merchant catalog (products and their search index), a file of its own."""
        return self.data / "catalog.sqlite3"

    @property
    def backups(self) -> Path:
        return self.data / "backups"

    @property
    def media(self) -> Path:
        """The photo library (studio.media.library.MediaLibrary): masters and derivatives."""
        return self.data / "media"

    @property
    def image_cache(self) -> Path:
        return self.cache / "images"

    def ensure(self) -> Paths:
        """Make the four folders (private: 0700) and tighten an install an earlier version
        left readable by others (``studio.system.permissions.tighten``)."""
        folders = (self.data, self.cache, self.logs, self.config)
        for p in folders:
            p.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        tighten(folders)
        return self


def resolve_paths(home: str | os.PathLike[str] | None = None) -> Paths:
    """Paths under ``home`` (or $STUDIO_HOME) when given, else the platform's user directories."""
    chosen = home if home is not None else os.environ.get(ENV_HOME) or None
    if chosen is not None:
        root = Path(chosen).expanduser().resolve()
        return Paths(root / "data", root / "cache", root / "logs", root / "config")
    return Paths(
        Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False)),
        Path(platformdirs.user_cache_dir(APP_DIR_NAME, appauthor=False)),
        Path(platformdirs.user_log_dir(APP_DIR_NAME, appauthor=False)),
        Path(platformdirs.user_config_dir(APP_DIR_NAME, appauthor=False)),
    )
