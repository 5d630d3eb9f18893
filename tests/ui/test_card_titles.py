"""Grid card titles wrap to two lines so variants that differ at the end stay distinguishable."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetrics
from pytestqt.qtbot import QtBot

from studio.ui.catalog.card_painter import title_lines


def test_a_short_title_stays_on_one_line(qtbot: QtBot) -> None:
    fm = QFontMetrics(QFont())
    assert title_lines(fm, "Waxed Canvas Tote", 400) == ["Waxed Canvas Tote"]


def test_a_long_title_breaks_at_a_space_and_elides_the_rest(qtbot: QtBot) -> None:
    fm = QFontMetrics(QFont())
    title = "Court Sneaker, Recycled Leather - White, 44 and a very long tail of extra words"
    width = fm.horizontalAdvance("Court Sneaker, Recycled") + 2
    first, second = title_lines(fm, title, width)
    assert first == "Court Sneaker, Recycled"
    assert second.startswith("Leather") and second.endswith("…")
    assert fm.horizontalAdvance(second) <= width


def test_the_variant_suffix_is_visible_when_it_fits_on_the_second_line(qtbot: QtBot) -> None:
    fm = QFontMetrics(QFont())
    width = fm.horizontalAdvance("Court Sneaker, Recycled Leather") + 2
    lines = title_lines(fm, "Court Sneaker, Recycled Leather - White, 44", width)
    assert lines == ["Court Sneaker, Recycled Leather", "- White, 44"]


def test_a_single_word_wider_than_the_card_is_elided(qtbot: QtBot) -> None:
    fm = QFontMetrics(QFont())
    (line,) = title_lines(fm, "Supercalifragilisticexpialidocious", 60)
    assert line.endswith("…") and fm.horizontalAdvance(line) <= 60
