"""The catalog's entries in the main window: grid or list, the filter and detail panes, Find,
and the result count in the status bar; and where the catalog's product actions go (add to
the open look or board, write a review): to that workspace's ``add_products``
(``studio.ui.workspace.TakesProducts``), shown once it has taken them.

They are the window's (the View and Edit menus exist before any workspace is built, and they
are enabled only while the Catalog is shown), and act on the catalog page once it is built:
``attach`` connects it and shows its restored mode and panes in the menu.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu

from studio.ui.workspace import TakesProducts
from studio.ui.workspaces import WorkspaceStack

if TYPE_CHECKING:
    from studio.ui.catalog.view import CatalogView


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class CatalogMenu(QObject):
    """Makes the catalog's actions in ``view_menu`` and ``edit_menu`` and the count label."""

    def __init__(
        self, window: QMainWindow, workspaces: WorkspaceStack, view_menu: QMenu, edit_menu: QMenu
    ) -> None:
        super().__init__(window)
        self._workspaces = workspaces
        self.find = QAction(_tr("&Find"), window)
        self.find.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        self.find.triggered.connect(self.focus_search)
        edit_menu.addAction(self.find)
        self.grid = QAction(_tr("&Grid"), window, checkable=True)
        self.grid.setShortcut(QKeySequence(_tr("Ctrl+1")))
        self.grid.toggled.connect(partial(self._mode_toggled, "grid"))
        self.list = QAction(_tr("&List"), window, checkable=True)
        self.list.setShortcut(QKeySequence(_tr("Ctrl+2")))
        self.list.toggled.connect(partial(self._mode_toggled, "list"))
        modes = QActionGroup(self)
        for action in (self.grid, self.list):
            modes.addAction(action)
            view_menu.addAction(action)
        self.grid.setChecked(True)
        view_menu.addSeparator()
        self.facets = QAction(_tr("Show &filters"), window, checkable=True)
        self.detail = QAction(_tr("Show &details"), window, checkable=True)
        for action, pane in ((self.facets, "facets"), (self.detail, "detail")):
            action.setChecked(True)
            action.toggled.connect(partial(self._show_pane, pane))
            view_menu.addAction(action)
        self.count = QLabel(window)
        window.statusBar().addPermanentWidget(self.count)

    def _page(self) -> CatalogView | None:
        return cast("CatalogView | None", self._workspaces.loaded_page("catalog"))

    def attach(self, page: CatalogView, show: Callable[[str], object]) -> None:
        """The catalog page was built: its counts go to the status bar, its state to the menu,
        the products its actions send to the workspace named (``show`` shows it)."""
        page.results_changed.connect(self._results_changed)
        page.products_sent.connect(partial(self._send_products, page, show))
        self.facets.setChecked(not page.facets.isHidden())
        self.detail.setChecked(not page.detail.isHidden())
        self.set_mode(page.grid.mode.value)

    def _send_products(
        self, page: CatalogView, show: Callable[[str], object], name: str, ids: list[int]
    ) -> None:
        target = self._workspaces.page(name)
        if not isinstance(target, TakesProducts):
            page.message.show_message(_tr("That workspace cannot take products."))
            return
        reason = target.add_products(ids)
        if reason:
            page.message.show_message(reason, "warning")
        else:
            show(name)

    def follow(self, shown: str) -> None:
        """Enabled, and the count shown, only while the Catalog is."""
        for action in (self.grid, self.list, self.facets, self.detail, self.find):
            action.setEnabled(shown == "catalog")
        self.count.setVisible(shown == "catalog")

    def set_mode(self, mode: str) -> None:
        """Grid or list ("grid", "list"; Ctrl+1, Ctrl+2)."""
        page = self._page()
        if page is not None:
            page.set_mode(mode)
        (self.grid if mode == "grid" else self.list).setChecked(True)

    def _mode_toggled(self, mode: str, on: bool) -> None:
        if on:
            self.set_mode(mode)

    def _show_pane(self, pane: str, shown: bool) -> None:
        page = self._page()
        if page is not None:
            (page.facets if pane == "facets" else page.detail).setVisible(shown)

    def focus_search(self) -> None:
        page = cast("CatalogView", self._workspaces.page("catalog"))
        page.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        page.search_box.selectAll()

    def _results_changed(self, total: int) -> None:
        page = self._page()
        size = page.catalog_size if page is not None else -1
        if size <= 0:
            self.count.clear()
            return
        self.count.setText(
            _tr("Showing {shown} of {size} products").format(shown=f"{total:,}", size=f"{size:,}")
        )
