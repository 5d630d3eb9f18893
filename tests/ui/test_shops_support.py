"""Fixtures and gestures shared by the shops page's GUI tests (no tests of its own).

The page runs over real stores in the test's home (the session's small catalog copied in):
ShopStore, ProfileStore, the media library. Products come from the page's own catalog
picker: its model gives the drag data, delivered to the shelf view as real drag-enter, -move
and -drop events (the offscreen platform cannot run a QDrag).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from PySide6.QtCore import QMimeData, QPoint, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from test_looks_helpers import drop

from studio.core.shops import ShopDocument
from studio.system.paths import Paths
from studio.ui.shops.api import ShopsPage
from studio.ui.tasks import TaskManager

CtrlMod = Qt.KeyboardModifier.ControlModifier
T = TypeVar("T")


def open_page(qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any) -> ShopsPage:
    from studio.media.library import MediaLibrary
    from studio.store.profile import ProfileStore
    from studio.store.shops import ShopStore

    page = ShopsPage(
        tasks,
        ShopStore(store.db),
        ProfileStore(store.db),
        MediaLibrary(paths.media),
        lambda: store,
        paths,
    )
    qtbot.addWidget(page)
    page.resize(1400, 860)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()  # shortcuts and in-place editors need the window active
    qtbot.waitUntil(page.isActiveWindow)
    qtbot.waitUntil(lambda: page.shop_list.summaries is not None and not page.controller.loading)
    return page


def new_shop(
    qtbot: QtBot, page: ShopsPage, title: str = "Summer picks", handle: str | None = None
) -> str:
    """Type a title (and a handle) into the form, click Create; the shop opens. Its id."""
    shop_list = page.shop_list
    qtbot.keyClicks(shop_list.title, title)
    if handle is not None:
        shop_list.handle.clear()
        qtbot.keyClicks(shop_list.handle, handle)
    qtbot.mouseClick(shop_list.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: (
            page.controller.doc is not None
            and page.controller.doc.shop.title == title
            and not page.controller.loading
        )
    )
    assert page.controller.shop_id is not None
    return page.controller.shop_id


def picker_ready(qtbot: QtBot, page: ShopsPage) -> Any:
    picker = page.editor.picker
    qtbot.waitUntil(lambda: picker.searched and picker.model.rowCount() > 0, timeout=10_000)
    return picker


def picker_mime(qtbot: QtBot, page: ShopsPage, rows: Sequence[int]) -> tuple[QMimeData, list[int]]:
    """The drag data of these picker rows, as the picker's view would start the drag."""
    picker = picker_ready(qtbot, page)
    model = picker.model
    ids = [int(model.product_id(r)) for r in rows]
    return model.mimeData([model.index(r, 0) for r in rows]), ids


def row_point(page: ShopsPage, row: int, *, lower: bool = False) -> QPoint:
    view = page.editor.view
    rect = view.visualRect(page.controller.model.index(row))
    return QPoint(
        rect.center().x(), rect.top() + (rect.height() * 3 // 4 if lower else rect.height() // 4)
    )


def drop_products(
    qtbot: QtBot,
    page: ShopsPage,
    rows: Sequence[int],
    at_row: int,
    *,
    lower: bool = True,
    expect: int | None = None,
) -> list[int]:
    """Drag picker rows onto the shelf view at a shelf row; waits for ``expect`` items."""
    mime, ids = picker_mime(qtbot, page, rows)
    before = page.controller.model.item_count
    page.messages.hide()
    assert drop(page.editor.view.viewport(), mime, row_point(page, at_row, lower=lower))
    if expect is None:  # shelved: wait for the rows
        qtbot.waitUntil(
            lambda: page.controller.model.item_count == before + len(rows), timeout=10_000
        )
    else:  # refused: wait for the reason
        qtbot.waitUntil(
            lambda: page.messages.is_error and page.messages.isVisible(), timeout=10_000
        )
        assert page.controller.model.item_count == expect
    return ids


def select_rows(page: ShopsPage, rows: Sequence[int]) -> None:
    """Click the first row, Ctrl+click the others (a real multi-selection)."""
    from pytestqt.qtbot import QtBot as _Q

    view = page.editor.view
    for n, row in enumerate(rows):
        _Q.mouseClick(
            view.viewport(),
            Qt.MouseButton.LeftButton,
            CtrlMod if n else Qt.KeyboardModifier.NoModifier,
            row_point(page, row),
        )


def drag_rows(page: ShopsPage, rows: Sequence[int], to_row: int, *, lower: bool) -> bool:
    """Select rows and drag them (the view's own drag data) to another row."""
    select_rows(page, rows)
    view = page.editor.view
    mime = page.controller.model.mimeData(view.selectionModel().selectedRows())
    taken = drop(view.viewport(), mime, row_point(page, to_row, lower=lower))
    QApplication.processEvents()
    return taken


def publish(tasks: TaskManager, write: Callable[[], T]) -> T:
    """Write to the store as another part of the app does (another page, an import, the
    profile dialog) and publish what it changed on ``tasks.changed``, as the lane does."""
    from studio.services.lane import WriteLane

    done = WriteLane.run(write)
    tasks.changed.emit(done.changes, None)
    return done.value


def imported(tasks: TaskManager, db: Any, feed_import: Callable[[], object]) -> None:
    """A feed import as the app runs it: the catalog's write (its Changes say the catalog
    changed), then the content's re-link of product references, each published."""
    from studio.core.changes import CATALOG_CHANGED
    from studio.store import records, tx

    feed_import()
    tasks.changed.emit(CATALOG_CHANGED, None)

    def relink() -> int:
        with tx.write(db) as conn:
            return records.relink(conn)

    publish(tasks, relink)


def error_shown(qtbot: QtBot, page: ShopsPage, *, timeout: int = 10_000) -> str:
    """Wait for the page's message bar to show an error (a refusal); its text."""
    qtbot.waitUntil(lambda: page.messages.is_error and page.messages.isVisible(), timeout=timeout)
    return str(page.messages.text)


def written(page: ShopsPage) -> Any:
    """A ShopStore over the page's store (not the page's own: a test reads and writes there,
    as another part of the app would), once the page's queued writes have committed."""
    from studio.store.shops import ShopStore

    assert page.controller.tasks.wait_written()
    return ShopStore(page.shops.db)


def stored(page: ShopsPage) -> ShopDocument:
    """The open shop as stored, once the page's queued writes have committed."""
    assert page.controller.shop_id is not None
    doc = written(page).document(page.controller.shop_id)
    assert doc is not None
    return doc


def shown_products(page: ShopsPage) -> list[tuple[str, list[int | None]]]:
    """What the shelves show: (shelf title, product ids in order) per shelf."""
    model = page.controller.model
    return [(s.title, [i.product.product_id for i in model.items[s.id]]) for s in model.sections]


def stored_products(page: ShopsPage) -> list[tuple[str, list[int | None]]]:
    doc = stored(page)
    return [(s.title, [i.product.product_id for i in doc.items_of(s.id)]) for s in doc.sections]
