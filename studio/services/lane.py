"""The writer lane: every write of a program goes through here and reports its ``Changes``.

Writes never run on the desktop's GUI thread (ARCHITECTURE.md rule 2): each is a job, queued
on one of two serial queues, one per store file, so that a long catalog import (one
transaction on the catalog file) never holds up a curator's edit (a transaction on the content
file), while writes to the same file never race. A job is a plain function that calls the
stores; the lane runs it inside ``studio.store.tx.collecting()`` and hands back ``Done``: its
value and the ``Changes`` of every transaction it committed. A job that raises reports the
exception and nothing changed (its transaction rolled back).

The desktop submits jobs and hears of their end through ``studio.ui.tasks`` (which publishes
each ``Changes`` on the app-wide signal); the command line runs them where it stands
(``run``), since it has nothing else to do meanwhile. An edit waits for a busy store rather
than fail (``studio.store.tx``), so a queued edit is never dropped: ``drain`` lets the app
wait for the queue before it closes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Generic, TypeVar

from studio.core.changes import Changes
from studio.store import tx

T = TypeVar("T")
CONTENT, CATALOG = "content", "catalog"


@dataclass(frozen=True, slots=True)
class Done(Generic[T]):
    """A finished write job: what it returned and what it changed."""

    value: T
    changes: Changes


def collect(fn: Callable[[], T]) -> Done[T]:
    """Run ``fn`` here, collecting the ``Changes`` of what it commits."""
    with tx.collecting() as got:
        value = fn()
    return Done(value, got.build())


class WriteLane:
    """Two serial queues of write jobs, one per store file (see the module docstring)."""

    def __init__(self) -> None:
        self._queues = {
            name: ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"writer-{name}")
            for name in (CONTENT, CATALOG)
        }
        self._lock = threading.Lock()
        self._pending = 0
        self._idle = threading.Condition(self._lock)

    def submit(self, fn: Callable[[], T], *, catalog: bool = False) -> Future[Done[T]]:
        """Queue ``fn`` on the content queue (or the catalog's); its future gives ``Done``."""
        with self._lock:
            self._pending += 1
        future = self._queues[CATALOG if catalog else CONTENT].submit(collect, fn)
        future.add_done_callback(self._finished)
        return future

    def _finished(self, _future: Future[Done[T]]) -> None:
        with self._lock:
            self._pending -= 1
            if not self._pending:
                self._idle.notify_all()

    @staticmethod
    def run(fn: Callable[[], T]) -> Done[T]:
        """Run ``fn`` on the calling thread (a command line's one write), collecting Changes."""
        return collect(fn)

    @property
    def pending(self) -> int:
        """Jobs queued or running."""
        with self._lock:
            return self._pending

    def drain(self, timeout: float | None = None) -> bool:
        """Wait until every queued job has finished; False when ``timeout`` passed first."""
        with self._lock:
            return self._idle.wait_for(lambda: not self._pending, timeout)

    def close(self) -> None:
        """Finish what is queued, then stop the writer threads."""
        for queue in self._queues.values():
            queue.shutdown(wait=True)
