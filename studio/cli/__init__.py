"""The ``studio`` command: headless commands that call the same services as the desktop app.

``studio.cli.app`` is the composition root; each command group is a module of this package
(``catalog``: import-feed, search, catalog stats; ``platform``: login, logout, account,
catalog update).
"""

from studio.cli.app import main
from studio.cli.catalog import FEED_FORMATS

__all__ = ["FEED_FORMATS", "main"]
