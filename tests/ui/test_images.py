"""The image loader: local files, file:// and http URLs, disk cache, failures, dropped requests.

Nothing here touches the internet: http is served by a local server on 127.0.0.1.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from pytestqt.qtbot import QtBot

from studio.media.product_images import cache_file
from studio.ui.tasks import TaskManager
from studio.ui.widgets.images import ImageLoader

pytestmark = pytest.mark.gui


@pytest.fixture
def tasks(qtbot: QtBot) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown()


def _photo(path: Path, size: tuple[int, int] = (640, 480), colour: str = "teal") -> Path:
    Image.new("RGB", size, colour).save(path)
    return path


def _load(qtbot: QtBot, loader: ImageLoader, url: str) -> None:
    loader.image(url)
    qtbot.waitUntil(lambda: loader.image(url) is not None or loader.is_failed(url))


def test_a_local_file_is_scaled_off_thread_and_cached_on_disk(
    qtbot: QtBot, tasks: TaskManager, tmp_path: Path
) -> None:
    source = _photo(tmp_path / "shirt.jpg")
    cache = tmp_path / "cache"
    loader = ImageLoader(tasks, cache, size=120)
    assert loader.image(str(source)) is None  # not ready yet: the caller paints a placeholder
    _load(qtbot, loader, str(source))
    image = loader.image(str(source))
    assert image is not None and (image.width(), image.height()) == (120, 90)
    cached = list(cache_file(cache, str(source), 120).parent.glob("*.jpg"))
    assert len(cached) == 1

    # A new loader (a new run) is served from the disk cache even if the source is gone.
    source.unlink()
    again = ImageLoader(tasks, cache, size=120)
    _load(qtbot, again, str(source))
    reloaded = again.image(str(source))
    assert reloaded is not None and reloaded.width() == 120
    assert reloaded.pixelColor(60, 45).green() > 100  # still the teal photo


def test_file_urls_and_transparency(qtbot: QtBot, tasks: TaskManager, tmp_path: Path) -> None:
    source = tmp_path / "logo.png"
    Image.new("RGBA", (200, 100), (255, 0, 0, 0)).save(source)
    loader = ImageLoader(tasks, tmp_path / "cache", size=50)
    _load(qtbot, loader, source.as_uri())
    image = loader.image(source.as_uri())
    assert image is not None and image.hasAlphaChannel()
    assert image.pixelColor(10, 10).alpha() == 0


@pytest.fixture
def http_root(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a, **k: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", root
    server.shutdown()
    server.server_close()


def test_http_images_are_downloaded(
    qtbot: QtBot, tasks: TaskManager, http_root: tuple[str, Path], tmp_path: Path
) -> None:
    base, root = http_root
    _photo(root / "p1.png", (300, 300), "orange")
    loader = ImageLoader(tasks, tmp_path / "cache", size=64)
    _load(qtbot, loader, f"{base}/p1.png")
    image = loader.image(f"{base}/p1.png")
    assert image is not None and image.width() == 64


def test_missing_and_broken_images_fail_once_and_are_logged_once(
    qtbot: QtBot,
    tasks: TaskManager,
    http_root: tuple[str, Path],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    base, root = http_root
    (root / "broken.jpg").write_bytes(b"\xff\xd8 this is not a jpeg")
    loader = ImageLoader(tasks, tmp_path / "cache", size=64)
    urls = [
        f"{base}/missing.jpg",
        f"{base}/broken.jpg",
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
    qtbot: QtBot, tasks: TaskManager, tmp_path: Path
) -> None:
    sources = [str(_photo(tmp_path / f"p{i}.png", (64, 64))) for i in range(12)]
    loader = ImageLoader(tasks, None, size=32, max_inflight=1)
    for url in sources:
        loader.image(url)
    loader.retain(sources[-2:])  # only the last two cards are still on screen
    qtbot.waitUntil(lambda: loader.pending == 0)
    loaded = [u for u in sources if loader.image(u) is not None]
    # The first request was already running; the other dropped ones were never loaded.
    assert set(sources[-2:]) <= set(loaded)
    assert len(loaded) <= 3
