"""The look's photo carousel: thumbnails in order, add (dialog, drop, paste), reorder, remove.

The strip only shows and reports; the editor turns ``moved``/``remove_requested`` into undo
commands and re-fills the strip from the document afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMimeData, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QDragEnterEvent, QDragMoveEvent, QDropEvent, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListView,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.looks import LookPhoto
from studio.ui.looks.canvas import local_files
from studio.ui.looks.images import CoverLoader

THUMB = QSize(96, 72)
PhotoIdRole = Qt.ItemDataRole.UserRole + 1


PHOTO_MIME = "application/x-vitrine-look-photo-ids"


class _StripList(QListWidget):
    """The thumbnails; a drag of one to another place in the strip reorders the carousel.

    Fix: the reorder used Qt's InternalMove and read the result back from ``rowsMoved``.
    InternalMove only takes a drop whose ``QDropEvent.source()`` is this very view, which
    Qt sets only while its own ``QDrag`` runs (never on the offscreen platform, nor for a
    drag relayed by an accessibility tool), and the model had already been rearranged
    before the store was asked. Now the drag carries the photo ids (``mimeData``, so Qt's
    own ``startDrag`` puts them on the drag) and the drop reports the photo and its new
    index from the drop position; the list is re-filled from the document afterwards.
    """

    files_dropped = Signal(list)
    #: photo id, its new index among the other photos
    photo_dropped = Signal(str, int)

    def mimeTypes(self) -> list[str]:
        return [PHOTO_MIME, *super().mimeTypes()]

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:
        mime = super().mimeData(list(items))
        ids = [str(i.data(PhotoIdRole)) for i in items]
        mime.setData(PHOTO_MIME, json.dumps(ids).encode("utf-8"))
        return mime

    def _own_photo(self, mime: QMimeData) -> str:
        """The photo id a drag of one of this strip's thumbnails carries, or ""."""
        if not mime.hasFormat(PHOTO_MIME):
            return ""
        try:
            ids = json.loads(bytes(mime.data(PHOTO_MIME).data()).decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return ""
        mine = {str(self.item(r).data(PhotoIdRole)) for r in range(self.count())}
        ok = isinstance(ids, list) and len(ids) == 1 and ids[0] in mine
        return str(ids[0]) if ok else ""

    def _target(self, photo_id: str, x: float) -> int:
        """The index among the other thumbnails that the drop point ``x`` falls before."""
        index = 0
        for row in range(self.count()):
            item = self.item(row)
            if (
                str(item.data(PhotoIdRole)) != photo_id
                and self.visualItemRect(item).center().x() < x
            ):
                index += 1
        return index

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if (event.mimeData().hasUrls() and local_files(event.mimeData().urls())) or self._own_photo(
            event.mimeData()
        ):
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
            return
        super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._own_photo(event.mimeData()):
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
            return
        if event.mimeData().hasUrls() and local_files(event.mimeData().urls()):
            event.acceptProposedAction()
            return
        super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        photo_id = self._own_photo(event.mimeData())
        if photo_id:
            target = self._target(photo_id, event.position().x())
            # Copy, as QListWidget does after its own move: a Move result would make
            # QAbstractItemView.startDrag remove the dragged rows from the list.
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            # After the view's drag has finished: the edit re-fills this list.
            QTimer.singleShot(0, lambda: self.photo_dropped.emit(photo_id, target))
            return
        files = local_files(event.mimeData().urls()) if event.mimeData().hasUrls() else []
        if files:
            event.acceptProposedAction()
            self.files_dropped.emit(files)
            return
        super().dropEvent(event)


class PhotoStrip(QWidget):
    current_changed = Signal(str)
    add_requested = Signal()
    files_dropped = Signal(list)
    remove_requested = Signal(str)
    #: photo id, its new index in the carousel
    moved = Signal(str, int)

    def __init__(self, covers: CoverLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._covers = covers
        self._filling = False
        self.list = _StripList(self)
        self.list.setViewMode(QListView.ViewMode.ListMode)
        self.list.setFlow(QListView.Flow.LeftToRight)
        self.list.setWrapping(False)
        self.list.setIconSize(THUMB)
        self.list.setSpacing(4)
        self.list.setFixedHeight(THUMB.height() + 34)
        # InternalMove: Qt's own handling (kept for anything else dragged here) takes
        # nothing from other views; our thumbnails' drops are handled in _StripList.
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.setAcceptDrops(True)
        self.list.setAccessibleName(self.tr("Photos of the look"))
        self.add_button = self._button("list-add", self.tr("Add photos…"))
        self.remove_button = self._button("list-remove", self.tr("Remove the photo"))
        self.left_button = self._button("go-previous", self.tr("Move the photo left"))
        self.right_button = self._button("go-next", self.tr("Move the photo right"))
        buttons = QVBoxLayout()
        buttons.setSpacing(2)
        for b in (self.add_button, self.remove_button, self.left_button, self.right_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.add_requested)
        self.remove_button.clicked.connect(self._remove)
        self.left_button.clicked.connect(lambda: self._shift(-1))
        self.right_button.clicked.connect(lambda: self._shift(1))
        self.list.currentItemChanged.connect(self._current)
        self.list.files_dropped.connect(self.files_dropped)
        self.list.photo_dropped.connect(self.moved)
        covers.loaded.connect(self._cover_loaded)

    def _button(self, icon: str, text: str) -> QToolButton:
        button = QToolButton(self)
        button.setIcon(QIcon.fromTheme(icon))
        if button.icon().isNull():
            button.setText(
                {"list-add": "+", "list-remove": "−", "go-previous": "‹", "go-next": "›"}[icon]
            )
        button.setToolTip(text)
        button.setAccessibleName(text)
        button.setAutoRaise(True)
        return button

    def set_photos(self, photos: tuple[LookPhoto, ...], current: str | None) -> None:
        self._filling = True
        self.list.clear()
        for photo in photos:
            item = QListWidgetItem(self._icon(photo.media_hash), "")
            item.setData(PhotoIdRole, photo.id)
            item.setData(Qt.ItemDataRole.UserRole + 2, photo.media_hash)
            item.setToolTip(
                photo.alt_text or self.tr("{w} × {h} px").format(w=photo.width, h=photo.height)
            )
            item.setSizeHint(QSize(THUMB.width() + 8, THUMB.height() + 8))
            self.list.addItem(item)
            if photo.id == current:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self._filling = False
        has = self.list.count() > 0
        for b in (self.remove_button, self.left_button, self.right_button):
            b.setEnabled(has)

    def _icon(self, media_hash: str) -> QIcon:
        image = self._covers.image(media_hash)
        if image is None:
            pixmap = QPixmap(THUMB)
            pixmap.fill(QColor("#d0d7de"))
            return QIcon(pixmap)
        return QIcon(
            QPixmap.fromImage(image).scaled(
                THUMB,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    def _cover_loaded(self, media_hash: str) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(Qt.ItemDataRole.UserRole + 2) == media_hash:
                item.setIcon(self._icon(media_hash))

    def current_photo_id(self) -> str:
        item = self.list.currentItem()
        return str(item.data(PhotoIdRole)) if item is not None else ""

    def select(self, photo_id: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(PhotoIdRole) == photo_id:
                self.list.setCurrentRow(row)
                return

    def _current(self, current: QListWidgetItem | None, _prev: QListWidgetItem | None) -> None:
        if not self._filling and current is not None:
            self.current_changed.emit(str(current.data(PhotoIdRole)))

    def _remove(self) -> None:
        if self.current_photo_id():
            self.remove_requested.emit(self.current_photo_id())

    def _shift(self, delta: int) -> None:
        row = self.list.currentRow()
        target = row + delta
        if row >= 0 and 0 <= target < self.list.count():
            self.moved.emit(self.current_photo_id(), target)


def image_files(paths: list[Path]) -> list[Path]:
    return [p for p in paths if p.is_file()]
