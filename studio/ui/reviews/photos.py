"""The review's photos: a strip of thumbnails with add, remove and reorder, and its imports.

A photo is moved by dragging its thumbnail to a new place in the strip, or with the ◀ ▶
buttons (the keyboard's way).

Files are imported through the media pipeline (``MediaLibrary.import_file`` with its
derivatives) by the looks' ``PhotoImporter``, in workers; while they run the strip shows a
busy bar and "Importing…". A file the pipeline refuses (broken, hostile, not an image) is
named with its reason in the strip's own error line and nothing is added for it. Thumbnails
are decoded in a worker as well. The strip only REQUESTS changes (signals); the page shows
them at once with ``set_photos`` and writes them to the store as undoable steps.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QIcon,
    QImage,
    QKeySequence,
    QPixmap,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.ui.tasks import TaskManager
from studio.ui.widgets.colours import error_text
from studio.ui.widgets.images import media_thumbnail
from studio.ui.widgets.photo_import import PhotoImporter, photo_filter

if TYPE_CHECKING:
    from studio.media.library import MediaLibrary, StoredMedia

ID_ROLE = Qt.ItemDataRole.UserRole + 1
THUMB = 88
PHOTO_MIME = "application/x-vitrine-review-photos"  # photo ids, one per line


class PhotoList(QListWidget):
    """The strip's thumbnails. Dragging some to another place asks for that order
    (``moved``); files dropped on it are left to the strip (it imports them)."""

    moved = Signal(list)  # every photo id, in the new order

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        # Static: Qt's own icon-mode moves would place icons freely, not reorder them. It also
        # turns drags off, so they are turned back on after it: the drops are handled here.
        self.setMovement(QListView.Movement.Static)
        self.setDragEnabled(True)
        self.viewport().setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)

    def ids(self) -> list[str]:
        return [str(self.item(i).data(ID_ROLE)) for i in range(self.count())]

    def mimeTypes(self) -> list[str]:
        return [PHOTO_MIME]

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:
        mime = QMimeData()
        mime.setData(PHOTO_MIME, "\n".join(str(i.data(ID_ROLE)) for i in items).encode())
        return mime

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(PHOTO_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()  # files: the strip takes them

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasFormat(PHOTO_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        if not mime.hasFormat(PHOTO_MIME):
            event.ignore()
            return
        ids = self.ids()
        moving = [i for i in bytes(mime.data(PHOTO_MIME).data()).decode().split("\n") if i in ids]
        row = self._insertion_row(event.position().toPoint())
        rest = [i for i in ids if i not in moving]
        at = row - sum(1 for i in ids[:row] if i in moving)
        order = rest[:at] + moving + rest[at:]
        # Copy, so Qt's drag code never removes the source rows: the page rewrites the strip.
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        if moving and order != ids:  # after the drag's own event handling has unwound
            QTimer.singleShot(0, lambda: self.moved.emit(order))

    def _insertion_row(self, pos: QPoint) -> int:
        """Where a drop at ``pos`` puts the photos: before or after the one under it."""
        index = self.indexAt(pos)
        if not index.isValid():
            return self.count()
        return index.row() + (1 if pos.x() > self.visualRect(index).center().x() else 0)


def _ignore(_exc: BaseException) -> None:
    """A thumbnail that cannot be made leaves the tile blank; the photo is still there."""


class PhotoStrip(QWidget):
    """``imported(stored media list, review id)``; ``remove_requested(photo id)``;
    ``reorder_requested(photo ids in the new order)``."""

    imported = Signal(list, str)
    remove_requested = Signal(str)
    reorder_requested = Signal(list)

    def __init__(
        self, tasks: TaskManager, media: MediaLibrary, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._media = media
        self._icons: dict[str, QIcon] = {}
        self.review_id = ""
        self.importer = PhotoImporter(tasks, self)
        self.importer.media = media
        self.importer.show_errors = False  # shown inline in the strip instead of a box
        self.importer.imported.connect(self._imported)
        self.importer.refused.connect(self._refused)
        self.list = PhotoList(self)
        self.list.moved.connect(self.reorder_requested)
        self.list.setAccessibleName(self.tr("Review photos"))
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setGridSize(QSize(THUMB + 12, THUMB + 12))
        self.list.setFixedHeight(THUMB + 34)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.add_button = QPushButton(self.tr("Add photos…"), self)
        self.add_button.clicked.connect(self.choose_files)
        self.remove_button = self._tool("✕", self.tr("Remove the photo"), self._remove)
        self.left_button = self._tool(
            "◀", self.tr("Move the photo earlier"), lambda: self._move(-1)
        )
        self.right_button = self._tool("▶", self.tr("Move the photo later"), lambda: self._move(1))
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)  # indeterminate: the pipeline reports no steps
        self.busy.setMaximumWidth(120)
        self.busy.setAccessibleName(self.tr("Importing photos"))
        self.busy.hide()
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        error_text(self.error)
        self.error.setAccessibleName(self.tr("Photo error"))
        self.error.hide()
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        for button in (self.left_button, self.right_button, self.remove_button):
            row.addWidget(button)
        row.addWidget(self.busy)
        row.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self.setAcceptDrops(True)
        # Delete removes the chosen photo only while the strip has the focus.
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.list)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self._remove)
        self.list.currentRowChanged.connect(lambda _r: self._enable())
        self._enable()

    def _tool(self, text: str, name: str, slot: Callable[[], object]) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setAccessibleName(name)
        button.setToolTip(name)
        button.clicked.connect(slot)
        return button

    # -- showing ----------------------------------------------------------------------------

    def set_photos(self, review_id: str, photos: list[tuple[str, str]]) -> None:
        """Show ``photos`` ((photo id, media hash) in order) of ``review_id``."""
        if review_id != self.review_id:
            self.error.hide()
        self.review_id = review_id
        current = self.photo_ids()[self.list.currentRow()] if self.list.currentRow() >= 0 else None
        self.list.clear()
        for n, (photo_id, media_hash) in enumerate(photos, start=1):
            item = QListWidgetItem(self._icons.get(media_hash, QIcon()), "")
            item.setData(ID_ROLE, photo_id)
            item.setData(ID_ROLE + 1, media_hash)
            item.setToolTip(self.tr("Photo {n}").format(n=n))
            item.setSizeHint(QSize(THUMB + 8, THUMB + 8))
            self.list.addItem(item)
            if photo_id == current:
                self.list.setCurrentItem(item)
            if media_hash not in self._icons:
                self._tasks.run(
                    partial(media_thumbnail, self._media, media_hash),
                    partial(self._thumb, media_hash),
                    _ignore,
                    lane="images",
                )
        self._enable()

    def photo_ids(self) -> list[str]:
        return self.list.ids()

    def photos(self) -> list[tuple[str, str]]:
        """(photo id, media hash) of the photos shown, in order."""
        return [
            (str(item.data(ID_ROLE)), str(item.data(ID_ROLE + 1)))
            for item in map(self.list.item, range(self.list.count()))
        ]

    def thumbnails_shown(self) -> int:
        return sum(not self.list.item(i).icon().isNull() for i in range(self.list.count()))

    def _thumb(self, media_hash: str, image: QImage) -> None:
        icon = QIcon(QPixmap.fromImage(image))
        self._icons[media_hash] = icon
        for i in range(self.list.count()):
            if self.list.item(i).data(ID_ROLE + 1) == media_hash:
                self.list.item(i).setIcon(icon)

    def _enable(self) -> None:
        row, count = self.list.currentRow(), self.list.count()
        self.add_button.setEnabled(bool(self.review_id))
        self.remove_button.setEnabled(row >= 0)
        self.left_button.setEnabled(row > 0)
        self.right_button.setEnabled(0 <= row < count - 1)
        if not self.importer.running:
            self.status.setText(
                self.tr("%n photos", "", count)
                if count
                else self.tr("No photos yet: add some, or drop image files here.")
            )

    # -- requests ---------------------------------------------------------------------------

    def choose_files(self) -> None:
        files, _f = QFileDialog.getOpenFileNames(
            self,
            self.tr("Add photos"),
            "",
            photo_filter(),
        )
        self.import_files([Path(f) for f in files])

    def import_files(self, paths: list[Path]) -> None:
        """Import ``paths`` for the open review (workers; ``imported`` when they are done)."""
        if not paths or not self.review_id:
            return
        self.error.hide()
        self.busy.show()
        self.status.setText(self.tr("Importing %n photos…", "", len(paths)))
        self.importer.import_paths(paths, self.review_id)

    @property
    def importing(self) -> bool:
        return bool(self.importer.running)

    def _imported(self, stored: list[StoredMedia], review_id: str) -> None:
        self.imported.emit(stored, review_id)

    def _refused(self, errors: list[tuple[str, str]]) -> None:
        self.busy.setVisible(bool(self.importer.running))
        self._enable()
        if errors:
            self.error.setText(
                self.tr("Not added: {files}").format(
                    files="; ".join(f"{name}: {reason}" for name, reason in errors)
                )
            )
            self.error.show()

    def _remove(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.remove_requested.emit(self.photo_ids()[row])

    def _move(self, step: int) -> None:
        row = self.list.currentRow()
        ids = self.photo_ids()
        if 0 <= row < len(ids) and 0 <= row + step < len(ids):
            ids[row], ids[row + step] = ids[row + step], ids[row]
            self.reorder_requested.emit(ids)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and self.review_id:
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # files over the thumbnails too
        if event.mimeData().hasUrls() and self.review_id:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_files(paths)
