"""Product pictures by URL, without Qt: the thumbnail disk cache, fetching, and page data URIs.

Merchants' feeds name each product's picture by URL: a local path, a ``file://`` URL or an
http(s) URL. The desktop's catalog (``studio.ui.widgets.images``) and the shop page (``studio
shops export`` and the desktop's Preview) read them through this module and share one disk
cache of thumbnails (``Paths.image_cache``): the thumbnail of ``url`` at ``size`` px lives at
``cache_file(cache_dir, url, size)`` plus ``.jpg`` (``.png`` when it has transparency).

``product_image_uris`` gives the shop page its pictures: each a small JPEG ``data:`` URI, so the
page stays one file that fetches nothing. It takes a thumbnail the desktop already cached when
there is one large enough, else fetches the picture (a few threads, a short timeout) and caches
what it made for the desktop. A picture that cannot be read or decoded is skipped, never fatal:
a product without a picture still sells. Every decode goes through
``studio.media.safe_open`` (hostile files become ``MediaError``).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Hashable, Mapping
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote, urlparse

import urllib3
from PIL import Image

from studio.media.errors import MediaError
from studio.media.export_html import data_uri
from studio.media.safe_open import Source, open_image
from studio.media.thumbnails import has_alpha, make_thumbnail, save_thumbnail

log = logging.getLogger(__name__)

K = TypeVar("K", bound=Hashable)

MAX_DOWNLOAD_BYTES = 40 * 1024 * 1024  # larger than any product photo worth showing
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

_http_lock = threading.Lock()
_http: urllib3.PoolManager | None = None


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


def _http_pool() -> urllib3.PoolManager:
    """One shared urllib3 pool (thread-safe), created on first use by a worker."""
    global _http
    with _http_lock:
        if _http is None:
            # An unknown host will not resolve on a second try; a flaky server might.
            retry = urllib3.Retry(
                total=3,
                connect=1,
                read=2,
                backoff_factor=0.3,
                status_forcelist=(429, 500, 502, 503, 504),
            )
            _http = urllib3.PoolManager(
                num_pools=8,
                maxsize=4,
                retries=retry,
                timeout=urllib3.Timeout(connect=5.0, read=15.0),
                headers={"User-Agent": "VitrineStudio/0.1 (+https://vitrine.io)"},
            )
        return _http


def fetch_bytes(url: str, *, timeout: float | None = None) -> bytes | Path:
    """The source for ``url``: a local ``Path`` or the downloaded bytes.

    ``timeout`` (seconds per connect and per read) also drops to one retry: a page export
    waits on hundreds of pictures and prefers a missing one to a stalled export.
    """
    parsed = urlparse(url)
    if parsed.scheme in ("http", "https"):
        options: dict[str, Any] = {}
        if timeout is not None:
            options = {
                "timeout": urllib3.Timeout(connect=timeout, read=timeout),
                "retries": urllib3.Retry(
                    total=1,
                    connect=0,
                    read=0,
                    backoff_factor=0.2,
                    status_forcelist=(429, 502, 503, 504),
                ),
            }
        response = _http_pool().request("GET", url, preload_content=False, **options)
        try:
            if response.status != 200:
                raise OSError(f"HTTP {response.status}")
            chunks: list[bytes] = []
            received = 0
            for chunk in response.stream(65536):
                received += len(chunk)
                if received > MAX_DOWNLOAD_BYTES:
                    raise OSError("image larger than 40 MB")
                chunks.append(chunk)
            return b"".join(chunks)
        finally:
            response.release_conn()
    if parsed.scheme == "file":
        return Path(unquote(parsed.path))
    if parsed.scheme and len(parsed.scheme) > 1:  # one letter is a Windows drive
        raise OSError(f"unsupported image URL scheme: {parsed.scheme}")
    return Path(url)


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
            host = urlparse(url).netloc
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
        parsed = urlparse(url)
        if parsed.scheme in ("http", "https"):
            with self._lock:
                if parsed.netloc in self._dead_hosts:
                    return None
        source = fetch_bytes(url, timeout=self.timeout)
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
    (``cache_dir``, at least ``MIN_REUSED`` px) is used without reading the source; otherwise
    the source is read (``fetch``; ``timeout`` seconds for http) on up to ``FETCH_THREADS``
    threads and its thumbnail cached for the desktop. Keys whose picture is missing, unreadable
    or not a safe image are left out.
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
