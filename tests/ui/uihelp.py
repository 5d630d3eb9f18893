"""Shared helpers for the GUI tests (imported by name: pytest puts this folder on sys.path)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from studio.core.product import ProductRecord
from studio.system.paths import Paths
from studio.ui.main_window import MainWindow
from studio.ui.tasks import TaskManager

CATALOG_SIZE = 300
MERCHANTS = 3
COLOURS = ("#c0392b", "#2980b9", "#27ae60", "#8e44ad", "#d35400", "#16a085", "#7f8c8d", "#f1c40f")
PICTURES_URL = "https://pictures.test.invalid/"  # the test catalog's CDN: seeded, never fetched


@dataclasses.dataclass(frozen=True)
class CatalogTemplate:
    database: Path
    records: list[ProductRecord]
    image_cache: Path  # seeded with the catalog's pictures


def open_window(qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any) -> MainWindow:
    window = MainWindow(tasks, paths)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.set_store(store)
    qtbot.waitUntil(lambda: window.catalog.last_result is not None)
    return window


def open_curating_window(qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any) -> MainWindow:
    """A shown main window over ``store`` with every content store of the workspace."""
    from studio.media.library import MediaLibrary
    from studio.store.boards import BoardStore
    from studio.store.looks import LookStore
    from studio.store.profile import ProfileStore
    from studio.store.reviews import ReviewStore
    from studio.store.shops import ShopStore

    window = MainWindow(tasks, paths)
    qtbot.addWidget(window)
    window.resize(1400, 860)
    window.show()
    qtbot.waitExposed(window)
    window.set_store(
        store,
        looks=LookStore(store.db),
        boards=BoardStore(store.db),
        media=MediaLibrary(paths.media),
        shops=ShopStore(store.db),
        reviews=ReviewStore(store.db),
        profile=ProfileStore(store.db),
    )
    return window
