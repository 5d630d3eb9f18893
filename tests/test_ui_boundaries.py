"""The desktop talks to the stores through their classes: no connection or row SQL of its own."""

from __future__ import annotations

import ast
from pathlib import Path

import studio

UI = Path(studio.__file__).parent / "ui"


def _calls_and_imports(source: Path) -> tuple[list[str], list[str]]:
    tree = ast.parse(source.read_text(encoding="utf-8"))
    calls = [
        ast.unparse(node.func)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    ]
    imports = [
        node.module or ""
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and not _type_only(tree, node)
    ]
    return calls, imports


def _type_only(tree: ast.Module, node: ast.ImportFrom) -> bool:
    """Inside ``if TYPE_CHECKING:`` (a type, not a use)."""
    return any(
        isinstance(block, ast.If)
        and ast.unparse(block.test) == "TYPE_CHECKING"
        and any(node is child for stmt in block.body for child in ast.walk(stmt))
        for block in tree.body
    )


def test_the_desktop_opens_no_store_connection_and_runs_no_row_sql() -> None:
    found = []
    for source in sorted(UI.rglob("*.py")):
        calls, imports = _calls_and_imports(source)
        name = source.relative_to(UI)
        found += [f"{name}: {c}()" for c in calls if c.endswith("db.connect")]
        found += [
            f"{name}: imports {m}"
            for m in imports
            if m.startswith("studio.store.") and m.endswith("_rows")
        ]
    assert found == []
