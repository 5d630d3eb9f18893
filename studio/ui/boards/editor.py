"""The board editor: toolbar, canvas, catalog, shoppable-product list and the actions that edit.

Assembles the scene and view (``scene.py``, ``view.py``), the controller that shows each edit
and saves it on the writer lane (``controller.py``), the edits that make the undo steps
(``edits.py``), the actions (``actions.py``), the background placement of products and photos
(``placement.py``, ``landing.py``), in-place text editing (``text_edit.py``), the text size
box (``text_tools.py``), and beside the canvas the catalog to drag products from
(``catalog_panel.py``), the shoppable-product list (``products_panel.py``) and the checks.

The open board is read in the background, behind the page's queued writes, and read again
only when another writer changed it (``TaskManager.changed``: an archive import, a re-link
after a feed import, the sync): the editor's own edits are on the canvas already. Such a
re-read waits while a gesture or a label's typing is under way, so neither is lost, and keeps
the selection, the zoom and the undo history.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QPointF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QColorDialog,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from studio.core.boards import BoardDocument, BoardItemKind
from studio.core.sharing import number_board_items
from studio.ui.boards.actions import build_actions, context_menu, follow_undo
from studio.ui.boards.catalog_panel import BoardCatalog
from studio.ui.boards.checks import BoardChecks
from studio.ui.boards.controller import BoardController
from studio.ui.boards.edits import BoardEdits
from studio.ui.boards.items import text_size
from studio.ui.boards.loader import PixmapCache
from studio.ui.boards.placement import Placer
from studio.ui.boards.products_panel import ProductsPanel
from studio.ui.boards.scene import BoardScene
from studio.ui.boards.text_edit import InPlaceTextEditor
from studio.ui.boards.text_tools import TextTools
from studio.ui.boards.view import BoardView
from studio.ui.boards.writes import BoardWrites
from studio.ui.tasks import TaskManager
from studio.ui.widgets.colours import NOTICE, boxed

if TYPE_CHECKING:
    from studio.core.changes import Changes
    from studio.media.library import MediaLibrary
    from studio.store.boards import BoardStore
    from studio.store.catalog import CatalogStore

log = logging.getLogger(__name__)


class BoardEditor(QWidget):
    """Edits one board at a time (``open_board``); every edit is saved as it is made."""

    loaded = Signal(str)  # board id: the board is on the canvas
    busy_changed = Signal(int)  # placements in flight
    board_wanted = Signal()  # products came with no board open: the page makes a new one

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
        self._tasks = tasks
        self._boards = boards
        self._media = media
        self._catalog = catalog
        self._text_editor: InPlaceTextEditor | None = None
        self._stale = False  # another writer changed the board during a gesture: read it after
        self.wanted: str | None = None  # the board shown, or being read to be shown
        self.scene = BoardScene(self)
        self.view = BoardView(self.scene, self)
        self.undo = QUndoStack(self)
        self.pixmaps = PixmapCache(tasks, media, self)
        #: The page's writes (the board list shares them): a failed one re-reads the board.
        self.writes = BoardWrites(tasks, self, undo=self.undo, resync=self.reread)
        self.controller = BoardController(
            boards, self.writes, self.scene, self.undo, self.pixmaps, self
        )
        self.edits = BoardEdits(self.controller, self)
        self.products = ProductsPanel(tasks, catalog, self)
        self.catalog_panel = BoardCatalog(tasks, image_cache, catalog, self)
        self.checks = BoardChecks(self)  # the Catalog, Products and Checks tabs by the canvas
        self.placer = Placer(tasks, media, catalog, self.controller, self, image_cache=image_cache)
        self.title = QLabel(self)
        self.title.setObjectName("boardTitle")
        self.status = QLabel(self)
        self.status.setObjectName("boardMessage")
        self.status.setWordWrap(True)
        self.status.setVisible(False)
        boxed(self.status, tint=NOTICE)
        self._status_timer = QTimer(self, singleShot=True, interval=10_000)
        self._status_timer.timeout.connect(lambda: self.status.setVisible(False))
        self.actions_by_name: dict[str, QAction] = {}
        self.toolbar = QToolBar(self.tr("Board tools"), self)
        build_actions(self)
        # The size box, beside the colour button and before the board's background button.
        self.text_tools = TextTools(
            self.toolbar, self.actions_by_name["background"], self.scene, self.edits, self
        )
        self._layout()
        self._connect()
        self._update_enabled()

    # -- construction -----------------------------------------------------------------------

    def _layout(self) -> None:
        self.toolbar.setIconSize(QSize(20, 20))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        # The view group sits at the toolbar's right end, the zoom shown between - and +
        # (as in the look editor); the edit tools stay together on the left.
        spacer = QWidget(self.toolbar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.insertWidget(self.actions_by_name["zoom_out"], spacer)
        self.zoom_label = QLabel(self.toolbar)
        self.zoom_label.setObjectName("boardZoom")
        self.zoom_label.setMinimumWidth(48)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.toolbar.insertWidget(self.actions_by_name["zoom_in"], self.zoom_label)
        header = QHBoxLayout()
        header.setContentsMargins(8, 4, 8, 0)
        self.title.setStyleSheet("font-size: 15px; font-weight: 600;")
        header.addWidget(self.title, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.checks.tabs)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setSizes([760, 300])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(header)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.status)
        layout.addWidget(self.splitter, 1)

    def _connect(self) -> None:
        self.scene.edited.connect(self.edits.commit)
        self.scene.gesture_ended.connect(self._resume)
        self.scene.text_edit_requested.connect(self.edit_text)
        self.scene.context_menu_requested.connect(self._context_menu)
        self.scene.selectionChanged.connect(self._update_enabled)
        self.view.products_dropped.connect(self.drop_products)
        self.view.files_dropped.connect(self.add_photos)
        self.view.links_dropped.connect(
            lambda links, point: self.placer.place_links(links, point, self.view.visible_board())
        )
        self.view.nudged.connect(self.edits.nudge)
        self.view.gesture_started.connect(self.edits.end_run)
        self.view.zoom_changed.connect(lambda z: self.zoom_label.setText(f"{round(z * 100)} %"))
        self.controller.message.connect(self.show_message)
        self.writes.refused.connect(self.show_message)
        self._tasks.changed.connect(self._heard)
        self.placer.message.connect(self.show_message)
        self.placer.busy_changed.connect(self.busy_changed)
        self.controller.items_changed.connect(self._items_changed)
        self.controller.board_changed.connect(lambda b: self.title.setText(b.title))
        self.products.item_clicked.connect(self.select_item)
        self.catalog_panel.add_requested.connect(self.add_products)
        follow_undo(self)

    # -- the open board ---------------------------------------------------------------------

    @property
    def board_id(self) -> str | None:
        return self.controller.board.id if self.controller.board else None

    def open_board(self, board_id: str | None) -> None:
        """Show ``board_id`` (read in the background, after this page's queued writes);
        None closes the editor's board. The board open already is read again."""
        self.wanted = board_id
        if board_id is None:
            self.writes.supersede("board")
            self._shown(None)
            return
        self.writes.read(
            "board", partial(self._boards.document, board_id), self._arrived, self._open_failed
        )

    def reread(self) -> None:
        """Read the open board again (another writer changed it, or a write failed); held back
        while a gesture or a label's typing is under way, which it must not undo."""
        if self.wanted is None:
            return
        if self._text_editor is not None or self.scene.dragging:
            self._stale = True
            return
        self.open_board(self.wanted)  # the board being opened, if another is on its way

    def _resume(self) -> None:
        if self._stale and self._text_editor is None and not self.scene.dragging:
            self._stale = False
            self.reread()

    def _heard(self, changes: Changes, origin: object) -> None:
        # The page's own edits are on the canvas already (that is the point of showing them
        # first): only another writer's change of this board is read again.
        if self.writes.own(origin):
            return
        if any(changes.touches_root("board", b) for b in {self.board_id, self.wanted} if b):
            self.reread()

    def _arrived(self, doc: BoardDocument | None) -> None:
        if doc is None or doc.board.id != self.board_id:
            self._shown(doc)
        elif self._text_editor is not None or self.scene.dragging:
            self._stale = True  # read again once the user lets go
        else:
            self.controller.merge(doc)

    def show_new(self, doc: BoardDocument) -> None:
        """Show a board being created (it is saved behind)."""
        self.wanted = doc.board.id
        self.writes.supersede("board")
        self._shown(doc)

    def _shown(self, doc: BoardDocument | None) -> None:
        self._stale = False  # first: the typing kept next must not read the old board again
        self.finish_text_edit()
        self.wanted = doc.board.id if doc is not None else None
        self.controller.titles.clear()
        self.controller.load(doc)
        self.title.setText(doc.board.title if doc else self.tr("No board open"))
        self.view.fit()
        self._update_enabled()
        if doc is not None:
            self.loaded.emit(doc.board.id)

    def _open_failed(self, exc: BaseException) -> None:
        self.show_message(self.tr("The board could not be opened: {reason}").format(reason=exc))

    def _items_changed(self) -> None:
        board, items = self.controller.board, self.controller.items
        self.products.show_items(board, items)
        self.scene.set_numbers(
            number_board_items(BoardDocument(board, tuple(items))) if board is not None else {}
        )
        self._update_enabled()

    def _update_enabled(self) -> None:
        has_board = self.controller.board is not None
        selection = self.scene.selected_board_items() if has_board else []
        for name in ("delete", "front", "forward", "backward", "back", "flip_h", "flip_v"):
            self.actions_by_name[name].setEnabled(bool(selection))
        texts = any(g.item.kind is BoardItemKind.TEXT for g in selection)
        for name in ("text_colour", "bigger", "smaller"):
            self.actions_by_name[name].setEnabled(texts)
        for name in ("photo", "text", "background", "crop", "paste", "select_all"):
            self.actions_by_name[name].setEnabled(has_board)

    def show_message(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(True)
        self.status.setAccessibleDescription(text)
        self._status_timer.start()

    # -- selection and simple edits ---------------------------------------------------------

    def select_all(self) -> None:
        for g in self.controller.graphics.values():
            g.setSelected(True)

    def select_item(self, item_id: str) -> None:
        g = self.controller.graphics.get(item_id)
        if g is not None:
            self.scene.clearSelection()
            g.setSelected(True)
            self.view.ensureVisible(g)

    def crop_toggled(self) -> None:
        self.scene.crop_mode = self.actions_by_name["crop"].isChecked()
        self.scene.refresh_overlay()

    def choose_background(self) -> None:
        board = self.controller.board
        if board is None:
            return
        dialog = QColorDialog(QColor(board.background), self)
        dialog.setObjectName("boardBackgroundDialog")
        dialog.setWindowTitle(self.tr("Board background"))
        dialog.colorSelected.connect(lambda c: self.edits.set_background(c.name()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _context_menu(self, screen_pos: QPoint) -> None:
        context_menu(self, screen_pos)

    # -- text labels ------------------------------------------------------------------------

    def add_text(self, point: QPointF | None = None) -> None:
        board = self.controller.board
        if board is None:
            return
        where = point or QPointF(board.width / 2, board.height / 2)
        text, size = self.tr("Your text"), 48.0
        natural = text_size(text, size)
        item = self.controller.new_item(
            BoardItemKind.TEXT,
            where.x(),
            where.y(),
            natural.width(),
            natural.height(),
            text=text,
            font_size=size,
        )
        added = self.controller.add([item], self.tr("Add text"))
        if added:
            self.edit_text(added[0].id)

    def edit_text(self, item_id: str) -> None:
        self.finish_text_edit()
        g = self.controller.graphics.get(item_id)
        if g is None or g.item.kind is not BoardItemKind.TEXT:
            return
        editor = InPlaceTextEditor(g)
        editor.committed.connect(self.edits.set_text)
        editor.finished.connect(self._text_edit_finished)
        self._text_editor = editor
        self.scene.editor_item = editor
        self.scene.refresh_overlay()
        self.view.setFocus()
        editor.start()

    def _text_edit_finished(self) -> None:
        editor, self._text_editor = self._text_editor, None
        self.scene.editor_item = None
        if editor is not None:
            # Out of the scene later: this runs inside the editor's own key or focus handler.
            QTimer.singleShot(0, self, lambda: self._drop_editor(editor))
        self.scene.refresh_overlay()
        self._resume()

    def _drop_editor(self, editor: InPlaceTextEditor) -> None:
        if editor.scene() is not None:
            editor.scene().removeItem(editor)

    def finish_text_edit(self) -> None:
        """Keep the words typed in a label being edited (another board opens, the app
        closes)."""
        if self._text_editor is not None:
            self._text_editor.finish(commit=True)

    # -- placing products and photos: see placement.py -------------------------------------

    @property
    def busy(self) -> int:
        """Placements still in flight (look-ups, fetches, imports)."""
        return self.placer.busy

    def drop_products(self, ids: list[int], point: QPointF) -> None:
        """Products dropped at ``point``: side by side there, as one undo step (on a new
        board when none is open)."""
        if self.controller.board is None and ids:
            # The new board is fitted to the canvas: the point let go of, on it as now shown.
            where = self.view.mapFromScene(point)
            self.board_wanted.emit()
            point = self.view.mapToScene(where)
        self.placer.drop_products(ids, point, self.view.visible_board())

    def add_products(self, ids: list[int]) -> None:
        """Products to add from elsewhere (the catalog beside the canvas, another workspace):
        in the middle of the board as it is shown."""
        if self.controller.board is None and ids:
            self.board_wanted.emit()
        self.drop_products(ids, self.view.visible_board().center())

    def add_photos(self, paths: list[Path], point: QPointF | None = None) -> None:
        self.placer.add_photos(paths, point)

    def choose_photos(self) -> None:
        self.placer.choose_photos(self)

    def paste(self) -> None:
        self.placer.paste(self.view.visible_board().center(), self.view.visible_board())
