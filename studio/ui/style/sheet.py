"""Spacing, the type scale and the window's short stylesheet, all derived from the palette.

Spacing is a 4 px grid (``SPACE``); text sizes are steps of one scale relative to the
desktop's own font size (``TYPE_SCALE``), so the studio follows a user who enlarges their
fonts. The stylesheet only does what a palette cannot: the navigation's places (a rounded,
tinted "pill" for the current one), calmer toolbars, and the primary button of a row (the one
action a page is for, "New look" say) filled with the accent colour. Its colours are the
palette's roles, mixed where a tint is wanted, and it is made again when the palette changes
(``StyleFollower``), so light and dark both read. It is set on the widgets it styles (``apply``:
the navigation, toolbars, primary buttons), not on the window, so the rest of the window is
drawn by the plain style.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QWidget

#: The 4 px grid: the only spacings the studio's chrome uses.
SPACE = {"xs": 4, "s": 8, "m": 12, "l": 16, "xl": 24}
#: Text sizes relative to the desktop's font: caption < body < subtitle < title < display.
TYPE_SCALE = {"caption": 0.85, "body": 1.0, "subtitle": 1.15, "title": 1.35, "display": 1.7}
#: Icon sizes (px): in toolbars and button rows, and in the navigation.
ICON = {"toolbar": 20, "button": 16, "navigation": 24}
RADIUS = 6
#: The navigation's width: room for "Reviews" under its icon at the body size.
NAV_WIDTH = 84

R = QPalette.ColorRole
#: How a window hears of a new palette (the application's, or one set on it).
PALETTE_EVENTS = (QEvent.Type.ApplicationPaletteChange, QEvent.Type.PaletteChange)


def point_size(role: str, base: QFont | None = None) -> float:
    """The point size of ``role`` (a ``TYPE_SCALE`` key) on the desktop's font."""
    font = base if base is not None else QApplication.font()
    size = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
    return round(size * TYPE_SCALE[role], 1)


def font(role: str, *, weight: QFont.Weight | None = None) -> QFont:
    """The desktop's font at ``role``'s size (and ``weight`` if given)."""
    result = QFont(QApplication.font())
    result.setPointSizeF(point_size(role))
    if weight is not None:
        result.setWeight(weight)
    return result


def _rgba(colour: QColor, alpha: float) -> str:
    return f"rgba({colour.red()}, {colour.green()}, {colour.blue()}, {alpha:.2f})"


def _mix(a: QColor, b: QColor, t: float) -> str:
    """``a`` moved ``t`` of the way to ``b`` (an opaque colour for the stylesheet)."""
    mixed = QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )
    return mixed.name()


def stylesheet(pal: QPalette) -> str:
    """The window's stylesheet for ``pal``."""
    window, text = pal.color(R.Window), pal.color(R.WindowText)
    accent, on_accent = pal.color(R.Highlight), pal.color(R.HighlightedText)
    mid = pal.color(R.Mid)
    s, xs, r = SPACE["s"], SPACE["xs"], RADIUS
    rail = _mix(window, text, 0.035)  # the navigation rail: a shade off the window
    # The rail's padding is one value: a toolbar's layout takes a single margin, which Qt read
    # as 8 from "8px 4px" while the sheet was the window's and as 4 once it is the rail's own.
    return f"""
QToolBar#workspaceSidebar {{
    background: {rail}; border: none; border-right: 1px solid {_rgba(mid, 0.6)};
    padding: {s}px; spacing: {xs}px;
}}
QToolBar#workspaceSidebar QToolButton {{
    border: none; border-radius: {r + 2}px; padding: {s}px {xs}px {xs + 2}px {xs}px;
    color: {text.name()}; min-width: {NAV_WIDTH - 2 * s}px; font-size: {point_size("caption")}pt;
}}
QToolBar#workspaceSidebar QToolButton:hover {{ background: {_rgba(text, 0.07)}; }}
QToolBar#workspaceSidebar QToolButton:checked {{
    background: {_rgba(accent, 0.16)}; color: {text.name()}; font-weight: 600;
}}
QToolBar#workspaceSidebar QToolButton:focus {{ border: 1px solid {accent.name()}; }}
QToolBar {{ spacing: {xs}px; padding: {xs // 2}px {s}px; border: none; }}
QToolBar QToolButton {{ border: 1px solid transparent; border-radius: {r}px; padding: 3px; }}
QToolBar QToolButton:hover {{ background: {_rgba(text, 0.07)}; }}
QToolBar QToolButton:pressed, QToolBar QToolButton:checked {{
    background: {_rgba(accent, 0.18)}; border-color: {_rgba(accent, 0.45)};
}}
QToolBar QToolButton:focus {{ border-color: {accent.name()}; }}
QPushButton[role="primary"] {{
    background: {accent.name()}; color: {on_accent.name()}; border: 1px solid {accent.name()};
    border-radius: {r}px; padding: {xs + 1}px {SPACE["m"]}px; font-weight: 600;
}}
QPushButton[role="primary"]:hover {{ background: {accent.lighter(110).name()}; }}
QPushButton[role="primary"]:pressed {{ background: {accent.darker(115).name()}; }}
QPushButton[role="primary"]:focus {{ border: 1px solid {text.name()}; }}
QPushButton[role="primary"]:disabled {{
    background: {_rgba(accent, 0.35)}; border-color: transparent;
}}
"""


#: Set on each widget ``apply`` gave the stylesheet to, so a palette change finds them.
STYLED = "vitrineStyled"


def apply(widget: QWidget) -> None:
    """Give ``widget`` the stylesheet made from the application palette.

    Only the widgets its rules are for get it: the navigation, the toolbars and the primary
    buttons (``install`` and ``decorate`` call this). Set on the window, it made Qt's
    stylesheet style polish and draw every widget of every page, for rules that match a few.
    """
    sheet = stylesheet(QApplication.palette())
    widget.setProperty(STYLED, True)
    if widget.styleSheet() != sheet:  # setting the same sheet again would polish it again
        widget.setStyleSheet(sheet)


class StyleFollower(QObject):
    """Makes the stylesheet again for the widgets under ``window`` that have it (``apply``)
    when the application palette changes."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._sheet = stylesheet(QApplication.palette())
        window.installEventFilter(self)

    def refresh(self) -> None:
        sheet = stylesheet(QApplication.palette())
        if sheet == self._sheet:
            return
        self._sheet = sheet
        for widget in self._window.findChildren(QWidget):
            if widget.property(STYLED):
                apply(widget)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() in PALETTE_EVENTS:
            self.refresh()
        return False
