"""No collector pause mid-drag: automatic garbage collection is off while a drag is over the
shelf view or a press is held on a board or a look's photo, and back on once it drops, leaves
or is released. Background refreshes that can wait (the shop list's counts) wait for it too.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QObject, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from test_shops_support import drop_products, new_shop, open_page, row_point

from studio.system.paths import Paths
from studio.ui.shops.api import ShopsPage
from studio.ui.tasks import TaskManager
from studio.ui.widgets.gestures import STILL_RETRY_MS, GestureGc, under_way, when_still

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    assert gc.isenabled()  # no test may leave it off
    if not was:
        gc.disable()


@pytest.fixture
def page(qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any) -> ShopsPage:
    page = open_page(qtbot, tasks, paths, store)
    new_shop(qtbot, page, "Summer picks")
    drop_products(qtbot, page, [0, 1, 2, 3], at_row=0)
    return page


def _args(mime: Any) -> tuple[Any, ...]:
    return (
        Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )


def test_a_reorder_drag_holds_the_collector_until_the_drop(page: ShopsPage) -> None:
    view = page.editor.view
    mime = page.controller.model.mimeData([page.controller.model.index(1)])
    at = row_point(page, 3)
    QApplication.sendEvent(view.viewport(), QDragEnterEvent(at, *_args(mime)))
    assert not gc.isenabled()
    for dy in range(0, 40, 8):
        QApplication.sendEvent(view.viewport(), QDragMoveEvent(at + QPoint(0, dy), *_args(mime)))
        assert not gc.isenabled()
    drop = QDropEvent(QPointF(at), *_args(mime))
    QApplication.sendEvent(view.viewport(), drop)
    assert drop.isAccepted() and gc.isenabled()


def test_a_drag_that_leaves_gives_the_collector_back(page: ShopsPage) -> None:
    view = page.editor.view
    mime = page.controller.model.mimeData([page.controller.model.index(1)])
    QApplication.sendEvent(view.viewport(), QDragEnterEvent(row_point(page, 2), *_args(mime)))
    assert not gc.isenabled()
    QApplication.sendEvent(view.viewport(), QDragLeaveEvent())  # dragged out, not dropped
    assert gc.isenabled()


def test_holds_nest_and_a_collector_switched_off_elsewhere_stays_off() -> None:
    owner = QObject()
    first, second = GestureGc(owner), GestureGc(owner)
    first.begin()
    second.begin()
    first.end()
    assert not gc.isenabled()  # the second gesture is still under way
    second.end()
    second.end()  # a leave after the drop of the same drag: no double release
    assert gc.isenabled()
    gc.disable()
    first.begin()
    first.end()
    assert not gc.isenabled()
    gc.enable()


@pytest.mark.parametrize("make", ["board", "look"])
def test_a_held_press_on_a_canvas_holds_the_collector_until_released(
    qtbot: QtBot, make: str
) -> None:
    # Moving a board item or a hotspot, panning, cropping: all start with a press.
    from studio.ui.boards.scene import BoardScene
    from studio.ui.boards.view import BoardView
    from studio.ui.looks.canvas import LookCanvas

    view = BoardView(BoardScene()) if make == "board" else LookCanvas()
    qtbot.addWidget(view)
    view.resize(400, 300)
    view.show()
    at = QPoint(200, 150)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert not gc.isenabled()
    qtbot.mouseMove(view.viewport(), at + QPoint(30, 20))
    assert not gc.isenabled()
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=at + QPoint(30, 20))
    assert gc.isenabled()


def test_a_hold_never_ended_is_given_back(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    # A right-click whose release went to a popup menu; a view closed mid-drag.
    monkeypatch.setattr("studio.ui.widgets.gestures.MAX_HOLD_MS", 50)
    view = QObject()
    forgotten = GestureGc(view)
    forgotten.begin()
    assert not gc.isenabled()
    qtbot.waitUntil(gc.isenabled, timeout=2000)
    owner = QObject()
    closed = GestureGc(owner)
    closed.begin()
    assert not gc.isenabled()
    shiboken6.delete(owner)
    assert gc.isenabled()


def test_work_put_off_by_a_gesture_runs_once_it_ends(qtbot: QtBot) -> None:
    owner = QObject()
    hold, ran = GestureGc(owner), []
    timer = QTimer(owner, singleShot=True, interval=0)
    when_still(timer, lambda: ran.append(under_way()))
    hold.begin()
    timer.start()
    qtbot.wait(STILL_RETRY_MS * 2 + 100)
    assert ran == []  # looked twice, the gesture still under way
    hold.end()
    qtbot.waitUntil(lambda: ran == [False], timeout=2_000)


def test_a_renamed_shop_s_line_follows_without_reading_the_list_even_mid_drag(
    qtbot: QtBot, page: ShopsPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Reading every shop's summary again takes the interpreter from a drag's frames: a
    # renamed shop's line is changed from the record the editor holds, during a drag or not.
    import dataclasses

    view = page.editor.view
    reads: list[bool] = []
    real = page.shops.summaries
    monkeypatch.setattr(
        page.shops, "summaries", lambda **kw: reads.append(under_way()) or real(**kw)
    )
    mime = page.controller.model.mimeData([page.controller.model.index(1)])
    at = row_point(page, 3)
    QApplication.sendEvent(view.viewport(), QDragEnterEvent(at, *_args(mime)))
    assert page.controller.doc is not None
    renamed = dataclasses.replace(page.controller.doc.shop, title="Beach picks")
    page.controller.shop_changed.emit(renamed)
    assert page.shop_list.list.currentItem().text().startswith("Beach picks\n")
    QApplication.sendEvent(view.viewport(), QDropEvent(QPointF(at), *_args(mime)))
    qtbot.wait(1_000)  # past the list's old 800 ms pause
    assert reads == []
