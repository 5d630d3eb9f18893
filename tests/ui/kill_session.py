"""A user's session in the real main window, run in a child process and then killed.

``python -m tests.ui.kill_session HOME`` opens the window over the workspace in HOME (offscreen)
and works as a user: creates a shop and drops three catalog products on its shelf, starts a
review, clicks five stars and types its title and body. Once the typed text has been saved by
the autosave (no window close, no flush), it prints ``ready SHOP_ID REVIEW_ID`` and keeps
running until the test kills it with SIGKILL. Not a test module: test_kill_restart.py runs it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from studio.system.paths import resolve_paths
from studio.ui.app import open_store
from studio.ui.main_window import MainWindow
from studio.ui.tasks import TaskManager
from tests.ui.test_looks_helpers import drop

SHOP_TITLE = "Kept after a kill"
REVIEW_TITLE = "Survives a kill"
REVIEW_BODY = "Typed just before the power went out."
LEFT = Qt.MouseButton.LeftButton


def wait(condition: Callable[[], object], what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        QApplication.processEvents()
        time.sleep(0.01)


def build_shop(window: MainWindow) -> str:
    window.show_workspace("shops")
    page = window.curation.pages[0]
    wait(
        lambda: page.shop_list.summaries is not None and not page.controller.loading,
        "the shop list",
    )
    QTest.keyClicks(page.shop_list.title, SHOP_TITLE)
    QTest.mouseClick(page.shop_list.create_button, LEFT)
    wait(
        lambda: (
            page.controller.doc is not None
            and not page.controller.loading
            and page.controller.doc.shop.title == SHOP_TITLE
        ),
        "the new shop",
    )
    picker = page.editor.picker
    wait(lambda: picker.searched and picker.model.rowCount() >= 3, "the catalog picker")
    model = picker.model
    mime = model.mimeData([model.index(r, 0) for r in range(3)])
    view = page.editor.view
    rect = view.visualRect(page.controller.model.index(0))  # the shelf's header row
    if not drop(view.viewport(), mime, QPoint(rect.center().x(), rect.bottom() - 2)):
        raise SystemExit("the shelf refused the drop")
    wait(lambda: page.controller.model.item_count == 3, "three products on the shelf")
    return str(page.controller.shop_id)


def write_review(window: MainWindow) -> str:
    window.show_workspace("reviews")
    page = window.curation.pages[1]
    picker = page.picker
    wait(lambda: picker.searched and picker.model.rowCount() > 0, "the review picker")
    center = picker.results.visualRect(picker.model.index(0, 0)).center()
    QTest.mouseClick(picker.results.viewport(), LEFT, pos=center)
    QTest.mouseDClick(picker.results.viewport(), LEFT, pos=center)
    editor = page.editor
    wait(lambda: editor.review_id is not None and editor.info is not None, "the new review")
    QTest.mouseClick(editor.rating.buttons[4], LEFT)
    QTest.keyClicks(editor.title, REVIEW_TITLE)
    QTest.keyClicks(editor.body, REVIEW_BODY)
    # Saved by the autosave as typed: no flush, no close.
    wait(lambda: not editor.pending, "the autosave")
    return str(editor.review_id)


def main(home: str) -> None:
    app = QApplication([])
    tasks = TaskManager()
    paths = resolve_paths(home).ensure()
    opened = open_store(paths)
    window = MainWindow(tasks, paths)
    window.resize(1400, 860)
    window.show()
    window.set_store(
        opened.catalog,
        looks=opened.looks,
        boards=opened.boards,
        media=opened.media,
        shops=opened.shops,
        reviews=opened.reviews,
        profile=opened.profile,
    )
    window.activateWindow()
    shop_id = build_shop(window)
    review_id = write_review(window)
    print("ready", shop_id, review_id, flush=True)
    app.exec()  # until killed


if __name__ == "__main__":
    main(sys.argv[1])
