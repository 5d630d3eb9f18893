"""The light copy of the availability codes matches the models' declaration."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from studio.core.product import Availability
from studio.store import codes, models


def test_codes_match_the_models() -> None:
    assert codes.AVAILABILITY_CODES == models.AVAILABILITY_CODES
    assert codes.UNAVAILABLE_CODE == models.UNAVAILABLE_CODE
    for value in Availability:
        assert codes.availability_code(value) == models.availability_code(value)
        assert codes.availability_from_code(codes.availability_code(value)) is value


def test_a_search_never_imports_the_orm(tmp_path: Path) -> None:
    """`studio search` answers without SQLAlchemy (its import is most of a one-shot's time):
    the real command, on a store made by an earlier run (a new store's migrations do)."""
    command = [sys.executable, "-X", "importtime", "-m", "studio.cli", "--home", str(tmp_path)]
    command += ["search", "shirt", "--limit", "5"]
    subprocess.run(command, capture_output=True, check=True)  # creates and migrates the store
    err = subprocess.run(command, capture_output=True, text=True, check=True).stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in err.splitlines() if "|" in line}
    assert "studio.store.catalog" in imported  # the probe sees the command's imports
    assert not {m.split(".")[0] for m in imported} & {"sqlalchemy", "alembic", "PySide6"}
    content = {"studio.store." + m for m in ("looks", "boards", "shops", "reviews", "profile")}
    assert not imported & content  # a search opens the workspace and uses only its catalog
