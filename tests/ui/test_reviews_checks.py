"""The review editor's Checks tab and disclosure, as a user meets them: too few words, a brand
that pays the curator named, a conflict of interest declared after the review was written."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from test_reviews_support import click, open_page, review_product

from studio.core.catalog import SearchQuery
from studio.core.product import Availability
from studio.core.review_checks import MIN_BODY_WORDS, ReviewCheckKind
from studio.system.paths import Paths
from studio.ui.reviews.api import ReviewsPage
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any) -> ReviewsPage:
    return open_page(qtbot, tasks, paths, store)


def _in_stock(store: Any) -> Any:
    found = store.search(SearchQuery(availability=frozenset({Availability.IN_STOCK}), limit=50))
    return next(
        d
        for d in map(store.detail, map(int, found.ids))
        if d.category and d.card.brand and d.card.title.isascii()
    )


def _kinds(page: ReviewsPage) -> list[ReviewCheckKind]:
    return [i.kind for i in page.editor.checks.issues]


def test_too_few_words_is_checked_as_typed_and_fixed_by_writing(
    qtbot: QtBot, page: ReviewsPage, store: Any
) -> None:
    detail = _in_stock(store)
    review_product(qtbot, page, store, detail.card.id)
    editor, checks = page.editor, page.editor.checks
    # A new review is not rated yet: that is the first thing to fix ("Rate it").
    qtbot.waitUntil(lambda: _kinds(page) == [ReviewCheckKind.NO_RATING, ReviewCheckKind.TOO_SHORT])
    assert checks.tabs.tabText(1) == "Checks (2)"
    checks.tabs.setCurrentIndex(1)
    (rate_it,) = checks.list.buttons[0]
    click(qtbot, rate_it)
    qtbot.waitUntil(editor.rating.hasFocus)
    qtbot.keyClick(editor.rating, Qt.Key.Key_4)
    qtbot.waitUntil(lambda: _kinds(page) == [ReviewCheckKind.TOO_SHORT])
    assert checks.tabs.tabText(1) == "Checks (1)"
    checks.tabs.setCurrentIndex(1)
    assert checks.list.labels[0].text() == (
        f"Too short: the review's text has 0 words; write at least {MIN_BODY_WORDS} so a "
        "buyer learns what the product is like"
    )
    (write_more,) = checks.list.buttons[0]
    click(qtbot, write_more)
    assert checks.tabs.currentIndex() == 0
    qtbot.waitUntil(editor.body.hasFocus)
    qtbot.keyClicks(editor.body, " ".join(["comfy"] * (MIN_BODY_WORDS - 1)))
    assert _kinds(page) == [ReviewCheckKind.TOO_SHORT]  # 49: one more
    qtbot.keyClicks(editor.body, " done")
    assert _kinds(page) == [] and checks.tabs.tabText(1) == "Checks"
    assert checks.list.header.text() == "✓ Ready to share: no issues"


def test_a_paying_brand_is_named_and_a_conflict_declared_later_is_flagged(
    qtbot: QtBot, page: ReviewsPage, store: Any
) -> None:
    from studio.store.profile import ProfileStore

    detail = _in_stock(store)
    review_id = review_product(qtbot, page, store, detail.card.id)
    editor, checks = page.editor, page.editor.checks
    assert "nobody paid me" in editor.disclosure.text()  # bought, by default
    profile = ProfileStore(store.db)
    ties: list[Any] = []
    # Declared elsewhere (the profile dialog's Save is such a write): the page hears it.
    page.tasks.write(
        lambda: profile.add_affiliation(detail.card.brand, "Anything", "paid_by"), ties.append
    )
    qtbot.waitUntil(lambda: editor.paid_by)
    (tie,) = ties
    assert "nobody paid me" not in editor.disclosure.text()
    assert editor.disclosure.text().startswith(
        f"I bought this product with my own money, but {detail.card.brand} pays me"
    )
    row = next(r for r in page.review_list.model.rows if r.id == review_id)
    assert "nobody paid me" not in row.disclosure  # the list's copy says the same
    # A brand of their own in the product's category, declared after the review was written.
    profile.remove_affiliation(tie.id)
    profile.add_affiliation("House Label", detail.category, "makes")
    checks.tabs.setCurrentIndex(1)  # showing the tab reads the ties again
    qtbot.waitUntil(lambda: ReviewCheckKind.CONFLICT in _kinds(page))
    index = _kinds(page).index(ReviewCheckKind.CONFLICT)
    assert (
        checks.list.labels[index]
        .text()
        .startswith("Conflict of interest: you declared that you make House Label")
    )
    (trash,) = checks.list.buttons[index]
    assert trash.text() == "Move to the trash"
    qtbot.mouseClick(trash, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.reviews.get(review_id).deleted_at is not None)
    assert editor.review_id is None
    page.undo_stack.undo()  # one step brings it back
    qtbot.waitUntil(lambda: page.reviews.get(review_id).deleted_at is None)
