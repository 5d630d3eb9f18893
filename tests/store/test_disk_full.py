"""A full disk during a feed import or an archive: one clear line, exit 1, nothing half-written.

The real condition is a file size limit (``ulimit -f``: ``RLIMIT_FSIZE`` set in the child
before it starts, unprivileged, as in CI): the CLI runs in a subprocess and its writes past
the limit fail with EFBIG. Where only an injected ENOSPC can reach a path (a disk that fills
while the archive is fsynced, the photo library's disk during an archive import), the failing
call raises the OSError a full disk raises.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import resource
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from test_archive_helpers import dump, fill, media_files, open_workspace

from bench.catalog_gen import generate_records, write_google_xml
from studio.core.errors import DiskFullError
from studio.media import blobs
from studio.media.library import MediaLibrary
from studio.store import archive_zip
from studio.store.archive import export_archive, import_archive
from studio.store.catalog import CatalogStore
from studio.store.db import open_database
from studio.store.looks import LookStore
from studio.system.paths import resolve_paths

REPO = Path(__file__).resolve().parents[2]


def _cli(home: Path, *argv: str, limit: int) -> subprocess.CompletedProcess[str]:
    """``studio --home HOME ARGV...`` in a child whose files may not grow past ``limit``."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("STUDIO_HOME", None)

    def file_size_limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "studio.cli", "--home", str(home), *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        preexec_fn=file_size_limit,
        cwd=REPO,
    )


def _snapshot(database: Path) -> str:
    """A digest of every row of every table, read by a fresh connection (which also rolls
    back a hot journal a failed commit may have left, as the next open of the app would)."""
    digest = hashlib.sha256()
    with sqlite3.connect(database) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        for table in tables:
            digest.update(table.encode())
            rows = conn.execute(f'SELECT * FROM "{table}"').fetchall()
            for row in sorted(map(repr, rows)):
                digest.update(row.encode())
    return digest.hexdigest()


def _largest_file(folder: Path) -> int:
    return max(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _one_clear_line(done: subprocess.CompletedProcess[str], where: Path) -> str:
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"studio: error: {where}: ")
    return lines[0]


def test_a_feed_import_past_the_file_size_limit_fails_cleanly_and_changes_nothing(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    paths = resolve_paths(home).ensure()
    db = open_database(paths.database)
    try:  # what the store held before: one merchant's catalog
        CatalogStore(db).import_feed(
            "Acme", "google-xml", generate_records(200, seed=5, merchants=1)
        )
    finally:
        db.close()
    before = _snapshot(paths.database)
    limit = _largest_file(paths.data) + 512 * 1024
    big = write_google_xml(tmp_path / "big.xml", 6000, seed=9)
    # A new merchant (the first-import path, under a rollback journal) ...
    done = _cli(home, "import-feed", str(big), "--merchant", "Bigco", limit=limit)
    line = _one_clear_line(done, paths.data)
    assert "file size limit" in line and "nothing was written" in line
    assert _snapshot(paths.database) == before
    # ... and the merchant the store already has (an update, in WAL mode).
    done = _cli(home, "import-feed", str(big), "--merchant", "Acme", limit=limit)
    _one_clear_line(done, paths.data)
    assert _snapshot(paths.database) == before
    # With room, the same import goes through: the store was left usable.
    done = _cli(home, "import-feed", str(big), "--merchant", "Bigco", limit=2**40)
    assert done.returncode == 0, done.stderr


def _noise_jpeg(seed: int) -> bytes:
    pixels = np.random.default_rng(seed).integers(0, 255, size=(700, 900, 3), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, "JPEG", quality=95)
    return buf.getvalue()


def test_an_archive_export_past_the_file_size_limit_leaves_no_file(tmp_path: Path) -> None:
    home = tmp_path / "home"
    paths = resolve_paths(home).ensure()
    db = open_database(paths.database)
    media = MediaLibrary(paths.media)
    try:
        looks = LookStore(db)
        look = looks.create_look("Noise")
        for seed in range(4):  # about 1 MB each: the archive outgrows the limit
            stored = media.import_bytes(_noise_jpeg(seed))
            looks.add_photo(look.id, stored.hash, stored.width, stored.height)
    finally:
        db.close()
    out = tmp_path / "exports" / "mine.zip"
    out.parent.mkdir()
    limit = _largest_file(home) + 256 * 1024
    assert sum(p.stat().st_size for p in paths.media.rglob("*.jpg")) > 2 * limit
    done = _cli(home, "archive", "export", str(out), limit=limit)
    line = _one_clear_line(done, out.parent)
    assert "file size limit" in line
    assert list(out.parent.iterdir()) == []  # no archive, no half-written temporary file
    done = _cli(home, "archive", "export", str(out), limit=2**40)
    assert done.returncode == 0, done.stderr and out.is_file()


def _enospc(*args: Any, **kwargs: Any) -> Any:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_disk_that_fills_while_the_archive_is_synced_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = open_workspace(tmp_path / "a")
    try:
        fill(ws)
        out = tmp_path / "out" / "a.zip"
        # Delayed allocation: a full disk is often only reported when the data is flushed.
        monkeypatch.setattr(archive_zip.os, "fsync", _enospc)
        with pytest.raises(DiskFullError) as full:
            export_archive(ws.db, out, ws.media.path)
    finally:
        ws.db.close()
    assert full.value.where == str(out.parent)
    assert full.value.reason.startswith("the disk is full (no space left on the file system")
    assert full.value.reason.endswith("; nothing was written")
    assert list(out.parent.iterdir()) == []


class _FullDisk:
    """The ``os`` module as the photo library sees it when its disk is full: creating a file
    fails with ENOSPC; everything else is the real ``os``."""

    def __init__(self, real: Any) -> None:
        self._real = real

    def __getattr__(self, name: str) -> Callable[..., Any]:
        attr: Callable[..., Any] = getattr(self._real, name)
        return attr

    def open(self, path: Any, flags: int, *args: Any) -> int:
        if flags & os.O_CREAT:
            _enospc()
        return int(self._real.open(path, flags, *args))


def test_an_archive_import_onto_a_full_disk_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = open_workspace(tmp_path / "a")
    target = open_workspace(tmp_path / "b")
    try:
        fill(source)
        zipped = tmp_path / "a.zip"
        export_archive(source.db, zipped, source.media.path)
        before, files = dump(target.db), media_files(target.media.root)
        monkeypatch.setattr(blobs, "os", _FullDisk(os))
        with pytest.raises(DiskFullError) as full:
            import_archive(target.db, zipped, target.media)
        assert "the disk is full" in full.value.reason
        assert Path(full.value.where).is_relative_to(target.media.root)
        assert dump(target.db) == before and media_files(target.media.root) == files
    finally:
        source.db.close()
        target.db.close()


def test_sqlite_full_becomes_a_disk_full_error_naming_the_store_folder(tmp_path: Path) -> None:
    from studio.store.write_errors import store_write_error

    database = tmp_path / "data" / "studio.sqlite3"
    error = store_write_error(sqlite3.OperationalError("database or disk is full"), database)
    assert isinstance(error, DiskFullError) and error.where == str(database.parent)
    assert str(error).startswith(f"{database.parent}: the disk is full (no space left on")
    assert store_write_error(sqlite3.OperationalError("no such table: x"), database) is None
    assert store_write_error(OSError(errno.EACCES, "denied"), database) is None
