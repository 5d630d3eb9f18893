"""The platform's rules on the shops page, as a user meets them: one trial shop on the starter
tier, a second shop from before the rule kept and flagged, and a product shelved before a
competing tie was declared flagged by shop health with a one-click fix."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from test_shops_support import (
    drop_products,
    error_shown,
    new_shop,
    open_page,
    picker_ready,
    publish,
    stored,
    written,
)

from studio.core.rules import within
from studio.core.shops import IssueKind
from studio.system.paths import Paths
from studio.ui.shops.api import ShopsPage
from studio.ui.shops.health_panel import ISSUE_ROLE
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any) -> ShopsPage:
    return open_page(qtbot, tasks, paths, store)


def _click(qtbot: QtBot, button: Any) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_starter_is_refused_a_second_shop_with_the_reason(qtbot: QtBot, page: ShopsPage) -> None:
    new_shop(qtbot, page, "Summer picks")
    shop_list = page.shop_list
    qtbot.waitUntil(lambda: shop_list.list.count() == 1)
    # A second shop from the form: refused, the form keeps what was typed.
    qtbot.keyClicks(shop_list.title, "Winter picks")
    _click(qtbot, shop_list.create_button)
    reason = error_shown(qtbot, page)
    assert "one trial shop, and yours is “Summer picks”" in reason
    assert "after more than five approved orders" in reason
    assert shop_list.title.text() == "Winter picks"
    # Duplicate (a copy of a full shop would be 60 products in two shops): refused too.
    page.messages.hide()
    _click(qtbot, shop_list.duplicate_button)
    assert "one trial shop" in error_shown(qtbot, page)
    assert [s.handle for s in written(page).summaries()] == ["summer-picks"]
    assert page.undo_stack.count() == 1  # only the creation: nothing refused was pushed
    # The counter says the limits; its tooltip what the full tier brings.
    assert page.editor.counter.text() == "0 of 30 products · 30 left · Starter"
    assert "more than five approved orders" in page.editor.counter.toolTip()


def test_a_second_shop_from_before_is_kept_flagged_and_takes_no_products(
    qtbot: QtBot, page: ShopsPage
) -> None:
    page.profile.set_tier_from_platform("full")
    old = new_shop(qtbot, page, "Old picks")
    drop_products(qtbot, page, [0], at_row=0)
    new = new_shop(qtbot, page, "New picks")
    drop_products(qtbot, page, [1], at_row=0)
    # The platform says starter again (or the shops predate the one-shop rule).
    publish(page.controller.tasks, lambda: page.profile.set_tier_from_platform("starter"))
    qtbot.waitUntil(lambda: page.controller.shop_id == new and page.controller.doc is not None)
    qtbot.waitUntil(lambda: not page.controller.trial)
    counter = page.editor.counter.text()
    assert counter == "1 product · Starter: only your trial shop “Old picks” takes products"
    panel = page.editor.health
    qtbot.waitUntil(lambda: panel.issues.count() == 1, timeout=10_000)
    row = panel.issues.item(0)
    assert row.data(ISSUE_ROLE).kind is IssueKind.OVER_TIER
    assert row.text().startswith("Beyond your tier\nOnly one trial shop is public")
    assert "This shop is beyond your tier." in panel.summary.text()
    panel.issues.setCurrentRow(0)
    for button in (panel.replace_button, panel.remove_button, panel.fix_all_button):
        assert not button.isEnabled()  # nothing to fix here but the tier
    # Dropping a product on it is refused with the reason; nothing is added.
    drop_products(qtbot, page, [2], at_row=0, expect=1)
    assert "only your trial “Old picks” takes products" in page.messages.text
    assert len(stored(page).items) == 1
    # The trial shop still takes products, and its line in the list has no issue.
    page.shop_list.refresh(select=old)
    qtbot.waitUntil(lambda: page.controller.shop_id == old and page.controller.doc is not None)
    qtbot.waitUntil(lambda: page.controller.trial)
    drop_products(qtbot, page, [2], at_row=0)
    assert page.editor.counter.text() == "2 of 30 products · 28 left · Starter"
    assert all(i.kind is not IssueKind.OVER_TIER for i in page.shops.health(old))
    lines = {s.handle: s.health_issues for s in page.shop_list.summaries}
    assert lines["new-picks"] == 1


def _two_categories(qtbot: QtBot, page: ShopsPage, store: Any) -> list[int]:
    """Picker rows of two products with a brand, in categories apart (neither below the
    other: a tie declared in one must not reach the other)."""
    picker = picker_ready(qtbot, page)
    rows: dict[str, int] = {}
    for r in range(picker.model.rowCount()):
        detail = store.detail(picker.model.product_id(r))
        apart = not any(within(detail.category, c) or within(c, detail.category) for c in rows)
        if detail.category and detail.card.brand and apart:
            rows[detail.category] = r
        if len(rows) == 2:
            return list(rows.values())
    raise AssertionError("the test catalog has fewer than two categories")


def test_a_product_shelved_before_a_competing_tie_is_flagged_and_removed_in_one_click(
    qtbot: QtBot, page: ShopsPage, store: Any
) -> None:
    new_shop(qtbot, page, "Summer picks")
    flagged, kept = drop_products(qtbot, page, _two_categories(qtbot, page, store), at_row=0)
    detail = store.detail(flagged)
    panel = page.editor.health
    qtbot.waitUntil(lambda: page.controller.health_known)
    before = panel.issues.count()
    # The curator now declares a brand of their own in the first product's category.
    publish(  # as the profile dialog's Save does
        page.controller.tasks,
        lambda: page.profile.add_affiliation("House Label", detail.category, "makes"),
    )
    qtbot.waitUntil(lambda: panel.issues.count() == before + 1, timeout=10_000)
    (row,) = [
        panel.issues.item(n)
        for n in range(panel.issues.count())
        if panel.issues.item(n).data(ISSUE_ROLE).kind is IssueKind.CONFLICT
    ]
    assert row.text() == (
        f"Conflict of interest: {detail.card.title}\nConflict of interest: you declared that "
        f"you make House Label, which sells in {detail.category}, and {detail.card.brand} "
        "competes there (this was added before you declared it)."
    )
    assert page.editor.tabs.tabText(1) == f"Health ({before + 1})"
    panel.issues.setCurrentItem(row)
    assert panel.remove_button.isEnabled()
    _click(qtbot, panel.remove_button)
    qtbot.waitUntil(lambda: [i.product.product_id for i in stored(page).items] == [kept])
    qtbot.waitUntil(lambda: panel.issues.count() == before, timeout=10_000)
    # One undo step brings it back, flagged again.
    page.undo_stack.undo()
    qtbot.waitUntil(lambda: len(stored(page).items) == 2)
    qtbot.waitUntil(lambda: panel.issues.count() == before + 1, timeout=10_000)
