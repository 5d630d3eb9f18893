"""The catalog reads like a shop: variants as one card, the variant chosen in the detail pane,
card and detail actions reaching a shop, a look and a review, prices per currency; driven as a
user would (clicks, right-clicks, keys) in a real window over a small mixed-currency catalog.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot
from test_looks_helpers import PHOTO, Studio, add_photo, open_new_look, open_studio, saved

from studio.core.catalog import SortKey, price_band
from studio.core.money import Money
from studio.core.product import ProductRecord
from studio.system.paths import Paths
from studio.ui.catalog.view import CatalogView
from studio.ui.tasks import TaskManager
from studio.ui.widgets.labels import variants_label

pytestmark = pytest.mark.gui


def rec(merchant: str, offer: str, title: str, **kw: object) -> ProductRecord:
    return ProductRecord(merchant=merchant, offer_id=offer, title=title, **kw)  # type: ignore[arg-type]


def records() -> list[ProductRecord]:
    shirts = [
        rec(
            "Atelier",
            f"shirt-{colour}-{size}",
            f"Linen shirt, {colour}, {size}",
            item_group_id="shirt",
            color=colour,
            size=size,
            price=Money(4900, "EUR"),
        )
        for colour in ("White", "Navy")
        for size in ("XL", "S", "M")
    ]
    return [
        *shirts,
        rec("Atelier", "mug", "Stoneware mug", price=Money(1200, "EUR")),
        rec("Atelier", "scarf", "Wool scarf", price=Money(3000, "GBP")),
        rec("Atelier", "lamp", "Brass lamp", price=Money(1500, "USD")),
    ]


@pytest.fixture
def studio(qtbot: QtBot, tasks: TaskManager, paths: Paths, empty_store: Any) -> Iterator[Studio]:
    empty_store.import_feed("Atelier", "test", records())
    studio = open_studio(qtbot, tasks, paths, empty_store)
    yield studio


def card_point(view: CatalogView, row: int) -> QPoint:
    return view.grid.visualRect(view.model.index(row)).center()


def row_titled(qtbot: QtBot, view: CatalogView, start: str) -> int:
    def found() -> int | None:
        for row in range(view.model.rowCount()):
            card = view.model.card(row)
            if card is not None and card.title.startswith(start):
                return row
        return None

    qtbot.waitUntil(lambda: found() is not None)
    row = found()
    assert row is not None
    return row


def choose_in_menu(qtbot: QtBot, path: list[str]) -> None:
    """Once a popup menu is open: walk ``path`` through it (and its submenus) with the
    keyboard, as a user does, and trigger the last entry."""

    tries = [0]

    def walk() -> None:
        if not isinstance(QApplication.activePopupWidget(), QMenu) and tries[0] < 200:
            tries[0] += 1  # not open yet: look again in a moment
            QTimer.singleShot(10, walk)
            return
        for depth, text in enumerate(path):
            menu = QApplication.activePopupWidget()
            assert isinstance(menu, QMenu), f"no menu open at {text!r}"
            action = next(a for a in menu.actions() if a.text().replace("&", "") == text)
            menu.setActiveAction(action)
            qtbot.keyClick(menu, Qt.Key.Key_Return if depth == len(path) - 1 else Qt.Key.Key_Right)
            if depth < len(path) - 1:
                qtbot.waitUntil(lambda m=menu: QApplication.activePopupWidget() is not m)

    QTimer.singleShot(0, walk)


def right_click(qtbot: QtBot, view: CatalogView, row: int, path: list[str]) -> None:
    """A right-click on the card of ``row``: the button, then the context menu event the
    window system sends with it (offscreen sends none), then ``path`` through the menu."""
    viewport, pos = view.grid.viewport(), card_point(view, row)
    qtbot.mouseClick(viewport, Qt.MouseButton.RightButton, pos=pos)
    choose_in_menu(qtbot, path)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, viewport.mapToGlobal(pos))
    QApplication.sendEvent(viewport, event)


def test_variants_are_one_card_with_their_colours_and_sizes(qtbot: QtBot, studio: Studio) -> None:
    view = studio.window.catalog
    qtbot.waitUntil(lambda: view.model.rowCount() == 4)  # 6 shirts are one card
    assert view.count_label.text() == "9 products"
    shirt = view.model.card(row_titled(qtbot, view, "Linen shirt"))
    assert shirt is not None and variants_label(shirt) == "2 colours · S–XL"


def test_the_detail_pane_picks_the_variant_and_shelves_that_one(
    qtbot: QtBot, studio: Studio
) -> None:
    window, view = studio.window, studio.window.catalog
    shops = window.stores.shops  # type: ignore[union-attr]
    window._tasks.write(lambda: shops.create_shop("picks", "Picks", section_title="Summer"))
    qtbot.waitUntil(lambda: view.product_actions.shops != [])
    row = row_titled(qtbot, view, "Linen shirt")
    qtbot.mouseClick(view.grid.viewport(), Qt.MouseButton.LeftButton, pos=card_point(view, row))
    qtbot.keyClick(view.grid, Qt.Key.Key_Return)  # opens the detail
    qtbot.waitUntil(lambda: view.detail.detail is not None and view.detail.choosers.isVisible())
    colours = view.detail.choosers.colour_box
    first = view.detail.detail
    assert first is not None
    other = "Navy" if colours.currentText() == "White" else "White"
    colours.setFocus()
    qtbot.keyClick(colours, Qt.Key.Key_Down if other == "Navy" else Qt.Key.Key_Up)
    qtbot.waitUntil(
        lambda: view.detail.detail is not None and view.detail.detail.card.id != first.card.id
    )
    chosen = view.detail.detail
    assert chosen is not None and f", {other}, " in chosen.card.title
    assert colours.currentText() == other
    choose_in_menu(qtbot, ["Picks"])
    qtbot.mouseClick(view.detail.shop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Added 1 product to “Picks”" in view.message.text)
    saved(studio.tasks)
    shop = shops.summaries()[0]
    document = shops.document(shop.id)
    assert [i.product.product_id for i in document.items] == [chosen.card.id]


def test_right_click_writes_a_review_of_the_card(qtbot: QtBot, studio: Studio) -> None:
    window, view = studio.window, studio.window.catalog
    row = row_titled(qtbot, view, "Stoneware mug")
    right_click(qtbot, view, row, ["Write a review"])
    qtbot.waitUntil(lambda: window.workspace == "reviews")
    reviews = window.stores.reviews  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: len(reviews.summaries()) == 1)
    assert reviews.summaries()[0].product.offer_id == "mug"


def test_right_click_tags_the_open_look(qtbot: QtBot, studio: Studio, fixtures_dir: Path) -> None:
    window, view = studio.window, studio.window.catalog
    editor = open_new_look(qtbot, studio)
    add_photo(qtbot, editor, fixtures_dir / "images" / PHOTO)
    window.show_workspace("catalog")
    row = row_titled(qtbot, view, "Brass lamp")
    right_click(qtbot, view, row, ["Add to the open look"])
    qtbot.waitUntil(lambda: window.workspace == "looks")
    assert editor.doc is not None
    look_id = editor.doc.look.id
    qtbot.waitUntil(lambda: len(studio.document(look_id).hotspots) == 1)
    assert studio.document(look_id).hotspots[0].product.offer_id == "lamp"
    saved(studio.tasks)


def test_without_an_open_look_the_catalog_says_so(qtbot: QtBot, studio: Studio) -> None:
    window, view = studio.window, studio.window.catalog
    row = row_titled(qtbot, view, "Brass lamp")
    right_click(qtbot, view, row, ["Add to the open look"])
    qtbot.waitUntil(lambda: "Open a look first" in view.message.text)
    assert window.workspace == "catalog"


def test_prices_are_banded_and_sorted_per_currency(qtbot: QtBot, studio: Studio) -> None:
    view = studio.window.catalog
    facets = view.facets
    eur = str(price_band("EUR", 1))
    qtbot.waitUntil(lambda: facets.value_item("price_band", eur) is not None)
    item = facets.value_item("price_band", eur)
    assert item is not None and item.text(0) == "€25–50  (6)"  # the shirts, not the £30 scarf
    assert facets.value_item("price_band", str(price_band("GBP", 1))) is not None
    combo = facets.sort_combo
    combo.setFocus()
    while facets.sort_key() is not SortKey.PRICE_ASC:
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    tip = combo.itemData(combo.currentIndex(), Qt.ItemDataRole.ToolTipRole)
    assert "grouped by currency" in tip

    def currencies() -> list[str]:
        cards = [view.model.card(r) for r in range(view.model.rowCount())]
        return [c.price.currency for c in cards if c is not None and c.price is not None]

    # EUR (12, then the shirts' 49), GBP 30, USD 15: never 12 < 15 < 30 < 49 across them.
    qtbot.waitUntil(lambda: currencies() == ["EUR", "EUR", "GBP", "USD"])


def test_the_demo_shows_a_look_a_board_a_shop_and_a_review(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, empty_store: Any
) -> None:
    from uihelp import open_window

    window = open_window(qtbot, tasks, paths, empty_store)
    qtbot.waitUntil(lambda: window.catalog.is_empty_state)
    qtbot.mouseClick(window.catalog.empty.demo_button, Qt.MouseButton.LeftButton)
    stores = window.stores
    assert stores is not None
    qtbot.waitUntil(lambda: len(stores.reviews.summaries()) == 1, timeout=30_000)
    # The Looks workspace, as a newcomer opens it: the demo look is in its library.
    button = window.workspace_bar.widgetForAction(window.workspace_actions["looks"])
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    library = window.looks.library
    qtbot.waitUntil(lambda: library.model.rowCount() == 1)
    look = library.model.summary(0)
    assert look is not None and look.title == "Linen weekend"
    document = stores.looks.document(look.id)
    assert document is not None and len(document.hotspots) == 3
    assert [b.title for b in stores.boards.summaries()] == ["Weekend layers"]
    assert [s.title for s in stores.shops.summaries()] == ["Atelier picks"]
    # Loading it again (File > Load demo catalog) adds nothing twice.
    with qtbot.waitSignal(window.imports.imported, timeout=30_000):
        window.demo_action.trigger()
    saved(tasks)
    assert len(stores.looks.summaries()) == len(stores.boards.summaries()) == 1
    assert len(stores.shops.summaries()) == len(stores.reviews.summaries()) == 1


def test_right_click_adds_the_card_to_a_board(qtbot: QtBot, studio: Studio) -> None:
    """With no board open, the Boards workspace makes one and places the product on it."""
    window, view = studio.window, studio.window.catalog
    row = row_titled(qtbot, view, "Wool scarf")
    right_click(qtbot, view, row, ["Add to the open board"])
    qtbot.waitUntil(lambda: window.workspace == "boards")
    boards = window.stores.boards  # type: ignore[union-attr]

    def placed() -> list[str]:
        saved(studio.tasks)
        found = [boards.document(b.id) for b in boards.summaries()]
        return [i.product.offer_id for d in found if d for i in d.items if i.product]

    qtbot.waitUntil(lambda: placed() == ["scarf"], timeout=10_000)
