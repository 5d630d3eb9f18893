"""Suite-wide fixtures: a throwaway STUDIO_HOME for every test and the shared real fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SHARED_FIXTURES = Path(os.environ.get("VITRINE_SHARED", REPO.parent / "shared")) / "fixtures"


@pytest.fixture(autouse=True)
def studio_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty STUDIO_HOME, so nothing touches a real profile."""
    home = tmp_path / "studio-home"
    monkeypatch.setenv("STUDIO_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """The real third-party fixtures in ../shared/fixtures, read in place."""
    if not SHARED_FIXTURES.is_dir():
        pytest.skip(f"real fixtures not found at {SHARED_FIXTURES} (../shared is absent)")
    return SHARED_FIXTURES
