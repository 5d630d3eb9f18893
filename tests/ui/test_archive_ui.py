"""File > Export archive… / Import archive…: given the file as the dialog would give it.

An import is a content write on the writer lane: its Changes reach the views, which refresh
what they show without being told by hand."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from test_looks_helpers import open_studio

from studio.core.changes import Changes
from studio.core.looks import ProductRef
from studio.system.paths import Paths
from studio.ui.reviews.api import ReviewsPage
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui


def _other_workspace_archive(tmp_path: Path, catalog: Path) -> Path:
    """An archive made in another workspace over the same ``catalog``: one look with a photo
    and a tag, and a review."""
    import shutil

    from studio.media.library import MediaLibrary
    from studio.store.archive import export_archive
    from studio.store.catalog import CatalogStore
    from studio.store.db import open_database
    from studio.store.looks import LookStore
    from studio.store.reviews import ReviewStore

    (tmp_path / "other").mkdir()
    shutil.copyfile(catalog, tmp_path / "other" / "catalog.sqlite3")
    db = open_database(tmp_path / "other" / "studio.sqlite3")
    media = MediaLibrary(tmp_path / "other" / "media")
    source = tmp_path / "coat.png"
    Image.new("RGB", (320, 240), "#2a6f97").save(source)
    stored = media.import_file(source)
    looks = LookStore(db)
    look = looks.create_look("Imported look")
    photo = looks.add_photo(look.id, stored.hash, stored.width, stored.height)
    looks.add_hotspot(
        photo.id, ProductRef(None, "Nowhere Shop", "gone-1"), 0.5, 0.5, label="The coat"
    )
    card = CatalogStore(db).cards([1])[0]
    detail = CatalogStore(db).detail(card.id)
    assert detail is not None
    ReviewStore(db).create(
        ProductRef(card.id, card.merchant, detail.offer_id), 4, title="Written elsewhere"
    )
    out = tmp_path / "other.zip"
    export_archive(db, out, media.path)
    db.close()
    return out


def test_import_then_export_an_archive_from_the_file_menu(
    qtbot: QtBot,
    tasks: TaskManager,
    paths: Paths,
    store: Any,
    tmp_path: Path,
    catalog_template: Any,
) -> None:
    studio = open_studio(qtbot, tasks, paths, store)
    window = studio.window
    reviews = window.workspaces.page("reviews")
    assert isinstance(reviews, ReviewsPage)
    qtbot.waitUntil(lambda: reviews.review_list.count.text() == "0 reviews")
    window.show_workspace("looks")
    archive = _other_workspace_archive(tmp_path, catalog_template.database)
    assert [a.text() for a in window.archive.actions] == ["Export &archive…", "Import a&rchive…"]
    published: list[tuple[Changes, object]] = []
    tasks.changed.connect(lambda changes, origin: published.append((changes, origin)))

    with qtbot.waitSignal(window.archive.finished, timeout=20000) as done:
        window.archive.import_(archive)
    report = done.args[0]
    assert report.added > 0 and [u.label for u in report.unlinked] == ["The coat"]
    [summary] = studio.looks.summaries()
    assert summary.title == "Imported look" and summary.hotspot_count == 1
    # One write on the lane, its Changes published for every view: the look's root for the
    # looks library, the review's for the Reviews list, which reads again by itself.
    [(changes, origin)] = published
    assert origin is window.archive and changes.touches_root("look", summary.id)
    qtbot.waitUntil(
        lambda: [r.title for r in reviews.review_list.model.rows] == ["Written elsewhere"]
    )
    qtbot.waitUntil(lambda: window.looks.library.model.rowCount() == 1)  # it heard it too
    box = window.archive.report_box
    assert box is not None and "Nowhere Shop gone-1" in box.text()
    box.close()

    out = tmp_path / "mine.zip"
    with qtbot.waitSignal(window.archive.finished, timeout=20000):
        window.archive.export(out)
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
    assert names[0] == "manifest.json" and any(n.startswith("media/") for n in names)
    window.archive.report_box.close()  # type: ignore[union-attr]


def test_a_hostile_archive_is_refused_and_changes_nothing(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any, tmp_path: Path
) -> None:
    studio = open_studio(qtbot, tasks, paths, store)
    window = studio.window
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as z:
        z.writestr("../escape.txt", "outside the target")
    with qtbot.waitSignal(window.archive.failed, timeout=20000):
        window.archive.import_(evil)
    box = window.archive.report_box
    assert box is not None and box.icon() == QMessageBox.Icon.Warning
    assert "Nothing was changed" in box.text() and "escap" in box.text()
    assert studio.looks.summaries() == [] and not (tmp_path / "escape.txt").exists()
    box.close()
