"""Spring-loaded workspace buttons: a drag of products held over a workspace's button shows it.

The window shows one workspace at a time, so the Catalog's grid and the Boards, Looks, Shops
or Reviews editors are never on screen together. So that a product can still go from the
catalog onto a board in one gesture, a drag carrying products (``widgets.mime``'s format)
that rests a moment over a workspace's button in the workspace bar shows that workspace, as a
browser's tab strip or a file manager's spring-loaded folders do: the drag goes on, and the
products are dropped where they belong (a board's canvas, a look's photo, a shop's shelf).
Letting go over the button itself only shows the workspace; nothing is added there.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QToolBar, QWidget

from studio.ui.widgets.mime import decode_product_ids

SPRING_MS = 450  # long enough that a drag passing over the bar does not switch


class SpringLoadedBar(QObject):
    """Makes the buttons of ``actions`` on ``bar`` spring-loaded for product drags."""

    def __init__(self, bar: QToolBar, actions: Iterable[QAction]) -> None:
        super().__init__(bar)
        self._actions: dict[QWidget, QAction] = {}
        self._armed: QAction | None = None
        self._timer = QTimer(self, singleShot=True, interval=SPRING_MS)
        self._timer.timeout.connect(self._spring)
        for action in actions:
            button = bar.widgetForAction(action)
            if button is not None:
                button.setAcceptDrops(True)
                button.installEventFilter(self)
                self._actions[button] = action

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        action = self._actions.get(watched) if isinstance(watched, QWidget) else None
        if action is None:
            return False
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            assert isinstance(event, QDragEnterEvent | QDragMoveEvent)
            if not decode_product_ids(event.mimeData()):
                event.ignore()
                return True
            event.acceptProposedAction()
            if kind == QEvent.Type.DragEnter:
                self._armed = action
                self._timer.start()
            return True
        if kind == QEvent.Type.DragLeave:
            self._disarm()
            return False
        if kind == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            self._disarm()
            event.ignore()  # nothing lands on a button: it only shows the workspace
            self._show(action)
            return True
        return False

    def _disarm(self) -> None:
        self._timer.stop()
        self._armed = None

    def _spring(self) -> None:
        action, self._armed = self._armed, None
        if action is not None:
            self._show(action)

    @staticmethod
    def _show(action: QAction) -> None:
        if action.isVisible() and action.isEnabled() and not action.isChecked():
            action.trigger()
