"""File > Import feed…: choose a feed, confirm merchant and format, import with progress.

The import itself (``open_feed`` + ``CatalogStore.import_feed``) runs in the task manager's
"long" lane. The worker only writes plain numbers into an ``ImportProgress`` that a GUI timer
reads for the ``QProgressDialog``; Cancel sets a ``CancelToken``, the progress callback then
returns False, the store raises ``ImportCancelled`` and rolls back: nothing is written.
The same controller loads the demo catalog (several feeds in one run).

Dialogs are opened with ``open()`` rather than ``exec()`` so the event loop keeps running (and
so tests can drive them); the controller keeps a reference to whichever dialog is showing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.core.catalog import ImportReport
from studio.core.errors import DiskFullError, FeedError, ImportCancelled
from studio.ui.tasks import CancelToken, TaskManager
from studio.ui.widgets.labels import format_count

if TYPE_CHECKING:
    from studio.feeds import Feed
    from studio.store.catalog import CatalogStore

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ImportJob:
    path: Path
    merchant: str
    format: str = "auto"
    full: bool = True
    default_currency: str | None = None
    shop_url: str | None = None


class ImportProgress:
    """Written by the worker, read by the GUI timer (plain attribute writes are atomic)."""

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)
        self.job = 0
        self.items = 0
        self.fraction = 0.0
        self.merchant = ""


JobSource = Sequence[ImportJob] | Callable[[], Sequence[ImportJob]]


def run_imports(
    store: CatalogStore, jobs: JobSource, progress: ImportProgress, token: CancelToken
) -> list[ImportReport]:
    """Worker: import ``jobs`` one after the other; each is its own all-or-nothing transaction.

    ``jobs`` may be a callable that prepares them (file work, such as writing the demo feeds),
    so that work too stays off the GUI thread.
    """
    from studio.feeds import open_feed  # the parsers load in the worker, not at start-up

    if callable(jobs):
        jobs = jobs()
    progress.jobs = max(1, len(jobs))
    reports = []
    for n, job in enumerate(jobs):
        progress.job, progress.items, progress.merchant = n, 0, job.merchant
        # ``with``: a feed parsed in a child process stops it at once on cancel or error.
        with open_feed(
            job.path,
            job.merchant,
            job.format,
            default_currency=job.default_currency,
            shop_url=job.shop_url,
        ) as feed:

            def tick(items: int, feed: Feed = feed) -> bool:
                progress.items = items
                progress.fraction = feed.fraction_read()
                return not token.cancelled

            if token.cancelled:
                raise ImportCancelled("import cancelled")
            reports.append(
                store.import_feed(job.merchant, feed.format, feed, full=job.full, progress=tick)
            )
    return reports


class ImportOptionsDialog(QDialog):
    """Merchant name, format (auto or explicit) and full re-import, for one chosen file."""

    def __init__(
        self, path: Path, merchants: Sequence[str] = (), parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import feed"))
        self.path = path
        form = QFormLayout()
        file_label = QLabel(path.name, self)
        file_label.setToolTip(str(path))
        form.addRow(self.tr("File:"), file_label)
        self.merchant = QLineEdit(self)
        self.merchant.setPlaceholderText(self.tr("Merchant name"))
        guess = path.stem.split(".")[0].replace("_", " ").replace("-", " ").strip().title()
        self.merchant.setText(guess)
        if merchants:  # re-importing a known merchant: offer its exact name
            completer = QCompleter(list(merchants), self)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            self.merchant.setCompleter(completer)
        form.addRow(self.tr("&Merchant:"), self.merchant)
        from studio.feeds import FORMATS  # the parsers load when the dialog opens, not at start

        self.format = QComboBox(self)
        self.format.addItem(self.tr("Detect automatically"), "auto")
        for name in FORMATS:
            self.format.addItem(name, name)
        form.addRow(self.tr("&Format:"), self.format)
        self.full = QCheckBox(
            self.tr("Full re-import (products missing from the feed become unavailable)"), self
        )
        self.full.setChecked(True)
        form.addRow("", self.full)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Import"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.merchant.textChanged.connect(
            lambda text: self.ok_button.setEnabled(bool(text.strip()))
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def job(self) -> ImportJob:
        return ImportJob(
            self.path,
            self.merchant.text().strip(),
            str(self.format.currentData()),
            self.full.isChecked(),
        )


class ImportReportDialog(QDialog):
    """What an import did: counts per feed and every rejected row with where and why."""

    def __init__(self, reports: Sequence[ImportReport], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import finished"))
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        lines = []
        for r in reports:
            lines.append(
                self.tr(
                    "<b>{merchant}</b> ({format}): {added} added, {updated} updated, "
                    "{unchanged} unchanged, {unavailable} marked unavailable, {rejected} rejected"
                ).format(
                    merchant=r.merchant,
                    format=r.format,
                    added=format_count(r.added),
                    updated=format_count(r.updated),
                    unchanged=format_count(r.unchanged),
                    unavailable=format_count(r.marked_unavailable),
                    rejected=format_count(len(r.rejected)),
                )
            )
        self.summary = QLabel("<br>".join(lines), self)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        rejected = [(r.merchant, row) for r in reports for row in r.rejected]
        self.table = QTableWidget(len(rejected), 3, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Where"), self.tr("Offer"), self.tr("Reason")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName(self.tr("Rejected rows"))
        for i, (_merchant, row) in enumerate(rejected):
            for col, text in enumerate((row.where, row.offer_id or "", row.reason)):
                self.table.setItem(i, col, QTableWidgetItem(text))
        self.table.setVisible(bool(rejected))
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.accept)
        layout.addWidget(buttons)


class ImportController(QObject):
    """Runs imports with a progress dialog and reports; one import at a time."""

    #: Emitted after a successful import with its reports (the view refreshes on it).
    imported = Signal(list)
    #: Emitted when an import ends without writing (cancelled or failed).
    aborted = Signal(str)

    def __init__(
        self,
        tasks: TaskManager,
        store_getter: Callable[[], CatalogStore | None],
        parent_widget: QWidget,
        merchants: Callable[[], Sequence[str]] = lambda: (),
    ) -> None:
        super().__init__(parent_widget)
        self._merchants = merchants
        self._tasks = tasks
        self._store = store_getter
        self._parent = parent_widget
        self._timer = QTimer(self)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self._tick)
        self.progress_dialog: QProgressDialog | None = None
        self.options_dialog: ImportOptionsDialog | None = None
        self.report_dialog: ImportReportDialog | None = None
        self.error_box: QMessageBox | None = None
        self._progress: ImportProgress | None = None
        self._token: CancelToken | None = None
        self._always_report = True

    @property
    def running(self) -> bool:
        return self._token is not None

    def choose_and_import(self) -> None:
        """File dialog, then the options form, then the import."""
        if self.running or self._store() is None:
            return
        path, _filter = QFileDialog.getOpenFileName(
            self._parent,
            self.tr("Import feed"),
            "",
            self.tr(
                "Product feeds (*.xml *.rss *.atom *.txt *.tsv *.csv *.json *.gz);;All files (*)"
            ),
        )
        if not path:
            return
        dialog = ImportOptionsDialog(Path(path), self._merchants(), self._parent)
        dialog.accepted.connect(lambda: self.start([dialog.job()]))
        self.options_dialog = dialog
        dialog.open()

    def start(
        self, jobs: JobSource, title: str | None = None, *, always_report: bool = True
    ) -> None:
        """Import ``jobs`` in a worker behind a progress dialog.

        With ``always_report`` False (the demo catalog), the report dialog only opens when rows
        were rejected; otherwise the status bar's summary is enough.
        """
        store = self._store()
        if self.running or store is None or (not callable(jobs) and not jobs):
            return
        self._always_report = always_report
        self._progress = ImportProgress(1 if callable(jobs) else len(jobs))
        self._token = token = CancelToken()
        dialog = QProgressDialog(self._parent)
        dialog.setWindowTitle(title or self.tr("Importing feed"))
        dialog.setLabelText(self.tr("Preparing…"))
        dialog.setRange(0, 1000)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.canceled.connect(self.cancel)
        self.progress_dialog = dialog
        dialog.show()
        self._timer.start()
        progress = self._progress
        self._tasks.run(
            lambda: run_imports(store, jobs, progress, token),
            self._finished,
            self._failed,
            lane="long",
        )

    def cancel(self) -> None:
        if self._token is not None:
            self._token.cancel()
            if self.progress_dialog is not None:
                self.progress_dialog.setLabelText(self.tr("Cancelling…"))

    def _tick(self) -> None:
        p, dialog = self._progress, self.progress_dialog
        if p is None or dialog is None:
            return
        value = int(1000 * (p.job + min(1.0, p.fraction)) / p.jobs)
        dialog.setValue(min(999, value))
        if self._token is not None and not self._token.cancelled:
            dialog.setLabelText(
                self.tr("{merchant}: {count} products read").format(
                    merchant=p.merchant, count=format_count(p.items)
                )
            )

    def _end(self) -> None:
        self._timer.stop()
        self._token = None
        self._progress = None
        if self.progress_dialog is not None:
            self.progress_dialog.canceled.disconnect(self.cancel)
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None

    def _finished(self, reports: list[ImportReport]) -> None:
        self._end()
        if self._always_report or any(r.rejected for r in reports):
            self.report_dialog = ImportReportDialog(reports, self._parent)
            self.report_dialog.open()
        self.imported.emit(reports)

    def _failed(self, exc: BaseException) -> None:
        self._end()
        if isinstance(exc, ImportCancelled):
            self.aborted.emit(self.tr("Import cancelled: nothing was changed."))
            return
        if isinstance(exc, DiskFullError):
            # What `studio import-feed` prints, in the dialog's two lines: the folder, the limit.
            log.error("import failed: %s", exc)
            text = self.tr("There is no room left to store this feed, so nothing was changed.")
            detail = self.tr("Where: {where}\nWhy: {reason}").format(
                where=exc.where, reason=exc.reason
            )
        elif isinstance(exc, FeedError):
            text = self.tr("This feed cannot be imported, so nothing was changed.")
            detail = (
                self.tr("Where: {where}\nWhy: {reason}").format(where=exc.where, reason=exc.reason)
                if exc.where
                else self.tr("Why: {reason}").format(reason=exc.reason)
            )
        else:
            log.error("import failed", exc_info=exc)
            text = self.tr("The import failed, so nothing was changed.")
            detail = str(exc) or type(exc).__name__
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            self.tr("Import failed"),
            text,
            QMessageBox.StandardButton.Close,
            self._parent,
        )
        box.setInformativeText(detail)
        self.error_box = box
        box.open()
        self.aborted.emit(text)
