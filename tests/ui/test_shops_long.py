"""Working deep in a long shop, as a member with a full-tier shop of 1,300 products does.

The shop is made through the real stores (1,000 more products imported for it beside the
session's small catalog); the page shows it as it would after a restart, and the user scrolls
and drags in it. What must hold: the view stays where the user is working after a move, rows
scrolled into view already have their titles and prices, and an edited row is painted anew
(painted rows are kept as pixmaps, so a stale one would show).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from test_shops_support import drag_rows, drop_products, new_shop, open_page, select_rows

from bench.catalog_gen import generate_records
from studio.core.looks import ProductRef
from studio.store.profile import ProfileStore
from studio.store.shops import ShopStore
from studio.system.paths import Paths
from studio.ui.shops.api import ShopsPage
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui

LONG = 1_300  # more rows than a list view lays out in one batch (1,000)


@pytest.fixture
def long_page(qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any) -> ShopsPage:
    extra = [
        dataclasses.replace(
            r,
            merchant="Long Shelf Goods",
            offer_id=f"long-{i}",
            image_link=None,
            additional_images=(),
        )
        for i, r in enumerate(generate_records(1_000, seed=11, merchants=1))
    ]
    store.import_feed("Long Shelf Goods", "google-xml", extra)
    ProfileStore(store.db).set_tier_from_platform("full")
    shops = ShopStore(store.db)
    shop = shops.create_shop("long-shop", "Long shop", section_title="Everything")
    with store.db.connect() as conn:
        rows = conn.execute(
            "SELECT p.id, m.name, p.offer_id FROM products p JOIN merchants m "
            "ON m.id = p.merchant_id ORDER BY p.id LIMIT ?",
            (LONG,),
        ).fetchall()
    doc = shops.document(shop.id)
    assert doc is not None and len(rows) == LONG
    shops.add_items(doc.sections[0].id, [ProductRef(*row) for row in rows])
    page = open_page(qtbot, tasks, paths, store)
    qtbot.waitUntil(lambda: page.controller.model.item_count == LONG, timeout=10_000)
    qtbot.waitUntil(lambda: page.controller.model.cards_pending == 0, timeout=10_000)
    return page


def _shown_ids(page: ShopsPage, rows: range) -> list[str]:
    model = page.controller.model
    return [item.id for item in (model.item_at(r) for r in rows) if item is not None]


def test_a_move_deep_in_a_long_shelf_leaves_the_view_where_it_was(
    qtbot: QtBot, long_page: ShopsPage
) -> None:
    page, view = long_page, long_page.editor.view
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum() - 200)  # near the end: rows past 1,200
    QApplication.processEvents()
    rows = view.visible_rows()
    first = rows.start + 1
    assert first > 1_100
    value = bar.value()
    moving = _shown_ids(page, range(first, first + 2))
    assert drag_rows(page, [first, first + 1], first + 6, lower=True)
    qtbot.waitUntil(lambda: page.editor.selected_items() != [], timeout=5_000)
    for _ in range(10):  # every later turn: nothing may scroll the view away
        QApplication.processEvents()
    assert bar.value() == value
    assert _shown_ids(page, range(first + 5, first + 7)) == moving
    assert [i.id for i in page.editor.selected_items()] == moving


def test_rows_scrolled_into_view_already_have_their_cards(
    qtbot: QtBot, long_page: ShopsPage
) -> None:
    page, view = long_page, long_page.editor.view
    model = page.controller.model
    shown = view.visible_rows()
    below = range(shown.stop, shown.stop + len(shown))
    items = [model.item_at(r) for r in below]
    # Asked for with the first screen, though never painted (the request follows the
    # shop's opening by a turn of the event loop, so it is waited for).
    qtbot.waitUntil(
        lambda: all(i is not None and i.product.product_id in model.cards for i in items),
        timeout=5_000,
    )
    view.verticalScrollBar().setValue(view.verticalScrollBar().value() + view.viewport().height())
    QApplication.processEvents()
    # The screen after that is asked for as soon as the view moved.
    after = view.visible_rows()
    ahead = [model.item_at(r) for r in range(after.stop, after.stop + len(after))]
    qtbot.waitUntil(
        lambda: all(i is not None and i.product.product_id in model.cards for i in ahead),
        timeout=5_000,
    )


def _row_image(page: ShopsPage, row: int) -> QImage:
    view = page.editor.view
    rect: QRect = view.visualRect(page.controller.model.index(row))
    view.viewport().repaint()
    return view.viewport().grab(rect).toImage()


def test_an_edited_row_is_painted_anew_and_as_before_after_undo(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any
) -> None:
    page = open_page(qtbot, tasks, paths, store)
    new_shop(qtbot, page)
    drop_products(qtbot, page, [0, 1, 2], at_row=0)
    model = page.controller.model
    qtbot.waitUntil(
        lambda: model.cards_pending == 0 and page.editor.images.pending == 0, timeout=10_000
    )
    select_rows(page, [2])
    plain = _row_image(page, 2)
    qtbot.mouseClick(page.editor.featured, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: model.item_at(2) is not None and model.item_at(2).featured)
    featured = _row_image(page, 2)
    assert featured != plain  # the star is drawn
    page.undo_stack.undo()
    assert model.item_at(2) is not None and not model.item_at(2).featured
    assert _row_image(page, 2) == plain


def test_home_and_end_go_to_the_first_and_the_last_product(
    qtbot: QtBot, long_page: ShopsPage
) -> None:
    view = long_page.editor.view
    select_rows(long_page, [3])
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.currentIndex().row() == LONG  # the header row, then 1,300 products
    assert view.visible_rows().stop == LONG + 1  # scrolled to it
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.currentIndex().row() == 0
    assert [i.row() for i in view.selectionModel().selectedRows()] == [0]


def test_the_shop_list_follows_edits_without_reading_every_shop(
    qtbot: QtBot, long_page: ShopsPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Reading every shop's counts and health again costs a 1,300-product shop's health check:
    # the open shop's line follows its edits from what the editor holds instead.
    page = long_page
    qtbot.waitUntil(lambda: page.controller.health_known, timeout=10_000)
    issues = len(page.controller.issues)
    line = page.shop_list.list.currentItem()
    qtbot.waitUntil(lambda: "1300 products" in line.text(), timeout=5_000)
    reads: list[bool] = []
    real = page.controller.shops.summaries
    monkeypatch.setattr(
        page.controller.shops, "summaries", lambda **kw: reads.append(True) or real(**kw)
    )
    select_rows(page, [1, 2])
    page.editor.view.setFocus()
    qtbot.keyClick(page.editor.view, Qt.Key.Key_Delete)
    assert "1298 products" in line.text()
    page.undo_stack.undo()
    assert "1300 products" in line.text()
    qtbot.wait(1_200)  # past the list's old 800 ms pause
    qtbot.waitUntil(lambda: page.controller.health_known, timeout=10_000)
    assert (f" · {issues} issues" in line.text()) == bool(issues)
    assert reads == []
