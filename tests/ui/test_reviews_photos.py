"""Photos of a review: real images through the media pipeline, a broken one, order, undo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from test_looks_helpers import drop
from test_reviews_support import click, fixture_image, open_page, review_product, settle, shot

from studio.system.paths import Paths
from studio.ui.reviews.api import ReviewsPage
from studio.ui.reviews.photos import ID_ROLE
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any) -> ReviewsPage:
    return open_page(qtbot, tasks, paths, store)


def _add_photos(
    qtbot: QtBot, page: ReviewsPage, monkeypatch: pytest.MonkeyPatch, files: list[Path]
) -> None:
    """Click "Add photos…" and pick ``files`` in the (stubbed) file dialog."""
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", lambda *_a, **_k: ([str(f) for f in files], "")
    )
    click(qtbot, page.editor.photos.add_button)


def test_add_reorder_remove_photos_and_a_broken_one(
    qtbot: QtBot, page: ReviewsPage, store: Any, fixtures_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flower = fixture_image(fixtures_dir, "flower.jpg")
    hopper = fixture_image(fixtures_dir, "hopper.jpg")
    broken = fixture_image(fixtures_dir, "broken.png")
    review_id = review_product(qtbot, page, store, 1)
    strip = page.editor.photos
    _add_photos(qtbot, page, monkeypatch, [flower])
    assert strip.busy.isVisibleTo(strip) and "Importing 1 photo" in strip.status.text()
    qtbot.waitUntil(lambda: strip.list.count() == 1 and not strip.importing, timeout=10_000)
    qtbot.waitUntil(lambda: strip.thumbnails_shown() == 1, timeout=10_000)
    assert not strip.busy.isVisibleTo(strip)
    settle(qtbot, page)
    (first_hash,) = page.reviews.get(review_id).photos
    assert strip.photo_ids() == page.reviews.photo_ids(review_id)
    # A broken file: its name and reason are shown, nothing is added.
    _add_photos(qtbot, page, monkeypatch, [broken])
    qtbot.waitUntil(lambda: strip.error.isVisibleTo(strip) and not strip.importing, timeout=10_000)
    assert "broken.png" in strip.error.text()
    assert page.reviews.get(review_id).photos == (first_hash,) and strip.list.count() == 1
    # A second good one, then move it first; each step undoes.
    _add_photos(qtbot, page, monkeypatch, [hopper])
    qtbot.waitUntil(
        lambda: strip.list.count() == 2 and strip.thumbnails_shown() == 2, timeout=10_000
    )
    assert not strip.error.isVisibleTo(strip)  # the next import clears the old error
    settle(qtbot, page)
    second_hash = page.reviews.get(review_id).photos[1]
    strip.list.setCurrentRow(1)
    before = strip.photo_ids()
    click(qtbot, strip.left_button)
    assert strip.photo_ids() == before[::-1]  # shown at once
    settle(qtbot, page)
    assert page.reviews.get(review_id).photos == (second_hash, first_hash)
    shot(page.editor, "review-editor-photos")
    page.undo_stack.undo()
    settle(qtbot, page)
    assert page.reviews.get(review_id).photos == (first_hash, second_hash)
    strip.list.setCurrentRow(0)
    strip.list.setFocus()
    qtbot.keyClick(strip.list, Qt.Key.Key_Delete)
    assert strip.list.count() == 1
    settle(qtbot, page)
    assert page.reviews.get(review_id).photos == (second_hash,)
    page.undo_stack.undo()
    settle(qtbot, page)
    assert page.reviews.get(review_id).photos == (first_hash, second_hash)
    qtbot.waitUntil(lambda: strip.list.count() == 2)  # read back in its old place
    assert strip.photo_ids() == page.reviews.photo_ids(review_id)
    strip.list.setCurrentRow(1)
    click(qtbot, strip.remove_button)  # the button does the same
    assert strip.list.count() == 1
    settle(qtbot, page)
    assert len(page.reviews.get(review_id).photos) == 1


def test_a_photo_dragged_to_another_place_moves_there_in_one_undo_step(
    qtbot: QtBot, page: ReviewsPage, store: Any, fixtures_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = [fixture_image(fixtures_dir, name) for name in ("flower.jpg", "hopper.jpg")]
    review_id = review_product(qtbot, page, store, 1)
    strip = page.editor.photos
    _add_photos(qtbot, page, monkeypatch, files)
    qtbot.waitUntil(lambda: strip.list.count() == 2 and not strip.importing, timeout=10_000)
    settle(qtbot, page)
    first, second = page.reviews.get(review_id).photos
    # The second thumbnail dragged onto the left half of the first: it goes before it.
    target = strip.list.visualItemRect(strip.list.item(0))
    mime = strip.list.mimeData([strip.list.item(1)])
    assert drop(strip.list.viewport(), mime, QPoint(target.left() + 4, target.center().y()))
    qtbot.waitUntil(lambda: page.reviews.get(review_id).photos == (second, first))
    assert [strip.list.item(i).data(ID_ROLE) for i in range(2)] == page.reviews.photo_ids(review_id)
    page.undo_stack.undo()
    settle(qtbot, page)
    assert page.reviews.get(review_id).photos == (first, second)
    # Dropped back where it was: no change, no undo step.
    steps = page.undo_stack.count()
    mime = strip.list.mimeData([strip.list.item(0)])
    assert drop(strip.list.viewport(), mime, QPoint(target.left() + 4, target.center().y()))
    qtbot.wait(50)
    assert page.undo_stack.count() == steps
    # A file dropped over the thumbnails is imported like one dropped beside them.
    files_mime = QMimeData()
    files_mime.setUrls([QUrl.fromLocalFile(str(files[0].with_name("hopper.jpg")))])
    assert drop(strip.list.viewport(), files_mime, QPoint(target.left() + 4, 20))
    qtbot.waitUntil(lambda: strip.list.count() == 3 and not strip.importing, timeout=10_000)
