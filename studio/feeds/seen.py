"""The offer ids met so far in one pass over a feed, to refuse a repeated one.

A repeated offer may come at any distance, so every id must be remembered until the feed
ends; in a set that grows with the feed (about 100 bytes an id: 127 MB for a 1M-item feed in
the process that parses it). So the set holds the first ``IN_MEMORY`` ids only (~20 MB);
past them, every id moves to an anonymous SQLite database (an on-disk temporary file SQLite
deletes when it is closed, with a 2 MB page cache) and is checked there, ~2 us more each. The
parser's memory then stays flat whatever the feed's size. Exact either way.
"""

from __future__ import annotations

import sqlite3

from studio.core.errors import FeedError

IN_MEMORY = 200_000  # ids held in a set before they all move to disk


class SeenIds:
    """``add(offer_id)`` is True the first time an id is met, False after."""

    def __init__(self, *, in_memory: int | None = None) -> None:
        self._set: set[str] | None = set()
        self._limit = IN_MEMORY if in_memory is None else in_memory
        self._conn: sqlite3.Connection | None = None
        self._insert = "INSERT OR IGNORE INTO seen (id) VALUES (?)"

    def add(self, offer_id: str) -> bool:
        ids = self._set
        if ids is not None:
            if offer_id in ids:
                return False
            if len(ids) < self._limit:
                ids.add(offer_id)
                return True
            self._to_disk(ids)
        assert self._conn is not None
        try:
            return self._conn.execute(self._insert, (offer_id,)).rowcount == 1
        except sqlite3.Error as exc:  # a full temporary disk, for one
            raise FeedError(f"cannot keep track of the ids read: {exc}") from exc

    def _to_disk(self, ids: set[str]) -> None:
        try:
            # "": a private temporary database on disk, deleted with its connection.
            conn = sqlite3.connect("", isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA cache_size=-2048")
            conn.execute("PRAGMA journal_mode=OFF")  # scratch data: nothing to roll back
            conn.execute("CREATE TABLE seen (id TEXT PRIMARY KEY) WITHOUT ROWID")
            conn.executemany(self._insert, ((i,) for i in ids))
        except sqlite3.Error as exc:
            raise FeedError(f"cannot make a temporary file to check the ids: {exc}") from exc
        self._conn, self._set = conn, None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self._set = None
