"""The workspaces of the main window, each built the first time it is needed.

Start-up pays only for the workspace shown first (the one shown when the window last closed):
the others are imported and built when the user first switches to them, or when something
asks for their page. ``SPECS`` names each workspace, how to build it (a function that imports
its feature folder only when called) and whether it waits for the opened ``Stores``; Catalog and
Looks can be built before the stores are open and get them later (``Workspace.attach``).

``WorkspaceStack`` is the window's central widget. A workspace whose stores are not open yet
(the remembered Shops, say, at start) is shown as an empty placeholder until they are; then it
is built and takes the placeholder's place.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import QApplication, QStackedWidget, QWidget

from studio.ui.workspace import Workspace, WorkspaceContext

if TYPE_CHECKING:
    from studio.services.workspace import Stores
    from studio.store.catalog import CatalogStore
    from studio.system.paths import Paths
    from studio.ui.tasks import TaskManager

log = logging.getLogger(__name__)


def _catalog(ctx: WorkspaceContext) -> Workspace:
    from studio.ui.catalog.api import build_workspace

    return build_workspace(ctx)


def _looks(ctx: WorkspaceContext) -> Workspace:
    from studio.ui.looks.api import build_workspace

    return build_workspace(ctx)


def _boards(ctx: WorkspaceContext) -> Workspace:
    from studio.ui.boards.api import build_workspace

    return build_workspace(ctx)


def _shops(ctx: WorkspaceContext) -> Workspace:
    from studio.ui.shops.api import build_workspace

    return build_workspace(ctx)


def _reviews(ctx: WorkspaceContext) -> Workspace:
    from studio.ui.reviews.api import build_workspace

    return build_workspace(ctx)


@dataclass(frozen=True, slots=True)
class WorkspaceSpec:
    name: str
    build: Callable[[WorkspaceContext], Workspace]
    #: Whether it waits for the stores to open (Catalog and Looks are built before them).
    needs_stores: bool = False


SPECS: tuple[WorkspaceSpec, ...] = (
    WorkspaceSpec("catalog", _catalog),
    WorkspaceSpec("looks", _looks),
    WorkspaceSpec("boards", _boards, needs_stores=True),
    WorkspaceSpec("shops", _shops, needs_stores=True),
    WorkspaceSpec("reviews", _reviews, needs_stores=True),
)
NAMES = tuple(spec.name for spec in SPECS)
_BY_NAME = {spec.name: spec for spec in SPECS}


def focus_into(page: QWidget) -> None:
    """Give ``page`` the focus unless it has it: its last focused child, else its first."""
    focus = QApplication.focusWidget()
    if focus is not None and page.isAncestorOf(focus):
        return
    target = page.focusWidget()
    if target is None or not target.isVisible():
        target = page
        step = page.nextInFocusChain()
        while step is not None and step is not page:
            if (
                page.isAncestorOf(step)
                and step.focusPolicy() & Qt.FocusPolicy.TabFocus
                and step.isVisible()
                and step.isEnabled()
            ):
                target = step
                break
            step = step.nextInFocusChain()
    target.setFocus(Qt.FocusReason.OtherFocusReason)


def as_widget(page: Workspace) -> QWidget:
    """The page as the widget it is (every workspace is one)."""
    assert isinstance(page, QWidget), page
    return page


class WorkspaceStack(QStackedWidget):
    """The workspaces' pages, built on demand; one is shown at a time."""

    #: A page was built: (name, page). The window lends it the Edit menu and File > New.
    built = Signal(str, object)

    def __init__(
        self, tasks: TaskManager, paths: Paths, settings: QSettings, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.setObjectName("workspaces")
        self._tasks = tasks
        self._paths = paths
        self._settings = settings
        self._pages: dict[str, Workspace] = {}
        self.stores: Stores | None = None
        # Holds the place of a workspace shown before its stores are open.
        self._placeholder = QWidget(self)
        self._waiting: str | None = None
        self.addWidget(self._placeholder)

    # -- what is there ----------------------------------------------------------------------

    def catalog_store(self) -> CatalogStore | None:
        return self.stores.catalog if self.stores is not None else None

    def available(self, name: str) -> bool:
        """Whether ``name``'s page can be built now (its stores are open, if it needs any)."""
        spec = _BY_NAME.get(name)
        if spec is None:
            return False
        return not spec.needs_stores or self.stores is not None

    def loaded(self) -> list[Workspace]:
        """The pages built so far, in the order of ``NAMES``."""
        return [self._pages[n] for n in NAMES if n in self._pages]

    def loaded_page(self, name: str) -> Workspace | None:
        return self._pages.get(name)

    def page(self, name: str) -> Workspace | None:
        """``name``'s page, built now if it was not yet; None while its stores are not open."""
        page = self._pages.get(name)
        if page is None and self.available(name):
            page = self._build(name)
        return page

    @property
    def current_name(self) -> str:
        """The shown workspace (or the one waiting for its stores)."""
        if self.currentWidget() is self._placeholder:
            return self._waiting or NAMES[0]
        current = self.currentWidget()
        return next((n for n, p in self._pages.items() if as_widget(p) is current), NAMES[0])

    # -- showing ----------------------------------------------------------------------------

    def show_page(self, name: str) -> Workspace | None:
        """Show ``name`` (built first if needed); None, and nothing changes, if it cannot be."""
        page = self.page(name)
        if page is None:
            return None
        self._waiting = None
        self.setCurrentWidget(as_widget(page))
        # The page's own keys (Ctrl+N, the board editor's Ctrl+Z) reach only a focus within
        # it; a focus left outside (on nothing, say after a dialog) would leave them dead,
        # the window having lent them to the page.
        focus_into(as_widget(page))
        page.activate()
        return page

    def wait_for(self, name: str) -> None:
        """Show the empty placeholder for ``name`` until its stores are open (at start)."""
        self._waiting = name
        self.setCurrentWidget(self._placeholder)

    @property
    def waiting(self) -> str | None:
        return self._waiting if self.currentWidget() is self._placeholder else None

    def attach(self, stores: Stores) -> None:
        """The stores are open: hand them to the pages built before."""
        self.stores = stores
        for page in self.loaded():
            page.attach(stores)

    def _build(self, name: str) -> Workspace:
        context = WorkspaceContext(
            self._tasks, self._paths, self._settings, self, self.stores, self.catalog_store
        )
        page = _BY_NAME[name].build(context)
        self._pages[name] = page
        self.addWidget(as_widget(page))
        page.restore_state(self._settings)
        log.debug("workspace %s built", name)
        self.built.emit(name, page)
        return page
