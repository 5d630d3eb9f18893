"""The catalog feature's public surface for the main window: the Catalog workspace.

Products dragged out of the browser carry ``studio.ui.widgets.mime``'s payload, which the
look, board, shop and review editors accept. File > Import feed… is ``import_dialog``'s
``ImportController``, which the main window makes when it is first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from studio.ui.catalog.grid_view import ProductGridView, ViewMode
from studio.ui.catalog.view import CatalogView

if TYPE_CHECKING:
    from studio.ui.workspace import WorkspaceContext

__all__ = ["CatalogView", "ProductGridView", "ViewMode", "build_workspace"]


def build_workspace(ctx: WorkspaceContext) -> CatalogView:
    page = CatalogView(ctx.tasks, ctx.paths.image_cache, ctx.parent)
    if ctx.stores is not None:
        page.attach(ctx.stores)
    return page
