"""The shops feature's public surface: ``ShopsPage`` for the main window.

The page is the shop list (``shop_list.py``) beside the shop editor (``editor.py``), under a
message bar where refusals (the tier limit, a competitor's product, a taken handle) and
results (a preview written, issues fixed) are shown. One controller owns the open shop, its
shelf model, the page's writes (all on the writer lane) and its undo stack; the main window
adds the stack to its undo group. The page follows what others write by itself
(``TaskManager.changed``): nobody needs to tell it to read again.

Preview shows the open shop as buyers will see it: the page ``studio shops export`` writes -
the same ``studio.core.shop_page`` functions over the same store reads - is written to
``<cache>/shop-preview/<handle>/index.html`` in a worker and opened in the system browser with
``QDesktopServices.openUrl``; the banner and the product pictures (from the catalog's thumbnail
cache when there) are embedded as JPEG ``data:`` URIs, so the page is one self-contained file.
When no browser opens it (``openUrl`` answers False: no browser set up, a sandbox), the message
bar says so, names where the page is, and offers "Save page…" to copy it where the curator
wants (the copy is made in a worker).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QUndoStack
from PySide6.QtWidgets import QFileDialog, QSplitter, QVBoxLayout, QWidget

from studio.core.shop_page import page_image_links, shop_page, write_shop_page
from studio.ui.shops.controller import ShopController
from studio.ui.shops.editor import ShopEditor
from studio.ui.shops.shop_list import ShopList
from studio.ui.tasks import TaskManager
from studio.ui.widgets.message_bar import MessageBar

if TYPE_CHECKING:
    from studio.media.library import MediaLibrary
    from studio.services.workspace import Stores
    from studio.store.catalog import CatalogStore
    from studio.store.profile import ProfileStore
    from studio.store.shops import ShopStore
    from studio.system.paths import Paths
    from studio.ui.workspace import WorkspaceContext

_KEY = "shops/"


def build_workspace(ctx: WorkspaceContext) -> ShopsPage:
    s = ctx.stores
    assert s is not None and s.shops is not None and s.profile is not None and s.media is not None
    return ShopsPage(ctx.tasks, s.shops, s.profile, s.media, ctx.catalog, ctx.paths, ctx.parent)


def write_preview(
    shops: ShopStore,
    media: MediaLibrary,
    shop_id: str,
    cache: Path,
    image_cache: Path | None = None,
) -> Path:
    """Worker: write the shop's page under ``cache`` (as ``studio shops export`` does, product
    pictures taken from ``image_cache`` or read and cached there); its path."""
    from studio.media.export_html import stored_image_uri
    from studio.media.product_images import product_image_uris

    doc, infos, affiliations = shops.page_facts(shop_id)
    pictures = product_image_uris(page_image_links(doc, infos), image_cache)
    page = shop_page(
        doc, infos, affiliations, stored_image_uri(media, doc.shop.banner_hash), pictures
    )
    return write_shop_page(page, cache / "shop-preview" / doc.shop.handle)


class Previewer(QObject):
    """``written(path, opened)`` once the page is on disk and handed to the browser
    (``opened``: whether a browser took it)."""

    written = Signal(Path, bool)
    failed = Signal(str)

    def __init__(
        self,
        tasks: TaskManager,
        shops: ShopStore,
        media: MediaLibrary,
        cache: Path,
        image_cache: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._shops = shops
        self._media = media
        self._cache = cache
        self._image_cache = image_cache
        self.busy = False

    def preview(self, shop_id: str) -> None:
        shops, media, cache, images = self._shops, self._media, self._cache, self._image_cache
        self.busy = True
        self._tasks.run(
            lambda: write_preview(shops, media, shop_id, cache, images),
            self._done,
            self._failed,
            channel="shop-preview",
        )

    def _done(self, path: Path) -> None:
        self.busy = False
        opened = QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        self.written.emit(path, bool(opened))

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.failed.emit(self.tr("The preview could not be written: {reason}").format(reason=exc))


class ShopsPage(QWidget):
    """Shops: the list of the curator's shops and the editor of the chosen one."""

    name = "shops"

    def __init__(
        self,
        tasks: TaskManager,
        shops: ShopStore,
        profile: ProfileStore,
        media: MediaLibrary,
        catalog: Callable[[], CatalogStore | None],
        paths: Paths,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("shopsPage")
        self.title = self.tr("Shops")
        self.shops = shops
        self.profile = profile
        self.paths = paths
        self.controller = ShopController(tasks, shops, profile, catalog, self)
        self.messages = MessageBar(self)
        self.shop_list = ShopList(tasks, self.controller, self)
        self.editor = ShopEditor(
            tasks, self.controller, media, catalog, Path(paths.image_cache), self
        )
        self.previewer = Previewer(
            tasks, shops, media, Path(paths.cache), Path(paths.image_cache), self
        )
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.shop_list)
        self.splitter.addWidget(self.editor)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([250, 1100])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.messages)
        layout.addWidget(self.splitter, 1)
        # Ctrl+N anywhere on the page; the main window's File > New triggers it too.
        self.new_action = self.shop_list.new_action
        self.addAction(self.new_action)
        c = self.controller
        c.message.connect(self._message)
        # A result ("3 added to the shelf.") tells what the last step did: once that step is
        # undone (or another made), it no longer holds and goes.
        self._result_step: int | None = None
        c.undo.indexChanged.connect(self._step_moved)
        c.list_changed.connect(lambda select: self.shop_list.refresh(select=select or None))
        c.want_shop.connect(lambda shop_id: self.shop_list.refresh(select=shop_id))
        c.shop_trashed.connect(self.shop_list.drop_shop)
        self.shop_list.shop_selected.connect(self._open)
        # The open shop's line follows its edits from what the editor holds: reading every
        # shop's counts and health again takes a worker ~0.4 s of Python for a 10,000-product
        # shop (the interpreter taken from typing and dragging).
        c.counts_changed.connect(lambda: self._open_counts(None))
        c.health_changed.connect(
            lambda issues: self._open_counts(len(issues) if c.health_known else None)
        )
        c.shop_changed.connect(self.shop_list.show_shop)
        self.shop_list.refreshed.connect(lambda: self._open_counts(None))
        self.editor.preview_button.clicked.connect(self.preview)
        self.editor.preview_action.triggered.connect(self.preview)
        self.previewer.written.connect(self._previewed)
        self._tasks = tasks
        self.previewer.failed.connect(lambda text: self.messages.show_message(text))
        self.shop_list.refresh()

    @property
    def undo_stack(self) -> QUndoStack:
        """The page's one undo stack (shop list and editor edits alike)."""
        return self.controller.undo

    def flush(self) -> None:
        """Write typed text now (the note, the settings fields)."""
        self.editor.flush_note()
        self.editor.settings.flush()

    def _open(self, shop_id: str) -> None:
        if shop_id != (self.controller.shop_id or ""):
            self.flush()
            if shop_id:
                self.editor.title.setText(self.tr("Opening…"))
            self.controller.open_shop(shop_id or None)

    def _open_counts(self, issues: int | None) -> None:
        c = self.controller
        if c.shop_id is not None and c.showing(c.shop_id):
            self.shop_list.show_counts(c.shop_id, c.model.item_count, c.room_left, issues)

    def preview(self) -> None:
        shop_id = self.controller.shop_id
        if shop_id is not None:
            self.flush()  # typed text written first: the page shows what was typed
            self.controller.when_written(lambda: self.previewer.preview(shop_id))

    def _message(self, text: str, error: bool) -> None:
        self.messages.show_message(text, "error" if error else "info")
        self._result_step = None if error else self.controller.undo.index()

    def _step_moved(self, index: int) -> None:
        if self._result_step is not None and index != self._result_step:
            self._result_step = None
            if self.messages.kind == "info":
                self.messages.clear()

    def _previewed(self, path: Path, opened: bool) -> None:
        if opened:
            self.messages.show_message(
                self.tr("Preview written to {path} and opened in your browser.").format(path=path),
                "info",
            )
            return
        self.messages.show_message(
            self.tr(
                "No browser opened the preview. The page is saved at {path}; save a copy "
                "where you want it and open it yourself."
            ).format(path=path),
            "warning",
            action=(self.tr("Save page…"), lambda: self.save_preview(path)),
        )

    def save_preview(self, page: Path) -> None:
        """Ask where to save a copy of the preview ``page``, and copy it there (a worker)."""
        target, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the shop page"),
            str(Path.home() / f"{page.parent.name}.html"),
            self.tr("Web page (*.html)"),
        )
        if not target:
            return

        def saved(copy: object) -> None:
            self.messages.show_message(self.tr("Page saved to {path}.").format(path=target), "info")

        def failed(exc: BaseException) -> None:
            self.messages.show_message(
                self.tr("The page could not be saved: {reason}").format(reason=exc)
            )

        self._tasks.run(lambda: shutil.copyfile(page, target), saved, failed)

    def hideEvent(self, event: object) -> None:
        self.flush()  # leaving the page saves what was typed
        super().hideEvent(event)  # type: ignore[arg-type]

    # -- Workspace --------------------------------------------------------------------------

    @property
    def owns_undo_keys(self) -> bool:
        return False

    def can_export(self) -> bool:
        return False  # a shop is shared through Preview and ``studio shops export``

    def export(self, fmt: str) -> None:
        pass

    def attach(self, stores: Stores) -> None:
        pass  # built with its stores

    def activate(self) -> None:
        pass

    def save_state(self, settings: QSettings) -> None:
        self.flush()
        settings.setValue(_KEY + "splitter", self.splitter.saveState())
        settings.setValue(_KEY + "editor_splitter", self.editor.splitter.saveState())
        settings.setValue(_KEY + "open_shop", self.controller.shop_id or "")

    def restore_state(self, settings: QSettings) -> None:
        for key, splitter in (
            ("splitter", self.splitter),
            ("editor_splitter", self.editor.splitter),
        ):
            state = settings.value(_KEY + key)
            if state is not None:
                splitter.restoreState(state)
        shop_id = settings.value(_KEY + "open_shop", "")
        if shop_id:
            self.shop_list.refresh(select=str(shop_id))
