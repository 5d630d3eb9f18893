"""The offer ids met so far in one pass over a feed, to refuse a repeated one.

A repeated offer may come at any distance, so every id must be remembered until the feed
ends; in a set that grows with the feed (about 100 bytes an id: 127 MB for a 1M-item feed in
the process that parses it). For a large file the ids go to an anonymous SQLite database
instead (an on-disk temporary file SQLite deletes when it is closed, with a 2 MB page cache),
so the parser's memory stays flat whatever the feed's size; an id costs ~2 us more to check.
Both forms are exact. A small file keeps the set: it is faster and bounded anyway.
"""

from __future__ import annotations

import sqlite3

from studio.core.errors import FeedError

# From this file size up, the ids are kept on disk (the size from which a feed is parsed in
# a child process too: about 10,000 items).
ON_DISK_FROM_BYTES = 8 * 1024**2


class SeenIds:
    """``add(offer_id)`` is True the first time an id is met, False after."""

    def __init__(self, *, on_disk: bool = False) -> None:
        self._set: set[str] | None = None
        self._conn: sqlite3.Connection | None = None
        if not on_disk:
            self._set = set()
            return
        try:
            # "": a private temporary database on disk, deleted with its connection.
            conn = sqlite3.connect("", isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA cache_size=-2048")
            conn.execute("PRAGMA journal_mode=OFF")  # scratch data: nothing to roll back
            conn.execute("CREATE TABLE seen (id TEXT PRIMARY KEY) WITHOUT ROWID")
        except sqlite3.Error as exc:
            raise FeedError(f"cannot make a temporary file to check the ids: {exc}") from exc
        self._conn = conn
        self._insert = "INSERT OR IGNORE INTO seen (id) VALUES (?)"

    def add(self, offer_id: str) -> bool:
        if self._set is not None:
            if offer_id in self._set:
                return False
            self._set.add(offer_id)
            return True
        assert self._conn is not None
        try:
            return self._conn.execute(self._insert, (offer_id,)).rowcount == 1
        except sqlite3.Error as exc:  # a full temporary disk, for one
            raise FeedError(f"cannot keep track of the ids read: {exc}") from exc

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self._set = None
