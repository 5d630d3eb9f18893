"""The main window's remembered state: what is written on closing and restored on starting.

Geometry, dock and toolbar state, the catalog's splitter, grid or list mode, shown panes, last
query and sort, the looks editor's splitter, the shown workspace, and what each curation page
keeps through its own ``save_state``/``restore_state`` - all in the window's ``QSettings``
(an INI file under the config directory).
"""

from __future__ import annotations

from typing import Any

from studio.core.catalog import SortKey
from studio.ui.catalog.grid_view import ViewMode


def save_window_state(window: Any) -> None:
    """Write the window's state to its settings file (on close)."""
    s = window.settings
    s.setValue("window/geometry", window.saveGeometry())
    s.setValue("window/state", window.saveState())
    s.setValue("catalog/splitter", window.catalog.splitter.saveState())
    s.setValue("catalog/mode", window.catalog.grid.mode.value)
    s.setValue("catalog/show_facets", window.facets_action.isChecked())
    s.setValue("catalog/show_detail", window.detail_action.isChecked())
    s.setValue("catalog/query", window.catalog.search_box.text())
    s.setValue("catalog/sort", window.catalog.facets.sort_key().value)
    s.setValue("app/last_view", window.workspace)
    s.setValue("looks/splitter", window.looks.editor.splitter.saveState())
    if window.curation is not None:
        for page in window.curation.pages:
            page.save_state(s)
    s.sync()


def restore_window_state(window: Any) -> None:
    """Show the window as it was left (at start-up, before the stores are open)."""
    s = window.settings
    # Panes first: their minimum sizes decide how small the restored geometry may be.
    for key, action, pane in (
        ("catalog/show_facets", window.facets_action, window.catalog.facets),
        ("catalog/show_detail", window.detail_action, window.catalog.detail),
    ):
        shown = str(s.value(key, "true")).lower() == "true"
        action.setChecked(shown)
        pane.setVisible(shown)
    geometry = s.value("window/geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)
    state = s.value("window/state")
    if state is not None:
        window.restoreState(state)
    splitter = s.value("catalog/splitter")
    if splitter is not None:
        window.catalog.splitter.restoreState(splitter)
    mode = str(s.value("catalog/mode", ViewMode.GRID.value))
    window.set_mode(mode if mode in (m.value for m in ViewMode) else ViewMode.GRID)
    window.catalog.search_box.setText(str(s.value("catalog/query", "")))
    sort = str(s.value("catalog/sort", SortKey.RELEVANCE.value))
    if sort in (k.value for k in SortKey):
        window.catalog.facets.set_sort_key(sort)
    looks_splitter = s.value("looks/splitter")
    if looks_splitter is not None:
        window.looks.editor.splitter.restoreState(looks_splitter)
    view = str(s.value("app/last_view", "catalog"))
    window.show_workspace(view if view in ("catalog", "looks") else "catalog")
