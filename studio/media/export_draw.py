"""Drawing primitives for exports: a font that is always there, wrapping, ellipsis, markers.

DejaVu Sans is used when the system has it (it covers most scripts a product title uses);
otherwise the font bundled inside Pillow (``ImageFont.load_default(size=...)``, Pillow >= 10.1),
so an export never fails, or changes layout rules, for want of a system font.
"""

from __future__ import annotations

import functools

from PIL import Image, ImageDraw, ImageFont

Font = ImageFont.FreeTypeFont

MARKER_FILL = (217, 72, 15)
MARKER_INK = (255, 255, 255)
MARKER_HALO = (20, 20, 22)

_CANDIDATES = {
    False: ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    True: ("DejaVuSans-Bold.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
}


@functools.lru_cache(maxsize=128)
def font(size: int, *, bold: bool = False) -> Font:
    """A TrueType font of ``size`` pixels: DejaVu (bold when asked) if present, else Pillow's."""
    for name in _CANDIDATES[bold]:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    fallback = ImageFont.load_default(size=size)
    if not isinstance(fallback, ImageFont.FreeTypeFont):  # Pillow without FreeType
        raise RuntimeError("Pillow was built without FreeType: exports cannot draw text")
    return fallback


def _clean(text: str) -> str:
    # Control characters (a hostile title's \x00 or \x1b) would draw as boxes or break lines.
    return "".join(ch if ch.isprintable() else " " for ch in text)


def fit(text: str, f: Font, width: float) -> str:
    """``text`` on one line, cut with an ellipsis when it is wider than ``width``."""
    text = " ".join(_clean(text).split())
    if f.getlength(text) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:  # the longest prefix that fits with the ellipsis
        mid = (lo + hi + 1) // 2
        if f.getlength(text[:mid].rstrip() + "…") <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…"


def wrap(text: str, f: Font, width: float) -> list[str]:
    """Greedy word wrap to ``width`` pixels; a word wider than a line is cut with an ellipsis."""
    lines: list[str] = []
    current = ""
    for word in _clean(text).split():
        trial = f"{current} {word}" if current else word
        if f.getlength(trial) <= width:
            current = trial
            continue
        if current:
            lines.append(current)
        current = word if f.getlength(word) <= width else fit(word, f, width)
    if current:
        lines.append(current)
    return lines


# -- markers -----------------------------------------------------------------------------------


def marker_radius(width: int, height: int) -> int:
    """A marker readable on a phone screen yet small beside the item it tags."""
    return max(14, min(34, round(min(width, height) * 0.028)))


@functools.lru_cache(maxsize=64)
def marker_sprite(number: int, radius: int) -> Image.Image:
    """An antialiased RGBA disc: white number on the marker colour, white ring, dark halo.

    The two rings keep the marker visible on any photo, light or dark. Drawn 4x and reduced.
    """
    k = 4
    ring, halo = max(2, radius // 7), max(1, radius // 12)
    outer = radius + ring + halo
    size = 2 * outer * k
    big = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(big)
    c = size / 2
    for r, colour in (
        (outer, (*MARKER_HALO, 150)),
        (radius + ring, (255, 255, 255, 255)),
        (radius, (*MARKER_FILL, 255)),
    ):
        d.ellipse((c - r * k, c - r * k, c + r * k, c + r * k), fill=colour)
    text = str(number)
    size_px = radius * k * (1.05 if len(text) < 3 else 0.8)
    d.text((c, c), text, font=font(round(size_px), bold=True), fill=(*MARKER_INK, 255), anchor="mm")
    return big.resize((2 * outer, 2 * outer), Image.Resampling.LANCZOS)


def draw_marker(img: Image.Image, cx: float, cy: float, number: int, radius: int) -> None:
    sprite = marker_sprite(number, radius)
    half = sprite.width // 2
    img.paste(sprite, (round(cx) - half, round(cy) - half), sprite)
