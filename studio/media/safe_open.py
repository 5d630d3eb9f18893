"""Open an untrusted image safely: a displayable, upright, first-frame picture or a MediaError.

Product images come from merchants' feeds and from the web, so every file is treated as
hostile. The rules, in the order they are applied:

1. **An allow-list of formats.** Only the plugins for JPEG (and MPO, which is a JPEG with a
   multi-picture index), PNG, WebP, GIF, HEIF/HEIC (through the pillow-heif plugin, registered
   here and nowhere else) and, when this Pillow was built with libavif, AVIF are ever asked to
   parse the bytes (``Image.open(..., formats=...)``), so a file that merely *claims* to be an
   image never reaches the EPS (Ghostscript), PSD or TIFF parsers. A file of another known
   format is refused as ``"format BMP is not allowed"``; HEIF is refused the same way when
   pillow-heif is not installed.
2. **A pixel cap** (:data:`MAX_PIXELS`, 100 megapixels) checked on the header before any pixel is
   decoded. Pillow's own ``DecompressionBombWarning`` is turned into an error while the header
   is parsed, so a "bomb" (a small file that declares a huge canvas) costs nothing.
3. **Truncated data is an error.** ``ImageFile.LOAD_TRUNCATED_IMAGES`` stays False: a
   half-downloaded file is refused rather than shown with a grey band.
4. **EXIF orientation is applied** (orientations 2-8 including the mirrored ones; 0, missing or
   garbage values mean upright), so callers always get pixels the right way up.
5. **The first frame** of an animation (GIF, APNG, animated WebP, MPO) is the picture.
6. **The result is RGB or RGBA** (alpha kept when the file has any: an alpha channel, a
   transparent palette entry or a tRNS colour key); CMYK is converted, 16-bit samples are scaled
   to 8 bits (Pillow would clip them), and the metadata (EXIF with GPS, IPTC, XMP) is dropped.

Junk bytes between JPEG markers (``junk_jpeg_header.jpg`` in the fixtures) are tolerated the
way libjpeg tolerates them: the image opens. Anything else Pillow raises while reading hostile
data is reported as ``"truncated or corrupt image"``.
"""

from __future__ import annotations

import io
import os
import re
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

import numpy as np
from PIL import Image, ImageFile, UnidentifiedImageError, features

from studio.media.errors import CORRUPT, NOT_AN_IMAGE, MediaError

Source = bytes | str | os.PathLike[str]

MAX_PIXELS = 100_000_000
"""The largest canvas accepted (width x height). A 12-megapixel photo is far below it; a
decompression bomb is far above it."""

# Pillow warns between 1x and 2x its limit and raises beyond; keeping its limit equal to ours
# means both checks agree, whichever runs first.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
ImageFile.LOAD_TRUNCATED_IMAGES = False


def _register_heif() -> bool:
    """Teach Pillow HEIF/HEIC through pillow-heif; False when the plugin is not installed."""
    try:
        import pillow_heif
    except ImportError:
        return False
    # AVIF stays with Pillow's own libavif plugin when it has one; pillow-heif only adds HEIF.
    pillow_heif.register_heif_opener()
    return "HEIF" in Image.OPEN


HEIF_AVAILABLE = _register_heif()

_BASE_FORMATS = ("JPEG", "MPO", "PNG", "WEBP", "GIF")
ALLOWED_FORMATS: frozenset[str] = frozenset(
    _BASE_FORMATS
    + (("AVIF",) if features.check("avif") else ())
    + (("HEIF",) if HEIF_AVAILABLE else ())
)
"""The Pillow format names that may be decoded on this machine."""

# The plugins Image.open may try: MPO files are recognised by the JPEG plugin's factory.
_OPEN_FORMATS = sorted(ALLOWED_FORMATS - {"MPO"})

# warnings.catch_warnings() swaps process-wide state, so two threads using it at once could
# restore each other's filters; the lock makes our header parsing (cheap) one at a time.
_WARNINGS_LOCK = threading.Lock()

# The transposition that makes each EXIF orientation upright.
TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_EXIF_ORIENTATION = 0x0112

_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}


def describe(source: Source) -> str:
    """How a source is named in errors: its path, or ``<N bytes>`` for data in memory."""
    if isinstance(source, bytes):
        return f"<{len(source)} bytes>"
    return os.fspath(source)


def sniff_format(head: bytes) -> str | None:
    """The image format the first bytes announce, whether or not it is allowed here.

    Used only to word the error for a file Pillow's allowed plugins refused: a PNG signature
    followed by garbage is a *corrupt PNG*, ``BM`` is a *BMP we do not accept*, a text file is
    *not an image*.
    """
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _AVIF_BRANDS:
            return "AVIF"
        if brand in _HEIF_BRANDS:
            return "HEIF"
    for magic, name in (
        (b"BM", "BMP"),
        (b"II*\x00", "TIFF"),
        (b"MM\x00*", "TIFF"),
        (b"8BPS", "PSD"),
        (b"%!PS", "EPS"),
        (b"\xc5\xd0\xd3\xc6", "EPS"),
        (b"\x00\x00\x01\x00", "ICO"),
        (b"\x00\x00\x00\x0cjP  ", "JPEG2000"),
        (b"\xff\x4f\xff\x51", "JPEG2000"),
        (b"qoif", "QOI"),
        (b"icns", "ICNS"),
    ):
        if head.startswith(magic):
            return name
    return None


def open_image(
    source: Source, *, max_pixels: int = MAX_PIXELS, draft_size: int | None = None
) -> Image.Image:
    """Decode ``source`` under the rules of this module into an upright RGB or RGBA image.

    ``draft_size`` lets a JPEG decode at a reduced scale (1/2, 1/4 or 1/8) as long as both sides
    stay at least that many pixels: a thumbnail of a 12-megapixel photo then costs a fraction
    of a full decode. Raises :class:`MediaError` and nothing else for bad input.
    """
    label = describe(source)
    try:
        with open_stream(source, label) as fp:
            img = identify(fp, label, max_pixels)
            if draft_size is not None and img.format in ("JPEG", "MPO"):
                img.draft("RGB", (draft_size, draft_size))
            img.load()
            orientation = orientation_of(img)
            out = to_display_mode(img)
        transpose = TRANSPOSE.get(orientation)
        if transpose is not None:
            out = out.transpose(transpose)
        # Nothing of the source's metadata travels on: EXIF (GPS!), IPTC, XMP, comments.
        out.info = {}
        return out
    except MediaError:
        raise
    except MemoryError as exc:
        raise MediaError("image too large to decode in memory", source=label) from exc
    except Exception as exc:  # Pillow's decoders raise many types on hostile data
        raise MediaError(CORRUPT, source=label) from exc


def image_size(source: Source, *, max_pixels: int = MAX_PIXELS) -> tuple[int, int]:
    """The upright (width, height) from the header alone, after the same safety checks."""
    label = describe(source)
    try:
        with open_stream(source, label) as fp:
            img = identify(fp, label, max_pixels)
            w, h = img.size
            return (h, w) if orientation_of(img) in (5, 6, 7, 8) else (w, h)
    except MediaError:
        raise
    except Exception as exc:
        raise MediaError(CORRUPT, source=label) from exc


@contextmanager
def open_stream(source: Source, label: str) -> Iterator[IO[bytes]]:
    if isinstance(source, bytes):
        yield io.BytesIO(source)
        return
    try:
        fp = open(source, "rb")  # noqa: SIM115 - closed below, after Pillow is done with it
    except OSError as exc:
        raise MediaError(f"cannot read the file ({exc.strerror or exc})", source=label) from exc
    with fp:
        yield fp


def identify(fp: IO[bytes], label: str, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """Parse the header (no pixels yet) with the allowed plugins only; enforce the pixel cap."""
    head = fp.read(32)
    fp.seek(0)
    if not head:
        raise MediaError(f"{NOT_AN_IMAGE} (the file is empty)", source=label)
    try:
        with _WARNINGS_LOCK, warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(fp, formats=_OPEN_FORMATS)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise MediaError(_too_large_reason(str(exc), max_pixels), source=label) from exc
    except UnidentifiedImageError as exc:
        raise MediaError(_unidentified_reason(head), source=label) from exc
    if img.format not in ALLOWED_FORMATS:  # defensive: a plugin factory returned a subclass
        raise MediaError(f"format {img.format} is not allowed", source=label)
    width, height = img.size
    if width <= 0 or height <= 0:
        raise MediaError(CORRUPT, source=label)
    if width * height > max_pixels:
        raise MediaError(_too_large_reason(f"({width * height} pixels)", max_pixels), source=label)
    return img


def _unidentified_reason(head: bytes) -> str:
    sniffed = sniff_format(head)
    if sniffed is None:
        return NOT_AN_IMAGE
    if sniffed in ALLOWED_FORMATS:
        return CORRUPT
    return f"format {sniffed} is not allowed"


def _too_large_reason(message: str, max_pixels: int) -> str:
    limit = f"the limit is {max_pixels / 1e6:.3g}"
    found = re.search(r"\((\d+) pixels\)", message)
    if found is None:
        return f"image too large ({limit} megapixels)"
    return f"image too large ({int(found.group(1)) / 1e6:.3g} megapixels; {limit})"


def orientation_of(img: Image.Image) -> int:
    """The EXIF orientation, 1 (upright) when absent, invalid or unreadable."""
    try:
        value = img.getexif().get(_EXIF_ORIENTATION, 1)
    except Exception:  # a corrupt EXIF block must not cost the picture itself
        return 1
    return value if isinstance(value, int) and value in TRANSPOSE else 1


def to_display_mode(img: Image.Image) -> Image.Image:
    """RGB, or RGBA when the image has any transparency. Always a new, loaded image."""
    mode = img.mode
    if mode.startswith("I;16") or mode in ("I", "F"):
        return _wide_to_display(img)
    # "transparency" in info is a palette index (P), a grey level (L, 1) or an RGB colour key
    # (a PNG tRNS chunk): convert() turns each of them into a real alpha channel.
    has_alpha = mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in img.info
    target = "RGBA" if has_alpha else "RGB"
    return img.copy() if mode == target else img.convert(target)


def _wide_to_display(img: Image.Image) -> Image.Image:
    """16-bit (or 32-bit) grey scaled to 8 bits; Pillow's own conversion clips at 255."""
    samples = np.asarray(img).astype(np.float64)
    grey = Image.fromarray(np.clip(samples / 257.0, 0, 255).round().astype(np.uint8))
    key = img.info.get("transparency")
    if isinstance(key, int):
        alpha = Image.fromarray(np.where(samples == key, 0, 255).astype(np.uint8))
        return Image.merge("RGBA", (grey, grey, grey, alpha))
    return Image.merge("RGB", (grey, grey, grey))
