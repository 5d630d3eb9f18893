"""Look photos off the UI thread: covers (thumbnails) for the library, previews for the canvas.

Workers ask the media library for the derivative (made if missing), decode it into a
``QImage`` and, for the canvas, apply the photo's crop and rotation there too - the UI thread
only turns the result into a pixmap. Decoded previews are kept in a small LRU so that a crop or
rotation edit re-cuts the cached image instead of decoding the file again.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRect, Signal
from PySide6.QtGui import QImage, QTransform

from studio.core.looks import Crop, LookPhoto
from studio.ui.tasks import TaskManager
from studio.ui.widgets.images import media_thumbnail, read_image

if TYPE_CHECKING:
    from studio.media.library import MediaLibrary

log = logging.getLogger(__name__)
MAX_PREVIEWS = 4
MAX_COVERS = 200


def cut(image: QImage, crop: Crop, rotation: int) -> QImage:
    """The shown part of an upright ``image``: cropped, then turned clockwise (worker-safe)."""
    w, h = image.width(), image.height()
    rect = QRect(
        round(crop.left * w),
        round(crop.top * h),
        max(1, round((crop.right - crop.left) * w)),
        max(1, round((crop.bottom - crop.top) * h)),
    )
    shown = image if rect == image.rect() else image.copy(rect)
    if rotation % 4:
        shown = shown.transformed(QTransform().rotate(90 * (rotation % 4)))
    return shown


class PreviewLoader(QObject):
    """The canvas image of a photo; ``ready(photo_id, image)`` when it is cut and decoded."""

    ready = Signal(str, QImage)
    failed = Signal(str, str)

    def __init__(
        self, tasks: TaskManager, media: MediaLibrary | None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self.media = media  # None until the stores are open
        self._decoded: OrderedDict[str, QImage] = OrderedDict()

    def request(self, photo: LookPhoto) -> None:
        cached = self._decoded.get(photo.media_hash)
        media = self.media
        if media is None:
            return

        def work() -> tuple[QImage, QImage]:
            raw = cached if cached is not None else read_image(media.preview(photo.media_hash))
            return raw, cut(raw, photo.crop, photo.rotation)

        self._tasks.run(
            work,
            partial(self._done, photo),
            partial(self._failed, photo),
            channel="look-preview",
            lane="images",
            owner=self,
        )

    def _done(self, photo: LookPhoto, payload: tuple[QImage, QImage]) -> None:
        raw, shown = payload
        self._decoded[photo.media_hash] = raw
        self._decoded.move_to_end(photo.media_hash)
        while len(self._decoded) > MAX_PREVIEWS:
            self._decoded.popitem(last=False)
        self.ready.emit(photo.id, shown)

    def _failed(self, photo: LookPhoto, exc: BaseException) -> None:
        log.warning("preview of %s not shown: %s", photo.media_hash, exc)
        self.failed.emit(photo.id, str(exc))


class CoverLoader(QObject):
    """Thumbnails by media hash with a memory LRU; ``loaded(hash)`` when one arrives."""

    loaded = Signal(str)

    def __init__(self, tasks: TaskManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self.media: MediaLibrary | None = None
        self._images: OrderedDict[str, QImage] = OrderedDict()
        self._inflight: set[str] = set()
        self._failed: set[str] = set()

    @property
    def pending(self) -> int:
        return len(self._inflight)

    def image(self, media_hash: str | None) -> QImage | None:
        if not media_hash or self.media is None:
            return None
        image = self._images.get(media_hash)
        if image is not None:
            self._images.move_to_end(media_hash)
            return image
        if media_hash not in self._inflight and media_hash not in self._failed:
            self._inflight.add(media_hash)
            media = self.media
            self._tasks.run(
                lambda: media_thumbnail(media, media_hash),
                partial(self._arrived, media_hash),
                partial(self._not_loaded, media_hash),
                lane="images",
                owner=self,
            )
        return None

    def _arrived(self, media_hash: str, image: QImage) -> None:
        self._inflight.discard(media_hash)
        self._images[media_hash] = image
        while len(self._images) > MAX_COVERS:
            self._images.popitem(last=False)
        self.loaded.emit(media_hash)

    def _not_loaded(self, media_hash: str, exc: BaseException) -> None:
        self._inflight.discard(media_hash)
        self._failed.add(media_hash)
        log.warning("cover %s not shown: %s", media_hash, exc)
        self.loaded.emit(media_hash)
