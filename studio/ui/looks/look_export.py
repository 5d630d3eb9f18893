"""File > Export look as PNG/JPEG/HTML: the sheet is built and rendered in a worker.

``studio.store.sheets.look_sheet`` gathers the look, its legend and the photos' files;
``studio.media.export`` / ``export_html`` draw it. When it is written, the status bar says so
and a message offers to open the result with the desktop's viewer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from studio.ui.tasks import TaskManager

log = logging.getLogger(__name__)
FORMATS = {"png": ("PNG", "*.png"), "jpeg": ("JPEG", "*.jpg"), "html": ("HTML", "*.html")}


def export_look(looks: Any, catalog: Any, media: Any, look_id: str, out: Path,
                fmt: str) -> Path:
    """Worker: write the look to ``out`` as ``fmt`` ("png", "jpeg" or "html")."""
    from studio.store.sheets import look_sheet

    sheet = look_sheet(looks, catalog, media.path, look_id)
    if fmt == "html":
        from studio.media.export_html import look_html

        look_html(sheet, out)
    else:
        from studio.media.export import render_look

        render_look(sheet, out, fmt)
    return out


class LookExporter(QObject):
    finished = Signal(object)  # the written Path
    failed = Signal(str)

    def __init__(self, tasks: TaskManager, widget: QWidget,
                 sources: Callable[[], tuple[Any, Any, Any]]) -> None:
        super().__init__(widget)
        self._tasks = tasks
        self._widget = widget
        self._sources = sources  # (look store, catalog store, media library)
        self.ask_to_open = True

    def choose_and_export(self, look_id: str, title: str, fmt: str) -> None:
        name, pattern = FORMATS[fmt]
        default = Path.home() / f"{title or 'look'}{pattern[1:]}"
        path, _ = QFileDialog.getSaveFileName(
            self._widget, self._widget.tr("Export look as {fmt}").format(fmt=name),
            str(default), f"{name} ({pattern})")
        if path:
            self.export(look_id, Path(path), fmt)

    def export(self, look_id: str, out: Path, fmt: str) -> None:
        looks, catalog, media = self._sources()
        if looks is None or catalog is None or media is None:
            return
        self._tasks.run(lambda: export_look(looks, catalog, media, look_id, out, fmt),
                        self._done, self._failed, lane="long")

    def _done(self, out: Path) -> None:
        self.finished.emit(out)
        if not self.ask_to_open:
            return
        box = QMessageBox(QMessageBox.Icon.Information, self._widget.tr("Look exported"),
                          self._widget.tr("The look was saved as {name}.").format(name=out.name),
                          QMessageBox.StandardButton.Close, self._widget)
        open_button = box.addButton(self._widget.tr("Open"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(open_button)
        box.buttonClicked.connect(lambda b: self.open_result(out) if b is open_button else None)
        box.open()

    @staticmethod
    def open_result(out: Path) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(out)))

    def _failed(self, exc: BaseException) -> None:
        log.error("look export failed: %s", exc)
        self.failed.emit(str(exc))
        QMessageBox.warning(self._widget, self._widget.tr("Export failed"),
                            self._widget.tr("The look could not be exported: {error}").format(
                                error=exc))
