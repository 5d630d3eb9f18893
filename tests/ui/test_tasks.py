"""The task manager: work runs off the GUI thread, results come back on it, stale ones drop."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QObject, QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from studio.ui.tasks import CancelToken, TaskManager

pytestmark = pytest.mark.gui


@pytest.fixture
def tasks(qtbot: QtBot) -> TaskManager:
    manager = TaskManager()
    yield manager
    manager.shutdown()


def test_work_runs_in_a_worker_and_the_result_arrives_on_the_gui_thread(
    qtbot: QtBot, tasks: TaskManager
) -> None:
    seen: dict[str, object] = {}

    def work() -> int:
        seen["worker"] = threading.current_thread() is threading.main_thread()
        return 42

    def done(value: int) -> None:
        seen["value"] = value
        seen["gui"] = QThread.currentThread() is QApplication.instance().thread()

    tasks.run(work, done)
    qtbot.waitUntil(lambda: "value" in seen)
    assert seen == {"worker": False, "value": 42, "gui": True}
    qtbot.waitUntil(lambda: tasks.running == 0)


def test_an_exception_goes_to_on_error(qtbot: QtBot, tasks: TaskManager) -> None:
    errors: list[BaseException] = []

    def work() -> None:
        raise ValueError("bad feed")

    tasks.run(work, lambda _v: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ValueError) and str(errors[0]) == "bad feed"


def test_a_superseded_submission_on_a_channel_is_dropped(qtbot: QtBot, tasks: TaskManager) -> None:
    release = threading.Event()
    results: list[str] = []

    def slow() -> str:
        release.wait(5)
        return "old"

    tasks.run(slow, results.append, channel="search")
    tasks.run(lambda: "new", results.append, channel="search")
    qtbot.waitUntil(lambda: results == ["new"])
    release.set()
    qtbot.waitUntil(lambda: tasks.running == 0)
    assert results == ["new"]  # the slow, older query never overwrote the newer one


def test_nothing_is_delivered_to_an_owner_deleted_meanwhile(
    qtbot: QtBot, tasks: TaskManager
) -> None:
    # A thumbnail still loading when its picker is closed: the result must not reach the
    # deleted object (PySide raises "Signal source has been deleted" if it emits).
    release = threading.Event()
    results: list[str] = []
    gone, kept = QObject(), QObject()

    def slow(name: str) -> str:
        release.wait(5)
        return name

    tasks.run(lambda: slow("gone"), results.append, results.append, owner=gone)
    tasks.run(lambda: slow("kept"), results.append, owner=kept)
    shiboken6.delete(gone)
    release.set()
    qtbot.waitUntil(lambda: tasks.running == 0)
    assert results == ["kept"]


def test_other_channels_are_not_affected(qtbot: QtBot, tasks: TaskManager) -> None:
    results: list[str] = []
    tasks.run(lambda: "search", results.append, channel="search")
    tasks.run(lambda: "facets", results.append, channel="facets")
    qtbot.waitUntil(lambda: sorted(results) == ["facets", "search"])


def test_a_cancel_token_stops_a_long_task(qtbot: QtBot, tasks: TaskManager) -> None:
    token = CancelToken()
    done: list[int] = []

    def long_task() -> int:
        steps = 0
        while not token.cancelled and steps < 10_000:
            steps += 1
            time.sleep(0.001)
        return steps

    tasks.run(long_task, done.append, lane="long")
    qtbot.waitUntil(lambda: tasks.running == 1)
    token.cancel()
    qtbot.waitUntil(lambda: bool(done))
    assert done[0] < 10_000


# -- writes --------------------------------------------------------------------------------


def test_a_write_runs_on_the_writer_lane_and_publishes_its_changes_first(
    qtbot: QtBot, tasks: TaskManager, tmp_path: Path
) -> None:
    """The write runs on a writer thread (never the GUI thread); once committed, its Changes
    reach every listener with the origin that made it, before the caller's on_done."""
    from studio.services.workspace import open_workspace
    from studio.system.paths import resolve_paths

    ws = open_workspace(resolve_paths(tmp_path / "home").ensure())
    events: list[object] = []
    gui = threading.get_ident()
    ran_on: list[int] = []

    def create() -> str:
        ran_on.append(threading.get_ident())
        return ws.looks.create_look("Saved off the GUI thread").id

    tasks.changed.connect(lambda changes, origin: events.append(("changed", changes, origin)))
    origin = object()
    try:
        tasks.write(create, lambda look_id: events.append(("done", look_id)), origin=origin)
        qtbot.waitUntil(lambda: len(events) == 2, timeout=10_000)
        assert ran_on and ran_on[0] != gui
        (_, changes, got_origin), (_, look_id) = events
        assert got_origin is origin and changes.root_ids("look") == {look_id}
        assert tasks.running == 0
    finally:
        tasks.wait_written()
        ws.close()


def test_a_failed_write_reports_its_error_and_publishes_nothing(
    qtbot: QtBot, tasks: TaskManager, tmp_path: Path
) -> None:
    from studio.core.errors import StoreError
    from studio.services.workspace import open_workspace
    from studio.system.paths import resolve_paths

    ws = open_workspace(resolve_paths(tmp_path / "home").ensure())
    heard: list[object] = []
    errors: list[BaseException] = []
    tasks.changed.connect(lambda changes, origin: heard.append(changes))
    try:
        tasks.write(lambda: ws.looks.update_look("no-such-look", title="x"), on_error=errors.append)
        qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
        assert isinstance(errors[0], StoreError) and not heard
    finally:
        tasks.wait_written()
        ws.close()


def test_writes_of_a_closed_page_still_publish_their_changes(
    qtbot: QtBot, tasks: TaskManager, tmp_path: Path
) -> None:
    from studio.services.workspace import open_workspace
    from studio.system.paths import resolve_paths

    ws = open_workspace(resolve_paths(tmp_path / "home").ensure())
    heard: list[object] = []
    done: list[object] = []
    tasks.changed.connect(lambda changes, origin: heard.append(changes))
    page = QObject()
    try:
        tasks.write(lambda: ws.looks.create_look("Kept"), done.append, owner=page)
        page.deleteLater()
        qtbot.waitUntil(lambda: bool(heard), timeout=10_000)
        assert not done  # the page is gone: nothing is delivered into it
        assert ws.looks.summaries()[0].title == "Kept"  # but the edit is saved and published
    finally:
        tasks.wait_written()
        ws.close()


def test_a_write_done_before_write_returns_is_still_delivered_later(
    qtbot: QtBot, tasks: TaskManager, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The lane may finish a job before ``write`` has added its done-callback, which then runs
    # on the calling thread: its on_done must still wait for the event loop, never run inside
    # ``write`` ahead of what its caller does next.
    from concurrent.futures import Future

    from studio.core.changes import NOTHING
    from studio.services.lane import Done

    def finished_at_once(fn: object, *, catalog: bool = False) -> Future[Done[str]]:
        future: Future[Done[str]] = Future()
        future.set_result(Done("value", NOTHING))
        return future

    monkeypatch.setattr(tasks.lane, "submit", finished_at_once)
    order: list[str] = []
    tasks.write(lambda: "value", lambda value: order.append(f"done {value}"))
    order.append("write returned")
    qtbot.waitUntil(lambda: len(order) == 2, timeout=5_000)
    assert order == ["write returned", "done value"]


def test_a_write_finishing_after_shutdown_publishes_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    from studio.services.workspace import open_workspace
    from studio.system.paths import resolve_paths

    ws = open_workspace(resolve_paths(tmp_path / "home").ensure())
    manager = TaskManager()
    heard: list[object] = []
    manager.changed.connect(lambda changes, origin: heard.append(origin))
    try:
        manager.write(lambda: ws.looks.create_look("Saved"), origin=manager)
        manager.shutdown()  # finishes the write; its delivery is still queued
        QApplication.processEvents()
        # Its origin is forgotten: published, every view would take it for another's change.
        assert heard == []
        assert ws.looks.summaries()[0].title == "Saved"
    finally:
        ws.close()
