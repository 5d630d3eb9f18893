"""The File menu's long jobs: importing a feed (or the demo catalog) and the archive.

Each controller lives in its feature folder (``catalog/import_dialog.py``,
``archive/controller.py``) and is made the first time the user asks for it, so start-up
imports neither. ``FileJobs`` hands them what they work on - the open stores, the catalog's
merchants for the import form - and says in the status bar how an import went. It tells no
page to refresh: each import is a write on the writer lane whose ``Changes`` every view hears
on ``TaskManager.changed`` (the catalog and its pickers after a feed import, the records'
views after an archive import), refreshing only what it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from studio.system.paths import Paths
from studio.ui.tasks import TaskManager
from studio.ui.widgets.labels import products_label
from studio.ui.workspaces import WorkspaceStack

if TYPE_CHECKING:
    from studio.core.catalog import ImportReport
    from studio.media.library import MediaLibrary
    from studio.services.feeds import FeedJob
    from studio.store.db import Database
    from studio.ui.archive.controller import ArchiveController
    from studio.ui.catalog.import_dialog import ImportController
    from studio.ui.catalog.view import CatalogView


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class FileJobs(QObject):
    """Feed and archive imports (and the archive export) for the main window."""

    def __init__(
        self,
        tasks: TaskManager,
        paths: Paths,
        workspaces: WorkspaceStack,
        window: QWidget,
        status: Callable[[str], None],
    ) -> None:
        super().__init__(window)
        self._tasks = tasks
        self._paths = paths
        self._workspaces = workspaces
        self._window = window
        self._status = status  # a message in the window's status bar
        self._imports: ImportController | None = None
        self._archive: ArchiveController | None = None
        self._demo_loading = False  # the import running is the demo's: its content follows
        self.archive_actions: tuple[QAction, ...] = ()  # File > Export/Import archive…

    def _catalog_page(self) -> CatalogView | None:
        return cast("CatalogView | None", self._workspaces.loaded_page("catalog"))

    # -- feeds ------------------------------------------------------------------------------

    @property
    def imports(self) -> ImportController:
        """File > Import feed…, and the demo catalog's import."""
        if self._imports is None:
            from studio.ui.catalog.import_dialog import ImportController

            self._imports = ImportController(
                self._tasks, lambda: self._workspaces.stores, self._window, self._merchants
            )
            self._imports.imported.connect(self._imported)
            self._imports.aborted.connect(self._status)
            self._imports.aborted.connect(self._demo_aborted)
        return self._imports

    def _merchants(self) -> list[str]:
        """The merchants the import form offers: the catalog's facet when it is built, else
        the store's short list (one small table, read as the form opens)."""
        page = self._catalog_page()
        if page is not None:
            return page.facets.values("merchant")
        store = self._workspaces.catalog_store()
        return store.merchants() if store is not None else []

    def load_demo(self) -> None:
        """Import the demo catalog shipped in resources/ (a catalog write on the writer
        lane, with progress)."""
        if self._workspaces.stores is None or self.imports.running:
            return
        image_cache = self._paths.image_cache

        def jobs() -> list[FeedJob]:
            # On the lane: the image cache is seeded with the demo's pictures first.
            from studio.media.demo import demo_feeds
            from studio.services.feeds import FeedJob

            return [
                FeedJob(f.path, f.merchant, f.format, True, f.default_currency, f.shop_url)
                for f in demo_feeds(image_cache)
            ]

        self._demo_loading = True
        self.imports.start(jobs, _tr("Loading the demo catalog"), always_report=False)

    def _demo_aborted(self, _text: str) -> None:
        self._demo_loading = False

    def _imported(self, reports: list[ImportReport]) -> None:
        added = sum(r.added for r in reports)
        self._status(_tr("Import finished: {added} added.").format(added=products_label(added)))
        stores = self._workspaces.stores
        if self._demo_loading and stores is not None:
            # What the studio makes, shown with the demo's products: a look, a board, a shop
            # and a review (services/demo_content.py), after the catalog's write.
            from studio.services.demo_content import add_demo_content

            self._tasks.write(
                lambda: add_demo_content(stores),
                None,
                lambda exc: self._status(
                    _tr("The demo's look, board, shop and review were not added: {reason}").format(
                        reason=exc
                    )
                ),
                owner=self,
            )
        self._demo_loading = False

    # -- the archive ------------------------------------------------------------------------

    @property
    def archive(self) -> ArchiveController:
        """File > Export archive… / Import archive…."""
        if self._archive is None:
            from studio.ui.archive.controller import ArchiveController

            self._archive = ArchiveController(self._tasks, self._window, self._archive_sources)
            self._archive.actions = self.archive_actions
        return self._archive

    def _archive_sources(self) -> tuple[Database | None, MediaLibrary | None]:
        stores = self._workspaces.stores
        return (stores.catalog.db, stores.media) if stores is not None else (None, None)
