"""The main window's Help menu: Getting started, Keyboard shortcuts and About; and the offer
of Getting started on a first run.

The window hands it the actions the Getting started page links to (the demo and feed imports,
Find, New, a workspace each), so the page's links run the very actions of the menus. Both
pages are imported and built when first asked for, not at start-up.

The first run: once the stores are open, the app asks ``offer_first_run``. A workspace with
no catalog and no looks (read in the background) gets the page once; that it was shown is
kept in the window's settings, so it never comes back on its own, and Help always has it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox

from studio import APP_NAME, __version__
from studio.ui.tasks import TaskManager
from studio.ui.workspaces import WorkspaceStack, as_widget

if TYPE_CHECKING:
    from studio.services.workspace import Stores
    from studio.ui.getting_started import GettingStarted
    from studio.ui.shortcuts_dialog import ShortcutsDialog

log = logging.getLogger(__name__)
#: Set once Getting started was shown (offered or asked for): it is not offered again.
SHOWN_KEY = "help/getting_started_shown"


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


def workspace_is_empty(stores: Stores) -> bool:
    """Worker: whether the workspace holds no product and no look (a first run)."""
    return stores.catalog.product_count() == 0 and not stores.looks.summaries()


class HelpMenu(QObject):
    """Makes the Help menu in ``window``'s menu bar and the pages it opens."""

    def __init__(
        self,
        window: QMainWindow,
        tasks: TaskManager,
        workspaces: WorkspaceStack,
        settings: QSettings,
        links: Mapping[str, QAction],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._tasks = tasks
        self._workspaces = workspaces
        self._settings = settings
        self.menu = window.menuBar().addMenu(_tr("&Help"))
        self.getting_started_action = QAction(_tr("&Getting started"), window)
        self.getting_started_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.getting_started_action.triggered.connect(self.show_getting_started)
        self.shortcuts_action = QAction(_tr("&Keyboard shortcuts"), window)
        self.shortcuts_action.setShortcut(QKeySequence("Ctrl+/"))
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        self.about_action = QAction(_tr("&About Vitrine Studio"), window)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        self.menu.addAction(self.getting_started_action)
        self.menu.addAction(self.shortcuts_action)
        self.menu.addSeparator()
        self.menu.addAction(self.about_action)
        self._links = {**links, "shortcuts": self.shortcuts_action}
        self.getting_started: GettingStarted | None = None
        self.shortcuts_dialog: ShortcutsDialog | None = None

    # -- the pages --------------------------------------------------------------------------

    def show_getting_started(self) -> None:
        """Help > Getting started: the page, made once and brought to the front after."""
        if self.getting_started is None:
            from studio.ui.getting_started import GettingStarted

            self.getting_started = GettingStarted(self._links, self._window)
        self.getting_started.show()
        self.getting_started.raise_()
        self.getting_started.activateWindow()
        self._settings.setValue(SHOWN_KEY, True)
        self._settings.sync()

    def show_shortcuts(self) -> None:
        """Help > Keyboard shortcuts, read from the menus and the pages built so far."""
        from studio.ui.shortcuts_dialog import ShortcutsDialog

        pages = [(p.title, as_widget(p)) for p in self._workspaces.loaded()]
        self.shortcuts_dialog = ShortcutsDialog(self._window, pages, self._window)
        self.shortcuts_dialog.show()

    def show_about(self) -> None:
        QMessageBox.about(
            self._window,
            _tr("About Vitrine Studio"),
            _tr(
                "<b>{name}</b> {version}<br>The offline studio for product curators: browse "
                "merchants' catalogs, compose looks, run your shop window."
            ).format(name=APP_NAME, version=__version__),
        )

    # -- the first run ----------------------------------------------------------------------

    @property
    def shown_before(self) -> bool:
        """Whether Getting started was shown in this workspace before (by offer or by Help)."""
        return str(self._settings.value(SHOWN_KEY, "false")).lower() == "true"

    def offer_first_run(self, stores: Stores) -> None:
        """Show Getting started if this is a first run: an empty workspace, the page never
        shown. The check reads the store, so it runs in the background."""
        if self.shown_before:
            return
        self._tasks.run(
            lambda: workspace_is_empty(stores),
            self._first_run_checked,
            lambda exc: log.warning("cannot tell whether this is a first run: %s", exc),
            owner=self,
        )

    def _first_run_checked(self, empty: bool) -> None:
        if empty and not self.shown_before:
            self.show_getting_started()
