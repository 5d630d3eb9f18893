"""File > Import feed…: choose a feed, confirm merchant and format, import with progress.

The import is a catalog write (``studio.services.feeds.import_feeds``, each feed one
all-or-nothing transaction) queued on the writer lane's catalog queue through
``TaskManager.write``, so it never runs on the GUI thread and never holds the lock a curator's
edit needs; once it has committed, the content job ``relink_products`` follows on the content
queue, pointing tags, shelved products and reviews at the products as they now are. Both
publish their ``Changes`` on ``TaskManager.changed``: the catalog browser and every product
picker refresh from them, nobody is called by hand.

The job writes plain numbers into a ``FeedProgress`` that a GUI timer reads for the
``QProgressDialog``; Cancel sets a ``CancelToken``, the job's progress callback then returns
False, the store raises ``ImportCancelled`` and rolls back: nothing of that feed is written.
The same controller loads the demo catalog (several feeds in one job).

Dialogs are opened with ``open()`` rather than ``exec()`` so the event loop keeps running (and
so tests can drive them); the controller keeps a reference to whichever dialog is showing.

The merchant's name is the feed's own when it states one (a Google Merchant XML channel's
title, read in a worker while the form is open: ``studio.feeds.feed_name``); only a feed that
names no store gets a guess from the file name. A name the curator typed is never replaced.
The report is as tall as what it says: the table of rejected rows, and the room for it, only
when rows were rejected.
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
    from studio.services.feeds import FeedJob, FeedProgress, JobSource
    from studio.services.workspace import Stores

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the catalog job hands back: the feeds' reports, or the error that stopped it and
    whether a feed before it was imported (each feed commits on its own)."""

    reports: list[ImportReport]
    error: Exception | None = None
    imported_some: bool = False


def import_job(
    stores: Stores, jobs: JobSource, progress: FeedProgress, token: CancelToken
) -> Outcome:
    """The catalog write job (on the writer lane): ``import_feeds``, its failure returned
    rather than raised, so the ``Changes`` of the feeds committed before a cancel or a bad
    feed are still published (their products are in the catalog)."""
    from studio.services.feeds import import_feeds

    try:
        return Outcome(import_feeds(stores, jobs, progress, lambda: token.cancelled))
    except Exception as exc:
        return Outcome([], exc, imported_some=progress.job > 0)


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
        self._guess = path.stem.split(".")[0].replace("_", " ").replace("-", " ").strip().title()
        self.merchant.setText(self._guess)  # until the feed's own name is read
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

    def offer_name(self, name: str | None) -> None:
        """The feed's own name, read in a worker: it replaces the file-name guess, never a
        name the curator typed meanwhile."""
        if name and self.merchant.text() == self._guess:
            self.merchant.setText(name)
            self.merchant.selectAll()

    def job(self) -> FeedJob:
        from studio.services.feeds import FeedJob

        return FeedJob(
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
        self.buttons = buttons
        if rejected:
            self.resize(640, 420)  # room for the table of rejected rows
        else:  # the counts and Close, nothing below them: as tall as the text needs
            layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetFixedSize)
            self.summary.setFixedWidth(520)


class ImportController(QObject):
    """Runs imports with a progress dialog and reports; one import at a time."""

    #: Emitted after a successful import with its reports (the status bar says so).
    imported = Signal(list)
    #: Emitted when an import ends without writing (cancelled or failed).
    aborted = Signal(str)

    def __init__(
        self,
        tasks: TaskManager,
        stores: Callable[[], Stores | None],
        parent_widget: QWidget,
        merchants: Callable[[], Sequence[str]] = lambda: (),
    ) -> None:
        super().__init__(parent_widget)
        self._merchants = merchants
        self._tasks = tasks
        self._stores = stores
        self._parent = parent_widget
        self._timer = QTimer(self)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self._tick)
        self.progress_dialog: QProgressDialog | None = None
        self.options_dialog: ImportOptionsDialog | None = None
        self.report_dialog: ImportReportDialog | None = None
        self.error_box: QMessageBox | None = None
        self._progress: FeedProgress | None = None
        self._token: CancelToken | None = None
        self._always_report = True

    @property
    def running(self) -> bool:
        return self._token is not None

    def choose_and_import(self) -> None:
        """File dialog, then the options form, then the import."""
        if self.running or self._stores() is None:
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
        from studio.feeds import feed_name

        chosen = Path(path)
        self._tasks.run(lambda: feed_name(chosen), dialog.offer_name, owner=dialog)

    def start(
        self, jobs: JobSource, title: str | None = None, *, always_report: bool = True
    ) -> None:
        """Queue the import of ``jobs`` on the writer lane, behind a progress dialog.

        With ``always_report`` False (the demo catalog), the report dialog only opens when rows
        were rejected; otherwise the status bar's summary is enough.
        """
        from studio.services.feeds import FeedProgress

        stores = self._stores()
        if self.running or stores is None or (not callable(jobs) and not jobs):
            return
        self._always_report = always_report
        self._progress = progress = FeedProgress()
        progress.jobs = 1 if callable(jobs) else len(jobs)
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
        self._tasks.write(
            lambda: import_job(stores, jobs, progress, token),
            lambda outcome: self._ended(stores, outcome),
            self._failed,
            catalog=True,
            owner=self,
            origin=self,
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
        value = int(1000 * (p.job + min(1.0, p.fraction)) / max(1, p.jobs))
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

    def _ended(self, stores: Stores, outcome: Outcome) -> None:
        if outcome.error is None or outcome.imported_some:
            self._relink(stores)
        if outcome.error is not None:
            self._failed(outcome.error, kept=outcome.imported_some)
        else:
            self._finished(outcome.reports)

    def _relink(self, stores: Stores) -> None:
        """The content job that follows every import: references re-pointed at the catalog
        (a write of its own; its Changes tell the views that show them)."""
        from studio.services.feeds import relink_products

        self._tasks.write(
            lambda: relink_products(stores),
            on_error=lambda exc: log.error("re-linking products after an import failed: %s", exc),
            owner=self,
            origin=self,
        )

    def _finished(self, reports: list[ImportReport]) -> None:
        self._end()
        if self._always_report or any(r.rejected for r in reports):
            self.report_dialog = ImportReportDialog(reports, self._parent)
            self.report_dialog.open()
        self.imported.emit(reports)

    def _failed(self, exc: BaseException, *, kept: bool = False) -> None:
        """Say why the import stopped; ``kept``: feeds before the failing one were imported
        (each feed is its own transaction), which is said too."""
        self._end()
        if isinstance(exc, ImportCancelled):
            self.aborted.emit(
                self.tr("Import cancelled: the feeds imported before it are kept.")
                if kept
                else self.tr("Import cancelled: nothing was changed.")
            )
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
        if kept:
            detail += "\n" + self.tr("The feeds imported before this one are kept.")
        box.setInformativeText(detail)
        self.error_box = box
        box.open()
        self.aborted.emit(text)
