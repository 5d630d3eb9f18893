"""The detail pane shows feed syntax as a shopper reads it: Google's shipping lines
("GB::Standard:3.95 GBP") become "United Kingdom · Standard: £3.95"."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel
from pytestqt.qtbot import QtBot
from uihelp import open_window

from studio.system.paths import Paths
from studio.ui.tasks import TaskManager
from studio.ui.widgets.feed_values import readable_value

pytestmark = pytest.mark.gui


def _attributes(form: QFormLayout) -> dict[str, str]:
    out = {}
    for row in range(form.rowCount()):
        name = form.itemAt(row, QFormLayout.ItemRole.LabelRole).widget()
        value = form.itemAt(row, QFormLayout.ItemRole.FieldRole).widget()
        assert isinstance(name, QLabel) and isinstance(value, QLabel)
        out[name.text()] = value.text()
    return out


def test_the_detail_pane_shows_shipping_readably(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, empty_store: Any
) -> None:
    window = open_window(qtbot, tasks, paths, empty_store)
    with qtbot.waitSignal(window.imports.imported, timeout=30_000):
        window.demo_action.trigger()
    window.activateWindow()  # back from the progress dialog: a click focuses the grid
    qtbot.waitUntil(window.isActiveWindow)
    catalog = window.catalog
    before = catalog.last_result
    qtbot.keyClicks(catalog.search_box, "ridgeline daypack")
    qtbot.keyClick(catalog.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: catalog.last_result is not before and catalog.model.rowCount() == 1)
    qtbot.waitUntil(lambda: catalog.model.is_loaded(0))
    point = catalog.grid.visualRect(catalog.model.index(0)).center()
    qtbot.mouseClick(catalog.grid.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: catalog.detail.detail is not None)
    shown = _attributes(catalog.detail.attributes)
    assert shown["Shipping"] == "United Kingdom · Standard: £3.95\nUnited Kingdom · Express: £8.50"
    assert ":" not in shown["Shipping"].replace(": £", "")  # no feed syntax left


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("US:CA:Overnight:16.00 USD", "United States, CA · Overnight: $16.00"),
        ("US:::0.00 USD", "United States · Free"),
        (
            "DE::Standard:1,299.00 EUR, AT::Express:5 EUR",
            "Germany · Standard: €1,299.00\nAustria · Express: €5.00",
        ),
        ("not:the:syntax", "not:the:syntax"),  # kept as written: nothing is hidden
    ],
)
def test_shipping_values(qtbot: QtBot, raw: str, shown: str) -> None:
    assert readable_value("shipping", raw) == shown
    assert readable_value("colour", raw) == raw
