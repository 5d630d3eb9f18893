"""The look library: every look as a card, with search, status and tag filters, and a trash.

Queries run in a worker (``LookStore.summaries``, newest first). Its writes go to the writer
lane (``PageWrites``): Delete (to the trash) and Restore take the cards away at once, then
write; New writes the look, then opens it; Duplicate writes the copies, then reads the list
again (the store makes them) and selects the copies, so Delete next trashes a copy, never the
original. Enter or a double-click opens a look in the editor.

The list is read again only when a write from elsewhere - the editor, an archive import, later
the sync - touched a look (``TaskManager.changed``); while the library is hidden behind the
editor it only notes that, and reads once when shown again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from studio.core.looks import Look, LookStatus, LookSummary, new_id
from studio.ui.looks.images import CoverLoader
from studio.ui.looks.library_model import CARD, LookCardDelegate, LookIdRole, LookListModel
from studio.ui.tasks import TaskManager
from studio.ui.widgets.colours import mute
from studio.ui.widgets.message_bar import MessageBar
from studio.ui.widgets.writes import PageWrites

if TYPE_CHECKING:
    from PySide6.QtGui import QShowEvent

    from studio.core.changes import Changes
    from studio.store.looks import LookStore

log = logging.getLogger(__name__)
DEBOUNCE_MS = 150


class LookLibrary(QWidget):
    open_requested = Signal(str)
    #: a query's result was shown (tests and the status bar)
    refreshed = Signal(int)

    def __init__(
        self, tasks: TaskManager, covers: CoverLoader, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self.store: LookStore | None = None
        self.writes = PageWrites(tasks, self, resync=self.refresh)
        self.notice = MessageBar(self)  # why a write failed
        self.stale = False  # a look changed while the library was hidden
        self._generation = 0  # of the last query: an older one's rows are dropped
        self._select_next: set[str] = set()  # looks to select once the next read shows them
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Search looks by title, caption or tag…"))
        self.search.setAccessibleName(self.tr("Search looks"))
        self.status = QComboBox(self)
        self.status.setAccessibleName(self.tr("Filter by status"))
        self.status.addItem(self.tr("Any status"), "")
        self.status.addItem(self.tr("Drafts"), LookStatus.DRAFT.value)
        self.status.addItem(self.tr("Ready"), LookStatus.READY.value)
        self.tag = QComboBox(self)
        self.tag.setAccessibleName(self.tr("Filter by tag"))
        self.tag.addItem(self.tr("Any tag"), "")
        self.trash_button = QPushButton(self.tr("Trash"), self)
        self.trash_button.setObjectName("looks_trash")
        self.trash_button.setCheckable(True)
        self.new_button = QPushButton(self.tr("New look"), self)
        self.new_button.setObjectName("looks_new")
        self.new_button.setDefault(True)
        self.restore_button = QPushButton(self.tr("Restore"), self)
        self.restore_button.setObjectName("looks_restore")
        self.restore_button.setVisible(False)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        for w in (self.status, self.tag, self.trash_button, self.restore_button, self.new_button):
            bar.addWidget(w)
        self.model = LookListModel(covers, self)
        self.view = QListView(self)
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setMovement(QListView.Movement.Static)
        self.view.setUniformItemSizes(True)
        self.view.setGridSize(QSize(CARD.width() + 8, CARD.height() + 8))
        self.view.setSelectionMode(QListView.SelectionMode.ExtendedSelection)
        self.view.setModel(self.model)
        self.view.setItemDelegate(LookCardDelegate(covers, self.view))
        self.view.setAccessibleName(self.tr("Looks"))
        self.view.setSpacing(4)
        self.empty = QLabel(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("font-size: 14px;")
        mute(self.empty)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.view)
        self.pages.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(bar)
        layout.addWidget(self.notice)
        layout.addWidget(self.pages, 1)

        self.new_action = self._action(self.tr("&New look"), "", self.new_look)
        self.duplicate_action = self._action(
            self.tr("&Duplicate look"), "Ctrl+D", self.duplicate_selected
        )
        self.delete_action = self._action(self.tr("Move to &trash"), "", self.trash_selected)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.restore_action = self._action(
            self.tr("&Restore look"), "Ctrl+R", self.restore_selected
        )
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.status.activated.connect(lambda _i: self.refresh())
        self.tag.activated.connect(lambda _i: self.refresh())
        self.trash_button.toggled.connect(self._trash_toggled)
        self.new_button.clicked.connect(self.new_look)
        self.restore_button.clicked.connect(self.restore_selected)
        self.view.activated.connect(lambda index: self._open(index.data(LookIdRole)))
        self.writes.refused.connect(lambda reason: self.notice.show_message(reason, "error"))
        # Changes arriving together are read once.
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(0)
        self._soon.timeout.connect(self.refresh)
        tasks.changed.connect(self._store_changed)

    def _action(self, text: str, keys: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        if keys:
            action.setShortcut(QKeySequence(self.tr(keys)))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    # -- queries ----------------------------------------------------------------------------

    def set_store(self, store: LookStore) -> None:
        self.store = store
        self.refresh()

    @property
    def trashed(self) -> bool:
        return self.trash_button.isChecked()

    def _store_changed(self, changes: Changes, origin: object) -> None:
        if self.writes.own(origin) or self.store is None or not changes.touches("look"):
            return  # our own edits are shown already; other kinds are not on these cards
        if self.isVisible():
            self._soon.start()
        else:
            self.stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.stale:
            self.refresh()

    def refresh(self) -> None:
        self._debounce.stop()
        self._soon.stop()
        self.stale = False
        store = self.store
        if store is None:
            return
        text = self.search.text().strip()
        status = LookStatus(self.status.currentData()) if self.status.currentData() else None
        tag = self.tag.currentData() or None
        trashed = self.trashed

        def query() -> tuple[list[LookSummary], list[str]]:
            return (
                store.summaries(text=text, status=status, tag=tag, trashed=trashed),
                store.all_tags(),
            )

        self._generation += 1
        generation = self._generation

        def show(payload: tuple[list[LookSummary], list[str]]) -> None:
            if generation == self._generation:  # else a newer query owns the list
                self._show(payload)

        if self.writes.pending:  # read what our own writes queued so far leave
            self.writes.after(query, show)
        else:
            self._tasks.run(
                query,
                show,
                lambda e: log.error("looks query failed: %s", e),
                channel="look-library",
            )

    def _show(self, payload: tuple[list[LookSummary], list[str]]) -> None:
        rows, tags = payload
        selected = self._select_next or set(self.selected_ids())
        self._select_next = set()
        self.model.set_summaries(rows)
        current_tag = self.tag.currentData()
        self.tag.blockSignals(True)
        self.tag.clear()
        self.tag.addItem(self.tr("Any tag"), "")
        for tag in tags:
            self.tag.addItem(tag, tag)
        self.tag.setCurrentIndex(max(0, self.tag.findData(current_tag)))
        self.tag.blockSignals(False)
        rows_selected = sorted(r for i in selected if (r := self.model.row_of(i)) is not None)
        for row in rows_selected:
            self.view.selectionModel().select(
                self.model.index(row), QItemSelectionModel.SelectionFlag.Select
            )
        if rows_selected:  # the current card (Delete's fallback) is a selected one
            self.view.selectionModel().setCurrentIndex(
                self.model.index(rows_selected[0]), QItemSelectionModel.SelectionFlag.NoUpdate
            )
        self._rows_changed()
        self.refreshed.emit(len(rows))

    def _rows_changed(self) -> None:
        rows = self.model.rowCount()
        if rows and not self.view.currentIndex().isValid():
            self.view.selectionModel().setCurrentIndex(
                self.model.index(0), QItemSelectionModel.SelectionFlag.NoUpdate
            )
        filtered = bool(
            self.search.text().strip() or self.status.currentData() or self.tag.currentData()
        )
        if self.trashed:
            self.empty.setText(self.tr("The trash is empty."))
        elif filtered:
            self.empty.setText(self.tr("No look matches."))
        else:
            self.empty.setText(
                self.tr(
                    "No looks yet. Press New look (Ctrl+N) to compose one "
                    "from a photo and products of the catalog."
                )
            )
        self.pages.setCurrentWidget(self.view if rows else self.empty)

    def _trash_toggled(self, on: bool) -> None:
        self.restore_button.setVisible(on)
        self.new_button.setEnabled(not on)
        self.refresh()

    # -- actions ----------------------------------------------------------------------------

    def selected_ids(self) -> list[str]:
        rows = sorted(i.row() for i in self.view.selectionModel().selectedIndexes())
        ids = [s.id for r in rows if (s := self.model.summary(r)) is not None]
        if not ids and self.view.currentIndex().isValid():
            summary = self.model.summary(self.view.currentIndex().row())
            ids = [summary.id] if summary is not None else []
        return ids

    def _open(self, look_id: str | None) -> None:
        if look_id and not self.trashed:
            self.open_requested.emit(look_id)

    def new_look(self) -> None:
        """Write a new look, then open it (the editor reads what was written)."""
        store = self.store
        if store is None:
            return
        title, look_id = self.tr("Untitled look"), new_id()
        if self.trashed:
            self.trash_button.setChecked(False)
        self.writes.write(lambda: store.create_look(title, look_id=look_id), self._created)

    def _created(self, look: Look) -> None:
        self.stale = True  # its card is read when the library is shown again
        self.open_requested.emit(look.id)

    def duplicate_selected(self) -> None:
        store, ids = self.store, self.selected_ids()
        if store is None or self.trashed or not ids:
            return
        self.writes.write(lambda: [store.duplicate_look(i) for i in ids], self._duplicated)

    def _duplicated(self, copies: list[Look]) -> None:
        self._select_next = {copy.id for copy in copies}
        self.refresh()

    def trash_selected(self) -> None:
        store, ids = self.store, self.selected_ids()
        if store is None or self.trashed or not ids:
            return
        self._take_away(ids)

        def trash() -> None:
            for look_id in ids:
                store.trash_look(look_id)

        self.writes.write(trash)

    def restore_selected(self) -> None:
        store, ids = self.store, self.selected_ids()
        if store is None or not self.trashed or not ids:
            return
        self._take_away(ids)

        def restore() -> None:
            for look_id in ids:
                store.restore_look(look_id)

        self.writes.write(restore)

    def _take_away(self, ids: list[str]) -> None:
        """Optimistic: the cards leave this view at once (the store cannot refuse it)."""
        self.model.remove_ids(set(ids))
        self._rows_changed()
