"""Background work of the board editor: product look-ups, image imports and decoding.

Every function named ``*_job`` runs in a ``TaskManager`` worker and returns plain values
(``QImage`` is safe off the GUI thread; ``QPixmap`` is not, so pixmaps are made on arrival).
A product's image is fetched with the one shared fetcher
(``studio.media.product_images.fetch_image``: public http(s) addresses only, or a picture the
image cache was seeded with; never a file named by a feed) and imported into the media
library, so the board keeps working offline and exports draw the same file.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, Signal
from PySide6.QtGui import QImage, QPixmap

from studio.core.errors import StudioError
from studio.core.looks import ProductRef
from studio.ui.tasks import TaskManager

if TYPE_CHECKING:
    from studio.media.library import MediaLibrary, StoredMedia
    from studio.store.catalog import CatalogStore

log = logging.getLogger(__name__)
LARGE_SIDE = 1600  # decode previews down to this: sharp on a 1200 px board, light in memory


@dataclass(frozen=True, slots=True)
class ProductInfo:
    product_id: int
    ref: ProductRef
    title: str
    image_link: str | None


@dataclass(frozen=True, slots=True)
class Imported:
    """One import's outcome: the stored media (hash, upright size) or the reason it failed."""

    source: str
    media_hash: str | None = None
    width: int = 0
    height: int = 0
    error: str = ""


def describe_products_job(catalog: CatalogStore, ids: Sequence[int]) -> list[ProductInfo]:
    """Worker: what a board needs to place each product (missing products are skipped)."""
    out = []
    for product_id in ids:
        detail = catalog.detail(product_id)
        if detail is None:
            continue
        card = detail.card
        out.append(
            ProductInfo(
                product_id,
                ProductRef(product_id, card.merchant, detail.offer_id),
                card.title,
                card.image_link,
            )
        )
    return out


def products_at_links(catalog: CatalogStore, links: Sequence[str]) -> tuple[list[int], list[str]]:
    """Worker: the product each link is the landing page of (the first stored, when variants
    share a page), and the links no product has."""
    ids: list[int] = []
    missing: list[str] = []
    for link in links:
        found = catalog.ids_by_link(link)
        if found:
            ids.append(found[0])
        else:
            missing.append(link)
    return ids, missing


def _stored(source: str, stored: StoredMedia, media: MediaLibrary) -> Imported:
    try:
        media.thumbnail(stored.hash)  # made now, in the worker, so the canvas can show it
    except StudioError as exc:
        log.warning("thumbnail of %s not made: %s", stored.hash, exc)
    return Imported(source, stored.hash, int(stored.width), int(stored.height))


def import_product_image_job(
    media: MediaLibrary, url: str, image_cache: Path | None = None
) -> Imported:
    """Worker: fetch a product image (``image_cache``: where a seeded picture may be) and
    import it into the media library."""
    from urllib3.exceptions import HTTPError  # urllib3 loads in a worker only

    from studio.media.product_images import fetch_image

    try:
        stored = media.import_bytes(fetch_image(url, cache_dir=image_cache), name=url)
    except (StudioError, OSError, ValueError, HTTPError) as exc:
        return Imported(url, error=str(getattr(exc, "reason", exc)))
    return _stored(url, stored, media)


def import_files_job(media: MediaLibrary, paths: Sequence[Path]) -> list[Imported]:
    """Worker: import the curator's photos; a bad file is reported and the others go on."""
    out = []
    for path in paths:
        try:
            stored = media.import_file(path)
        except (StudioError, OSError) as exc:
            out.append(Imported(path.name, error=str(getattr(exc, "reason", exc))))
            continue
        out.append(_stored(path.name, stored, media))
    return out


def import_image_job(media: MediaLibrary, image: QImage) -> list[Imported]:
    """Worker: a pasted image, encoded as PNG and imported."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # The stub asks bytes for the format; this PySide6 only accepts str at run time.
    image.save(buffer, "PNG")  # type: ignore[call-overload]
    buffer.close()
    try:
        stored = media.import_bytes(bytes(data.data()), name="<pasted image>")
    except (StudioError, OSError) as exc:
        return [Imported("<pasted image>", error=str(getattr(exc, "reason", exc)))]
    return [_stored("<pasted image>", stored, media)]


def decode_job(media: MediaLibrary, media_hash: str, large: bool) -> QImage:
    """Worker: the image to draw for ``media_hash`` (the thumbnail, or a large preview)."""
    path = media.preview(media_hash) if large else media.thumbnail(media_hash)
    image = QImage(str(path))
    if image.isNull():
        raise OSError(f"cannot read {path}")
    if large and max(image.width(), image.height()) > LARGE_SIDE:
        from PySide6.QtCore import Qt

        image = image.scaled(
            LARGE_SIDE,
            LARGE_SIDE,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    return image.convertToFormat(
        QImage.Format.Format_ARGB32_Premultiplied
        if image.hasAlphaChannel()
        else QImage.Format.Format_RGB32
    )


class PixmapCache(QObject):
    """Decoded media by hash, shared by every item that shows the same image.

    Thumbnails (512 px) serve items up to that size; a larger item asks for the preview.
    """

    ready = Signal(str)  # media hash: a pixmap (or a failure) arrived
    THUMB_SIDE = 512

    def __init__(
        self, tasks: TaskManager, media: MediaLibrary, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._media = media
        self._pixmaps: dict[tuple[str, bool], QPixmap] = {}
        self._inflight: set[tuple[str, bool]] = set()
        self.failed: set[str] = set()

    def pixmap(self, media_hash: str, shown_side: float = 0.0) -> QPixmap | None:
        """The best pixmap ready now for an item ``shown_side`` board px long (may queue one)."""
        large = shown_side > self.THUMB_SIDE * 1.1
        best = self._pixmaps.get((media_hash, large))
        if best is None:
            self._request(media_hash, large)
            best = self._pixmaps.get((media_hash, not large))
        return best

    def retain(self, hashes: set[str]) -> None:
        """Forget the pictures no item of the open board shows (another board was opened)."""
        for key in [k for k in self._pixmaps if k[0] not in hashes]:
            del self._pixmaps[key]

    def _request(self, media_hash: str, large: bool) -> None:
        key = (media_hash, large)
        if key in self._inflight or media_hash in self.failed:
            return
        self._inflight.add(key)
        self._tasks.run(
            partial(decode_job, self._media, media_hash, large),
            partial(self._arrived, key),
            partial(self._failed, key),
            lane="images",
            owner=self,
        )

    def _arrived(self, key: tuple[str, bool], image: QImage) -> None:
        self._inflight.discard(key)
        self._pixmaps[key] = QPixmap.fromImage(image)
        self.ready.emit(key[0])

    def _failed(self, key: tuple[str, bool], exc: BaseException) -> None:
        self._inflight.discard(key)
        log.warning("board image %s not shown: %s", key[0], exc)
        if not key[1]:
            self.failed.add(key[0])
        self.ready.emit(key[0])

    @property
    def pending(self) -> int:
        return len(self._inflight)
