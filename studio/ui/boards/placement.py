"""Placing things on a board: catalog products and the curator's photos, in the background.

A dropped product is looked up (its stable merchant + offer id, title and image link) and
stored where it was dropped (the store checks it against the curator's declared ties first),
drawn as a placeholder at a useful size, several side by side (``landing.py``); its image is
then fetched with the catalog's fetcher and imported into the media library (so the board works
offline and exports), and the item takes the image's shape within the same long side. Photos -
from the file dialog, a drop of image files, or the clipboard - are imported with
``MediaLibrary`` in the background and placed at once when imported, saved behind. Every
placement is one undo step; a refusal (the 201st item, a competitor's product) is shown, never
queued.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPointF, QRectF, Signal
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QFileDialog, QWidget

from studio.core.boards import BoardItem, BoardItemKind
from studio.ui.boards.controller import BoardController
from studio.ui.boards.landing import fit_image, land
from studio.ui.boards.loader import (
    Imported,
    ProductInfo,
    describe_products_job,
    import_files_job,
    import_image_job,
    import_product_image_job,
    products_at_links,
)
from studio.ui.tasks import TaskManager
from studio.ui.widgets.mime import decode_product_ids, product_links
from studio.ui.widgets.photo_import import photo_filter

if TYPE_CHECKING:
    from studio.media.library import MediaLibrary
    from studio.store.catalog import CatalogStore

CASCADE = 32.0  # several photos added at once fan out by this much
PHOTO_SIDE = 0.42  # a new photo's long side, as a share of the board's


class Placer(QObject):
    """Background placement for one editor; ``message`` carries what the user must read."""

    message = Signal(str)
    busy_changed = Signal(int)

    def __init__(
        self,
        tasks: TaskManager,
        media: MediaLibrary,
        catalog: Callable[[], CatalogStore | None],
        controller: BoardController,
        parent: QObject | None = None,
        image_cache: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._media = media
        self._image_cache = image_cache
        self._catalog = catalog
        self._controller = controller
        self._busy = 0

    @property
    def board_id(self) -> str | None:
        return self._controller.board.id if self._controller.board else None

    def _set_busy(self, delta: int) -> None:
        self._busy += delta
        self.busy_changed.emit(self._busy)

    @property
    def busy(self) -> int:
        return self._busy

    def drop_products(self, ids: list[int], point: QPointF, visible: QRectF | None = None) -> None:
        """Place the catalog's products ``ids`` around ``point`` (one undo step), sized from
        ``visible``, the part of the board the curator sees (None: all of it)."""
        catalog = self._catalog()
        if self._controller.board is None or catalog is None or not ids:
            return
        if not self._controller.room_for(len(ids)):
            return
        self._set_busy(1)
        board_id = self._controller.board.id
        self._tasks.run(
            partial(describe_products_job, catalog, ids),
            partial(self._place_products, board_id, point, visible),
            self._placement_failed,
            owner=self,
        )

    def place_links(self, links: list[str], point: QPointF, visible: QRectF | None = None) -> None:
        """Product pages dropped or pasted as web links: each found in the catalog by its
        landing link and placed as a dropped product would be; a link of no product in the
        catalog is named in a message (nothing is fetched from the web)."""
        catalog = self._catalog()
        if self._controller.board is None or catalog is None or not links:
            return
        self._set_busy(1)
        self._tasks.run(
            partial(products_at_links, catalog, links),
            partial(self._place_found, point, visible),
            self._placement_failed,
            owner=self,
        )

    def _place_found(
        self, point: QPointF, visible: QRectF | None, found: tuple[list[int], list[str]]
    ) -> None:
        self._set_busy(-1)
        ids, missing = found
        if missing:
            self.message.emit(
                self.tr("No product in the catalog has this link: {links}").format(
                    links=", ".join(missing)
                )
            )
        self.drop_products(ids, point, visible)

    def _place_products(
        self, board_id: str, point: QPointF, visible: QRectF | None, infos: list[ProductInfo]
    ) -> None:
        self._set_busy(-1)
        board = self._controller.board
        if board is None or board.id != board_id or not infos:
            return
        whole = QRectF(0, 0, board.width, board.height)
        landing = land(len(infos), point, visible or whole, whole)
        w, h = landing.placeholder
        items = []
        for info, centre in zip(infos, landing.centres, strict=True):
            item = self._controller.new_item(
                BoardItemKind.PRODUCT, centre.x(), centre.y(), w, h, product=info.ref
            )
            self._controller.titles[item.id] = info.title
            items.append((item, info))
        self._set_busy(1)  # until the store has them (or said why not)
        self._controller.add_products(
            [i for i, _ in items], self.tr("Add products"), partial(self._fetch_images, items)
        )

    def _fetch_images(
        self, items: list[tuple[BoardItem, ProductInfo]], stored: list[BoardItem]
    ) -> None:
        self._set_busy(-1)
        added = {i.id for i in stored}
        for item, info in items:
            if item.id in added and info.image_link:
                self._set_busy(1)
                job = partial(
                    import_product_image_job, self._media, info.image_link, self._image_cache
                )
                self._tasks.run(
                    job,
                    partial(self._product_image, item.id),
                    self._placement_failed,
                    lane="images",
                    owner=self,
                )

    def _product_image(self, item_id: str, result: Imported) -> None:
        self._set_busy(-1)
        g = self._controller.graphics.get(item_id)
        known = self._controller.known(item_id)
        if result.media_hash is None:
            if g is not None:
                g.failed = True
                g.changed()
            self.message.emit(
                self.tr(
                    "A product image could not be fetched ({reason}); the "
                    "product stays on the board."
                ).format(reason=result.error)
            )
            return
        fields: dict[str, object] = {"media_hash": result.media_hash}
        if known is not None and result.width and result.height:
            size = fit_image(known.width, known.height, result.width, result.height)
            fields["width"], fields["height"] = size
        self._controller.update_later(item_id, fields)

    def _placement_failed(self, exc: BaseException) -> None:
        self._set_busy(-1)
        self.message.emit(self.tr("Could not place it: {reason}").format(reason=exc))

    def choose_photos(self, parent: QWidget) -> None:
        dialog = QFileDialog(parent, self.tr("Add photos"))
        dialog.setObjectName("boardPhotoDialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setNameFilter(photo_filter())
        dialog.filesSelected.connect(lambda files: self.add_photos([Path(f) for f in files]))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def add_photos(self, paths: list[Path], point: QPointF | None = None) -> None:
        board = self._controller.board
        if board is None or not paths or not self._controller.room_for(len(paths)):
            return
        self._set_busy(1)
        self._tasks.run(
            partial(import_files_job, self._media, list(paths)),
            partial(self._place_photos, board.id, point),
            self._placement_failed,
            lane="images",
            owner=self,
        )

    def paste(self, centre: QPointF, visible: QRectF | None = None) -> None:
        """Whatever the clipboard holds: products, product page links, image files or an
        image."""
        mime = QGuiApplication.clipboard().mimeData()
        if mime is None or self._controller.board is None:
            return
        ids = decode_product_ids(mime)
        links = product_links(mime)
        if ids:
            self.drop_products(ids, centre, visible)
        elif links:
            self.place_links(links, centre, visible)
        elif mime.hasUrls():
            files = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
            self.add_photos(files, centre)
        elif mime.hasImage():
            image = QImage(mime.imageData())
            if image.isNull() or not self._controller.room_for(1):
                return
            self._set_busy(1)
            self._tasks.run(
                partial(import_image_job, self._media, image),
                partial(self._place_photos, self._controller.board.id, centre),
                self._placement_failed,
                lane="images",
                owner=self,
            )

    def _place_photos(self, board_id: str, point: QPointF | None, results: list[Imported]) -> None:
        self._set_busy(-1)
        board = self._controller.board
        if board is None or board.id != board_id:
            return
        errors = [f"{r.source}: {r.error}" for r in results if r.media_hash is None]
        if errors:
            self.message.emit(self.tr("Not added: {errors}").format(errors="; ".join(errors)))
        where = point or QPointF(board.width / 2, board.height / 2)
        side = PHOTO_SIDE * max(board.width, board.height)
        items = []
        for n, r in enumerate(x for x in results if x.media_hash is not None):
            scale = side / max(r.width, r.height, 1)
            items.append(
                self._controller.new_item(
                    BoardItemKind.PHOTO,
                    where.x() + n * CASCADE,
                    where.y() + n * CASCADE,
                    r.width * scale,
                    r.height * scale,
                    media_hash=r.media_hash,
                )
            )
        self._controller.add(items, self.tr("Add photos"))
