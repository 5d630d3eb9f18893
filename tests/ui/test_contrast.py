"""Every text the product pickers' rows and the catalog grid's cards draw reads on what it is
drawn on: WCAG AA (4.5:1) in the light palette and in the dark one, as the app sets them.

The painters are run for real, on a painter that records what they do: each ``drawText``
is paired with the pen it was drawn in and the last colour filled under its centre (the row,
the card, the badge), and the pair's contrast ratio is computed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPainterPath, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QApplication, QListView, QStyle, QStyleOptionViewItem, QWidget
from pytestqt.qtbot import QtBot

from studio.core.catalog import ProductCard
from studio.core.looks import ProductRef
from studio.core.money import Money
from studio.core.product import Availability
from studio.core.shops import HealthIssue, IssueKind, ShopItem
from studio.ui.catalog.card_painter import CardPainter
from studio.ui.shops.delegate import ShelfDelegate
from studio.ui.tasks import TaskManager
from studio.ui.widgets.colours import (
    TEXT_CONTRAST,
    apply_colour_scheme,
    contrast,
    dark_palette,
    row_colours,
)
from studio.ui.widgets.images import ImageLoader
from studio.ui.widgets.product_rows import ProductRowDelegate

pytestmark = pytest.mark.gui


class RecordingPainter:
    """A QPainter stand-in: draws on a real one, and notes each text with its pen and the
    colour last filled under it."""

    def __init__(self, real: QPainter, ground: QColor) -> None:
        self._real = real
        self._pens: list[QColor] = [QColor("#000000")]
        # What the view painted before the row: its Base, under everything.
        self._fills: list[tuple[QRectF, QColor]] = [(QRectF(-1e6, -1e6, 2e6, 2e6), ground)]
        self.texts: list[tuple[str, QColor, QColor]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def save(self) -> None:
        self._pens.append(self._pens[-1])
        self._real.save()

    def restore(self) -> None:
        if len(self._pens) > 1:
            self._pens.pop()
        self._real.restore()

    def setPen(self, pen: Any) -> None:  # QPainter's names
        if isinstance(pen, Qt.PenStyle):  # NoPen before a fill: no text follows with it
            self._real.setPen(pen)
            return
        colour = pen.color() if isinstance(pen, QPen) else QColor(pen)
        self._pens[-1] = colour
        self._real.setPen(pen)

    def _fill(self, area: QRectF, brush: Any) -> None:
        colour = brush.color() if isinstance(brush, QBrush) else QColor(brush)
        self._fills.append((area, colour))

    def fillRect(self, rect: Any, brush: Any) -> None:
        self._fill(QRectF(rect), brush)
        self._real.fillRect(rect, brush)

    def setBrush(self, brush: Any) -> None:
        self._brush = brush
        self._real.setBrush(brush)

    def drawRoundedRect(self, rect: Any, *radii: Any) -> None:  # a badge's pill
        brush = getattr(self, "_brush", None)
        if brush is not None and brush != Qt.BrushStyle.NoBrush:
            self._fill(QRectF(rect), brush)
        self._real.drawRoundedRect(rect, *radii)

    def fillPath(self, path: QPainterPath, brush: Any) -> None:
        self._fill(path.boundingRect(), brush)
        self._real.fillPath(path, brush)

    def drawText(self, rect: Any, flags: Any, text: str = "", *rest: Any) -> None:
        area = QRectF(rect)
        centre = QPointF(area.center())
        under = next(
            (c for a, c in reversed(self._fills) if a.contains(centre) and c.alpha() == 255),
            None,
        )
        assert under is not None
        if text.strip():
            self.texts.append((text, self._pens[-1], under))
        self._real.drawText(rect, flags, text, *rest)


def _cards() -> list[ProductCard]:
    """A card of every availability; half of them on sale, all with a brand."""
    return [
        ProductCard(
            i + 1,
            f"Merino Rib Beanie {i}",
            "Trailsmith",
            "Trailhead Outfitters",
            Money(2800, "GBP"),
            Money(2200, "GBP") if i % 2 else None,
            availability,
            None,
        )
        for i, availability in enumerate(Availability)
    ]


@pytest.fixture(params=["light", "dark"])
def palette(
    request: pytest.FixtureRequest, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> Iterator[QPalette]:
    """The application's palette as the app sets it for ``STUDIO_COLOR_SCHEME``."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette()
    monkeypatch.setenv("STUDIO_COLOR_SCHEME", request.param)
    app.setPalette(app.style().standardPalette())
    apply_colour_scheme(app)
    dark = app.palette().color(QPalette.ColorRole.Base).lightness() < 128
    assert dark == (request.param == "dark")
    yield app.palette()
    app.setPalette(before)


def _failures(texts: list[tuple[str, QColor, QColor]]) -> list[str]:
    return [
        f"{text!r}: {pen.name()} on {under.name()} = {contrast(pen, under):.2f}:1"
        for text, pen, under in texts
        if contrast(pen, under) < TEXT_CONTRAST
    ]


def _painted(
    palette: QPalette, width: int, height: int, paint: Any
) -> list[tuple[str, QColor, QColor]]:
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    real = QPainter(image)
    recorder = RecordingPainter(real, palette.color(QPalette.ColorRole.Base))
    try:
        paint(recorder)
    finally:
        real.end()
    return recorder.texts


def test_picker_rows_read_in_both_palettes(
    qtbot: QtBot, tasks: TaskManager, palette: QPalette
) -> None:
    view = QListView()
    qtbot.addWidget(view)
    view.setPalette(palette)
    delegate = ProductRowDelegate(_no_images(tasks, view), view)
    cards = _cards()

    def paint(painter: Any) -> None:
        for row, card in enumerate(cards):
            for selected in (False, True):
                option = QStyleOptionViewItem()
                option.initFrom(view)
                option.rect = QRect(0, 0, 320, 56)
                if selected:
                    option.state |= QStyle.StateFlag.State_Selected
                delegate.paint(painter, option, _Index(row, card))

    texts = _painted(palette, 320, 56, paint)
    assert len(texts) >= len(cards) * 2 * 3  # title, price, stock and brand · merchant
    assert not _failures(texts), _failures(texts)


def test_grid_cards_and_list_rows_read_in_both_palettes(qtbot: QtBot, palette: QPalette) -> None:
    view = QWidget()
    qtbot.addWidget(view)
    view.setPalette(palette)
    painter_of_cards = CardPainter(view, None)
    cards = _cards()

    def paint(painter: Any) -> None:
        for row, card in enumerate(cards):
            for selected in (False, True):
                painter_of_cards.paint_card(painter, card, QRect(0, 0, 220, 340), selected, False)
                painter_of_cards.paint_list_row(
                    painter, card, QRect(0, 0, 900, 64), selected, row == 0, row
                )

    texts = _painted(palette, 900, 340, paint)
    assert {t for t, _p, _u in texts} >= {"Trailsmith", "Trailhead Outfitters", "In stock"}
    assert not _failures(texts), _failures(texts)


class _Index:
    """The one thing the row delegate asks of an index: its row and card."""

    def __init__(self, row: int, card: ProductCard) -> None:
        self._row, self._card = row, card

    def row(self) -> int:
        return self._row

    def data(self, _role: int = Qt.ItemDataRole.DisplayRole) -> ProductCard:
        return self._card


def _no_images(tasks: TaskManager, parent: QWidget) -> ImageLoader:
    return ImageLoader(tasks, None, size=96, parent=parent)


def test_cached_cards_are_drawn_again_in_a_new_palette(qtbot: QtBot) -> None:
    """The grid keeps each card as a pixmap; a switch of light and dark must not blit the
    old scheme's (they kept light cards on a dark window until a restart)."""
    view = QWidget()
    qtbot.addWidget(view)
    painter_of_cards = CardPainter(view, None)
    card = _cards()[0]
    target = QPixmap(240, 360)

    def paint_once() -> None:
        painter = QPainter(target)
        painter_of_cards.paint(
            painter,
            card,
            QRect(0, 0, 220, 340),
            list_mode=False,
            selected=False,
            current=False,
            row=0,
        )
        painter.end()

    paint_once()
    light = next(iter(painter_of_cards._cards.values())).toImage()
    view.setPalette(dark_palette())
    paint_once()
    dark = list(painter_of_cards._cards.values())[-1].toImage()
    assert light != dark  # drawn again, in the dark palette's colours


def test_shop_shelves_read_in_both_palettes(qtbot: QtBot, palette: QPalette) -> None:
    """A shop's shelf headers and shelved products (title, price, brand, stock, note, each
    health badge) were drawn in colours picked on white: a white shelf in the dark palette."""
    view = QListView()
    qtbot.addWidget(view)
    view.setPalette(palette)
    tasks = TaskManager()
    delegate = ShelfDelegate(_no_images(tasks, view), view)
    cards = _cards()

    def paint(painter: Any) -> None:
        for selected in (False, True):
            tones = row_colours(palette, selected=selected)
            delegate._header(
                painter, palette, tones, selected, view.font(), QRect(0, 0, 600, 44), "New in", 3
            )
            for n, card in enumerate(cards):
                item = ShopItem(
                    f"i{n}", "s", ProductRef(card.id, "M", f"o{n}"), "a", "A note", n == 0
                )
                for issue in (None, *(HealthIssue(item.id, kind, "") for kind in IssueKind)):
                    delegate._item(
                        painter, tones, view.font(), QRect(0, 60, 600, 64), item, card, issue, None
                    )

    texts = _painted(palette, 600, 140, paint)
    assert {t for t, _p, _u in texts} >= {"New in", "“A note”", "Unavailable"}
    stars = [(pen, under) for t, pen, under in texts if t == "★"]
    assert stars and all(contrast(pen, under) >= 3.0 for pen, under in stars)  # a symbol: 3:1
    words = [text for text in texts if text[0] != "★"]
    assert not _failures(words), _failures(words)
    tasks.shutdown()


@pytest.mark.parametrize("accent", ["#222222", "#f5f5f5", "#1f6feb"])
def test_a_shelf_header_s_accent_bar_shows_in_both_palettes(
    qtbot: QtBot, palette: QPalette, accent: str
) -> None:
    """The bar of the shop's accent beside each shelf's name: the default near-black accent
    vanished on the dark palette's header. A graphic: 3:1 against the header."""
    view = QListView()
    qtbot.addWidget(view)
    tasks = TaskManager()
    delegate = ShelfDelegate(_no_images(tasks, view), view)
    delegate.accent = QColor(accent)
    image = QImage(600, 44, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    rect = QRect(0, 0, 600, 44)
    delegate._header(painter, palette, row_colours(palette), False, view.font(), rect, "New in", 3)
    painter.end()
    bar, ground = image.pixelColor(2, 22), image.pixelColor(2, 4)
    assert ground == palette.color(QPalette.ColorRole.AlternateBase)
    assert contrast(bar, ground) >= 3.0, (bar.name(), ground.name())
    tasks.shutdown()


def test_picker_rows_tell_variants_apart_when_titles_are_cut(
    qtbot: QtBot, tasks: TaskManager
) -> None:
    """A narrow picker cut variants' titles at the right: four rows of "Court Sneaker,
    Rec…" with nothing to choose between them. The end, where a variant is named, stays."""
    view = QListView()
    qtbot.addWidget(view)
    delegate = ProductRowDelegate(_no_images(tasks, view), view)
    base = _cards()[0]
    sizes = ("38", "40", "42")
    cards = [
        dataclasses.replace(base, title=f"Court Sneaker, Recycled Leather - White, {size}")
        for size in sizes
    ]
    palette = view.palette()

    def paint(painter: Any) -> None:
        for row, card in enumerate(cards):
            option = QStyleOptionViewItem()
            option.initFrom(view)
            option.rect = QRect(0, 0, 260, 56)
            delegate.paint(painter, option, _Index(row, card))

    titles = [t for t, _p, _u in _painted(palette, 260, 56, paint) if t.startswith("Court")]
    assert len(titles) == 3 and all("…" in t for t in titles)  # cut, and still told apart
    assert [t.rsplit(" ", 1)[-1] for t in titles] == list(sizes)


def test_a_grid_card_of_variants_shows_the_group_s_title(qtbot: QtBot) -> None:
    """One card stands for four sneakers: it read "Court Sneaker, Recycled Leather - White,
    38", the first variant's title, above "4 sizes"."""
    view = QWidget()
    qtbot.addWidget(view)
    painter_of_cards = CardPainter(view, None)
    card = dataclasses.replace(
        _cards()[0],
        title="Court Sneaker, Recycled Leather - White, 38",
        variants=4,
        colours=("White",),
        sizes=("38", "40", "42", "44"),
    )

    def paint(painter: Any) -> None:
        painter_of_cards.paint_card(painter, card, QRect(0, 0, 220, 340), False, False)
        painter_of_cards.paint_list_row(painter, card, QRect(0, 0, 900, 64), False, False, 0)

    texts = [t for t, _p, _u in _painted(view.palette(), 900, 340, paint)]
    assert not any("38" in t and "Court" in t for t in texts), texts
    assert "Court Sneaker, Recycled Leather" in texts
