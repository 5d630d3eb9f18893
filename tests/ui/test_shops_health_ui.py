"""Shop health, settings and the preview, as a user meets them on the shops page."""

from __future__ import annotations

import dataclasses
import gc
import threading
from html import escape
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PIL import Image
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QUrl
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot
from test_shops_support import (
    drop_products,
    error_shown,
    imported,
    new_shop,
    open_page,
    picker_ready,
    stored,
)
from uihelp import CatalogTemplate

from studio.core.catalog import Availability
from studio.core.errors import StoreError
from studio.core.money import Money
from studio.core.shops import IssueKind
from studio.media.product_images import DETAIL_THUMB, cached_thumbnail
from studio.system.paths import Paths
from studio.ui.shops.api import ShopsPage
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any) -> ShopsPage:
    page = open_page(qtbot, tasks, paths, store)
    new_shop(qtbot, page, "Summer picks")
    return page


def _in_stock_rows(qtbot: QtBot, page: ShopsPage, store: Any, merchant: str, n: int) -> list[int]:
    """Picker rows of ``n`` in-stock products of one merchant."""
    picker = picker_ready(qtbot, page)
    rows = []
    for r in range(picker.model.rowCount()):
        (card,) = store.cards([picker.model.product_id(r)])
        if card.merchant == merchant and card.availability is Availability.IN_STOCK:
            rows.append(r)
        if len(rows) == n:
            return rows
    raise AssertionError("not enough products in stock")


def _reimport(
    store: Any, template: CatalogTemplate, merchant: str, *, drop: str, reprice: str
) -> None:
    """The merchant's feed again, without one offer and with another's price changed."""
    records = []
    for r in template.records:
        if r.merchant != merchant or r.offer_id == drop:
            continue
        if r.offer_id == reprice:
            r = dataclasses.replace(
                r, price=Money(r.price.minor + 500, r.price.currency), sale_price=None
            )
        records.append(r)
    store.import_feed(merchant, "google-xml", records)


def test_fix_shop_health_one_by_one_and_all_at_once(
    qtbot: QtBot, page: ShopsPage, store: Any, catalog_template: CatalogTemplate
) -> None:
    merchant = store.cards([1])[0].merchant
    rows = _in_stock_rows(qtbot, page, store, merchant, 3)
    ids = drop_products(qtbot, page, rows, at_row=0)
    panel = page.editor.health
    qtbot.waitUntil(lambda: panel.issues.count() == 0 and "Every product" in panel.summary.text())
    gone, repriced = (store.detail(i).offer_id for i in ids[:2])
    imported(
        page.controller.tasks,
        store.db,
        lambda: _reimport(store, catalog_template, merchant, drop=gone, reprice=repriced),
    )
    qtbot.waitUntil(lambda: panel.issues.count() == 2, timeout=10_000)
    kinds = [panel.issues.item(i).data(Qt.ItemDataRole.UserRole + 1).kind for i in range(2)]
    assert kinds == [IssueKind.UNAVAILABLE, IssueKind.PRICE_CHANGED]
    assert page.editor.tabs.tabText(1) == "Health (2)"
    assert "Unavailable" in panel.issues.item(0).text()
    # Replace the unavailable one with a chosen suggestion.
    panel.issues.setCurrentRow(0)
    qtbot.waitUntil(lambda: panel.replace_button.isEnabled(), timeout=10_000)
    suggestion = panel.suggestions.currentItem().data(Qt.ItemDataRole.UserRole + 2)
    qtbot.mouseClick(panel.replace_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.issues.count() == 1)
    first = stored(page).items[0]
    assert first.product.offer_id == suggestion.product.offer_id
    # Undo brings the issue back; redo fixes it again.
    page.undo_stack.undo()
    qtbot.waitUntil(lambda: panel.issues.count() == 2)
    assert stored(page).items[0].product.offer_id == gone
    page.undo_stack.redo()
    qtbot.waitUntil(lambda: panel.issues.count() == 1)
    # Accept the new price of the other.
    panel.issues.setCurrentRow(0)
    assert panel.accept_button.isEnabled()
    qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.issues.count() == 0)
    assert page.editor.tabs.tabText(1) == "Health"
    # Undo both, then Fix all: one step that fixes both.
    page.undo_stack.undo()
    page.undo_stack.undo()
    qtbot.waitUntil(lambda: panel.issues.count() == 2)
    qtbot.mouseClick(panel.fix_all_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.issues.count() == 0)
    assert page.shops.health(stored(page).shop.id) == []
    assert stored(page).items[0].product.offer_id != gone
    assert page.undo_stack.undoText() == "Fix shop health"
    page.undo_stack.undo()
    qtbot.waitUntil(lambda: panel.issues.count() == 2)


def test_settings_are_saved_and_undoable(
    qtbot: QtBot, page: ShopsPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = page.editor.settings
    qtbot.mouseClick(form.tagline, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(form.tagline, "Light things for hot days")
    # Saved after a short pause in typing, without leaving the field.
    qtbot.waitUntil(lambda: stored(page).shop.tagline == "Light things for hot days")
    form.title.selectAll()
    qtbot.keyClicks(form.title, "Beach edit")
    qtbot.keyClick(form.title, Qt.Key.Key_Tab)  # leaving the field saves at once
    assert stored(page).shop.title == "Beach edit"
    qtbot.waitUntil(lambda: page.editor.title.text() == "Beach edit")
    # A taken or malformed handle is refused with the reason; the field shows the stored one.
    form.handle.selectAll()
    qtbot.keyClicks(form.handle, "x!")
    qtbot.keyClick(form.handle, Qt.Key.Key_Return)
    assert "handle" in error_shown(qtbot, page)
    assert form.handle.text() == "summer-picks" == stored(page).shop.handle
    # The accent colour comes from the colour dialog.
    monkeypatch.setattr(
        "studio.ui.shops.settings_form.QColorDialog.getColor", lambda *a, **k: QColor("#1a7f37")
    )
    qtbot.mouseClick(form.accent_button, Qt.MouseButton.LeftButton)
    assert stored(page).shop.accent == "#1a7f37"
    assert form.accent_button.text() == "#1a7f37"
    page.undo_stack.undo()
    assert stored(page).shop.accent == "#222222" and form.accent_button.text() == "#222222"
    # A banner is imported into the media library in a worker.
    image = tmp_path / "banner.jpg"
    Image.new("RGB", (1600, 500), "#2980b9").save(image)
    form.import_banner(image)
    qtbot.waitUntil(lambda: stored(page).shop.banner_hash is not None, timeout=10_000)
    qtbot.waitUntil(
        lambda: form.banner.pixmap() is not None and not form.banner.pixmap().isNull(),
        timeout=10_000,
    )
    page.undo_stack.undo()
    assert stored(page).shop.banner_hash is None


def test_preview_writes_the_page_and_opens_it(
    qtbot: QtBot,
    page: ShopsPage,
    paths: Paths,
    store: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(
        "studio.ui.shops.api.QDesktopServices.openUrl", lambda url: opened.append(url) or True
    )
    ids = drop_products(qtbot, page, [0, 1, 2], at_row=0)
    image = tmp_path / "banner.png"
    Image.new("RGB", (900, 300), "#c0392b").save(image)
    page.editor.settings.import_banner(image)
    qtbot.waitUntil(lambda: stored(page).shop.banner_hash is not None, timeout=10_000)
    qtbot.mouseClick(page.editor.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=10_000)
    path = Path(opened[0].toLocalFile())
    assert path == paths.cache / "shop-preview" / "summer-picks" / "index.html"
    html = path.read_text(encoding="utf-8")
    assert "<h1>Summer picks</h1>" in html
    assert 'src="data:image/jpeg;base64,' in html  # the banner, embedded
    for card in store.cards(ids):
        assert card.title.replace("&", "&amp;") in html
        # Its picture (a local file in the test catalog), embedded and titled, and cached
        # in the app's image cache where the catalog's detail pane finds it.
        assert f'alt="{escape(card.title)}"' in html
        assert cached_thumbnail(paths.image_cache, card.image_link, DETAIL_THUMB) is not None
    assert html.count('class="pic"') == html.count('<img src="data:image/jpeg;') == 3
    assert "plain links to the merchants" in html and "not affiliate links" in html
    assert "Preview written" in page.messages.text


def test_preview_says_when_no_browser_opens_and_offers_to_save_the_page(
    qtbot: QtBot,
    page: ShopsPage,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr("studio.ui.shops.api.QDesktopServices.openUrl", lambda url: False)
    drop_products(qtbot, page, [0], at_row=0)
    qtbot.mouseClick(page.editor.preview_button, Qt.MouseButton.LeftButton)
    bar = page.messages
    qtbot.waitUntil(lambda: "No browser opened the preview" in bar.text, timeout=10_000)
    assert "Preview written" not in bar.text and bar.kind == "warning"
    assert bar.action_button.isVisibleTo(bar) and bar.action_button.text() == "Save page…"
    target = tmp_path / "my shop.html"
    asked: list[str] = []

    def answer(*args: Any, **kwargs: Any) -> tuple[str, str]:
        asked.append(args[2])
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    qtbot.mouseClick(bar.action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: target.is_file() and "Page saved" in bar.text, timeout=10_000)
    assert asked and asked[0].endswith("summer-picks.html")
    assert "<h1>Summer picks</h1>" in target.read_text(encoding="utf-8")
    assert not bar.action_button.isVisibleTo(bar)


def test_a_health_check_ending_after_the_page_closed_is_dropped(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any
) -> None:
    page = open_page(qtbot, tasks, paths, store)
    new_shop(qtbot, page, "Summer picks")
    qtbot.waitUntil(lambda: tasks.running == 0)  # the page's own reads are in
    controller = page.controller
    gate = threading.Event()

    def slow_failing_health(shop_id: str) -> list[Any]:
        gate.wait(10)  # the page is closed meanwhile
        raise StoreError("the store was closed")

    controller.shops.health = slow_failing_health  # type: ignore[method-assign]
    controller.refresh_health()
    page.close()
    page.deleteLater()
    del page
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    assert not shiboken6.isValid(controller)
    gate.set()
    assert tasks.wait_idle()
    # The failure reaches the GUI thread; delivered into the deleted controller, it raised
    # "Signal source has been deleted" inside Qt's event loop (which fails this test).
    qtbot.wait(100)
