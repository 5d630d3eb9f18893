"""What every ``studio`` command receives: the resolved paths and the open store.

The CLI's composition root (``studio.cli.app``) builds one ``CliContext`` per run and passes it
to the command's ``run(ctx, args)``; services are made on first use, so a command that needs
only the media library never builds the catalog's search engine.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from studio.media.library import MediaLibrary
    from studio.store.boards import BoardStore
    from studio.store.catalog import CatalogStore
    from studio.store.db import Database
    from studio.store.looks import LookStore
    from studio.store.profile import ProfileStore
    from studio.store.reviews import ReviewStore
    from studio.store.shops import ShopStore
    from studio.system.paths import Paths


@dataclass
class CliContext:
    paths: Paths
    db: Database
    _services: dict[str, Any] = field(default_factory=dict)

    @property
    def catalog(self) -> CatalogStore:
        from studio.store.catalog import CatalogStore

        if "catalog" not in self._services:
            self._services["catalog"] = CatalogStore(self.db)
        service: CatalogStore = self._services["catalog"]
        return service

    @property
    def looks(self) -> LookStore:
        from studio.store.looks import LookStore

        if "looks" not in self._services:
            self._services["looks"] = LookStore(self.db)
        service: LookStore = self._services["looks"]
        return service

    @property
    def boards(self) -> BoardStore:
        from studio.store.boards import BoardStore

        if "boards" not in self._services:
            self._services["boards"] = BoardStore(self.db)
        service: BoardStore = self._services["boards"]
        return service

    @property
    def shops(self) -> ShopStore:
        from studio.store.shops import ShopStore

        if "shops" not in self._services:
            self._services["shops"] = ShopStore(self.db)
        service: ShopStore = self._services["shops"]
        return service

    @property
    def reviews(self) -> ReviewStore:
        from studio.store.reviews import ReviewStore

        if "reviews" not in self._services:
            self._services["reviews"] = ReviewStore(self.db)
        service: ReviewStore = self._services["reviews"]
        return service

    @property
    def profile(self) -> ProfileStore:
        from studio.store.profile import ProfileStore

        if "profile" not in self._services:
            self._services["profile"] = ProfileStore(self.db)
        service: ProfileStore = self._services["profile"]
        return service

    @property
    def media(self) -> MediaLibrary:
        from studio.media.library import MediaLibrary

        if "media" not in self._services:
            self._services["media"] = MediaLibrary(self.paths.media)
        service: MediaLibrary = self._services["media"]
        return service


def positive(text: str) -> int:
    """An argparse type: an integer of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def print_json(data: object) -> None:
    """``--json`` output: indented UTF-8 JSON on stdout, ending with a newline."""
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    print()


def cut(text: str, width: int) -> str:
    """``text`` shortened to ``width`` characters with an ellipsis, for table columns."""
    return text if len(text) <= width else text[: width - 1] + "…"
