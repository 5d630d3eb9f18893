"""PageWrites: a page's writes go through the lane; a failure is shown, undone and resynced."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoCommand, QUndoStack
from pytestqt.qtbot import QtBot

from studio.services.workspace import Stores, open_workspace
from studio.system.paths import resolve_paths
from studio.ui.tasks import TaskManager
from studio.ui.widgets.writes import PageWrites

pytestmark = pytest.mark.gui


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Stores]:
    stores = open_workspace(resolve_paths(tmp_path / "home").ensure())
    yield stores
    stores.close()


@pytest.fixture
def tasks(qtbot: QtBot) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown()


def test_a_write_then_a_read_after_it_see_the_store_in_order(
    qtbot: QtBot, tasks: TaskManager, ws: Stores
) -> None:
    page = QObject()
    writes = PageWrites(tasks, page)
    look = ws.looks.create_look("L")
    titles: list[str] = []
    origins: list[object] = []
    tasks.changed.connect(lambda _changes, origin: origins.append(origin))
    for i in range(5):
        writes.write(lambda i=i: ws.looks.update_look(look.id, title=f"t{i}"))
    writes.after(lambda: ws.looks.document(look.id).look.title, titles.append)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: bool(titles), timeout=10_000)
    assert titles == ["t4"] and writes.pending == 0
    assert len(origins) == 5 and all(writes.own(o) for o in origins)


def test_a_failed_optimistic_write_is_shown_its_undo_cleared_and_the_view_resynced(
    qtbot: QtBot, tasks: TaskManager, ws: Stores
) -> None:
    page = QObject()
    undo = QUndoStack(page)
    undo.push(QUndoCommand("an earlier step"))
    resynced: list[bool] = []
    writes = PageWrites(tasks, page, undo=undo, resync=lambda: resynced.append(True))
    with qtbot.waitSignal(writes.refused, timeout=10_000) as said:
        writes.write(lambda: ws.looks.update_look("gone", title="x"))
    assert "no look" in said.args[0]
    assert undo.count() == 0 and resynced == [True]


def test_a_refused_write_then_show_edit_goes_to_its_own_handler_only(
    qtbot: QtBot, tasks: TaskManager, ws: Stores
) -> None:
    page = QObject()
    undo = QUndoStack(page)
    undo.push(QUndoCommand("kept"))
    writes = PageWrites(tasks, page, undo=undo, resync=lambda: pytest.fail("no resync"))
    reasons: list[str] = []
    heard: list[str] = []
    writes.refused.connect(heard.append)
    writes.write(lambda: ws.shops.create_shop("x", "Bad handle"), on_refused=reasons.append)
    qtbot.waitUntil(lambda: bool(reasons), timeout=10_000)
    assert "handle" in reasons[0] and not heard and undo.count() == 1
