"""Fixtures and gestures shared by the Reviews and profile GUI tests (no tests of its own).

A real store in the test's home (the session's small catalog copied in), the real media
library and the page as the main window shows it. Products are picked the way a user does:
typed into the catalog picker's search box, then double-clicked.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QComboBox, QWidget
from pytestqt.qtbot import QtBot

from studio.system.paths import Paths
from studio.ui.reviews.api import ReviewsPage
from studio.ui.tasks import TaskManager

# Screenshots for a person to look at: written only when VITRINE_SHOTS names a folder.
PNG_DIR = os.environ.get("VITRINE_SHOTS", "")


@dataclass
class Pair:
    """Two products of different brands in one category (a competitor of ``own``)."""

    own: int
    own_brand: str
    rival: int
    rival_brand: str
    category: str


def open_page(qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any) -> ReviewsPage:
    from studio.media.library import MediaLibrary
    from studio.store.profile import ProfileStore
    from studio.store.reviews import ReviewStore

    page = ReviewsPage(
        tasks,
        ReviewStore(store.db),
        ProfileStore(store.db),
        MediaLibrary(paths.media),
        lambda: store,
        paths,
    )
    qtbot.addWidget(page)
    page.resize(1400, 860)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: page.picker.searched and page.picker.model.total > 0)
    return page


def rival_pair(store: Any) -> Pair:
    """From the catalog: a category in which two brands sell."""
    with store.db.connect() as conn:
        rows = conn.execute(
            "SELECT p.id, b.name, c.path FROM products p JOIN brands b ON b.id = p.brand_id "
            "JOIN categories c ON c.id = p.category_id ORDER BY c.path, p.id"
        ).fetchall()
    by_category: dict[str, dict[str, int]] = {}
    for pid, brand, path in rows:
        by_category.setdefault(path, {}).setdefault(brand, pid)
    for path, brands in by_category.items():
        if len(brands) >= 2:
            (a, pa), (b, pb) = list(brands.items())[:2]
            return Pair(pa, a, pb, b, path)
    raise AssertionError("the test catalog has no category with two brands")


def product_title(store: Any, product_id: int) -> str:
    detail = store.detail(product_id)
    assert detail is not None
    return str(detail.card.title)


def pick_product(qtbot: QtBot, page: ReviewsPage, store: Any, product_id: int) -> None:
    """Type the product's title into the picker and double-click its row."""
    picker = page.picker
    find_in_picker(qtbot, page, store, product_id)
    row = picker.model.row_of(product_id)
    assert row is not None
    rect = picker.results.visualRect(picker.model.index(row, 0))
    # A double-click is a click and then a second, quick press (QTest's double-click event
    # alone finds no pressed row on Qt 6).
    qtbot.mouseClick(picker.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(picker.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def find_in_picker(qtbot: QtBot, page: ReviewsPage, store: Any, product_id: int) -> None:
    """Type the product's title (its plain-ASCII words: QTest types no others) into the
    picker's search box; wait for its row and scroll to it."""
    picker = page.picker
    picker.search.clear()
    words = [w for w in product_title(store, product_id).split() if w.isascii() and w.isalnum()]
    qtbot.keyClicks(picker.search, " ".join(words))
    # The search waits for a pause in typing, then runs in a worker: wait for the last one.
    qtbot.waitUntil(
        lambda: (
            not picker._debounce.isActive()
            and not any(p.channel == "reviews-picker" for p in page.tasks._pending.values())
        )
    )
    qtbot.waitUntil(lambda: picker.model.row_of(product_id) is not None)
    row = picker.model.row_of(product_id)
    assert row is not None
    picker.results.scrollTo(picker.model.index(row, 0))


def review_product(qtbot: QtBot, page: ReviewsPage, store: Any, product_id: int) -> str:
    """Pick the product and wait for its new review to open in the editor; its id."""
    before = page.editor.review_id
    pick_product(qtbot, page, store, product_id)
    qtbot.waitUntil(lambda: page.editor.review_id not in (None, before))
    qtbot.waitUntil(lambda: page.editor.info is not None)
    assert page.editor.review_id is not None
    return page.editor.review_id


def choose(qtbot: QtBot, combo: QComboBox, data: object) -> None:
    """Choose the item holding ``data`` with the keyboard, as a user does on a closed combo."""
    combo.setFocus()
    target = combo.findData(data)
    assert target >= 0, data
    for _ in range(combo.count()):
        if combo.currentIndex() == target:
            return
        key = Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up
        qtbot.keyClick(combo, key)
    assert combo.currentIndex() == target


def click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(
        widget, Qt.MouseButton.LeftButton, pos=QPoint(widget.width() // 2, widget.height() // 2)
    )


def list_ids(page: ReviewsPage) -> list[str]:
    return [r.id for r in page.review_list.model.rows]


def wait_list(qtbot: QtBot, page: ReviewsPage, predicate: Any) -> None:
    qtbot.waitUntil(lambda: predicate(list_ids(page)))


def fixture_image(fixtures_dir: Path, name: str) -> Path:
    path = fixtures_dir / "images" / "pillow_tests" / name
    if not path.exists():
        pytest.fail(f"fixture image {path} is absent" + " (../shared is incomplete)", pytrace=False)
    return path


def shot(widget: QWidget, name: str) -> Path | None:
    """Save what the user sees of ``widget`` as ``$VITRINE_SHOTS/name.png``."""
    if not PNG_DIR:
        return None
    folder = Path(PNG_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    assert widget.grab().save(str(path))
    return path
