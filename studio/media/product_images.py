"""Product pictures by URL, without Qt: the thumbnail disk cache, fetching, and page data URIs.

Merchants' feeds name each product's picture by URL. The desktop's catalog
(``studio.ui.widgets.images``), a product dropped on a board (``studio.ui.boards.loader``) and
the shop page (``studio shops export`` and the desktop's Preview) all read them through
:func:`fetch_image` here, and share one disk cache of thumbnails (``Paths.image_cache``): the
thumbnail of ``url`` at ``size`` px lives at ``cache_file(cache_dir, url, size)`` plus
``.jpg`` (``.png`` when it has transparency).

A picture comes only from an http(s) URL at a public address (``studio.media.safe_fetch``:
never a local file, a ``file://`` URL or a relative path, never loopback, link-local or
private addresses) or from this cache. The cache can be seeded with pictures the app ships
(:func:`seed_cache`: the demo catalog's, named by https URLs on a reserved name that never
resolves), so they show without any file named by a feed ever being read.

``product_image_uris`` gives the shop page its pictures: each a small JPEG ``data:`` URI, so the
page stays one file that fetches nothing. It takes a thumbnail the desktop already cached when
there is one large enough, else fetches the picture (a few threads, a short timeout) and caches
what it made for the desktop. A picture that cannot be fetched or decoded is skipped, never
fatal: a product without a picture still sells. Every decode goes through
``studio.media.safe_open`` (hostile files become ``MediaError``).
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Hashable, Mapping
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

import urllib3
from PIL import Image

from studio.media.errors import MediaError
from studio.media.export_html import data_uri
from studio.media.safe_fetch import check_image_url, download
from studio.media.safe_open import Source, open_image
from studio.media.thumbnails import has_alpha, make_thumbnail, save_thumbnail

log = logging.getLogger(__name__)

K = TypeVar("K", bound=Hashable)

PAGE_THUMB = 320
"""Long side of a picture on the shop page: sharp in its ~260 px card, ~20 KB embedded."""
DETAIL_THUMB = 480
"""The desktop's detail pane thumbnail (``ImageLoader(size=480)``): pictures fetched for a page
are cached at this size so the desktop reuses them, and the page scales them down."""
# The sizes the desktop caches (the detail pane, the ImageLoader default, the catalog grid's
# GRID_THUMB, the pickers): the ones of at least MIN_REUSED px are sharp enough for a card.
DESKTOP_SIZES = (480, 200, 160, 96)
MIN_REUSED = 200
FETCH_THREADS = 8  # downloads overlap; more would only queue on the pool's 4 connections/host
ORIGINAL_SUFFIX = ".orig"


def cache_file(cache_dir: Path, url: str, size: int) -> Path:
    """Where the ``size`` px thumbnail of ``url`` is cached (extension added by the writer)."""
    digest = hashlib.sha256(f"{url}\n{size}".encode()).hexdigest()
    return cache_dir / digest[:2] / digest


def cached_thumbnail(cache_dir: Path, url: str, size: int) -> Path | None:
    """The cached ``size`` px thumbnail file of ``url`` (JPEG or PNG), or None."""
    base = cache_file(cache_dir, url, size)
    for ext in (".jpg", ".png"):
        candidate = base.with_suffix(ext)
        if candidate.is_file():
            return candidate
    return None


def cached_original(cache_dir: Path, url: str) -> Path | None:
    """The picture of ``url`` as published, when the cache was seeded with it, or None."""
    path = cache_file(cache_dir, url, 0).with_suffix(ORIGINAL_SUFFIX)
    return path if path.is_file() else None


def fetch_image(url: str, *, cache_dir: Path | None = None, timeout: float | None = None) -> bytes:
    """The picture ``url`` names, as published: from the cache when it was seeded with it,
    else downloaded from a public http(s) address (``studio.media.safe_fetch.download``).

    MediaError when the URL is refused (a file, a path, a local or private address); OSError
    or urllib3's errors when the download fails. ``timeout`` as for ``download``."""
    url = check_image_url(url)
    if cache_dir is not None:
        seeded = cached_original(cache_dir, url)
        if seeded is not None:
            return seeded.read_bytes()
    return download(url, timeout=timeout)


def seed_cache(cache_dir: Path, pictures: Mapping[str, Path]) -> int:
    """Put pictures the app ships into the cache under the URLs that name them: the picture
    itself (for a board) and its thumbnail at each size the desktop shows, so none of them is
    ever fetched. Entries already there are kept; returns how many files were written."""
    written = 0
    for url, path in pictures.items():
        url = check_image_url(url)
        original = cache_file(cache_dir, url, 0).with_suffix(ORIGINAL_SUFFIX)
        data: bytes | None = None
        if not original.is_file():
            data = path.read_bytes()
            original.parent.mkdir(parents=True, exist_ok=True)
            partial = original.with_name(f".{original.name}.{os.getpid()}.tmp")
            partial.write_bytes(data)
            os.replace(partial, original)  # a reader never sees half a picture
            written += 1
        for size in DESKTOP_SIZES:
            if cached_thumbnail(cache_dir, url, size) is None:
                source = data if data is not None else original.read_bytes()
                make_cached_thumbnail(source, url, size, cache_dir)
                written += 1
    return written


def make_cached_thumbnail(
    source: Source, url: str, size: int, cache_dir: Path | None
) -> Image.Image:
    """The ``size`` px thumbnail of ``source`` (fetched from ``url``), also written to the cache
    when there is one. MediaError when the picture cannot be decoded; a failed cache write
    (a full disk) loses the cache entry, not the picture."""
    thumbnail = make_thumbnail(source, size)
    if cache_dir is not None:
        try:
            # .png instead when it has alpha (save_thumbnail's rule); readers try both.
            save_thumbnail(thumbnail, cache_file(cache_dir, url, size).with_suffix(".jpg"))
        except (MediaError, OSError) as exc:
            log.debug("thumbnail cache write failed for %s: %s", url, exc)
    return thumbnail


def jpeg_data_uri(img: Image.Image) -> str:
    """``img`` as a JPEG ``data:`` URI; transparency is laid on white (a product on a clear
    background would turn black), as it shows on the page's white cards."""
    if has_alpha(img):
        rgba = img.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        img = flat
    return data_uri(img)


def _reuse_order(size: int) -> list[int]:
    """Cached sizes to try for a ``size`` px picture: the same size, then the smallest larger
    one (least to decode), then smaller ones that are still sharp enough, largest first."""
    sizes = {s for s in DESKTOP_SIZES if s >= MIN_REUSED} - {size}
    larger = sorted(s for s in sizes if s > size)
    return [size, *larger, *sorted((s for s in sizes if s < size), reverse=True)]


def _from_cache(cache_dir: Path, url: str, size: int) -> Image.Image | None:
    for cached_size in _reuse_order(size):
        path = cached_thumbnail(cache_dir, url, cached_size)
        if path is None:
            continue
        try:
            return open_image(path)
        except MediaError as exc:  # a damaged entry: try the next one, then the source
            log.debug("cached thumbnail %s unreadable: %s", path, exc)
    return None


class _Fetcher:
    """One page's pictures: a host that cannot be reached is not asked again for this page,
    so a dead CDN costs one timeout, not one per product."""

    def __init__(self, cache_dir: Path | None, size: int, fetch: bool, timeout: float) -> None:
        self.cache_dir = cache_dir
        self.size = size
        self.fetch = fetch
        self.timeout = timeout
        self._dead_hosts: set[str] = set()
        self._lock = threading.Lock()

    def uri(self, url: str) -> str | None:
        try:
            img = self._image(url)
        except (MediaError, OSError, ValueError) as exc:
            log.info("product picture %s skipped: %s", url, exc)
            return None
        except urllib3.exceptions.HTTPError as exc:  # unreachable host, timeout, 5xx retried
            host = urlsplit(url).netloc
            with self._lock:
                self._dead_hosts.add(host)
            log.info("product picture %s skipped (host %s not asked again): %s", url, host, exc)
            return None
        if img is None:
            return None
        img.thumbnail((self.size, self.size), Image.Resampling.LANCZOS)
        return jpeg_data_uri(img)

    def _image(self, url: str) -> Image.Image | None:
        if self.cache_dir is not None:
            cached = _from_cache(self.cache_dir, url, self.size)
            if cached is not None:
                return cached
        if not self.fetch:
            return None
        with self._lock:
            if urlsplit(url).netloc in self._dead_hosts:
                return None
        source = fetch_image(url, cache_dir=self.cache_dir, timeout=self.timeout)
        return make_cached_thumbnail(source, url, max(self.size, DETAIL_THUMB), self.cache_dir)


def product_image_uris(
    urls: Mapping[K, str],
    cache_dir: Path | None,
    *,
    size: int = PAGE_THUMB,
    limit: int = 1000,
    fetch: bool = True,
    timeout: float = 5.0,
) -> dict[K, str]:
    """A JPEG data URI of a thumbnail at most ``size`` px for each key's picture URL.

    Only the first ``limit`` keys with a URL (in the mapping's order: the page's) get a
    picture, so a 10,000-product shop stays a page of sane size. A thumbnail the desktop cached
    (``cache_dir``, at least ``MIN_REUSED`` px) is used without fetching the picture; otherwise
    it is fetched (``fetch``; ``timeout`` seconds, through :func:`fetch_image`: public http(s)
    addresses only) on up to ``FETCH_THREADS`` threads and its thumbnail cached for the
    desktop. Keys whose picture is refused, missing, unreadable or not a safe image are left
    out.
    """
    if size < 1:
        raise ValueError(f"size must be positive, not {size}")
    chosen = list(
        islice(((k, u.strip()) for k, u in urls.items() if u and u.strip()), max(limit, 0))
    )
    unique = list(dict.fromkeys(u for _, u in chosen))
    if not unique:
        return {}
    fetcher = _Fetcher(cache_dir, size, fetch, timeout)
    with ThreadPoolExecutor(
        max_workers=min(FETCH_THREADS, len(unique)), thread_name_prefix="product-images"
    ) as pool:
        found = dict(zip(unique, pool.map(fetcher.uri, unique), strict=True))
    return {key: uri for key, url in chosen if (uri := found[url]) is not None}
