"""The shipped demo catalog: its pictures come from the seeded cache, feeds parse cleanly and
match the generator."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFont

from studio.core.product import ProductRecord, RejectedRow
from studio.feeds import FORMATS, open_feed
from studio.media.demo import (
    ENV_RESOURCES,
    IMAGE_BASE_URL,
    DemoFeed,
    demo_dir,
    demo_feeds,
    demo_images,
    resources_dir,
)
from studio.media.product_images import (
    DESKTOP_SIZES,
    cached_original,
    cached_thumbnail,
    product_image_uris,
)
from studio.media.thumbnails import make_thumbnail
from tests.media.picture_server import watching

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def feeds() -> list[DemoFeed]:
    return demo_feeds()


def test_four_merchants_in_four_real_formats(feeds: list[DemoFeed]) -> None:
    assert [f.format for f in feeds] == [
        "google-xml",
        "google-tsv",
        "shopify-json",
        "woocommerce-csv",
    ]
    assert {f.format for f in feeds} <= set(FORMATS)
    assert len({f.merchant for f in feeds}) == 4
    path, merchant, fmt = feeds[0]  # unpacks as the plain (path, merchant, format) triple
    assert path.is_file() and merchant == "Maison Lumière" and fmt == "google-xml"
    assert feeds[2].default_currency == "USD" and feeds[2].shop_url
    assert feeds[0].default_currency is None


def test_feeds_name_every_shipped_image_by_an_https_url_that_never_resolves(
    feeds: list[DemoFeed],
) -> None:
    assert IMAGE_BASE_URL.startswith("https://") and ".invalid/" in IMAGE_BASE_URL
    shipped = demo_images()
    seen = set()
    for feed in feeds:
        assert feed.path.parent == demo_dir()  # the shipped file itself: no copy is written
        text = feed.path.read_text(encoding="utf-8")
        assert "file:" not in text and not re.search(r"(?<![\w/.:%-])images/", text)
        seen |= set(re.findall(re.escape(IMAGE_BASE_URL) + r"[\w.-]+", text))
    assert seen == set(shipped), "every shipped image is used by a feed, and only those"
    assert {p.name for p in shipped.values()} == {p.name for p in (demo_dir() / "images").iterdir()}


def test_loading_the_demo_seeds_the_image_cache_so_nothing_is_fetched_or_read_by_link(
    tmp_path: Path,
) -> None:
    cache = tmp_path / "images"
    demo_feeds(cache)
    for url, path in demo_images().items():
        original = cached_original(cache, url)
        assert original is not None and original.read_bytes() == path.read_bytes()
        assert all(cached_thumbnail(cache, url, size) is not None for size in DESKTOP_SIZES)
    stamps = sorted(p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file())
    demo_feeds(cache)  # loading it again keeps what the cache holds
    assert sorted(p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()) == stamps
    urls = dict(enumerate(demo_images()))
    with watching() as watch:
        uris = product_image_uris(urls, cache)
    assert uris.keys() == urls.keys() and watch.connected == []
    assert not any(str(p) in watch.opened for p in demo_images().values())


def test_every_feed_imports_without_rejections(feeds: list[DemoFeed]) -> None:
    per_merchant: Counter[str] = Counter()
    records: list[ProductRecord] = []
    for feed in feeds:
        items = list(
            open_feed(
                feed.path,
                feed.merchant,
                feed.format,
                default_currency=feed.default_currency,
                shop_url=feed.shop_url,
            )
        )
        assert not [i for i in items if isinstance(i, RejectedRow)]
        records += [i for i in items if isinstance(i, ProductRecord)]
        per_merchant[feed.merchant] = len(items)
    assert 40 <= len(records) <= 80
    assert min(per_merchant.values()) >= 10
    assert all(r.image_link and r.image_link.startswith(IMAGE_BASE_URL) for r in records)
    assert all(r.price is not None and r.brand and r.title for r in records)
    assert sum(r.sale_price is not None for r in records) >= 8
    assert sum(r.item_group_id is not None for r in records) >= 20, "variants are grouped"
    assert {r.price.currency for r in records if r.price} == {"EUR", "GBP", "USD"}
    assert {r.availability.value for r in records} >= {"in_stock", "out_of_stock", "preorder"}


def test_demo_images_are_small_safe_and_square() -> None:
    files = sorted((demo_dir() / "images").iterdir())
    assert {p.suffix for p in files} == {".jpg", ".png", ".webp"}
    assert sum(p.stat().st_size for p in demo_dir().rglob("*") if p.is_file()) < 3_000_000
    for path in files:
        thumb = make_thumbnail(path, 480)
        assert thumb.size == (480, 480), path.name


def test_resources_override_and_absence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    copy = tmp_path / "res"
    shutil.copytree(demo_dir(), copy / "demo", ignore=shutil.ignore_patterns("images"))
    monkeypatch.setenv(ENV_RESOURCES, str(copy))
    assert resources_dir() == copy
    monkeypatch.setattr("studio.media.demo.studio.__file__", str(tmp_path / "x" / "studio.py"))
    monkeypatch.setenv(ENV_RESOURCES, str(tmp_path / "nowhere"))
    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="demo catalog is not installed"):
        resources_dir()


def test_committed_files_are_what_the_generator_makes(tmp_path: Path) -> None:
    try:
        ImageFont.truetype("DejaVuSans.ttf", 10)
    except OSError:
        pytest.skip("DejaVu Sans is not installed: the images would be drawn with another font")
    work = tmp_path / "demo"
    work.mkdir()
    shutil.copy(demo_dir() / "make_demo.py", work)
    subprocess.run([sys.executable, str(work / "make_demo.py")], check=True, capture_output=True)
    shipped = {p.relative_to(demo_dir()) for p in demo_dir().rglob("*") if p.is_file()}
    made = {p.relative_to(work) for p in work.rglob("*") if p.is_file()}
    shipped = {p for p in shipped if "__pycache__" not in p.parts}
    assert made == shipped
    for rel in made:
        ours, theirs = work / rel, demo_dir() / rel
        if rel.parts[0] != "images":
            assert ours.read_bytes() == theirs.read_bytes(), str(rel)
            continue
        # Encoders and fonts differ slightly between Pillow/DejaVu versions: compare pixels.
        with Image.open(ours) as a, Image.open(theirs) as b:
            assert (a.format, a.size) == (b.format, b.size), str(rel)
            diff = np.abs(np.asarray(a.convert("RGB"), float) - np.asarray(b.convert("RGB"), float))
        assert diff.mean() < 2, str(rel)
