"""File > Import feed… end to end: a real fixture feed, a cancelled big import, a broken feed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QPushButton
from pytestqt.qtbot import QtBot
from uihelp import CATALOG_SIZE, open_window

from bench.catalog_gen import write_google_xml
from studio.ui.main_window import MainWindow
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui


def choose_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), ""))
    )


def start_import(qtbot: QtBot, window: MainWindow, merchant: str, fmt: str = "auto") -> None:
    window.import_action.trigger()
    dialog = window.imports.options_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.merchant.setText(merchant)
    dialog.format.setCurrentIndex(dialog.format.findData(fmt))
    dialog.ok_button.click()


def test_importing_a_real_feed_shows_the_report_and_refreshes(
    qtbot: QtBot, window: MainWindow, fixtures_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = fixtures_dir / "google_merchant" / "google_example_online_store_feed.xml"
    choose_file(monkeypatch, feed)
    start_import(qtbot, window, "Example Online Store")
    qtbot.waitUntil(lambda: window.imports.report_dialog is not None, timeout=15_000)
    report = window.imports.report_dialog
    assert report is not None and report.isVisible()
    text = report.summary.text()
    assert "Example Online Store" in text and "google-xml" in text
    added = window.catalog.store.product_count() - CATALOG_SIZE
    assert added > 0 and f"{added} added" in text
    # The catalog view searched again: the new products are counted and findable.
    qtbot.waitUntil(lambda: window.catalog.catalog_size == CATALOG_SIZE + added)
    qtbot.waitUntil(
        lambda: window.catalog.facets.value_item("merchant", "Example Online Store") is not None
    )


def test_rejected_rows_are_listed_with_where_and_why(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = tmp_path / "two-items.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">'
        "<channel><item><g:id>ok-1</g:id><title>Good lamp</title><g:price>10.00 USD</g:price>"
        "<g:availability>in stock</g:availability></item>"
        "<item><g:id>bad-1</g:id><title>Bad lamp</title><g:price>NaN USD</g:price></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    choose_file(monkeypatch, feed)
    start_import(qtbot, window, "Lamp Shop", "google-xml")
    qtbot.waitUntil(lambda: window.imports.report_dialog is not None, timeout=10_000)
    table = window.imports.report_dialog.table
    assert table.rowCount() == 1 and not table.isHidden()
    assert table.item(0, 1).text() == "bad-1"
    assert table.item(0, 0).text() and table.item(0, 2).text()


def test_a_broken_feed_gets_a_clear_error_and_changes_nothing(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = tmp_path / "truncated.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0" '
        'xmlns:g="http://base.google.com/ns/1.0"><channel><item><g:id>1</g:id>'
        "<title>Half",
        encoding="utf-8",
    )
    choose_file(monkeypatch, feed)
    start_import(qtbot, window, "Broken Shop", "google-xml")
    qtbot.waitUntil(lambda: window.imports.error_box is not None, timeout=10_000)
    box = window.imports.error_box
    assert "nothing was changed" in box.text()
    assert "Why:" in box.informativeText()
    assert window.catalog.store.product_count() == CATALOG_SIZE
    assert "Broken Shop" not in window.catalog.store.merchants()


def test_cancelling_a_big_import_leaves_the_catalog_unchanged(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = write_google_xml(tmp_path / "big.xml", 60_000, seed=3)
    choose_file(monkeypatch, feed)
    aborted: list[str] = []
    window.imports.aborted.connect(aborted.append)
    start_import(qtbot, window, "Big Shop", "google-xml")
    progress = window.imports.progress_dialog
    assert progress is not None and progress.isVisible()
    qtbot.waitUntil(lambda: progress.value() > 0, timeout=20_000)
    cancel_button = progress.findChild(QPushButton)
    assert cancel_button is not None and cancel_button.text() == "Cancel"
    cancel_button.click()
    qtbot.waitUntil(lambda: bool(aborted), timeout=20_000)
    assert "nothing was changed" in aborted[0]
    assert window.imports.report_dialog is None
    assert window.catalog.store.product_count() == CATALOG_SIZE
    assert "Big Shop" not in window.catalog.store.merchants()
    assert not window.imports.running


def test_the_empty_catalog_offers_the_demo(
    qtbot: QtBot, tasks: Any, paths: Any, empty_store: Any
) -> None:
    window = open_window(qtbot, tasks, paths, empty_store)
    qtbot.waitUntil(lambda: window.catalog.is_empty_state)
    empty = window.catalog.empty
    assert empty.demo_button.isVisible() and empty.import_button.isVisible()
    with qtbot.waitSignal(window.imports.imported, timeout=30_000):
        empty.demo_button.click()
    # A clean demo load reports in the status bar, without a dialog to dismiss.
    assert window.imports.report_dialog is None
    assert "products added" in window.statusBar().currentMessage()
    merchants = set(window.catalog.store.merchants())
    assert len(merchants) >= 3
    qtbot.waitUntil(lambda: not window.catalog.is_empty_state and window.catalog.catalog_size > 0)
    qtbot.waitUntil(lambda: window.catalog.model.is_loaded(0))
    card = window.catalog.model.card(0)
    assert card is not None and card.image_link
    assert card.image_link.startswith("https://demo.vitrine.invalid/images/")
    # Its picture is in the image cache, seeded from the shipped files when the demo loaded.
    from studio.media.product_images import cached_thumbnail

    assert cached_thumbnail(paths.image_cache, card.image_link, 160) is not None


def test_variants_in_the_detail_are_clickable(
    qtbot: QtBot, tasks: Any, paths: Any, empty_store: Any
) -> None:
    window = open_window(qtbot, tasks, paths, empty_store)
    qtbot.waitUntil(lambda: window.catalog.is_empty_state)
    with qtbot.waitSignal(window.imports.imported, timeout=30_000):
        window.demo_action.trigger()
    catalog = window.catalog
    qtbot.keyClicks(catalog.search_box, "court sneaker")
    qtbot.waitUntil(lambda: 1 < catalog.model.rowCount() < catalog.catalog_size)
    catalog.open_detail(catalog.model.index(0))
    detail = catalog.detail
    qtbot.waitUntil(lambda: detail.detail is not None and detail.variants.count() > 0)
    shown = detail.detail.card.id
    item = detail.variants.item(0)
    assert item.text() and "—" in item.text()
    variant_id = item.data(Qt.ItemDataRole.UserRole)
    assert variant_id != shown
    detail.variants.itemClicked.emit(item)  # what a click on the row does
    qtbot.waitUntil(lambda: detail.detail.card.id == variant_id)


def test_the_merchant_is_named_by_the_feed_not_guessed_from_the_file_name(
    qtbot: QtBot,
    window: MainWindow,
    tasks: TaskManager,
    fixtures_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    feed = fixtures_dir / "google_merchant" / "google_example_online_store_feed.xml"
    choose_file(monkeypatch, feed)
    window.import_action.trigger()
    dialog = window.imports.options_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.merchant.text() == "Example - Online Store")
    dialog.reject()
    # A name typed before the feed's is read is kept (the reading is in a worker).
    window.import_action.trigger()
    dialog = window.imports.options_dialog
    dialog.merchant.selectAll()
    qtbot.keyClicks(dialog.merchant, "My own name")
    qtbot.waitUntil(lambda: tasks.running == 0)
    assert dialog.merchant.text() == "My own name"
    dialog.reject()
    # A feed that names no store: the file name is the guess.
    shopify = tmp_path / "nordlys_coffee.json"
    shopify.write_bytes((fixtures_dir / "shopify_json" / "products.json").read_bytes())
    choose_file(monkeypatch, shopify)
    window.import_action.trigger()
    dialog = window.imports.options_dialog
    qtbot.waitUntil(lambda: tasks.running == 0)
    assert dialog.merchant.text() == "Nordlys Coffee"
    dialog.reject()


def test_the_report_without_rejected_rows_has_no_empty_space(qtbot: QtBot) -> None:
    from studio.core.catalog import ImportReport
    from studio.core.product import RejectedRow
    from studio.ui.catalog.import_dialog import ImportReportDialog

    clean = ImportReport("Lamp Shop", "google-xml", added=12, updated=3, unchanged=40)
    dialog = ImportReportDialog([clean])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.table.isHidden()
    from PySide6.QtWidgets import QDialogButtonBox

    close = dialog.findChild(QDialogButtonBox)
    gap = close.geometry().top() - dialog.summary.geometry().bottom()
    spacing = dialog.layout().spacing()
    assert gap <= 2 * spacing + 2, f"{gap}px between the counts and Close"
    assert dialog.height() < 200
    # With rejected rows, the table takes the room.
    bad = RejectedRow("line 4", "price is not a number", "bad-1")
    rejected = ImportReport("Lamp Shop", "google-xml", added=1, rejected=[bad])
    with_rows = ImportReportDialog([rejected])
    qtbot.addWidget(with_rows)
    with_rows.show()
    qtbot.waitExposed(with_rows)
    assert not with_rows.table.isHidden() and with_rows.height() >= 400
