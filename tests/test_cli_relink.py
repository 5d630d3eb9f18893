"""``studio import-feed`` re-links what an archive restored before its catalog arrived."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PIL import Image

from studio.cli import main
from studio.protocol.kinds import KINDS
from studio.system.paths import resolve_paths

MERCHANT = "Example Online Store"


def _archive(tmp_path: Path, feed: Path) -> Path:
    """An archive from a home holding ``feed``: a look tag, a shelved product, a board
    product and a review, all of the feed's first product."""
    from studio.core.boards import BoardItem, BoardItemKind
    from studio.core.catalog import SearchQuery
    from studio.core.looks import ProductRef
    from studio.services.feeds import FeedJob, import_feeds
    from studio.services.workspace import open_workspace
    from studio.store.archive import export_archive

    ws = open_workspace(resolve_paths(tmp_path / "other").ensure())
    try:
        import_feeds(ws, [FeedJob(feed, MERCHANT)])
        product_id = int(ws.catalog.search(SearchQuery(text="", limit=1)).ids[0])
        detail = ws.catalog.detail(product_id)
        assert detail is not None
        ref = ProductRef(product_id, MERCHANT, detail.offer_id)
        picture = tmp_path / "p.png"
        Image.new("RGB", (640, 480), "#884422").save(picture)
        stored = ws.media.import_file(picture)
        look = ws.looks.create_look("Look")
        photo = ws.looks.add_photo(look.id, stored.hash, stored.width, stored.height)
        ws.looks.add_hotspot(photo.id, ref, 0.5, 0.5)
        shop = ws.shops.create_shop("mine", "Mine")
        ws.shops.add_item(ws.shops.add_section(shop.id, "First").id, ref)
        board = ws.boards.create_board("Board")
        ws.boards.add_item(
            BoardItem("", board.id, BoardItemKind.PRODUCT, 100, 100, 80, 100, product=ref)
        )
        ws.reviews.create(ref, 4, title="Good")
        out = tmp_path / "mine.zip"
        export_archive(ws.db, out, ws.media.path)
        return out
    finally:
        ws.db.close()


def _product_ids(home: Path) -> dict[str, list[object]]:
    conn = sqlite3.connect(resolve_paths(str(home)).database)
    try:
        return {
            k.table: [r[0] for r in conn.execute(f"SELECT product_id FROM {k.table}")]
            for k in KINDS
            if k.product
        }
    finally:
        conn.close()


def test_import_feed_re_links_every_kind_restored_before_the_catalog(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fixtures_dir: Path
) -> None:
    feed = fixtures_dir / "google_merchant" / "google_example_online_store_feed.xml"
    archive = _archive(tmp_path, feed)
    home = str(tmp_path / "home")
    assert main(["--home", home, "archive", "import", str(archive)]) == 0
    restored = _product_ids(tmp_path / "home")
    assert all(len(ids) == 1 for ids in restored.values()), restored  # every kind, each once
    assert all(i is None for ids in restored.values() for i in ids)
    assert main(["--home", home, "import-feed", str(feed), "--merchant", MERCHANT]) == 0
    capsys.readouterr()
    linked = _product_ids(tmp_path / "home")
    assert all(isinstance(i, int) for ids in linked.values() for i in ids), linked
