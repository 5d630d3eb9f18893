"""The curator's profile in the main window: Edit > Profile and affiliations….

Once the stores are open, the main window makes one ``Curation`` and puts "Profile and
affiliations…" in its Edit menu. A saved profile can change the declared affiliations
(conflicts, paying brands), never the tier (only the platform sets it, through
``ProfileStore.set_tier_from_platform``), so the Shops and Reviews pages re-read what they show
(those built so far; one built later reads the profile as it is then).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtWidgets import QWidget

from studio.ui.tasks import TaskManager

if TYPE_CHECKING:
    from studio.media.library import MediaLibrary
    from studio.store.profile import ProfileStore
    from studio.ui.reviews.api import ReviewsPage
    from studio.ui.shops.api import ShopsPage
    from studio.ui.workspaces import WorkspaceStack

_FOLLOWERS = ("shops", "reviews")  # the workspaces a profile change concerns


class Curation:
    """Opens the profile dialog and refreshes the pages that follow the profile."""

    def __init__(
        self,
        parent: QWidget,
        tasks: TaskManager,
        profile: ProfileStore,
        media: MediaLibrary,
        workspaces: WorkspaceStack,
    ) -> None:
        self.parent = parent
        self.tasks = tasks
        self.profile = profile
        self.media = media
        self._workspaces = workspaces

    @property
    def pages(self) -> tuple[ShopsPage, ReviewsPage]:
        """The Shops and Reviews pages, built now if they were not yet."""
        shops, reviews = (self._workspaces.page(name) for name in _FOLLOWERS)
        return cast("ShopsPage", shops), cast("ReviewsPage", reviews)

    def edit_profile(self) -> None:
        """Open the profile dialog; a saved profile refreshes the pages (conflicts, disclosures)."""
        from studio.ui.profile.dialog import ProfileDialog

        dialog = ProfileDialog(self.tasks, self.profile, self.media, self.parent)
        dialog.changed.connect(self.reload)
        dialog.open()

    def reload(self) -> None:
        for name in _FOLLOWERS:
            page = self._workspaces.loaded_page(name)
            if page is not None:
                page.reload()
