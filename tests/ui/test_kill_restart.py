"""Kill the app mid-session (SIGKILL, no close, no flush) and find everything on restart.

The session (tests/ui/kill_session.py) runs the real main window in a child process over this
test's workspace: it builds a shop by dropping catalog products and types a review. The test
kills it, then opens the main window over the same workspace and checks, as a user would see
it, that the shop with its products and the review with its rating, title and body are there.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from studio.system.paths import Paths
from studio.ui.app import open_store
from studio.ui.main_window import MainWindow
from studio.ui.tasks import TaskManager
from tests.ui.kill_session import REVIEW_BODY, REVIEW_TITLE, SHOP_TITLE

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.gui, pytest.mark.slow]


def _run_and_kill(home: Path) -> tuple[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.ui.kill_session", str(home)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()  # blocks until "ready" (or the child's end)
        if not line.startswith("ready"):
            child.kill()
            pytest.fail(f"the session did not get ready: {line!r} {child.communicate()[1]}")
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    _, shop_id, review_id = line.split()
    return shop_id, review_id


def test_a_killed_session_is_all_there_after_a_restart(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any
) -> None:
    shop_id, review_id = _run_and_kill(paths.data.parent)  # the home: data/, cache/, ...
    opened = open_store(paths)
    window = MainWindow(tasks, paths)
    qtbot.addWidget(window)
    window.resize(1400, 860)
    window.show()
    qtbot.waitExposed(window)
    window.set_store(
        opened.catalog,
        looks=opened.looks,
        boards=opened.boards,
        media=opened.media,
        shops=opened.shops,
        reviews=opened.reviews,
        profile=opened.profile,
    )
    # The shop is in the list; opening it shows its three products.
    window.show_workspace("shops")
    shops = window.curation.pages[0]
    qtbot.waitUntil(lambda: shops.shop_list.list.count() > 0)
    titles = [shops.shop_list.list.item(i).text() for i in range(shops.shop_list.list.count())]
    assert any(SHOP_TITLE in t and "3 products" in t for t in titles), titles
    row = next(i for i, t in enumerate(titles) if SHOP_TITLE in t)
    item = shops.shop_list.list.item(row)
    qtbot.mouseClick(
        shops.shop_list.list.viewport(),
        Qt.MouseButton.LeftButton,
        pos=shops.shop_list.list.visualItemRect(item).center(),
    )
    qtbot.waitUntil(lambda: shops.controller.shop_id == shop_id and not shops.controller.loading)
    assert shops.controller.model.item_count == 3
    # The review is in the list with its rating; opening it shows what was typed.
    window.show_workspace("reviews")
    reviews = window.curation.pages[1]
    model = reviews.review_list.model
    qtbot.waitUntil(lambda: any(r.id == review_id for r in model.rows))
    row = model.row_of(review_id)
    assert model.index(row, 1).data() == "★★★★★"
    view = reviews.review_list.view
    qtbot.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=view.visualRect(model.index(row, 0)).center(),
    )
    qtbot.waitUntil(lambda: reviews.editor.review_id == review_id)
    assert reviews.editor.title.text() == REVIEW_TITLE
    assert reviews.editor.body.toPlainText() == REVIEW_BODY
    assert reviews.editor.rating.caption.text() == "5 of 5"
