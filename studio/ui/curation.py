"""The curator's profile in the main window: Edit > Profile and affiliations….

Once the stores are open, the main window makes one ``Curation`` and puts "Profile and
affiliations…" in its Edit menu. A saved profile can change the declared affiliations
(conflicts, paying brands), never the tier (only the platform sets it, through
``ProfileStore.set_tier_from_platform``). The save is a write on the writer lane whose
``Changes`` (the profile and its affiliations) reach every page on ``TaskManager.changed``:
the Shops and Reviews pages built so far re-read what the profile decides there, and one built
later reads the profile as it is then. Nothing here tells a page to refresh.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtWidgets import QWidget

from studio.ui.tasks import TaskManager

if TYPE_CHECKING:
    from studio.media.library import MediaLibrary
    from studio.store.profile import ProfileStore
    from studio.ui.profile.dialog import ProfileDialog
    from studio.ui.reviews.api import ReviewsPage
    from studio.ui.shops.api import ShopsPage
    from studio.ui.workspaces import WorkspaceStack

_FOLLOWERS = ("shops", "reviews")  # the workspaces whose pages the profile concerns


class Curation:
    """Opens the profile dialog; names the pages that follow the profile."""

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
        self.dialog: ProfileDialog | None = None  # the one shown last

    @property
    def pages(self) -> tuple[ShopsPage, ReviewsPage]:
        """The Shops and Reviews pages, built now if they were not yet."""
        shops, reviews = (self._workspaces.page(name) for name in _FOLLOWERS)
        return cast("ShopsPage", shops), cast("ReviewsPage", reviews)

    def edit_profile(self) -> None:
        """Open the profile dialog (its Save is a write whose Changes the pages hear)."""
        from studio.ui.profile.dialog import ProfileDialog

        self.dialog = ProfileDialog(self.tasks, self.profile, self.media, self.parent)
        self.dialog.open()
