"""studio.media.product_images: pictures for the shop page from files, URLs and the desktop cache.

Real image files written by Pillow, real hostile files, and http from a local server on
127.0.0.1: nothing here touches the internet.
"""

from __future__ import annotations

import base64
import functools
import http.server
import io
import struct
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from studio.media.product_images import (
    DETAIL_THUMB,
    cache_file,
    cached_thumbnail,
    product_image_uris,
)
from studio.media.thumbnails import save_thumbnail

PREFIX = "data:image/jpeg;base64,"


def _photo(
    path: Path, size: tuple[int, int] = (900, 600), colour: tuple[int, int, int] = (20, 130, 120)
) -> Path:
    Image.new("RGB", size, colour).save(path)
    return path


def _decode(uri: str) -> Image.Image:
    assert uri.startswith(PREFIX)
    img = Image.open(io.BytesIO(base64.b64decode(uri[len(PREFIX) :], validate=True)))
    assert img.format == "JPEG"
    return img.convert("RGB")


def _close(a: tuple[int, ...], b: tuple[int, ...], tolerance: int = 12) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


def test_a_local_file_and_a_file_url_become_jpeg_thumbnails(tmp_path: Path) -> None:
    source = _photo(tmp_path / "lamp.png")
    cache = tmp_path / "cache"
    uris = product_image_uris({"path": str(source), "url": source.as_uri()}, cache, size=300)
    assert set(uris) == {"path", "url"}
    for uri in uris.values():
        img = _decode(uri)
        assert img.size == (300, 200)  # longest side at most `size`, aspect kept
        assert _close(img.getpixel((150, 100)), (20, 130, 120))
    # Both were cached at the desktop's detail size, for the desktop and the next export.
    for url in (str(source), source.as_uri()):
        cached = cached_thumbnail(cache, url, DETAIL_THUMB)
        assert cached is not None and Image.open(cached).size == (480, 320)


def test_a_cached_thumbnail_is_used_without_the_source(tmp_path: Path) -> None:
    source = _photo(tmp_path / "chair.jpg")
    cache = tmp_path / "cache"
    first = product_image_uris({"chair": str(source)}, cache)
    source.unlink()
    again = product_image_uris({"chair": str(source)}, cache, fetch=False)
    assert again.keys() == {"chair"} and _decode(again["chair"]).size == _decode(
        first["chair"]
    ).size == (320, 213)
    assert product_image_uris({"chair": str(source)}, None) == {}  # no cache: source is gone


def test_the_desktops_cached_sizes_are_reused_when_large_enough(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    # Thumbnails the desktop cached (its detail pane at 480 px, its grid at 160 px), of
    # sources that no longer exist: only the cache can answer.
    save_thumbnail(
        Image.new("RGB", (480, 480), (200, 30, 30)),
        cache_file(cache, "https://cdn.invalid/red.jpg", 480).with_suffix(".jpg"),
    )
    save_thumbnail(
        Image.new("RGB", (160, 160), (30, 30, 200)),
        cache_file(cache, "https://cdn.invalid/blue.jpg", 160).with_suffix(".jpg"),
    )
    uris = product_image_uris(
        {"red": "https://cdn.invalid/red.jpg", "blue": "https://cdn.invalid/blue.jpg"},
        cache,
        fetch=False,
    )
    assert list(uris) == ["red"]  # 160 px would be blurry in a 320 px card
    img = _decode(uris["red"])
    assert img.size == (320, 320) and _close(img.getpixel((160, 160)), (200, 30, 30))


def _header_only_png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def test_broken_hostile_and_missing_pictures_are_skipped(tmp_path: Path) -> None:
    good = _photo(tmp_path / "good.png")
    (tmp_path / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 this is not a jpeg")
    (tmp_path / "bomb.png").write_bytes(_header_only_png(30_000, 30_000))  # 900 megapixels
    Image.new("RGB", (40, 40)).save(tmp_path / "old.bmp")  # a format never decoded
    (tmp_path / "notes.txt").write_text("hello")
    urls = {
        "good": str(good),
        "broken": str(tmp_path / "broken.jpg"),
        "bomb": (tmp_path / "bomb.png").as_uri(),
        "bmp": str(tmp_path / "old.bmp"),
        "text": str(tmp_path / "notes.txt"),
        "missing": str(tmp_path / "gone.png"),
        "ftp": "ftp://example.invalid/a.jpg",
        "blank": "  ",
    }
    cache = tmp_path / "cache"
    assert list(product_image_uris(urls, cache)) == ["good"]
    assert cached_thumbnail(cache, str(tmp_path / "broken.jpg"), DETAIL_THUMB) is None


def test_at_most_limit_pictures_in_the_mappings_order(tmp_path: Path) -> None:
    urls = {f"p{i}": str(_photo(tmp_path / f"p{i}.png", (50, 50))) for i in range(6)}
    urls["p2"] = str(tmp_path / "missing.png")  # a failed picture still counts against it
    uris = product_image_uris(urls, None, limit=4)
    assert list(uris) == ["p0", "p1", "p3"]
    assert product_image_uris(urls, None, limit=0) == {}
    # Keys sharing a picture share its one decode and both get it.
    shared = product_image_uris({"a": urls["p0"], "b": urls["p0"]}, None)
    assert shared["a"] == shared["b"]


def test_transparency_is_laid_on_white_not_black(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    img = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    img.paste((200, 0, 0, 255), (25, 25, 75, 75))
    img.save(logo)
    uri = product_image_uris({"logo": str(logo)}, tmp_path / "cache")["logo"]
    shown = _decode(uri)
    assert _close(shown.getpixel((5, 5)), (255, 255, 255))
    assert _close(shown.getpixel((50, 50)), (200, 0, 0), tolerance=20)
    # The cached thumbnail keeps its alpha (PNG): the desktop draws it on its own background.
    cached = cached_thumbnail(tmp_path / "cache", str(logo), DETAIL_THUMB)
    assert cached is not None and cached.suffix == ".png"


@pytest.fixture
def http_root(tmp_path: Path) -> Iterator[tuple[str, Path, list[str]]]:
    root = tmp_path / "www"
    root.mkdir()
    requests: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            super().do_GET()

        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Handler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", root, requests
    server.shutdown()
    server.server_close()


def test_http_pictures_are_downloaded_once_then_cached(
    http_root: tuple[str, Path, list[str]], tmp_path: Path
) -> None:
    base, root, requests = http_root
    _photo(root / "p1.jpg", (400, 400), (240, 160, 20))
    cache = tmp_path / "cache"
    urls = {"p1": f"{base}/p1.jpg", "p404": f"{base}/missing.jpg"}
    uris = product_image_uris(urls, cache, timeout=2.0)
    assert list(uris) == ["p1"] and _decode(uris["p1"]).size == (320, 320)
    assert sorted(requests) == ["/missing.jpg", "/p1.jpg"]
    assert product_image_uris(urls, cache, timeout=2.0).keys() == {"p1"}
    assert sorted(requests) == ["/missing.jpg", "/missing.jpg", "/p1.jpg"]  # p1 from cache


def test_a_host_that_keeps_failing_is_asked_once_per_page(
    http_root: tuple[str, Path, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, _root, requests = http_root
    # One thread, so the order is known: the first failure marks the host for the rest.
    monkeypatch.setattr("studio.media.product_images.FETCH_THREADS", 1)
    urls = {"down": f"{base}/fail/a.jpg", "also": f"{base}/fail/b.jpg", "ok": f"{base}/ok.png"}

    def failing(self: http.server.SimpleHTTPRequestHandler) -> None:  # recorded by Handler
        self.send_error(503)

    monkeypatch.setattr(http.server.SimpleHTTPRequestHandler, "do_GET", failing)
    assert product_image_uris(urls, None, timeout=2.0) == {}
    assert requests == ["/fail/a.jpg", "/fail/a.jpg"]  # one retry of a 503, then no more
