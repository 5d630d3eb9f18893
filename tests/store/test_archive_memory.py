"""An archive's records are read as a stream with a memory ceiling.

Each import runs as the real ``studio archive import`` in a child process that reports its own
peak resident memory (``VmHWM``). The ceiling stated and checked: **600 MB** for a child
refusing a records file of any size (a bare import of a small archive peaks near 100 MB). The
files are really generated: a 440 MB records file within every container limit (what took an
import to MemoryError at 5.6 GB), a 40 MB one holding more records than the studio keeps at
once, and one record of 50 MB.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from test_archive_helpers import Workspace, fill, open_workspace

from studio.store.archive import export_archive
from studio.store.archive_zip import Limits

REPO = Path(__file__).resolve().parents[2]
CEILING_MB = 600
pytestmark = pytest.mark.slow

# The peak is VmHWM, this process image's own high-water mark: ru_maxrss also carries what
# the forked copy of pytest had resident before the exec, which measured pytest (a 700 MB
# parent made a child read 711 MB).
_CHILD = (
    "import sys\n"
    "from studio.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "status = open('/proc/self/status').read().split('VmHWM:')[1]\n"
    "peak = int(status.split()[0])\n"  # KiB
    "print(f'peak-kib={peak}', file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def _import(home: Path, archive: Path) -> tuple[int, str, float]:
    """``studio archive import`` in a child: exit status, stderr, peak memory in MB."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("STUDIO_HOME", None)
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, "--home", str(home), "archive", "import", str(archive)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=600,
    )
    lines = done.stderr.strip().splitlines()
    assert lines and lines[-1].startswith("peak-kib="), done.stderr
    return done.returncode, "\n".join(lines[:-1]), int(lines[-1].split("=")[1]) / 1024


@pytest.fixture
def exported(tmp_path: Path) -> Iterator[Path]:
    ws: Workspace = open_workspace(tmp_path / "a")
    try:
        fill(ws)
        yield export_archive(ws.db, tmp_path / "a.zip", ws.media.path).path
    finally:
        ws.db.close()


def _with_records(
    src: Path, dst: Path, kind: str, write: Callable[[zipfile.ZipExtFile], int]
) -> Path:
    """A copy of the archive ``src`` whose ``records/<kind>.json`` is written (stored, as a
    stream) by ``write``, which returns how many records it wrote; the manifest counts them."""
    member = f"records/{kind}.json"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", allowZip64=True) as zout:
        manifest = json.loads(zin.read("manifest.json"))
        with zout.open(zipfile.ZipInfo(member), "w", force_zip64=True) as fp:
            count = write(fp)  # type: ignore[arg-type]
        manifest["counts"][kind] = count
        zout.writestr("manifest.json", json.dumps(manifest))
        for info in zin.infolist():
            if info.filename not in (member, "manifest.json"):
                zout.writestr(info, zin.read(info), compress_type=info.compress_type)
    return dst


def _media_records(count: int, *, caption: int = 0) -> Callable[[zipfile.ZipExtFile], int]:
    """``count`` media records, well-formed, each with a ``caption`` characters long field
    the kind does not have (so only a full check would refuse them)."""

    def write(fp: zipfile.ZipExtFile) -> int:
        fp.write(b"[")
        batch = []
        for n in range(count):
            record = {
                "hash": f"{n:064x}",
                "width": 1,
                "height": 1,
                "format": None,
                "bytes": None,
                "created_at": "2026-01-01T00:00:00+00:00",
            }
            if caption:
                record["note"] = "x" * caption
            batch.append(json.dumps(record))
            if len(batch) == 10_000 or n == count - 1:
                fp.write((b"," if n >= len(batch) else b"") + ",".join(batch).encode())
                batch = []
        fp.write(b"]")
        return count

    return write


def test_a_440_mb_records_file_is_refused_without_reading_it(
    exported: Path, tmp_path: Path
) -> None:
    big = _with_records(exported, tmp_path / "big.zip", "media", _media_records(3_000_000))
    size = zipfile.ZipFile(big).getinfo("records/media.json").file_size
    limits = Limits()
    assert 400 * 1024**2 < size < limits.max_member_bytes  # within the container's limits
    code, err, peak = _import(tmp_path / "home", big)
    assert code == 1 and "Traceback" not in err
    assert "records/media.json: the records files hold more than 96 MB" in err
    assert peak < CEILING_MB


def test_more_records_than_the_studio_keeps_are_refused_as_they_stream(
    exported: Path, tmp_path: Path
) -> None:
    many = _with_records(exported, tmp_path / "many.zip", "media", _media_records(300_000))
    size = zipfile.ZipFile(many).getinfo("records/media.json").file_size
    assert size < Limits().max_records_bytes  # small enough to be read at all
    code, err, peak = _import(tmp_path / "home", many)
    assert code == 1 and "Traceback" not in err
    assert "records/media.json: the archive holds more than 200,000 records" in err
    assert peak < CEILING_MB


def test_one_huge_record_is_refused_before_it_is_whole(exported: Path, tmp_path: Path) -> None:
    huge = _with_records(
        exported, tmp_path / "huge.zip", "media", _media_records(1, caption=50 * 1024**2)
    )
    code, err, peak = _import(tmp_path / "home", huge)
    assert code == 1 and "Traceback" not in err
    assert "records/media.json: a record larger than 1024 KB" in err
    assert peak < CEILING_MB


def test_a_good_archive_still_imports_with_little_memory(exported: Path, tmp_path: Path) -> None:
    code, err, peak = _import(tmp_path / "home", exported)
    assert code == 0, err
    assert peak < CEILING_MB
