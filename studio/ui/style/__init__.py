"""The studio's look: icons, light and dark palettes, spacing, type scale and navigation.

``install(window, ...)`` is all the main window calls: it applies the remembered appearance
(before the first paint), puts the navigation rail of workspaces on the left, keeps the short
stylesheet made from the palette on it (and on the toolbars and primary buttons ``decorate``
finds) and adds View > Appearance. ``decorate(page)`` gives
a workspace's named toolbar actions and buttons their icons (``catalogue.py``). Colours come
from the palette only (``theme.py`` defines the light and dark ones); icons are drawn in the
palette's colours when painted, so a palette change recolours everything at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from studio.ui.style.catalogue import decorate
from studio.ui.style.navigation import NavigationBar
from studio.ui.style.sheet import StyleFollower
from studio.ui.style.theme import Appearance, apply_scheme

__all__ = ["Installed", "apply_scheme", "decorate", "install"]


@dataclass(frozen=True, slots=True)
class Installed:
    """What ``install`` made (the window keeps it; tests reach the parts through it)."""

    navigation: NavigationBar
    appearance: Appearance
    follower: StyleFollower


def install(
    window: QMainWindow,
    settings: QSettings,
    workspace_actions: dict[str, QAction],
    view_menu: QMenu,
) -> Installed:
    """The look on ``window``: appearance first, so the first paint is already right."""
    follower = StyleFollower(window)
    # The stylesheet is made again as soon as a scheme is applied (the window also hears of a
    # palette change by itself, but only once its events are delivered).
    appearance = Appearance(settings, view_menu, window, applied=lambda _s: follower.refresh())
    navigation = NavigationBar.install(window, workspace_actions)  # styled as it is made
    return Installed(navigation, appearance, follower)
