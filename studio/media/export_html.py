"""Export a look or a board as ONE self-contained, responsive HTML page with shoppable markers.

The page works from a USB stick, an e-mail attachment or any static host: the photos are
embedded as ``data:`` URIs, the CSS is inline, nothing is fetched and no JavaScript is needed.
Each numbered marker sits over its item in percent of the picture, so it stays on the item at
any screen width; markers and legend lines link to the product - the merchant's plain link,
``rel="noopener"`` (``rel="sponsored noopener"`` for a brand that pays the curator, as search
engines ask of paid links) - and the disclosure, saying what the links are and naming any
brand that pays the curator (``studio.core.sharing.links_disclosure``), sits just above them,
once per page (above the first marker, so no link comes before it; the legend below it is not
prefaced by the same words again).

Everything that came from a user or a merchant feed is HTML-escaped, and only http(s) links
become links: a feed's ``javascript:`` URL is shown as nothing rather than run.
"""

from __future__ import annotations

import base64
import io
import os
from html import escape
from pathlib import Path

from PIL import Image

from studio.core.errors import DiskFullError
from studio.core.sharing import (
    BoardSheet,
    LegendEntry,
    LookSheet,
    SheetMarker,
    board_marker_point,
    safe_link,
)
from studio.media.errors import MediaError
from studio.media.export import board_canvas, render_board, render_look, shown_photo
from studio.media.export_draw import marker_radius
from studio.media.library import MediaLibrary
from studio.media.safe_open import open_image
from studio.media.staging import sweep_beside

# Long side of an embedded photo: sharp on a 4K screen at full width, a few hundred KB each.
EMBED_MAX = 2048
JPEG_QUALITY = 85

_CSS = """
*{box-sizing:border-box}
body{margin:0;background:#fff;color:#1d1d1f;font:16px/1.5 system-ui,-apple-system,"Segoe UI",
Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1100px;margin:0 auto;padding:24px 16px 48px}
h1{font-size:clamp(1.5rem,4vw,2.4rem);line-height:1.2;margin:0 0 .4em}
h2{font-size:1.25rem;margin:1.5em 0 .5em}
.caption{color:#55555a;white-space:pre-line;margin:0 0 1em}
.disclosure{background:#f4f4f6;border-radius:10px;padding:.8em 1em;font-size:.92rem;margin:1em 0}
figure{margin:0 0 24px}
.frame{position:relative;margin:0 auto;max-width:100%}
.frame img{display:block;width:100%;height:auto;border-radius:4px}
.marker{position:absolute;transform:translate(-50%,-50%);display:flex;align-items:center;
justify-content:center;width:2.1em;height:2.1em;border-radius:50%;background:#d9480f;
color:#fff;font-weight:700;font-size:clamp(11px,2.2vw,16px);text-decoration:none;
border:2px solid #fff;box-shadow:0 0 0 1px rgba(0,0,0,.55),0 1px 4px rgba(0,0,0,.35)}
a.marker:hover,a.marker:focus{background:#a8380b;outline:3px solid #1d1d1f;outline-offset:1px}
ol.legend{list-style:none;padding:0;margin:0}
ol.legend li{display:flex;gap:.75em;align-items:flex-start;padding:.6em 0;
border-top:1px solid #e2e2e6}
.num{flex:none;display:inline-flex;align-items:center;justify-content:center;width:1.9em;
height:1.9em;border-radius:50%;background:#d9480f;color:#fff;font-weight:700;font-size:.85rem}
.item a{color:inherit}
.title{font-weight:600}
.details{display:block;color:#6c6c72;font-size:.92rem}
.gone .details{color:#b02a2a}
"""


def data_uri(img: Image.Image) -> str:
    """The picture as a JPEG ``data:`` URI (metadata-free)."""
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def stored_image_uri(
    library: MediaLibrary, media_hash: str | None, max_side: int = 2400
) -> str | None:
    """A photo of the library as a JPEG data URI at most ``max_side`` px (None when absent):
    a shop's banner in its self-contained page."""
    if media_hash is None or not library.has(media_hash):
        return None
    shown = open_image(library.path(media_hash))
    shown.thumbnail((max_side, max_side))
    return data_uri(shown)


def _attr(text: str) -> str:
    return escape(text, quote=True)


def _pct(value: float) -> str:
    return f"{min(max(value, 0.0), 1.0) * 100:.3f}%"


def _rel(entry: LegendEntry | None) -> str:
    return "sponsored noopener" if entry is not None and entry.paid_by else "noopener"


def _marker(marker: SheetMarker, entry: LegendEntry | None) -> str:
    style = f"left:{_pct(marker.x)};top:{_pct(marker.y)}"
    link = safe_link(entry.link) if entry else None
    label = f"{marker.number}: {entry.heading}" if entry else str(marker.number)
    if link is None:
        return (
            f'<span class="marker" style="{style}" role="img" '
            f'aria-label="{_attr(label)}">{marker.number}</span>'
        )
    return (
        f'<a class="marker" style="{style}" href="{_attr(link)}" rel="{_rel(entry)}" '
        f'target="_blank" aria-label="{_attr(label)}">{marker.number}</a>'
    )


def _figure(
    img: Image.Image, alt: str, markers: list[SheetMarker], entries: dict[int, LegendEntry]
) -> str:
    # Portrait photos stay within the viewport's height; the frame keeps the photo's shape so
    # percentages over it land on the same pixel at every size.
    ratio = img.width / img.height
    style = f"width:min(100%,{86 * ratio:.2f}vh);aspect-ratio:{img.width}/{img.height}"
    spots = "".join(_marker(m, entries.get(m.number)) for m in markers)
    return (
        f'<figure><div class="frame" style="{style}"><img src="{data_uri(img)}" '
        f'alt="{_attr(alt)}" width="{img.width}" height="{img.height}">{spots}</div>'
        "</figure>\n"
    )


def _legend(entries: tuple[LegendEntry, ...], heading: str) -> str:
    rows = []
    for e in entries:
        link = safe_link(e.link)
        title = f'<span class="title">{escape(e.heading)}</span>'
        if link is not None:
            title = f'<a href="{_attr(link)}" rel="{_rel(e)}" target="_blank">{title}</a>'
        css = "item" if e.available else "item gone"
        rows.append(
            f'<li class="{css}"><span class="num" aria-hidden="true">{e.number}</span>'
            f'<span>{title}<span class="details">{escape(e.details)}</span></span></li>'
        )
    return (
        f'<section aria-labelledby="legend"><h2 id="legend">{escape(heading)}</h2>\n'
        f'<ol class="legend">\n' + "\n".join(rows) + "\n</ol></section>\n"
    )


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
        f"{body}</main>\n</body>\n</html>\n"
    )


def _write(text: str, out: Path) -> None:
    out = Path(out)
    if not out.parent.is_dir():
        raise MediaError("the folder does not exist", source=str(out.parent))
    sweep_beside(out)  # what an export to the same file that was killed left
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, out)
    except OSError as exc:
        raise DiskFullError.for_errno(exc.errno, out.parent) or MediaError(
            f"cannot write the export: {exc.strerror or exc}", source=str(out)
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)


def look_page(sheet: LookSheet) -> str:
    """The look's page as text (``look_html`` writes it)."""
    entries = {e.number: e for e in sheet.legend}
    parts = [f"<h1>{escape(sheet.title)}</h1>\n"]
    if sheet.caption.strip():
        parts.append(f'<p class="caption">{escape(sheet.caption)}</p>\n')
    # Above the first shoppable marker, so no link comes before the disclosure.
    parts.append(f'<p class="disclosure" role="note">{escape(sheet.disclosure)}</p>\n')
    for i, photo in enumerate(sheet.photos, start=1):
        img = shown_photo(photo, EMBED_MAX, EMBED_MAX)
        alt = photo.alt_text or f"Photo {i} of {len(sheet.photos)}: {sheet.title}"
        parts.append(_figure(img, alt, list(photo.markers), entries))
    if sheet.legend:
        parts.append(_legend(sheet.legend, "In this look"))
    return _page(sheet.title, "".join(parts))


def board_page(sheet: BoardSheet) -> str:
    """The board's page as text (``board_html`` writes it)."""
    board = sheet.board.board
    scale = min(1.0, EMBED_MAX / max(board.width, board.height, 1))
    img = board_canvas(sheet, scale)
    radius = marker_radius(*img.size) / scale
    markers = []
    for item in sheet.board.items:
        number = sheet.numbers.get(item.id)
        if number is not None:
            x, y = board_marker_point(item, radius)
            markers.append(SheetMarker(number, x / board.width, y / board.height))
    markers.sort(key=lambda m: m.number)
    texts = [i.text.strip() for i in sheet.board.items if i.text.strip()]
    alt = f"Collage: {sheet.title}" + (f" ({'; '.join(texts)})" if texts else "")
    entries = {e.number: e for e in sheet.legend}
    body = (
        f"<h1>{escape(sheet.title)}</h1>\n"
        f'<p class="disclosure" role="note">{escape(sheet.disclosure)}</p>\n'
        + _figure(img, alt, markers, entries)
        + (_legend(sheet.legend, "On this board") if sheet.legend else "")
    )
    return _page(sheet.title, body)


def look_html(sheet: LookSheet, out: Path) -> None:
    """Write the look as one self-contained HTML file (atomically)."""
    _write(look_page(sheet), out)


def board_html(sheet: BoardSheet, out: Path) -> None:
    """Write the board as one self-contained HTML file (atomically)."""
    _write(board_page(sheet), out)


def write_sheet(sheet: LookSheet | BoardSheet, out: Path, fmt: str) -> None:
    """Write a look's or a board's sheet as ``fmt``: "html" (this module's page) or "png" /
    "jpeg" (``studio.media.export``'s picture). The CLI and the desktop both export this way."""
    if isinstance(sheet, BoardSheet):
        if fmt == "html":
            board_html(sheet, out)
        else:
            render_board(sheet, out, fmt)
    elif fmt == "html":
        look_html(sheet, out)
    else:
        render_look(sheet, out, fmt)
