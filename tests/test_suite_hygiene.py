"""The suite's own rules: no timing inside tests, and no silent skip when ../shared is absent."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from hypothesis import settings

REPO = Path(__file__).resolve().parents[1]


def test_hypothesis_examples_have_no_deadline() -> None:
    """A loaded machine makes examples slow; performance is measured in ``make bench``."""
    assert settings.default.deadline is None


def test_a_run_without_the_shared_fixtures_fails_loudly(tmp_path: Path) -> None:
    empty = tmp_path / "no-shared"
    empty.mkdir()
    env = dict(os.environ, VITRINE_SHARED=str(empty), QT_QPA_PLATFORM="offscreen")
    # A test that needs the fixtures, and one that does not (it must not hide the failure).
    targets = ["tests/feeds/test_shopify.py", "tests/core/test_money.py"]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *targets],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        env=env,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert " passed" not in output and " skipped" not in output  # nothing ran at all
    assert str(empty / "fixtures") in output  # where it looked
    assert "VITRINE_SHARED" in output  # and how to point it elsewhere
