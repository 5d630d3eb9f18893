"""Undoable edits of a look: one ``QUndoCommand`` per user action, all through a LookSession.

Each command writes its change through the session (and so through the store) in ``redo`` and
writes the inverse in ``undo``. Records removed by a command are tombstoned by the store and
restored by id on undo, so a redo never invents new ids. A marker drag is pushed once, on
release, as a single move; arrow-key nudges of the same hotspot merge into one step.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtGui import QUndoCommand

from studio.core.looks import ProductRef, new_id
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
    def __init__(
        self,
        session: LookSession,
        photo_id: str,
        product: ProductRef,
        x: float,
        y: float,
        label: str,
        text: str,
    ) -> None:
        super().__init__(text)
        self.session = session
        self.photo_id, self.product, self.x, self.y, self.label = photo_id, product, x, y, label
        self.hotspot_id = new_id()
        self._created = False

    def redo(self) -> None:
        if self._created:
            self.session.restore_hotspot(self.hotspot_id)
        else:
            self.session.add_hotspot(
                self.photo_id,
                self.product,
                self.x,
                self.y,
                hotspot_id=self.hotspot_id,
                label=self.label,
            )
            self._created = True

    def undo(self) -> None:
        self.session.delete_hotspot(self.hotspot_id)


class DeleteHotspotCommand(QUndoCommand):
    def __init__(self, session: LookSession, hotspot_id: str, text: str) -> None:
        super().__init__(text)
        self.session = session
        self.hotspot_id = hotspot_id

    def redo(self) -> None:
        self.session.delete_hotspot(self.hotspot_id)

    def undo(self) -> None:
        self.session.restore_hotspot(self.hotspot_id)


class EditHotspotCommand(QUndoCommand):
    """Move (x, y), label, note, kind or product of one hotspot."""

    def __init__(
        self,
        session: LookSession,
        hotspot_id: str,
        old: Mapping[str, object],
        new: Mapping[str, object],
        text: str,
        *,
        merge_id: int = -1,
    ) -> None:
        super().__init__(text)
        self.session = session
        self.hotspot_id = hotspot_id
        self.old = dict(old)
        self.new = dict(new)
        self._merge_id = merge_id

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
        self.session.update_hotspot(self.hotspot_id, **self.new)

    def undo(self) -> None:
        self.session.update_hotspot(self.hotspot_id, **self.old)
