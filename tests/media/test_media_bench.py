"""``python -m bench`` and bench_media, with tiny inputs: a failing module is a row, not a crash."""

from __future__ import annotations

import json
import sys
from functools import partial
from pathlib import Path

import pytest
from PIL import Image

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # `bench` is a top-level folder, not an installed package
    sys.path.insert(0, str(REPO))

from bench import __main__ as bench_main  # noqa: E402
from bench import bench_media  # noqa: E402
from bench.harness import BenchContext, Figure, write_results  # noqa: E402


def test_a_missing_or_raising_module_becomes_a_failed_row(tmp_path: Path) -> None:
    ctx = BenchContext(workdir=tmp_path, quick=True)
    rows = bench_main.run_module("bench_does_not_exist", ctx)
    assert len(rows) == 1
    assert rows[0].name == "bench_does_not_exist: FAILED" and not rows[0].met
    assert "ModuleNotFoundError" in rows[0].note


def test_selection_by_short_or_long_name() -> None:
    assert bench_main.selected(None) == list(bench_main.MODULES)
    assert bench_main.selected(["media", "bench_import"]) == ["bench_import", "bench_media"]
    with pytest.raises(SystemExit, match="unknown benchmark nope"):
        bench_main.selected(["nope"])


def test_main_writes_the_results_and_exits_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    results = tmp_path / "bench-results.json"
    monkeypatch.setattr(bench_main, "WORKDIR", tmp_path / "data")
    monkeypatch.setattr(bench_main, "MODULES", ("bench_fake_missing",))
    monkeypatch.setattr(bench_main, "write_results", partial(write_results, path=results))
    assert bench_main.main(["--quick"]) == 0
    data = json.loads(results.read_text(encoding="utf-8"))
    assert [row["name"] for row in data] == ["bench_fake_missing: FAILED"]
    assert data[0]["met"] is False
    assert "0 of 1 figures met" in capsys.readouterr().out


def test_bench_media_measures_against_the_raw_decode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small photos keep the test fast; the real run uses 4000x3000.
    monkeypatch.setattr(bench_media, "WIDTH", 800)
    monkeypatch.setattr(bench_media, "HEIGHT", 600)
    figures = bench_media.run(BenchContext(workdir=tmp_path, quick=True))
    assert len(figures) == 2
    imp, fig = figures
    assert isinstance(fig, Figure) and fig.unit == "img/s" and fig.target == 20
    assert fig.value > 0 and fig.baseline is not None and fig.baseline > 0
    assert not fig.lower_is_better
    assert len(list((tmp_path / "media-thumbs").glob("*.jpg"))) == 4
    assert imp.name == "media: import a 12 MP JPEG (orient, strip, hash, store, preview)"
    assert (imp.unit, imp.target, imp.lower_is_better) == ("ms", 300, True)
    assert imp.value > 0 and imp.baseline is not None and imp.baseline > 0
    assert "8 imports of 4 distinct files" in imp.note
    # The camera copies carry orientation 6 and GPS; no import library is left behind.
    with Image.open(tmp_path / "media-12mp-camera" / "photo-00.jpg") as img:
        exif = img.getexif()
        assert exif[0x0112] == 6 and 0x8825 in exif
        assert img.size == (800, 600)
