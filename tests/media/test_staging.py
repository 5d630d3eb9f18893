"""Stale staging: what a killed job left in the photo library (or beside an export) is gone
after the next start or job, and a job still running in another process keeps every file.

The jobs are real ``studio archive import|export`` processes (tests/media/staging_job.py),
held once their files are staged and killed with SIGKILL.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio.media.library import MediaLibrary
from studio.media.staging import LEGACY_MARKER, STAGING_DIR
from studio.store.archive import export_archive
from studio.store.db import open_database
from studio.store.looks import LookStore
from studio.system.paths import Paths, resolve_paths

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _env() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("STUDIO_HOME", None)
    return env


def _studio(home: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "studio.cli", "--home", str(home), *argv],
        capture_output=True,
        text=True,
        env=_env(),
        cwd=REPO,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done


@contextmanager
def _held(command: str, home: Path, path: Path) -> Iterator[subprocess.Popen[str]]:
    """A real archive job, held once its files are staged; killed (SIGKILL) on leaving,
    if the test has not killed it already."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.media.staging_job", command, str(home), str(path)],
        cwd=REPO,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()  # blocks until the job is held (or ends)
        if line.strip() != "ready":
            child.kill()
            pytest.fail(f"the job did not get ready: {line!r} {child.communicate()[1]}")
        yield child
    finally:
        _kill(child)


def _kill(child: subprocess.Popen[str]) -> None:
    if child.poll() is None:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)


def _temporary(root: Path) -> dict[Path, int]:
    """Every temporary file under ``root``, with its size."""
    return {p: p.stat().st_size for p in root.rglob(".*.tmp") if p.is_file()}


def _locks(paths: Paths) -> list[str]:
    folder = paths.media / STAGING_DIR
    return sorted(p.name for p in folder.glob("*.lock")) if folder.is_dir() else []


def _photo(seed: int) -> bytes:
    pixels = np.random.default_rng(seed).integers(0, 255, size=(240, 320, 3), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, "JPEG", quality=90)
    return buf.getvalue()


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """An archive of another workspace: a look with eight photos."""
    paths = resolve_paths(tmp_path / "other").ensure()
    db = open_database(paths.database)
    media = MediaLibrary(paths.media)
    try:
        looks = LookStore(db)
        look = looks.create_look("Eight photos")
        for seed in range(8):
            stored = media.import_bytes(_photo(seed))
            looks.add_photo(look.id, stored.hash, stored.width, stored.height)
        out = tmp_path / "other.zip"
        export_archive(db, out, media.path)
    finally:
        db.close()
    return out


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return resolve_paths(tmp_path / "home").ensure()


def test_a_killed_archive_import_leaves_nothing_after_the_next_start(
    paths: Paths, archive: Path
) -> None:
    home = paths.data.parent
    with _held("import", home, archive) as job:
        staged = _temporary(paths.media)
        assert len(staged) == 8 and sum(staged.values()) > 8 * 50_000
        assert len(_locks(paths)) == 1  # the job's: held while it lives
        _kill(job)
    assert _temporary(paths.media) == staged  # killed: nothing cleaned up after it
    _studio(home, "catalog", "stats")  # the next start
    assert _temporary(paths.media) == {} and _locks(paths) == []
    assert not [p for p in paths.media.rglob("*") if p.is_dir() and not any(p.iterdir())]
    db = open_database(paths.database)
    try:
        assert LookStore(db).summaries() == []  # and the import never happened
    finally:
        db.close()


def test_a_running_jobs_files_survive_every_sweep(
    paths: Paths, archive: Path, tmp_path: Path
) -> None:
    home = paths.data.parent
    with _held("import", home, archive) as job:
        staged = _temporary(paths.media)
        assert len(staged) == 8
        _studio(home, "catalog", "stats")  # another process starts: it sweeps
        photo = tmp_path / "mine.jpg"
        photo.write_bytes(_photo(99))
        _studio(home, "media", "import", str(photo))  # another job ends: it sweeps
        MediaLibrary(paths.media).sweep_stale()  # and this process sweeps
        assert _temporary(paths.media) == staged
        assert job.poll() is None
    _studio(home, "catalog", "stats")  # once the job is gone, so are its files
    assert _temporary(paths.media) == {}


def test_the_app_sweeps_when_it_opens_the_store(paths: Paths, archive: Path) -> None:
    pytest.importorskip("PySide6")
    from studio.ui.app import open_store

    with _held("import", paths.data.parent, archive):
        assert _temporary(paths.media)
    opened = open_store(paths)
    try:
        assert _temporary(paths.media) == {}
    finally:
        opened.close()


def test_a_killed_archive_export_is_cleaned_by_the_next_export_never_a_running_one(
    paths: Paths, archive: Path, tmp_path: Path
) -> None:
    home = paths.data.parent
    _studio(home, "archive", "import", str(archive))
    out = tmp_path / "exports" / "mine.zip"
    out.parent.mkdir()
    with _held("export", home, out) as killed:
        left = _temporary(out.parent)
        assert len(left) == 1 and sum(left.values()) > 8 * 50_000 and not out.exists()
        _kill(killed)
    assert _temporary(out.parent) == left  # a killed export's half archive...
    with _held("export", home, out):  # ... is removed by the next export to the same file
        running = _temporary(out.parent)
        assert len(running) == 1 and not set(running) & set(left)
        _studio(home, "archive", "export", str(out))  # and one more, while that one runs
        assert out.is_file()
        assert _temporary(out.parent) == running  # the running export's file is kept
    _studio(home, "archive", "export", str(out))
    assert _temporary(out.parent) == {}


def test_an_older_versions_leftovers_are_swept_by_the_first_start(paths: Paths) -> None:
    home = paths.data.parent
    folder = paths.media / "ab"
    folder.mkdir(parents=True)
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    )
    dead_pid = int(gone.stdout)  # a process that has ended
    staged = folder / f".{'c' * 62}.jpg.{dead_pid}-140001.tmp"  # an old import's staged photo
    old = folder / f".{'d' * 62}.jpg.k2j3h4.tmp"  # an old write, its writer unknown
    young = folder / f".{'e' * 62}.jpg.q8w7e6.tmp"
    for path in (staged, old, young):
        path.write_bytes(b"half a photo")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    _studio(home, "catalog", "stats")
    assert set(_temporary(paths.media)) == {young}  # too young to tell: kept for now
    assert not (paths.media / STAGING_DIR / LEGACY_MARKER).exists()
    os.utime(young, (two_hours_ago, two_hours_ago))
    _studio(home, "catalog", "stats")
    assert _temporary(paths.media) == {}
    assert (paths.media / STAGING_DIR / LEGACY_MARKER).exists()  # no more walks for these
