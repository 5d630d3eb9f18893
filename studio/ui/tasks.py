"""Background work for the desktop app: the one place the UI hands work to other threads.

The UI thread never waits on I/O (ARCHITECTURE.md, rule 2). Every query, file read, image
decode or network fetch runs here, in the pattern of Anki's ``taskman`` and Picard's
``run_task``: a ``QRunnable`` runs a plain function on a ``QThreadPool`` and the result comes
back to the GUI thread through a queued signal, where ``on_done`` (or ``on_error``) runs.
Workers return plain data and never touch widgets.

Two extras the catalog needs:

* a ``CancelToken`` for long tasks (an import checks it from its progress callback);
* *channels*: ``run(..., channel="search")`` gives each submission a generation number and
  drops the result of any submission superseded on the same channel before it finished, so a
  slow query typed three keystrokes ago can never overwrite the newest results.

Work is split into *lanes*, each its own pool, so that slow image fetches can never starve a
search of threads on a 2-core machine. An ``owner`` drops the results of work whose widget
was closed meanwhile, and ``busy_cursor`` marks the rare work that must stay on this thread
yet takes a moment.

Writes are not tasks: ``write`` hands them to the program's writer lane
(``studio.services.lane``: one serial queue per store file, never this thread) and, when one
has committed, publishes its ``Changes`` on ``changed`` - the app-wide signal every view
listens to, refreshing only what it shows - before its ``on_done``. ``origin`` tells the view
that made an edit (and already shows it) that the change is its own.
"""

from __future__ import annotations

import itertools
import logging
import os
import threading
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThread, QThreadPool, Signal, Slot
from PySide6.QtGui import QGuiApplication

if TYPE_CHECKING:
    from studio.services.lane import Done, WriteLane

log = logging.getLogger(__name__)
T = TypeVar("T")  # what a task returns, and its ``on_done`` receives

# lane -> (threads, niceness). Background lanes run at a lower CPU priority so that, on a
# 2-core machine, decoding thumbnails never steals the GUI thread's frame time.
DEFAULT_LANES: dict[str, tuple[int, int]] = {
    "default": (3, 0),  # store queries, detail, facets: the user is waiting for them
    "images": (4, 10),  # image fetch + decode: mostly waiting on disk or network
    "long": (1, 5),  # imports: one writer at a time
}
_thread_nice = threading.local()


def _lower_priority(nice: int) -> None:
    """Make the calling pool thread nicer (once per thread; Linux per-thread niceness)."""
    if not nice or getattr(_thread_nice, "value", 0) == nice:
        return
    _thread_nice.value = nice
    try:
        current = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), current + nice)
    except (AttributeError, OSError):  # not Linux: Qt's hint is the best available
        QThread.currentThread().setPriority(QThread.Priority.LowPriority)


class CancelToken:
    """Set by the GUI thread, read by a worker between units of work."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


@dataclass(slots=True)
class _Pending:
    on_done: Callable[[Any], object] | None
    on_error: Callable[[BaseException], None] | None
    channel: str | None
    generation: int
    owner: QObject | None = None  # its results are dropped once this object is deleted
    origin: object = None  # a write's: who made it (passed along with its Changes)


class _Runnable(QRunnable):
    """Runs ``fn`` in a pool thread and reports through the manager's signal."""

    def __init__(
        self, manager: TaskManager, task_id: int, fn: Callable[[], Any], nice: int = 0
    ) -> None:
        super().__init__()
        self._manager = manager
        self._task_id = task_id
        self._fn = fn
        self._nice = nice
        self.setAutoDelete(True)

    def run(self) -> None:
        _lower_priority(self._nice)
        try:
            result = self._fn()
        except BaseException as exc:
            if not isinstance(exc, Exception):
                log.error("task %d aborted: %r", self._task_id, exc)
            self._manager._finished.emit(self._task_id, False, (exc, traceback.format_exc()))
            return
        self._manager._finished.emit(self._task_id, True, result)


class TaskManager(QObject):
    """Runs callables off the GUI thread and delivers their results back on it."""

    # Emitted from pool threads; the manager lives in the GUI thread, so delivery is queued.
    _finished = Signal(int, bool, object)
    _written = Signal(int, object)  # (task id, the lane's Future), from a writer thread
    #: Emitted on the GUI thread whenever the number of running tasks changes.
    busy_changed = Signal(int)
    #: (Changes, origin): a write committed. Every view hears it and refreshes what it shows.
    changed = Signal(object, object)

    def __init__(
        self, lanes: dict[str, tuple[int, int]] | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._pools: dict[str, QThreadPool] = {}
        self._nice: dict[str, int] = {}
        for name, (threads, nice) in (lanes or DEFAULT_LANES).items():
            pool = QThreadPool(self)
            pool.setMaxThreadCount(threads)
            self._pools[name] = pool
            self._nice[name] = nice
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._generations: dict[str, int] = {}
        #: Told of a task that failed without an ``on_error`` (the app's crash handler);
        #: unset, the failure is logged.
        self.on_unhandled: Callable[[BaseException], None] | None = None
        self._lane: WriteLane | None = None
        self._closed = False  # shut down: no write is queued or published any more
        self._finished.connect(self._deliver)
        # Queued even when emitted here: a job the lane finished before ``write`` added its
        # done-callback has that callback run on this thread, inside ``write`` - its on_done
        # would run before ``write`` returned, ahead of whatever its caller does next.
        self._written.connect(self._deliver_write, Qt.ConnectionType.QueuedConnection)

    # -- submitting -------------------------------------------------------------------------

    def run(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], object] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        *,
        channel: str | None = None,
        lane: str = "default",
        owner: QObject | None = None,
    ) -> int:
        """Run ``fn()`` in ``lane``; call ``on_done(result)`` or ``on_error(exc)`` on the GUI.

        With a ``channel``, only the newest submission on that channel is delivered. With an
        ``owner`` (the widget or helper the callbacks belong to), nothing is delivered once it
        was deleted: the manager outlives every page, and a page closed while its image
        decodes must not have the result delivered into its deleted objects.
        Returns the task id.
        """
        task_id = next(self._ids)
        generation = 0
        if channel is not None:
            generation = self._generations.get(channel, 0) + 1
            self._generations[channel] = generation
        self._pending[task_id] = _Pending(on_done, on_error, channel, generation, owner)
        self.busy_changed.emit(len(self._pending))
        self._pools[lane].start(_Runnable(self, task_id, fn, self._nice[lane]))
        return task_id

    def write(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], object] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        *,
        catalog: bool = False,
        owner: QObject | None = None,
        origin: object = None,
    ) -> int:
        """Queue the write ``fn()`` on the writer lane (the catalog's queue when ``catalog``);
        once committed, publish its Changes on ``changed`` with ``origin``, then call
        ``on_done(value)``; ``on_error(exc)`` if it raised (nothing was written). Writes to
        one file run in the order they are queued. Returns the task id.

        After ``shutdown`` nothing can be written: ``on_error`` hears so (the window flushes
        its pages before it shuts the manager down, so only a page hidden later meets this)."""
        task_id = next(self._ids)
        if self._closed:
            exc = RuntimeError("the app is closing: the writer lane takes no more writes")
            if on_error is not None:
                on_error(exc)
            else:
                log.error("a write after shutdown was not made: %s", exc)
            return task_id
        self._pending[task_id] = _Pending(on_done, on_error, None, 0, owner, origin)
        self.busy_changed.emit(len(self._pending))
        future = self.lane.submit(fn, catalog=catalog)
        future.add_done_callback(lambda done: self._written.emit(task_id, done))
        return task_id

    @property
    def lane(self) -> WriteLane:
        """The program's writer lane, started with the first write."""
        if self._lane is None:
            from studio.services.lane import WriteLane

            self._lane = WriteLane()
        return self._lane

    def wait_written(self, timeout: float = 30.0) -> bool:
        """Block until every queued write has committed or failed (closing, tests)."""
        return self._lane is None or self._lane.drain(timeout)

    def supersede(self, channel: str) -> None:
        """Drop whatever is in flight on ``channel`` (its results will not be delivered)."""
        self._generations[channel] = self._generations.get(channel, 0) + 1

    def is_current(self, channel: str, generation: int) -> bool:
        return self._generations.get(channel, 0) == generation

    @property
    def running(self) -> int:
        return len(self._pending)

    def wait_idle(self, msecs: int = 30_000) -> bool:
        """Block until every pool is idle (shutdown and tests only; never in normal flow)."""
        return all(pool.waitForDone(msecs) for pool in self._pools.values())

    def shutdown(self) -> None:
        """Finish every queued write (an edit the user saw is never dropped), then forget
        pending callbacks and wait for running workers so none outlives the app."""
        self._closed = True
        if self._lane is not None:
            self._lane.close()
        for pool in self._pools.values():
            pool.clear()
        self._pending.clear()
        self.wait_idle()

    # -- delivering (GUI thread) ------------------------------------------------------------

    @Slot(int, bool, object)
    def _deliver(self, task_id: int, ok: bool, payload: object) -> None:
        pending = self._pending.pop(task_id, None)
        self.busy_changed.emit(len(self._pending))
        if pending is None:
            return
        if pending.channel is not None and not self.is_current(pending.channel, pending.generation):
            return  # superseded: a newer submission on this channel owns the view
        if pending.owner is not None and not shiboken6.isValid(pending.owner):
            return  # its owner was deleted meanwhile
        if ok:
            if pending.on_done is not None:
                pending.on_done(payload)
            return
        exc, trace = cast(tuple[BaseException, str], payload)
        if pending.on_error is not None:
            pending.on_error(exc)
        elif self.on_unhandled is not None:
            self.on_unhandled(exc)
        else:
            log.error("background task failed:\n%s", trace)

    @Slot(int, object)
    def _deliver_write(self, task_id: int, future: Future[Done[Any]]) -> None:
        if self._closed:
            return  # shut down: the views hearing it are closing, and must not read again
        pending = self._pending.pop(task_id, None)
        self.busy_changed.emit(len(self._pending))
        if pending is None:
            # Finished after shutdown() forgot it: its origin is lost, and a view hearing it
            # as someone else's change would queue work on the closed lane.
            return
        try:
            done = future.result()
        except BaseException as exc:
            self._report(pending, exc)
            return
        if done.changes:  # published even when the page that asked is gone: it happened
            self.changed.emit(done.changes, pending.origin)
        if pending.owner is not None and not shiboken6.isValid(pending.owner):
            return
        if pending.on_done is not None:
            pending.on_done(done.value)

    def _report(self, pending: _Pending, exc: BaseException) -> None:
        if pending.owner is not None and not shiboken6.isValid(pending.owner):
            log.error("a write failed after its page closed: %s", exc)
        elif pending.on_error is not None:
            pending.on_error(exc)
        elif self.on_unhandled is not None:
            self.on_unhandled(exc)
        else:
            log.error("a write failed: %s", exc)


@contextmanager
def busy_cursor(show: bool = True) -> Iterator[None]:
    """A wait cursor over work that must stay on the GUI thread yet takes a moment (a sort of
    thousands of rows and its undo: a QUndoCommand is undone synchronously)."""
    if show:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        if show:
            QGuiApplication.restoreOverrideCursor()
