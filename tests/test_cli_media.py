"""``studio media import``: files and folders into the photo library, with a per-file report."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio.cli import main
from studio.system.paths import resolve_paths


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def camera_jpeg(path: Path, seed: int = 0, orientation: int = 6) -> Path:
    exif = Image.Exif()
    exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (52.0, 22.0, 3.5)
    pixels = np.random.default_rng(seed).integers(0, 255, size=(300, 400, 3), dtype=np.uint8)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(pixels).save(path, "JPEG", quality=90, exif=exif.tobytes())
    return path


def stored_files(home: Path) -> list[Path]:
    media = resolve_paths(home).media
    files = media.rglob("*") if media.exists() else []
    return sorted(p for p in files if p.is_file() and ".staging" not in p.parts)


def test_paths_media_is_under_data(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path)
    assert paths.media == paths.data / "media"


def test_import_files_and_folders_as_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    home = tmp_path / "home"
    one = camera_jpeg(tmp_path / "in" / "one.jpg", seed=1)
    camera_jpeg(tmp_path / "in" / "trip" / "two.JPG", seed=2, orientation=1)
    (tmp_path / "in" / "trip" / "notes.txt").write_text("not a photo, and not a photo suffix")
    camera_jpeg(tmp_path / "in" / ".hidden" / "skip.jpg", seed=3)
    code, out, err = run(
        capsys,
        "--home",
        str(home),
        "media",
        "import",
        str(one),
        str(tmp_path / "in" / "trip"),
        "--json",
    )
    assert code == 0, err
    report = json.loads(out)
    assert (report["imported"], report["refused"]) == (2, 0)
    first, second = report["files"]
    assert first["path"] == str(one) and first["status"] == "imported"
    assert (first["width"], first["height"], first["orientation"]) == (300, 400, 6)
    assert first["removed"] == ["EXIF", "GPS position"] and first["format"] == "JPEG"
    assert second["path"].endswith("two.JPG") and second["orientation"] == 1
    masters = [p for p in stored_files(home) if "derived" not in p.parts]
    assert sorted(p.name for p in masters) == sorted(
        f"{row['hash'][2:]}.jpg" for row in report["files"]
    )
    # The CLI also made the previews, so the app shows the photos at once.
    assert len([p for p in stored_files(home) if "derived" in p.parts]) == 4


def test_refused_files_are_reported_and_the_good_ones_imported(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    home = tmp_path / "home"
    good = camera_jpeg(tmp_path / "good.jpg")
    fake = tmp_path / "fake.jpg"
    fake.write_text("<html>404</html>")
    code, out, _ = run(
        capsys,
        "--home",
        str(home),
        "media",
        "import",
        str(good),
        str(fake),
        str(tmp_path / "missing.png"),
    )
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith(f"imported   {good}") and "orientation 6 applied" in lines[0]
    assert "removed EXIF, GPS position" in lines[0] and "300x400 JPEG" in lines[0]
    assert lines[1] == f"refused    {fake}: not an image"
    assert lines[2] == (
        f"refused    {tmp_path / 'missing.png'}: cannot read the file (No such file or directory)"
    )
    assert lines[3] == "1 imported (0 already in the library), 2 refused"
    assert len([p for p in stored_files(home) if "derived" not in p.parts]) == 1


def test_importing_again_reports_duplicates(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    home = tmp_path / "home"
    photo = camera_jpeg(tmp_path / "p.jpg")
    assert run(capsys, "--home", str(home), "media", "import", str(photo))[0] == 0
    before = stored_files(home)
    code, out, _ = run(capsys, "--home", str(home), "media", "import", str(photo), "--json")
    assert code == 0
    assert json.loads(out)["files"][0]["status"] == "duplicate"
    assert stored_files(home) == before


def test_real_fixture_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fixtures_dir: Path
) -> None:
    folder = fixtures_dir / "images" / "exif_orientation"
    code, out, _ = run(
        capsys, "--home", str(tmp_path / "home"), "media", "import", str(folder), "--json"
    )
    assert code == 0
    report = json.loads(out)
    rows = {Path(row["path"]).name: row for row in report["files"]}
    assert len(rows) == 18 and report["refused"] == 0
    for name, row in rows.items():
        n = int(name.split("_")[1][0])
        assert row["orientation"] == (n if n > 1 else 1)
        assert (row["width"] > row["height"]) == name.startswith("Landscape")


def test_media_import_needs_a_path(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "media", "import")[0] == 2
