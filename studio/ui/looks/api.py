"""The looks feature's public surface for the main window: the page and how it is built."""

from __future__ import annotations

from typing import TYPE_CHECKING

from studio.ui.looks.editor import LookEditor
from studio.ui.looks.library import LookLibrary
from studio.ui.looks.page import LooksPage

if TYPE_CHECKING:
    from studio.ui.workspace import WorkspaceContext

__all__ = ["LookEditor", "LookLibrary", "LooksPage", "build_workspace"]


def build_workspace(ctx: WorkspaceContext) -> LooksPage:
    page = LooksPage(ctx.tasks, ctx.paths.image_cache, ctx.catalog, ctx.settings, ctx.parent)
    if ctx.stores is not None and ctx.stores.looks is not None:
        page.set_sources(ctx.stores.looks, ctx.stores.media)
    return page
