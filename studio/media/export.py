"""Render a look or a board as one shareable picture (PNG or JPEG): numbered markers, a legend.

The picture is what a curator posts where links cannot go: the photos as cropped and turned
in the editor, a numbered marker on every tagged item, and under them a legend (number,
label and product, brand, merchant, price, exact or similar) and the disclosure (the links
are the merchants' plain ones; a brand that pays the curator is named).
Boards are drawn from their document (background, items in z order with their crop, size,
flips and rotation, text items) so the export never depends on a screenshot of the editor.

Fonts and markers come from ``studio.media.export_draw`` (DejaVu when present, else the font
bundled with Pillow: an export never fails for want of a system font).
Files are written atomically (temporary file + ``os.replace``) and carry no metadata.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from PIL import Image, ImageColor, ImageDraw

from studio.core.boards import BoardItem, BoardItemKind
from studio.core.errors import DiskFullError
from studio.core.looks import Crop
from studio.core.sharing import BoardSheet, LegendEntry, LookSheet, SheetPhoto, board_marker_point
from studio.media.errors import MediaError
from studio.media.export_draw import (
    Font,
    draw_marker,
    fit,
    font,
    marker_radius,
    wrap,
)
from studio.media.safe_open import image_size, open_image
from studio.media.staging import sweep_beside

Format = Literal["png", "jpeg"]
FORMATS: tuple[str, ...] = ("png", "jpeg")

SHEET_WIDTH = 1600
MARGIN = 64
MAX_PHOTO_HEIGHT = 1800
MAX_BOARD_SIDE = 4000
BACKGROUND = (255, 255, 255)
INK = (29, 29, 31)
MUTED = (108, 108, 114)
RULE = (226, 226, 230)
NOTE_BOX = (244, 244, 246)
UNAVAILABLE_INK = (176, 42, 42)

Draw = Callable[[Image.Image, ImageDraw.ImageDraw, int], None]


# -- photos ------------------------------------------------------------------------------------

_TURNS = {
    1: Image.Transpose.ROTATE_270,
    2: Image.Transpose.ROTATE_180,
    3: Image.Transpose.ROTATE_90,
}  # Pillow turns counter-clockwise; ours are clockwise


def _require(path: Path) -> None:
    if not path.is_file():
        raise MediaError("the photo is missing from the media library", source=str(path))


def _crop_box(size: tuple[int, int], crop: Crop) -> tuple[int, int, int, int]:
    w, h = size
    left, top = round(crop.left * w), round(crop.top * h)
    return (left, top, max(left + 1, round(crop.right * w)), max(top + 1, round(crop.bottom * h)))


def _flatten(img: Image.Image) -> Image.Image:
    """RGB on the sheet's white (a transparent PNG must not turn black in a JPEG)."""
    if img.mode == "RGB":
        return img
    rgba = img.convert("RGBA")
    out = Image.new("RGB", rgba.size, BACKGROUND)
    out.paste(rgba, (0, 0), rgba)
    return out


def shown_photo(photo: SheetPhoto, max_width: int, max_height: int) -> Image.Image:
    """The photo as the editor shows it (cropped, then turned), fitted into the box, RGB."""
    _require(photo.image)
    full_w, full_h = image_size(photo.image)
    span_w = max(photo.crop.right - photo.crop.left, 1e-6)
    span_h = max(photo.crop.bottom - photo.crop.top, 1e-6)
    # Decode a big JPEG at a reduced scale when the crop still covers the box at that scale.
    box_w, box_h = (max_height, max_width) if photo.rotation % 2 else (max_width, max_height)
    scale = min(box_w / (full_w * span_w), box_h / (full_h * span_h), 1.0)
    need = max(full_w * scale, full_h * scale)
    img = open_image(photo.image, draft_size=max(1, math.ceil(need)))
    img = img.crop(_crop_box(img.size, photo.crop))
    turn = _TURNS.get(photo.rotation % 4)
    if turn is not None:
        img = img.transpose(turn)
    img.thumbnail((max_width, max_height), Image.Resampling.LANCZOS, reducing_gap=2.0)
    return _flatten(img)


def marked_photo(photo: SheetPhoto, max_width: int, max_height: int) -> Image.Image:
    img = shown_photo(photo, max_width, max_height)
    radius = marker_radius(*img.size)
    for m in photo.markers:
        draw_marker(img, m.x * img.width, m.y * img.height, m.number, radius)
    return img


# -- boards ------------------------------------------------------------------------------------


def _colour(text: str, default: tuple[int, int, int]) -> tuple[int, int, int]:
    try:
        rgb = ImageColor.getrgb(text)
    except (ValueError, AttributeError):
        return default
    return (rgb[0], rgb[1], rgb[2])


def board_scale(sheet: BoardSheet) -> float:
    b = sheet.board.board
    return min(1.0, MAX_BOARD_SIDE / max(b.width, b.height, 1))


def board_canvas(sheet: BoardSheet, scale: float | None = None) -> Image.Image:
    """The collage alone (no markers), ``scale`` board pixels to image pixels, RGB."""
    board = sheet.board.board
    scale = board_scale(sheet) if scale is None else scale
    canvas = Image.new(
        "RGB",
        (max(1, round(board.width * scale)), max(1, round(board.height * scale))),
        _colour(board.background, BACKGROUND),
    )
    sources: dict[str, Image.Image] = {}
    drafts = _draft_sizes(sheet, scale)
    for item in sorted(sheet.board.items, key=lambda i: i.z):
        layer = _item_layer(item, sheet, scale, sources, drafts)
        if layer is None:
            continue
        if item.flip_h:
            layer = layer.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        if item.flip_v:
            layer = layer.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
        if item.rotation % 360:
            # A transparent margin first, so the turned edges are smoothed, not stair-stepped.
            padded = Image.new("RGBA", (layer.width + 4, layer.height + 4), (0, 0, 0, 0))
            padded.paste(layer, (2, 2))
            layer = padded.rotate(-item.rotation, Image.Resampling.BICUBIC, expand=True)
        canvas.paste(
            layer,
            (round(item.x * scale - layer.width / 2), round(item.y * scale - layer.height / 2)),
            layer,
        )
    return canvas


def _draft_sizes(sheet: BoardSheet, scale: float) -> dict[str, int]:
    """Per picture, the side a reduced JPEG decode must keep for its largest use on the board.

    Two hundred 12-megapixel product photos shown at 300 px need not be decoded in full.
    """
    sizes: dict[str, int] = {}
    for item in sheet.board.items:
        if item.media_hash:
            span_w = max(item.crop.right - item.crop.left, 1e-6)
            span_h = max(item.crop.bottom - item.crop.top, 1e-6)
            need = math.ceil(max(item.width / span_w, item.height / span_h) * scale)
            sizes[item.media_hash] = max(sizes.get(item.media_hash, 1), need)
    return sizes


def _item_layer(
    item: BoardItem,
    sheet: BoardSheet,
    scale: float,
    sources: dict[str, Image.Image],
    drafts: dict[str, int],
) -> Image.Image | None:
    w, h = max(1, round(item.width * scale)), max(1, round(item.height * scale))
    if item.kind is BoardItemKind.TEXT:
        return _text_layer(item, scale) if item.text.strip() else None
    path = sheet.images.get(item.media_hash) if item.media_hash else None
    if path is None or not path.is_file():
        # The item still shows where it is; its picture did not come along.
        layer = Image.new("RGBA", (w, h), (*RULE, 255))
        ImageDraw.Draw(layer).rectangle((0, 0, w - 1, h - 1), outline=(*MUTED, 255), width=2)
        return layer
    key = str(path)
    if key not in sources:
        draft = drafts.get(item.media_hash or "")
        sources[key] = open_image(path, draft_size=draft).convert("RGBA")
    src = sources[key]
    return src.crop(_crop_box(src.size, item.crop)).resize((w, h), Image.Resampling.LANCZOS)


def _text_layer(item: BoardItem, scale: float) -> Image.Image:
    f = font(max(6, round(item.font_size * scale)))
    width = max(1, round(item.width * scale))
    lines = [line for para in item.text.splitlines() for line in wrap(para, f, width) or [""]]
    line_h = round(f.size * 1.25)
    text_w = max((round(f.getlength(line)) for line in lines), default=1)
    layer = Image.new(
        "RGBA",
        (max(width, text_w), max(round(item.height * scale), line_h * len(lines))),
        (0, 0, 0, 0),
    )
    d = ImageDraw.Draw(layer)
    top = (layer.height - line_h * len(lines)) / 2
    colour = (*_colour(item.color, INK), 255)
    for i, line in enumerate(lines):
        d.text(
            (layer.width / 2, top + i * line_h + line_h / 2), line, font=f, fill=colour, anchor="mm"
        )
    return layer


def marked_board(sheet: BoardSheet) -> Image.Image:
    scale = board_scale(sheet)
    img = board_canvas(sheet, scale)
    radius = marker_radius(*img.size)
    for item in sheet.board.items:
        number = sheet.numbers.get(item.id)
        if number is None:
            continue
        x, y = board_marker_point(item, radius / scale)
        draw_marker(
            img,
            min(max(x * scale, radius), img.width - radius),
            min(max(y * scale, radius), img.height - radius),
            number,
            radius,
        )
    return img


# -- the sheet: header, pictures, legend, disclosure ---------------------------------------


def _text_block(
    lines: list[str], f: Font, colour: tuple[int, int, int], gap: float = 1.3
) -> tuple[int, Draw]:
    line_h = round(f.size * gap)

    def draw(img: Image.Image, d: ImageDraw.ImageDraw, y: int) -> None:
        for i, line in enumerate(lines):
            d.text((MARGIN, y + i * line_h), line, font=f, fill=colour)

    return line_h * len(lines), draw


class _PictureDraw:
    """Draws one photo centred; a class so that the layout can report where it went."""

    def __init__(self, picture: Image.Image) -> None:
        self.picture = picture

    def __call__(self, img: Image.Image, d: ImageDraw.ImageDraw, y: int) -> None:
        img.paste(self.picture, ((img.width - self.picture.width) // 2, y))


def _picture(pic: Image.Image) -> tuple[int, Draw]:
    return pic.height, _PictureDraw(pic)


def _legend_row(entry: LegendEntry, width: int) -> tuple[int, Draw]:
    radius = 20
    indent = 2 * radius + 28
    head_f, detail_f = font(26, bold=True), font(22)
    heading = fit(entry.heading, head_f, width - indent)
    details = wrap(entry.details, detail_f, width - indent)[:3]
    detail_colour = MUTED if entry.available else UNAVAILABLE_INK
    height = 34 + len(details) * 30 + 18

    def draw(img: Image.Image, d: ImageDraw.ImageDraw, y: int) -> None:
        draw_marker(img, MARGIN + radius + 4, y + 18, entry.number, radius)
        d.text((MARGIN + indent, y), heading, font=head_f, fill=INK)
        for i, line in enumerate(details):
            d.text((MARGIN + indent, y + 36 + i * 30), line, font=detail_f, fill=detail_colour)

    return height, draw


def _disclosure(text: str, width: int) -> tuple[int, Draw]:
    f = font(22)
    pad = 20
    lines = wrap(text, f, width - 2 * pad)
    line_h = 30
    height = 2 * pad + line_h * len(lines)

    def draw(img: Image.Image, d: ImageDraw.ImageDraw, y: int) -> None:
        d.rounded_rectangle((MARGIN, y, MARGIN + width, y + height), radius=12, fill=NOTE_BOX)
        for i, line in enumerate(lines):
            d.text((MARGIN + pad, y + pad + i * line_h), line, font=f, fill=INK)

    return height, draw


@dataclass(frozen=True, slots=True)
class Rendered:
    """An export's picture and where each photo (or the board) sits in it, for tests and UIs."""

    image: Image.Image
    boxes: tuple[tuple[int, int, int, int], ...]  # (left, top, right, bottom) per picture


def _compose(
    title: str,
    caption: str,
    pictures: list[Image.Image],
    legend: tuple[LegendEntry, ...],
    disclosure: str,
    heading: str,
    width: int,
) -> Rendered:
    content = width - 2 * MARGIN
    blocks: list[tuple[int, Draw]] = []
    gaps: list[int] = []

    def add(block: tuple[int, Draw], gap_after: int) -> None:
        blocks.append(block)
        gaps.append(gap_after)

    title_f = font(44, bold=True)
    add(_text_block(wrap(title, title_f, content)[:3] or [""], title_f, INK, 1.25), 12)
    if caption.strip():
        caption_f = font(26)
        lines = [line for para in caption.splitlines() for line in wrap(para, caption_f, content)]
        add(_text_block(lines[:12], caption_f, MUTED, 1.4), 12)
    gaps[-1] = 36
    for pic in pictures:
        add(_picture(pic), 32)
    if legend:
        add(_text_block([heading], font(30, bold=True), INK), 20)
        for entry in legend:
            add(_legend_row(entry, content), 6)
        gaps[-1] = 28
    add(_disclosure(disclosure, content), 0)
    height = MARGIN * 2 + sum(h for h, _ in blocks) + sum(gaps)
    img = Image.new("RGB", (width, height), BACKGROUND)
    d = ImageDraw.Draw(img)
    y = MARGIN
    boxes: list[tuple[int, int, int, int]] = []
    for (h, draw), gap in zip(blocks, gaps, strict=True):
        draw(img, d, y)
        if isinstance(draw, _PictureDraw):
            left = (width - draw.picture.width) // 2
            boxes.append((left, y, left + draw.picture.width, y + h))
        y += h + gap
    return Rendered(img, tuple(boxes))


def look_image(sheet: LookSheet) -> Rendered:
    content = SHEET_WIDTH - 2 * MARGIN
    pictures = [marked_photo(p, content, MAX_PHOTO_HEIGHT) for p in sheet.photos]
    return _compose(
        sheet.title,
        sheet.caption,
        pictures,
        sheet.legend,
        sheet.disclosure,
        "In this look",
        SHEET_WIDTH,
    )


def board_image(sheet: BoardSheet) -> Rendered:
    pic = marked_board(sheet)
    width = max(SHEET_WIDTH, pic.width + 2 * MARGIN)
    return _compose(sheet.title, "", [pic], sheet.legend, sheet.disclosure, "On this board", width)


# -- writing -----------------------------------------------------------------------------------


def save_image(img: Image.Image, out: Path, fmt: str) -> None:
    """Write ``img`` as PNG or JPEG (sRGB, no metadata) atomically: temp file, then rename."""
    kind = "jpeg" if fmt.lower() == "jpg" else fmt.lower()
    if kind not in FORMATS:
        raise ValueError(f"unknown image format {fmt!r} (png or jpeg)")
    out = Path(out)
    if not out.parent.is_dir():
        raise MediaError("the folder does not exist", source=str(out.parent))
    sweep_beside(out)  # what an export to the same file that was killed left
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        rgb = img.convert("RGB")
        rgb.info = {}
        if kind == "png":
            rgb.save(tmp, "PNG", compress_level=6)
        else:
            rgb.save(tmp, "JPEG", quality=90, subsampling=0, optimize=True)
        os.replace(tmp, out)
    except OSError as exc:
        raise DiskFullError.for_errno(exc.errno, out.parent) or MediaError(
            f"cannot write the export: {exc.strerror or exc}", source=str(out)
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)


def render_look(sheet: LookSheet, out: Path, fmt: Format | str) -> None:
    """The look as one picture: photos with numbered markers, the legend, the disclosure."""
    save_image(look_image(sheet).image, out, fmt)


def render_board(sheet: BoardSheet, out: Path, fmt: Format | str) -> None:
    """The board's collage with numbered markers on its products, the legend, the disclosure."""
    save_image(board_image(sheet).image, out, fmt)
