"""A background thread running an import's long single statements (the FTS builds).

Why a thread helps: Python's ``sqlite3`` releases the GIL while a statement steps, so one long
``INSERT INTO product_fts ... SELECT`` (tokenising tens of thousands of rows, all in C) runs on
the second core while the importing thread parses and converts the next batch in Python.

Why only single long statements: ``executemany`` steps once per row and needs the GIL to bind
every row, so a writer thread running it convoys with the busy parser on the GIL every row
(measured 25% slower than no thread). And moving the products rows themselves here as one
``INSERT ... SELECT value->>0, ... FROM json_each(?)`` statement was measured 4x slower than
``executemany`` (0.9 s against 0.24 s per 50k rows: each of the 32 ``->>`` re-reads the row's
JSON), more than the overlap wins back. So the importing thread keeps writing the product rows
itself and hands the index work over.

Both threads use the import's one connection, inside its one transaction. That is safe: the
``sqlite3`` module is built serialized (``sqlite3.threadsafety == 3``), so SQLite's connection
mutex orders their statements (an ``executemany`` issued while the index statement runs simply
waits for it, without holding the GIL), and the import's connection is opened with
``check_same_thread=False``. The queue is bounded, so at most ``DEPTH`` batches wait.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Callable
from typing import Any

DEPTH = 2  # statements waiting at most: bounds memory, and how far the index lags the rows

Job = tuple[str, tuple[Any, ...]]


class StatementWriter:
    """Runs queued statements, in order, on ``conn`` in a thread of its own.

    ``submit`` raises the first error the thread met (its later jobs are skipped), ``finish``
    waits for every job and raises that error too, ``abort`` waits for the running statement
    and drops the rest. After ``finish`` or ``abort`` returns, the thread is gone and the
    connection is the caller's alone again; ROLLBACK or COMMIT is the caller's business.
    """

    def __init__(
        self, conn: sqlite3.Connection, *, before_job: Callable[[Job], None] | None = None
    ) -> None:
        self._conn = conn
        self._jobs: queue.Queue[Job | None] = queue.Queue(maxsize=DEPTH)
        self._error: BaseException | None = None
        self._stopping = False
        self._before_job = before_job  # a test hook: fault injection inside the thread
        self._thread = threading.Thread(target=self._run, name="import-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            if self._error is not None or self._stopping:
                continue  # keep draining, so a producer blocked on put() is released
            try:
                if self._before_job is not None:
                    self._before_job(job)
                self._conn.execute(*job)
            except BaseException as exc:  # handed to the importing thread, re-raised there
                self._error = exc

    def check(self) -> None:
        """Raise the error the thread met, if any."""
        if self._error is not None:
            raise self._error

    def submit(self, sql: str, params: tuple[Any, ...]) -> None:
        """Queue one statement (waits while DEPTH statements are queued)."""
        self.check()
        self._jobs.put((sql, params))

    def finish(self) -> None:
        """Wait until every queued statement ran; raise the thread's error, if any."""
        self._jobs.put(None)
        self._thread.join()
        self.check()

    def abort(self) -> None:
        """Stop: let the statement running now end (one batch, well under a second), skip
        the queued ones.

        ``conn.interrupt()`` is not used: it marks the whole connection, and when it lands
        while the thread is between statements it interrupts the caller's ROLLBACK instead.
        """
        self._stopping = True
        self._jobs.put(None)
        self._thread.join()
