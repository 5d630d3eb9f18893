"""The profile dialog as a user fills it, and what declared affiliations do to reviews."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from test_reviews_support import (
    choose,
    click,
    fixture_image,
    open_page,
    pick_product,
    review_product,
    rival_pair,
    shot,
)

from studio.core.profile import Relationship
from studio.core.reviews import Provenance, disclosure
from studio.store.profile import ProfileStore
from studio.system.paths import Paths
from studio.ui.profile.dialog import ProfileDialog
from studio.ui.reviews.api import ReviewsPage
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui


def _dialog(qtbot: QtBot, tasks: TaskManager, store: Any, paths: Paths) -> ProfileDialog:
    from studio.media.library import MediaLibrary

    dialog = ProfileDialog(tasks, ProfileStore(store.db), MediaLibrary(paths.media))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _declare(
    qtbot: QtBot,
    dialog: ProfileDialog,
    brand: str,
    category: str,
    relationship: Relationship = Relationship.MAKES,
) -> None:
    qtbot.keyClicks(dialog.new_brand, brand)
    qtbot.keyClicks(dialog.new_category, category)
    choose(qtbot, dialog.new_relationship, relationship.value)
    click(qtbot, dialog.add_button)


def test_edit_the_profile_and_affiliations(
    qtbot: QtBot,
    tasks: TaskManager,
    store: Any,
    paths: Paths,
    fixtures_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    flower = fixture_image(fixtures_dir, "flower.jpg")
    dialog = _dialog(qtbot, tasks, store, paths)
    assert dialog.tier.text().startswith("Starter: one trial shop of up to 30 products. The")
    assert "after more than five approved orders" in dialog.tier.text()
    qtbot.keyClicks(dialog.display_name, "Ada Curator")
    qtbot.keyClicks(dialog.bio, "Runner, reviewer.")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(flower), ""))
    click(qtbot, dialog.avatar_button)
    qtbot.waitUntil(lambda: dialog.avatar_shown, timeout=10_000)
    _declare(qtbot, dialog, "Acme", "Footwear>Sneakers ")
    _declare(qtbot, dialog, "Swift", "Apparel", Relationship.PAID_BY)
    assert dialog.table.rowCount() == 2
    assert dialog.table.item(0, 1).text() == "Footwear > Sneakers"  # cleaned as the store does
    # A blank category is refused in the dialog, with the reason.
    qtbot.keyClicks(dialog.new_brand, "Nope")
    click(qtbot, dialog.add_button)
    assert dialog.error.isVisibleTo(dialog) and "needs a category" in dialog.error.text()
    assert dialog.table.rowCount() == 2
    shot(dialog, "profile-dialog")
    saved: list[bool] = []
    dialog.changed.connect(lambda: saved.append(True))
    click(qtbot, dialog.save_button)
    assert saved == [True] and not dialog.isVisible()
    profiles = ProfileStore(store.db)
    profile = profiles.get()
    assert (profile.display_name, profile.bio) == ("Ada Curator", "Runner, reviewer.")
    assert profile.avatar_hash and (paths.media).exists()
    assert sorted((a.brand, a.category, a.relationship) for a in profiles.affiliations()) == [
        ("Acme", "Footwear > Sneakers", Relationship.MAKES),
        ("Swift", "Apparel", Relationship.PAID_BY),
    ]
    # Reopened, it shows what was saved; removing a row and cancelling changes nothing.
    again = _dialog(qtbot, tasks, store, paths)
    assert again.display_name.text() == "Ada Curator" and again.table.rowCount() == 2
    qtbot.waitUntil(lambda: again.avatar_shown, timeout=10_000)
    again.table.selectRow(0)
    again.table.setFocus()
    qtbot.keyClick(again.table, Qt.Key.Key_Delete)
    assert again.table.rowCount() == 1
    click(qtbot, again.cancel_button)
    assert len(profiles.affiliations()) == 2
    # Removing and saving writes the shorter list.
    third = _dialog(qtbot, tasks, store, paths)
    kept = third.table.item(0, 0).text()
    third.table.selectRow(1)
    click(qtbot, third.remove_button)
    click(qtbot, third.save_button)
    assert [a.brand for a in profiles.affiliations()] == [kept]


def test_a_broken_avatar_is_refused(
    qtbot: QtBot,
    tasks: TaskManager,
    store: Any,
    paths: Paths,
    fixtures_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    broken = fixture_image(fixtures_dir, "broken.png")
    dialog = _dialog(qtbot, tasks, store, paths)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(broken), ""))
    click(qtbot, dialog.avatar_button)
    qtbot.waitUntil(lambda: not dialog.importing, timeout=10_000)
    assert dialog.error.isVisibleTo(dialog) and "avatar was not changed" in dialog.error.text()
    assert dialog.avatar_hash is None and not dialog.avatar_shown


def test_a_competitor_is_refused_and_ones_own_brand_labelled(
    qtbot: QtBot, tasks: TaskManager, store: Any, paths: Paths
) -> None:
    pair = rival_pair(store)
    page: ReviewsPage = open_page(qtbot, tasks, paths, store)
    # Declare, by typing into the dialog, that one makes the first brand in its category.
    dialog = _dialog(qtbot, tasks, store, paths)
    dialog.changed.connect(page.reload)
    _declare(qtbot, dialog, pair.own_brand, pair.category)
    click(qtbot, dialog.save_button)
    # The competitor's product: refused with the rule's reason, nothing created.
    pick_product(qtbot, page, store, pair.rival)
    qtbot.waitUntil(lambda: page.message.isVisibleTo(page))
    text = page.message.text
    assert "competitor" in text and pair.own_brand in text and pair.rival_brand in text
    assert page.reviews.summaries() == [] and page.editor.review_id is None
    shot(page, "reviews-refused")
    # One's own brand: allowed, labelled, its disclosure says so and cannot be changed.
    review_id = review_product(qtbot, page, store, pair.own)
    qtbot.waitUntil(lambda: page.editor.own_brand_label.isVisibleTo(page))
    assert not page.message.isVisibleTo(page)
    assert page.reviews.get(review_id).provenance is Provenance.OWN_BRAND
    assert page.editor.disclosure.text() == disclosure(Provenance.OWN_BRAND, pair.own_brand)
    assert not page.editor.provenance.isEnabled()
    shot(page, "reviews-own-brand")


def test_a_provenance_change_is_refused_once_the_brand_competes(
    qtbot: QtBot, tasks: TaskManager, store: Any, paths: Paths
) -> None:
    pair = rival_pair(store)
    page: ReviewsPage = open_page(qtbot, tasks, paths, store)
    review_id = review_product(qtbot, page, store, pair.rival)
    editor = page.editor
    own = editor.provenance.findData(Provenance.OWN_BRAND.value)
    assert not editor.provenance.model().item(own).isEnabled()  # not a declared brand
    # Declared after the review was started: the next provenance change is refused.
    dialog = _dialog(qtbot, tasks, store, paths)
    dialog.changed.connect(page.reload)
    _declare(qtbot, dialog, pair.own_brand, pair.category)
    click(qtbot, dialog.save_button)
    editor.provenance.setFocus()
    qtbot.keyClick(editor.provenance, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: page.message.isVisibleTo(page))
    assert "competitor" in page.message.text
    assert page.reviews.get(review_id).provenance is Provenance.BOUGHT
    assert editor.provenance.currentData() == Provenance.BOUGHT.value
    assert editor.disclosure.text().startswith("I bought this product")
    assert page.undo_stack.undoText().startswith("New review")  # nothing was pushed
