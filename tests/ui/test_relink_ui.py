"""Tags restored from an archive before their catalog re-link when the catalog arrives later.

An archive made on another machine is imported into a workspace without a catalog: its look
tags, shelved products, board products and reviews name products (merchant + offer id) that
are not there yet. Loading the catalog afterwards, by any import, points every one of them at
its product: the open look's tag list shows the product, not "No longer in the catalog".
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from test_looks_helpers import open_studio

from studio.core.catalog import SearchQuery
from studio.protocol.kinds import KINDS
from studio.system.paths import Paths, resolve_paths
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui

PRODUCT_KINDS = [k for k in KINDS if k.product]


def _archive_over_the_demo(tmp_path: Path) -> tuple[Path, str, str]:
    """An archive from another workspace holding the demo catalog: a look tagged with a
    demo product, that product on a shop's shelf and on a board, and a review of it.
    Returns the archive, the look's id and the product's title."""
    from studio.core.boards import BoardItem, BoardItemKind
    from studio.core.looks import ProductRef
    from studio.media.demo import demo_feeds
    from studio.services.feeds import FeedJob, import_feeds
    from studio.services.workspace import open_workspace
    from studio.store.archive import export_archive

    ws = open_workspace(resolve_paths(tmp_path / "other").ensure())
    try:
        import_feeds(ws, [FeedJob(f.path, f.merchant, f.format) for f in demo_feeds()])
        found = ws.catalog.search(SearchQuery(text="merino beanie", limit=5))
        product_id = int(found.ids[0])
        detail = ws.catalog.detail(product_id)
        assert detail is not None
        ref = ProductRef(product_id, detail.card.merchant, detail.offer_id)
        picture = tmp_path / "street.png"
        Image.new("RGB", (640, 480), "#2a6f97").save(picture)
        stored = ws.media.import_file(picture)
        look = ws.looks.create_look("Winter walk")
        photo = ws.looks.add_photo(look.id, stored.hash, stored.width, stored.height)
        ws.looks.add_hotspot(photo.id, ref, 0.5, 0.5)
        shop = ws.shops.create_shop("winter", "Winter")
        ws.shops.add_item(ws.shops.add_section(shop.id, "Warm").id, ref)
        board = ws.boards.create_board("Cold days")
        ws.boards.add_item(
            BoardItem("", board.id, BoardItemKind.PRODUCT, 200, 200, 160, 200, product=ref)
        )
        ws.reviews.create(ref, 5, title="Warm, no itch")
        out = tmp_path / "winter.zip"
        export_archive(ws.db, out, ws.media.path)
        return out, look.id, detail.card.title
    finally:
        ws.db.close()


def _linked(paths: Paths) -> dict[str, list[object]]:
    conn = sqlite3.connect(paths.database)
    try:
        return {
            k.table: [r[0] for r in conn.execute(f"SELECT product_id FROM {k.table}")]
            for k in PRODUCT_KINDS
        }
    finally:
        conn.close()


def test_tags_restored_before_the_catalog_re_link_when_the_demo_loads(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, empty_store: Any, tmp_path: Path
) -> None:
    archive, look_id, title = _archive_over_the_demo(tmp_path)
    studio = open_studio(qtbot, tasks, paths, empty_store)
    window = studio.window
    with qtbot.waitSignal(window.archive.finished, timeout=20_000):
        window.archive.import_(archive)  # File > Import archive…, the file chosen
    window.archive.report_box.close()  # type: ignore[union-attr]
    linked = _linked(paths)
    assert {table for table, ids in linked.items() if ids} == {k.table for k in PRODUCT_KINDS}
    assert all(i is None for ids in linked.values() for i in ids)  # no catalog yet

    window.show_workspace("looks")
    library = window.looks.library
    qtbot.waitUntil(lambda: library.model.rowCount() == 1)
    library.view.setFocus()
    library.view.setCurrentIndex(library.model.index(0, 0))
    QTest.keyClick(library.view, Qt.Key.Key_Return)  # open it
    editor = window.looks.editor
    qtbot.waitUntil(lambda: editor.doc is not None and editor.doc.look.id == look_id)
    tagged = editor.products.tagged
    qtbot.waitUntil(lambda: "No longer in the catalog" in tagged.item(0).text())

    with qtbot.waitSignal(window.imports.imported, timeout=30_000):
        window.demo_action.trigger()  # the catalog arrives
    qtbot.waitUntil(lambda: title in tagged.item(0).text(), timeout=10_000)
    assert tasks.wait_written()
    linked = _linked(paths)
    assert all(isinstance(i, int) for ids in linked.values() for i in ids), linked
