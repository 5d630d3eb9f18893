"""Which icon each toolbar action and button of the workspaces gets, keyed by object name.

The feature folders build their actions and buttons without knowing the studio's look: each
only names them (``setObjectName``). ``ICONS`` maps those names to a Phosphor icon, and says
which button is the primary one of its row (drawn in the accent colour: the one thing the page
is for). ``decorate`` walks a workspace page once it is built (and again when shown, for the
parts a page makes later) and gives every named action and button its icon, and the studio's
stylesheet to each toolbar and primary button (``sheet.apply``); every action on a
toolbar also gets a tooltip (its text, and its shortcut) and, when the toolbar shows icons
only, an accessible name on its button, so nothing is an unlabelled square to a screen reader.
Changing an icon, or adding one, is an edit here, not in a feature folder.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QPushButton, QToolBar, QToolButton, QWidget

from studio.ui.style.icons import icon
from studio.ui.style.sheet import ICON, apply

#: Set on a widget once ``decorate`` has been through it (walking again only finds new parts).
DONE = "vitrineDecorated"


@dataclass(frozen=True, slots=True)
class Look:
    """An action's or a button's icon, and whether it is its row's primary button."""

    icon: str
    primary: bool = False


#: The workspaces' places in the navigation (keys of ``studio.ui.workspaces.NAMES``).
PLACES = {
    "catalog": "squares-four",
    "looks": "image-square",
    "boards": "layout",
    "shops": "storefront",
    "reviews": "chat-centered-text",
}

ICONS: dict[str, Look] = {
    # The board editor's toolbar (studio/ui/boards/actions.py names them board_<name>).
    "board_undo": Look("arrow-counter-clockwise"),
    "board_redo": Look("arrow-clockwise"),
    "board_photo": Look("image"),
    "board_text": Look("text-t"),
    "board_delete": Look("trash"),
    "board_front": Look("arrow-line-up"),
    "board_forward": Look("arrow-up"),
    "board_backward": Look("arrow-down"),
    "board_back": Look("arrow-line-down"),
    "board_flip_h": Look("arrows-left-right"),
    "board_flip_v": Look("arrows-down-up"),
    "board_crop": Look("crop"),
    "board_text_colour": Look("text-aa"),
    "board_background": Look("paint-bucket"),
    "board_zoom_out": Look("magnifying-glass-minus"),
    "board_zoom_in": Look("magnifying-glass-plus"),
    "board_fit": Look("corners-out"),
    "board_select_all": Look("selection-all"),
    "board_paste": Look("clipboard-text"),
    "board_bigger": Look("text-aa"),
    "board_smaller": Look("text-aa"),
    # The boards' list.
    "boards_new": Look("plus", primary=True),
    "boards_rename": Look("pencil-simple"),
    "boards_duplicate": Look("copy"),
    "boards_delete": Look("trash"),
    "boards_restore": Look("arrow-u-up-left"),
    "boards_trash": Look("trash-simple"),
    # The looks' library and editor.
    "looks_new": Look("plus", primary=True),
    "looks_trash": Look("trash-simple"),
    "looks_restore": Look("arrow-u-up-left"),
    # The shops' list and editor.
    "shops_create": Look("plus", primary=True),
    "shops_duplicate": Look("copy"),
    "shops_delete": Look("trash"),
    "shops_restore": Look("arrow-u-up-left"),
    "shops_trash": Look("trash-simple"),
    "shops_preview": Look("eye"),
    # The reviews' list.
    "reviews_new": Look("plus", primary=True),
    "reviews_trash": Look("trash"),
    "reviews_restore": Look("arrow-u-up-left"),
    # The catalog's empty state.
    "catalog_import": Look("file-arrow-down"),
    "catalog_demo": Look("sparkle", primary=True),
    "catalog_sign_in": Look("sign-in"),
}


def plain(text: str) -> str:
    """``text`` without its mnemonic ampersands and trailing ellipsis (for names and tips)."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def tooltip(action: QAction) -> str:
    """The action's text, with its first shortcut as the platform writes it."""
    text = plain(action.text())
    keys = action.shortcut()
    if keys.isEmpty():
        return text
    return f"{text} ({keys.toString(QKeySequence.SequenceFormat.NativeText)})"


def _decorate_action(action: QAction) -> None:
    look = ICONS.get(action.objectName())
    if look is not None:
        action.setIcon(icon(look.icon))


def _decorate_button(button: QAbstractButton) -> None:
    look = ICONS.get(button.objectName())
    if look is None:
        return
    button.setIcon(icon(look.icon))
    button.setIconSize(QSize(ICON["button"], ICON["button"]))
    if not button.text() and not button.accessibleName():  # icon only: say what it is
        button.setAccessibleName(plain(button.toolTip()))
    if look.primary and isinstance(button, QPushButton):
        button.setProperty("role", "primary")
        apply(button)
        button.style().unpolish(button)  # the stylesheet's [role="primary"] takes effect
        button.style().polish(button)


def _decorate_toolbar(bar: QToolBar) -> None:
    """Every action of ``bar``: its tooltip, and its button's accessible name if icon-only."""
    apply(bar)
    icon_only = bar.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly
    for action in bar.actions():
        if action.isSeparator():
            continue
        _decorate_action(action)
        if action.toolTip() == plain(action.text()):  # Qt's default tip: add the shortcut
            action.setToolTip(tooltip(action))
        button = bar.widgetForAction(action)
        if isinstance(button, QToolButton) and icon_only and not button.accessibleName():
            button.setAccessibleName(plain(action.text()))


def decorate(root: QWidget) -> None:
    """Give the named actions and buttons under ``root`` their looks (see the docstring)."""
    for action in root.findChildren(QAction):
        _decorate_action(action)
    for button in root.findChildren(QAbstractButton):
        if not button.property(DONE):
            _decorate_button(button)
            button.setProperty(DONE, True)
    for bar in root.findChildren(QToolBar):
        _decorate_toolbar(bar)
