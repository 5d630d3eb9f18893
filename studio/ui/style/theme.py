"""Light and dark: the two palettes and View > Appearance (System, Light, Dark).

The studio draws everything from the application ``QPalette`` (icons, the stylesheet, the
catalog's cards), so light or dark is one palette. "System" leaves the palette to Qt and the
desktop (a desktop in dark mode gives Qt a dark palette where its platform theme supports it);
"Light" and "Dark" set one of the two palettes: the light one below (neutral greys that keep
product photos true, one blue accent) and ``widgets.colours.dark_palette``, the dark one the
start-up also uses for ``STUDIO_COLOR_SCHEME=dark`` (one dark palette in the studio). The
choice is remembered in the window's settings (``appearance/scheme``) and applied before the
window first paints.

These palettes are the one place in the UI where colours are written out: everything else
derives its colours from the palette.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtGui import QAction, QActionGroup, QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QMenu

from studio.ui.widgets.colours import apply_colour_scheme, dark_palette

SCHEMES = ("system", "light", "dark")
SETTING = "appearance/scheme"

R = QPalette.ColorRole
G = QPalette.ColorGroup

# The light palette's colours, for every group; the disabled text is set apart below.
_LIGHT: tuple[tuple[QPalette.ColorRole, str], ...] = (
    (R.Window, "#f4f4f6"),
    (R.WindowText, "#1d1d1f"),
    (R.Base, "#ffffff"),
    (R.AlternateBase, "#f6f6f8"),
    (R.Text, "#1d1d1f"),
    (R.PlaceholderText, "#6e6e73"),
    (R.Button, "#fbfbfc"),
    (R.ButtonText, "#1d1d1f"),
    (R.BrightText, "#ffffff"),
    (R.Light, "#ffffff"),
    (R.Midlight, "#ececef"),
    (R.Mid, "#cfcfd4"),
    (R.Dark, "#a9a9ae"),
    (R.Shadow, "#6e6e73"),
    (R.Highlight, "#2f6fde"),
    (R.HighlightedText, "#ffffff"),
    (R.Link, "#1f5fcc"),
    (R.LinkVisited, "#6b3fb8"),
    (R.ToolTipBase, "#1d1d1f"),
    (R.ToolTipText, "#f4f4f6"),
)
# Disabled text: a colour between the text and the window (still legible, clearly inactive).
_DISABLED = "#9a9aa0"


def palette(scheme: str) -> QPalette:
    """The studio's ``"light"`` or ``"dark"`` palette (the dark one is ``widgets.colours``'s,
    the one the catalog's colours are checked against for contrast)."""
    if scheme not in ("light", "dark"):
        raise ValueError(f"no palette for {scheme!r}")
    if scheme == "dark":
        return dark_palette()
    result = QPalette()
    for role, value in _LIGHT:
        colour = QColor(value)
        for group in (G.Active, G.Inactive, G.Disabled):
            result.setColor(group, role, colour)
    disabled = QColor(_DISABLED)
    for role in (R.WindowText, R.Text, R.ButtonText, R.PlaceholderText):
        result.setColor(G.Disabled, role, disabled)
    result.setColor(G.Disabled, R.Highlight, result.color(G.Active, R.Mid))
    return result


def is_dark(pal: QPalette) -> bool:
    """Whether ``pal`` is a dark one (light text on a dark window)."""
    return pal.color(R.Window).lightness() < pal.color(R.WindowText).lightness()


def _request_scheme(scheme: str) -> None:
    """Ask the platform (Qt 6.8+) for the scheme, so native dialogs follow where they can."""
    hints = QGuiApplication.styleHints()
    setter = getattr(hints, "setColorScheme", None)
    if setter is None:
        return
    wanted = {
        "light": Qt.ColorScheme.Light,
        "dark": Qt.ColorScheme.Dark,
    }.get(scheme, Qt.ColorScheme.Unknown)
    setter(wanted)


def apply_scheme(scheme: str) -> None:
    """Make ``scheme`` ("system", "light" or "dark") the application's palette now."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown appearance {scheme!r}")
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    _request_scheme(scheme)
    if scheme == "system":
        # A palette with no role set resets the application's to the platform's own; then
        # the start-up rule again (a platform that asks for dark without a dark palette).
        QApplication.setPalette(QPalette())
        apply_colour_scheme(app)
    else:
        QApplication.setPalette(palette(scheme))


class Appearance(QObject):
    """View > Appearance: System, Light or Dark, remembered in ``settings``."""

    def __init__(
        self,
        settings: QSettings,
        menu: QMenu,
        parent: QObject,
        *,
        applied: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._applied = applied
        self.menu = menu.addMenu(self.tr("&Appearance"))
        self.menu.setObjectName("appearanceMenu")
        group = QActionGroup(self)
        titles = {
            "system": self.tr("&System"),
            "light": self.tr("&Light"),
            "dark": self.tr("&Dark"),
        }
        self.actions: dict[str, QAction] = {}
        for scheme in SCHEMES:
            action = QAction(titles[scheme], self, checkable=True)
            action.setObjectName(f"appearance_{scheme}")
            action.triggered.connect(lambda _on=False, s=scheme: self.choose(s))
            group.addAction(action)
            self.menu.addAction(action)
            self.actions[scheme] = action
        saved = str(settings.value(SETTING, "system"))
        self.scheme = saved if saved in SCHEMES else "system"
        self.actions[self.scheme].setChecked(True)
        if self.scheme != "system":  # "system" is what Qt starts with: nothing to do
            apply_scheme(self.scheme)
            if applied is not None:
                applied(self.scheme)

    def choose(self, scheme: str) -> None:
        """Switch to ``scheme`` now and remember it."""
        self.scheme = scheme
        self.actions[scheme].setChecked(True)
        self._settings.setValue(SETTING, scheme)
        apply_scheme(scheme)
        if self._applied is not None:
            self._applied(scheme)
