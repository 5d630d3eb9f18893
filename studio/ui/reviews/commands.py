"""Undo commands of the Reviews workspace: each is one store write, both ways.

What is undoable here (the page's ``QUndoStack``): the rating, provenance and status of a review,
adding, removing and reordering its photos, and trashing it. Typed text (title, body, pros,
cons) is NOT on this stack: each text box keeps Qt's own undo for typing, which is what a user
expects of Ctrl+Z inside a text box, and the text is saved on a short debounce anyway. Putting
every keystroke on the page stack as well would make one Ctrl+Z mean two things.

Commands hold plain values and call back into a ``ReviewWriter`` (the page's edits), which
shows the change at once and queues its write on the writer lane (never the GUI thread, and
``redo``/``undo`` never wait for it): the effect of undoing or redoing is the known inverse
of the edit, shown before the store has it, except where the store decides the result (a
photo or a review coming back takes its old place): that is read back once written. An edit
the store may refuse (a review's creation, a provenance the conflict rule forbids) is written
BEFORE its command is pushed, in the write's ``on_done``, so a refused edit never reaches the
stack; the command's first ``redo`` then finds the edit already done. Should a later redo or
undo be refused (a tie declared since), the page says why, clears the stack and shows what is
stored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from PySide6.QtGui import QUndoCommand


class ReviewWriter(Protocol):
    def write_fields(self, review_id: str, fields: Mapping[str, object]) -> None: ...
    def set_trashed(self, review_id: str, trashed: bool) -> None: ...
    def set_photo_removed(self, review_id: str, photo_id: str, removed: bool) -> None: ...
    def order_photos(self, review_id: str, photo_ids: Sequence[str]) -> None: ...


class _Done(QUndoCommand):
    """A command whose edit was already made when it was pushed."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._skip = True

    def redo(self) -> None:
        if self._skip:
            self._skip = False
            return
        self.apply()

    def apply(self) -> None:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError


class FieldsCommand(_Done):
    """Rating, provenance and/or status of one review."""

    def __init__(
        self,
        writer: ReviewWriter,
        review_id: str,
        before: Mapping[str, object],
        after: Mapping[str, object],
        text: str,
    ) -> None:
        super().__init__(text)
        self._writer = writer
        self.review_id = review_id
        self._before = dict(before)
        self._after = dict(after)

    def apply(self) -> None:
        self._writer.write_fields(self.review_id, self._after)

    def undo(self) -> None:
        self._writer.write_fields(self.review_id, self._before)


class TrashCommand(_Done):
    def __init__(
        self, writer: ReviewWriter, review_id: str, text: str, *, restore: bool = False
    ) -> None:
        super().__init__(text)
        self._writer = writer
        self.review_id = review_id
        self._restore = restore  # the command restores a trashed review instead

    def apply(self) -> None:
        self._writer.set_trashed(self.review_id, not self._restore)

    def undo(self) -> None:
        self._writer.set_trashed(self.review_id, self._restore)


class PhotoCommand(_Done):
    """A photo added (``added=True``) or removed; the other way on undo."""

    def __init__(
        self, writer: ReviewWriter, review_id: str, photo_id: str, text: str, *, added: bool
    ) -> None:
        super().__init__(text)
        self._writer = writer
        self.review_id = review_id
        self.photo_id = photo_id
        self._added = added

    def apply(self) -> None:
        self._writer.set_photo_removed(self.review_id, self.photo_id, not self._added)

    def undo(self) -> None:
        self._writer.set_photo_removed(self.review_id, self.photo_id, self._added)


class ReorderCommand(_Done):
    def __init__(
        self,
        writer: ReviewWriter,
        review_id: str,
        before: Sequence[str],
        after: Sequence[str],
        text: str,
    ) -> None:
        super().__init__(text)
        self._writer = writer
        self.review_id = review_id
        self._before = list(before)
        self._after = list(after)

    def apply(self) -> None:
        self._writer.order_photos(self.review_id, self._after)

    def undo(self) -> None:
        self._writer.order_photos(self.review_id, self._before)
