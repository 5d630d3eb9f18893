"""The board editor's actions: toolbar buttons, shortcuts and the canvas's context menu.

Every action binds to the editor and its children only (``WidgetWithChildrenShortcut``), so
the same keys elsewhere in the window do other things; a standard key takes every binding the
platform has for it. Toolbar buttons show icons only, so each gets its action's text as its
accessible name, and its tooltip names the shortcut. The context menu offers the actions that
apply to what is under the pointer (those enabled), grouped as in the toolbar.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import QMenu, QToolButton

from studio.ui.boards.icons import glyph_icon

if TYPE_CHECKING:
    from studio.ui.boards.editor import BoardEditor

ICON_NAMES = frozenset(
    {
        "photo",
        "text",
        "delete",
        "forward",
        "backward",
        "front",
        "back",
        "flip_h",
        "flip_v",
        "crop",
        "background",
        "text_colour",
        "zoom_in",
        "zoom_out",
        "fit",
        "undo",
        "redo",
    }
)
MENU_GROUPS = (
    ("photo", "text", "paste"),
    ("delete",),
    ("front", "forward", "backward", "back"),
    ("flip_h", "flip_v", "crop"),
    ("text_colour", "bigger", "smaller"),
    ("background", "select_all"),
)


def add_action(
    editor: BoardEditor,
    name: str,
    text: str,
    slot: Callable[[], object],
    shortcuts: Sequence[QKeySequence.StandardKey | str] = (),
    *,
    toolbar: bool = True,
    checkable: bool = False,
) -> QAction:
    """One action of the editor (``actions_by_name[name]``), on its toolbar unless told."""
    # In the palette's button text colour: dark glyphs on a dark toolbar would be invisible.
    ink = editor.palette().color(QPalette.ColorRole.ButtonText)
    icon = glyph_icon(name, ink) if name in ICON_NAMES else editor.windowIcon()
    action = QAction(icon, text, editor)
    action.setObjectName(f"board_{name}")
    keys: list[QKeySequence] = []
    for s in shortcuts:
        if isinstance(s, QKeySequence.StandardKey):  # every binding of the platform
            keys.extend(QKeySequence.keyBindings(s))
        else:
            keys.append(QKeySequence(s))
    keys = list(dict.fromkeys(keys))
    if keys:
        action.setShortcuts(keys)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    native = QKeySequence.SequenceFormat.NativeText
    tip = f"{text} ({keys[0].toString(native)})" if keys else text
    action.setToolTip(tip)
    action.setCheckable(checkable)
    if checkable:
        action.toggled.connect(lambda _on: slot())
    else:
        action.triggered.connect(lambda _on=False: slot())
    editor.addAction(action)
    editor.actions_by_name[name] = action
    if toolbar:
        editor.toolbar.addAction(action)
        button = editor.toolbar.widgetForAction(action)
        if isinstance(button, QToolButton):
            button.setAccessibleName(text)
            button.setObjectName(f"board_button_{name}")
    return action


def build_actions(editor: BoardEditor) -> None:
    """Every action of the editor, in toolbar order."""
    a, tr, edits = partial(add_action, editor), editor.tr, editor.edits
    SK = QKeySequence.StandardKey
    toolbar = editor.toolbar
    a("undo", tr("Undo"), editor.undo.undo, [SK.Undo])
    a("redo", tr("Redo"), editor.undo.redo, [SK.Redo, "Ctrl+Shift+Z", "Ctrl+Y"])
    toolbar.addSeparator()
    a("photo", tr("Add photos…"), editor.choose_photos, ["Ctrl+Shift+O"])
    a("text", tr("Add text"), editor.add_text, ["Ctrl+Shift+T"])
    a("delete", tr("Delete"), edits.delete_selected, [SK.Delete, "Backspace"])
    toolbar.addSeparator()
    front = partial(edits.restack, "front")
    a("front", tr("Bring to front"), front, ["Ctrl+Shift+]", "Ctrl+}"])
    a("forward", tr("Bring forward"), partial(edits.restack, "forward"), ["Ctrl+]"])
    a("backward", tr("Send backward"), partial(edits.restack, "backward"), ["Ctrl+["])
    a("back", tr("Send to back"), partial(edits.restack, "back"), ["Ctrl+Shift+[", "Ctrl+{"])
    toolbar.addSeparator()
    a("flip_h", tr("Flip horizontally"), partial(edits.flip, True), ["Shift+H"])
    a("flip_v", tr("Flip vertically"), partial(edits.flip, False), ["Shift+V"])
    a("crop", tr("Crop"), editor.crop_toggled, ["C"], checkable=True)
    toolbar.addSeparator()
    # The text tools are made after the actions (their size box sits among the buttons).
    a("text_colour", tr("Text colour…"), lambda: editor.text_tools.choose_colour())
    a("background", tr("Background colour…"), editor.choose_background)
    a("zoom_out", tr("Zoom out"), editor.view.zoom_out, ["Ctrl+-"])
    a("zoom_in", tr("Zoom in"), editor.view.zoom_in, ["Ctrl+=", "Ctrl++"])
    a("fit", tr("Fit board"), editor.view.fit, ["Ctrl+0"])
    a("select_all", tr("Select all"), editor.select_all, [SK.SelectAll], toolbar=False)
    a("paste", tr("Paste"), editor.paste, [SK.Paste], toolbar=False)
    a("bigger", tr("Larger text"), partial(_scale, editor, 1.25), ["Ctrl+Shift+."], toolbar=False)
    a("smaller", tr("Smaller text"), partial(_scale, editor, 0.8), ["Ctrl+Shift+,"], toolbar=False)


def follow_undo(editor: BoardEditor) -> None:
    """Undo and Redo enabled when there is a step, their tooltips naming it ("Undo Move")."""
    stack, tr = editor.undo, editor.tr
    undo, redo = editor.actions_by_name["undo"], editor.actions_by_name["redo"]
    stack.canUndoChanged.connect(undo.setEnabled)
    stack.canRedoChanged.connect(redo.setEnabled)
    stack.undoTextChanged.connect(
        lambda t: undo.setToolTip(tr("Undo {step}").format(step=t) if t else tr("Undo"))
    )
    stack.redoTextChanged.connect(
        lambda t: redo.setToolTip(tr("Redo {step}").format(step=t) if t else tr("Redo"))
    )
    undo.setEnabled(False)
    redo.setEnabled(False)


def _scale(editor: BoardEditor, factor: float) -> None:
    editor.text_tools.scale(factor)


def context_menu(editor: BoardEditor, screen_pos: QPoint) -> None:
    """The canvas's context menu at ``screen_pos``: the actions enabled now."""
    menu = QMenu(editor)
    for group in MENU_GROUPS:
        menu.addSeparator()
        for name in group:
            action = editor.actions_by_name[name]
            if action.isEnabled():
                menu.addAction(action)
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    menu.popup(screen_pos)
