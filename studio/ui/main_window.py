"""The main window: assembles the feature views, the menus and the remembered window state.

Its central area holds the workspaces - Catalog and Looks at once; Boards, Shops and Reviews
once the stores are open - switched from the View menu (Ctrl+Shift+1 to 5) or the bar above.
The Edit menu's Undo and Redo follow the shown workspace's undo stack through a ``QUndoGroup``.
It owns no feature logic. Window state (geometry, dock/toolbar state, splitter sizes, grid or
list mode, shown panes, the last query and sort, the shown workspace, and what each page keeps
through its ``save_state``) lives in an INI file under the config directory through
``QSettings`` and is restored on the next start.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QKeySequence,
    QPaintEvent,
    QUndoGroup,
    QUndoStack,
)
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QStackedWidget, QWidget

from studio import APP_NAME, __version__
from studio.system.paths import Paths
from studio.ui.archive.menu import add_archive_actions
from studio.ui.catalog.grid_view import ViewMode
from studio.ui.catalog.import_dialog import ImportController, ImportJob
from studio.ui.catalog.view import CatalogView
from studio.ui.looks.api import LooksPage
from studio.ui.looks.look_export import LookExporter
from studio.ui.tasks import TaskManager
from studio.ui.window_state import restore_window_state, save_window_state

log = logging.getLogger(__name__)
SETTINGS_FILE = "window.ini"
WORKSPACES = ("catalog", "looks", "boards", "shops", "reviews")


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
        self.looks = LooksPage(
            tasks, paths.image_cache, lambda: self.catalog.store, self.settings, self
        )
        self.boards: QWidget | None = None
        self.curation: Any = None  # shops, reviews and the profile (studio.ui.curation)
        self.board_store: Any = None
        self.media_library: Any = None
        self.board_exporter = LookExporter(
            tasks,
            self,
            lambda: (self.board_store, self.catalog.store, self.media_library),
            kind="board",
        )
        self.workspaces = QStackedWidget(self)
        self.workspaces.addWidget(self.catalog)
        self.workspaces.addWidget(self.looks)
        self.pages: dict[str, QWidget] = {"catalog": self.catalog, "looks": self.looks}
        self.setCentralWidget(self.workspaces)
        self.undo_group = QUndoGroup(self)
        self.undo_group.addStack(self.looks.undo_stack)
        self.imports = ImportController(
            tasks, lambda: self.catalog.store, self, lambda: self.catalog.facets.values("merchant")
        )
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

    def _action(
        self, text: str, slot: Any, shortcut: QKeySequence | None = None, checkable: bool = False
    ) -> QAction:
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
        self.import_action = self._action(
            self.tr("&Import feed…"),
            lambda: self.imports.choose_and_import(),
            QKeySequence(self.tr("Ctrl+I")),
        )
        self.demo_action = self._action(self.tr("Load &demo catalog"), lambda: self.load_demo())
        self.quit_action = self._action(
            self.tr("&Quit"), self.close, QKeySequence(QKeySequence.StandardKey.Quit)
        )
        # Some desktops map the standard Quit to nothing; Ctrl+Q always works.
        self.quit_action.setShortcuts(
            [QKeySequence(QKeySequence.StandardKey.Quit), QKeySequence(self.tr("Ctrl+Q"))]
        )
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.new_look_action = self._action(
            self.tr("&New look"), self.new_item, QKeySequence(self.tr("Ctrl+N"))
        )
        file_menu.addAction(self.new_look_action)
        file_menu.addSeparator()
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.demo_action)
        file_menu.addSeparator()
        self.archive = add_archive_actions(self, file_menu, self._tasks)
        file_menu.addSeparator()
        # Exports the look or the board being edited, whichever workspace is shown.
        self.export_menu = file_menu.addMenu(self.tr("&Export"))
        self.export_actions = {}
        for fmt, text in (
            ("png", self.tr("Export as &PNG…")),
            ("jpeg", self.tr("Export as &JPEG…")),
            ("html", self.tr("Export as &HTML…")),
        ):
            action = self._action(text, lambda _c=False, f=fmt: self.export_current(f))
            self.export_actions[fmt] = action
            self.export_menu.addAction(action)
        self.export_menu.aboutToShow.connect(self._update_export)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        edit_menu = self.edit_menu = bar.addMenu(self.tr("&Edit"))
        self.undo_action = self.undo_group.createUndoAction(self, self.tr("&Undo"))
        self._undo_keys = [QKeySequence(QKeySequence.StandardKey.Undo)]
        self.undo_action.setShortcuts(self._undo_keys)
        self.redo_action = self.undo_group.createRedoAction(self, self.tr("&Redo"))
        self._redo_keys = [
            QKeySequence(self.tr("Ctrl+Shift+Z")),
            QKeySequence(QKeySequence.StandardKey.Redo),
        ]
        self.redo_action.setShortcuts(self._redo_keys)
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        self.find_action = self._action(
            self.tr("&Find"), self.focus_search, QKeySequence(QKeySequence.StandardKey.Find)
        )
        edit_menu.addAction(self.find_action)

        view_menu = bar.addMenu(self.tr("&View"))
        spaces = QActionGroup(self)
        self.workspace_actions: dict[str, QAction] = {}
        for i, (name, text) in enumerate(
            (
                ("catalog", self.tr("&Catalog")),
                ("looks", self.tr("L&ooks")),
                ("boards", self.tr("&Boards")),
                ("shops", self.tr("&Shops")),
                ("reviews", self.tr("&Reviews")),
            )
        ):
            action = self._action(
                text,
                partial(self._workspace_toggled, name),
                QKeySequence(self.tr("Ctrl+Shift+{n}").format(n=i + 1)),
                checkable=True,
            )
            spaces.addAction(action)
            view_menu.addAction(action)
            self.workspace_actions[name] = action
        self.workspace_actions["catalog"].setChecked(True)
        for name in WORKSPACES[2:]:
            self.workspace_actions[name].setVisible(False)  # until its page is added
        # The same actions as buttons along the top, so the workspaces are found at a glance.
        self.workspace_bar = self.addToolBar(self.tr("Workspaces"))
        self.workspace_bar.setObjectName("workspaceBar")  # saveState() needs the name
        self.workspace_bar.setMovable(False)
        self.workspace_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in self.workspace_actions.values():
            self.workspace_bar.addAction(action)
        view_menu.addSeparator()
        group = QActionGroup(self)
        self.grid_action = self._action(
            self.tr("&Grid"),
            lambda: self.set_mode(ViewMode.GRID),
            QKeySequence(self.tr("Ctrl+1")),
            checkable=True,
        )
        self.list_action = self._action(
            self.tr("&List"),
            lambda: self.set_mode(ViewMode.LIST),
            QKeySequence(self.tr("Ctrl+2")),
            checkable=True,
        )
        for action in (self.grid_action, self.list_action):
            group.addAction(action)
            view_menu.addAction(action)
        self.grid_action.setChecked(True)
        view_menu.addSeparator()
        self.facets_action = self._action(
            self.tr("Show &filters"), self.catalog.facets.setVisible, checkable=True
        )
        self.detail_action = self._action(
            self.tr("Show &details"), self.catalog.detail.setVisible, checkable=True
        )
        self.facets_action.setChecked(True)
        self.detail_action.setChecked(True)
        view_menu.addAction(self.facets_action)
        view_menu.addAction(self.detail_action)

        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self._action(self.tr("&About Vitrine Studio"), self.show_about))

    # -- workspaces -------------------------------------------------------------------------

    def add_workspace(self, name: str, page: QWidget) -> None:
        """Place a workspace's page (its undo stack, if any, joins the Edit menu)."""
        self.pages[name] = page
        self.workspaces.addWidget(page)
        stack = self._stack_of(page)
        if stack is not None:
            self.undo_group.addStack(stack)
        self.workspace_actions[name].setVisible(True)
        if name == "boards":
            self.boards = page

    @staticmethod
    def _stack_of(page: QWidget | None) -> QUndoStack | None:
        """A workspace's undo stack: ``undo_stack`` on the page, or its editor's ``undo``."""
        for owner, name in ((page, "undo_stack"), (getattr(page, "editor", None), "undo")):
            stack = getattr(owner, name, None)
            if isinstance(stack, QUndoStack):
                return stack
        return None

    def _workspace_toggled(self, name: str, on: bool) -> None:
        if on:
            self.show_workspace(name)

    def _page(self, name: str) -> QWidget | None:
        return self.pages.get(name)

    @property
    def workspace(self) -> str:
        current = self.workspaces.currentWidget()
        return next((n for n in WORKSPACES if self._page(n) is current), "catalog")

    def show_workspace(self, name: str) -> None:
        page = self._page(name)
        if page is None:
            return
        self.workspaces.setCurrentWidget(page)
        self.workspace_actions[name].setChecked(True)
        self.count_label.setVisible(name == "catalog")  # the catalog's result count
        self.undo_group.setActiveStack(self._stack_of(page))  # type: ignore[arg-type]
        # The boards editor binds Undo/Redo keys itself; the same keys here too would make
        # them ambiguous (and dead) there, so the menu items keep only their text meanwhile.
        own_keys = name == "boards"
        self.undo_action.setShortcuts([] if own_keys else self._undo_keys)
        self.redo_action.setShortcuts([] if own_keys else self._redo_keys)
        # Likewise "New": a page with its own (new board, shop, review) takes Ctrl+N.
        page_new = getattr(page, "new_action", None)
        self.new_look_action.setShortcut(
            QKeySequence() if page_new is not None else QKeySequence(self.tr("Ctrl+N"))
        )
        self.new_look_action.setText(
            page_new.text() if page_new is not None else self.tr("&New look")
        )
        for attr in ("grid_action", "list_action", "facets_action", "detail_action", "find_action"):
            action = getattr(self, attr, None)  # None while the menus are being built
            if action is not None:
                action.setEnabled(name == "catalog")

    def new_item(self) -> None:
        """File > New: a new board, shop or review on those pages, else a new look."""
        page_new = getattr(self.workspaces.currentWidget(), "new_action", None)
        if page_new is not None:
            page_new.trigger()
        else:
            self.new_look()

    def new_look(self) -> None:
        if self.looks.library.store is None:
            return
        self.show_workspace("looks")
        self.looks.library.new_look()

    def _board_editor(self) -> Any:
        return getattr(self.boards, "editor", None)

    def _update_export(self) -> None:
        board = self._board_editor()
        enabled = (
            self.workspace == "looks" and self.looks.editing and self.looks.editor.doc is not None
        ) or (self.workspace == "boards" and board is not None and board.board_id is not None)
        for action in self.export_actions.values():
            action.setEnabled(enabled)

    def export_current(self, fmt: str) -> None:
        """Export the look or board being edited as ``fmt`` ("png", "jpeg" or "html")."""
        board = self._board_editor()
        if self.workspace == "boards" and board is not None and board.board_id is not None:
            self.board_exporter.choose_and_export(board.board_id, board.title.text(), fmt)
        elif self.workspace == "looks":
            self.looks.editor.export(fmt)

    def set_mode(self, mode: ViewMode | str) -> None:
        mode = ViewMode(mode)
        self.catalog.set_mode(mode)
        (self.grid_action if mode == ViewMode.GRID else self.list_action).setChecked(True)

    def focus_search(self) -> None:
        self.catalog.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.catalog.search_box.selectAll()

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About Vitrine Studio"),
            self.tr(
                "<b>{name}</b> {version}<br>The offline studio for product curators: browse "
                "merchants' catalogs, compose looks, run your shop window."
            ).format(name=APP_NAME, version=__version__),
        )

    # -- store and imports ------------------------------------------------------------------

    def set_store(
        self,
        store: Any,
        *,
        looks: Any = None,
        boards: Any = None,
        media: Any = None,
        shops: Any = None,
        reviews: Any = None,
        profile: Any = None,
    ) -> None:
        """Attach the opened stores: the catalog, looks, boards, shops, reviews, profile, media."""
        self.catalog.set_store(store)
        self.board_store = boards
        self.media_library = media
        if looks is not None:
            self.looks.set_sources(looks, media)
            if self.workspace == "looks":
                self.looks.restore()
        if boards is not None and self.boards is None:
            from studio.ui.boards.api import BoardsPage

            self.add_workspace(
                "boards",
                BoardsPage(
                    self._tasks,
                    boards,
                    media,
                    lambda: self.catalog.store,
                    self,
                    image_cache=self._paths.image_cache,
                ),
            )
        if None not in (shops, reviews, profile) and self.curation is None:
            from studio.ui.curation import attach_curation

            self.curation = attach_curation(
                self,
                self._tasks,
                self._paths,
                shops=shops,
                reviews=reviews,
                profile=profile,
                media=media,
            )
        last = str(self.settings.value("app/last_view", ""))
        if last in WORKSPACES[2:] and last in self.pages:
            self.show_workspace(last)

    def load_demo(self) -> None:
        """Import the demo catalog shipped in resources/ (in a worker, with progress)."""
        if self.catalog.store is None or self.imports.running:
            return
        image_cache = self._paths.image_cache

        def jobs() -> list[ImportJob]:
            # Worker: the image cache is seeded with the demo's pictures first.
            from studio.media.demo import demo_feeds

            return [
                ImportJob(f.path, f.merchant, f.format, True, f.default_currency, f.shop_url)
                for f in demo_feeds(image_cache)
            ]

        self.imports.start(jobs, self.tr("Loading the demo catalog"), always_report=False)

    def _imported(self, reports: list[Any]) -> None:
        added = sum(r.added for r in reports)
        self.statusBar().showMessage(
            self.tr("Import finished: {added} products added.").format(added=f"{added:,}"), 8000
        )
        self.catalog.catalog_changed()

    def _results_changed(self, total: int) -> None:
        size = self.catalog.catalog_size
        if size <= 0:
            self.count_label.clear()
            return
        self.count_label.setText(
            self.tr("Showing {shown} of {size} products").format(
                shown=f"{total:,}", size=f"{max(size, 0):,}"
            )
        )

    # -- window state -----------------------------------------------------------------------

    def save_state(self) -> None:
        save_window_state(self)

    def restore_state(self) -> None:
        restore_window_state(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.curation is not None:
            self.curation.flush()
        self.save_state()
        super().closeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit()
