"""The ``studio`` command line: import-feed, search, catalog stats; in-process and as a process."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bench.catalog_gen import write_google_xml
from studio.cli import FEED_FORMATS, main
from studio.system.paths import resolve_paths

REPO = Path(__file__).resolve().parents[1]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def product_count(home: Path) -> int:
    db = resolve_paths(home).catalog_database
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM products").fetchone()[0])


@pytest.fixture()
def feed(tmp_path: Path) -> Path:
    return write_google_xml(tmp_path / "feed.xml", 60, seed=3)


def test_import_then_search(
    capsys: pytest.CaptureFixture[str], feed: Path, studio_home: Path
) -> None:
    code, out, err = run(capsys, "import-feed", str(feed), "--merchant", "Acme")
    assert code == 0, err
    assert "google-xml" in out
    assert [line.split()[-1] for line in out.splitlines() if "added" in line] == ["60"]
    assert product_count(studio_home) == 60

    code, out, _ = run(capsys, "search", "shirt", "--limit", "5", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"took_ms", "total", "results"}
    assert 0 < len(data["results"]) <= 5 and data["total"] >= len(data["results"])
    first = data["results"][0]
    assert set(first) == {
        "id",
        "title",
        "brand",
        "merchant",
        "price",
        "sale_price",
        "currency",
        "availability",
        "link",
    }
    assert "shirt" in first["title"].lower() and first["merchant"] == "Acme"
    assert first["link"].startswith("https://")
    assert isinstance(data["took_ms"], float) and data["took_ms"] >= 0

    code, out, _ = run(capsys, "search", "shirt", "--merchant", "Nobody", "--json")
    assert json.loads(out)["total"] == 0

    code, out, _ = run(capsys, "search", "shirt", "--sort", "price_asc")
    assert code == 0 and "matches in" in out.splitlines()[0]


def test_reimport_reports_unchanged_as_json(capsys: pytest.CaptureFixture[str], feed: Path) -> None:
    assert run(capsys, "import-feed", str(feed), "--merchant", "Acme")[0] == 0
    code, out, _ = run(
        capsys, "import-feed", str(feed), "--merchant", "Acme", "--json", "--format", "google-xml"
    )
    assert code == 0
    report = json.loads(out)
    assert (report["added"], report["unchanged"], report["rejected"]) == (0, 60, [])
    assert report["format"] == "google-xml" and report["merchant"] == "Acme"


def test_rejected_rows_are_listed_and_capped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    items = "".join(
        f"<item><g:id>bad-{i}</g:id><title>Broken {i}</title><g:price>NaN USD</g:price>"
        "<g:availability>in stock</g:availability></item>"
        for i in range(60)
    )
    path = tmp_path / "bad.xml"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0" '
        'xmlns:g="http://base.google.com/ns/1.0"><channel>'
        "<item><g:id>ok</g:id><title>Good shirt</title><g:price>5.00 USD</g:price>"
        f"<g:availability>in stock</g:availability></item>{items}</channel></rss>",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "import-feed", str(path), "--merchant", "Acme")
    assert code == 0
    listed = [line for line in out.splitlines() if "bad-" in line]
    assert len(listed) == 50
    assert "... and 10 more" in out
    code, out, _ = run(capsys, "import-feed", str(path), "--merchant", "Acme", "--json")
    assert len(json.loads(out)["rejected"]) == 60


def test_an_unusable_feed_fails_cleanly_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], feed: Path, studio_home: Path
) -> None:
    truncated = feed.with_name("truncated.xml")
    truncated.write_bytes(feed.read_bytes()[: feed.stat().st_size * 2 // 3])
    code, out, err = run(capsys, "import-feed", str(truncated), "--merchant", "Acme")
    assert code == 1 and out == ""
    assert err.startswith("studio: error: ") and len(err.strip().splitlines()) == 1
    assert product_count(studio_home) == 0

    code, _, err = run(
        capsys, "import-feed", str(feed.with_name("missing.xml")), "--merchant", "Acme"
    )
    assert code == 1 and "missing.xml: no such file" in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], feed: Path) -> None:
    assert run(capsys, "import-feed", str(feed))[0] == 2  # no --merchant
    assert run(capsys, "import-feed", str(feed), "--merchant", "A", "--format", "csv")[0] == 2
    assert run(capsys, "search", "x", "--limit", "0")[0] == 2
    assert run(capsys)[0] == 2
    assert run(capsys, "--version")[0] == 0


def test_a_store_from_a_newer_version_is_refused(
    capsys: pytest.CaptureFixture[str], feed: Path, studio_home: Path
) -> None:
    assert run(capsys, "import-feed", str(feed), "--merchant", "Acme")[0] == 0
    db = resolve_paths(studio_home).database
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'zz_future'")
    conn.close()
    code, _, err = run(capsys, "search", "shirt")
    assert code == 1 and "newer version of Vitrine Studio" in err and "zz_future" in err


def test_catalog_stats(capsys: pytest.CaptureFixture[str], feed: Path) -> None:
    run(capsys, "import-feed", str(feed), "--merchant", "Acme")
    run(capsys, "import-feed", str(feed), "--merchant", "Zed")
    code, out, _ = run(capsys, "catalog", "stats", "--json")
    assert code == 0
    stats = json.loads(out)
    assert stats["products"] == 120
    assert [(m["name"], m["products"]) for m in stats["merchants"]] == [("Acme", 60), ("Zed", 60)]


def test_feed_formats_match_the_parsers() -> None:
    from studio.feeds import FORMATS

    assert tuple(FEED_FORMATS) == tuple(FORMATS)


def test_real_google_feed_imports(capsys: pytest.CaptureFixture[str], fixtures_dir: Path) -> None:
    path = fixtures_dir / "google_merchant" / "google_example_online_store_feed.xml"
    code, out, err = run(capsys, "import-feed", str(path), "--merchant", "Google example", "--json")
    assert code == 0, err
    assert json.loads(out)["added"] > 0


def test_the_module_runs_as_a_program(tmp_path: Path, feed: Path) -> None:
    home = tmp_path / "elsewhere"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("STUDIO_HOME")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "studio.cli",
            "--home",
            str(home),
            "import-feed",
            str(feed),
            "--merchant",
            "Acme",
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["added"] == 60
    assert product_count(home) == 60
    assert (home / "logs" / "studio.log").exists()


def test_demo_flag_starts_the_desktop_app_on_the_demo_catalog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import studio.ui.app

    started: list[list[str] | None] = []
    monkeypatch.setattr(studio.ui.app, "main", lambda argv=None: started.append(argv) or 0)
    assert main(["--home", str(tmp_path), "--verbose", "--demo"]) == 0
    assert started == [["--demo", "--home", str(tmp_path), "--verbose"]]


def test_no_command_prints_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "import-feed" in capsys.readouterr().err


def test_a_reader_that_stops_early_ends_the_command_quietly(tmp_path: Path) -> None:
    """`studio ... --json | head`: no traceback when the pipe closes."""
    home = tmp_path / "home"
    proc = subprocess.Popen(
        [sys.executable, "-m", "studio.cli", "--home", str(home), "catalog", "stats", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the command writes
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in err and proc.returncode == 141


def test_an_unexpected_error_is_one_line_and_its_traceback_is_in_the_log(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, studio_home: Path
) -> None:
    import studio.cli.catalog

    def broken(_ctx: object, _args: object) -> int:
        raise KeyError("a bug nobody expected")

    monkeypatch.setattr(studio.cli.catalog, "cmd_catalog_stats", broken)
    code, out, err = run(capsys, "catalog", "stats")
    log_file = studio_home / "logs" / "studio.log"
    assert code == 1 and out == ""
    assert err == f"studio: error: 'a bug nobody expected'; details in {log_file}\n"
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback" in logged and "KeyError: 'a bug nobody expected'" in logged
