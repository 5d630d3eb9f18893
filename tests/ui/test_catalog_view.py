"""The catalog browser driven as a user would: search, filter, scroll, open, drag, switch mode.

Runs against a real store of a few hundred generated products with local images.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QDrag, QMouseEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from uihelp import CATALOG_SIZE, CatalogTemplate

from studio.core.catalog import SearchQuery
from studio.ui.catalog import grid_view
from studio.ui.catalog.card_painter import MIN_CACHED_CARDS
from studio.ui.catalog.grid_view import ProductGridView, ViewMode
from studio.ui.main_window import MainWindow
from studio.ui.widgets.labels import format_money
from studio.ui.widgets.mime import MIME_TYPE, decode_product_ids

pytestmark = pytest.mark.gui


def painted_titles(qtbot: QtBot, grid: ProductGridView) -> list[str]:
    """Titles of the cards on screen, once their page of cards has arrived."""
    model = grid.catalog_model()
    assert model is not None
    rows = grid.visible_rows()
    qtbot.waitUntil(lambda: all(model.is_loaded(r) for r in grid.visible_rows()))
    grid.viewport().repaint()
    cards = [model.card(r) for r in grid.visible_rows()]
    assert rows and all(c is not None for c in cards)
    return [c.title for c in cards if c is not None]


def test_opens_on_the_whole_catalog(qtbot: QtBot, window: MainWindow) -> None:
    catalog = window.catalog
    qtbot.waitUntil(lambda: catalog.count_label.text() == f"{CATALOG_SIZE} products")
    assert catalog.model.rowCount() == CATALOG_SIZE
    assert len(painted_titles(qtbot, catalog.grid)) >= 8
    assert window.count_label.text() == f"Showing {CATALOG_SIZE} of {CATALOG_SIZE} products"


def test_typing_updates_the_count_and_the_cards(
    qtbot: QtBot, window: MainWindow, catalog_template: CatalogTemplate
) -> None:
    catalog = window.catalog
    target = catalog_template.records[17]
    term = target.title.split()[-1]  # the model name: a rare word
    qtbot.keyClicks(catalog.search_box, term)
    qtbot.waitUntil(lambda: 0 < catalog.model.rowCount() < CATALOG_SIZE, timeout=5000)
    expected = window.catalog.store.search(SearchQuery(text=term)).total
    assert catalog.model.rowCount() == expected
    assert catalog.count_label.text() in (f"{expected} products", "1 product")
    assert target.title in painted_titles(qtbot, catalog.grid)
    # Nothing matches: the count says so and the grid is empty.
    catalog.search_box.clear()
    qtbot.keyClicks(catalog.search_box, "qqzzxx")
    qtbot.waitUntil(lambda: catalog.count_label.text() == "0 products")
    assert catalog.grid.visible_rows() == range(0)
    # Clearing the box brings every product back.
    catalog.search_box.clear()
    qtbot.waitUntil(lambda: catalog.model.rowCount() == CATALOG_SIZE)


def test_a_pasted_product_link_shows_that_product(
    qtbot: QtBot, window: MainWindow, catalog_template: CatalogTemplate
) -> None:
    """A merchant's product page, pasted into the search box with its tracking parameters,
    shows the product whose landing link it is; words typed again bring the facets back."""
    catalog = window.catalog
    qtbot.waitUntil(lambda: catalog.model.rowCount() == CATALOG_SIZE)
    target = catalog_template.records[17]
    assert target.link and target.link.startswith("http")
    QApplication.clipboard().setText(f"{target.link}?utm_source=instagram&gclid=x1")
    qtbot.mouseClick(catalog.search_box, Qt.MouseButton.LeftButton)
    qtbot.keyClick(catalog.search_box, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: catalog.count_label.text() == "1 product", timeout=5000)
    assert painted_titles(qtbot, catalog.grid) == [target.title]
    assert not catalog.facets.isEnabled()
    catalog.search_box.clear()
    qtbot.waitUntil(lambda: catalog.model.rowCount() == CATALOG_SIZE)
    assert catalog.facets.isEnabled()


def test_a_common_word_shows_its_ranked_head_then_every_match(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past RANK_ALL matches the grid gets the ranked head at once and the rest of the order
    from a worker: in the end every match is a row, in relevance order, and the last ones
    show their cards when scrolled to."""
    from studio.store import search_rank, search_text

    monkeypatch.setattr(search_text, "RANK_ALL", 10)
    monkeypatch.setattr(search_rank, "CANDIDATES", 8)
    monkeypatch.setattr(search_text, "EXACT_BELOW", 5)  # so the matches are not all read
    catalog, grid = window.catalog, window.catalog.grid
    store = catalog.store
    with store.db.connect() as conn:
        matches = conn.execute(
            'SELECT rowid FROM product_fts WHERE product_fts MATCH \'"shirt" OR "shirts"\' '
            "ORDER BY rowid DESC"
        ).fetchall()
    assert len(matches) > 20
    qtbot.keyClicks(catalog.search_box, "shirt")
    qtbot.waitUntil(lambda: catalog.model.rowCount() == len(matches), timeout=5000)
    assert catalog.count_label.text() == f"{len(matches)} products"
    rows = [catalog.model.product_id(r) for r in range(len(matches))]
    assert sorted(rows) == sorted(m[0] for m in matches)
    head = rows[:8]
    assert rows[8:] == [m[0] for m in matches if m[0] not in head]  # the rest newest first
    grid.verticalScrollBar().setValue(grid.verticalScrollBar().maximum())
    assert painted_titles(qtbot, grid)
    assert grid.visible_rows()[-1] == len(matches) - 1


def test_ticking_a_facet_filters_the_results(
    qtbot: QtBot, window: MainWindow, catalog_template: CatalogTemplate
) -> None:
    catalog = window.catalog
    merchant = sorted({r.merchant for r in catalog_template.records})[1]
    expected = sum(1 for r in catalog_template.records if r.merchant == merchant)
    qtbot.waitUntil(lambda: catalog.facets.value_item("merchant", merchant) is not None)
    item = catalog.facets.value_item("merchant", merchant)
    assert item is not None and item.text(0).endswith(f"({expected})")
    item.setCheckState(0, Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: catalog.model.rowCount() == expected)
    painted_titles(qtbot, catalog.grid)
    merchants = {catalog.model.card(r).merchant for r in catalog.grid.visible_rows()}
    assert merchants == {merchant}
    # The tick survives the facet refresh and unticking restores everything.
    qtbot.waitUntil(lambda: catalog.facets.selected() == {"merchant": {merchant}})
    catalog.facets.value_item("merchant", merchant).setCheckState(0, Qt.CheckState.Unchecked)
    qtbot.waitUntil(lambda: catalog.model.rowCount() == CATALOG_SIZE)


def test_scrolling_by_scrollbar_and_keys_paints_other_cards(
    qtbot: QtBot, window: MainWindow
) -> None:
    grid = window.catalog.grid
    first = painted_titles(qtbot, grid)
    grid.verticalScrollBar().setValue(grid.verticalScrollBar().maximum())
    last = painted_titles(qtbot, grid)
    assert grid.visible_rows()[-1] == CATALOG_SIZE - 1
    assert not set(first) & set(last)

    grid.setFocus()
    qtbot.keyClick(grid, Qt.Key.Key_Home)
    assert grid.currentIndex().row() == 0 and grid.verticalScrollBar().value() == 0
    qtbot.keyClick(grid, Qt.Key.Key_Right)
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    assert grid.currentIndex().row() == 1 + grid.columns()
    qtbot.keyClick(grid, Qt.Key.Key_PageDown)
    assert grid.currentIndex().row() > 1 + 2 * grid.columns()
    qtbot.keyClick(grid, Qt.Key.Key_End)
    assert grid.currentIndex().row() == CATALOG_SIZE - 1
    assert grid.visible_rows()[-1] == CATALOG_SIZE - 1
    assert CATALOG_SIZE - 1 in grid.selected_rows()


def test_the_grid_keeps_the_cards_of_two_screens_drawn_not_more(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Each drawn card is kept as a pixmap of ~200 KB: the grid keeps twice what it shows (a
    fixed 64 held 13 MiB where the desktop's grid shows a dozen), and all it shows."""
    grid = window.catalog.grid
    painted_titles(qtbot, grid)
    drawn = grid._cards._cards
    bar = grid.verticalScrollBar()
    steps = 0
    while bar.value() < bar.maximum():
        bar.setValue(bar.value() + 90)
        shown = len(painted_titles(qtbot, grid))
        assert shown - grid.columns() <= len(drawn) <= max(MIN_CACHED_CARDS, 2 * shown)
        steps += 1
    assert steps * 90 > 64 * grid._cell().height() // grid.columns()  # past 64 cards


def test_click_then_enter_opens_the_detail(qtbot: QtBot, window: MainWindow) -> None:
    catalog, grid = window.catalog, window.catalog.grid
    painted_titles(qtbot, grid)
    rect = grid.visualRect(catalog.model.index(3))
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert grid.currentIndex().row() == 3
    qtbot.keyClick(grid, Qt.Key.Key_Return)
    card = catalog.model.card(3)
    assert card is not None
    qtbot.waitUntil(
        lambda: catalog.detail.detail is not None and catalog.detail.detail.card.id == card.id
    )
    assert catalog.detail.title.text() == card.title
    assert format_money(card.sale_price or card.price) in catalog.detail.price.text()
    # Its images come through the loader: the main image fills in.
    qtbot.waitUntil(lambda: not catalog.detail.main_image.pixmap().isNull())


def test_double_click_opens_the_detail(qtbot: QtBot, window: MainWindow) -> None:
    catalog, grid = window.catalog, window.catalog.grid
    painted_titles(qtbot, grid)
    point = grid.visualRect(catalog.model.index(5)).center()
    qtbot.mouseDClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=point)
    card = catalog.model.card(5)
    qtbot.waitUntil(
        lambda: catalog.detail.detail is not None and catalog.detail.detail.card.id == card.id
    )


def test_dragging_products_carries_their_ids(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog, grid = window.catalog, window.catalog.grid
    painted_titles(qtbot, grid)
    model = catalog.model
    qtbot.mouseClick(
        grid.viewport(), Qt.MouseButton.LeftButton, pos=grid.visualRect(model.index(0)).center()
    )
    qtbot.mouseClick(
        grid.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ShiftModifier,
        pos=grid.visualRect(model.index(2)).center(),
    )
    assert grid.selected_rows() == [0, 1, 2]

    dropped: list[Any] = []

    class RecordingDrag(QDrag):
        def exec(self, *args: Any) -> Qt.DropAction:  # no drop target offscreen: record it
            dropped.append(self.mimeData())
            return Qt.DropAction.CopyAction

    monkeypatch.setattr(grid_view, "QDrag", RecordingDrag)
    # Press on a selected card and move past the drag distance: Qt starts the drag.
    start = grid.visualRect(model.index(1)).center()
    qtbot.mousePress(grid.viewport(), Qt.MouseButton.LeftButton, pos=start)
    for dx in (5, 20, 60):
        move = QMouseEvent(
            QMouseEvent.Type.MouseMove,
            (start + QPoint(dx, dx)).toPointF(),
            grid.viewport().mapToGlobal(start + QPoint(dx, dx)).toPointF(),
            Qt.MouseButton.NoButton,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(grid.viewport(), move)
    qtbot.waitUntil(lambda: bool(dropped))
    mime = dropped[0]
    expected = [model.product_id(r) for r in (0, 1, 2)]
    assert mime.hasFormat(MIME_TYPE)
    assert decode_product_ids(mime) == expected
    assert mime.text().splitlines() == [model.card(r).title for r in (0, 1, 2)]


def test_grid_and_list_modes(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    grid = window.catalog.grid
    assert window.grid_action.shortcut().toString() == "Ctrl+1"
    assert window.list_action.shortcut().toString() == "Ctrl+2"
    grid_rows = len(grid.visible_rows())
    window.list_action.trigger()
    assert grid.mode == ViewMode.LIST and window.list_action.isChecked()
    assert grid.columns() == 1
    assert grid.visualRect(window.catalog.model.index(1)).height() == ProductGridView.LIST_ROW
    assert len(painted_titles(qtbot, grid)) != grid_rows
    window.grab().save(str(tmp_path / "list.png"))
    window.grid_action.trigger()
    assert grid.mode == ViewMode.GRID and grid.columns() > 1


def test_find_shortcut_focuses_the_search_box(qtbot: QtBot, window: MainWindow) -> None:
    window.catalog.grid.setFocus()
    window.find_action.trigger()
    assert window.catalog.search_box.hasFocus()
    assert window.import_action.shortcut().toString() == "Ctrl+I"
    assert "Ctrl+Q" in [s.toString() for s in window.quit_action.shortcuts()]


def test_sorting_by_price(qtbot: QtBot, window: MainWindow) -> None:
    catalog = window.catalog
    before = catalog.last_result
    combo = catalog.facets.sort_combo
    combo.setCurrentIndex(combo.findText("Price: low to high"))
    qtbot.waitUntil(lambda: catalog.last_result is not before)
    painted_titles(qtbot, catalog.grid)
    prices = [catalog.model.card(r).price for r in catalog.grid.visible_rows()]
    assert all(p is not None for p in prices)
    # Grouped by currency (alphabetically: amounts in two currencies are never compared),
    # amounts in one currency rise from card to card.
    codes = [p.currency for p in prices if p is not None]
    assert len(codes) > 2 and codes == sorted(codes)
    first = [p.minor for p in prices if p is not None and p.currency == codes[0]]
    assert first == sorted(first)
    assert first[0] < max(r.price.minor for r in _records_in(window, codes[0]))


def _records_in(window: MainWindow, currency: str) -> list[Any]:
    store = window.catalog.store
    ids = [int(i) for i in store.search(SearchQuery()).ids]
    return [c for c in store.cards(ids) if c.price is not None and c.price.currency == currency]


def test_a_catalog_write_refreshes_the_grid_and_the_detail_and_nothing_else_does(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from studio.core.changes import Changes
    from studio.services.feeds import FeedJob

    catalog, grid = window.catalog, window.catalog.grid
    painted_titles(qtbot, grid)
    catalog.open_detail(catalog.model.index(0))
    qtbot.waitUntil(lambda: catalog.detail.detail is not None)
    shown = catalog.detail.detail
    assert shown is not None
    searches: list[bool] = []
    real_refresh = catalog.refresh
    monkeypatch.setattr(catalog, "refresh", lambda: (searches.append(True), real_refresh()))
    # The curator's content changed (a review, a relink): the catalog shows none of it.
    catalog._tasks.changed.emit(Changes.of("review", ["r"]), None)
    catalog._tasks.changed.emit(Changes(relinked=True), None)
    assert searches == []
    # The shown product renamed by its merchant's feed (a partial import, through the lane).
    feed = tmp_path / "rename.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">'
        f"<channel><item><g:id>{shown.offer_id}</g:id><title>Renamed by its feed</title>"
        "<g:price>12.00 USD</g:price><g:availability>in stock</g:availability></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    job = FeedJob(feed, shown.card.merchant, "google-xml", full=False)
    with qtbot.waitSignal(window.imports.imported, timeout=20_000):
        window.imports.start([job], always_report=False)
    qtbot.waitUntil(lambda: catalog.detail.title.text() == "Renamed by its feed")
    assert searches == [True]  # one search again: the import's Changes, not the relink's
    # The detail can be re-read before that search's answer lands (the size is -1 meanwhile).
    qtbot.waitUntil(lambda: catalog.catalog_size == CATALOG_SIZE)
