"""The shipped demo catalog: feeds resolve to local images, parse cleanly, match the generator."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit

import numpy as np
import pytest
from PIL import Image, ImageFont

from studio.core.product import ProductRecord, RejectedRow
from studio.feeds import FORMATS, open_feed
from studio.media.demo import (
    ENV_RESOURCES,
    DemoFeed,
    demo_dir,
    demo_feeds,
    resolve_demo_image,
    resources_dir,
)
from studio.media.thumbnails import make_thumbnail

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def feeds(tmp_path_factory: pytest.TempPathFactory) -> list[DemoFeed]:
    return demo_feeds(tmp_path_factory.mktemp("demo-feeds"))


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


def test_resolved_copies_link_images_by_file_uri(feeds: list[DemoFeed]) -> None:
    images = (demo_dir() / "images").resolve()
    seen = set()
    for feed in feeds:
        text = feed.path.read_text(encoding="utf-8")
        assert not re.search(r"(?<![\w/.:%-])images/", text), f"relative link left in {feed.path}"
        for uri in re.findall(r"file://[^\s\"<>,]+", text):
            local = Path(unquote(urlsplit(uri).path))
            assert local.is_file() and local.parent == images
            seen.add(local.name)
    assert seen == {p.name for p in images.iterdir()}, "every shipped image is used by a feed"


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
    assert all(r.image_link and r.image_link.startswith("file://") for r in records)
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


def test_resolve_demo_image() -> None:
    images = (demo_dir() / "images").resolve()
    lamp = resolve_demo_image("images/ml-lamp-01.jpg")
    assert lamp == images / "ml-lamp-01.jpg"
    assert resolve_demo_image(lamp.as_uri()) == lamp
    assert resolve_demo_image("images/not-there.jpg") is None
    assert resolve_demo_image("images/../make_demo.py") is None
    assert resolve_demo_image((demo_dir() / "make_demo.py").as_uri()) is None
    assert resolve_demo_image("https://example.com/images/ml-lamp-01.jpg") is None
    assert resolve_demo_image("file://otherhost/images/ml-lamp-01.jpg") is None


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
    assert resolve_demo_image("images/ml-lamp-01.jpg") is None


def test_copies_are_rewritten_only_when_they_change(tmp_path: Path) -> None:
    first = demo_feeds(tmp_path)
    stamps = [f.path.stat().st_mtime_ns for f in first]
    again = demo_feeds(tmp_path)
    assert [f.path.stat().st_mtime_ns for f in again] == stamps
    first[0].path.write_text("stale", encoding="utf-8")
    demo_feeds(tmp_path)
    assert "file://" in first[0].path.read_text(encoding="utf-8")


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
