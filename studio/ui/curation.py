"""Shops, reviews and the profile in the main window: their workspaces and menu entries.

The main window stays free of feature logic: once the stores are open, ``attach_curation``
builds the Shops and Reviews pages (imported here, after the first paint, so start-up does not
pay for them), adds them as workspaces, and puts "Profile and affiliations…" in the Edit menu.
A saved profile can change the declared affiliations (conflicts, paying brands), so both pages
re-read what they show; an archive import does the same through ``reload_curation``, and so
will the sync when the platform sets the tier (``ProfileStore.set_tier_from_platform``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from studio.system.paths import Paths
from studio.ui.tasks import TaskManager


class Curation:
    """What ``attach_curation`` built: the two pages and the profile's stores."""

    def __init__(self, window: Any, tasks: TaskManager, profile: Any, media: Any) -> None:
        self.window = window
        self.tasks = tasks
        self.profile = profile
        self.media = media
        self.pages: list[QWidget] = []

    def edit_profile(self) -> None:
        """Open the profile dialog; a saved profile refreshes the pages (conflicts, disclosures)."""
        from studio.ui.profile.dialog import ProfileDialog

        dialog = ProfileDialog(self.tasks, self.profile, self.media, self.window)
        dialog.changed.connect(self.reload)
        dialog.open()

    def reload(self) -> None:
        for page in self.pages:
            page.reload()  # type: ignore[attr-defined]

    def flush(self) -> None:
        """Write any typed text still waiting for its save (the window is closing)."""
        for page in self.pages:
            flush = getattr(page, "flush", None)
            if flush is not None:
                flush()


def attach_curation(
    window: Any,
    tasks: TaskManager,
    paths: Paths,
    *,
    shops: Any,
    reviews: Any,
    profile: Any,
    media: Any,
) -> Curation:
    """Add the Shops and Reviews workspaces and the profile action to ``window``."""
    from studio.ui.reviews.api import ReviewsPage
    from studio.ui.shops.api import ShopsPage

    def catalog() -> Any:
        return window.catalog.store

    curation = Curation(window, tasks, profile, media)
    shops_page = ShopsPage(tasks, shops, profile, media, catalog, paths, window)
    reviews_page = ReviewsPage(tasks, reviews, profile, media, catalog, paths, window)
    curation.pages = [shops_page, reviews_page]
    window.add_workspace("shops", shops_page)
    window.add_workspace("reviews", reviews_page)
    for page in curation.pages:
        page.restore_state(window.settings)  # type: ignore[attr-defined]
    action = QAction(window.tr("&Profile and affiliations…"), window)
    action.triggered.connect(curation.edit_profile)
    window.profile_action = action
    window.edit_menu.addSeparator()
    window.edit_menu.addAction(action)
    return curation
