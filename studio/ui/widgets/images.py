"""Images off the UI thread: product thumbnails for grids and lists, photo library thumbnails.

``ImageLoader.image(url)`` answers at once: the thumbnail if it is in the in-memory LRU, else
``None`` (the caller paints a placeholder) after queueing the load. Workers fetch the picture
through ``studio.media.product_images.fetch_image`` (shared with boards and the shop page's
export: public http(s) addresses only - a local file, a ``file://`` URL or a local address named
by a feed is refused and the product shows the "no image" placeholder - urllib3 with retries and
timeouts), decode and scale it safely (bomb caps, EXIF orientation) and keep the thumbnails on
disk (a cache under the cache directory named by the SHA-256 of the URL and size, so the next
run and the next scroll skip the download and the decode), and turn the result into a
``QImage`` - safe to build off the GUI thread, unlike ``QPixmap``.

At most ``max_inflight`` loads run at once; requests for cards scrolled out of view are dropped
(``retain``), and the newest request is served first since it is the one on screen.
A failed image shows a "no image" placeholder and is logged once. ``ScaledThumbnails``
keeps them scaled to a list's row size, for delegates that paint many small rows, and
``rows_on_screen`` says which rows an arriving image may concern. ``media_thumbnail`` reads
a photo library thumbnail in a worker (photo strips, the banner, the avatar).
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QAbstractItemView

from studio.ui.tasks import TaskManager

if TYPE_CHECKING:
    from PIL.Image import Image

    from studio.media.library import MediaLibrary

log = logging.getLogger(__name__)

# Decoding is CPU work: leave a core to the GUI thread so scrolling stays smooth.
_decode_slots = threading.BoundedSemaphore(max(1, (os.cpu_count() or 2) - 1))


def media_thumbnail(media: MediaLibrary, media_hash: str) -> QImage:
    """Worker: a photo library thumbnail (made if missing), decoded; OSError if unreadable."""
    return read_image(media.thumbnail(media_hash))


def read_image(path: Path) -> QImage:
    """Worker: an image file decoded into the format the raster painter blits without work."""
    image = QImage(str(path))
    if image.isNull():
        raise OSError(f"cannot read {path}")
    return image.convertToFormat(
        QImage.Format.Format_ARGB32_Premultiplied
        if image.hasAlphaChannel()
        else QImage.Format.Format_RGB32
    )


def pil_to_qimage(image: Image) -> QImage:
    """A deep-copied ``QImage`` of a Pillow image (RGB or RGBA)."""
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    fmt = QImage.Format.Format_RGBA8888 if image.mode == "RGBA" else QImage.Format.Format_RGB888
    data = image.tobytes()
    stride = len(data) // image.height
    # Converted here, in the worker, to the format the raster painter blits without work.
    target = (
        QImage.Format.Format_ARGB32_Premultiplied
        if image.mode == "RGBA"
        else QImage.Format.Format_RGB32
    )
    return QImage(data, image.width, image.height, stride, fmt).convertToFormat(target)


def load_thumbnail(url: str, size: int, cache_dir: Path | None) -> QImage:
    """Worker: the thumbnail of ``url`` no larger than ``size`` px, from cache or source."""
    # Pillow, urllib3 and the safe decoder load here, in a worker, never at start-up.
    from studio.media.product_images import cached_thumbnail, fetch_image, make_cached_thumbnail

    cached = cached_thumbnail(cache_dir, url, size) if cache_dir is not None else None
    if cached is not None:
        image = QImage(str(cached))
        if not image.isNull():
            return image.convertToFormat(
                QImage.Format.Format_ARGB32_Premultiplied
                if image.hasAlphaChannel()
                else QImage.Format.Format_RGB32
            )
    source = fetch_image(url, cache_dir=cache_dir)  # downloads overlap; decoding is rationed
    with _decode_slots:
        return pil_to_qimage(make_cached_thumbnail(source, url, size, cache_dir))


class ImageLoader(QObject):
    """Thumbnails by URL with a memory LRU, a disk cache and bounded background loading."""

    #: A thumbnail is ready (or failed for good): the URL.
    loaded = Signal(str)

    def __init__(
        self,
        tasks: TaskManager,
        cache_dir: Path | None,
        *,
        size: int = 200,
        max_images: int = 120,
        max_inflight: int = 4,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._cache_dir = cache_dir
        self.size = size
        self._max_images = max_images
        self._max_inflight = max_inflight
        self._images: OrderedDict[str, QImage] = OrderedDict()
        self._queue: OrderedDict[str, None] = OrderedDict()
        self._inflight: set[str] = set()
        self._failed: set[str] = set()

    def image(self, url: str | None) -> QImage | None:
        """The thumbnail if ready; otherwise ``None`` and the load is queued."""
        if not url:
            return None
        image = self._images.get(url)
        if image is not None:
            self._images.move_to_end(url)
            return image
        if url not in self._failed and url not in self._inflight:
            self._queue[url] = None
            self._queue.move_to_end(url)
            self._pump()
        return None

    def is_failed(self, url: str | None) -> bool:
        return not url or url in self._failed

    def retain(self, urls: Iterable[str]) -> None:
        """Drop queued loads for anything not in ``urls`` (the cards now on screen)."""
        keep = set(urls)
        for url in [u for u in self._queue if u not in keep]:
            del self._queue[url]

    @property
    def pending(self) -> int:
        return len(self._queue) + len(self._inflight)

    def clear_memory(self) -> None:
        self._images.clear()

    def _pump(self) -> None:
        while self._queue and len(self._inflight) < self._max_inflight:
            url, _ = self._queue.popitem(last=True)
            self._inflight.add(url)
            self._tasks.run(
                partial(load_thumbnail, url, self.size, self._cache_dir),
                partial(self._arrived, url),
                partial(self._failed_load, url),
                lane="images",
                owner=self,
            )

    def _arrived(self, url: str, image: QImage) -> None:
        self._inflight.discard(url)
        self._images[url] = image
        while len(self._images) > self._max_images:
            self._images.popitem(last=False)
        self.loaded.emit(url)
        self._pump()

    def _failed_load(self, url: str, exc: BaseException) -> None:
        self._inflight.discard(url)
        if url not in self._failed:
            self._failed.add(url)
            log.warning("image %s not shown: %s", url, exc)
        self.loaded.emit(url)
        self._pump()


def rows_on_screen(view: QAbstractItemView) -> range:
    """The rows of a one-column list or table ``view`` shows now, top to bottom (empty while
    it shows none, or has no height)."""
    model = view.model()
    height = view.viewport().height()
    first = view.indexAt(QPoint(0, 0)).row()
    if model is None or height <= 0 or first < 0:
        return range(0)
    last = view.indexAt(QPoint(0, height - 1)).row()
    return range(first, (model.rowCount() - 1 if last < 0 else last) + 1)


class ScaledThumbnails:
    """An ``ImageLoader``'s thumbnails scaled to one size for a list's rows, each scaled once
    and kept (the most recent ``keep``): a row painted again costs no rescale."""

    def __init__(self, images: ImageLoader, size: QSize, keep: int = 300) -> None:
        self.images = images
        self.size = size
        self._keep = keep
        self._scaled: OrderedDict[str, QImage] = OrderedDict()

    def get(self, url: str | None) -> QImage | None:
        """The scaled thumbnail, or None while it loads (the load is then queued)."""
        if not url:
            return None
        scaled = self._scaled.get(url)
        if scaled is not None:
            self._scaled.move_to_end(url)
            return scaled
        image = self.images.image(url)
        if image is None:
            return None
        scaled = self._scaled[url] = image.scaled(
            self.size,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        while len(self._scaled) > self._keep:
            self._scaled.popitem(last=False)
        return scaled
