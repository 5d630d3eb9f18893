"""``studio archive export|import`` between two real homes, and a hostile archive refused."""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

import pytest

from studio.cli import main
from studio.system.paths import resolve_paths

sys.path.insert(0, str(Path(__file__).resolve().parent / "store"))
from test_archive_helpers import Workspace, dump, fill, media_files, open_workspace


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _home(home: Path, *, catalog: int = 12) -> Workspace:
    """A workspace in the studio home ``home``: its store and media where the CLI finds them."""
    paths = resolve_paths(str(home)).ensure()
    return open_workspace(home, catalog=catalog, db_path=paths.database, media_root=paths.media)


def _masters(ws: Workspace) -> dict[str, bytes]:
    return {k: v for k, v in media_files(ws.media.root).items() if not k.startswith("derived")}


def test_export_then_import_between_homes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    a, b = _home(tmp_path / "a"), _home(tmp_path / "b")
    made = fill(a)
    a.db.close()
    archive = tmp_path / "work.zip"
    code, out, err = run(
        capsys, "--home", str(tmp_path / "a"), "archive", "export", str(archive), "--json"
    )
    assert code == 0, err
    exported = json.loads(out)
    assert exported["counts"]["looks"] == 2 and exported["media_files"] == 3
    assert zipfile.ZipFile(archive).namelist()[0] == "manifest.json"

    code, out, err = run(capsys, "--home", str(tmp_path / "b"), "archive", "import", str(archive))
    assert code == 0, err
    assert "16 records added" in out
    assert "'Autumn layers' / 'old scarf': Gone Ltd old-1" in out
    code, out, err = run(capsys, "--home", str(tmp_path / "b"), "looks", "list", "--json")
    assert made["look"] in {row["id"] for row in json.loads(out)}
    assert _masters(b) == _masters(a) and len(_masters(b)) == 3
    assert len(dump(b.db)["hotspots"]) == 4
    b.db.close()

    code, out, err = run(
        capsys, "--home", str(tmp_path / "b"), "archive", "import", str(archive), "--json"
    )
    assert code == 0, err
    again = json.loads(out)
    assert (again["added"], again["kept"]) == (0, 16)
    # Nothing was written this time, so nothing was re-linked (or failed to be).
    assert again["unlinked"] == [] and again["counts"]["hotspots"] == 4


def test_a_bad_archive_exits_1_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr(
            "manifest.json",
            json.dumps({"format": "vitrine-archive", "version": 1, "sections": {}, "counts": {}}),
        )
        zf.writestr("../../escape.txt", "gotcha")
    ws = _home(tmp_path / "home", catalog=2)
    ws.looks.create_look("Mine")
    before, files = dump(ws.db), media_files(ws.media.root)
    code, out, err = run(
        capsys, "--home", str(tmp_path / "home"), "archive", "import", str(evil), "--json"
    )
    assert code == 1 and out == ""
    assert err.startswith("studio: error: ") and "escaping" in err and str(evil) in err
    assert not (tmp_path / "escape.txt").exists()
    assert dump(ws.db) == before and media_files(ws.media.root) == files

    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    code, out, err = run(
        capsys, "--home", str(tmp_path / "home"), "archive", "export", str(blocked / "out.zip")
    )
    assert code == 1 and "cannot write" in err
    assert blocked.read_text() == "not a folder"
    ws.db.close()
