"""The boards page's writes and the reads that must see them.

``BoardWrites`` is the page's ``PageWrites`` (one for the board list and the editor: each
ignores the page's own edits on ``TaskManager.changed``, the other already shows them), plus
``read``: a store read for one view that sees every write this page queued before it.

Why reads need care here: an optimistic edit is shown before it is saved, so a read that ran
before the edit committed would put the old values back on screen, and since the page ignores
its own echo nothing would ever correct them. ``read`` therefore runs behind the page's queued
writes when there are any (on the writer lane, in order; otherwise in a worker, so a busy store
never delays it), keeps only the newest answer per view, and reads again when the page queued
another write while it was under way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoStack

from studio.ui.tasks import TaskManager
from studio.ui.widgets.writes import PageWrites

T = TypeVar("T")


class BoardWrites(PageWrites):
    """``PageWrites`` counting the writes it queued, with ``read`` (see the module docstring)."""

    def __init__(
        self,
        tasks: TaskManager,
        parent: QObject,
        *,
        undo: QUndoStack | None = None,
        resync: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(tasks, parent, undo=undo, resync=resync)
        #: Writes queued so far by this page (a read asked before the last one may miss it).
        self.queued = 0
        self._latest: dict[str, int] = {}

    def write(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], object] | None = None,
        *,
        on_refused: Callable[[str], object] | None = None,
        catalog: bool = False,
    ) -> None:
        self.queued += 1
        super().write(fn, on_done, on_refused=on_refused, catalog=catalog)

    def supersede(self, view: str) -> None:
        """Drop the answer of any read of ``view`` under way (the view shows something else)."""
        self._latest[view] = self._latest.get(view, 0) + 1

    def read(
        self,
        view: str,
        fn: Callable[[], T],
        on_done: Callable[[T], object],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run the read ``fn`` for ``view`` and hand its answer to ``on_done``, unless a newer
        read for that view was asked meanwhile; it sees every write the page queued before."""
        generation = self._latest[view] = self._latest.get(view, 0) + 1
        queued = self.queued

        def arrived(value: T) -> None:
            if self._latest.get(view) != generation:
                return  # a newer read of this view owns it
            if self.queued != queued:
                # The page wrote while this read was under way: it may not show that write.
                self.read(view, fn, on_done, on_error)
                return
            on_done(value)

        if self.pending:
            # Ordered behind the writes queued so far (a read writes nothing: no Changes).
            self.tasks.write(fn, arrived, on_error, owner=self, origin=self)
        else:
            self.tasks.run(fn, arrived, on_error, owner=self)
