"""studio.media.product_images: pictures for the shop page from URLs and the desktop cache.

Real image files written by Pillow and real hostile files, served over http by a local server
on 127.0.0.1 standing in for a merchant's CDN (``allow_loopback``: the studio itself never
fetches from a local address): nothing here touches the internet.
"""

from __future__ import annotations

import base64
import http.server
import io
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from studio.media.product_images import (
    DESKTOP_SIZES,
    DETAIL_THUMB,
    cache_file,
    cached_original,
    cached_thumbnail,
    fetch_image,
    product_image_uris,
    seed_cache,
)
from studio.media.thumbnails import save_thumbnail
from tests.media.picture_server import PictureServer, allow_loopback, serving, watching

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


@pytest.fixture
def cdn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PictureServer]:
    allow_loopback(monkeypatch)
    with serving(tmp_path / "www") as server:
        yield server


def test_pictures_become_jpeg_thumbnails_and_are_cached_for_the_desktop(
    cdn: PictureServer, tmp_path: Path
) -> None:
    _photo(cdn.root / "lamp.png")
    cache = tmp_path / "cache"
    url = f"{cdn.base}/lamp.png"
    uris = product_image_uris({"lamp": url}, cache, size=300)
    img = _decode(uris["lamp"])
    assert img.size == (300, 200)  # longest side at most `size`, aspect kept
    assert _close(img.getpixel((150, 100)), (20, 130, 120))
    # Cached at the desktop's detail size, for the desktop and the next export.
    cached = cached_thumbnail(cache, url, DETAIL_THUMB)
    assert cached is not None and Image.open(cached).size == (480, 320)


def test_a_cached_thumbnail_is_used_without_the_source(cdn: PictureServer, tmp_path: Path) -> None:
    source = _photo(cdn.root / "chair.jpg")
    url = f"{cdn.base}/chair.jpg"
    cache = tmp_path / "cache"
    first = product_image_uris({"chair": url}, cache)
    source.unlink()
    again = product_image_uris({"chair": url}, cache, fetch=False)
    assert again.keys() == {"chair"} and _decode(again["chair"]).size == _decode(
        first["chair"]
    ).size == (320, 213)
    assert product_image_uris({"chair": url}, None) == {}  # no cache: the source is gone


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


def test_broken_hostile_and_missing_pictures_are_skipped(
    cdn: PictureServer, tmp_path: Path
) -> None:
    root = cdn.root
    _photo(root / "good.png")
    (root / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 this is not a jpeg")
    (root / "bomb.png").write_bytes(_header_only_png(30_000, 30_000))  # 900 megapixels
    Image.new("RGB", (40, 40)).save(root / "old.bmp")  # a format never decoded
    (root / "notes.txt").write_text("hello")
    names = ("good.png", "broken.jpg", "bomb.png", "old.bmp", "notes.txt", "gone.png")
    urls = {name: f"{cdn.base}/{name}" for name in names}
    urls |= {"ftp": "ftp://example.invalid/a.jpg", "blank": "  "}
    cache = tmp_path / "cache"
    assert list(product_image_uris(urls, cache, timeout=2.0)) == ["good.png"]
    assert cached_thumbnail(cache, urls["broken.jpg"], DETAIL_THUMB) is None


def test_at_most_limit_pictures_in_the_mappings_order(cdn: PictureServer) -> None:
    urls = {f"p{i}": f"{cdn.base}/p{i}.png" for i in range(6)}
    for i in range(6):
        if i != 2:  # a failed picture still counts against the limit
            _photo(cdn.root / f"p{i}.png", (50, 50))
    uris = product_image_uris(urls, None, limit=4, timeout=2.0)
    assert list(uris) == ["p0", "p1", "p3"]
    assert product_image_uris(urls, None, limit=0) == {}
    # Keys sharing a picture share its one download and decode, and both get it.
    cdn.requests.clear()
    shared = product_image_uris({"a": urls["p0"], "b": urls["p0"]}, None)
    assert shared["a"] == shared["b"] and cdn.requests == ["/p0.png"]


def test_transparency_is_laid_on_white_not_black(cdn: PictureServer, tmp_path: Path) -> None:
    img = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    img.paste((200, 0, 0, 255), (25, 25, 75, 75))
    img.save(cdn.root / "logo.png")
    url = f"{cdn.base}/logo.png"
    shown = _decode(product_image_uris({"logo": url}, tmp_path / "cache")["logo"])
    assert _close(shown.getpixel((5, 5)), (255, 255, 255))
    assert _close(shown.getpixel((50, 50)), (200, 0, 0), tolerance=20)
    # The cached thumbnail keeps its alpha (PNG): the desktop draws it on its own background.
    cached = cached_thumbnail(tmp_path / "cache", url, DETAIL_THUMB)
    assert cached is not None and cached.suffix == ".png"


def test_http_pictures_are_downloaded_once_then_cached(cdn: PictureServer, tmp_path: Path) -> None:
    _photo(cdn.root / "p1.jpg", (400, 400), (240, 160, 20))
    cache = tmp_path / "cache"
    urls = {"p1": f"{cdn.base}/p1.jpg", "p404": f"{cdn.base}/missing.jpg"}
    uris = product_image_uris(urls, cache, timeout=2.0)
    assert list(uris) == ["p1"] and _decode(uris["p1"]).size == (320, 320)
    assert sorted(cdn.requests) == ["/missing.jpg", "/p1.jpg"]
    # The connection went to the address vetted, naming the host the URL names.
    assert set(cdn.hosts) == {f"127.0.0.1:{cdn.port}"}
    assert product_image_uris(urls, cache, timeout=2.0).keys() == {"p1"}
    assert sorted(cdn.requests) == ["/missing.jpg", "/missing.jpg", "/p1.jpg"]  # p1 cached


def test_a_host_that_keeps_failing_is_asked_once_per_page(
    cdn: PictureServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One thread, so the order is known: the first failure marks the host for the rest.
    monkeypatch.setattr("studio.media.product_images.FETCH_THREADS", 1)
    base = cdn.base
    urls = {"down": f"{base}/fail/a.jpg", "also": f"{base}/fail/b.jpg", "ok": f"{base}/ok.png"}

    def failing(self: http.server.SimpleHTTPRequestHandler) -> None:  # recorded by Handler
        self.send_error(503)

    monkeypatch.setattr(http.server.SimpleHTTPRequestHandler, "do_GET", failing)
    assert product_image_uris(urls, None, timeout=2.0) == {}
    assert cdn.requests == ["/fail/a.jpg", "/fail/a.jpg"]  # one retry of a 503, then no more


def test_a_seeded_cache_answers_without_any_fetch_or_file_named_by_the_url(
    tmp_path: Path,
) -> None:
    (tmp_path / "shipped").mkdir()
    shipped = _photo(tmp_path / "shipped" / "cap.jpg", (480, 480), (180, 40, 160))
    cache = tmp_path / "cache"
    url = "https://demo.vitrine.invalid/images/cap.jpg"
    assert seed_cache(cache, {url: shipped}) == 1 + len(DESKTOP_SIZES)
    assert seed_cache(cache, {url: shipped}) == 0  # kept: seeding again writes nothing
    for size in DESKTOP_SIZES:
        cached = cached_thumbnail(cache, url, size)
        assert cached is not None and max(Image.open(cached).size) == min(size, 480)
    original = cached_original(cache, url)
    assert original is not None and original.read_bytes() == shipped.read_bytes()
    expected = shipped.read_bytes()
    with watching() as watch:
        got = fetch_image(url, cache_dir=cache)
        page = product_image_uris({"cap": url}, cache)
    assert got == expected
    assert _close(_decode(page["cap"]).getpixel((100, 100)), (180, 40, 160))
    assert watch.connected == [] and str(shipped) not in watch.opened
