"""The demo workspace shows what the studio makes: a look with a tagged photo, a board, a shop
and a review, written through the stores (with their outbox entries), and never twice."""

from __future__ import annotations

from pathlib import Path

from studio.media.demo import demo_feeds
from studio.services.demo_content import add_demo_content, demo_id
from studio.services.feeds import FeedJob, import_feeds
from studio.services.workspace import open_workspace
from studio.system.paths import resolve_paths


def test_the_demo_brings_a_look_a_board_a_shop_and_a_review_once(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "home").ensure()
    with open_workspace(paths) as ws:
        jobs = [
            FeedJob(f.path, f.merchant, f.format, True, f.default_currency, f.shop_url)
            for f in demo_feeds(paths.image_cache)
        ]
        import_feeds(ws, jobs)
        first = add_demo_content(ws)
        assert first.added == ["look", "board", "shop", "review"]

        look = ws.looks.document(demo_id("look"))
        assert look is not None and len(look.photos) == 1
        photo = look.photos[0]
        assert min(photo.width, photo.height) >= 1080 and ws.media.has(photo.media_hash)
        tagged = [h.product.offer_id for h in look.hotspots]
        assert len(tagged) == 3 and all(h.product.product_id for h in look.hotspots)
        board = ws.boards.document(demo_id("board"))
        assert board is not None and len(board.items) == 3
        # Each product with its picture, as one dropped on a board gets once fetched.
        assert all(i.media_hash and ws.media.has(i.media_hash) for i in board.items)
        assert all(max(i.width, i.height) == 360 for i in board.items)
        shop = ws.shops.document(demo_id("shop"))
        assert shop is not None and len(shop.items) == 3
        review = ws.reviews.get(demo_id("review"))
        assert review is not None and review.rating == 4 and review.pros
        assert review.product.offer_id == tagged[0]
        with ws.db.connect() as conn:  # written as edits are: each with its outbox entry
            queued = {r[0] for r in conn.execute("SELECT DISTINCT entity FROM outbox")}
        assert {"look", "look_photo", "hotspot", "board", "shop", "review"} <= queued

        # Loading the demo again duplicates nothing; a trashed demo look stays trashed.
        ws.looks.trash_look(demo_id("look"))
        again = add_demo_content(ws)
        assert again.added == []
        assert len(ws.looks.summaries()) == 0
        assert len(ws.boards.summaries()) == len(ws.shops.summaries()) == 1
        assert len(ws.reviews.summaries()) == 1


def test_a_demo_board_loaded_without_pictures_gets_them(tmp_path: Path) -> None:
    """A workspace whose demo board was written before it carried pictures showed "Loading
    image…" forever: loading the demo again gives its items their pictures."""
    paths = resolve_paths(tmp_path / "home").ensure()
    with open_workspace(paths) as ws:
        jobs = [
            FeedJob(f.path, f.merchant, f.format, True, f.default_currency, f.shop_url)
            for f in demo_feeds(paths.image_cache)
        ]
        import_feeds(ws, jobs)
        add_demo_content(ws)
        board = ws.boards.document(demo_id("board"))
        assert board is not None
        ws.boards.update_items([(i.id, {"media_hash": None}) for i in board.items])
        assert add_demo_content(ws).added == []
        board = ws.boards.document(demo_id("board"))
        assert board is not None and all(i.media_hash for i in board.items)
