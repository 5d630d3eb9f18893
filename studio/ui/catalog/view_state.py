"""What the catalog browser keeps in the window's settings between runs: which panes are shown,
the splitter's sizes, grid or list, the last query and the sort."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

from studio.core.catalog import SortKey
from studio.ui.catalog.grid_view import ViewMode

if TYPE_CHECKING:
    from studio.ui.catalog.view import CatalogView


def save(view: CatalogView, settings: QSettings) -> None:
    """Keep the panes, the splitter, the mode, the query and the sort in ``settings``."""
    settings.setValue("catalog/show_facets", not view.facets.isHidden())
    settings.setValue("catalog/show_detail", not view.detail.isHidden())
    settings.setValue("catalog/splitter", view.splitter.saveState())
    settings.setValue("catalog/mode", view.grid.mode.value)
    settings.setValue("catalog/query", view.search_box.text())
    settings.setValue("catalog/sort", view.facets.sort_key().value)


def restore(view: CatalogView, settings: QSettings) -> None:
    """Show them again as ``save`` kept them (defaults for what it never kept)."""
    # Panes first: the splitter's sizes are those of the panes shown.
    for key, pane in (
        ("catalog/show_facets", view.facets),
        ("catalog/show_detail", view.detail),
    ):
        pane.setVisible(str(settings.value(key, "true")).lower() == "true")
    splitter = settings.value("catalog/splitter")
    if splitter is not None:
        view.splitter.restoreState(splitter)
    mode = str(settings.value("catalog/mode", ViewMode.GRID.value))
    view.set_mode(mode if mode in (m.value for m in ViewMode) else ViewMode.GRID)
    view.search_box.setText(str(settings.value("catalog/query", "")))
    sort = str(settings.value("catalog/sort", SortKey.RELEVANCE.value))
    if sort in (k.value for k in SortKey):
        view.facets.set_sort_key(sort)
