"""File > Export archive… / Import archive…: the portable archive from the desktop.

The work is ``studio.store.archive`` (the same as ``studio archive export|import``), behind a
window-modal progress dialog that can be cancelled: a cancelled export leaves no file, a
cancelled or refused import changes no record. The job reports progress into a small shared
object that a timer reads, so it never touches a widget.

An import is a content write: it is queued on the writer lane (``TaskManager.write``), after
the edits queued before it and before those made while it runs (they wait their turn, shown
already), and its ``Changes`` are published on ``TaskManager.changed``, from which every view
showing looks, boards, shops, reviews or the profile refreshes what it shows. A summary lists
what could not be re-linked to this catalog. An export is a read, run in the "long" lane once
the writes queued before it have committed, so it holds every edit the user saw made.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from studio.core.errors import DiskFullError
from studio.ui.tasks import TaskManager

if TYPE_CHECKING:
    from studio.media.library import MediaLibrary
    from studio.store.archive import ArchiveReport
    from studio.store.db import Database

log = logging.getLogger(__name__)
MAX_LISTED_UNLINKED = 20


class _Progress:
    """Written by the worker, read by the GUI timer (plain ints under a lock)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.done = self.total = 0
        self.cancelled = False

    def __call__(self, done: int, total: int) -> bool:
        with self.lock:
            self.done, self.total = done, total
            return not self.cancelled


class ArchiveController(QObject):
    """Exports and imports the archive; ``sources()`` gives (database, media library)."""

    finished = Signal(object)  # the ArchiveReport
    failed = Signal(str)

    def __init__(
        self,
        tasks: TaskManager,
        parent: QWidget,
        sources: Callable[[], tuple[Database | None, MediaLibrary | None]],
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._parent = parent
        self._sources = sources
        self._progress: _Progress | None = None
        self.dialog: QProgressDialog | None = None
        self.report_box: QMessageBox | None = None
        self.actions: tuple[QAction, ...] = ()  # its File menu entries (the main window's)
        self._timer = QTimer(self)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self._tick)

    @property
    def running(self) -> bool:
        return self._progress is not None

    # -- choosing the file ------------------------------------------------------------------

    def choose_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self._parent,
            self.tr("Export archive"),
            str(Path.home() / "vitrine-archive.zip"),
            self.tr("Vitrine archive (*.zip)"),
        )
        if path:
            self.export(Path(path))

    def choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self._parent,
            self.tr("Import archive"),
            str(Path.home()),
            self.tr("Vitrine archive (*.zip)"),
        )
        if path:
            self.import_(Path(path))

    # -- the work ---------------------------------------------------------------------------

    def export(self, out: Path) -> None:
        db, media = self._sources()
        if db is None or media is None or self.running:
            return
        from studio.store.archive import export_archive

        progress = self._start(self.tr("Exporting the archive…"))

        def job() -> ArchiveReport:
            try:
                return export_archive(db, out, media.path, progress)
            finally:
                media.sweep_stale()  # after every job: what killed jobs left in the library

        def run(_ready: object) -> None:
            self._tasks.run(
                job,
                lambda report: self._done(report, exported=True),
                self._failed,
                lane="long",
                owner=self,
            )

        # The edits queued before it are committed first (a no-op job on the lane), then the
        # export reads beside the lane: edits made while it runs do not wait for it.
        self._tasks.write(lambda: None, run, self._failed, owner=self, origin=self)

    def import_(self, src: Path) -> None:
        db, media = self._sources()
        if db is None or media is None or self.running:
            return
        from studio.store.archive import import_archive

        progress = self._start(self.tr("Importing the archive…"))
        self._tasks.write(
            lambda: import_archive(db, src, media, progress),
            lambda report: self._done(report, exported=False),
            self._failed,
            owner=self,
            origin=self,
        )

    def cancel(self) -> None:
        if self._progress is not None:
            with self._progress.lock:
                self._progress.cancelled = True
            if self.dialog is not None:
                self.dialog.setLabelText(self.tr("Cancelling…"))

    def _start(self, label: str) -> _Progress:
        self._progress = _Progress()
        dialog = QProgressDialog(label, self.tr("Cancel"), 0, 0, self._parent)
        dialog.setWindowTitle(self.tr("Archive"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel)
        self.dialog = dialog
        dialog.show()
        self._timer.start()
        return self._progress

    def _tick(self) -> None:
        progress, dialog = self._progress, self.dialog
        if progress is None or dialog is None:
            return
        with progress.lock:
            done, total = progress.done, progress.total
        if total:
            dialog.setMaximum(total)
            dialog.setValue(min(done, total))

    def _stop(self) -> None:
        self._timer.stop()
        self._progress = None
        if self.dialog is not None:
            self.dialog.close()
            self.dialog = None

    def _done(self, report: ArchiveReport, *, exported: bool) -> None:
        self._stop()
        self.finished.emit(report)
        self._show(
            self.tr("Archive exported") if exported else self.tr("Archive imported"),
            self._summary(report, exported),
        )

    def _failed(self, exc: BaseException) -> None:
        cancelled = self._progress is not None and self._progress.cancelled
        self._stop()
        log.warning("archive failed: %s", exc)
        self.failed.emit(str(exc))
        if cancelled:
            return  # the user asked for it: nothing was written, nothing to explain
        reason = getattr(exc, "reason", None) or str(exc)
        if isinstance(exc, DiskFullError):  # which folder and which disk, as the CLI says
            reason = self.tr("Cannot write to {where}: {reason}").format(
                where=exc.where, reason=exc.reason
            )
        self._show(
            self.tr("Archive not used"),
            self.tr("{reason}\n\nNothing was changed.").format(reason=reason),
            QMessageBox.Icon.Warning,
        )

    def _summary(self, report: ArchiveReport, exported: bool) -> str:
        counts = report.counts
        what = self.tr(
            "{looks} ({photos}, {tags}), {boards}, {shops} ({items}), {reviews}, {files}"
        ).format(
            looks=self.tr("%n looks", "", counts.get("looks", 0)),
            photos=self.tr("%n photos", "", counts.get("look_photos", 0)),
            tags=self.tr("%n tags", "", counts.get("hotspots", 0)),
            boards=self.tr("%n boards", "", counts.get("boards", 0)),
            shops=self.tr("%n shops", "", counts.get("shops", 0)),
            items=self.tr("%n products", "", counts.get("shop_items", 0)),
            reviews=self.tr("%n reviews", "", counts.get("reviews", 0)),
            files=self.tr("%n photo files", "", report.media_files),
        )
        if exported:
            return self.tr("Saved to {name}: {what}.").format(name=report.path.name, what=what)
        lines = [
            self.tr("Read from {name}: {what}.").format(name=report.path.name, what=what),
            self.tr(
                "{added}, {updated} replaced by a later edit, {kept} as they were here."
            ).format(
                added=self.tr("%n records added", "", report.added),
                updated=report.updated,
                kept=self.tr("%n kept", "", report.kept),
            ),
        ]
        if report.cleaned:
            lines.append(
                self.tr(
                    "%n photos were cleaned as they came in (private metadata or data "
                    "hidden after the picture removed), as a photo import cleans them.",
                    "",
                    len(report.cleaned),
                )
            )
        if report.unlinked:
            lines.append(
                self.tr(
                    "%n products are not in this catalog; their tags keep the "
                    "merchant and offer id:",
                    "",
                    len(report.unlinked),
                )
            )
            lines += [
                f"  {u.owner} / {u.label}: {u.merchant} {u.offer_id}"
                for u in report.unlinked[:MAX_LISTED_UNLINKED]
            ]
        return "\n".join(lines)

    def _show(
        self, title: str, text: str, icon: QMessageBox.Icon = QMessageBox.Icon.Information
    ) -> None:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Close, self._parent)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        self.report_box = box
        box.open()
