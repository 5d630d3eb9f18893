"""Suite-wide fixtures and rules: a throwaway STUDIO_HOME for every test, the shared real
fixtures, and no timing inside tests.

The real third-party fixtures live beside the repository in ``../shared/fixtures`` (or under
``$VITRINE_SHARED/fixtures``). CI always has them, so a run that needs them and cannot find
them stops at collection with a message saying where it looked: a suite that skipped half
its tests must never look green.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("VITRINE_SHARED") or REPO.parent / "shared")
SHARED_FIXTURES = SHARED / "fixtures"

# Performance lives in ``make bench``; a loaded CI machine must not turn an example red.
settings.register_profile("vitrine", deadline=None)
settings.load_profile("vitrine")


def missing_fixtures_message() -> str:
    return (
        f"the real test fixtures are not at {SHARED_FIXTURES}: put the shared folder beside "
        f"the repository ({REPO.parent / 'shared'}) or point VITRINE_SHARED at the folder "
        "that holds fixtures/ (VITRINE_SHARED=/path/to/shared make test)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Refuse to run tests that need the real fixtures when they are absent (before any runs)."""
    if SHARED_FIXTURES.is_dir():
        return
    needing = [i for i in items if "fixtures_dir" in getattr(i, "fixturenames", ())]
    if needing:
        raise pytest.UsageError(
            f"{len(needing)} selected tests need the real fixtures; {missing_fixtures_message()}"
        )


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
        pytest.fail(missing_fixtures_message(), pytrace=False)
    return SHARED_FIXTURES
