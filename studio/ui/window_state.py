"""The main window's remembered state: what is written on closing and restored on starting.

The window's geometry and toolbar state and the shown workspace are the window's; everything
else (the catalog's panes, splitter, mode, query and sort, the looks editor's splitter, the
open shop or review...) is each built page's own, through ``Workspace.save_state`` and
``restore_state``, in the same ``QSettings`` (an INI file under the config directory). A page
not built this session leaves its keys as they were.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow

if TYPE_CHECKING:
    from studio.ui.workspace import Workspace


def save_window_state(
    window: QMainWindow, settings: QSettings, shown: str, pages: Iterable[Workspace]
) -> None:
    """Write the window's state and each built page's to the settings file (on close)."""
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/state", window.saveState())
    settings.setValue("app/last_view", shown)
    for page in pages:
        page.save_state(settings)
    settings.sync()


def restore_window_state(window: QMainWindow, settings: QSettings) -> None:
    """Give the window its remembered geometry and toolbar state (at start-up)."""
    geometry = settings.value("window/geometry")
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)
    state = settings.value("window/state")
    if isinstance(state, QByteArray):
        window.restoreState(state)
