"""The main window: assembles the feature views, the menus and the remembered window state.

It owns no feature logic. Window state (geometry, dock/toolbar state, splitter sizes, grid or
list mode, shown panes, the last query and sort) lives in an INI file under the config
directory through ``QSettings`` and is restored on the next start.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QPaintEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QWidget

from studio import APP_NAME, __version__
from studio.core.catalog import SortKey
from studio.system.paths import Paths
from studio.ui.catalog.grid_view import ViewMode
from studio.ui.catalog.import_dialog import ImportController, ImportJob
from studio.ui.catalog.view import CatalogView
from studio.ui.tasks import TaskManager

log = logging.getLogger(__name__)
SETTINGS_FILE = "window.ini"


class MainWindow(QMainWindow):
    """Vitrine Studio's window; ``set_store`` attaches the catalog once it is open."""

    #: Emitted once, from the first paint of the window (start-up timing and smoke test).
    first_painted = Signal()

    def __init__(self, tasks: TaskManager, paths: Paths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._paths = paths
        self._painted = False
        self.settings = QSettings(str(paths.config / SETTINGS_FILE), QSettings.Format.IniFormat)
        self.setWindowTitle(APP_NAME)
        self.setObjectName("mainWindow")
        self.catalog = CatalogView(tasks, paths.image_cache, self)
        self.setCentralWidget(self.catalog)
        self.imports = ImportController(tasks, lambda: self.catalog.store, self,
                                        lambda: self.catalog.facets.values("merchant"))
        self.imports.imported.connect(self._imported)
        self.imports.aborted.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.catalog.import_requested.connect(self.imports.choose_and_import)
        self.catalog.demo_requested.connect(self.load_demo)
        self.catalog.results_changed.connect(self._results_changed)
        self.count_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.count_label)
        self._build_menus()
        self.resize(1280, 820)
        self.restore_state()

    # -- menus ------------------------------------------------------------------------------

    def _action(self, text: str, slot: Any, shortcut: QKeySequence | None = None,
                checkable: bool = False) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.setCheckable(checkable)
        # A checkable action reports its new state; a plain one is just triggered.
        (action.toggled if checkable else action.triggered).connect(slot)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        self.import_action = self._action(self.tr("&Import feed…"),
                                          lambda: self.imports.choose_and_import(),
                                          QKeySequence(self.tr("Ctrl+I")))
        self.demo_action = self._action(self.tr("Load &demo catalog"), lambda: self.load_demo())
        self.quit_action = self._action(self.tr("&Quit"), self.close,
                                        QKeySequence(QKeySequence.StandardKey.Quit))
        # Some desktops map the standard Quit to nothing; Ctrl+Q always works.
        self.quit_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Quit),
                                       QKeySequence(self.tr("Ctrl+Q"))])
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.demo_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        edit_menu = bar.addMenu(self.tr("&Edit"))
        self.find_action = self._action(self.tr("&Find"), self.focus_search,
                                        QKeySequence(QKeySequence.StandardKey.Find))
        edit_menu.addAction(self.find_action)

        view_menu = bar.addMenu(self.tr("&View"))
        group = QActionGroup(self)
        self.grid_action = self._action(self.tr("&Grid"), lambda: self.set_mode(ViewMode.GRID),
                                        QKeySequence(self.tr("Ctrl+1")), checkable=True)
        self.list_action = self._action(self.tr("&List"), lambda: self.set_mode(ViewMode.LIST),
                                        QKeySequence(self.tr("Ctrl+2")), checkable=True)
        for action in (self.grid_action, self.list_action):
            group.addAction(action)
            view_menu.addAction(action)
        self.grid_action.setChecked(True)
        view_menu.addSeparator()
        self.facets_action = self._action(self.tr("Show &filters"), self.catalog.facets.setVisible,
                                          checkable=True)
        self.detail_action = self._action(self.tr("Show &details"),
                                          self.catalog.detail.setVisible, checkable=True)
        self.facets_action.setChecked(True)
        self.detail_action.setChecked(True)
        view_menu.addAction(self.facets_action)
        view_menu.addAction(self.detail_action)

        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self._action(self.tr("&About Vitrine Studio"), self.show_about))

    def set_mode(self, mode: ViewMode | str) -> None:
        mode = ViewMode(mode)
        self.catalog.set_mode(mode)
        (self.grid_action if mode == ViewMode.GRID else self.list_action).setChecked(True)

    def focus_search(self) -> None:
        self.catalog.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.catalog.search_box.selectAll()

    def show_about(self) -> None:
        QMessageBox.about(self, self.tr("About Vitrine Studio"), self.tr(
            "<b>{name}</b> {version}<br>The offline studio for product curators: browse "
            "merchants' catalogs, compose looks, run your shop window.").format(
                name=APP_NAME, version=__version__))

    # -- store and imports ------------------------------------------------------------------

    def set_store(self, store: Any) -> None:
        self.catalog.set_store(store)

    def load_demo(self) -> None:
        """Import the demo catalog shipped in resources/ (in a worker, with progress)."""
        if self.catalog.store is None or self.imports.running:
            return
        target = self._paths.cache / "demo-feeds"

        def jobs() -> list[ImportJob]:
            # Worker: the demo's feed copies are written with local image URIs first.
            from studio.media.demo import demo_feeds

            return [ImportJob(f.path, f.merchant, f.format, True, f.default_currency,
                              f.shop_url) for f in demo_feeds(target)]

        self.imports.start(jobs, self.tr("Loading the demo catalog"), always_report=False)

    def _imported(self, reports: list[Any]) -> None:
        added = sum(r.added for r in reports)
        self.statusBar().showMessage(
            self.tr("Import finished: {added} products added.").format(added=f"{added:,}"), 8000)
        self.catalog.catalog_changed()

    def _results_changed(self, total: int) -> None:
        size = self.catalog.catalog_size
        if size <= 0:
            self.count_label.clear()
            return
        self.count_label.setText(self.tr("Showing {shown} of {size} products").format(
            shown=f"{total:,}", size=f"{max(size, 0):,}"))

    # -- window state -----------------------------------------------------------------------

    def save_state(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("catalog/splitter", self.catalog.splitter.saveState())
        s.setValue("catalog/mode", self.catalog.grid.mode.value)
        s.setValue("catalog/show_facets", self.facets_action.isChecked())
        s.setValue("catalog/show_detail", self.detail_action.isChecked())
        s.setValue("catalog/query", self.catalog.search_box.text())
        s.setValue("catalog/sort", self.catalog.facets.sort_key().value)
        s.setValue("app/last_view", "catalog")
        s.sync()

    def restore_state(self) -> None:
        s = self.settings
        # Panes first: their minimum sizes decide how small the restored geometry may be.
        for key, action, pane in (
                ("catalog/show_facets", self.facets_action, self.catalog.facets),
                ("catalog/show_detail", self.detail_action, self.catalog.detail)):
            shown = str(s.value(key, "true")).lower() == "true"
            action.setChecked(shown)
            pane.setVisible(shown)
        geometry = s.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)  # type: ignore[arg-type]
        state = s.value("window/state")
        if state is not None:
            self.restoreState(state)  # type: ignore[arg-type]
        splitter = s.value("catalog/splitter")
        if splitter is not None:
            self.catalog.splitter.restoreState(splitter)  # type: ignore[arg-type]
        mode = str(s.value("catalog/mode", ViewMode.GRID.value))
        self.set_mode(mode if mode in (m.value for m in ViewMode) else ViewMode.GRID)
        self.catalog.search_box.setText(str(s.value("catalog/query", "")))
        sort = str(s.value("catalog/sort", SortKey.RELEVANCE.value))
        if sort in (k.value for k in SortKey):
            self.catalog.facets.set_sort_key(sort)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        super().closeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit()
