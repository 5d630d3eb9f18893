"""The demo catalog shipped in ``resources/demo``: its feeds, ready to import on this machine.

Four merchants publish in four real formats (Google Merchant RSS XML and TSV, Shopify
``products.json``, WooCommerce CSV); ``resources/demo/make_demo.py`` generated them and their
product images, and ``resources/demo/feeds.json`` lists them.

**Image links.** The shipped feeds name images as a merchant names its CDN's, by https URL,
on a reserved name that never resolves: ``https://demo.vitrine.invalid/images/<file>``
(:data:`IMAGE_BASE_URL`). Nothing is ever fetched from there and no file a feed names is ever
read: :func:`demo_feeds` (called when the demo loads) seeds the image cache with the shipped
pictures under those URLs (``studio.media.product_images.seed_cache``: the picture and its
thumbnails at the desktop's sizes), so the catalog, boards and the shop page find every one of
them in the cache, the only place besides a public http(s) address a product picture comes
from.

**Where the resources are found** (first match wins), so the same code works from a source
checkout, an editable install, a wheel and a PyInstaller bundle:

1. ``$STUDIO_RESOURCES`` when set (a directory holding ``demo/``);
2. ``sys._MEIPASS/resources`` in a PyInstaller bundle (the spec copies ``resources/demo``);
3. ``resources/`` next to the ``studio`` package: a source checkout or an editable install;
4. ``<sys.prefix>/share/vitrine-studio/resources``: a wheel installs it there as data files.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import NamedTuple

import studio

ENV_RESOURCES = "STUDIO_RESOURCES"
_MARKER = Path("demo") / "feeds.json"

IMAGE_BASE_URL = "https://demo.vitrine.invalid/images/"
"""Where the demo feeds say their pictures are: ``.invalid`` is reserved never to resolve."""
_IMAGE_NAME = re.compile(r"[\w-]+\.(?:jpe?g|png|webp)", re.IGNORECASE)


class DemoFeed(NamedTuple):
    """One demo feed: unpacks as ``(path, merchant, format)``."""

    path: Path
    merchant: str
    format: str

    @property
    def default_currency(self) -> str | None:
        """The currency to import with (Shopify and WooCommerce exports state none)."""
        return _entry(self.merchant).get("default_currency")

    @property
    def shop_url(self) -> str | None:
        """The shop's address, from which Shopify/WooCommerce product links are made."""
        return _entry(self.merchant).get("shop_url")


def resources_dir() -> Path:
    """The directory holding ``demo/``, found as the module docstring explains."""
    candidates: list[Path] = []
    if override := os.environ.get(ENV_RESOURCES):
        candidates.append(Path(override))
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "resources")
    candidates.append(Path(studio.__file__).resolve().parent.parent / "resources")
    candidates.append(Path(sys.prefix) / "share" / "vitrine-studio" / "resources")
    for candidate in candidates:
        if (candidate / _MARKER).is_file():
            return candidate
    tried = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(f"the demo catalog is not installed (looked in {tried})")


def demo_dir() -> Path:
    return resources_dir() / "demo"


def demo_feeds(image_cache: Path | None = None) -> list[DemoFeed]:
    """The demo feeds as shipped; with ``image_cache``, that cache seeded first with the
    demo's pictures (see the module doc).

    Returns ``(path, merchant, format)`` per feed, in catalog order; ``format`` is a format
    name of :mod:`studio.feeds`. Seeding keeps what the cache holds already, so calling this
    on every load is cheap.
    """
    source = demo_dir()
    if image_cache is not None:
        from studio.media.product_images import seed_cache  # Pillow: only when seeding

        seed_cache(image_cache, demo_images())
    return [
        DemoFeed(source / entry["file"], entry["merchant"], entry["format"]) for entry in _catalog()
    ]


def demo_images() -> dict[str, Path]:
    """Each shipped demo picture by the URL the feeds name it with."""
    images = demo_dir() / "images"
    return {
        IMAGE_BASE_URL + path.name: path
        for path in sorted(images.iterdir())
        if _IMAGE_NAME.fullmatch(path.name) and path.is_file()
    }


def _catalog() -> list[dict[str, str]]:
    data = json.loads((demo_dir() / "feeds.json").read_text(encoding="utf-8"))
    return list(data)


def _entry(merchant: str) -> dict[str, str]:
    return next((e for e in _catalog() if e["merchant"] == merchant), {})


def demo_look_photo(urls: list[str]) -> bytes:
    """The demo look's photo, made here from the demo's own product pictures (so it carries
    their licence and ships no extra file): a flat lay of ``urls`` (each a demo image URL) on
    a linen-coloured ground, 1620 x 1080 (the studio's minimum for a shareable photo is
    1080 px), as a JPEG. The products sit at ``demo_look_spots(len(urls))``."""
    from io import BytesIO

    from PIL import Image, ImageDraw

    canvas = Image.new("RGB", (1620, 1080), (236, 229, 216))
    draw = ImageDraw.Draw(canvas)
    for y in range(0, 1080, 12):  # a faint weave, so it reads as cloth rather than a void
        draw.line([(0, y), (1620, y)], fill=(230, 222, 208), width=2)
    images = demo_images()
    for url, (fx, fy) in zip(urls, demo_look_spots(len(urls)), strict=True):
        with Image.open(images[url]) as picture:
            tile = picture.convert("RGB").resize((440, 440), Image.Resampling.LANCZOS)
        shadow = Image.new("RGB", (440, 440), (205, 196, 180))
        left, top = int(fx * 1620) - 220, int(fy * 1080) - 220
        canvas.paste(shadow, (left + 14, top + 14))
        canvas.paste(tile, (left, top))
    out = BytesIO()
    canvas.save(out, "JPEG", quality=85)
    return out.getvalue()


def demo_look_spots(count: int) -> list[tuple[float, float]]:
    """Where the products of the demo look's photo are (fractions of its width and height)."""
    xs = [0.2 + 0.6 * i / max(1, count - 1) for i in range(count)]
    return [(x, 0.42 if i % 2 else 0.58) for i, x in enumerate(xs)]
