"""How a page writes: every edit through the writer lane, a refusal shown, the view kept true.

Pages never call a store's write on the GUI thread. They hand it to ``PageWrites.write``,
which queues it on the writer lane (``TaskManager.write``; the page is its ``origin``, so the
page can tell its own edits from others' on ``TaskManager.changed``) and calls back on the GUI
thread once it has committed. Two ways of using it, by what the edit risks:

- *optimistic*, for an edit the store cannot refuse (a marker nudged, a caption typed, a shelf
  reordered): the page changes its view at once, then writes; the store's record confirms it.
- *write, then show*, for an edit the store may refuse with a reason (a competitor's product,
  the tier's limit, a taken handle): the page writes and changes its view (and pushes its undo
  step) in ``on_done``, so a refusal never reaches the view or the undo stack.

A write that fails anyway (a refusal of an optimistic edit, a full disk) is never silent: its
reason goes to ``refused`` (the page's message bar), the page's undo history, which no longer
matches the store, is cleared, and ``resync`` is called: the page re-reads what it shows
through ``after``, so the read comes after every write queued before it and shows what is
saved.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from studio.core.errors import StudioError
from studio.ui.tasks import TaskManager

log = logging.getLogger(__name__)
T = TypeVar("T")


def reason_of(exc: BaseException) -> str:
    """What to tell the user: a refusal's or a bad value's own words; anything else is a bug
    or an I/O failure, said so (its traceback goes to the log)."""
    if isinstance(exc, StudioError | ValueError | TypeError):
        return str(exc)
    log.error("a write failed", exc_info=exc)
    return f"the change could not be saved ({type(exc).__name__}: {exc})"


class PageWrites(QObject):
    """One page's writes (see the module docstring). ``resync`` re-reads the page's view from
    the store after a failure; ``undo`` is the page's undo stack, cleared then."""

    #: A write failed: its reason, for the page's message bar.
    refused = Signal(str)

    def __init__(
        self,
        tasks: TaskManager,
        parent: QObject,
        *,
        undo: QUndoStack | None = None,
        resync: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.undo = undo
        self.resync = resync
        self.pending = 0
        #: Writes queued so far: a read that saw this number change while it ran may have
        #: missed an edit the page shows already.
        self.queued = 0

    def write(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], object] | None = None,
        *,
        on_refused: Callable[[str], object] | None = None,
        catalog: bool = False,
    ) -> None:
        """Queue the write ``fn``; ``on_done(value)`` once committed. On failure the reason
        goes to ``on_refused`` when given (a write-then-show edit: nothing was shown, so
        nothing to undo), else to ``refused``, and the page's view and undo are put right."""
        self.pending += 1
        self.queued += 1

        def done(value: T) -> None:
            self.pending -= 1
            if on_done is not None:
                on_done(value)

        def failed(exc: BaseException) -> None:
            self.pending -= 1
            reason = reason_of(exc)
            if on_refused is not None:
                on_refused(reason)
                return
            self.refused.emit(reason)
            if self.undo is not None:
                self.undo.clear()  # its steps no longer match what is saved
            if self.resync is not None:
                self.resync()

        self.tasks.write(fn, done, failed, catalog=catalog, owner=self, origin=self)

    def after(self, read: Callable[[], T], on_done: Callable[[T], object]) -> None:
        """Run ``read`` (a store read) on the writer lane, after every write queued before it:
        what it returns is the store as those writes left it."""
        self.tasks.write(read, on_done, owner=self, origin=self)

    def own(self, origin: object) -> bool:
        """Whether a ``TaskManager.changed`` came from this page's own write."""
        return origin is self
