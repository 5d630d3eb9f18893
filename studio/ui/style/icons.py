"""The studio's icons: Phosphor glyphs (MIT), drawn in the palette's colours at paint time.

The glyphs come from the Phosphor icon font that the ``qtawesome`` package ships (its
``fonts/phosphor-*.ttf`` and charmap; QtAwesome and Phosphor are both MIT-licensed). The font
file is read from the installed package without importing it: ``import qtawesome`` goes
through QtPy, whose star-imports of QtCore, QtGui, QtWidgets and QtOpenGL cost 200-300 ms and
34 MiB at start-up (measured; the window's whole start-up budget is 300 ms), where loading the
one font and its charmap costs about 15 ms and 6 MiB.

An icon is a ``QIcon`` over ``GlyphEngine``, which asks the application palette for its colour
each time it paints: the text colour, the disabled text colour when disabled, the highlight
colour for the "on" state of an accent icon (the navigation's current place). So every icon
follows a palette change (View > Appearance, or the system's) with no bookkeeping: Qt repaints
the widgets on a palette change and the glyphs are drawn in the new colours. The font is
loaded the first time an icon is asked for (the navigation's, before the first paint).
"""

from __future__ import annotations

import importlib.util
import json
import logging
import sys
from functools import cache
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QPainter,
    QPalette,
    QPixmap,
)

log = logging.getLogger(__name__)

FONT_FILE = "phosphor-1.3.0.ttf"
CHARMAP_FILE = "phosphor-charmap-1.3.0.json"
#: How much of the icon's box the glyph fills (Phosphor's glyphs have their own margin).
GLYPH_SCALE = 0.92


class IconFontMissing(RuntimeError):
    """The Phosphor font is not where the qtawesome package keeps it."""


def fonts_dir() -> Path:
    """qtawesome's ``fonts`` folder, found without importing the package (see above).

    A PyInstaller bundle carries the two files under ``qtawesome/fonts`` (the spec's datas).
    """
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "qtawesome" / "fonts"
    spec = importlib.util.find_spec("qtawesome")
    if spec is None or not spec.submodule_search_locations:
        raise IconFontMissing("the qtawesome package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "fonts"


@cache
def _font() -> tuple[str, dict[str, str]]:
    """The loaded font's family and its charmap (icon name -> hex code point); loaded once."""
    folder = fonts_dir()
    # By its path, not its bytes: FreeType then reads the 1.4 MB file as glyphs are drawn
    # instead of Qt keeping a copy of it (~3 ms and ~1.4 MiB less at start-up).
    font_id = QFontDatabase.addApplicationFont(str(folder / FONT_FILE))
    families = QFontDatabase.applicationFontFamilies(font_id)
    if not families:
        raise IconFontMissing(f"{folder / FONT_FILE} holds no font")
    codes = json.loads((folder / CHARMAP_FILE).read_text(encoding="utf-8"))
    log.debug("icon font %s loaded from %s", families[0], folder)
    return families[0], codes  # hex code points, made characters when drawn (4,470 names)


def has_icon(name: str) -> bool:
    """Whether ``name`` is a Phosphor icon (tests check every name the studio uses)."""
    return name in _font()[1]


def glyph_colour(palette: QPalette, mode: QIcon.Mode, state: QIcon.State, accent: bool) -> QColor:
    """The colour a glyph is drawn in, from ``palette``, for the icon's mode and state."""
    group = QPalette.ColorGroup
    role = QPalette.ColorRole
    if mode == QIcon.Mode.Disabled:
        return palette.color(group.Disabled, role.WindowText)
    if mode == QIcon.Mode.Selected:  # drawn on the selection (menus, lists)
        return palette.color(group.Active, role.HighlightedText)
    if accent and state == QIcon.State.On:
        return palette.color(group.Active, role.Highlight)
    return palette.color(group.Active, role.WindowText)


class GlyphEngine(QIconEngine):
    """Paints one glyph of the icon font in the application palette's current colours."""

    def __init__(self, name: str, accent: bool = False) -> None:
        super().__init__()
        self.name = name
        self.accent = accent

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        family, codes = _font()
        code = codes.get(self.name)
        if code is None:
            return
        font = QFont(family)
        font.setPixelSize(max(1, round(min(rect.width(), rect.height()) * GLYPH_SCALE)))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setFont(font)
        palette = QGuiApplication.palette()
        painter.setPen(glyph_colour(palette, mode, state, self.accent))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, chr(int(code, 16)))
        painter.restore()

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        painter.end()
        return pixmap

    def clone(self) -> QIconEngine:
        return GlyphEngine(self.name, self.accent)

    def key(self) -> str:
        return "vitrine-glyph"

    def iconName(self) -> str:
        return self.name


_icons: dict[tuple[str, bool], QIcon] = {}


def icon(name: str, *, accent: bool = False) -> QIcon:
    """The icon ``name`` (a Phosphor name such as "storefront"); ``accent``: drawn in the
    highlight colour when on (checked), for the navigation's current place.

    The same QIcon is handed out for the same name: it follows the palette by itself.
    """
    key = (name, accent)
    found = _icons.get(key)
    if found is None:
        _font()  # loaded now, not in the first paint, so that a missing font fails here
        found = _icons[key] = QIcon(GlyphEngine(name, accent))
    return found
