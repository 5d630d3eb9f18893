"""Fixtures for the GUI tests: a small real catalog (generated records with real pictures).

The catalog is built once per session through the real store (``CatalogStore.import_feed``)
and copied into each test's home, so every test starts from the same few hundred products.
Its pictures are named by https URLs on a name that never resolves and found in the image
cache, seeded with them once per session and copied too (as the demo catalog's are: the
studio fetches product pictures from public addresses only, never from a file a feed names).
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pytestqt.qtbot import QtBot
from uihelp import CATALOG_SIZE, COLOURS, MERCHANTS, PICTURES_URL, CatalogTemplate, open_window

from bench.catalog_gen import generate_records
from studio.system.paths import Paths, resolve_paths
from studio.ui.main_window import MainWindow
from studio.ui.tasks import TaskManager


@pytest.fixture(scope="session")
def catalog_template(tmp_path_factory: pytest.TempPathFactory) -> CatalogTemplate:
    from studio.media.product_images import seed_cache
    from studio.store.catalog import CatalogStore
    from studio.store.db import open_database

    root = tmp_path_factory.mktemp("ui-catalog")
    images = []
    pictures = {}
    for i, colour in enumerate(COLOURS):
        path = root / "images" / f"product-{i}.png"
        path.parent.mkdir(exist_ok=True)
        Image.new("RGB", (240, 300), colour).save(path)
        images.append(f"{PICTURES_URL}product-{i}.png")
        pictures[images[-1]] = path
    seed_cache(root / "image-cache", pictures)
    records = [
        dataclasses.replace(
            r,
            image_link=images[i % len(images)],
            additional_images=(images[(i + 1) % len(images)],),
        )
        for i, r in enumerate(generate_records(CATALOG_SIZE, merchants=MERCHANTS))
    ]
    db = open_database(root / "studio.sqlite3")  # its catalog: root / "catalog.sqlite3"
    store = CatalogStore(db)
    for merchant in sorted({r.merchant for r in records}):
        store.import_feed(merchant, "google-xml", [r for r in records if r.merchant == merchant])
    db.close()
    return CatalogTemplate(root / "catalog.sqlite3", records, root / "image-cache")


@pytest.fixture
def paths(studio_home: Path) -> Paths:
    return resolve_paths(studio_home).ensure()


def _open_store(path: Path) -> Any:
    from studio.store.catalog import CatalogStore
    from studio.store.db import open_database

    return CatalogStore(open_database(path))


@pytest.fixture
def store(paths: Paths, catalog_template: CatalogTemplate) -> Iterator[Any]:
    shutil.copyfile(catalog_template.database, paths.catalog_database)
    shutil.copytree(catalog_template.image_cache, paths.image_cache, dirs_exist_ok=True)
    catalog = _open_store(paths.database)
    yield catalog
    catalog.db.close()


@pytest.fixture
def empty_store(paths: Paths) -> Iterator[Any]:
    catalog = _open_store(paths.database)
    yield catalog
    catalog.db.close()


@pytest.fixture
def tasks(qtbot: QtBot, request: pytest.FixtureRequest) -> Iterator[TaskManager]:
    # The store must outlive the workers that use it: set it up first, so that it is torn
    # down after the task manager has waited for its workers.
    for name in ("store", "empty_store"):
        if name in request.fixturenames:
            request.getfixturevalue(name)
    manager = TaskManager()
    yield manager
    manager.shutdown()


@pytest.fixture
def window(qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any) -> MainWindow:
    return open_window(qtbot, tasks, paths, store)


@pytest.fixture(scope="session", autouse=True)
def _english_plurals(qapp: Any) -> None:
    """The English plural forms, installed as the desktop installs them."""
    from studio.ui import plurals

    plurals.install(qapp)


@pytest.fixture(autouse=True)
def _empty_clipboard() -> Iterator[None]:
    """Empty the clipboard after each test, while the application is alive: the clipboard owns
    the last QMimeData a test put there, and freeing it at Qt's exit, after Python's wrapper
    is gone, crashes the interpreter on its way out."""
    yield
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is not None:
        QApplication.clipboard().clear()
