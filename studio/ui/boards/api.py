"""The boards feature's public surface: ``BoardsPage`` (a ``Workspace``) for the main window.

The page is the board library (``board_list.py``) beside the board editor (``editor.py``). The
main window passes the shared task manager, the board store, the media library, a getter for
the catalog store (None until a catalog is open; product look-ups wait for it) and the product
image cache (where pictures the app ships, such as the demo's, are found). File > Export writes
the open board (``sheet_export``); the editor binds its own Undo/Redo keys, so the Edit menu
keeps only their text while the page is shown. Other workspaces put products on the open board
with ``add_products`` (the main window's ``add_to_board``: a catalog card's "Add to board");
with no board open, a new one is made for them. The list and the editor share one
``BoardWrites`` (every write on the writer lane): each refreshes itself from
``TaskManager.changed`` when another writer changed what it shows, never for the page's own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QHBoxLayout, QSplitter, QWidget

from studio.core.boards import BoardDocument
from studio.ui.boards.board_list import BoardList
from studio.ui.boards.editor import BoardEditor
from studio.ui.tasks import TaskManager
from studio.ui.widgets.sheet_export import LookExporter

if TYPE_CHECKING:
    from studio.media.library import MediaLibrary
    from studio.services.workspace import Stores
    from studio.store.boards import BoardStore
    from studio.store.catalog import CatalogStore
    from studio.ui.workspace import WorkspaceContext


def build_workspace(ctx: WorkspaceContext) -> BoardsPage:
    stores = ctx.stores
    assert stores is not None and stores.boards is not None and stores.media is not None
    return BoardsPage(
        ctx.tasks,
        stores.boards,
        stores.media,
        ctx.catalog,
        ctx.parent,
        image_cache=ctx.paths.image_cache,
    )


class BoardsPage(QWidget):
    """Collage boards: a library of boards and the editor of the chosen one."""

    name = "boards"

    def __init__(
        self,
        tasks: TaskManager,
        boards: BoardStore,
        media: MediaLibrary,
        catalog: Callable[[], CatalogStore | None],
        parent: QWidget | None = None,
        image_cache: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("boardsPage")
        self.title = self.tr("Boards")
        self.boards = boards
        self.editor = BoardEditor(tasks, boards, media, catalog, self, image_cache=image_cache)
        self.board_list = BoardList(self.editor.writes, boards, self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.board_list)
        self.splitter.addWidget(self.editor)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([240, 1000])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.addAction(self.board_list.new_action)
        # The window lends the page Ctrl+Z and Ctrl+Shift+Z (``owns_undo_keys``): they work
        # wherever the focus is on the page (the board list too), not only in the editor.
        self.addActions([self.editor.actions_by_name[n] for n in ("undo", "redo")])
        self.editor.board_wanted.connect(self.board_list.new_board)
        self.board_list.board_selected.connect(self._open)
        self.board_list.renamed.connect(self._renamed)
        self.board_list.created.connect(
            lambda board: self.editor.show_new(BoardDocument(board, ()))
        )
        self.editor.controller.items_changed.connect(self._edited)
        self.exporter = LookExporter(tasks, self, lambda: (boards, catalog(), media), kind="board")
        self.board_list.refresh()

    @property
    def new_action(self) -> QAction:
        """ "New board" (Ctrl+N within the page; File > New while the page is shown)."""
        return self.board_list.new_action

    @property
    def undo_stack(self) -> QUndoStack:
        """The editor's undo stack (one for the page; cleared when another board opens)."""
        return self.editor.undo

    def _open(self, board_id: str) -> None:
        if board_id != (self.editor.wanted or ""):
            self.editor.open_board(board_id or None)

    def _renamed(self, board_id: str, title: str) -> None:
        if board_id == self.editor.board_id:
            self.editor.title.setText(title)

    def _edited(self) -> None:
        # The item count in the list's tooltip; cheap, and the list keeps its selection.
        current = self.board_list.list.currentItem()
        if current is not None and self.editor.board_id:
            blocked = self.board_list.list.blockSignals(True)  # not a rename
            current.setToolTip(
                self.tr("{count} items").format(count=len(self.editor.controller.graphics))
            )
            self.board_list.list.blockSignals(blocked)

    def new_board(self) -> None:
        self.board_list.new_board()

    def add_products(self, product_ids: Sequence[int]) -> None:
        """Add the catalog's products ``product_ids`` (``products.id``) to the open board, side
        by side in the middle of the canvas as shown, as one undo step (Ctrl+Z takes them off
        again); with no board open (or the trash shown), on a new board."""
        self.editor.add_products([int(i) for i in product_ids])

    # -- Workspace --------------------------------------------------------------------------

    @property
    def owns_undo_keys(self) -> bool:
        # The editor binds Ctrl+Z itself; the same keys on the Edit menu would make them
        # ambiguous, and dead, within the page.
        return True

    def can_export(self) -> bool:
        return self.editor.board_id is not None

    def export(self, fmt: str) -> None:
        board_id = self.editor.board_id
        if board_id is not None:
            self.exporter.choose_and_export(board_id, self.editor.title.text(), fmt)

    def attach(self, stores: Stores) -> None:
        pass  # built with its stores

    def activate(self) -> None:
        pass

    def flush(self) -> None:
        # Every other edit is queued on the writer lane as it is made (the app drains the lane
        # before it quits); words being typed into a label are kept now.
        self.editor.finish_text_edit()

    def save_state(self, settings: QSettings) -> None:
        pass

    def restore_state(self, settings: QSettings) -> None:
        pass
