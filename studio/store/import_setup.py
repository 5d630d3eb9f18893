"""Setting up the connection and the index for a bulk import (used by ``studio.store.importer``).

- The journal: a merchant's first import in a headless program skips the WAL's double write.
- The FTS5 merge policy: how many index segments pile up before they are merged.
"""

from __future__ import annotations

import logging
import sqlite3

from studio.store.db import BUSY_TIMEOUT_MS

log = logging.getLogger(__name__)

# FTS5 writes a new index segment per flush (per import, at least) and merges segments of a
# level once 'automerge' of them exist (default 4), blocking writes at 'crisismerge' (16).
# Merging in groups of 16 rewrites each posting about log16(n) times instead of log4(n):
# storing the 1M catalog as 20 imports took 19.6 s instead of 23.2 s, and the search figures
# (ranked, prefix type-ahead, facets) were unchanged or better on the index it left.
FTS_MERGE_POLICY = (("automerge", 16), ("crisismerge", 32))


def set_fts_merge_policy(conn: sqlite3.Connection) -> None:
    """Persist FTS_MERGE_POLICY in the index's config (inside the caller's transaction)."""
    current = dict(conn.execute("SELECT k, v FROM product_fts_config"))
    for key, value in FTS_MERGE_POLICY:
        if current.get(key) != value:
            conn.execute("INSERT INTO product_fts (product_fts, rank) VALUES (?, ?)", (key, value))


def use_rollback_journal(conn: sqlite3.Connection, merchant: str) -> bool:
    """Switch to a rollback journal for a merchant's first import; True when it did.

    In WAL mode every page is written twice (to the log, then by the checkpoint). A rollback
    journal only copies pages that existed before the transaction, and a first import mostly
    appends new pages (rows with new ids, new index and FTS segments): most of its data is
    written once, as safely (a killed import leaves a hot journal that the next open rolls
    back). It is only tried when the Database is ``exclusive`` (a headless program): while
    the journal is in use, readers wait for the import's commit. Switching also needs the
    only connection to the file; when another is open the import simply stays in WAL.
    """
    first = (
        conn.execute(
            "SELECT 1 FROM products WHERE merchant_id = (SELECT id FROM merchants WHERE name = ?) "
            "LIMIT 1",
            (merchant,),
        ).fetchone()
        is None
    )
    if not first:
        return False
    conn.execute("PRAGMA busy_timeout=0")  # another connection means no: do not wait for it
    try:
        mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    except sqlite3.OperationalError:
        mode = "wal"
    finally:
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return str(mode).lower() == "delete"


def back_to_wal(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA busy_timeout=0")
    try:
        conn.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError as exc:  # another connection appeared meanwhile
        log.warning("store left in rollback-journal mode until next opened: %s", exc)
    finally:
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
