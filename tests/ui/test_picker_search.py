"""The editors' product pickers as a curator uses them, on the demo catalog: products a buyer
can order come first, the merchant's name finds its products, Esc clears the search, and a
merchant's product link pasted into the search finds that product."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from test_looks_helpers import open_studio

from studio.core.catalog import SearchQuery
from studio.core.sharing import is_orderable
from studio.system.paths import Paths
from studio.ui.reviews.api import ReviewsPage
from studio.ui.tasks import TaskManager
from studio.ui.widgets.catalog_picker import CatalogPicker

pytestmark = pytest.mark.gui


def _picker(qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any) -> CatalogPicker:
    """The Reviews page's picker, the demo catalog loaded from the File menu."""
    studio = open_studio(qtbot, tasks, paths, store)
    window = studio.window
    with qtbot.waitSignal(window.imports.imported, timeout=30_000):
        window.demo_action.trigger()
    window.show_workspace("reviews")
    page = window.workspaces.page("reviews")
    assert isinstance(page, ReviewsPage)
    picker = page.picker
    size = store.product_count()
    qtbot.waitUntil(lambda: picker.model.total == size, timeout=10_000)
    return picker


def _search(qtbot: QtBot, picker: CatalogPicker, text: str) -> None:
    before = picker.model.total, picker.count.text()
    qtbot.mouseClick(picker.search, Qt.MouseButton.LeftButton)
    picker.search.selectAll()
    qtbot.keyClicks(picker.search, text)
    qtbot.waitUntil(lambda: (picker.model.total, picker.count.text()) != before, timeout=5_000)


def _cards(qtbot: QtBot, picker: CatalogPicker) -> list[Any]:
    model = picker.model
    qtbot.waitUntil(lambda: all(model.is_loaded(r) for r in range(model.total)), timeout=5_000)
    return [model.card(r) for r in range(model.total)]


def test_products_a_buyer_can_order_come_first(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, empty_store: Any
) -> None:
    picker = _picker(qtbot, tasks, paths, empty_store)
    for text in ("", "dress"):
        if text:
            _search(qtbot, picker, text)
        orderable = [is_orderable(c.availability) for c in _cards(qtbot, picker)]
        assert True in orderable and False in orderable  # the demo has both
        assert orderable == sorted(orderable, reverse=True), f"in stock first for {text!r}"


def test_the_merchant_name_finds_its_products(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, empty_store: Any
) -> None:
    picker = _picker(qtbot, tasks, paths, empty_store)
    # "trailhead" is in no title, brand, category or description: it names the merchant.
    assert empty_store.search(SearchQuery(text="trailhead")).total == 0
    _search(qtbot, picker, "trailhead")
    cards = _cards(qtbot, picker)
    assert cards and {c.merchant for c in cards} == {"Trailhead Outfitters"}
    assert len(cards) == len(
        empty_store.search(SearchQuery(merchants=frozenset({cards[0].merchant}))).ids
    )
    assert picker.count.text().startswith(f"{len(cards)} ")
    # The merchant and a word: that merchant's products with the word.
    _search(qtbot, picker, "trailhead beanie")
    assert [c.title for c in _cards(qtbot, picker)] == ["Merino Rib Beanie"]


def test_esc_clears_the_search(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, empty_store: Any
) -> None:
    picker = _picker(qtbot, tasks, paths, empty_store)
    _search(qtbot, picker, "beanie")
    assert 0 < picker.model.total < empty_store.product_count()
    qtbot.keyClick(picker.search, Qt.Key.Key_Escape)
    assert picker.search.text() == ""
    qtbot.waitUntil(lambda: picker.model.total == empty_store.product_count())


@pytest.mark.parametrize(
    "pasted",
    [
        "{link}",
        "{link}/?utm_source=newsletter&utm_medium=email",
        "http://www.{bare}#reviews",
    ],
)
def test_a_pasted_product_link_finds_the_product(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, empty_store: Any, pasted: str
) -> None:
    picker = _picker(qtbot, tasks, paths, empty_store)
    beanie_id = int(empty_store.search(SearchQuery(text="merino rib beanie", limit=1)).ids[0])
    link = empty_store.detail(beanie_id).link
    assert link == "https://trailhead.example/p/th-bean-01"
    QApplication.clipboard().setText(pasted.format(link=link, bare=link.removeprefix("https://")))
    qtbot.mouseClick(picker.search, Qt.MouseButton.LeftButton)
    qtbot.keyClick(picker.search, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: picker.model.total == 1, timeout=5_000)
    assert picker.model.product_id(0) == beanie_id
    assert picker.count.text() == "1 product"


def test_a_link_pasted_in_the_photo_s_tag_search_tags_that_product(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any, fixtures_dir: Any
) -> None:
    from test_looks_helpers import PHOTO, add_photo, open_new_look

    studio = open_studio(qtbot, tasks, paths, store)
    editor = open_new_look(qtbot, studio)
    add_photo(qtbot, editor, fixtures_dir / "images" / PHOTO)
    product_id = int(store.search(SearchQuery(limit=40)).ids[-1])
    detail = store.detail(product_id)
    assert detail is not None and detail.link and detail.link.startswith("http")
    canvas = editor.canvas
    rect = canvas.photo_rect
    qtbot.mouseClick(
        canvas.viewport(), Qt.MouseButton.LeftButton, pos=canvas.mapFromScene(rect.center())
    )
    popup = editor.quick_tag
    assert popup.isVisible()
    QApplication.clipboard().setText(detail.link + "?utm_source=instagram")
    qtbot.keyClick(popup.search, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: popup.results.count() == 1)
    assert detail.card.title in popup.results.item(0).text()
    qtbot.keyClick(popup.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(editor.doc.hotspots) == 1)
    assert editor.doc.hotspots[0].product.product_id == product_id
