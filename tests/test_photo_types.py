"""One list of photo types: every dialog that picks photos offers the same ones.

The photo dialogs (looks, a larger original, reviews, boards, a shop's banner, the profile's
picture) and the drops and the command line's folder walk take their file names from
``studio.media.PHOTO_SUFFIXES``; no module spells its own list (which drifted: the banner took
four types, the profile seven, the boards' drop twelve).
"""

from __future__ import annotations

import ast
from pathlib import Path

import studio
from studio.media import PHOTO_SUFFIXES

ROOT = Path(studio.__file__).parent
# Suffixes only a photo list would name (a save dialog's "*.png" or a thumbnail's format map
# name one or two of the common ones, never these).
TELLTALE = (".heic", ".avif", ".webp")


def _lists_photo_types(text: str) -> bool:
    return sum(suffix in text for suffix in TELLTALE) >= 2


def test_photo_types_are_spelled_in_one_place_only() -> None:
    spelled = []
    for path in sorted(ROOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if _lists_photo_types(node.value):
                    spelled.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            elif isinstance(node, ast.Set | ast.Tuple | ast.List):
                items = [e.value for e in node.elts if isinstance(e, ast.Constant)]
                if _lists_photo_types(" ".join(map(str, items))):
                    spelled.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert spelled == ["media/__init__.py:9"], spelled
    assert all(s.startswith(".") and s == s.lower() for s in PHOTO_SUFFIXES)
