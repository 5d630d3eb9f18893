"""The app-wide exception handler: an error in a slot is logged, shown, and the work is kept."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from test_reviews_support import review_product
from uihelp import open_curating_window

from studio.system.logs import setup_logging
from studio.system.paths import Paths
from studio.ui.crash import CrashHandler
from studio.ui.main_window import MainWindow
from studio.ui.tasks import TaskManager

# The handler takes sys.excepthook over itself: pytest-qt's capture would take the error first.
pytestmark = [pytest.mark.gui, pytest.mark.qt_no_exception_capture]


@pytest.fixture
def log_path(paths: Paths) -> Iterator[Path]:
    path = setup_logging(paths.logs)
    yield path
    for handler in list(logging.getLogger("studio").handlers):
        logging.getLogger("studio").removeHandler(handler)
        handler.close()


def _installed(window: MainWindow, tasks: TaskManager, log_path: Path) -> CrashHandler:
    crash = CrashHandler(log_path)
    crash.follow(
        flush=window.flush,
        context=lambda: f"workspace {window.workspace}",
        parent_widget=lambda: window,
    )
    tasks.on_unhandled = crash.report_exception
    crash.install()
    return crash


def test_an_error_in_a_slot_is_shown_the_typed_text_saved_and_the_app_keeps_working(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any, log_path: Path
) -> None:
    window = open_curating_window(qtbot, tasks, paths, store)
    window.show_workspace("reviews")
    page = window.curation.pages[1]  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: page.picker.searched and page.picker.model.total > 0)
    review_id = review_product(qtbot, page, store, 5)
    editor = page.editor
    editor._timer.setInterval(600_000)  # the autosave waits: the text is still only typed
    qtbot.keyClicks(editor.title, "Typed just before the error")
    assert editor.pending

    def broken() -> None:
        raise RuntimeError("the button's slot failed")

    button = QPushButton("Break", window)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the title keeps the focus: no save on leaving
    button.clicked.connect(broken)
    button.show()
    crash = _installed(window, tasks, log_path)
    try:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: crash.dialog is not None and crash.dialog.isVisible())
        dialog = crash.dialog
        assert dialog is not None
        assert "RuntimeError: the button's slot failed" in dialog.informativeText()
        assert "Your work is saved" in dialog.informativeText()
        assert str(log_path) in dialog.informativeText()
        assert "Traceback" in dialog.detailedText() and "broken" in dialog.detailedText()
        # The typed title was written when the error came, not when the autosave would have
        # (queued on the writer lane then, committed a moment later).
        assert not editor.pending
        assert tasks.wait_written()
        assert page.reviews.get(review_id).title == "Typed just before the error"  # type: ignore[union-attr]
        logged = log_path.read_text(encoding="utf-8")
        assert "unexpected error in thread MainThread (workspace reviews)" in logged
        assert "RuntimeError: the button's slot failed" in logged

        # A second error while the dialog is open is counted in it, not a second dialog.
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert (
            crash.dialog is dialog
            and "1 more error happened since; it is in the log." in dialog.informativeText()
        )
        dialog.close()

        # The app is still alive: the user keeps editing, and the edit is saved.
        editor._timer.setInterval(250)
        qtbot.keyClicks(editor.title, " and after")
        qtbot.waitUntil(lambda: not editor.pending)
        assert tasks.wait_written()
        assert page.reviews.get(review_id).title.endswith("and after")  # type: ignore[union-attr]
        assert window.isVisible() and crash.errors == 2
    finally:
        crash.uninstall()


def test_errors_of_threads_and_of_background_tasks_reach_the_dialog(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any, log_path: Path
) -> None:
    window = open_curating_window(qtbot, tasks, paths, store)
    crash = _installed(window, tasks, log_path)
    try:

        def fail_in_thread() -> None:
            raise ValueError("a thread failed")

        worker = threading.Thread(target=fail_in_thread, name="feed-reader")
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: crash.dialog is not None and crash.dialog.isVisible())
        assert "ValueError: a thread failed" in crash.dialog.informativeText()  # type: ignore[union-attr]
        crash.dialog.close()  # type: ignore[union-attr]

        def fail_in_task() -> None:
            raise OSError("a task failed")

        tasks.run(fail_in_task)  # nobody waits for its error
        qtbot.waitUntil(lambda: crash.dialog is not None and crash.dialog.isVisible())
        assert "OSError: a task failed" in crash.dialog.informativeText()  # type: ignore[union-attr]
        logged = log_path.read_text(encoding="utf-8")
        assert "unexpected error in thread feed-reader" in logged
        assert "unexpected error in thread background task" in logged
    finally:
        crash.uninstall()


def test_qts_own_messages_go_to_the_log_at_their_level(qtbot: QtBot, log_path: Path) -> None:
    from PySide6.QtCore import qCritical, qWarning

    crash = CrashHandler(log_path)
    crash.install()
    try:
        qWarning("a Qt warning for the log")
        qCritical("a Qt critical message for the log")
    finally:
        crash.uninstall()
    logged = log_path.read_text(encoding="utf-8")
    assert "WARNING studio.qt: a Qt warning for the log" in logged
    assert "ERROR   studio.qt: a Qt critical message for the log" in logged
    assert crash.dialog is None  # Qt's messages are logged, not errors of the app
