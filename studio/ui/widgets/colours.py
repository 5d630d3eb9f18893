"""Colours computed from the palette, readable in light and dark (WCAG AA for text).

The catalog's painters (the grid's cards, the pickers' rows) drew with fixed colours picked on
a white background: dark grey brand text, a green "In stock", a red sale price, a light grey
alternate row. On a dark palette those are dark text on a dark base, or light rows under the
palette's light text. Here each colour is derived from the palette the widget has and the
background it is drawn on, then moved away from that background (lighter on a dark one,
darker on a light one, hue kept) until the WCAG contrast ratio reaches 4.5:1, the AA level
for text. ``tests/ui/test_contrast.py`` checks every pair the painters use, over both
palettes.

``dark_palette`` is the studio's dark palette (Fusion has none on a platform that does not
say it is dark); ``apply_colour_scheme`` chooses it when ``STUDIO_COLOR_SCHEME=dark`` or the
platform asks for a dark scheme without giving a dark palette.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

TEXT_CONTRAST = 4.5  # WCAG 2 AA, normal text
GRAPHIC_CONTRAST = 3.0  # WCAG 2.1 AA, user-interface components
Role = QPalette.ColorRole

# Semantic colours, as tuned for a white background; ``readable`` adapts them to another.
IN_STOCK = "#1a7f37"
OUT_OF_STOCK = "#cf222e"
SALE = "#c0262d"
ERROR = "#b3261e"


def _channel(value: float) -> float:
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def luminance(colour: QColor) -> float:
    """WCAG relative luminance of an opaque colour."""
    r, g, b = colour.redF(), colour.greenF(), colour.blueF()
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two opaque colours, 1..21."""
    la, lb = luminance(a), luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def blend(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` moved by ``t`` (0..1) toward ``b``; opaque."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
    )


def is_dark(colour: QColor) -> bool:
    return luminance(colour) < 0.18


def readable(colour: QColor | str, background: QColor, minimum: float = TEXT_CONTRAST) -> QColor:
    """``colour`` (hue kept) made lighter on a dark background, darker on a light one, just
    enough to reach ``minimum`` contrast against ``background``."""
    colour = QColor(colour)
    if contrast(colour, background) >= minimum:
        return colour
    target = QColor("#ffffff") if is_dark(background) else QColor("#000000")
    low, high = 0.0, 1.0  # bisect the least move toward white/black that reads

    def painted(t: float) -> QColor:
        # Tested as painted, 8 bits a channel: a float just over the ratio can round under.
        return QColor(blend(colour, target, t).name())

    for _ in range(16):
        mid = (low + high) / 2
        if contrast(painted(mid), background) >= minimum:
            high = mid
        else:
            low = mid
    return painted(high)


@dataclass(frozen=True, slots=True)
class RowColours:
    """The colours of one product row or card: its background and each text on it."""

    background: QColor
    text: QColor  # the title and the price
    secondary: QColor  # brand and merchant
    in_stock: QColor
    out_of_stock: QColor
    sale: QColor
    struck: QColor  # the price before a sale

    def text_pairs(self) -> dict[str, tuple[QColor, QColor]]:
        """Every (text, background) pair drawn on this background, by what it is."""
        return {
            name: (getattr(self, name), self.background)
            for name in ("text", "secondary", "in_stock", "out_of_stock", "sale", "struck")
        }


def row_colours(
    palette: QPalette, *, selected: bool = False, alternate: bool = False
) -> RowColours:
    """Colours of a product row (a picker's or the grid's list) or card on ``palette``:
    the Base (or AlternateBase) background, a selected one tinted with the Highlight."""
    base = palette.color(Role.Base)
    if selected:
        background = blend(base, palette.color(Role.Highlight), 0.28)
    elif alternate:
        background = palette.color(Role.AlternateBase)
    else:
        background = base
    text = readable(palette.color(Role.Text), background)
    secondary = readable(blend(text, background, 0.35), background)
    return RowColours(
        background,
        text,
        secondary,
        readable(IN_STOCK, background),
        readable(OUT_OF_STOCK, background),
        readable(SALE, background),
        secondary,
    )


def badge_colours(colour: QColor | str, background: QColor) -> tuple[QColor, QColor]:
    """A pill badge's (fill, text) on ``background``: the colour faintly tinted in, and the
    colour itself made readable on that tint."""
    fill = blend(background, QColor(colour), 0.14)
    return fill, readable(colour, fill)


def dark_palette() -> QPalette:
    """The studio's dark palette: Fusion's roles in dark greys, text near white."""
    colours = {
        Role.Window: "#2b2d30",
        Role.WindowText: "#e8e8e8",
        Role.Base: "#1f2023",
        Role.AlternateBase: "#27292c",
        Role.ToolTipBase: "#3a3c40",
        Role.ToolTipText: "#f0f0f0",
        Role.PlaceholderText: "#9a9ea6",
        Role.Text: "#e8e8e8",
        Role.Button: "#35373b",
        Role.ButtonText: "#e8e8e8",
        Role.BrightText: "#ff6b6b",
        Role.Light: "#4a4d52",
        Role.Midlight: "#3f4246",
        Role.Mid: "#2f3134",
        Role.Dark: "#1a1b1d",
        Role.Shadow: "#101112",
        Role.Highlight: "#3b82d6",
        Role.HighlightedText: "#ffffff",
        Role.Link: "#6cb4ff",
        Role.LinkVisited: "#b48cff",
    }
    palette = QPalette()
    for role, value in colours.items():
        palette.setColor(role, QColor(value))
    for role in (Role.Text, Role.WindowText, Role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7d83"))
    return palette


def apply_colour_scheme(app: QGuiApplication) -> None:
    """Dark when ``STUDIO_COLOR_SCHEME=dark``, or when the platform asks for a dark scheme
    but left a light palette; ``light`` forces the style's light palette."""
    wanted = os.environ.get("STUDIO_COLOR_SCHEME", "").strip().casefold()
    if wanted == "light":
        return
    platform_dark = app.styleHints().colorScheme() == Qt.ColorScheme.Dark
    if wanted == "dark" or (platform_dark and not is_dark(app.palette().color(Role.Window))):
        app.setPalette(dark_palette())


class _Follower(QObject):
    """Re-applies a widget's computed text colour when the application's palette changes: a
    colour set on the widget's own palette would otherwise stay the old scheme's."""

    def __init__(self, widget: QWidget, apply: Callable[[QWidget], None]) -> None:
        super().__init__(widget)
        self._apply = apply
        widget.installEventFilter(self)
        apply(widget)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ApplicationPaletteChange and isinstance(watched, QWidget):
            self._apply(watched)
        return False


def _set_role(
    widget: QWidget, colour: Callable[[QPalette], QColor], role: Role = Role.WindowText
) -> None:
    palette = widget.palette()
    base = QApplication.palette(widget)  # the scheme's, not the colour set here last time
    palette.setColor(role, colour(base))
    widget.setPalette(palette)


def _outlined_window(palette: QPalette) -> QColor:
    """A Window colour whose shade Fusion outlines check boxes with (Window darker by 140%,
    then lighter by 110%) stands 3:1 from the Base they are filled with: in the dark palette
    that outline was Base's own near-black and the facets' boxes were invisible (2.3:1 in
    the light one)."""
    base, window = palette.color(Role.Base), palette.color(Role.Window)
    step = 0
    while contrast(window.darker(140).lighter(110), base) < GRAPHIC_CONTRAST and step < 10:
        step += 1
        window = blend(base, palette.color(Role.Text), step / 10)
    return window


def visible_check_boxes(view: QWidget) -> None:
    """Keep the check boxes of ``view`` (an item view's: it paints Base, not Window) outlined
    3:1 against their fill, in either scheme."""
    _Follower(view, lambda w: _set_role(w, _outlined_window, Role.Window))


def _muted(palette: QPalette) -> QColor:
    ground, text = palette.color(Role.Window), palette.color(Role.WindowText)
    return readable(blend(text, ground, 0.35), ground)


def mute(widget: QWidget) -> None:
    """Show ``widget``'s text (a label's) in the palette's secondary tone, readable, in
    whichever scheme is current, now and after a switch of light and dark."""
    _Follower(widget, lambda w: _set_role(w, _muted))


def error_text(widget: QWidget) -> None:
    """Show ``widget``'s text (an error line's) in a red readable on the window, in either
    scheme."""
    _Follower(widget, lambda w: _set_role(w, lambda p: readable(ERROR, p.color(Role.Window))))


NOTICE = "#9a6700"  # a notice's amber (an own-brand label, a board's message), tuned on white


def _boxed(widget: QWidget) -> None:
    pill, tint = bool(widget.property("boxPill")), str(widget.property("boxTint") or "")
    pal = QApplication.palette(widget)
    window, text = pal.color(Role.Window), pal.color(Role.WindowText)
    ground = blend(window, QColor(tint), 0.16) if tint else blend(window, text, 0.07)
    # A margin over AA: small text's anti-aliased strokes rarely reach the ink's full tone.
    ink = readable(tint or text, ground, TEXT_CONTRAST + 0.5).name()
    edge = blend(window, QColor(tint) if tint else text, 0.45).name()
    if pill:
        border = f"border: 1px solid {edge}; " if tint else ""
        sheet = f"padding: 2px 8px; border-radius: 9px; {border}"
    else:
        sheet = f"border-left: 3px solid {edge}; padding: 6px 10px; "
    widget.setStyleSheet(sheet + f"background: {ground.name()}; color: {ink};")


def boxed(widget: QWidget, *, pill: bool = False, tint: str | None = None) -> None:
    """Draw ``widget`` (a label) on a box a shade off the window, with a rule on its left
    (a quoted text: the review's disclosure) or as a rounded pill (a counter); ``tint``
    (e.g. ``NOTICE``, ``ERROR``) colours the box and its text. The text stays readable
    (4.5:1) in whichever scheme is current, now and after a switch; called again on the
    same widget it changes the tint (a counter turning red when full)."""
    first = widget.property("boxPill") is None
    widget.setProperty("boxPill", pill)
    widget.setProperty("boxTint", tint or "")
    if first:
        _Follower(widget, _boxed)
    else:
        _boxed(widget)


def warning_text(palette: QPalette) -> QColor:
    """The orange of a warning line in a list, readable on its rows (base and alternate)."""
    colour = QColor("#b35900")
    for role in (Role.Base, Role.AlternateBase):
        colour = readable(colour, palette.color(role))
    return colour
