"""How the library encodes photos: the stored master and its derivatives (preview, thumbnail).

**The master** is what every other part of the studio reads (editor, exports, boards), so it
must be faithful, small enough to sync, and readable everywhere:

* an upright sRGB JPEG keeps its own compressed data with the metadata segments cut out
  (:func:`strip_jpeg`, below): no generation loss and no encoding time;
* any other opaque photo (rotated or colour-converted JPEG, WebP, HEIF, AVIF) is re-encoded as
  JPEG quality 92 with 4:2:0 chroma: visually lossless for photographs at roughly a third of
  the bytes of quality 100, and every viewer, browser and export path reads JPEG;
* a picture with alpha is PNG (JPEG has no alpha), and so is an opaque picture from a lossless
  source (PNG, GIF): those are mostly graphics, logos and flat product cut-outs, where JPEG
  would add ringing around hard edges. Level 6 zlib: the usual size/speed balance.

**Derivatives** are caches for the screen: a preview whose long side is at most 2560 px and a
thumbnail of at most 512 px, JPEG quality 85 (PNG when the master has alpha). They are written
atomically but not fsynced: a lost derivative is simply made again from the master.

**Stripping a JPEG losslessly** (:func:`strip_jpeg`). An upright sRGB JPEG does not need to be
decoded and re-encoded to lose its private metadata: EXIF (with GPS and serial numbers), XMP,
IPTC/Photoshop blocks, ICC profiles, maker notes and comments all live in APPn and COM segments
beside the entropy-coded image data. The marker stream is rewritten keeping only what a decoder
needs (quantisation and Huffman tables, frame and scan headers, restart intervals, the Adobe
colour-transform flag) and a bare JFIF header, and it stops at the primary picture's EOI, so
anything appended after it (the second picture of an MPO, an Ultra HDR gain map, a trailer some
phone wrote) is dropped too.

The result decodes to exactly the same pixels (no generation loss) and costs a few milliseconds
instead of ~30 ms of encoding per 12 megapixels. Anything unusual (junk between markers, a
truncated segment, a marker it does not know) returns None and the caller re-encodes instead.

**A master already clean** (:func:`clean_master_size`): what an archive brings back is, when
the studio wrote it, exactly what the pipeline would store for it again - a JPEG that
:func:`strip_jpeg` leaves unchanged (bare JFIF header, no metadata segment, nothing after
its end, 8-bit grey or colour, Huffman-coded), or a PNG as the pipeline writes it (8-bit RGB
or RGBA, only image data, every chunk's CRC right, nothing after its end) - within the pixel
cap. It is recognised from its structure alone, without decoding (a twentieth of the cost),
so an archive's own photos keep their bytes and their names; anything else goes through the
whole pipeline.
"""

from __future__ import annotations

import io
import re
import struct
import zlib

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from studio.media.normalize import Normalized
from studio.media.safe_open import MAX_PIXELS

PREVIEW_PX = 2560
THUMBNAIL_PX = 512
MASTER_JPEG_QUALITY = 92
DERIVED_JPEG_QUALITY = 85
MASTER_EXTS = (".jpg", ".png")
_LOSSLESS_SOURCES = frozenset({"PNG", "GIF"})


def encode_master(norm: Normalized, img: Image.Image, source: bytes) -> tuple[bytes, str]:
    """The master's bytes and suffix for ``img``, the upright ``norm`` decoded from ``source``."""
    if norm.keep_jpeg:
        stripped = strip_jpeg(source)
        if stripped is not None:
            return stripped, ".jpg"
    if norm.has_alpha or norm.format in _LOSSLESS_SOURCES:
        return _png(img, compress_level=6), ".png"
    return _jpeg(img, MASTER_JPEG_QUALITY), ".jpg"


def fit(img: Image.Image, max_px: int) -> Image.Image:
    """``img`` scaled so its long side is at most ``max_px`` (never enlarged; maybe ``img``)."""
    width, height = img.size
    if max(width, height) <= max_px:
        return img
    scale = max_px / max(width, height)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    # Bicubic, as browsers scale: at the ~1.6x reduction of a 12 MP photo to 2560 px it looks
    # the same as Lanczos on screen and costs ~90 ms instead of ~125 ms. reducing_gap: a cheap
    # integer box reduction first for big factors (the thumbnail), bicubic for the last <= 2x.
    return img.resize(size, Image.Resampling.BICUBIC, reducing_gap=2.0)


def render_derivatives(
    img: Image.Image, transpose: Image.Transpose | None = None
) -> dict[str, tuple[bytes, str]]:
    """The encoded preview and thumbnail of a picture, upright once ``transpose``d.

    Scaling first and turning the 5 MP preview costs a third of turning the 12 MP picture.
    """
    preview = fit(img, PREVIEW_PX)
    if transpose is not None:
        preview = preview.transpose(transpose)
    # The thumbnail is made from the preview: a 5 MP source instead of 12 MP, same look.
    thumb = fit(preview, THUMBNAIL_PX)
    return {"preview": encode_derivative(preview), "thumb": encode_derivative(thumb)}


def encode_derivative(img: Image.Image) -> tuple[bytes, str]:
    """A derivative's bytes and suffix: JPEG, or PNG (fast zlib level) when there is alpha."""
    if img.mode in ("RGBA", "LA", "PA"):
        return _png(img, compress_level=1), ".png"
    return _jpeg(img, DERIVED_JPEG_QUALITY), ".jpg"


def _jpeg(img: Image.Image, quality: int) -> bytes:
    if img.mode not in ("RGB", "L"):
        img = img.convert("RGB")
    buf = io.BytesIO()
    # No exif/icc_profile/dpi arguments and an emptied info: the file carries no metadata.
    img.save(buf, "JPEG", quality=quality, subsampling="4:2:0", optimize=False)
    return buf.getvalue()


def _png(img: Image.Image, *, compress_level: int) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG", compress_level=compress_level)
    return buf.getvalue()


# ---- lossless metadata removal for JPEG ----


_SOI = b"\xff\xd8"
_EOI = 0xD9
_SOS = 0xDA
_APP0 = 0xE0
_APP14 = 0xEE
_COM = 0xFE
# Markers that carry no length field: RSTn and TEM.
_STANDALONE = frozenset(range(0xD0, 0xD8)) | {0x01}
# Segments a decoder needs, besides SOS and the APP0/APP14 headers handled below:
# SOF0-SOF15 (minus DHT C4, JPG C8 and DAC CC, listed separately), DHT, DAC, DQT, DNL, DRI,
# DHP, EXP.
_KEPT = frozenset(range(0xC0, 0xD0)) | {0xDB, 0xDC, 0xDD, 0xDE, 0xDF}
# The end of entropy-coded data: an 0xFF followed by anything but a stuffed zero, a restart
# marker or another (fill) 0xFF.
_NEXT_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")


def strip_jpeg(data: bytes) -> bytes | None:
    """``data`` with every APPn/COM segment (and anything after EOI) removed, or None.

    The JFIF header, when there is one, is kept with its pixel density but without its embedded
    thumbnail; an Adobe APP14 segment is kept because it says whether the three channels are
    YCbCr or RGB (and CMYK or YCCK). None means "not a JPEG this function is sure about".
    """
    if not data.startswith(_SOI):
        return None
    out = [_SOI]
    pos, size = 2, len(data)
    while pos + 1 < size:
        if data[pos] != 0xFF:
            return None  # junk between segments: let the decoder-based path deal with it
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte before a marker
            pos += 1
            continue
        if marker == _EOI:
            out.append(b"\xff\xd9")
            return b"".join(out)
        if marker in _STANDALONE:
            out.append(data[pos : pos + 2])
            pos += 2
            continue
        if pos + 4 > size:
            return None
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        end = pos + 2 + length
        if length < 2 or end > size:
            return None
        segment = data[pos:end]
        if marker == _APP0:
            out.append(_bare_jfif(segment))
        elif marker == _APP14:
            if segment[4:9] == b"Adobe":
                out.append(segment)
        elif 0xE1 <= marker <= 0xEF or marker == _COM:
            pass  # EXIF, XMP, ICC, MPF, IPTC, maker notes, comments: all dropped
        elif marker == _SOS or marker in _KEPT:
            out.append(segment)
        else:
            return None  # a marker we do not know: do not guess
        pos = end
        if marker == _SOS:
            found = _NEXT_MARKER.search(data, pos)
            if found is None:
                return None  # no EOI: truncated
            out.append(data[pos : found.start()])
            pos = found.start()
    return None


def _bare_jfif(segment: bytes) -> bytes:
    """A JFIF APP0 header without its thumbnail; other APP0 kinds (JFXX, AVI1) become nothing."""
    if segment[4:9] != b"JFIF\x00" or len(segment) < 16:
        return b""
    # length 16, "JFIF\0", version (2), density unit (1), x/y density (4), no thumbnail (0x0).
    return b"\xff\xe0\x00\x10" + segment[4:16] + b"\x00\x00"


# ---- recognising a clean master ----

Buffer = bytes | memoryview
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_CHUNK = struct.Struct(">I4s")
_CLEAN_SOF = frozenset({0xC0, 0xC1, 0xC2})  # baseline, extended, progressive: Huffman-coded
_CLEAN_TABLES = frozenset({0xC4, 0xDB, 0xDD})  # DHT, DQT, DRI


def clean_master_size(data: Buffer, ext: str) -> tuple[int, int] | None:
    """The (width, height) of ``data`` when it is already a clean master of type ``ext``
    (see the module doc), else None: the caller then runs the whole pipeline."""
    if ext == ".jpg":
        return _clean_jpeg_size(data)
    if ext == ".png":
        return _clean_png_size(data)
    return None


def _within_cap(width: int, height: int) -> tuple[int, int] | None:
    return (width, height) if 0 < width * height <= MAX_PIXELS else None


def _clean_jpeg_size(data: Buffer) -> tuple[int, int] | None:
    """:func:`strip_jpeg`'s walk, answering "would it change anything?" without copying."""
    if bytes(data[:2]) != _SOI:
        return None
    pos, size = 2, len(data)
    found_size: tuple[int, int] | None = None
    markers: NDArray[np.intp] | None = None
    while pos + 2 <= size:
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == _EOI:
            return found_size if pos + 2 == size else None  # nothing may follow it
        if marker in _STANDALONE:
            pos += 2
            continue
        if pos + 4 > size:
            return None
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        end = pos + 2 + length
        if length < 2 or end > size:
            return None
        if marker == _APP0:
            segment = bytes(data[pos:end])
            if segment != _bare_jfif(segment):
                return None
        elif marker == _APP14:
            if bytes(data[pos + 4 : pos + 9]) != b"Adobe":
                return None
        elif marker in _CLEAN_SOF:
            if length < 8 or data[pos + 4] != 8 or data[pos + 9] not in (1, 3):
                return None  # 12-bit samples, CMYK/YCCK: the pipeline converts them
            height = int.from_bytes(data[pos + 5 : pos + 7], "big")
            width = int.from_bytes(data[pos + 7 : pos + 9], "big")
            found_size = _within_cap(width, height)
            if found_size is None:
                return None
        elif marker != _SOS and marker not in _CLEAN_TABLES:
            return None  # a metadata segment, a comment, an unusual coding
        pos = end
        if marker == _SOS:
            if found_size is None:
                return None
            if markers is None and _stuffed_to_eoi(data, pos):
                return found_size  # one scan, then the EOI that ends the file
            if markers is None:
                markers = _marker_positions(data)
            at = int(np.searchsorted(markers, pos))
            if at == len(markers):
                return None  # no end: truncated
            pos = int(markers[at])
    return None


def _stuffed_to_eoi(data: Buffer, pos: int) -> bool:
    """Whether the entropy-coded data from ``pos`` runs to an EOI ending the file with no
    marker in between: every 0xFF before the EOI is a stuffed 0xFF 0x00. That is the usual
    master (one scan, no restart markers), and it is answered in three vectorised passes
    that allocate little (counts, not positions): the 0xFFs, and the 0xFF 0x00 pairs at even
    and at odd offsets, read as little-endian 16-bit words equal to 0x00FF. The two counts
    are equal exactly when each 0xFF is followed by a zero (two such pairs cannot overlap).
    False is not a verdict: the caller then finds the markers one by one, as for a
    progressive JPEG or one with restart markers."""
    size = len(data)
    if size - pos < 2 or data[size - 2] != 0xFF or data[size - 1] != _EOI:
        return False
    span = size - 2 - pos  # the entropy-coded bytes, EOI excluded
    arr = np.frombuffer(data, dtype=np.uint8, count=span, offset=pos)
    fills = int(np.count_nonzero(arr == 0xFF))
    if fills == 0:
        return True
    even = np.frombuffer(data, dtype="<u2", count=span // 2, offset=pos)
    odd = np.frombuffer(data, dtype="<u2", count=(span - 1) // 2, offset=pos + 1)
    stuffed = int(np.count_nonzero(even == 0x00FF)) + int(np.count_nonzero(odd == 0x00FF))
    return stuffed == fills


def _marker_positions(data: Buffer) -> NDArray[np.intp]:
    """Where the markers are: every 0xFF followed by anything but a stuffed zero, a restart
    marker or another 0xFF (``_NEXT_MARKER``'s rule), found by numpy - about twice as fast
    as the regular expression, and without holding the GIL, so the other threads of an
    archive import (hashing, the records' checks) go on meanwhile."""
    arr = np.frombuffer(data, dtype=np.uint8)
    ff = np.flatnonzero(arr[:-1] == 0xFF)
    after = arr[ff + 1]
    found: NDArray[np.intp] = ff[
        (after != 0x00) & (after != 0xFF) & ((after < 0xD0) | (after > 0xD7))
    ]
    return found


def _clean_png_size(data: Buffer) -> tuple[int, int] | None:
    """An 8-bit RGB/RGBA PNG of IHDR, IDAT chunks and IEND only, each CRC right."""
    if bytes(data[:8]) != _PNG_SIGNATURE:
        return None
    pos, size = 8, len(data)
    found_size: tuple[int, int] | None = None
    expected = b"IHDR"
    while pos + 12 <= size:
        length, kind = _PNG_CHUNK.unpack_from(data, pos)
        end = pos + 12 + length
        if end > size or kind not in (expected, b"IDAT", b"IEND"):
            return None
        body = data[pos + 8 : pos + 8 + length]
        crc = int.from_bytes(data[end - 4 : end], "big")
        if zlib.crc32(data[pos + 4 : pos + 8 + length]) != crc:
            return None
        if kind == b"IHDR":
            if pos != 8 or length != 13:
                return None
            width, height, depth, colour, compression, filtering, interlace = struct.unpack(
                ">IIBBBBB", body
            )
            if (depth, compression, filtering, interlace) != (8, 0, 0, 0) or colour not in (2, 6):
                return None
            found_size = _within_cap(width, height)
            if found_size is None:
                return None
            expected = b"IDAT"
        elif found_size is None:
            return None
        elif kind == b"IEND":
            return found_size if length == 0 and end == size else None
        pos = end
    return None
