"""The image loader: http pictures, the disk cache, refused sources, failures, dropped requests.

Nothing here touches the internet: http is served by a local server on 127.0.0.1 standing in
for a merchant's CDN (``allow_loopback``; the studio itself never fetches from a local
address, as the refusal tests show).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from pytestqt.qtbot import QtBot

from studio.media.product_images import cache_file
from studio.ui.tasks import TaskManager
from studio.ui.widgets.images import ImageLoader
from tests.media.picture_server import PictureServer, allow_loopback, serving, watching

pytestmark = pytest.mark.gui


@pytest.fixture
def tasks(qtbot: QtBot) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown()


@pytest.fixture
def cdn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PictureServer]:
    allow_loopback(monkeypatch)
    with serving(tmp_path / "www") as server:
        yield server


def _photo(path: Path, size: tuple[int, int] = (640, 480), colour: str = "teal") -> Path:
    Image.new("RGB", size, colour).save(path)
    return path


def _load(qtbot: QtBot, loader: ImageLoader, url: str) -> None:
    loader.image(url)
    qtbot.waitUntil(lambda: loader.image(url) is not None or loader.is_failed(url))


def test_a_picture_is_scaled_off_thread_and_cached_on_disk(
    qtbot: QtBot, tasks: TaskManager, cdn: PictureServer, tmp_path: Path
) -> None:
    source = _photo(cdn.root / "shirt.jpg")
    url = f"{cdn.base}/shirt.jpg"
    cache = tmp_path / "cache"
    loader = ImageLoader(tasks, cache, size=120)
    assert loader.image(url) is None  # not ready yet: the caller paints a placeholder
    _load(qtbot, loader, url)
    image = loader.image(url)
    assert image is not None and (image.width(), image.height()) == (120, 90)
    cached = list(cache_file(cache, url, 120).parent.glob("*.jpg"))
    assert len(cached) == 1

    # A new loader (a new run) is served from the disk cache even if the source is gone.
    source.unlink()
    again = ImageLoader(tasks, cache, size=120)
    _load(qtbot, again, url)
    reloaded = again.image(url)
    assert reloaded is not None and reloaded.width() == 120
    assert reloaded.pixelColor(60, 45).green() > 100  # still the teal photo
    assert cdn.requests == ["/shirt.jpg"]


def test_transparency_is_kept(qtbot: QtBot, tasks: TaskManager, cdn: PictureServer) -> None:
    Image.new("RGBA", (200, 100), (255, 0, 0, 0)).save(cdn.root / "logo.png")
    loader = ImageLoader(tasks, None, size=50)
    _load(qtbot, loader, f"{cdn.base}/logo.png")
    image = loader.image(f"{cdn.base}/logo.png")
    assert image is not None and image.hasAlphaChannel()
    assert image.pixelColor(10, 10).alpha() == 0


def test_local_files_and_local_addresses_named_by_a_feed_are_never_read_or_fetched(
    qtbot: QtBot, tasks: TaskManager, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = _photo(tmp_path / "secret.jpg", (64, 64), "red")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    with serving(tmp_path / "www") as local:
        _photo(local.root / "x.jpg", (64, 64), "red")
        urls = [
            secret.as_uri(),
            str(secret),
            "../secret.jpg",
            f"{local.base}/x.jpg",
            f"http://localhost:{local.port}/x.jpg",
        ]
        loader = ImageLoader(tasks, tmp_path / "cache", size=32)
        with watching() as watch:
            for url in urls:
                _load(qtbot, loader, url)
                assert loader.is_failed(url) and loader.image(url) is None
        assert local.requests == []
    assert str(secret) not in watch.opened and watch.connected == []


def test_http_images_are_downloaded(
    qtbot: QtBot, tasks: TaskManager, cdn: PictureServer, tmp_path: Path
) -> None:
    _photo(cdn.root / "p1.png", (300, 300), "orange")
    loader = ImageLoader(tasks, tmp_path / "cache", size=64)
    _load(qtbot, loader, f"{cdn.base}/p1.png")
    image = loader.image(f"{cdn.base}/p1.png")
    assert image is not None and image.width() == 64


def test_missing_and_broken_images_fail_once_and_are_logged_once(
    qtbot: QtBot,
    tasks: TaskManager,
    cdn: PictureServer,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    (cdn.root / "broken.jpg").write_bytes(b"\xff\xd8 this is not a jpeg")
    loader = ImageLoader(tasks, tmp_path / "cache", size=64)
    urls = [
        f"{cdn.base}/missing.jpg",
        f"{cdn.base}/broken.jpg",
        str(tmp_path / "nope.png"),
        "ftp://example.invalid/a.jpg",
    ]
    for url in urls:
        _load(qtbot, loader, url)
        assert loader.is_failed(url)
        assert loader.image(url) is None  # asking again does not retry or log again
    qtbot.waitUntil(lambda: loader.pending == 0)
    warnings = [r for r in caplog.records if "not shown" in r.getMessage()]
    assert len(warnings) == len(urls)


def test_requests_scrolled_out_of_view_are_dropped(
    qtbot: QtBot, tasks: TaskManager, cdn: PictureServer
) -> None:
    for i in range(12):
        _photo(cdn.root / f"p{i}.png", (64, 64))
    sources = [f"{cdn.base}/p{i}.png" for i in range(12)]
    loader = ImageLoader(tasks, None, size=32, max_inflight=1)
    for url in sources:
        loader.image(url)
    loader.retain(sources[-2:])  # only the last two cards are still on screen
    qtbot.waitUntil(lambda: loader.pending == 0)
    loaded = [u for u in sources if loader.image(u) is not None]
    # The first request was already running; the other dropped ones were never loaded.
    assert set(sources[-2:]) <= set(loaded)
    assert len(loaded) <= 3
