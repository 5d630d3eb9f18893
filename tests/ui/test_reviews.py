"""The Reviews page as a user drives it: write a review, autosave, filter, undo and trash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot
from test_reviews_support import (
    choose,
    click,
    find_in_picker,
    open_page,
    product_title,
    review_product,
    settle,
    shot,
    wait_list,
)

from studio.core.looks import ProductRef
from studio.core.review_checks import ReviewCheckKind
from studio.core.reviews import Provenance, ReviewStatus, disclosure
from studio.store.db import open_database
from studio.store.reviews import ReviewStore
from studio.system.paths import Paths
from studio.ui.reviews.api import ReviewsPage
from studio.ui.reviews.editor import SAVE_DELAY_MS
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any) -> ReviewsPage:
    return open_page(qtbot, tasks, paths, store)


def _first_products(store: Any, n: int) -> list[int]:
    with store.db.connect() as conn:
        return [
            r[0]
            for r in conn.execute(
                "SELECT p.id FROM products p JOIN brands b ON b.id = p.brand_id "
                "ORDER BY p.id LIMIT ?",
                (n,),
            )
        ]


def _ref(store: Any, product_id: int) -> ProductRef:
    detail = store.detail(product_id)
    return ProductRef(product_id, detail.card.merchant, detail.offer_id)


def _kinds(page: ReviewsPage) -> list[ReviewCheckKind]:
    return [i.kind for i in page.editor.checks.issues]


def _fresh(paths: Paths) -> ReviewStore:
    """A second store over the same database file: what a restarted app would read."""
    return ReviewStore(open_database(paths.database))


def test_write_a_review(qtbot: QtBot, page: ReviewsPage, store: Any, paths: Paths) -> None:
    (product_id,) = _first_products(store, 1)
    review_id = review_product(qtbot, page, store, product_id)
    editor = page.editor
    detail = store.detail(product_id)
    assert editor.product_title.text() == detail.card.title
    assert detail.card.merchant in editor.product_facts.text()
    assert detail.card.brand in editor.product_facts.text()
    wait_list(qtbot, page, lambda ids: ids == [review_id])
    # A new review has no rating until the curator gives one: an empty state, not 3 stars,
    # and "not ready" in the list and the checks.
    assert page.reviews.get(review_id).rating is None
    assert editor.rating.value() == 0
    assert editor.rating.caption.text() == "Not rated yet: click a star"
    assert [b.text() for b in editor.rating.buttons] == ["☆"] * 5
    row = page.review_list.model.row_of(review_id)
    assert page.review_list.model.index(row, 1).data() == "No rating"
    assert page.review_list.model.index(row, 2).data() == "Not ready"
    qtbot.waitUntil(lambda: ReviewCheckKind.NO_RATING in _kinds(page))
    # Rating: click the fourth star (each star is a named button).
    assert [b.accessibleName() for b in editor.rating.buttons][::4] == [
        "Rate 1 star",
        "Rate 5 stars",
    ]
    click(qtbot, editor.rating.buttons[3])
    qtbot.waitUntil(lambda: ReviewCheckKind.NO_RATING not in _kinds(page))
    assert page.review_list.model.index(row, 1).data() == "★★★★☆"
    assert page.review_list.model.index(row, 2).data() == "Draft"
    assert editor.rating.caption.text() == "4 of 5"  # shown at once, saved on the lane
    settle(qtbot, page)
    assert page.reviews.get(review_id).rating == 4
    qtbot.keyClicks(editor.title, "Light and fast")
    qtbot.keyClicks(editor.body, "Runs **small**, order a size up.")
    for line in ("grip", "weight"):
        qtbot.keyClicks(editor.pros, line)
        qtbot.keyClick(editor.pros, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.cons, "narrow toe box")
    # 3 + 6 + 2 + 3 words, counted as typed.
    assert editor.words.text() == "14 words"
    assert (
        "<strong>small</strong>" in editor.preview.toHtml()
        or editor.preview.toPlainText().startswith("Runs small")
    )
    # Provenance: the disclosure shown follows it, read-only.
    bought = editor.disclosure.text()
    assert bought == disclosure(Provenance.BOUGHT, detail.card.brand)
    choose(qtbot, editor.provenance, Provenance.GIFTED.value)
    # The rule may refuse a provenance: it is shown once the store took it.
    qtbot.waitUntil(
        lambda: editor.disclosure.text() == disclosure(Provenance.GIFTED, detail.card.brand)
    )
    assert editor.disclosure.text() != bought and detail.card.brand in editor.disclosure.text()
    choose(qtbot, editor.status, ReviewStatus.READY.value)
    qtbot.waitUntil(lambda: not editor.pending, timeout=2000)
    settle(qtbot, page)
    stored = _fresh(paths).get(review_id)
    assert stored is not None
    assert (stored.rating, stored.title, stored.body, stored.pros, stored.cons) == (
        4,
        "Light and fast",
        "Runs **small**, order a size up.",
        ("grip", "weight"),
        ("narrow toe box",),
    )
    assert (stored.provenance, stored.status, stored.words) == (
        Provenance.GIFTED,
        ReviewStatus.READY,
        14,
    )
    # The list row shows it: product title, stars, status, words.
    row = page.review_list.model.rows[0]
    model = page.review_list.model
    assert model.index(0, 0).data() == product_title(store, product_id)
    assert model.index(0, 1).data() == "★★★★☆"
    assert model.index(0, 2).data() == "Ready" and model.index(0, 3).data() == 14
    assert row.id == review_id
    shot(page, "reviews-page")


def test_drafts_save_as_one_types_and_flush_writes_at_once(
    qtbot: QtBot, page: ReviewsPage, store: Any, paths: Paths
) -> None:
    (product_id,) = _first_products(store, 1)
    review_id = review_product(qtbot, page, store, product_id)
    fresh = _fresh(paths)
    qtbot.keyClicks(page.editor.body, "First impressions")
    assert fresh.get(review_id).body == ""  # the save waits for a pause in typing
    qtbot.wait(SAVE_DELAY_MS + 150)
    qtbot.waitUntil(lambda: fresh.get(review_id).body == "First impressions")
    assert page.review_list.model.rows[0].words == 2  # the row was patched by the save
    qtbot.keyClicks(page.editor.title, "Keeper")
    page.flush()  # the window closes: no pause waited for; closing drains the writer lane
    assert page.tasks.wait_written()
    assert fresh.get(review_id).title == "Keeper"
    # Leaving the page (another workspace) saves at once.
    qtbot.keyClicks(page.editor.body, " and after")
    page.hide()
    assert page.tasks.wait_written()
    assert fresh.get(review_id).body == "First impressions and after"
    page.show()
    # Leaving the text box saves too.
    qtbot.keyClicks(page.editor.cons, "pricey")
    page.editor.title.setFocus()
    page.editor.cons.clearFocus()
    qtbot.waitUntil(lambda: fresh.get(review_id).cons == ("pricey",), timeout=1000)


def test_search_and_filter_the_list(qtbot: QtBot, page: ReviewsPage, store: Any) -> None:
    with store.db.connect() as conn:
        by_merchant = conn.execute(
            "SELECT min(p.id), m.name FROM products p JOIN merchants m ON m.id = p.merchant_id "
            "GROUP BY m.name ORDER BY m.name"
        ).fetchall()
    (pa, ma), (pb, mb), *_ = by_merchant
    reviews = page.reviews
    # Written elsewhere (another page, an import): through the lane, whose Changes the list
    # hears and follows by itself.
    made: list[Any] = []
    for pid, rating, title in ((pa, 5, "Great grip"), (pb, 2, "Too warm")):
        ref = _ref(store, pid)
        page.tasks.write(
            lambda r=ref, n=rating, t=title: reviews.create(r, n, title=t), made.append
        )
    qtbot.waitUntil(lambda: len(made) == 2)
    a, b = made
    page.tasks.write(lambda: reviews.update(b.id, status="ready", body="Scratchy wool"))
    wait_list(qtbot, page, lambda ids: set(ids) == {a.id, b.id})
    lst = page.review_list
    qtbot.keyClicks(lst.search, "scratchy")
    wait_list(qtbot, page, lambda ids: ids == [b.id])
    lst.search.clear()
    wait_list(qtbot, page, lambda ids: len(ids) == 2)
    choose(qtbot, lst.rating, 5)
    wait_list(qtbot, page, lambda ids: ids == [a.id])
    choose(qtbot, lst.rating, None)
    choose(qtbot, lst.status, ReviewStatus.READY.value)
    wait_list(qtbot, page, lambda ids: ids == [b.id])
    choose(qtbot, lst.status, None)
    wait_list(qtbot, page, lambda ids: len(ids) == 2)
    assert [lst.merchant.itemText(i) for i in range(1, lst.merchant.count())] == sorted([ma, mb])
    choose(qtbot, lst.merchant, ma)
    wait_list(qtbot, page, lambda ids: ids == [a.id])
    assert lst.count.text() == "1 review"


def test_a_review_without_a_rating_cannot_be_made_ready(
    qtbot: QtBot, page: ReviewsPage, store: Any
) -> None:
    (product_id,) = _first_products(store, 1)
    review_id = review_product(qtbot, page, store, product_id)
    wait_list(qtbot, page, lambda ids: ids == [review_id])
    status = page.editor.status
    ready_row = status.findData(ReviewStatus.READY.value)
    assert not status.model().item(ready_row).isEnabled()
    # The keyboard skips the disabled choice: the review stays a draft.
    status.setFocus()
    qtbot.keyClick(status, Qt.Key.Key_Down)
    assert status.currentData() == ReviewStatus.DRAFT.value
    settle(qtbot, page)
    assert page.reviews.get(review_id).status is ReviewStatus.DRAFT
    # Given a rating, it can.
    click(qtbot, page.editor.rating.buttons[2])
    assert status.model().item(ready_row).isEnabled()
    qtbot.keyClick(status, Qt.Key.Key_Down)
    assert status.currentData() == ReviewStatus.READY.value
    settle(qtbot, page)
    got = page.reviews.get(review_id)
    assert (got.rating, got.status) == (3, ReviewStatus.READY)
    row = page.review_list.model.row_of(review_id)
    assert page.review_list.model.index(row, 2).data() == "Ready"


def test_undo_redo_rating_and_trash(qtbot: QtBot, page: ReviewsPage, store: Any) -> None:
    (product_id,) = _first_products(store, 1)
    review_id = review_product(qtbot, page, store, product_id)
    wait_list(qtbot, page, lambda ids: ids == [review_id])
    editor, undo = page.editor, page.undo_stack
    editor.rating.setFocus()
    qtbot.keyClick(editor.rating, Qt.Key.Key_5)  # the keyboard sets the rating
    settle(qtbot, page)
    assert page.reviews.get(review_id).rating == 5
    assert undo.undoText() == "Rate 5 stars"
    undo.undo()  # back to no rating at all
    assert editor.rating.value() == 0  # shown at once
    assert page.review_list.model.index(0, 1).data() == "No rating"
    settle(qtbot, page)
    assert page.reviews.get(review_id).rating is None
    undo.redo()
    assert editor.rating.value() == 5
    settle(qtbot, page)
    assert page.reviews.get(review_id).rating == 5
    # Delete in a text box deletes text, never the review.
    qtbot.keyClicks(editor.title, "Okay")
    qtbot.keyClick(editor.title, Qt.Key.Key_Home)
    qtbot.keyClick(editor.title, Qt.Key.Key_Delete)
    assert editor.title.text() == "kay" and page.reviews.get(review_id).deleted_at is None
    # Delete on the list trashes the review; undo brings it back.
    view = page.review_list.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    wait_list(qtbot, page, lambda ids: ids == [])
    settle(qtbot, page)
    assert editor.review_id is None and page.reviews.get(review_id).deleted_at
    undo.undo()
    wait_list(qtbot, page, lambda ids: ids == [review_id])
    settle(qtbot, page)
    assert page.reviews.get(review_id).deleted_at is None
    undo.redo()
    wait_list(qtbot, page, lambda ids: ids == [])
    # The trash lists it; Restore brings it back.
    click(qtbot, page.review_list.trash_toggle)
    wait_list(qtbot, page, lambda ids: ids == [review_id])
    page.review_list.view.setCurrentIndex(page.review_list.model.index(0, 0))
    click(qtbot, page.review_list.restore_button)
    wait_list(qtbot, page, lambda ids: ids == [])
    click(qtbot, page.review_list.trash_toggle)
    wait_list(qtbot, page, lambda ids: ids == [review_id])
    settle(qtbot, page)
    assert page.reviews.get(review_id).deleted_at is None
    # Undoing the creation itself trashes the new review.
    while undo.canUndo():
        undo.undo()
    wait_list(qtbot, page, lambda ids: ids == [])


def test_new_review_by_drag_and_by_ctrl_n(qtbot: QtBot, page: ReviewsPage, store: Any) -> None:
    from test_looks_helpers import drop

    from studio.ui.widgets.mime import product_mime_data

    first, second = _first_products(store, 2)
    viewport = page.review_list.view.viewport()
    assert drop(viewport, product_mime_data([first]), QPoint(40, 40))
    qtbot.waitUntil(lambda: len(page.reviews.summaries()) == 1)
    assert page.reviews.summaries()[0].product.product_id == first
    qtbot.waitUntil(lambda: page.editor.review_id == page.reviews.summaries()[0].id)
    # Ctrl+N reviews the product selected in the picker.
    picker = page.picker
    find_in_picker(qtbot, page, store, second)
    row = picker.model.row_of(second)
    assert row is not None
    picker.results.setCurrentIndex(picker.model.index(row, 0))
    picker.results.setFocus()
    qtbot.keyClick(picker.results, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(page.reviews.summaries()) == 2)
    assert {s.product.product_id for s in page.reviews.summaries()} == {first, second}
    # A product dropped on the editor starts a review of it too.
    (third,) = set(_first_products(store, 3)) - {first, second}
    assert drop(page.editor, product_mime_data([third]), QPoint(200, 200))
    qtbot.waitUntil(lambda: len(page.reviews.summaries()) == 3)
    qtbot.waitUntil(
        lambda: page.editor.review is not None and page.editor.review.product.product_id == third
    )


def test_reopens_the_last_review(
    qtbot: QtBot, paths: Paths, store: Any, page: ReviewsPage, tmp_path: Path
) -> None:
    from PySide6.QtCore import QSettings

    first, second = _first_products(store, 2)
    review_id = review_product(qtbot, page, store, first)
    qtbot.keyClicks(page.editor.title, "Unsaved yet")
    settings = QSettings(str(tmp_path / "state.ini"), QSettings.Format.IniFormat)
    page.save_state(settings)  # the window closes: pending text is written too
    assert page.tasks.wait_written()
    assert _fresh(paths).get(review_id).title == "Unsaved yet"
    assert settings.value("reviews/open") == review_id
    # Another review is open when the state is restored: the saved one comes back.
    other = review_product(qtbot, page, store, second)
    assert page.editor.review_id == other
    page.restore_state(settings)
    qtbot.waitUntil(lambda: page.editor.review_id == review_id)
    assert page.editor.title.text() == "Unsaved yet"
    assert page.review_list.current_id() == review_id
