"""Every open product list follows the catalog: the demo or a feed imported through the File
menu shows up in the Reviews picker and the look editor's catalog list without a restart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from test_looks_helpers import open_new_look, open_studio

from studio.system.paths import Paths
from studio.ui.reviews.api import ReviewsPage
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui


def test_the_demo_reaches_the_reviews_picker_and_the_look_editor_list(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, empty_store: Any
) -> None:
    studio = open_studio(qtbot, tasks, paths, empty_store)
    window = studio.window
    window.show_workspace("reviews")
    reviews = window.workspaces.page("reviews")
    assert isinstance(reviews, ReviewsPage)
    qtbot.waitUntil(lambda: reviews.picker.searched)
    assert reviews.picker.model.total == 0
    window.show_workspace("looks")
    editor = open_new_look(qtbot, studio)
    products = editor.products
    qtbot.waitUntil(lambda: products.searched)
    assert products.model.total == 0

    with qtbot.waitSignal(window.imports.imported, timeout=30_000):
        window.demo_action.trigger()  # File > Load demo catalog
    size = empty_store.product_count()
    assert size > 0
    qtbot.waitUntil(lambda: products.model.total == size, timeout=10_000)
    assert products.picker.count.text().startswith(f"{size:,}")
    window.show_workspace("reviews")
    qtbot.waitUntil(lambda: reviews.picker.model.total == size, timeout=10_000)
    assert reviews.picker.count.text().startswith(f"{size:,}")


def test_a_feed_imported_from_the_file_menu_reaches_the_open_pickers(
    qtbot: QtBot,
    tasks: TaskManager,
    paths: Paths,
    store: Any,
    fixtures_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    studio = open_studio(qtbot, tasks, paths, store)
    window = studio.window
    window.show_workspace("looks")
    products = open_new_look(qtbot, studio).products
    qtbot.waitUntil(lambda: products.searched and products.model.total > 0)
    before = products.model.total
    window.show_workspace("reviews")
    reviews = window.workspaces.page("reviews")
    assert isinstance(reviews, ReviewsPage)
    qtbot.waitUntil(lambda: reviews.picker.model.total == before)

    feed = fixtures_dir / "google_merchant" / "google_example_online_store_feed.xml"
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(feed), ""))
    )
    window.import_action.trigger()  # File > Import feed…
    dialog = window.imports.options_dialog
    assert dialog is not None
    dialog.merchant.setText("Example Online Store")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: window.imports.report_dialog is not None, timeout=20_000)
    window.imports.report_dialog.close()  # type: ignore[union-attr]
    after = store.product_count()
    assert after > before
    # The picker on screen and the one in the hidden Looks workspace both searched again.
    qtbot.waitUntil(lambda: reviews.picker.model.total == after, timeout=10_000)
    qtbot.waitUntil(lambda: products.model.total == after, timeout=10_000)
