"""The pickers' link lookup: links normalised sensibly, found through the catalog's index."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.store.search_pick import by_link, looks_like_link, merchant_matches, normalise_link


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://shop.example/p/1", "http://www.shop.example/p/1/"),
        ("https://Shop.Example/p/1?utm_source=x&utm_campaign=y", "https://shop.example/p/1"),
        ("https://shop.example/p/1?gclid=abc#reviews", "https://shop.example/p/1"),
        ("https://shop.example/p?id=2&colour=red", "https://shop.example/p/?colour=red&id=2"),
        ("www.shop.example/p/1", "https://shop.example/p/1"),
    ],
)
def test_links_of_one_page_normalise_alike(a: str, b: str) -> None:
    assert normalise_link(a) == normalise_link(b) is not None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://shop.example/p/1", "https://shop.example/p/2"),
        ("https://shop.example/p?id=1", "https://shop.example/p?id=2"),
        ("https://shop.example/P/1", "https://shop.example/p/1"),  # paths are case-sensitive
        ("https://shop.example/p/1", "https://other.example/p/1"),
    ],
)
def test_links_of_other_pages_stay_apart(a: str, b: str) -> None:
    assert normalise_link(a) != normalise_link(b)


def test_what_is_not_a_link() -> None:
    assert not looks_like_link("merino beanie")
    assert normalise_link("ftp://shop.example/p/1") is None
    assert normalise_link("javascript:alert(1)") is None


def test_merchant_words() -> None:
    names = ["Atelier Verde", "Trailhead Outfitters", "Maison Lumière"]
    assert merchant_matches(names, "trail beanie") == {"Trailhead Outfitters": ["beanie"]}
    assert merchant_matches(names, "lumière") == {"Maison Lumière": []}
    assert merchant_matches(names, "at") == {}  # too short to name a merchant


def test_by_link_probes_the_index(tmp_path: Path) -> None:
    from studio.core.catalog import SearchQuery
    from studio.media.demo import demo_feeds
    from studio.services.feeds import FeedJob, import_feeds
    from studio.services.workspace import open_workspace
    from studio.system.paths import resolve_paths

    ws = open_workspace(resolve_paths(tmp_path).ensure())
    try:
        import_feeds(ws, [FeedJob(f.path, f.merchant, f.format) for f in demo_feeds()])
        beanie = int(ws.catalog.search(SearchQuery(text="merino rib beanie", limit=1)).ids[0])
        with ws.db.catalog_db.connect() as conn:
            assert by_link(conn, "http://www.trailhead.example/p/th-bean-01/?utm_source=x") == [
                beanie
            ]
            assert by_link(conn, "https://trailhead.example/p/th-bean-0") == []
            plan = conn.execute(
                "EXPLAIN QUERY PLAN SELECT id, link FROM products WHERE link >= ? AND link < ?",
                ("a", "b"),
            ).fetchall()
        assert "ix_products_link" in str(plan)
    finally:
        ws.db.close()
