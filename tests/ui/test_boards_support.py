"""Fixtures and gestures shared by the board editor's GUI tests (no tests of its own).

A real store in the test's home (the session's small catalog copied in), the real media
library, and the page the main window shows. Gestures are sent to the canvas's viewport as a
user makes them: press, several moves, release.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QMouseEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from studio.core.boards import BoardItem
from studio.system.paths import Paths
from studio.ui.boards.api import BoardsPage
from studio.ui.tasks import TaskManager
from studio.ui.widgets.mime import product_mime_data

NoMod = Qt.KeyboardModifier.NoModifier


def open_page(qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any) -> BoardsPage:
    from studio.media.library import MediaLibrary
    from studio.store.boards import BoardStore

    page = BoardsPage(
        tasks,
        BoardStore(store.db),
        MediaLibrary(paths.media),
        lambda: store,
        image_cache=paths.image_cache,
    )
    qtbot.addWidget(page)
    page.resize(1280, 820)
    page.show()
    qtbot.waitExposed(page)
    return page


def fixture_photo(fixtures_dir: Path) -> Path:
    """A real JPEG photo from the shared fixtures (480x360)."""
    path = fixtures_dir / "images" / "pillow_tests" / "flower.jpg"
    if not path.exists():
        pytest.fail(f"fixture image {path} is absent" + " (../shared is incomplete)", pytrace=False)
    return path


def new_board(qtbot: QtBot, page: BoardsPage) -> str:
    """Click New and wait for the editor to show the new board and the store to have it;
    its id."""
    before = page.editor.board_id
    qtbot.mouseClick(page.board_list.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.editor.board_id not in (None, before))
    board_id = page.editor.board_id
    assert board_id is not None
    saved(page)
    return board_id


def saved(page: BoardsPage) -> None:
    """Wait until every write the page queued has committed (they run on the writer lane)."""
    assert page.editor.writes.tasks.wait_written()


def outbox(page: BoardsPage) -> list[Any]:
    """The store's outbox (one entry per record written), once the page's writes are saved."""
    from studio.store.outbox import pending

    saved(page)
    return pending(page.boards.db, limit=100_000)


def stored(page: BoardsPage) -> dict[str, BoardItem]:
    """The open board's items as the store has them, once the page's writes are saved."""
    saved(page)
    assert page.editor.board_id is not None
    doc = page.boards.document(page.editor.board_id)
    assert doc is not None
    return {i.id: i for i in doc.items}


def settle(qtbot: QtBot, page: BoardsPage, count: int) -> None:
    """Wait until ``count`` items are on the canvas and every placement is done."""
    qtbot.waitUntil(
        lambda: len(page.editor.controller.graphics) == count and page.editor.busy == 0,
        timeout=15_000,
    )


def view_point(page: BoardsPage, x: float, y: float) -> QPoint:
    return page.editor.view.mapFromScene(QPointF(x, y))


def _mouse(
    page: BoardsPage,
    kind: QMouseEvent.Type,
    pos: QPoint,
    button: Qt.MouseButton,
    buttons: Qt.MouseButton,
    mods: Qt.KeyboardModifier,
) -> None:
    viewport = page.editor.view.viewport()
    event = QMouseEvent(
        kind, QPointF(pos), QPointF(viewport.mapToGlobal(pos)), button, buttons, mods
    )
    QApplication.sendEvent(viewport, event)


def drag(
    page: BoardsPage,
    start: tuple[float, float],
    end: tuple[float, float],
    *,
    steps: int = 8,
    mods: Qt.KeyboardModifier = NoMod,
    button: Qt.MouseButton = Qt.MouseButton.LeftButton,
    during: Callable[[], object] | None = None,
) -> None:
    """A drag on the canvas between two board points (the left button unless told);
    ``during`` is called before the button is released."""
    a, b = view_point(page, *start), view_point(page, *end)
    view_drag(page, a, b, steps=steps, mods=mods, button=button, during=during)


def view_drag(
    page: BoardsPage,
    a: QPoint,
    b: QPoint,
    *,
    steps: int = 8,
    mods: Qt.KeyboardModifier = NoMod,
    button: Qt.MouseButton = Qt.MouseButton.LeftButton,
    during: Callable[[], object] | None = None,
) -> None:
    """A drag between two points of the canvas's viewport (widget pixels)."""
    _mouse(page, QMouseEvent.Type.MouseButtonPress, a, button, button, mods)
    for n in range(1, steps + 1):
        p = QPoint(
            round(a.x() + (b.x() - a.x()) * n / steps), round(a.y() + (b.y() - a.y()) * n / steps)
        )
        _mouse(page, QMouseEvent.Type.MouseMove, p, Qt.MouseButton.NoButton, button, mods)
    if during is not None:
        during()
    _mouse(page, QMouseEvent.Type.MouseButtonRelease, b, button, Qt.MouseButton.NoButton, mods)


def click(page: BoardsPage, x: float, y: float, mods: Qt.KeyboardModifier = NoMod) -> None:
    drag(page, (x, y), (x, y), steps=0, mods=mods)


def drop(page: BoardsPage, mime: QMimeData, x: float, y: float) -> None:
    """A drop on the canvas at board point (x, y), as a drag from another widget ends."""
    viewport = page.editor.view.viewport()
    pos = view_point(page, x, y)
    actions = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(pos, actions, mime, Qt.MouseButton.LeftButton, NoMod)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    event = QDropEvent(QPointF(pos), actions, mime, Qt.MouseButton.LeftButton, NoMod)
    QApplication.sendEvent(viewport, event)


def drop_products(page: BoardsPage, ids: list[int], x: float, y: float) -> None:
    drop(page, product_mime_data(ids), x, y)


def drop_files(page: BoardsPage, paths: list[Path], x: float, y: float) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    drop(page, mime, x, y)


def add_label(qtbot: QtBot, page: BoardsPage, at: tuple[float, float] | None = None) -> BoardItem:
    """Click Add text, keep its words (Enter) and, if ``at``, drag it there; the stored label."""
    before = set(stored(page))
    button = page.editor.toolbar.widgetForAction(page.editor.actions_by_name["text"])
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(page.editor.view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.editor.scene.editor_item is None)
    (new_id,) = set(stored(page)) - before
    label = stored(page)[new_id]
    if at is not None:
        drag(page, (label.x, label.y), at, mods=Qt.KeyboardModifier.AltModifier)
        label = stored(page)[new_id]
    return label


def product_ids(store: Any, n: int) -> list[int]:
    from studio.core.catalog import SearchQuery

    return [int(i) for i in list(store.search(SearchQuery(limit=n)).ids)[:n]]


def first_product_id(store: Any) -> int:
    return product_ids(store, 1)[0]
