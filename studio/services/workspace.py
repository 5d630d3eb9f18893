"""Opening a workspace: the store's two files, the stores over them and the photo library.

Each program's composition root (``studio.ui.app``, ``studio.cli.app``, the benchmarks) opens
ONE ``Stores`` with ``open_workspace`` and passes it on, instead of building stores by hand:
the content file with its catalog attached (``studio.store.db``, migrated as needed, backed up
first), every store over it, and the photo library, whose staging left by a killed job is
swept on the way. Opening imports SQLAlchemy and Alembic only when a file needs migrating, so
the desktop's start stays short; it runs in a worker there, never on the GUI thread. The
content stores and the photo library are imported and made when first asked for: a one-shot
``studio search`` needs only the catalog, and importing the others (their rules, the registry
of record kinds, Pillow and the photo pipeline) was a third of its process time. The sweep of
what killed jobs left in the photo library needs none of it (``studio.media.staging``).
"""

from __future__ import annotations

import logging
from dataclasses import InitVar, dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from studio.media.staging import Staging
from studio.store.catalog import CatalogStore
from studio.store.db import Database, open_database
from studio.system.paths import Paths

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from studio.media.library import MediaLibrary
    from studio.store.boards import BoardStore
    from studio.store.looks import LookStore
    from studio.store.profile import ProfileStore
    from studio.store.reviews import ReviewStore
    from studio.store.shops import ShopStore


@dataclass
class Stores:
    """One open workspace: its paths, its store (``db``: the content file, catalog attached),
    the stores over it and its photo library. Every store may be used from any thread; each
    thread gets its own connections."""

    paths: Paths
    db: Database
    library: InitVar[MediaLibrary | None] = None  # a given photo library (tests), else made
    catalog: CatalogStore = field(init=False)

    def __post_init__(self, library: MediaLibrary | None) -> None:
        self.catalog = CatalogStore(self.db)  # holds the search columns: one, made now
        if library is not None:
            self.__dict__["media"] = library

    @cached_property
    def media(self) -> MediaLibrary:
        """The photo library (Pillow and the photo pipeline load with it)."""
        from studio.media.library import MediaLibrary

        return MediaLibrary(self.paths.media)

    # The content stores hold nothing but ``db``: two threads asking at once may each make
    # one, and either serves.

    @cached_property
    def looks(self) -> LookStore:
        from studio.store.looks import LookStore

        return LookStore(self.db)

    @cached_property
    def boards(self) -> BoardStore:
        from studio.store.boards import BoardStore

        return BoardStore(self.db)

    @cached_property
    def shops(self) -> ShopStore:
        from studio.store.shops import ShopStore

        return ShopStore(self.db)

    @cached_property
    def reviews(self) -> ReviewStore:
        from studio.store.reviews import ReviewStore

        return ReviewStore(self.db)

    @cached_property
    def profile(self) -> ProfileStore:
        from studio.store.profile import ProfileStore

        return ProfileStore(self.db)

    def close(self) -> None:
        """Close the store's files (when no thread uses them any more)."""
        self.db.close()

    def __enter__(self) -> Stores:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_workspace(paths: Paths, *, exclusive: bool = False) -> Stores:
    """Open (creating or migrating) the workspace at ``paths``; StoreError when its store
    cannot be opened (a newer app's, not a store), with nothing changed.

    ``exclusive``: this program is the files' only user (a command line run)."""
    db = open_database(
        paths.database,
        catalog=paths.catalog_database,
        backup_dir=paths.backups,
        exclusive=exclusive,
    )
    # What killed jobs left in the photo library (never a running job's files: see
    # ``studio.media.staging``), for the desktop and the command line alike. A sweep that
    # cannot finish never stops the workspace from opening.
    try:
        Staging(paths.media).sweep()
    except OSError as exc:
        log.warning("leftovers in %s not swept: %s", paths.media, exc)
    return Stores(paths, db)
