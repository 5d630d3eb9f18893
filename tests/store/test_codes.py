"""The light copy of the availability codes matches the models' declaration."""

from __future__ import annotations

import subprocess
import sys

from studio.core.product import Availability
from studio.store import codes, models


def test_codes_match_the_models() -> None:
    assert codes.AVAILABILITY_CODES == models.AVAILABILITY_CODES
    assert codes.UNAVAILABLE_CODE == models.UNAVAILABLE_CODE
    for value in Availability:
        assert codes.availability_code(value) == models.availability_code(value)
        assert codes.availability_from_code(codes.availability_code(value)) is value


def test_a_search_never_imports_the_orm() -> None:
    """`studio search` answers without SQLAlchemy (its import is most of a one-shot's time)."""
    probe = (
        "import sys; import studio.cli.app, studio.store.catalog, studio.store.search, "
        "studio.store.products, studio.store.importer; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic', "
        "'PIL', 'PySide6')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
