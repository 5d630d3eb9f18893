"""The look editor's edits: what the canvas, strip and form report, as undo commands.

A mixin of ``LookEditor`` (kept apart so each module stays readable): every method here turns
one user action into ONE command on the editor's undo stack, which shows it through the
session at once and queues its write (none of them waits for the store).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QPoint
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from studio.core.ordering import key_between
from studio.core.sharing import displayed_point, original_point
from studio.ui.looks.commands import (
    MERGE_HOTSPOT_TEXT,
    MERGE_NUDGE,
    AddPhotoCommand,
    DeleteHotspotCommand,
    EditHotspotCommand,
    EditLookCommand,
    EditPhotoCommand,
    RemovePhotoCommand,
)
from studio.ui.widgets.photo_import import photo_filter

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtGui import QUndoCommand, QUndoStack

    from studio.core.looks import LookPhoto
    from studio.media.library import StoredMedia
    from studio.store.catalog import CatalogStore
    from studio.ui.looks.quick_tag import QuickTagPopup
    from studio.ui.looks.session import LookSession
    from studio.ui.looks.tagging import Tagger
    from studio.ui.widgets.photo_import import PhotoImporter


class EditorEdits:
    """Edit handlers of ``LookEditor`` (``self`` is the editor)."""

    if TYPE_CHECKING:  # what the mixin uses of the editor
        session: LookSession | None
        undo_stack: QUndoStack
        importer: PhotoImporter
        tagger: Tagger
        quick_tag: QuickTagPopup
        catalog: Callable[[], CatalogStore | None]
        _current_photo: str

        @property
        def current_photo(self) -> LookPhoto | None: ...
        def tr(self, text: str, disambiguation: str | None = None, n: int = -1) -> str: ...
        def show_photo(self, photo_id: str, *, force: bool = False) -> None: ...
        def _refresh(self, kind: str) -> None: ...

    # -- edits ------------------------------------------------------------------------------

    def push(self, command: QUndoCommand) -> None:
        self.undo_stack.push(command)

    def _look_edited(self, name: str, value: object) -> None:
        if self.session is None or getattr(self.session.doc.look, name) == value:
            return
        self.push(
            EditLookCommand(
                self.session,
                {name: getattr(self.session.doc.look, name)},
                {name: value},
                self.tr("Edit the look's {field}").format(field=name),
                merge=name not in ("status",),
            )
        )

    def _photo_edited(self, photo_id: str, name: str, value: object) -> None:
        photo = self.session.photo(photo_id) if self.session is not None else None
        if photo is None or self.session is None or getattr(photo, name) == value:
            return
        texts = {
            "crop": self.tr("Crop the photo"),
            "rotation": self.tr("Turn the photo"),
            "alt_text": self.tr("Edit the alt text"),
        }
        self.push(
            EditPhotoCommand(
                self.session,
                photo_id,
                {name: getattr(photo, name)},
                {name: value},
                texts.get(name, name),
                merge=name == "alt_text",
            )
        )

    def _hotspot_edited(self, hotspot_id: str, name: str, value: object) -> None:
        hotspot = self.session.hotspot(hotspot_id) if self.session is not None else None
        if hotspot is None or self.session is None or getattr(hotspot, name) == value:
            return
        self.push(
            EditHotspotCommand(
                self.session,
                hotspot_id,
                {name: getattr(hotspot, name)},
                {name: value},
                self.tr("Edit the tag"),
                merge_id=MERGE_HOTSPOT_TEXT if name != "kind" else -1,
            )
        )

    def _hotspot_moved(self, hotspot_id: str, ox: float, oy: float, nx: float, ny: float) -> None:
        if self.session is not None:
            self.push(
                EditHotspotCommand(
                    self.session,
                    hotspot_id,
                    {"x": ox, "y": oy},
                    {"x": nx, "y": ny},
                    self.tr("Move the tag"),
                )
            )

    def _nudge(self, hotspot_id: str, dx: float, dy: float) -> None:
        session, photo = self.session, self.current_photo
        hotspot = session.hotspot(hotspot_id) if session is not None else None
        if session is None or photo is None or hotspot is None:
            return
        shown = displayed_point(hotspot.x, hotspot.y, photo.crop, photo.rotation)
        if shown is None:
            return
        fx = min(max(shown[0] + dx, 0.0), 1.0)
        fy = min(max(shown[1] + dy, 0.0), 1.0)
        x, y = original_point(fx, fy, photo.crop, photo.rotation)
        self.push(
            EditHotspotCommand(
                session,
                hotspot_id,
                {"x": hotspot.x, "y": hotspot.y},
                {"x": x, "y": y},
                self.tr("Nudge the tag"),
                merge_id=MERGE_NUDGE,
            )
        )

    def delete_hotspot(self, hotspot_id: str) -> None:
        hotspot = self.session.hotspot(hotspot_id) if self.session is not None else None
        if self.session is not None and hotspot is not None:
            self.push(DeleteHotspotCommand(self.session, hotspot, self.tr("Remove the tag")))

    def _point_clicked(self, x: float, y: float, global_pos: QPoint) -> None:
        if self.current_photo is None or self.catalog() is None:
            return
        self.tagger.pending_point = (self._current_photo, x, y)
        self.quick_tag.open_at(global_pos)

    # -- photos -----------------------------------------------------------------------------

    def choose_photos(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            cast("QWidget", self),
            self.tr("Add photos to the look"),
            str(Path.home()),
            photo_filter(),
        )
        self.import_photos([Path(f) for f in files])

    def import_photos(self, paths: list[Path]) -> None:
        """Add image files to the open look (imported in the background)."""
        if self.session is not None:
            self.importer.import_paths(paths, self.session.look_id)

    def paste(self) -> None:
        mime = QGuiApplication.clipboard().mimeData()
        if mime is None or self.session is None:
            return
        files = (
            [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
            if mime.hasUrls()
            else []
        )
        if files:
            self.import_photos(files)
        elif mime.hasImage():
            self.importer.import_image(QGuiApplication.clipboard().image(), self.session.look_id)

    def _photos_imported(self, stored: list[StoredMedia], look_id: str) -> None:
        if self.session is None or self.session.look_id != look_id:
            return  # another look is open now: the photos stay in the media library only
        if len(stored) > 1:
            self.undo_stack.beginMacro(self.tr("Add %n photos", "", len(stored)))
        last = ""
        for media in stored:
            command = AddPhotoCommand(
                self.session, media.hash, media.width, media.height, self.tr("Add a photo")
            )
            self.push(command)
            last = command.photo_id
        if len(stored) > 1:
            self.undo_stack.endMacro()
        self.show_photo(last, force=True)

    def remove_photo(self, photo_id: str) -> None:
        if self.session is not None and self.session.photo(photo_id) is not None:
            self.push(RemovePhotoCommand(self.session, photo_id, self.tr("Remove the photo")))

    def _photo_moved(self, photo_id: str, index: int) -> None:
        if self.session is None:
            return
        others = [p for p in self.session.doc.photos if p.id != photo_id]
        photo = self.session.photo(photo_id)
        if photo is None:
            return
        index = max(0, min(index, len(others)))
        before = others[index - 1].position if index > 0 else None
        after = others[index].position if index < len(others) else None
        position = key_between(before, after)
        if position != photo.position:
            self.push(
                EditPhotoCommand(
                    self.session,
                    photo_id,
                    {"position": photo.position},
                    {"position": position},
                    self.tr("Reorder the photos"),
                )
            )
        else:
            self._refresh("photos")
