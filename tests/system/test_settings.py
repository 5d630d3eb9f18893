"""studio.system.settings: the platform account's settings file (no secrets, written whole)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from studio.system import settings
from studio.system.settings import PlatformSettings


def test_round_trip_private_and_without_leftovers(tmp_path: Path) -> None:
    config = tmp_path / "config"
    assert settings.load(config) == PlatformSettings()
    saved = PlatformSettings("http://127.0.0.1:8750", "a@example.com", "dev-1", "laptop", "full")
    settings.save(config, saved)
    assert settings.load(config) == saved
    path = settings.settings_path(config)
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in config.iterdir()] == [settings.FILE_NAME]  # no temporary file left
    settings.save(config, saved.replace(tier="starter"))
    assert settings.load(config).tier == "starter"


def test_an_unreadable_or_foreign_file_reads_as_empty(tmp_path: Path) -> None:
    path = settings.settings_path(tmp_path)
    for text in ('{"server": "http://127.0.0.1:8750"', "[1, 2]", ""):
        path.write_text(text)
        assert settings.load(tmp_path) == PlatformSettings()
    # Unknown keys (a newer studio's) and wrong types are left out, the rest kept.
    path.write_text('{"server": "https://v.example", "email": 7, "future": "x"}')
    assert settings.load(tmp_path) == PlatformSettings(server="https://v.example")
