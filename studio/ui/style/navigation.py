"""The navigation rail: the five workspaces as places down the window's left edge.

Each place is the View menu's own workspace action (so the rail, the menu and the
Ctrl+Shift+1..5 shortcuts can never disagree) shown as an icon over its name, the current one
tinted in the accent colour (``sheet.stylesheet``). The rail is reachable from the keyboard:
its buttons take Tab focus, Up and Down move between places and show them, and each button
has an accessible name and a tooltip naming its shortcut. It adds no shortcut of its own.

It is a ``QToolBar`` so the window's saved state keeps it; it cannot be moved, floated or
hidden from the toolbar menu (a studio without its places would be lost).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QMainWindow, QToolBar, QToolButton, QWidget

from studio.ui.style.catalogue import PLACES, plain, tooltip
from studio.ui.style.icons import icon
from studio.ui.style.sheet import ICON, NAV_WIDTH, apply

OBJECT_NAME = "workspaceSidebar"
#: Arrow keys on a keypad carry this modifier: still a plain Up or Down.
KEYPAD = Qt.KeyboardModifier.KeypadModifier


class NavigationBar(QToolBar):
    """The workspaces' places; ``actions`` are the window's workspace actions, by name."""

    def __init__(self, actions: dict[str, QAction], parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Workspaces"))
        self.setObjectName(OBJECT_NAME)  # saveState() needs the name; the stylesheet too
        # Before its buttons are made: the bar lays them out at the sizes the sheet gives them.
        apply(self)
        self.setAccessibleName(self.tr("Workspaces"))
        self.setOrientation(Qt.Orientation.Vertical)
        self.setMovable(False)
        self.setFloatable(False)
        self.toggleViewAction().setVisible(False)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        self.setIconSize(QSize(ICON["navigation"], ICON["navigation"]))
        self.setFixedWidth(NAV_WIDTH)
        self.buttons: dict[str, QToolButton] = {}
        for name, action in actions.items():
            action.setIcon(icon(PLACES[name], accent=True))
            action.setIconVisibleInMenu(False)  # the View menu stays text, as menus are
            action.setToolTip(tooltip(action))
            self.addAction(action)
            button = self.widgetForAction(action)
            assert isinstance(button, QToolButton)
            button.setObjectName(f"place_{name}")
            button.setAccessibleName(plain(action.text()))
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.installEventFilter(self)
            self.buttons[name] = button

    @classmethod
    def install(cls, window: QMainWindow, actions: dict[str, QAction]) -> NavigationBar:
        """The rail along ``window``'s left edge."""
        bar = cls(actions, window)
        window.addToolBar(Qt.ToolBarArea.LeftToolBarArea, bar)
        return bar

    def _visible(self) -> list[QToolButton]:
        return [b for b in self.buttons.values() if b.isVisible() and b.isEnabled()]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up and Down on a place move to the previous or next place and show it (a plain
        button would only move the focus)."""
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}.get(Qt.Key(event.key()))
        buttons = self._visible()
        if step is None or watched not in buttons or event.modifiers() & ~KEYPAD:
            return False
        target = buttons[(buttons.index(watched) + step) % len(buttons)]  # type: ignore[arg-type]
        target.click()
        # After the click: a page that was shown may have taken the focus (its search box).
        target.setFocus(Qt.FocusReason.TabFocusReason)
        return True
