"""Counted messages read as English: Qt's %n forms, with the singular for one.

Every ``tr()`` with ``%n`` in studio/ui has its singular in ``studio.ui.plurals.SINGULAR`` (and
that table names nothing the code no longer says); no message spells a plural as "(s)"; and the
installed translator gives "1 product" / "0 products" / "2 products".
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QObject

import studio.ui
from studio.ui.plurals import SINGULAR

UI = Path(studio.ui.__file__).parent
TRANSLATE = {"tr", "_tr", "translate"}


def _messages() -> list[tuple[str, str]]:
    """(where, source text) of every tr() / translate() call with a literal text."""
    found = []
    for path in sorted(UI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in TRANSLATE or not node.args:
                continue
            index = 1 if name == "translate" else 0  # translate(context, text, ...)
            if len(node.args) > index:
                arg = node.args[index]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.append((f"{path.relative_to(UI)}:{node.lineno}", arg.value))
    return found


def test_every_counted_message_has_its_singular_and_none_says_s_in_brackets() -> None:
    messages = _messages()
    assert len(messages) > 500  # the scan sees the UI's messages
    counted = {text for _where, text in messages if "%n" in text}
    assert counted == set(SINGULAR), (counted - set(SINGULAR), set(SINGULAR) - counted)
    bracketed = [where for where, text in messages if "(s)" in text]
    assert bracketed == []


@pytest.mark.gui
def test_the_installed_translator_gives_one_and_many(qapp: QCoreApplication) -> None:
    obj = QObject()
    assert obj.tr("%n products need attention.", "", 1) == "1 product needs attention."
    assert obj.tr("%n products need attention.", "", 2) == "2 products need attention."
    assert obj.tr("%n products need attention.", "", 0) == "0 products need attention."
    assert QCoreApplication.translate("Any", "%n reviews", None, 1) == "1 review"
    assert obj.tr("Not counted") == "Not counted"
