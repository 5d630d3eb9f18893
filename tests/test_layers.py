"""The layers of ARCHITECTURE.md: every non-UI package imports with PySide6 blocked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import studio

NON_UI = ["core", "feeds", "store", "media", "sync", "system", "protocol", "services", "server"]

_PROBE = r"""
import importlib, pkgutil, sys

class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"PySide6", "shiboken6"}:
            raise ImportError(f"blocked: {name}")
        return None

sys.meta_path.insert(0, Block())
import studio
for pkg in sys.argv[1:]:
    mod = importlib.import_module(f"studio.{pkg}")
    for info in pkgutil.walk_packages(mod.__path__, f"studio.{pkg}."):
        if "migrations" in info.name:  # Alembic runs those, with its context
            continue
        importlib.import_module(info.name)
import studio.cli
assert not any(m.split(".")[0] in {"PySide6", "shiboken6"} for m in sys.modules)
print("ok")
"""


def test_non_ui_packages_import_without_pyside6() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, *NON_UI],
        capture_output=True,
        text=True,
        cwd=Path(studio.__file__).parents[1],
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_core_uses_the_standard_library_only() -> None:
    core = Path(studio.__file__).parent / "core"
    allowed_roots = set(sys.stdlib_module_names) | {"studio", "__future__"}
    for source in core.rglob("*.py"):
        for line in source.read_text(encoding="utf-8").splitlines():
            words = line.split()
            if len(words) >= 2 and words[0] in {"import", "from"}:
                root = words[1].split(".")[0]
                assert root in allowed_roots, f"{source.name} imports {words[1]}"
