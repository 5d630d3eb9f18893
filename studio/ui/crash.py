"""The app-wide exception handler: an unexpected error is logged, shown, and the work kept.

Without it an exception raised in a slot or an event handler is printed to a terminal the
user never sees, and the action they took silently does nothing (or, before the event loop
runs, the app vanishes). ``CrashHandler.install`` takes over ``sys.excepthook`` (the GUI
thread: slots, event handlers, timers), ``threading.excepthook`` (plain Python threads) and
Qt's message handler (Qt's own warnings go to the log; critical and fatal ones at their
level). Background tasks that fail with nobody to tell come through
``TaskManager.unhandled``.

For each error it writes the traceback to ``studio.log`` with what was going on (the thread,
the shown workspace), flushes what the user typed and is still waiting for its autosave
(every edit is saved as it is made; this is the rest), and shows a dialog that says what
happened, that the work is saved, and where the log is, with the traceback under "Show
Details…". Errors from other threads reach the dialog through a queued signal. While one
dialog is open, further errors are logged and counted in it, never stacked as dialogs.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TypeVar

from PySide6.QtCore import (
    QMessageLogContext,
    QObject,
    QtMsgType,
    Signal,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QMessageBox, QWidget

from studio import APP_NAME

log = logging.getLogger("studio.ui.crash")
qt_log = logging.getLogger("studio.qt")

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}

T = TypeVar("T")
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


class CrashHandler(QObject):
    """Logs unexpected errors, flushes pending edits and tells the user (see the module doc)."""

    #: (summary, details) of an error, delivered on the GUI thread.
    reported = Signal(str, str)

    def __init__(self, log_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_path = log_path
        self._flush: Callable[[], None] = lambda: None
        self._context: Callable[[], str] = lambda: ""
        self._parent_widget: Callable[[], QWidget | None] = lambda: None
        self.dialog: QMessageBox | None = None
        self.errors = 0  # reported since the app started
        self._more = 0  # reported while the dialog was open
        self._handling = False
        self._previous: tuple[object, object] | None = None
        self._previous_qt: object = None
        # Queued when emitted from another thread: the dialog is always built on the GUI one.
        self.reported.connect(self._show)

    # -- installing -------------------------------------------------------------------------

    def follow(
        self,
        *,
        flush: Callable[[], None],
        context: Callable[[], str],
        parent_widget: Callable[[], QWidget | None],
    ) -> None:
        """What to flush after an error (the typed text waiting for its autosave), what to log
        as its context ("workspace shops") and the window the dialog opens over."""
        self._flush, self._context, self._parent_widget = flush, context, parent_widget

    def install(self) -> None:
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.excepthook
        threading.excepthook = self._thread_excepthook
        self._previous_qt = qInstallMessageHandler(self._qt_message)

    def uninstall(self) -> None:
        if self._previous is None:
            return
        sys.excepthook, threading.excepthook = self._previous  # type: ignore[assignment]
        qInstallMessageHandler(self._previous_qt)  # type: ignore[arg-type]
        self._previous = None

    # -- the hooks (any thread) -------------------------------------------------------------

    def excepthook(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):  # Ctrl+C in a terminal: quit as Python does
            sys.__excepthook__(kind, exc, tb)
            return
        self.report((kind, exc, tb))

    def _thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        thread = args.thread.name if args.thread is not None else "?"
        self.report((args.exc_type, args.exc_value, args.exc_traceback), thread=thread)

    def report(self, info: ExcInfo, *, thread: str | None = None) -> None:
        """Log ``info`` with its context and show it (from whatever thread raised it)."""
        kind, exc, tb = info
        self.errors += 1
        where = thread or threading.current_thread().name
        context = self._safe(self._context)
        log.critical(
            "unexpected error in thread %s%s",
            where,
            f" ({context})" if context else "",
            exc_info=info,
        )
        summary = "".join(traceback.format_exception_only(kind, exc)).strip()
        details = "".join(traceback.format_exception(kind, exc, tb))
        self.reported.emit(summary, details)

    def report_exception(self, exc: BaseException) -> None:
        """A background task failed and nobody was waiting to hear it (``TaskManager``)."""
        self.report((type(exc), exc, exc.__traceback__), thread="background task")

    def _qt_message(self, mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
        where = f" ({context.file}:{context.line})" if context.file else ""
        qt_log.log(_QT_LEVELS.get(mode, logging.WARNING), "%s%s", message, where)

    # -- telling the user (GUI thread) ------------------------------------------------------

    def _show(self, summary: str, details: str) -> None:
        if self._handling:  # the flush or the dialog failed too: it is logged, stop here
            return
        self._handling = True
        try:
            self._flush_work()
            if self.dialog is not None and self.dialog.isVisible():
                self._more += 1
                self.dialog.setInformativeText(self._informative(summary))
                return
            self._more = 0
            self.dialog = self._make_dialog(summary, details)
            self.dialog.show()
        finally:
            self._handling = False

    def _flush_work(self) -> None:
        try:
            self._flush()
        except Exception:
            log.exception("pending edits could not be written after the error")

    def _make_dialog(self, summary: str, details: str) -> QMessageBox:
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            APP_NAME,
            self.tr("Vitrine Studio ran into a problem it did not expect."),
            QMessageBox.StandardButton.Close,
            self._safe(self._parent_widget),
        )
        box.setObjectName("crashDialog")
        box.setInformativeText(self._informative(summary))
        box.setDetailedText(details)  # "Show Details…" expands the traceback
        if self.dialog is not None:
            self.dialog.deleteLater()  # the last one, closed
        return box

    def _informative(self, summary: str) -> str:
        text = self.tr(
            "{error}\n\nYour work is saved: every edit is written as you make it, and what you "
            "were typing has been saved now. You can keep working; if something looks wrong, "
            "restart Vitrine Studio.\n\nThe details are in {log}."
        ).format(error=summary, log=self.log_path)
        if self._more:
            more = self.tr("%n more errors happened since; they are in the log.", "", self._more)
            text += "\n\n" + more
        return text

    @staticmethod
    def _safe(fn: Callable[[], T]) -> T | None:  # the context must never fail the report
        try:
            return fn()
        except Exception:
            return None
