"""Editing shelves as a user: drag to reorder, multi-select, sort, the tier and the rules."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from test_shops_support import (
    drag_rows,
    drop_products,
    new_shop,
    open_page,
    picker_ready,
    publish,
    row_point,
    select_rows,
    shown_products,
    stored,
    stored_products,
)

from studio.system.paths import Paths
from studio.ui.shops.api import ShopsPage
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any) -> ShopsPage:
    page = open_page(qtbot, tasks, paths, store)
    new_shop(qtbot, page, "Summer picks")
    return page


def _two_shelves(qtbot: QtBot, page: ShopsPage) -> tuple[list[int], list[int]]:
    first = drop_products(qtbot, page, [0, 1, 2, 3], at_row=0)
    page.editor.view.setCurrentIndex(page.controller.model.index(0))
    page.editor.add_shelf_action.trigger()
    # The new shelf's title is open for editing: type its name.
    qtbot.waitUntil(lambda: page.editor.view.state() == page.editor.view.State.EditingState)
    editor = page.editor.view.focusWidget()
    editor.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(editor, "Shoes")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: [t for t, _ in shown_products(page)] == ["Favourites", "Shoes"])
    second = drop_products(qtbot, page, [10, 11], at_row=5)
    assert shown_products(page) == [("Favourites", first), ("Shoes", second)]
    return first, second


def test_reorder_by_drag_within_and_between_shelves(qtbot: QtBot, page: ShopsPage) -> None:
    first, second = _two_shelves(qtbot, page)
    a, b, c, d = first
    # Rows: 0 Favourites, 1-4 a b c d, 5 Shoes, 6-7 second. Drag a below c.
    assert drag_rows(page, [1], 3, lower=True)
    assert shown_products(page)[0][1] == [b, c, a, d]
    assert stored_products(page) == shown_products(page)
    # Drag b and d (Ctrl+click) onto the Shoes shelf, between its two products.
    assert drag_rows(page, [1, 4], 6, lower=True)
    assert shown_products(page) == [("Favourites", [c, a]), ("Shoes", [second[0], b, d, second[1]])]
    assert stored_products(page) == shown_products(page)
    # The moved products stay chosen where they landed.
    assert [i.product.product_id for i in page.editor.selected_items()] == [b, d]
    # Each drag was one undo step.
    page.undo_stack.undo()
    assert stored_products(page) == [("Favourites", [b, c, a, d]), ("Shoes", second)]
    assert shown_products(page) == stored_products(page)
    page.undo_stack.undo()
    assert stored_products(page)[0][1] == first
    page.undo_stack.redo()
    page.undo_stack.redo()
    assert shown_products(page) == [("Favourites", [c, a]), ("Shoes", [second[0], b, d, second[1]])]


def test_multi_select_delete_undo_redo_and_move_to_a_shelf(qtbot: QtBot, page: ShopsPage) -> None:
    first, second = _two_shelves(qtbot, page)
    view = page.editor.view
    select_rows(page, [2, 4])
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert shown_products(page)[0][1] == [first[0], first[2]]
    assert stored(page).item_count == 4
    assert page.editor.counter.text() == "4 of 30 products · 26 left · Starter"
    page.undo_stack.undo()
    assert stored_products(page)[0][1] == first and shown_products(page)[0][1] == first
    page.undo_stack.redo()
    assert stored_products(page)[0][1] == [first[0], first[2]]
    # Ctrl+click two rows, "Move to" the Shoes shelf: at its end, one step.
    select_rows(page, [1, 2])
    page.editor.move_selected_to(page.controller.model.sections[1].id)
    assert shown_products(page) == [("Favourites", []), ("Shoes", [*second, first[0], first[2]])]
    page.undo_stack.undo()
    assert stored_products(page)[0][1] == [first[0], first[2]]


def test_sort_a_shelf_by_price_then_undo(qtbot: QtBot, page: ShopsPage, store: Any) -> None:
    ids = drop_products(qtbot, page, list(range(8)), at_row=0)
    page.editor.view.setCurrentIndex(page.controller.model.index(0))
    page.editor.sort_price_action.trigger()
    cards = {c.id: c for c in store.cards(ids)}

    def price(pid: int | None) -> int:
        card = cards[pid]  # type: ignore[index]
        money = card.sale_price or card.price
        return money.minor if money is not None else 10**12

    # The store sorts (it has every price): the shelf shows its order once it has.
    qtbot.waitUntil(lambda: shown_products(page)[0][1] == sorted(ids, key=price))
    assert shown_products(page)[0][1] != ids
    assert stored_products(page)[0][1] == shown_products(page)[0][1]
    page.undo_stack.undo()
    assert shown_products(page)[0][1] == ids  # at once
    assert stored_products(page)[0][1] == ids


def test_the_31st_product_of_a_starter_shop_is_refused_with_the_reason(
    qtbot: QtBot, page: ShopsPage
) -> None:
    drop_products(qtbot, page, list(range(29)), at_row=0)
    # Two more do not fit in the one place left: refused, nothing added (all or none).
    drop_products(qtbot, page, [40, 41], at_row=0, expect=29)
    assert page.messages.is_error and "at most 30 products" in page.messages.text
    assert stored(page).item_count == 29 and page.controller.model.item_count == 29
    page.messages.hide()
    drop_products(qtbot, page, [40], at_row=0)
    assert page.editor.counter.text() == "30 of 30 products · 0 left · Starter"
    drop_products(qtbot, page, [41], at_row=0, expect=30)
    assert page.messages.is_error and "at most 30 products" in page.messages.text
    assert page.editor.counter.text() == "30 of 30 products · 0 left · Starter"
    assert stored(page).item_count == 30
    # Undo of the refused drop does not exist: the last step is the 30th product.
    assert page.undo_stack.undoText() == "Add a product"
    # Five approved orders later the platform grants the full tier: the page hears of it.
    publish(page.controller.tasks, lambda: page.profile.set_tier_from_platform("full"))
    qtbot.waitUntil(
        lambda: page.editor.counter.text() == "30 of 10,000 products · 9,970 left · Full"
    )
    drop_products(qtbot, page, [41], at_row=0)
    assert stored(page).item_count == 31


def test_a_competitors_product_is_refused_with_the_reason(
    qtbot: QtBot, page: ShopsPage, store: Any
) -> None:
    picker = picker_ready(qtbot, page)
    details = [store.detail(picker.model.product_id(r)) for r in range(picker.model.rowCount())]
    mine = details[0]
    top = mine.category.split(" > ")[0]  # the brand's whole department
    rival_row = next(
        r
        for r, d in enumerate(details)
        if d.category.startswith(top) and d.card.brand != mine.card.brand
    )
    page.profile.add_affiliation(mine.card.brand, top, "makes")
    drop_products(qtbot, page, [rival_row], at_row=0, expect=0)
    assert page.messages.is_error
    assert f"You make {mine.card.brand}" in page.messages.text
    assert "competitor" in page.messages.text
    assert stored(page).item_count == 0
    # The curator's own brand is welcome.
    drop_products(qtbot, page, [0], at_row=0)
    assert stored(page).item_count == 1


def test_note_featured_and_rename_a_shelf_with_f2(qtbot: QtBot, page: ShopsPage) -> None:
    ids = drop_products(qtbot, page, [0, 1], at_row=0)
    view = page.editor.view
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=row_point(page, 2))
    qtbot.keyClicks(page.editor.note, "Lovely in the sun")
    qtbot.keyClick(page.editor.note, Qt.Key.Key_Return)  # leaving or Enter saves at once
    qtbot.mouseClick(page.editor.featured, Qt.MouseButton.LeftButton)
    item = stored(page).items[1]
    assert (item.product.product_id, item.note, item.featured) == (
        ids[1],
        "Lovely in the sun",
        True,
    )
    page.undo_stack.undo()
    assert not stored(page).items[1].featured
    page.undo_stack.undo()
    assert stored(page).items[1].note == ""
    assert page.controller.model.item_at(2).note == ""
    # F2 on a shelf header renames it.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=row_point(page, 0))
    assert view.currentIndex().row() == 0, view.currentIndex().row()
    qtbot.keyClick(view, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: view.state() == view.State.EditingState)
    editor = view.focusWidget()
    editor.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(editor, "Beach")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: stored(page).sections[0].title == "Beach")
    assert page.undo_stack.undoText() == "Rename shelf"
    page.undo_stack.undo()
    assert stored(page).sections[0].title == "Favourites"
    assert shown_products(page)[0][0] == "Favourites"


def test_shelves_move_and_remove_with_undo(qtbot: QtBot, page: ShopsPage) -> None:
    first, second = _two_shelves(qtbot, page)
    view = page.editor.view
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=row_point(page, 5))
    qtbot.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert [s.title for s in stored(page).sections] == ["Shoes", "Favourites"]
    assert shown_products(page) == [("Shoes", second), ("Favourites", first)]
    page.undo_stack.undo()
    assert [t for t, _ in stored_products(page)] == ["Favourites", "Shoes"]
    # Delete on a shelf header removes the shelf and its products; undo brings both back.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=row_point(page, 5))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert stored_products(page) == [("Favourites", first)]
    assert shown_products(page) == [("Favourites", first)]
    assert page.editor.counter.text() == "4 of 30 products · 26 left · Starter"
    page.undo_stack.undo()
    assert stored_products(page) == [("Favourites", first), ("Shoes", second)]
    assert shown_products(page) == stored_products(page)


def test_replace_the_chosen_products_with_catalog_products(qtbot: QtBot, page: ShopsPage) -> None:
    ids = drop_products(qtbot, page, [0, 1, 2], at_row=0)
    picker = picker_ready(qtbot, page)
    results = picker.results
    select_rows(page, [2, 3])
    # Choose two replacements in the catalog list (click, Ctrl+click), then Replace.
    for n, row in enumerate((20, 21)):
        index = picker.model.index(row, 0)
        results.scrollTo(index)
        qtbot.mouseClick(
            results.viewport(),
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.ControlModifier if n else Qt.KeyboardModifier.NoModifier,
            results.visualRect(index).center(),
        )
    chosen = [picker.model.product_id(20), picker.model.product_id(21)]
    qtbot.mouseClick(page.editor.replace_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shown_products(page)[0][1] == [ids[0], *chosen])
    assert stored_products(page)[0][1] == [ids[0], *chosen]
    page.undo_stack.undo()
    assert stored_products(page)[0][1] == ids and shown_products(page)[0][1] == ids
    # A shop shows each product once: shelving one it holds is refused with the reason.
    drop_products(qtbot, page, [0], at_row=0, expect=3)
    assert "already in this shop" in page.messages.text


def test_added_to_the_shelf_goes_once_the_adding_is_undone(qtbot: QtBot, page: ShopsPage) -> None:
    drop_products(qtbot, page, [0, 1], at_row=0)
    bar = page.messages
    qtbot.waitUntil(lambda: bar.text == "2 added to the shelf.")
    page.undo_stack.undo()  # Edit > Undo (the main window's; this page stands alone here)
    qtbot.waitUntil(lambda: page.controller.model.item_count == 0)
    assert bar.text == ""  # no longer true: it goes with the step
    # One product: the message says so in the singular.
    drop_products(qtbot, page, [3], at_row=0)
    qtbot.waitUntil(lambda: bar.text == "1 added to the shelf.")
