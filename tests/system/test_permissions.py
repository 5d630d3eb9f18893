"""The studio's files are the user's alone: new ones made 0600/0700, an old install tightened.

Each check runs the real program in a child process started with the usual umask (0o022, as
a login shell has), so what it creates shows the umask the composition root set, not the
test's.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bench.catalog_gen import write_google_xml
from studio.system.permissions import tighten

REPO = Path(__file__).resolve().parents[2]


def _run(*argv: str, home: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("STUDIO_HOME", None)

    def usual_umask() -> None:
        os.umask(0o022)

    return subprocess.run(
        [sys.executable, *argv, "--home", str(home)]
        if argv[:2] == ("-m", "studio.ui.app")
        else [sys.executable, "-m", "studio.cli", "--home", str(home), *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        preexec_fn=usual_umask,
        cwd=REPO,
    )


def _modes(home: Path) -> dict[str, int]:
    """Every file and folder under ``home`` (itself excluded): its permission bits."""
    found = {}
    for root, dirs, files in os.walk(home):
        for name in dirs + files:
            path = Path(root, name)
            found[str(path.relative_to(home))] = stat.S_IMODE(path.lstat().st_mode)
    return found


def _photo(path: Path) -> Path:
    from PIL import Image

    Image.new("RGB", (64, 48), (200, 30, 40)).save(path, "JPEG")
    return path


def test_the_command_line_makes_every_file_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    feed = write_google_xml(tmp_path / "feed.xml", 30, seed=1)
    done = _run("import-feed", str(feed), "--merchant", "Acme", home=home)
    assert done.returncode == 0, done.stderr
    done = _run("media", "import", str(_photo(tmp_path / "p.jpg")), home=home)
    assert done.returncode == 0, done.stderr
    modes = _modes(home)
    assert "data/studio.sqlite3" in modes and "logs/studio.log" in modes
    assert any(name.startswith("data/media/") and name.endswith(".jpg") for name in modes)
    for name in ("data", "cache", "logs", "config"):
        assert modes[name] == 0o700, name
    loose = {
        name: oct(mode)
        for name, mode in modes.items()
        if mode != (0o700 if (home / name).is_dir() else 0o600)
    }
    assert loose == {}


def test_the_desktop_app_makes_its_files_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    done = _run("-m", "studio.ui.app", "--smoke-test", home=home, timeout=180)
    assert done.returncode == 0, done.stderr
    modes = _modes(home)
    assert "data/studio.sqlite3" in modes and "logs/studio.log" in modes
    loose = {
        name: oct(mode)
        for name, mode in modes.items()
        if mode != (0o700 if (home / name).is_dir() else 0o600)
    }
    assert loose == {}


def _old_install(home: Path) -> list[Path]:
    """What an earlier version left: readable by everyone (0644 files, 0755 folders)."""
    made = []
    for folder in ("data", "data/media/ab", "data/backups", "cache/images", "logs", "config"):
        (home / folder).mkdir(parents=True, exist_ok=True)
    for name in (
        "data/studio.sqlite3",
        "data/studio.sqlite3-wal",
        "data/studio.sqlite3-shm",
        "logs/studio.log",
        "logs/studio.log.1",
        "logs/studio.log.5",
        "config/studio.ini",
    ):
        (home / name).write_bytes(b"")
        made.append(home / name)
    for path in [*made, *(home / f for f in ("data", "data/media", "cache", "logs", "config"))]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return made


def test_an_old_install_is_tightened_at_start_up(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _old_install(home)
    outside = tmp_path / "not-ours.txt"
    outside.write_text("a file the studio does not own")
    outside.chmod(0o644)
    (home / "config" / "link").symlink_to(outside)
    done = _run("catalog", "stats", home=home)
    assert done.returncode == 0, done.stderr
    modes = _modes(home)
    for name in (
        "data",
        "data/media",
        "data/backups",
        "cache",
        "cache/images",
        "logs",
        "config",
    ):
        assert modes[name] == 0o700, name
    for name in (
        "data/studio.sqlite3",
        "logs/studio.log",
        "logs/studio.log.1",
        "logs/studio.log.5",
        "config/studio.ini",
    ):
        assert modes[name] == 0o600, name
    # A link is never followed: what it points at is not the studio's to change.
    assert stat.S_IMODE(outside.stat().st_mode) == 0o644


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_tighten_keeps_an_owner_execute_bit_and_reports_what_changed(tmp_path: Path) -> None:
    script = tmp_path / "hook.sh"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    already = tmp_path / "private.txt"
    already.write_text("x")
    already.chmod(0o600)
    tmp_path.chmod(0o755)
    changed = tighten([tmp_path])
    assert set(changed) == {tmp_path, script}
    assert stat.S_IMODE(script.stat().st_mode) == 0o700
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o700
