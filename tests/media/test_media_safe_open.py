"""studio.media.safe_open against every real image fixture and generated hostile files."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, features

from studio.core.errors import StudioError
from studio.media.errors import CORRUPT, NOT_AN_IMAGE, MediaError
from studio.media.safe_open import (
    ALLOWED_FORMATS,
    HEIF_AVAILABLE,
    MAX_PIXELS,
    image_size,
    open_image,
    sniff_format,
)


@pytest.fixture(scope="module")
def pillow_tests(fixtures_dir: Path) -> Path:
    return fixtures_dir / "images" / "pillow_tests"


# Each readable fixture: (file, expected output mode, expected upright size).
READABLE = [
    ("hopper.jpg", "RGB", (128, 128)),
    ("hopper.png", "RGB", (128, 128)),
    ("hopper.webp", "RGB", (128, 128)),
    ("hopper.gif", "RGB", (128, 128)),
    ("hopper_gray.jpg", "RGB", (128, 128)),
    ("hopper_16bit_qtables.jpg", "RGB", (128, 128)),
    ("app13-multiple.jpg", "RGB", (256, 160)),  # progressive, APP13 before APP0
    ("icc_profile_big.jpg", "RGB", (425, 250)),  # ICC profile split over 7 APP2 chunks
    ("iptc.jpg", "RGB", (640, 480)),
    ("flower.jpg", "RGB", (480, 360)),
    ("flower.webp", "RGB", (480, 360)),
    ("flower2.webp", "RGB", (300, 225)),
    ("exif_gps.jpg", "RGB", (8, 8)),
    ("exif_imagemagick_orientation.png", "RGB", (512, 512)),
    ("pil_sample_cmyk.jpg", "RGB", (100, 100)),
    ("pil_sample_rgb.jpg", "RGB", (100, 100)),
    ("sugarshack.mpo", "RGB", (640, 480)),  # multi-picture JPEG: the first picture
    ("transparent.png", "RGBA", (200, 150)),
    ("transparent.webp", "RGBA", (200, 150)),
    ("transparent.gif", "RGBA", (200, 150)),
    ("uncompressed_la.png", "RGBA", (128, 128)),
    ("rgb_trns.png", "RGBA", (64, 64)),  # tRNS colour key becomes real alpha
    ("1_trns.png", "RGBA", (64, 64)),
    ("i_trns.png", "RGBA", (64, 64)),  # 16-bit grey with a tRNS grey level
    ("apng_delay.png", "RGBA", (128, 64)),
    ("apng_mode_16bit.png", "RGBA", (128, 64)),
    ("chi.gif", "RGBA", (320, 240)),  # 31 frames: the first one
    ("dispose_bgnd.gif", "RGB", (100, 100)),
    ("iss634.webp", "RGBA", (245, 245)),  # animated WebP, 42 frames
    # libjpeg skips junk bytes between markers with a warning; Pillow opens the file, so do we.
    ("junk_jpeg_header.jpg", "RGB", (1024, 768)),
] + [
    (f"hopper_orientation_{n}.{ext}", "RGB", (128, 128))
    for n in range(2, 9)
    for ext in ("jpg", "webp")
]


@pytest.mark.parametrize(("name", "mode", "size"), READABLE)
def test_readable_fixture_opens_as_displayable(
    pillow_tests: Path, name: str, mode: str, size: tuple[int, int]
) -> None:
    img = open_image(pillow_tests / name)
    assert (img.mode, img.size) == (mode, size)
    assert img.info == {}, "metadata (EXIF with GPS, IPTC, ICC) must not travel on"


REFUSED = [
    ("broken.png", CORRUPT),  # PNG signature then garbage
    ("truncated_image.png", CORRUPT),
    ("truncated_jpeg.jpg", CORRUPT),
    ("ultrahdr.jpg", CORRUPT),  # declares 1512x2688 but carries 48 KB of a cut-down file
]


@pytest.mark.parametrize(("name", "reason"), REFUSED)
def test_broken_fixture_is_refused_with_reason(pillow_tests: Path, name: str, reason: str) -> None:
    with pytest.raises(MediaError) as caught:
        open_image(pillow_tests / name)
    assert caught.value.reason == reason
    assert caught.value.path == pillow_tests / name
    assert isinstance(caught.value, StudioError)


def test_every_image_fixture_has_an_expected_outcome(pillow_tests: Path) -> None:
    """A fixture added to ../shared later must be given an outcome here, not silently skipped."""
    covered = {name for name, *_ in READABLE} | {name for name, _ in REFUSED}
    covered |= {"hopper.avif", "hopper.heif"}
    present = {p.name for p in pillow_tests.iterdir() if p.suffix.lower() != ".txt"}
    assert present - covered == set()


def test_avif_follows_what_this_pillow_supports(pillow_tests: Path) -> None:
    if features.check("avif"):
        assert "AVIF" in ALLOWED_FORMATS
        assert open_image(pillow_tests / "hopper.avif").size == (128, 128)
    else:
        with pytest.raises(MediaError, match="format AVIF is not allowed"):
            open_image(pillow_tests / "hopper.avif")


def test_heif_follows_whether_pillow_heif_is_installed(pillow_tests: Path) -> None:
    if HEIF_AVAILABLE:
        assert "HEIF" in ALLOWED_FORMATS
        img = open_image(pillow_tests / "hopper.heif")
        assert (img.mode, img.size, img.info) == ("RGB", (128, 128), {})
        # The same picture as the JPEG (both are lossy encodes of hopper).
        reference = np.asarray(open_image(pillow_tests / "hopper.jpg"), dtype=float)
        assert np.abs(np.asarray(img, dtype=float) - reference).mean() < 12
    else:
        with pytest.raises(MediaError, match="format HEIF is not allowed"):
            open_image(pillow_tests / "hopper.heif")


def test_cmyk_is_converted_to_the_same_colours_as_its_rgb_twin(pillow_tests: Path) -> None:
    cmyk = np.asarray(open_image(pillow_tests / "pil_sample_cmyk.jpg"), dtype=float)
    rgb = np.asarray(open_image(pillow_tests / "pil_sample_rgb.jpg"), dtype=float)
    assert np.abs(cmyk - rgb).mean() < 12  # an inverted (Adobe) CMYK would be ~100 off


def test_sixteen_bit_samples_are_scaled_not_clipped(tmp_path: Path) -> None:
    ramp = (np.arange(64 * 64, dtype=np.uint32).reshape(64, 64) * 16).astype(np.uint16)
    path = tmp_path / "ramp16.png"
    Image.fromarray(ramp).save(path)
    assert Image.open(path).mode == "I;16"
    out = np.asarray(open_image(path))
    assert out.shape == (64, 64, 3)
    # Mid-grey in 16 bits (32768) must stay mid-grey, not clip to white as convert("L") does.
    assert 120 <= out[32, 0, 0] <= 136
    assert out[0, 0, 0] == 0 and out[-1, -1, 0] >= 250


def test_transparency_survives(pillow_tests: Path) -> None:
    img = open_image(pillow_tests / "transparent.png")
    alpha = img.getchannel("A")
    assert alpha.getextrema() == (0, 255)


def test_text_file_named_jpg_is_not_an_image(tmp_path: Path) -> None:
    fake = tmp_path / "photo.jpg"
    fake.write_text("<html><body>404 Not Found</body></html>\n", encoding="utf-8")
    with pytest.raises(MediaError) as caught:
        open_image(fake)
    assert caught.value.reason == NOT_AN_IMAGE


def test_empty_bytes_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match=NOT_AN_IMAGE):
        open_image(b"")
    with pytest.raises(MediaError, match="cannot read the file"):
        open_image(tmp_path / "absent.jpg")


def test_other_formats_are_refused_by_name() -> None:
    bmp = _encode(Image.new("RGB", (4, 4), "red"), "BMP")
    tiff = _encode(Image.new("RGB", (4, 4), "red"), "TIFF")
    for data, name in ((bmp, "BMP"), (tiff, "TIFF")):
        with pytest.raises(MediaError) as caught:
            open_image(data)
        assert caught.value.reason == f"format {name} is not allowed"
        assert caught.value.path is None and caught.value.source == f"<{len(data)} bytes>"


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _bomb_png(width: int, height: int) -> bytes:
    """A real, valid 1-bit PNG of width x height that compresses to a few dozen KB."""
    row = b"\x00" * (1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    parts = [packer.compress(row * 500) for _ in range(height // 500)]
    parts.append(packer.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", b"".join(parts))
        + _png_chunk(b"IEND", b"")
    )


def test_decompression_bomb_is_refused_before_decoding() -> None:
    bomb = _bomb_png(20_000, 20_000)  # 400 megapixels, beyond 2x Pillow's limit
    assert len(bomb) < 200_000
    with pytest.raises(MediaError) as caught:
        open_image(bomb)
    assert caught.value.reason == "image too large (400 megapixels; the limit is 100)"


def test_bomb_in_pillows_warning_band_is_refused_too() -> None:
    # 150 MP is between Pillow's limit and twice it, where Pillow only warns: we refuse.
    header_only = (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 15_000, 10_000, 8, 2, 0, 0, 0))
        + _png_chunk(b"IEND", b"")
    )
    with pytest.raises(MediaError, match=r"image too large \(150 megapixels; the limit is 100\)"):
        open_image(header_only)
    with pytest.raises(MediaError, match="image too large"):
        image_size(header_only)


def test_a_caller_may_lower_the_pixel_cap() -> None:
    data = _encode(Image.new("RGB", (400, 300), "navy"), "PNG")
    assert open_image(data).size == (400, 300)
    with pytest.raises(MediaError) as caught:
        open_image(data, max_pixels=100_000)
    assert caught.value.reason == "image too large (0.12 megapixels; the limit is 0.1)"
    assert MAX_PIXELS == 100_000_000


def test_image_size_reads_the_upright_size_from_the_header(fixtures_dir: Path) -> None:
    folder = fixtures_dir / "images" / "exif_orientation"
    assert image_size(folder / "Landscape_6.jpg") == (1800, 1200)  # stored 1200x1800
    assert image_size(folder / "Portrait_1.jpg") == (1200, 1800)


def test_sniff_format_names_common_signatures() -> None:
    assert sniff_format(b"\xff\xd8\xff\xe0") == "JPEG"
    assert sniff_format(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "WEBP"
    assert sniff_format(b"\x00\x00\x00\x1cftypheic") == "HEIF"
    assert sniff_format(b"hello") is None


def _encode(img: Image.Image, fmt: str) -> bytes:
    import io

    buf = io.BytesIO()
    img.save(buf, format=fmt)
    return buf.getvalue()
