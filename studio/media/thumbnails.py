"""Thumbnails for the catalog grid and the detail pane: small, upright, fast, written atomically.

The grid shows hundreds of product images while the user scrolls, decoded on worker threads
(never the UI thread). Speed comes from not decoding what is thrown away: a JPEG is decoded by
libjpeg at 1/2, 1/4 or 1/8 scale (``Image.draft``) as long as the result stays at least
the thumbnail size, then resampled with a Lanczos filter. What remains is libjpeg's entropy
decoding of the whole file, which no scale factor avoids: ``make bench`` measures a 12-megapixel
JPEG to a cached 256 px thumbnail at ~30/s per core here, a third faster than a bare full
decode of the same file (target 20/s).

Cached thumbnails are written to a temporary file next to the target and moved into place
with ``os.replace``, so a reader (another worker, the next run) never sees half a file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from PIL import Image

from studio.media.errors import MediaError
from studio.media.safe_open import MAX_PIXELS, Source, open_image

# libjpeg decodes at 1/2, 1/4 or 1/8 scale, the largest reduction that keeps both sides at
# least DRAFT_FACTOR x max_px. At 1/8 its scaled IDCT is an exact 8x8 box average, so decoding
# to >= max_px and finishing with Lanczos is the same "box first, Lanczos for the last factor
# of ~2" that Pillow's reducing_gap does, and it skips most of the IDCT work: measured on
# 12-megapixel photos, 1/8 decodes ~15% faster than 1/4 (entropy decoding is the floor).
DRAFT_FACTOR = 1

_SUFFIX_FORMATS = {".webp": "WEBP", ".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG"}


def make_thumbnail(source: Source, max_px: int, *, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """An RGB or RGBA image whose longest side is at most ``max_px``, aspect ratio kept.

    EXIF orientation is applied, animations give their first frame, metadata is dropped. An
    image already smaller than ``max_px`` is not enlarged. Raises :class:`MediaError` for
    anything that is not a safe, decodable image (see :mod:`studio.media.safe_open`).
    """
    if max_px < 1:
        raise ValueError(f"max_px must be positive, not {max_px}")
    img = open_image(source, max_pixels=max_pixels, draft_size=max_px * DRAFT_FACTOR)
    # reducing_gap lets Pillow shrink by an integer factor with a cheap box filter first and
    # finish with Lanczos from ~2x the final size: same look, much less work for big images.
    img.thumbnail((max_px, max_px), Image.Resampling.LANCZOS, reducing_gap=2.0)
    return img


def has_alpha(img: Image.Image) -> bool:
    return img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info


def save_thumbnail(img: Image.Image, path: str | os.PathLike[str], *, quality: int = 82) -> Path:
    """Write ``img`` atomically as WebP, JPEG or PNG (chosen by the suffix) and return the path.

    A ``.jpg``/``.jpeg`` target for an image with alpha is written as PNG next to it instead
    (``name.png``), because JPEG would flatten the transparency onto black; the returned path is
    the file actually written. WebP keeps alpha itself.
    """
    target = Path(path)
    fmt = _SUFFIX_FORMATS.get(target.suffix.lower())
    if fmt is None:
        raise ValueError(f"unsupported thumbnail type {target.suffix!r}: use .webp, .jpg or .png")
    if fmt == "JPEG" and has_alpha(img):
        target, fmt = target.with_suffix(".png"), "PNG"
    if fmt == "JPEG" and img.mode != "RGB":
        img = img.convert("RGB")
    options: dict[str, object] = {}
    if fmt == "WEBP":
        options = {"quality": quality, "method": 4}
    elif fmt == "JPEG":
        options = {"quality": quality, "optimize": True, "progressive": False}
    elif fmt == "PNG":
        # Level 1 writes a 256 px RGBA thumbnail in ~4 ms against ~18 ms at level 6, for
        # files ~20% bigger: right for a cache that is written while the user scrolls.
        options = {"optimize": False, "compress_level": 1}
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        # No fsync: a thumbnail is a cache entry that is rebuilt if a crash loses it; what
        # matters is that readers never see a partial file, which os.replace guarantees.
        with os.fdopen(fd, "wb") as fp:
            img.save(fp, format=fmt, **options)
        os.replace(tmp_name, target)
    except OSError as exc:
        _discard(tmp_name)
        raise MediaError(f"cannot write the thumbnail ({exc})", source=str(target)) from exc
    except BaseException:
        _discard(tmp_name)
        raise
    return target


def _discard(name: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(name)
