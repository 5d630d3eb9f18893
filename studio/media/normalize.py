"""Turn an untrusted photo into the library's canonical picture: upright, sRGB, 8-bit, no metadata.

:func:`normalize` decodes with the rules of :mod:`studio.media.safe_open` (allow-list, pixel
cap, truncation is an error, first frame) and then records, for the user, what it did:

* **orientation** - the EXIF orientation that was applied to the pixels (1 = none; 0 and other
  invalid values count as upright). PNGs written by ImageMagick carry their EXIF in a
  ``Raw profile type exif`` text chunk; Pillow reads it and so do we: its orientation is applied
  like any other (ImageMagick itself, exiftool and Pillow agree; browsers ignore that chunk, but a
  curator who rotated the photo in a tool that wrote it expects the rotation kept). HEIF pictures
  are rotated by libheif while decoding; the orientation it applied is reported.
* **removed** - the private metadata found, all of which is dropped: EXIF, its GPS position,
  camera/lens serial numbers, owner/artist names, IPTC (Photoshop blocks), XMP, comments and
  free text chunks.
* **converted** - colour and depth changes: CMYK/YCCK to sRGB, an embedded ICC profile to sRGB
  (PIL.ImageCms; an sRGB profile needs nothing), 16-bit (or 10/12-bit HEIF) samples scaled to 8,
  the first frame of an animation.

Alpha is kept whenever the source declares it (an alpha channel, a transparent palette entry, a
tRNS colour key), even if every pixel happens to be opaque: the format said so.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import IO

from PIL import Image, ImageCms

from studio.media.safe_open import (
    MAX_PIXELS,
    TRANSPOSE,
    identify,
    orientation_of,
    to_display_mode,
)

# EXIF tags (IFD0 and the Exif sub-IFD) that identify a person or a device.
_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825
_SERIAL_TAGS = (0xA431, 0xA435, 0xC62F)  # BodySerialNumber, LensSerialNumber, CameraSerialNumber
_OWNER_TAGS = (0xA430, 0x013B)  # CameraOwnerName, Artist
_IPTC_RESOURCE = 0x0404  # the IPTC block inside a Photoshop image resource segment
_RAW_PROFILES = {
    "Raw profile type exif": "EXIF",
    "Raw profile type APP1": "EXIF",
    "Raw profile type iptc": "IPTC",
    "Raw profile type 8bim": "IPTC",
    "Raw profile type xmp": "XMP",
    "XML:com.adobe.xmp": "XMP",
}
# Keys Pillow puts in ``info`` that describe the encoding, not the people in or behind it.
_TECHNICAL = frozenset(
    {
        "jfif",
        "jfif_version",
        "jfif_unit",
        "jfif_density",
        "dpi",
        "adobe",
        "adobe_transform",
        "progressive",
        "progression",
        "icc_profile",
        "exif",
        "xmp",
        "photoshop",
        "comment",
        "mp",
        "mpoffset",
        "gamma",
        "chromaticity",
        "srgb",
        "transparency",
        "background",
        "loop",
        "duration",
        "version",
        "extension",
        "aspect",
        "interlace",
        "default_image",
        "disposal",
        "blend",
        "timestamp",
        "bit_depth",
        "primary",
        "metadata",
        "thumbnails",
        "depth_images",
        "aux",
        "chroma",
        "nclx_profile",
        "original_orientation",
        "compression",
        "icc_profile_name",
        "exif_offset",
        "flashpix",
        "quality",
        "subsampling",
        "qtables",
        "huffman_ac",
        "huffman_dc",
    }
)

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@dataclass(frozen=True, slots=True)
class Normalized:
    image: Image.Image  # sRGB, 8-bit RGB or RGBA, info emptied; upright once ``transpose``d
    transpose: Image.Transpose | None  # still to apply (normalize(upright=False)), else None
    format: str
    orientation: int
    removed: tuple[str, ...]
    converted: tuple[str, ...]
    has_alpha: bool
    # The source is a JPEG whose compressed data can be kept as it is (upright, RGB or grey,
    # sRGB or no profile): the library strips its segments instead of re-encoding.
    keep_jpeg: bool


def normalize(
    fp: IO[bytes], label: str, *, max_pixels: int = MAX_PIXELS, upright: bool = True
) -> Normalized:
    """Decode ``fp`` (``label`` names it in errors) into the canonical picture.

    ``upright=False`` leaves the orientation's transpose to the caller (``Normalized.transpose``)
    so it can start on a preview, which is cheaper to turn, while the full picture is turned.
    Pillow's own exceptions escape from here; the caller turns them into MediaError (see
    :func:`studio.media.library.MediaLibrary.import_bytes`).
    """
    img = identify(fp, label, max_pixels)
    fmt = img.format or "unknown"
    converted: list[str] = []
    frames = getattr(img, "n_frames", 1)
    if frames > 1:
        what = "pictures" if fmt == "MPO" else "frames"
        converted.append(f"first of {frames} {what}")
    depth = _source_depth(img)
    if depth > 8:
        converted.append(f"{depth}-bit to 8-bit")
    img.load()  # a truncated file fails here; PNG text chunks after IDAT are read here
    removed = private_metadata(img)
    orientation = orientation_of(img)
    heif_turn = img.info.get("original_orientation")
    reported = heif_turn if fmt == "HEIF" and heif_turn in TRANSPOSE else orientation

    icc = img.info.get("icc_profile")
    keep_jpeg = (
        fmt in ("JPEG", "MPO")
        and img.mode in ("RGB", "L")
        and orientation == 1
        and (not icc or _is_srgb(icc))
    )
    out, colour_note = _to_srgb(img, icc if isinstance(icc, bytes) else None)
    if colour_note:
        converted.append(colour_note)
    transpose = TRANSPOSE.get(orientation)
    if transpose is not None and upright:
        out, transpose = out.transpose(transpose), None
    out.info = {}
    return Normalized(
        image=out,
        transpose=transpose,
        format=fmt,
        orientation=reported if reported in TRANSPOSE else 1,
        removed=removed,
        converted=tuple(converted),
        has_alpha=out.mode == "RGBA",
        keep_jpeg=keep_jpeg,
    )


def private_metadata(img: Image.Image) -> tuple[str, ...]:
    """What private metadata ``img`` (loaded) carries, in words a user reads."""
    found: list[str] = []
    info = img.info
    try:
        exif = img.getexif()
        sub = exif.get_ifd(_EXIF_IFD) if _EXIF_IFD in exif else {}
        gps = exif.get_ifd(_GPS_IFD) if _GPS_IFD in exif else {}
    except Exception:  # unreadable EXIF still counts as EXIF, removed all the same
        exif, sub, gps = Image.Exif(), {}, {}
    if len(exif) or info.get("exif") or "Raw profile type exif" in info:
        found.append("EXIF")
    if gps or _GPS_IFD in exif:
        found.append("GPS position")
    if any(tag in sub or tag in exif for tag in _SERIAL_TAGS):
        found.append("camera serial")
    if any(tag in sub or tag in exif for tag in _OWNER_TAGS):
        found.append("owner name")
    photoshop = info.get("photoshop")
    if isinstance(photoshop, dict) and _IPTC_RESOURCE in photoshop:
        found.append("IPTC")
    elif photoshop:
        found.append("Photoshop data")
    if info.get("xmp"):
        found.append("XMP")
    if info.get("comment"):
        found.append("comment")
    for key, value in info.items():
        if key in _RAW_PROFILES:
            found.append(_RAW_PROFILES[key])
        elif key not in _TECHNICAL and isinstance(value, str) and value:
            found.append("comment")  # a PNG tEXt/iTXt/zTXt chunk: free text of any kind
    boxes = info.get("metadata")  # pillow-heif: other metadata boxes (IPTC, ...)
    if isinstance(boxes, list) and boxes:
        found.append("other metadata")
    return tuple(dict.fromkeys(found))  # unique, first-seen order


def _source_depth(img: Image.Image) -> int:
    """Bits per sample of the source, from the undecoded tile (PNG) or the plugin's info."""
    depth = img.info.get("bit_depth")
    if isinstance(depth, int):
        return depth
    if img.mode.startswith("I;16") or img.mode in ("I", "F"):
        return 16
    tile = getattr(img, "tile", None) or []  # an ImageFile's undecoded layout
    rawmode = tile[0][3] if tile and len(tile[0]) > 3 else ""
    return 16 if isinstance(rawmode, str) and "16" in rawmode else 8


def _is_srgb(icc: object) -> bool:
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))  # type: ignore[arg-type]
        return "srgb" in ImageCms.getProfileDescription(profile).lower()
    except Exception:
        return False


def _to_srgb(img: Image.Image, icc: bytes | None) -> tuple[Image.Image, str | None]:
    """RGB or RGBA in sRGB, and the words for what was converted (None when nothing was)."""
    profile = None
    if icc:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        except Exception:  # a broken profile must not cost the photo: read it as sRGB
            profile = None
    space = profile.profile.xcolor_space.strip() if profile is not None else ""
    if img.mode == "CMYK":
        if profile is not None and space == "CMYK":
            try:
                return _transform(img, profile, "RGB"), "CMYK to sRGB (ICC profile)"
            except ImageCms.PyCMSError:
                pass
        return img.convert("RGB"), "CMYK to sRGB"
    if profile is None or _is_srgb(icc):
        return _display(img), None
    alpha = None
    base = img
    if img.mode in ("LA", "La", "RGBA", "RGBa", "PA") or "transparency" in img.info:
        display = to_display_mode(img)  # RGBA
        alpha = display.getchannel("A")
        base = display.convert("RGB") if space == "RGB" else display.convert("L")
    elif space == "GRAY" and img.mode != "L":
        base = to_display_mode(img).convert("L")
    elif space == "RGB" and img.mode != "RGB":
        base = to_display_mode(img)
    if (space, base.mode) not in (("RGB", "RGB"), ("GRAY", "L")):
        return _display(img), None  # a profile for another colour space than the pixels': ignored
    try:
        rgb = _transform(base, profile, "RGB")
    except ImageCms.PyCMSError:
        return _display(img), None
    if alpha is not None:
        rgb.putalpha(alpha)
    name = ImageCms.getProfileDescription(profile).strip() or "embedded"
    return rgb, f"ICC profile to sRGB ({name})"


def _display(img: Image.Image) -> Image.Image:
    """RGB or RGBA without a needless copy of an image that already is one."""
    if img.mode in ("RGB", "RGBA") and "transparency" not in img.info:
        return img
    return to_display_mode(img)


def _transform(img: Image.Image, profile: ImageCms.ImageCmsProfile, mode: str) -> Image.Image:
    out = ImageCms.profileToProfile(img, profile, _SRGB, outputMode=mode)
    assert out is not None  # inPlace=False always returns the new image
    return out
