"""Every shortcut the menus show runs exactly one action, in every workspace (issue 12, item 2).

The walk makes each workspace current as a user does (its View key, pressed where the focus is),
then presses every key sequence of every action in the window's menus at the focused widget,
with ``QTest`` key events, so the keys go through Qt's shortcut map as typed keys do. It
watches which object Qt delivers the shortcut to (an application event filter on
``QEvent.Shortcut``), every ``QAction.triggered`` and ``QShortcut.activated`` /
``activatedAmbiguously``, and Qt's own "Ambiguous shortcut overload" warning. Destructive keys
are made safe: the window's close (Quit) is refused by an event filter that notes it, file
dialogs answer "cancel".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QShortcut, QUndoCommand
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QWidget
from pytestqt.qtbot import QtBot

from studio.system.paths import Paths
from studio.ui.main_window import MainWindow
from studio.ui.tasks import TaskManager
from studio.ui.widgets import keys
from studio.ui.workspaces import NAMES

pytestmark = pytest.mark.gui
NATIVE = QKeySequence.SequenceFormat.PortableText
WIDGET_ONLY = Qt.ShortcutContext.WidgetWithChildrenShortcut


class Watch(QObject):
    """Notes every shortcut Qt delivers (receiver, ambiguous) and refuses the window's close."""

    def __init__(self, window: QWidget) -> None:
        super().__init__()
        self.window = window
        self.shortcuts: list[tuple[QObject, bool]] = []
        self.closes = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Shortcut:
            self.shortcuts.append((watched, event.isAmbiguous()))  # type: ignore[attr-defined]
        if event.type() == QEvent.Type.Close and watched is self.window:
            self.closes += 1
            event.ignore()
            return True
        return False


class Noop(QUndoCommand):
    """An edit that changes nothing: Undo and Redo are enabled while it is on the stack."""

    def redo(self) -> None:
        pass

    def undo(self) -> None:
        pass


def menu_actions(menu: QMenu) -> Iterator[QAction]:
    for action in menu.actions():
        sub = action.menu()
        if isinstance(sub, QMenu):
            yield from menu_actions(sub)
        elif not action.isSeparator():
            yield action


def _overridden(widget: QWidget, sequence: QKeySequence) -> bool:
    """Whether the focused widget takes the key as its own (a text box's Ctrl+Z)."""
    combo = sequence[0]
    event = QKeyEvent(QEvent.Type.ShortcutOverride, combo.key(), combo.keyboardModifiers())
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


def _press(qtbot: QtBot, window: MainWindow, sequence: QKeySequence) -> QWidget:
    focus = QApplication.focusWidget() or window
    combo = sequence[0]
    qtbot.keyClick(focus, combo.key(), combo.keyboardModifiers())
    return focus


@pytest.fixture
def walked(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any, monkeypatch: pytest.MonkeyPatch
) -> MainWindow:
    for name in ("getOpenFileName", "getSaveFileName"):
        monkeypatch.setattr(QFileDialog, name, staticmethod(lambda *a, **k: ("", "")))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([], "")))
    window = MainWindow(tasks, paths)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.set_store(store)  # every store of the workspace, over the test catalog
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_the_menus_promise_redo_and_quit_keys_each_once(walked: MainWindow) -> None:
    window = walked
    names = {s.toString(NATIVE) for s in window.redo_action.shortcuts()}
    assert {"Ctrl+Shift+Z", "Ctrl+Y"} <= names
    assert "Ctrl+Q" in {s.toString(NATIVE) for s in window.quit_action.shortcuts()}
    for name in NAMES:
        window.show_workspace(name)
        for action in window.findChildren(QAction):
            # The same key twice on one action is ambiguous (and dead) on some platforms.
            assert not keys.duplicated(action.shortcuts()), (name, action.text())


def test_every_menu_shortcut_runs_exactly_one_action_in_every_workspace(
    qtbot: QtBot, walked: MainWindow, qtlog: Any
) -> None:
    window = walked
    watch = Watch(window)
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(watch)
    triggered: list[QObject] = []
    spied: set[int] = set()

    def spy() -> None:
        for action in window.findChildren(QAction):
            if id(action) not in spied:
                spied.add(id(action))
                action.triggered.connect(lambda _c=False, a=action: triggered.append(a))
        for shortcut in window.findChildren(QShortcut):
            if id(shortcut) not in spied:
                spied.add(id(shortcut))
                shortcut.activated.connect(lambda s=shortcut: triggered.append(s))
                shortcut.activatedAmbiguously.connect(lambda s=shortcut: triggered.append(s))

    problems: list[str] = []
    fired = 0
    try:
        for name in NAMES:
            view_key = window.workspace_actions[name].shortcuts()[0]
            _press(qtbot, window, view_key)  # as a user makes it current
            assert window.workspace == name
            for top in window.menuBar().actions():
                assert isinstance(top.menu(), QMenu)
                for action in menu_actions(top.menu()):  # type: ignore[arg-type]
                    for sequence in action.shortcuts():
                        if sequence.isEmpty():  # a standard key this platform leaves unbound
                            problems.append(f"{name}: {action.text()!r} has an empty key")
                            continue
                        stack = window.undo_group.activeStack()
                        if stack is not None:  # something to undo and to redo
                            stack.push(Noop())
                            stack.push(Noop())
                            stack.undo()
                        spy()
                        watch.shortcuts.clear()
                        triggered.clear()
                        before = len(qtlog.records)
                        enabled = action.isEnabled()
                        focus = QApplication.focusWidget() or window
                        own = _overridden(focus, sequence)
                        _press(qtbot, window, sequence)
                        fired += 1
                        what = f"{name}: {action.text()!r} {sequence.toString(NATIVE)}"
                        warned = [
                            r.message for r in qtlog.records[before:] if "mbiguous" in r.message
                        ]
                        ambiguous = [w for w, amb in watch.shortcuts if amb]
                        if warned or ambiguous:
                            problems.append(f"{what}: ambiguous {warned}")
                        elif enabled and not own:
                            got = [w for w, _a in watch.shortcuts]
                            # File > New on a page with a New of its own shows the page's key
                            # but answers it only from the open menu: the page's action runs.
                            menu_only = action.shortcutContext() == WIDGET_ONLY
                            runner = got[0] if len(got) == 1 else None
                            if menu_only:
                                ok = (
                                    isinstance(runner, QAction)
                                    and runner is not action
                                    and sequence in runner.shortcuts()
                                    and triggered[:1] == [runner]
                                )
                            else:
                                ok = runner is action and triggered[:1] == [action]
                            if not ok:
                                problems.append(f"{what}: ran {got} / {triggered[:3]}")
                        elif action in triggered:
                            problems.append(f"{what}: ran though disabled or the field's")
                        for top_level in QApplication.topLevelWidgets():
                            if top_level is not window and top_level.isVisible():
                                top_level.close()  # a Help window, a message
                        if window.workspace != name:  # View > another, File > New look
                            _press(qtbot, window, view_key)
                            assert window.workspace == name
    finally:
        app.removeEventFilter(watch)
    assert not problems, "\n".join(problems)
    assert fired >= 5 * 10  # every workspace walked every menu
    assert watch.closes == len(NAMES) * len(window.quit_action.shortcuts())  # Quit ran


def test_a_page_s_own_keys_work_when_the_focus_was_nowhere(
    qtbot: QtBot, walked: MainWindow
) -> None:
    """The board editor binds Ctrl+Z itself (the window lends it the key): a focus left on
    nothing, say after a dialog, or in the list of boards, must not leave Undo dead."""
    window = walked
    focus = QApplication.focusWidget()
    if focus is not None:
        focus.clearFocus()
    assert QApplication.focusWidget() is None
    _press(qtbot, window, window.workspace_actions["boards"].shortcuts()[0])
    assert window.workspace == "boards"
    boards = window.boards
    assert boards is not None
    assert boards.isAncestorOf(QApplication.focusWidget())
    boards.undo_stack.push(Noop())
    _press(qtbot, window, QKeySequence("Ctrl+Z"))
    assert boards.undo_stack.index() == 0  # undone
    # And with the focus in the list of boards, beside the editor.
    qtbot.mouseClick(boards.board_list.list.viewport(), Qt.MouseButton.LeftButton)
    assert QApplication.focusWidget() is boards.board_list.list
    boards.undo_stack.push(Noop())
    _press(qtbot, window, QKeySequence("Ctrl+Shift+Z"))
    assert boards.undo_stack.index() == 1  # redone
    _press(qtbot, window, QKeySequence("Ctrl+Z"))
    assert boards.undo_stack.index() == 0  # undone
    new = boards.new_action
    with qtbot.waitSignal(new.triggered, timeout=2000):
        _press(qtbot, window, QKeySequence("Ctrl+N"))


def test_help_lists_the_keys_from_the_live_actions_and_searches_them(
    qtbot: QtBot, walked: MainWindow
) -> None:
    window = walked
    window.show_workspace("boards")  # its editor's keys join the list once it is built
    _press(qtbot, window, window.shortcuts_action.shortcuts()[0])
    dialog = window.shortcuts_dialog
    assert dialog is not None and dialog.isVisible()
    rows = dialog.visible_rows()
    # Here the board editor answers Ctrl+Z and Ctrl+Shift+Z (the window lends it the keys).
    redo = [k for g, a, k in rows if (g, a) == ("Boards", "Redo")]
    assert len(redo) == 1 and {"Ctrl+Shift+Z", "Ctrl+Y"} <= set(redo[0].split(", "))
    assert not [a for g, a, _k in rows if (g, a) == ("Edit", "Redo")]
    assert any(g == "Boards" and a == "Bring to front" for g, a, _k in rows)
    qtbot.keyClicks(dialog.search, "quit")
    assert [(g, a) for g, a, _k in dialog.visible_rows()] == [("File", "Quit")]
    # What it lists follows the actions: a key changed is shown changed.
    dialog.close()
    window.quit_action.setShortcuts([QKeySequence("Ctrl+Alt+Q")])
    window.show_shortcuts()
    assert window.shortcuts_dialog is not None
    quit_rows = [r for r in window.shortcuts_dialog.visible_rows() if r[1] == "Quit"]
    assert quit_rows == [("File", "Quit", "Ctrl+Alt+Q")]
