"""The boards page: the board library and placing products, photos and text on a board."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu
from pytestqt.qtbot import QtBot
from test_boards_support import (
    drop_files,
    drop_products,
    first_product_id,
    fixture_photo,
    new_board,
    open_page,
    saved,
    settle,
    stored,
    view_point,
)

from studio.core.boards import BoardItemKind
from studio.system.paths import Paths
from studio.ui.boards.api import BoardsPage
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui


@pytest.fixture
def board_page(qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any) -> BoardsPage:
    return open_page(qtbot, tasks, paths, store)


@pytest.fixture
def photo(fixtures_dir: Path) -> Path:
    return fixture_photo(fixtures_dir)


def test_drop_a_product_and_a_photo(
    qtbot: QtBot, board_page: BoardsPage, store: Any, photo: Path, paths: Paths
) -> None:
    page = board_page
    new_board(qtbot, page)
    product_id = first_product_id(store)
    drop_products(page, [product_id], 300, 360)
    settle(qtbot, page, 1)
    (item,) = stored(page).values()
    assert item.kind is BoardItemKind.PRODUCT
    assert (item.x, item.y) == (pytest.approx(300, abs=3), pytest.approx(360, abs=3))
    assert item.product is not None and item.product.product_id == product_id
    detail = store.detail(product_id)
    assert (item.product.merchant, item.product.offer_id) == (detail.card.merchant, detail.offer_id)
    # The product image was imported into the media library: the board works offline.
    qtbot.waitUntil(lambda: next(iter(stored(page).values())).media_hash is not None)
    item = next(iter(stored(page).values()))
    assert page.editor.controller.graphics[item.id].item.media_hash == item.media_hash
    assert (paths.media).exists() and page.editor._media.has(item.media_hash)
    assert item.height == pytest.approx(item.width * 300 / 240)  # the fixture image's shape
    qtbot.waitUntil(lambda: page.editor.controller.graphics[item.id].has_pixmap)
    # The shoppable-product list numbers it, with its price and availability.
    qtbot.waitUntil(lambda: page.editor.products.entries()[0].startswith(f"1. {detail.card.title}"))
    assert (
        "In stock" in page.editor.products.entries()[0]
        or "stock" in page.editor.products.entries()[0].lower()
        or detail.card.availability
    )

    drop_files(page, [photo], 800, 800)
    settle(qtbot, page, 2)
    photos = [i for i in stored(page).values() if i.kind is BoardItemKind.PHOTO]
    assert len(photos) == 1
    assert (photos[0].x, photos[0].y) == (pytest.approx(800, abs=3), pytest.approx(800, abs=3))
    assert photos[0].media_hash and page.editor._media.has(photos[0].media_hash)
    assert photos[0].width / photos[0].height == pytest.approx(480 / 360, rel=0.01)
    # One undo step per placement.
    page.editor.undo.undo()
    assert len(stored(page)) == 1
    page.editor.undo.redo()
    assert len(stored(page)) == 2


def test_bad_photo_is_refused_with_its_reason(
    qtbot: QtBot, board_page: BoardsPage, fixtures_dir: Path
) -> None:
    page = board_page
    new_board(qtbot, page)
    broken = fixtures_dir / "images" / "pillow_tests" / "broken.png"
    if not broken.exists():
        pytest.fail("broken.png fixture is absent" + " (../shared is incomplete)", pytrace=False)
    drop_files(page, [broken], 600, 600)
    qtbot.waitUntil(lambda: page.editor.status.isVisible())
    assert "broken.png" in page.editor.status.text()
    assert stored(page) == {}


def test_board_library_create_rename_duplicate_trash_restore_search(
    qtbot: QtBot, board_page: BoardsPage
) -> None:
    page = board_page
    lst = page.board_list
    first = new_board(qtbot, page)
    # Rename in place.
    item = lst.list.currentItem()
    item.setText("Summer picnic")
    qtbot.waitUntil(lambda: page.boards.document(first).board.title == "Summer picnic")
    assert page.editor.title.text() == "Summer picnic"
    # Ctrl+N, wherever the focus is in the page.
    page.activateWindow()
    page.editor.view.setFocus()
    qtbot.keyClick(page.editor.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.editor.board_id not in (None, first))
    second = page.editor.board_id
    assert second != first
    qtbot.waitUntil(lambda: lst.list.count() == 2)
    # Duplicate.
    qtbot.mouseClick(lst.duplicate_button, qtbot_left())
    qtbot.waitUntil(lambda: lst.list.count() == 3)
    # Search.
    qtbot.keyClicks(lst.search, "picnic")
    qtbot.waitUntil(lambda: lst.list.count() == 1 and lst.current_id() == first)
    qtbot.waitUntil(lambda: page.editor.board_id == first)
    lst.search.clear()
    qtbot.waitUntil(lambda: lst.list.count() == 3)
    # Delete to the trash, then restore.
    lst.list.setCurrentItem(
        next(
            lst.list.item(i)
            for i in range(lst.list.count())
            if lst.list.item(i).text() == "Summer picnic"
        )
    )
    qtbot.waitUntil(lambda: page.editor.board_id == first)
    qtbot.mouseClick(lst.delete_button, qtbot_left())
    qtbot.waitUntil(lambda: lst.list.count() == 2)
    saved(page)
    assert page.boards.document(first).board.deleted_at is not None
    qtbot.waitUntil(lambda: page.editor.board_id != first)  # the board below opens
    qtbot.mouseClick(lst.trash_button, qtbot_left())
    qtbot.waitUntil(lambda: lst.list.count() == 1 and lst.restore_button.isVisible())
    qtbot.mouseClick(lst.restore_button, qtbot_left())
    qtbot.waitUntil(lambda: lst.list.count() == 3 and not lst.trashed)
    assert page.boards.document(first).board.deleted_at is None


def qtbot_left() -> Any:
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_the_201st_item_is_refused_with_the_reason(
    qtbot: QtBot, board_page: BoardsPage, store: Any
) -> None:
    from studio.core.boards import MAX_BOARD_ITEMS, BoardItem
    from studio.core.looks import new_id

    page = board_page
    board_id = new_board(qtbot, page)
    for n in range(MAX_BOARD_ITEMS):
        page.boards.add_item(
            BoardItem(
                new_id(), board_id, BoardItemKind.TEXT, 20 + n * 5, 40 + n * 5, 60, 30, text=f"{n}"
            )
        )
    page.editor.open_board(board_id)
    settle(qtbot, page, MAX_BOARD_ITEMS)
    qtbot.mouseClick(
        page.editor.toolbar.widgetForAction(page.editor.actions_by_name["text"]), qtbot_left()
    )
    assert page.editor.status.isVisible()
    assert "200" in page.editor.status.text()
    drop_products(page, [first_product_id(store)], 600, 600)
    assert len(stored(page)) == MAX_BOARD_ITEMS
    assert page.editor.undo.count() == 0


def test_restart_finds_the_board_as_left(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any, board_page: BoardsPage, photo: Path
) -> None:
    page = board_page
    board_id = new_board(qtbot, page)
    drop_files(page, [photo], 500, 500)
    settle(qtbot, page, 1)
    page.editor.add_text()
    qtbot.keyClicks(page.editor.view, "As left")
    qtbot.keyClick(page.editor.view, Qt.Key.Key_Return)
    before = stored(page)
    assert sorted(i.text for i in before.values()) == ["", "As left"]
    page.close()
    again = open_page(qtbot, tasks, paths, store)
    qtbot.waitUntil(lambda: again.editor.board_id == board_id)
    settle(qtbot, again, 2)
    assert {i: g.item for i, g in again.editor.controller.graphics.items()} == before


def test_paste_an_image_from_the_clipboard(
    qtbot: QtBot, board_page: BoardsPage, photo: Path
) -> None:
    page = board_page
    new_board(qtbot, page)
    QGuiApplication.clipboard().setImage(QImage(str(photo)))
    page.activateWindow()
    page.editor.view.setFocus()
    qtbot.keyClick(page.editor.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, page, 1)
    (item,) = stored(page).values()
    assert item.kind is BoardItemKind.PHOTO and page.editor._media.has(item.media_hash)
    assert item.width / item.height == pytest.approx(480 / 360, rel=0.01)


def test_context_menu_offers_the_item_actions(
    qtbot: QtBot, board_page: BoardsPage, photo: Path
) -> None:
    page = board_page
    new_board(qtbot, page)
    drop_files(page, [photo], 600, 600)
    settle(qtbot, page, 1)
    (item,) = stored(page).values()
    page.editor.scene.clearSelection()
    viewport = page.editor.view.viewport()
    pos = view_point(page, 600, 600)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, viewport.mapToGlobal(pos))
    QApplication.sendEvent(viewport, event)
    menu = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu) and w.isVisible())
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert {"Delete", "Bring forward", "Flip vertically", "Crop"} <= set(texts)
    assert page.editor.scene.selected_board_items()[0].item_id == item.id
    next(a for a in menu.actions() if a.text() == "Flip vertically").trigger()
    menu.close()
    assert stored(page)[item.id].flip_v


def _import_one(store: Any, image_link: str) -> int:
    """A real one-product feed whose image link is ``image_link``; the product's id."""
    import dataclasses

    from bench.catalog_gen import generate_records
    from studio.core.catalog import SearchQuery

    (record,) = generate_records(1, seed=99, merchants=1)
    record = dataclasses.replace(
        record,
        merchant="Broken Images Ltd",
        image_link=image_link,
        title="Linen tote with a dead image link",
    )
    store.import_feed("Broken Images Ltd", "google-xml", [record])
    ids = store.search(SearchQuery(text="dead image link", limit=5)).ids
    return int(next(iter(ids)))


def test_a_product_image_that_cannot_be_fetched_leaves_a_placeholder(
    qtbot: QtBot, board_page: BoardsPage, store: Any, tmp_path: Path
) -> None:
    page = board_page
    product_id = _import_one(store, str(tmp_path / "gone.jpg"))
    new_board(qtbot, page)
    drop_products(page, [product_id], 600, 600)
    settle(qtbot, page, 1)
    (item,) = stored(page).values()
    assert item.product is not None and item.product.merchant == "Broken Images Ltd"
    assert item.media_hash is None
    assert page.editor.controller.graphics[item.id].failed
    assert "could not be fetched" in page.editor.status.text()
    qtbot.waitUntil(
        lambda: (
            page.editor.products.entries() != []
            and "Linen tote" in page.editor.products.entries()[0]
        )
    )


def test_undo_while_the_image_is_on_its_way_then_redo_keeps_the_image(
    qtbot: QtBot, board_page: BoardsPage, store: Any
) -> None:
    page = board_page
    new_board(qtbot, page)
    drop_products(page, [first_product_id(store)], 600, 600)
    qtbot.waitUntil(lambda: len(page.editor.controller.graphics) == 1)
    page.editor.undo.undo()  # most likely before the image has been imported
    assert stored(page) == {}
    qtbot.waitUntil(lambda: page.editor.busy == 0, timeout=15_000)
    page.editor.undo.redo()
    (item,) = stored(page).values()
    assert item.media_hash is not None and page.editor._media.has(item.media_hash)


def test_add_photos_through_the_file_dialog(
    qtbot: QtBot, board_page: BoardsPage, photo: Path
) -> None:
    page = board_page
    new_board(qtbot, page)
    button = page.editor.toolbar.widgetForAction(page.editor.actions_by_name["photo"])
    assert button.accessibleName() == "Add photos…"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = page.editor.findChild(QFileDialog, "boardPhotoDialog")
    dialog.selectFile(str(photo))
    dialog.accept()
    settle(qtbot, page, 1)
    (item,) = stored(page).values()
    assert item.kind is BoardItemKind.PHOTO and item.media_hash
