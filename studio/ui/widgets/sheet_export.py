"""File > Export as PNG/JPEG/HTML, for a look or a board: the sheet is built and rendered in
a worker.

``studio.store.sheets.look_sheet`` / ``board_sheet`` gather the record, its legend and the
image files; ``studio.media.export`` / ``export_html`` draw it. When it is written, a message
offers to open the result with the desktop's viewer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from studio.ui.tasks import TaskManager

if TYPE_CHECKING:
    from studio.media.library import MediaLibrary
    from studio.store.boards import BoardStore
    from studio.store.catalog import CatalogStore
    from studio.store.looks import LookStore

    #: (look or board store, catalog store, media library), each None until open
    Sources = tuple[LookStore | BoardStore | None, CatalogStore | None, MediaLibrary | None]

log = logging.getLogger(__name__)
FORMATS = {"png": ("PNG", "*.png"), "jpeg": ("JPEG", "*.jpg"), "html": ("HTML", "*.html")}


def export_sheet(
    store: LookStore | BoardStore,
    catalog: CatalogStore,
    media: MediaLibrary,
    record_id: str,
    out: Path,
    fmt: str,
) -> Path:
    """Worker: write the look or board ``record_id`` (a board when ``store`` is the board
    store) to ``out`` as ``fmt`` ("png", "jpeg" or "html")."""
    from studio.media.export_html import write_sheet
    from studio.store.boards import BoardStore
    from studio.store.sheets import board_sheet, look_sheet

    if isinstance(store, BoardStore):
        write_sheet(board_sheet(store, catalog, media.path, record_id), out, fmt)
    else:
        write_sheet(look_sheet(store, catalog, media.path, record_id), out, fmt)
    return out


class LookExporter(QObject):
    """Exports looks, or boards with ``kind="board"`` (``sources`` then gives the board store)."""

    finished = Signal(object)  # the written Path
    failed = Signal(str)

    def __init__(
        self,
        tasks: TaskManager,
        widget: QWidget,
        sources: Callable[[], Sources],
        kind: str = "look",
    ) -> None:
        super().__init__(widget)
        self._tasks = tasks
        self._widget = widget
        self._sources = sources  # (look or board store, catalog store, media library)
        self._board = kind == "board"
        self.ask_to_open = True

    def choose_and_export(self, record_id: str, title: str, fmt: str) -> None:
        name, pattern = FORMATS[fmt]
        tr = self._widget.tr
        fallback = "board" if self._board else "look"
        default = Path.home() / f"{title or fallback}{pattern[1:]}"
        caption = tr("Export board as {fmt}") if self._board else tr("Export look as {fmt}")
        path, _ = QFileDialog.getSaveFileName(
            self._widget, caption.format(fmt=name), str(default), f"{name} ({pattern})"
        )
        if path:
            self.export(record_id, Path(path), fmt)

    def export(self, record_id: str, out: Path, fmt: str) -> None:
        store, catalog, media = self._sources()
        if store is None or catalog is None or media is None:
            return
        self._tasks.run(
            lambda: export_sheet(store, catalog, media, record_id, out, fmt),
            self._done,
            self._failed,
            lane="long",
        )

    def _done(self, out: Path) -> None:
        self.finished.emit(out)
        if not self.ask_to_open:
            return
        tr = self._widget.tr
        title = tr("Board exported") if self._board else tr("Look exported")
        text = (
            tr("The board was saved as {name}.")
            if self._board
            else tr("The look was saved as {name}.")
        )
        box = QMessageBox(
            QMessageBox.Icon.Information,
            title,
            text.format(name=out.name),
            QMessageBox.StandardButton.Close,
            self._widget,
        )
        open_button = box.addButton(self._widget.tr("Open"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(open_button)
        box.buttonClicked.connect(lambda b: self.open_result(out) if b is open_button else None)
        box.open()

    @staticmethod
    def open_result(out: Path) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(out)))

    def _failed(self, exc: BaseException) -> None:
        log.error("export failed: %s", exc)
        self.failed.emit(str(exc))
        tr = self._widget.tr
        text = (
            tr("The board could not be exported: {error}")
            if self._board
            else tr("The look could not be exported: {error}")
        )
        QMessageBox.warning(self._widget, tr("Export failed"), text.format(error=exc))
