"""The command line against a store another program is writing: readers never fail, writers
queue (saying so), and no command prints a traceback for a busy store.

"Another program" is real: a separate process holds the catalog's write lock as an import's
one long transaction does (or is a real import), while each command runs in its own process.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.catalog_gen import write_google_xml
from studio.system.paths import resolve_paths

REPO = Path(__file__).resolve().parents[1]


def studio(home: Path, *argv: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, STUDIO_HOME=str(home), PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-m", "studio.cli", *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


def start(home: Path, *argv: str) -> subprocess.Popen[str]:
    env = dict(os.environ, STUDIO_HOME=str(home), PYTHONPATH=str(REPO))
    return subprocess.Popen(
        [sys.executable, "-m", "studio.cli", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    feed = write_google_xml(tmp_path / "first.xml", 300, seed=11)
    done = studio(home, "import-feed", str(feed), "--merchant", "Acme")
    assert done.returncode == 0, done.stderr
    return home


def test_commands_while_another_process_holds_the_catalog_lock(home: Path, tmp_path: Path) -> None:
    paths = resolve_paths(home)
    holder = sqlite3.connect(paths.catalog_database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # an import's one long transaction, mid-way
    holder.execute("UPDATE merchants SET feed_format = 'being-imported'")
    second = start(
        home,
        "import-feed",
        str(write_google_xml(tmp_path / "b.xml", 50, seed=3)),
        "--merchant",
        "Bravo",
    )
    try:
        readers = {
            "search": studio(home, "search", "shirt", "--json"),
            "stats": studio(home, "catalog", "stats", "--json"),
            "looks": studio(home, "looks", "list", "--json"),
            "shops": studio(home, "shops", "list", "--json"),
            "export": studio(home, "archive", "export", str(tmp_path / "a.zip")),
        }
        # A content write needs no catalog lock: an archive import goes through at once.
        readers["archive import"] = studio(home, "archive", "import", str(tmp_path / "a.zip"))
        for name, result in readers.items():
            assert result.returncode == 0, (name, result.stderr)
            assert "Traceback" not in result.stderr and "locked" not in result.stderr, name
        time.sleep(1.5)
        assert second.poll() is None  # the second import waits its turn...
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    _out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err  # ...and goes through once the lock is free
    assert "waiting for it to finish" in err and "Traceback" not in err
    stats = studio(home, "catalog", "stats", "--json")
    assert '"Bravo"' in stats.stdout


def test_two_real_imports_at_once_both_succeed_one_after_the_other(
    home: Path, tmp_path: Path
) -> None:
    feeds = [write_google_xml(tmp_path / f"{m}.xml", 20_000, seed=i) for i, m in enumerate("XY")]
    procs = [start(home, "import-feed", str(f), "--merchant", f.stem) for f in feeds]
    search = studio(home, "search", "shirt", "--json")  # a reader meanwhile
    results = [p.communicate(timeout=600) for p in procs]
    assert search.returncode == 0 and "Traceback" not in search.stderr, search.stderr
    for proc, (_out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert "Traceback" not in err
    with sqlite3.connect(resolve_paths(home).catalog_database) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM merchants")}
    conn.close()
    assert {"X", "Y", "Acme"} <= names
