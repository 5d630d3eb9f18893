"""The demo platform (`make server`) lists the demo merchants' products with the demo's
picture URLs: a studio that gets them from the platform, never having loaded the demo
catalog itself, shows their pictures (the shipped ones, seeded into its image cache)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from studio.media.demo import demo_feeds
from studio.media.product_images import cached_original
from studio.services.platform import PlatformService
from studio.services.workspace import open_workspace
from studio.system.paths import resolve_paths
from tests.platform_server import PASSWORD, Server, start_server, stop_server


@pytest.fixture(scope="module")
def demo_platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real server holding one demo merchant's feed, ingested with the admin command."""
    root = tmp_path_factory.mktemp("demo-platform")
    seed = Server("", root / "data", None, root / "none.log")  # type: ignore[arg-type]
    seed.admin("migrate")
    feed = next(f for f in demo_feeds() if f.merchant == "Atelier Verde")
    seed.admin("merchants", "add", feed.merchant, "--rate", "9%")
    seed.ingest(feed.path, feed.merchant, "--format", feed.format)
    server = start_server(root / "data")
    try:
        yield server
    finally:
        stop_server(server)


def test_products_from_the_demo_platform_show_the_shipped_pictures(
    demo_platform: Server, studio_home: Path
) -> None:
    paths = resolve_paths(studio_home).ensure()
    with open_workspace(paths) as ws:
        service = PlatformService(paths)
        service.sign_in(demo_platform.url, demo_platform.sign_up(), PASSWORD, "test studio")
        report = service.update_catalog(ws)
        assert report.upserts > 10
        links = [c.image_link for c in ws.catalog.cards(range(1, report.upserts + 1))]
    assert links and all(
        link and link.startswith("https://demo.vitrine.invalid/") for link in links
    )
    assert all(cached_original(paths.image_cache, str(link)) is not None for link in links)
