"""Secondary and error text follow the scheme: readable in light and in dark, after a switch.

Labels used to carry fixed greys in their style sheets (``color: #5f6670``), picked on white:
on the dark palette they were dark grey on dark grey. ``colours.mute`` and ``error_text``
compute the colour from the palette, and again when the application's palette changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from studio.ui.widgets import colours

UI = Path(colours.__file__).resolve().parents[1]
Role = QPalette.ColorRole


@pytest.fixture
def restore_palette(qapp: QApplication) -> Iterator[QApplication]:
    before = QPalette(qapp.palette())
    yield qapp
    qapp.setPalette(before)


def _ratio(label: QLabel) -> float:
    pal = label.palette()
    return colours.contrast(pal.color(Role.WindowText), pal.color(Role.Window))


def test_muted_and_error_text_stay_readable_across_a_switch_to_dark(
    qtbot: QtBot, restore_palette: QApplication
) -> None:
    app = restore_palette
    muted, error = QLabel("Updated 2 minutes ago"), QLabel("That file is not a photo")
    for label in (muted, error):
        qtbot.addWidget(label)
    colours.mute(muted)
    colours.error_text(error)
    light_muted = muted.palette().color(Role.WindowText)
    assert light_muted != app.palette().color(Role.WindowText)  # a secondary tone, not the text
    assert _ratio(muted) >= colours.TEXT_CONTRAST and _ratio(error) >= colours.TEXT_CONTRAST

    app.setPalette(colours.dark_palette())
    qtbot.waitUntil(lambda: muted.palette().color(Role.WindowText) != light_muted)
    assert colours.is_dark(muted.palette().color(Role.Window))
    assert _ratio(muted) >= colours.TEXT_CONTRAST and _ratio(error) >= colours.TEXT_CONTRAST


def test_no_widget_pins_a_text_colour_in_a_style_sheet() -> None:
    """A fixed text colour in a widget's style sheet overrides the palette in both schemes."""
    fixed = re.compile(r"setStyleSheet\([^)]*(?<![-\w])color:\s*#[0-9a-fA-F]{3,6}")
    found = [
        f"{path.relative_to(UI)}:{n}"
        for path in sorted(UI.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if fixed.search(line)
    ]
    assert found == []


@pytest.mark.parametrize("dark", [False, True])
def test_check_boxes_in_a_list_stand_out_in_either_scheme(
    qtbot: QtBot, restore_palette: QApplication, dark: bool
) -> None:
    """The facets' check boxes: Fusion outlines them with the Window shade darkened, which in
    the dark palette was the Base they sit on: the boxes were invisible."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

    app = restore_palette
    app.setPalette(colours.dark_palette() if dark else app.style().standardPalette())
    tree = QTreeWidget()
    qtbot.addWidget(tree)
    tree.setHeaderHidden(True)
    item = QTreeWidgetItem(tree, ["In stock (57)"])
    item.setCheckState(0, Qt.CheckState.Unchecked)
    colours.visible_check_boxes(tree)
    tree.resize(240, 80)
    tree.show()
    qtbot.waitExposed(tree)
    image = tree.viewport().grab().toImage()
    base = tree.palette().color(Role.Base)
    row = tree.visualItemRect(item)
    box = [  # the left part of the row, where the unchecked box is drawn
        image.pixelColor(x, y)
        for x in range(row.left(), row.left() + row.height() + 4)
        for y in range(row.top(), row.bottom())
    ]
    assert max(colours.contrast(c, base) for c in box) >= colours.GRAPHIC_CONTRAST


def test_the_desk_around_a_board_follows_the_scheme(
    qtbot: QtBot, restore_palette: QApplication
) -> None:
    """Around the board (which keeps its own colour) the editor drew a fixed light grey."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter

    from studio.ui.boards.scene import BoardScene

    def desk() -> QColor:
        scene = BoardScene()
        image = QImage(40, 40, QImage.Format.Format_ARGB32)
        painter = QPainter(image)
        scene.render(painter, QRectF(0, 0, 40, 40), QRectF(-400, -400, 40, 40))
        painter.end()
        return image.pixelColor(20, 20)

    app = restore_palette
    app.setPalette(app.style().standardPalette())
    assert not colours.is_dark(desk())
    app.setPalette(colours.dark_palette())
    assert colours.is_dark(desk())


def _boxed_ratios(qtbot: QtBot, label: QLabel) -> tuple[float, float]:
    """(box against window, text against box) as the label paints them."""
    label.resize(label.sizeHint())
    label.show()
    qtbot.waitExposed(label)
    image = label.grab().toImage()
    ground = image.pixelColor(image.width() - 2, 2)
    ink = max(
        (image.pixelColor(x, y) for x in range(4, image.width()) for y in range(image.height())),
        key=lambda c: colours.contrast(c, ground),
    )
    window = QApplication.palette().color(Role.Window)
    return colours.contrast(ground, window), colours.contrast(ink, ground)


@pytest.mark.parametrize(
    ("pill", "tint"), [(False, None), (True, None), (True, colours.NOTICE), (True, colours.ERROR)]
)
def test_boxed_labels_read_in_both_schemes(
    qtbot: QtBot, restore_palette: QApplication, pill: bool, tint: str | None
) -> None:
    """The review's disclosure and the shop's product counter sat on fixed light greys: a
    pale box glaring out of the dark palette. ``colours.boxed`` derives it from the palette."""
    app = restore_palette
    app.setPalette(app.style().standardPalette())
    label = QLabel("I bought this product with my own money.")
    qtbot.addWidget(label)
    colours.boxed(label, pill=pill, tint=tint)
    box, text = _boxed_ratios(qtbot, label)
    assert 1.05 < box < 1.6 and text >= colours.TEXT_CONTRAST
    app.setPalette(colours.dark_palette())
    qtbot.waitUntil(
        lambda: colours.is_dark(label.grab().toImage().pixelColor(label.width() - 2, 2))
    )
    box, text = _boxed_ratios(qtbot, label)
    assert 1.05 < box < 1.6 and text >= colours.TEXT_CONTRAST


def test_no_widget_pins_a_background_in_a_style_sheet() -> None:
    """A fixed light background (a disclosure box, a counter pill) glares in the dark scheme;
    only a colour the user chose (a shop's accent) may be set so, and the crop bar, which
    floats over the photo canvas (dark in both schemes)."""
    fixed = re.compile(r"(?<![-\w])background:\s*(#[0-9a-fA-F]{3,6}|\"$)")
    found = [
        f"{path.relative_to(UI)}:{n}"
        for path in sorted(UI.rglob("*.py"))
        if path.relative_to(UI).as_posix() != "looks/crop_mode.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if fixed.search(line)
    ]
    assert found == []
