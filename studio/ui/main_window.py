"""The main window: the menus, the workspaces and the remembered window state.

Its central area holds the workspaces - Catalog, Looks, Boards, Shops, Reviews - switched from
the View menu (Ctrl+Shift+1 to 5) or the bar above. Each is a ``Workspace`` (``workspace.py``)
built the first time it is shown (``workspaces.py``), so start-up pays only for the one shown
first. The window lends the shown workspace the Edit menu's Undo and Redo (through a
``QUndoGroup``), File > New and File > Export; it owns no feature logic. Window state
(geometry, toolbar state, the shown workspace, and what each built page keeps through its
``save_state``) lives in an INI file under the config directory through ``QSettings`` and is
restored on the next start.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QPaintEvent, QUndoGroup
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from studio import APP_NAME
from studio.system.paths import Paths
from studio.ui import memory, style
from studio.ui.account.menu import AccountMenu
from studio.ui.catalog_menu import CatalogMenu
from studio.ui.curation import Curation
from studio.ui.drag_switch import SpringLoadedBar
from studio.ui.file_jobs import FileJobs
from studio.ui.help_menu import HelpMenu
from studio.ui.tasks import TaskManager
from studio.ui.widgets import keys
from studio.ui.window_state import restore_window_state, save_window_state
from studio.ui.workspace import Workspace
from studio.ui.workspaces import NAMES, WorkspaceStack, as_widget

if TYPE_CHECKING:
    from studio.media.library import MediaLibrary
    from studio.services.workspace import Stores
    from studio.store.boards import BoardStore
    from studio.store.catalog import CatalogStore
    from studio.store.looks import LookStore
    from studio.store.profile import ProfileStore
    from studio.store.reviews import ReviewStore
    from studio.store.shops import ShopStore
    from studio.ui.archive.controller import ArchiveController
    from studio.ui.boards.api import BoardsPage
    from studio.ui.catalog.import_dialog import ImportController
    from studio.ui.catalog.view import CatalogView
    from studio.ui.looks.page import LooksPage
    from studio.ui.widgets.sheet_export import LookExporter

SETTINGS_FILE = "window.ini"


class MainWindow(QMainWindow):
    """Vitrine Studio's window; ``attach_stores`` hands it the stores once they are open."""

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
        self.workspaces = WorkspaceStack(tasks, paths, self.settings, self)
        self.workspaces.built.connect(self._built)
        self.setCentralWidget(self.workspaces)
        self.undo_group = QUndoGroup(self)
        self.curation: Curation | None = None
        self.jobs = FileJobs(
            tasks, paths, self.workspaces, self, lambda t: self.statusBar().showMessage(t, 8000)
        )
        self._build_menus()
        self.resize(1280, 820)
        self.restore_state()

    # -- the workspaces' pages (each built when first asked for) ----------------------------

    @property
    def catalog(self) -> CatalogView:
        return cast("CatalogView", self.workspaces.page("catalog"))

    @property
    def looks(self) -> LooksPage:
        return cast("LooksPage", self.workspaces.page("looks"))

    @property
    def boards(self) -> BoardsPage | None:
        """The Boards page; None until the stores it needs are open."""
        return cast("BoardsPage | None", self.workspaces.page("boards"))

    @property
    def board_exporter(self) -> LookExporter | None:
        boards = self.boards
        return boards.exporter if boards is not None else None

    @property
    def stores(self) -> Stores | None:
        return self.workspaces.stores

    # -- menus ------------------------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: Callable[..., object],
        shortcut: QKeySequence | None = None,
        checkable: bool = False,
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
        self.quit_action = self._action(self.tr("&Quit"), self.close)
        # Ctrl+Q always, and the platform's Quit if it has another: each key once (the same
        # key twice on one action is an ambiguous shortcut, and dead).
        self.quit_action.setShortcuts(keys.bindings(keys.QUIT))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.new_look_action = self._action(self.tr("&New look"), self.new_item)
        self._new_keys = keys.bindings(keys.NEW)
        self.new_look_action.setShortcuts(self._new_keys)
        file_menu.addAction(self.new_look_action)
        file_menu.addSeparator()
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.demo_action)
        file_menu.addSeparator()
        self.jobs.archive_actions = (
            self._action(self.tr("Export &archive…"), lambda: self.archive.choose_export()),
            self._action(self.tr("Import a&rchive…"), lambda: self.archive.choose_import()),
        )
        file_menu.addActions(list(self.jobs.archive_actions))
        file_menu.addSeparator()
        # Exports the look or the board being edited, whichever workspace is shown.
        self.export_menu = file_menu.addMenu(self.tr("&Export"))
        self.export_actions: dict[str, QAction] = {}
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
        self._undo_keys = keys.bindings(keys.UNDO)
        self.undo_action.setShortcuts(self._undo_keys)
        self.redo_action = self.undo_group.createRedoAction(self, self.tr("&Redo"))
        self._redo_keys = keys.bindings(keys.REDO)  # Ctrl+Shift+Z and Ctrl+Y everywhere
        self.redo_action.setShortcuts(self._redo_keys)
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()

        view_menu = bar.addMenu(self.tr("&View"))
        spaces = QActionGroup(self)
        self.workspace_actions: dict[str, QAction] = {}
        titles = (
            self.tr("&Catalog"),
            self.tr("L&ooks"),
            self.tr("&Boards"),
            self.tr("&Shops"),
            self.tr("&Reviews"),
        )
        for i, (name, text) in enumerate(zip(NAMES, titles, strict=True)):
            action = self._action(
                text,
                partial(self._workspace_toggled, name),
                QKeySequence(self.tr("Ctrl+Shift+{n}").format(n=i + 1)),
                checkable=True,
            )
            spaces.addAction(action)
            view_menu.addAction(action)
            # Until the stores it needs are open (Boards, Shops and Reviews need them).
            action.setVisible(self.workspaces.available(name))
            self.workspace_actions[name] = action
        # The same actions as places down the left edge (studio.ui.style), and View > Appearance.
        self.look = style.install(self, self.settings, self.workspace_actions, view_menu)
        self.workspace_bar = self.look.navigation
        # A product drag held over "Boards" shows the boards, to drop it there.
        self.spring = SpringLoadedBar(self.workspace_bar, self.workspace_actions.values())
        view_menu.addSeparator()
        # Grid or list, the panes and Find: the catalog's, acting on its page once built.
        self.catalog_menu = menu = CatalogMenu(self, self.workspaces, view_menu, edit_menu)
        self.grid_action, self.list_action = menu.grid, menu.list
        self.facets_action, self.detail_action = menu.facets, menu.detail
        self.find_action, self.count_label = menu.find, menu.count

        # The platform: Catalog > Update from platform, the Account menu, the connection.
        self.account = AccountMenu(self, self._tasks, self._paths, lambda: self.stores)

        # Getting started links to these: its "Load the demo catalog" is File's own action.
        links = {"demo": self.demo_action, "import": self.import_action, "find": self.find_action}
        links.update(new=self.new_look_action, **self.workspace_actions)
        self.help_menu = HelpMenu(self, self._tasks, self.workspaces, self.settings, links)

    # -- workspaces -------------------------------------------------------------------------

    def _built(self, name: str, page: Workspace) -> None:
        """A page was built: it joins the Edit menu, and the catalog reports to the window."""
        # Its feature folder was just imported, and PySide6's import check left the sources
        # in linecache (memory.py): ~2 MB of text once every workspace is built.
        memory.drop_source_cache()
        style.decorate(as_widget(page))
        stack = page.undo_stack
        if stack is not None:
            self.undo_group.addStack(stack)
        self.workspace_actions[name].setVisible(True)
        if name == "catalog":
            catalog = cast("CatalogView", page)
            catalog.import_requested.connect(lambda: self.imports.choose_and_import())
            catalog.demo_requested.connect(self.jobs.load_demo)
            catalog.sign_in_requested.connect(self.account.sign_in)
            self.catalog_menu.attach(catalog, self.show_workspace)

    def _workspace_toggled(self, name: str, on: bool) -> None:
        if on:
            self.show_workspace(name)

    @property
    def workspace(self) -> str:
        """The shown workspace's name."""
        return self.workspaces.current_name

    def current_page(self) -> Workspace | None:
        """The shown workspace's page (None while it waits for the stores)."""
        return self.workspaces.loaded_page(self.workspace)

    def show_workspace(self, name: str) -> None:
        page = self.workspaces.show_page(name)
        if page is not None:
            style.decorate(as_widget(page))  # the parts a page made since it was built
            self._follow(name, page)

    def _follow(self, name: str, page: Workspace | None) -> None:
        """Point the menus at the shown workspace's page (None: one waiting for the stores)."""
        action = self.workspace_actions[name]
        action.setVisible(True)
        action.setChecked(True)
        self.catalog_menu.follow(name)
        stack = page.undo_stack if page is not None else None
        self.undo_group.setActiveStack(stack)  # type: ignore[arg-type]  # None: no stack
        # A page that binds Undo/Redo itself (the board editor) keeps those keys: the same
        # keys here too would make them ambiguous, and dead, there.
        own_keys = page is not None and page.owns_undo_keys
        self.undo_action.setShortcuts([] if own_keys else self._undo_keys)
        self.redo_action.setShortcuts([] if own_keys else self._redo_keys)
        # Likewise "New": a page with its own (new board, shop, review) takes Ctrl+N; File >
        # New shows the key but answers it only from the open menu (one live binding).
        page_new, ctx = (page.new_action if page is not None else None), Qt.ShortcutContext
        self.new_look_action.setShortcuts(
            page_new.shortcuts() if page_new is not None else self._new_keys
        )
        self.new_look_action.setShortcutContext(
            ctx.WidgetWithChildrenShortcut if page_new is not None else ctx.WindowShortcut
        )
        self.new_look_action.setText(
            page_new.text() if page_new is not None else self.tr("&New look")
        )

    def new_item(self) -> None:
        """File > New: a new board, shop or review on those pages, else a new look."""
        page = self.current_page()
        page_new = page.new_action if page is not None else None
        if page_new is not None:
            page_new.trigger()
        else:
            self.new_look()

    def add_to_board(self, product_ids: Sequence[int]) -> None:
        """Show Boards with these catalog products (``products.id``) added to the open board."""
        if self.workspaces.available("boards"):
            self.show_workspace("boards")
            if self.boards is not None:
                self.boards.add_products(product_ids)

    def new_look(self) -> None:
        if self.stores is None or self.stores.looks is None:
            return
        self.show_workspace("looks")
        self.looks.library.new_look()

    def _update_export(self) -> None:
        page = self.current_page()
        enabled = page is not None and page.can_export()
        for action in self.export_actions.values():
            action.setEnabled(enabled)

    def export_current(self, fmt: str) -> None:
        """Export the look or board being edited as ``fmt`` ("png", "jpeg" or "html")."""
        page = self.current_page()
        if page is not None and page.can_export():
            page.export(fmt)

    def set_mode(self, mode: str) -> None:
        """Grid or list ("grid", "list"; Ctrl+1, Ctrl+2)."""
        self.catalog_menu.set_mode(mode)

    def bring_to_front(self) -> None:
        """Another studio was started on this workspace: show this one to the user instead."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()
        # Where the window manager refuses a window that takes the focus, it flags it.
        QApplication.alert(self)

    # -- stores, imports and the archive ----------------------------------------------------

    def set_store(
        self,
        store: CatalogStore,
        *,
        looks: LookStore | None = None,
        boards: BoardStore | None = None,
        media: MediaLibrary | None = None,
        shops: ShopStore | None = None,
        reviews: ReviewStore | None = None,
        profile: ProfileStore | None = None,
    ) -> None:
        """Attach the stores of the catalog's workspace (tests open the catalog first): the
        other stores are made over its store; a given photo library is used as it is."""
        from studio.media.library import MediaLibrary
        from studio.services.workspace import Stores

        del looks, boards, shops, reviews, profile  # the same store: made over store.db
        self.attach_stores(Stores(self._paths, store.db, media or MediaLibrary(self._paths.media)))

    def attach_stores(self, stores: Stores) -> None:
        """The stores are open: the pages built so far get them, the others can be shown."""
        self.workspaces.attach(stores)
        for name, action in self.workspace_actions.items():
            action.setVisible(action.isVisible() or self.workspaces.available(name))
        if (
            self.curation is None
            and stores.profile is not None
            and stores.media is not None
            and None not in (stores.shops, stores.reviews)
        ):
            self.curation = Curation(
                self, self._tasks, stores.profile, stores.media, self.workspaces
            )
            self.profile_action = QAction(self.tr("&Profile and affiliations…"), self)
            self.profile_action.triggered.connect(self.curation.edit_profile)
            self.edit_menu.addSeparator()
            self.edit_menu.addAction(self.profile_action)
        self.account.start()
        waiting = self.workspaces.waiting
        if waiting is not None:
            self.show_workspace(waiting if self.workspaces.available(waiting) else "catalog")

    @property
    def imports(self) -> ImportController:
        """File > Import feed… (made when first used)."""
        return self.jobs.imports

    @property
    def archive(self) -> ArchiveController:
        """File > Export archive… / Import archive… (made when first used)."""
        return self.jobs.archive

    def load_demo(self) -> None:
        self.jobs.load_demo()

    def flush(self) -> None:
        """Write what is typed and waiting for its autosave, in every built page."""
        for page in self.workspaces.loaded():
            page.flush()

    # -- window state -----------------------------------------------------------------------

    def save_state(self) -> None:
        save_window_state(self, self.settings, self.workspace, self.workspaces.loaded())

    def restore_state(self) -> None:
        """The workspace shown last, then the geometry (its panes decide the minimum size)."""
        last = str(self.settings.value("app/last_view", "catalog"))
        last = last if last in NAMES else "catalog"
        if self.workspaces.available(last):
            self.show_workspace(last)
        else:  # shown once its stores are open; nothing to build before
            self.workspaces.wait_for(last)
            self._follow(last, None)
        restore_window_state(self, self.settings)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.flush()
        self.save_state()
        super().closeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit()
