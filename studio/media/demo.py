"""The demo catalog shipped in ``resources/demo``: its feeds, ready to import on this machine.

Four merchants publish in four real formats (Google Merchant RSS XML and TSV, Shopify
``products.json``, WooCommerce CSV); ``resources/demo/make_demo.py`` generated them and their
product images, and ``resources/demo/feeds.json`` lists them.

**Image links.** The shipped feeds name images by a path relative to the feed,
``images/<file>``, because an absolute path cannot be known in advance. :func:`demo_feeds`
writes *resolved copies* of the feeds into a directory the caller chooses (the workspace's
cache, say), in which every such link is an absolute ``file://`` URI valid on this machine;
those copies are what the importer reads, so the stored ``image_link`` of a demo product is an
ordinary local URI that the image loader opens like any other. :func:`resolve_demo_image`
maps a relative demo link (or such a URI) back to the shipped file, for callers holding one.

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
from urllib.parse import urlsplit
from urllib.request import url2pathname

import studio

ENV_RESOURCES = "STUDIO_RESOURCES"
_MARKER = Path("demo") / "feeds.json"

# A relative demo image link as it appears inside any of the four formats: not preceded by a
# character that would make it part of a longer path or URL.
_RELATIVE_LINK = re.compile(r"(?<![\w/.:%-])images/([\w-]+\.(?:jpe?g|png|webp))", re.IGNORECASE)


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


def demo_feeds(target_dir: Path) -> list[DemoFeed]:
    """The demo feeds, as copies in ``target_dir`` whose image links are ``file://`` URIs.

    Returns ``(path, merchant, format)`` per feed, in catalog order; ``format`` is a format
    name of :mod:`studio.feeds`. Copies are rewritten only when their content would change, so
    calling this on every start is cheap.
    """
    source = demo_dir()
    images = (source / "images").resolve()
    target_dir.mkdir(parents=True, exist_ok=True)
    feeds = []
    for entry in _catalog():
        original = source / entry["file"]
        text = original.read_text(encoding="utf-8")
        resolved = _RELATIVE_LINK.sub(lambda m: (images / m.group(1)).as_uri(), text)
        copy = target_dir / entry["file"]
        if not copy.is_file() or copy.read_text(encoding="utf-8") != resolved:
            tmp = copy.with_name(f".{copy.name}.tmp")
            tmp.write_text(resolved, encoding="utf-8", newline="")
            os.replace(tmp, copy)
        feeds.append(DemoFeed(copy, entry["merchant"], entry["format"]))
    return feeds


def resolve_demo_image(link: str) -> Path | None:
    """The shipped image file a demo link names (``images/x.jpg`` or its ``file://`` URI).

    None when the link is not a demo image or the file is missing; a link that climbs out of
    the demo's image folder (``images/../../secret``) is never resolved.
    """
    link = link.strip()
    try:
        images = (demo_dir() / "images").resolve()
    except FileNotFoundError:
        return None
    if link.lower().startswith("file:"):
        parts = urlsplit(link)
        if parts.netloc not in ("", "localhost"):
            return None
        candidate = Path(url2pathname(parts.path))
    elif _RELATIVE_LINK.fullmatch(link):
        candidate = images / link.split("/", 1)[1]
    else:
        return None
    candidate = candidate.resolve()
    if not candidate.is_relative_to(images) or not candidate.is_file():
        return None
    return candidate


def _catalog() -> list[dict[str, str]]:
    data = json.loads((demo_dir() / "feeds.json").read_text(encoding="utf-8"))
    return list(data)


def _entry(merchant: str) -> dict[str, str]:
    return next((e for e in _catalog() if e["merchant"] == merchant), {})
