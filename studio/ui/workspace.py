"""The contract between the main window and its workspaces (Catalog, Looks, Boards, Shops,
Reviews), and the opened stores they work on.

Every workspace page is a ``QWidget`` that implements ``Workspace``: the main window places it
in its central stack, lends it the Edit menu's Undo/Redo (``undo_stack``) and File > New
(``new_action``), exports what it shows (``can_export``/``export``), tells it when it is shown
(``activate``), flushes typed text before the window closes (``flush``), and keeps its layout
across runs (``save_state``/``restore_state``). A page learns what the store's writes changed
by itself, from ``TaskManager.changed``, and re-reads only what it shows. The window asks
nothing else of a page: no ``getattr`` probes, no knowledge of its parts.

``Stores`` (``studio.services.workspace``) is what the start-up worker opens (``ui/app.py``):
the catalog and, over the same store, the curator's own records and the photo library. It is
imported for type checking only, so importing this module at start-up loads neither
SQLAlchemy nor Pillow.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QAction, QUndoStack
    from PySide6.QtWidgets import QWidget

    from studio.services.workspace import Stores
    from studio.store.catalog import CatalogStore
    from studio.system.paths import Paths
    from studio.ui.tasks import TaskManager


@dataclass(frozen=True, slots=True)
class WorkspaceContext:
    """What a workspace is built with (``studio.ui.workspaces`` builds each when first shown).

    ``stores`` is None for a page built before the stores are open (the one shown at start);
    it gets them through ``Workspace.attach``. ``catalog()`` always answers the catalog store
    as it is now (None until open), for pages that search it later.
    """

    tasks: TaskManager
    paths: Paths
    settings: QSettings
    parent: QWidget
    stores: Stores | None
    catalog: Callable[[], CatalogStore | None]


class Workspace(Protocol):
    """A workspace page as the main window sees it; every page is also a ``QWidget``."""

    #: The key of the workspace ("catalog", "looks", "boards", "shops", "reviews").
    name: str
    #: What the workspace is called where its name is shown (translated).
    title: str

    @property
    def undo_stack(self) -> QUndoStack | None:
        """The stack the Edit menu's Undo and Redo follow while the page is shown."""
        ...

    @property
    def owns_undo_keys(self) -> bool:
        """True when the page binds Ctrl+Z / Ctrl+Shift+Z itself (the menu then lends them)."""
        ...

    @property
    def new_action(self) -> QAction | None:
        """What File > New (Ctrl+N) does on this page; None: a new look."""
        ...

    def can_export(self) -> bool:
        """Whether File > Export has something to write now (an open look or board)."""
        ...

    def export(self, fmt: str) -> None:
        """Export what the page shows as ``fmt`` ("png", "jpeg" or "html"), asking where."""
        ...

    def attach(self, stores: Stores) -> None:
        """The stores are open (for a page built before they were)."""
        ...

    def activate(self) -> None:
        """The page is shown now."""
        ...

    def flush(self) -> None:
        """Write any typed text still waiting for its autosave."""
        ...

    def save_state(self, settings: QSettings) -> None:
        """Keep the page's layout and what it had open (on closing)."""
        ...

    def restore_state(self, settings: QSettings) -> None:
        """Show the page as it was left (once, when it is built)."""
        ...


@runtime_checkable
class TakesProducts(Protocol):
    """A workspace that takes catalog products sent from the Catalog's card and detail actions
    (the open look tags them, the open board places them, Reviews starts a review of the
    first). The main window shows the workspace, then hands it the products."""

    def add_products(self, product_ids: Sequence[int]) -> str | None:
        """Take ``product_ids`` (catalog ids); a reason it could not (nothing done), else None."""
        ...
