"""Photo import for the editor: files (dialog, drop, paste of URLs) and pasted images.

Each file runs ``MediaLibrary.import_file`` (with its preview and thumbnail) in a worker; several
files show a progress dialog. A refused file is named with its ``MediaError.reason`` in one
message at the end; the accepted ones are reported in the order given.

``photo_filter()`` is the name filter of every dialog that picks photos (looks, reviews, boards,
a shop's banner, the profile's picture), made from the one list ``studio.media.PHOTO_SUFFIXES``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QObject, Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from studio.media import PHOTO_SUFFIXES
from studio.ui.tasks import TaskManager

if TYPE_CHECKING:
    from studio.media.library import MediaLibrary, StoredMedia

log = logging.getLogger(__name__)


def photo_filter() -> str:
    """The file dialogs' name filter for photos: "Photos (*.jpg *.jpeg …)"."""
    patterns = " ".join(f"*{suffix}" for suffix in PHOTO_SUFFIXES)
    return QCoreApplication.translate("PhotoImporter", "Photos ({patterns})").format(
        patterns=patterns
    )


def _reason(exc: BaseException) -> str:
    return str(getattr(exc, "reason", "") or exc)


def _png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]
    buffer.close()
    return bytes(data.data())


class PhotoImporter(QObject):
    #: the StoredMedia records imported, in order (once per batch), and the batch's token
    imported = Signal(list, str)
    #: [(source name, reason)] of refused files (once per batch, may be empty)
    refused = Signal(list)

    def __init__(self, tasks: TaskManager, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self._tasks = tasks
        self._widget = parent_widget
        self.media: MediaLibrary | None = None
        self.running = 0
        self.show_errors = True
        self.last_errors: list[tuple[str, str]] = []

    def import_paths(self, paths: list[Path], token: str = "") -> None:
        """Import ``paths``; ``token`` comes back with the result (the look they are for)."""
        media = self.media
        if media is None or not paths:
            return
        # derivatives=True: the preview and thumbnail are cut from the decoded picture at once.
        jobs = [(p.name, partial(media.import_file, p, derivatives=True)) for p in paths]
        self._run(jobs, token)

    def import_image(self, image: QImage, token: str = "") -> None:
        media = self.media
        if media is None or image.isNull():
            return
        copy = image.copy()  # the clipboard may change while the worker runs
        self._run(
            [
                (
                    self.tr("pasted image"),
                    lambda: media.import_bytes(_png_bytes(copy), derivatives=True),
                )
            ],
            token,
        )

    def _run(self, jobs: Sequence[tuple[str, Callable[[], StoredMedia]]], token: str) -> None:
        results: list[StoredMedia | None] = [None] * len(jobs)
        errors: list[tuple[str, str]] = []
        remaining = [len(jobs)]
        progress: QProgressDialog | None = None
        if len(jobs) > 1:
            progress = QProgressDialog(self.tr("Importing photos…"), "", 0, len(jobs), self._widget)
            progress.setCancelButton(None)
            progress.setWindowModality(Qt.WindowModality.WindowModal)
            progress.setMinimumDuration(300)
        self.running += 1

        def finish_one() -> None:
            remaining[0] -= 1
            if progress is not None:
                progress.setValue(len(jobs) - remaining[0])
            if remaining[0]:
                return
            if progress is not None:
                progress.close()
            self.running -= 1
            self.last_errors = errors
            ok = [r for r in results if r is not None]
            if ok:
                self.imported.emit(ok, token)
            self.refused.emit(errors)
            if errors and self.show_errors:
                self._tell(errors)

        for i, (name, fn) in enumerate(jobs):

            def done(stored: StoredMedia, i: int = i) -> None:
                results[i] = stored
                finish_one()

            def failed(exc: BaseException, name: str = name) -> None:
                log.info("photo %s refused: %s", name, exc)
                errors.append((name, _reason(exc)))
                finish_one()

            self._tasks.run(fn, done, failed, lane="long")

    def _tell(self, errors: list[tuple[str, str]]) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Some photos were not added"),
            self.tr("%n files could not be added:", "", len(errors)),
            QMessageBox.StandardButton.Ok,
            self._widget,
        )
        box.setInformativeText("\n".join(f"• {name}: {reason}" for name, reason in errors))
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.open()
