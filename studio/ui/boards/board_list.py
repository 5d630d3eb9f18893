"""The board library: a searchable list of boards, with create, rename, duplicate, trash.

Summaries are read in the background, behind the page's queued writes, the newest read only
(``BoardWrites.read``: a slow query typed three keystrokes ago never overwrites the newest
list). Writes go on the writer lane: a new board, a rename and a move to the trash are shown
at once (the store cannot refuse them; the new board opens in the editor straight away), a
duplicate and a restore once stored (the store makes the copy, or brings the board back). The
list is read again when another writer changed a board (an archive import, the sync), never
for the page's own edits, and never under a title being typed. The trash is a second view of
the same list: a trashed board is restored from there, never lost.
"""

from __future__ import annotations

import dataclasses
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from studio.core.boards import Board, BoardSummary
from studio.core.looks import new_id
from studio.ui.boards.writes import BoardWrites
from studio.ui.widgets.id_list import ID_ROLE, current_id, id_item, refill

if TYPE_CHECKING:
    from studio.core.changes import Changes
    from studio.store.boards import BoardStore


class _TitleDelegate(QStyledItemDelegate):
    """The list's delegate, knowing whether a title is being typed (``editing``)."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.editing = False
        self.closeEditor.connect(self._closed)

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        self.editing = True
        return super().createEditor(parent, option, index)

    def _closed(self, *_args: object) -> None:
        self.editing = False


class BoardList(QWidget):
    """``board_selected(id or "")`` when the current board changes."""

    board_selected = Signal(str)
    refreshed = Signal()
    renamed = Signal(str, str)  # board id, new title
    created = Signal(object)  # a new Board, being saved (selected next)

    def __init__(
        self, writes: BoardWrites, boards: BoardStore, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._writes = writes
        self._boards = boards
        self._want: str | None = None  # the id to select once the list arrives
        self._stale = False  # the list changed while a title was being typed: read it after
        self.summaries: list[BoardSummary] = []
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search boards"))
        self.search.setAccessibleName(self.tr("Search boards"))
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Boards"))
        self.list.setEditTriggers(
            QListWidget.EditTrigger.EditKeyPressed | QListWidget.EditTrigger.DoubleClicked
        )
        self.new_button = QPushButton(self.tr("New"), self)
        self.new_button.setObjectName("boards_new")
        self.rename_button = QPushButton(self.tr("Rename"), self)
        self.rename_button.setObjectName("boards_rename")
        self.duplicate_button = QPushButton(self.tr("Duplicate"), self)
        self.duplicate_button.setObjectName("boards_duplicate")
        self.delete_button = QPushButton(self.tr("Delete"), self)
        self.delete_button.setObjectName("boards_delete")
        self.delete_button.setToolTip(self.tr("Move the board to the trash"))
        self.restore_button = QPushButton(self.tr("Restore"), self)
        self.restore_button.setObjectName("boards_restore")
        self.trash_button = QPushButton(self.tr("Trash"), self)
        self.trash_button.setObjectName("boards_trash")
        self.trash_button.setCheckable(True)
        self.trash_button.setToolTip(self.tr("Show the boards in the trash"))
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self._debounce = QTimer(self, singleShot=True, interval=150)
        self._debounce.timeout.connect(self.refresh)
        self._build()

    def _build(self) -> None:
        row1 = QHBoxLayout()
        for b in (self.new_button, self.rename_button, self.duplicate_button):
            row1.addWidget(b)
        row2 = QHBoxLayout()
        for b in (self.delete_button, self.trash_button, self.restore_button):
            row2.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        heading = QLabel(self.tr("Boards"), self)
        heading.setStyleSheet("font-size: 15px; font-weight: 600;")
        layout.addWidget(heading)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addLayout(row1)
        layout.addLayout(row2)
        layout.addWidget(self.message)
        new = QAction(self.tr("New board"), self)
        new.setShortcut(QKeySequence.StandardKey.New)
        # The page adds it too: Ctrl+N works wherever the focus is within the boards page.
        new.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        new.triggered.connect(self.new_board)
        self.addAction(new)
        self.new_action = new
        # The button says its key, from the action itself (so the two never disagree).
        key = new.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        new.setToolTip(self.tr("New board ({key})").format(key=key))
        self.new_button.setToolTip(new.toolTip())
        self.new_button.clicked.connect(self.new_board)
        self.rename_button.clicked.connect(self.rename)
        self.duplicate_button.clicked.connect(self.duplicate)
        self.delete_button.clicked.connect(self.trash)
        self.restore_button.clicked.connect(self.restore)
        self.trash_button.toggled.connect(lambda _on: self.refresh())
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.list.currentItemChanged.connect(self._current_changed)
        self.list.itemChanged.connect(self._renamed)
        self._titles = _TitleDelegate(self.list)
        self.list.setItemDelegate(self._titles)
        self._titles.closeEditor.connect(lambda *_: self._resume())
        self._writes.tasks.changed.connect(self._heard)
        self._update_buttons()

    # -- reading ----------------------------------------------------------------------------

    @property
    def trashed(self) -> bool:
        return self.trash_button.isChecked()

    def current_id(self) -> str | None:
        return current_id(self.list)

    def refresh(self, select: str | None = None) -> None:
        self._want = select or self.current_id()
        self._writes.read(
            "board-list",
            partial(self._boards.summaries, text=self.search.text(), trashed=self.trashed),
            self._fill,
            self._failed,
        )

    def _heard(self, changes: Changes, origin: object) -> None:
        # The page's own edits show already (a rename, the item count); another writer's
        # change of any board may change the list.
        if not self._writes.own(origin) and changes.touches("board"):
            if self._titles.editing:
                self._stale = True  # not under the title being typed: once it is done
            else:
                self.refresh()

    def _resume(self) -> None:
        if self._stale:
            self._stale = False
            self.refresh()

    def _fill(self, summaries: list[BoardSummary]) -> None:
        if self._titles.editing:  # refilling would drop the title being typed: read it after
            self._stale = True
            return
        self.summaries = summaries
        items = []
        for s in summaries:
            item = id_item(s.title, s.id)
            item.setToolTip(self.tr("%n items", "", s.item_count))
            if not self.trashed:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            items.append(item)
        # With no choice, the first: the most recently edited, the board as it was left.
        if refill(self.list, items, self._want):
            self._current_changed()
        self._update_buttons()
        self.refreshed.emit()

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(self.tr("Boards could not be read: {reason}").format(reason=exc))

    def _current_changed(self, *_args: object) -> None:
        self._update_buttons()
        self.board_selected.emit("" if self.trashed else (self.current_id() or ""))

    def _update_buttons(self) -> None:
        has = self.current_id() is not None
        self.rename_button.setEnabled(has and not self.trashed)
        self.duplicate_button.setEnabled(has and not self.trashed)
        self.delete_button.setEnabled(has and not self.trashed)
        self.restore_button.setVisible(self.trashed)
        self.restore_button.setEnabled(has and self.trashed)
        self.new_button.setEnabled(not self.trashed)

    # -- writing: on the writer lane ------------------------------------------------------

    def _refused(self, reason: str) -> None:
        """A write failed: say why and show the list as stored."""
        self.message.setText(reason)
        self.refresh()

    def new_board(self) -> None:
        """A new board, shown (and opened) at once and saved behind."""
        board = Board(new_id(), self.tr("Untitled board"))
        boards, board_id, title = self._boards, board.id, board.title
        self._writes.write(
            lambda: boards.create_board(title, board_id=board_id), on_refused=self._refused
        )
        self.message.clear()
        self.created.emit(board)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.trash_button.blockSignals(True)
        self.trash_button.setChecked(False)
        self.trash_button.blockSignals(False)
        summary = BoardSummary(board.id, title, board.background, 0, "", None)
        self._want = board.id
        self._fill([summary, *(s for s in self.summaries if s.deleted_at is None)])
        self.refresh(select=board.id)  # the whole list, unfiltered, behind the new board

    def rename(self) -> None:
        item = self.list.currentItem()
        if item is not None and not self.trashed:
            self.list.editItem(item)

    def _renamed(self, item: QListWidgetItem) -> None:
        title = item.text().strip()
        board_id = str(item.data(ID_ROLE))
        known = next((b for b in self.summaries if b.id == board_id), None)
        if known is None or title == known.title:
            return  # another change of the row (its tooltip), not a rename
        blocked = self.list.blockSignals(True)
        try:
            if not title:  # no title is no rename: the old one back
                item.setText(known.title)
                return
            item.setText(title)
            # Now the most recently edited board: at the top, as the store will list it.
            row = self.list.row(item)
            if row > 0:
                self.list.insertItem(0, self.list.takeItem(row))
                self.list.setCurrentItem(item)
        finally:
            self.list.blockSignals(blocked)
        others = [s for s in self.summaries if s.id != board_id]
        self.summaries = [dataclasses.replace(known, title=title), *others]
        boards = self._boards
        self._writes.write(
            lambda: boards.update_board(board_id, title=title), on_refused=self._refused
        )
        self.message.clear()
        self.renamed.emit(board_id, title)

    def duplicate(self) -> None:
        board_id = self.current_id()
        if board_id is not None:
            boards = self._boards
            self._writes.write(
                lambda: boards.duplicate_board(board_id),
                lambda copy: self.refresh(select=copy.id),
                on_refused=self.message.setText,
            )

    def trash(self) -> None:
        """Move the current board to the trash: gone from the list at once, saved behind."""
        board_id = self.current_id()
        if board_id is None or self.trashed:
            return
        boards = self._boards
        self._writes.write(lambda: boards.trash_board(board_id), on_refused=self._refused)
        self.message.setText(self.tr("Moved to the trash; restore it from Trash."))
        row = self.list.currentRow()
        below = self.list.item(row + 1) or self.list.item(row - 1)
        self._want = str(below.data(ID_ROLE)) if below is not None else None
        self._fill([s for s in self.summaries if s.id != board_id])

    def restore(self) -> None:
        board_id = self.current_id()
        if board_id is None or not self.trashed:
            return
        boards = self._boards

        def restored(_none: None) -> None:
            self.message.clear()
            self.trash_button.blockSignals(True)
            self.trash_button.setChecked(False)
            self.trash_button.blockSignals(False)
            self.refresh(select=board_id)

        self._writes.write(
            lambda: boards.restore_board(board_id), restored, on_refused=self.message.setText
        )
