"""What the look editor's helpers may use of the editor: the ``LookEditorHost`` protocol.

The tagger (``tagging.py``) and the check fixer (``fixes.py``) act on the open look through
the editor - its session, undo stack, canvas, notice bar and stores - but they need not know
the editor class, which assembles them: typing them against this protocol keeps the arrows
pointing one way (editor -> helpers -> host), so the helpers can be read and tested alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoCommand, QUndoStack
    from PySide6.QtWidgets import QTabWidget

    from studio.core.catalog import ProductCard
    from studio.core.looks import LookDocument, LookPhoto
    from studio.media.library import MediaLibrary
    from studio.store.catalog import CatalogStore
    from studio.store.looks import LookStore
    from studio.ui.looks.canvas import LookCanvas
    from studio.ui.looks.inspector import Inspector
    from studio.ui.looks.session import LookSession
    from studio.ui.tasks import TaskManager
    from studio.ui.widgets.message_bar import MessageBar


class LookEditorHost(Protocol):
    """The editor as its helpers see it (``LookEditor`` implements it)."""

    tasks: TaskManager
    catalog: Callable[[], CatalogStore | None]
    looks: LookStore | None
    media: MediaLibrary | None
    session: LookSession | None
    cards: dict[int, ProductCard]
    undo_stack: QUndoStack
    notice: MessageBar
    canvas: LookCanvas
    inspector: Inspector
    tabs: QTabWidget

    @property
    def doc(self) -> LookDocument | None: ...

    @property
    def current_photo(self) -> LookPhoto | None: ...

    def show_photo(self, photo_id: str, *, force: bool = False) -> None: ...

    def push(self, command: QUndoCommand) -> None: ...

    def tr(self, text: str, /) -> str: ...
