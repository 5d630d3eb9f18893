"""Undoable edits of a look: one ``QUndoCommand`` per user action, all through a LookSession.

Each command makes its change through the session in ``redo`` and the inverse in ``undo``: the
session shows it at once and queues the write on the writer lane, so neither ever blocks (the
inverse is known, so undo and redo are optimistic). Records removed by a command are tombstoned
by the store and restored by id on undo, so a redo never invents new ids. A marker drag is
pushed once, on release, as a single move; arrow-key nudges of the same hotspot merge into one
step. A tag the store had to accept first (written, then shown) is pushed with its stored
record: the first ``redo`` only shows it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from PySide6.QtGui import QUndoCommand

from studio.core.looks import Hotspot, new_id
from studio.ui.looks.session import LookSession

# Ids for QUndoCommand.mergeWith: consecutive edits of the same thing become one step.
MERGE_LOOK_TEXT = 1001
MERGE_NUDGE = 1002
MERGE_HOTSPOT_TEXT = 1003
MERGE_PHOTO_TEXT = 1004


class EditLookCommand(QUndoCommand):
    """Title, caption, tags or status of the look."""

    def __init__(
        self,
        session: LookSession,
        old: Mapping[str, object],
        new: Mapping[str, object],
        text: str,
        *,
        merge: bool = False,
    ) -> None:
        super().__init__(text)
        self.session = session
        self.old = dict(old)
        self.new = dict(new)
        self._merge = merge

    def id(self) -> int:
        return MERGE_LOOK_TEXT if self._merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditLookCommand) or set(other.new) != set(self.new):
            return False
        self.new = dict(other.new)
        return True

    def redo(self) -> None:
        self.session.update_look(**self.new)

    def undo(self) -> None:
        self.session.update_look(**self.old)


class AddPhotoCommand(QUndoCommand):
    def __init__(
        self, session: LookSession, media_hash: str, width: int, height: int, text: str
    ) -> None:
        super().__init__(text)
        self.session = session
        self.media_hash, self.width, self.height = media_hash, width, height
        self.photo_id = new_id()
        self._created = False

    def redo(self) -> None:
        if self._created:
            self.session.restore_photo(self.photo_id)
        else:
            self.session.add_photo(self.media_hash, self.width, self.height, self.photo_id)
            self._created = True

    def undo(self) -> None:
        self.session.remove_photo(self.photo_id)


class RemovePhotoCommand(QUndoCommand):
    def __init__(self, session: LookSession, photo_id: str, text: str) -> None:
        super().__init__(text)
        self.session = session
        self.photo_id = photo_id

    def redo(self) -> None:
        self.session.remove_photo(self.photo_id)

    def undo(self) -> None:
        self.session.restore_photo(self.photo_id)


class EditPhotoCommand(QUndoCommand):
    """Crop, rotation, alt text or carousel position of one photo."""

    def __init__(
        self,
        session: LookSession,
        photo_id: str,
        old: Mapping[str, object],
        new: Mapping[str, object],
        text: str,
        *,
        merge: bool = False,
    ) -> None:
        super().__init__(text)
        self.session = session
        self.photo_id = photo_id
        self.old = dict(old)
        self.new = dict(new)
        self._merge = merge

    def id(self) -> int:
        return MERGE_PHOTO_TEXT if self._merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if (
            not isinstance(other, EditPhotoCommand)
            or other.photo_id != self.photo_id
            or set(other.new) != set(self.new)
        ):
            return False
        self.new = dict(other.new)
        return True

    def redo(self) -> None:
        self.session.update_photo(self.photo_id, **self.new)

    def undo(self) -> None:
        self.session.update_photo(self.photo_id, **self.old)


class ReplaceMediaCommand(QUndoCommand):
    """A photo shown from another file (a larger original): (hash, width, height) swapped."""

    def __init__(
        self,
        session: LookSession,
        photo_id: str,
        old: tuple[str, int, int],
        new: tuple[str, int, int],
        text: str,
    ) -> None:
        super().__init__(text)
        self.session = session
        self.photo_id = photo_id
        self.old, self.new = old, new

    def redo(self) -> None:
        self.session.replace_media(self.photo_id, *self.new)

    def undo(self) -> None:
        self.session.replace_media(self.photo_id, *self.old)


class AddHotspotCommand(QUndoCommand):
    """A tag the store has accepted (``LookSession.add_hotspots``): the first redo shows it,
    undo takes it off, a later redo brings it back."""

    def __init__(self, session: LookSession, stored: Hotspot, text: str) -> None:
        super().__init__(text)
        self.session = session
        self.hotspot = stored
        self._shown = False

    def redo(self) -> None:
        if self._shown:
            self.session.restore_hotspot(self.hotspot)
        else:
            self.session.show_hotspot(self.hotspot)
            self._shown = True

    def undo(self) -> None:
        self.hotspot = self.session.hotspot(self.hotspot.id) or self.hotspot
        self.session.delete_hotspot(self.hotspot.id)


class DeleteHotspotCommand(QUndoCommand):
    def __init__(self, session: LookSession, hotspot: Hotspot, text: str) -> None:
        super().__init__(text)
        self.session = session
        self.hotspot = hotspot

    def redo(self) -> None:
        self.hotspot = self.session.hotspot(self.hotspot.id) or self.hotspot
        self.session.delete_hotspot(self.hotspot.id)

    def undo(self) -> None:
        self.session.restore_hotspot(self.hotspot)


class EditHotspotCommand(QUndoCommand):
    """Move (x, y), label, note, kind or product of one hotspot. ``stored``: the edit was
    written first (another product, which the store may refuse); the first redo shows it."""

    def __init__(
        self,
        session: LookSession,
        hotspot_id: str,
        old: Mapping[str, object],
        new: Mapping[str, object],
        text: str,
        *,
        merge_id: int = -1,
        stored: Hotspot | None = None,
    ) -> None:
        super().__init__(text)
        self.session = session
        self.hotspot_id = hotspot_id
        self.old = dict(old)
        self.new = dict(new)
        self._merge_id = merge_id
        self._stored = stored

    def id(self) -> int:
        return self._merge_id

    def mergeWith(self, other: QUndoCommand) -> bool:
        if (
            not isinstance(other, EditHotspotCommand)
            or other.hotspot_id != self.hotspot_id
            or set(other.new) != set(self.new)
        ):
            return False
        self.new = dict(other.new)
        return True

    def redo(self) -> None:
        stored, self._stored = self._stored, None
        if stored is None:
            self.session.update_hotspot(self.hotspot_id, **self.new)
            return
        current = self.session.hotspot(self.hotspot_id)
        if current is not None:
            # Only what this edit wrote: a move made since it was queued stays shown.
            kept = {name: getattr(stored, name) for name in self.new}
            self.session.show_hotspot(dataclasses.replace(current, **kept))

    def undo(self) -> None:
        self.session.update_hotspot(self.hotspot_id, **self.old)
