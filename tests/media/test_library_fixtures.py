"""MediaLibrary.import_file on every real fixture image: the exact outcome a curator gets.

For each file: the upright size, the source format, the EXIF orientation applied, the private
metadata reported removed, the conversions made, alpha and the master's type; or the exact
refusal. Then the stored master is re-opened and checked: the pixels are upright (compared with
the upright twin of each photo), colours converted, alpha kept, and no metadata left in it.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio.media.errors import CORRUPT, MediaError
from studio.media.library import MediaLibrary, StoredMedia

GPS = ("EXIF", "GPS position")
# name: (format, upright size, orientation applied, removed, converted, has_alpha, master suffix)
Outcome = tuple[str, tuple[int, int], int, tuple[str, ...], tuple[str, ...], bool, str]
PILLOW: dict[str, Outcome] = {
    "1_trns.png": ("PNG", (64, 64), 1, (), (), True, ".png"),
    "apng_delay.png": ("PNG", (128, 64), 1, (), ("first of 5 frames",), True, ".png"),
    "apng_mode_16bit.png": (
        "PNG",
        (128, 64),
        1,
        (),
        ("first of 3 frames", "16-bit to 8-bit"),
        True,
        ".png",
    ),
    "app13-multiple.jpg": ("JPEG", (256, 160), 1, ("IPTC",), (), False, ".jpg"),
    "chi.gif": ("GIF", (320, 240), 1, ("comment",), ("first of 31 frames",), True, ".png"),
    "dispose_bgnd.gif": ("GIF", (100, 100), 1, (), ("first of 5 frames",), False, ".png"),
    "exif_gps.jpg": ("JPEG", (8, 8), 1, GPS, (), False, ".jpg"),
    # The ImageMagick raw-profile EXIF (orientation 3) is honoured: the picture is turned 180°.
    "exif_imagemagick_orientation.png": (
        "PNG",
        (512, 512),
        3,
        ("EXIF", "comment"),
        (),
        False,
        ".png",
    ),
    "flower.jpg": ("JPEG", (480, 360), 1, ("EXIF",), (), False, ".jpg"),
    "flower.webp": ("WEBP", (480, 360), 1, ("EXIF",), (), False, ".jpg"),
    "flower2.webp": ("WEBP", (300, 225), 1, ("EXIF", "XMP"), (), False, ".jpg"),
    "hopper.avif": ("AVIF", (128, 128), 1, (), (), False, ".jpg"),
    "hopper.gif": ("GIF", (128, 128), 1, ("comment",), (), False, ".png"),
    "hopper.heif": ("HEIF", (128, 128), 1, (), (), False, ".jpg"),
    "hopper.jpg": ("JPEG", (128, 128), 1, ("comment",), (), False, ".jpg"),
    "hopper.png": ("PNG", (128, 128), 1, ("comment",), (), False, ".png"),
    "hopper.webp": ("WEBP", (128, 128), 1, (), (), False, ".jpg"),
    "hopper_16bit_qtables.jpg": ("JPEG", (128, 128), 1, (), (), False, ".jpg"),
    "hopper_gray.jpg": ("JPEG", (128, 128), 1, ("comment",), (), False, ".jpg"),
    "i_trns.png": ("PNG", (64, 64), 1, (), ("16-bit to 8-bit",), True, ".png"),
    "icc_profile_big.jpg": (
        "JPEG",
        (425, 250),
        1,
        (),
        ("ICC profile to sRGB (TIFF RGB)",),
        False,
        ".jpg",
    ),
    "iptc.jpg": ("JPEG", (640, 480), 1, ("EXIF", "IPTC"), (), False, ".jpg"),
    "iss634.webp": ("WEBP", (245, 245), 1, (), ("first of 42 frames",), True, ".png"),
    "junk_jpeg_header.jpg": ("JPEG", (1024, 768), 1, ("comment",), (), False, ".jpg"),
    "pil_sample_cmyk.jpg": (
        "JPEG",
        (100, 100),
        1,
        ("EXIF", "Photoshop data", "XMP"),
        ("CMYK to sRGB",),
        False,
        ".jpg",
    ),
    "pil_sample_rgb.jpg": (
        "JPEG",
        (100, 100),
        1,
        ("EXIF", "Photoshop data", "XMP"),
        (),
        False,
        ".jpg",
    ),
    "rgb_trns.png": ("PNG", (64, 64), 1, (), (), True, ".png"),
    "sugarshack.mpo": ("MPO", (640, 480), 1, ("EXIF",), ("first of 2 pictures",), False, ".jpg"),
    "transparent.gif": ("GIF", (200, 150), 1, (), (), True, ".png"),
    "transparent.png": ("PNG", (200, 150), 1, (), (), True, ".png"),
    "transparent.webp": ("WEBP", (200, 150), 1, (), (), True, ".png"),
    "uncompressed_la.png": ("PNG", (128, 128), 1, (), (), True, ".png"),
} | {
    f"hopper_orientation_{n}.{ext}": (
        "JPEG" if ext == "jpg" else "WEBP",
        (128, 128),
        n,
        ("EXIF",),
        (),
        False,
        ".jpg",
    )
    for n in range(2, 9)
    for ext in ("jpg", "webp")
}
REFUSED = {
    "broken.png": CORRUPT,  # a PNG signature then garbage
    "truncated_image.png": CORRUPT,
    "truncated_jpeg.jpg": CORRUPT,
    "ultrahdr.jpg": CORRUPT,  # declares 1512x2688, carries 48 KB of a cut-down file
}


@pytest.fixture(scope="module")
def pillow_dir(fixtures_dir: Path) -> Path:
    return fixtures_dir / "images" / "pillow_tests"


@pytest.fixture(scope="module")
def orientation_dir(fixtures_dir: Path) -> Path:
    return fixtures_dir / "images" / "exif_orientation"


@pytest.fixture()
def library(tmp_path: Path) -> MediaLibrary:
    return MediaLibrary(tmp_path / "media")


def pixels(path: Path) -> np.ndarray:
    with Image.open(path) as img:
        return np.asarray(img.convert("RGBA" if "A" in img.mode else "RGB"), dtype=np.int16)


def assert_no_metadata(path: Path) -> None:
    """Re-open a stored file: no EXIF (so no GPS), XMP, IPTC, ICC, comment or text chunk."""
    with Image.open(path) as img:
        img.load()
        assert len(img.getexif()) == 0
        leaked = set(img.info) & {
            "exif",
            "xmp",
            "photoshop",
            "comment",
            "icc_profile",
            "XML:com.adobe.xmp",
            "Raw profile type exif",
        }
        assert not leaked, f"{path.name} still carries {leaked}"
        assert not [k for k, v in img.info.items() if isinstance(v, str)], img.info
    data = path.read_bytes()
    for marker in (
        b"Exif\x00\x00",
        b"http://ns.adobe.com/xap",
        b"Photoshop 3.0",
        b"ICC_PROFILE",
        b"eXIf",
        b"tEXt",
        b"iTXt",
        b"zTXt",
        b"iCCP",
    ):
        assert marker not in data, f"{path.name} contains {marker!r}"


def test_every_image_fixture_has_an_expected_outcome(pillow_dir: Path) -> None:
    present = {p.name for p in pillow_dir.iterdir() if p.suffix.lower() != ".txt"}
    assert present == set(PILLOW) | set(REFUSED)


@pytest.mark.parametrize("name", sorted(PILLOW))
def test_pillow_fixture_imports_with_its_outcome(
    library: MediaLibrary, pillow_dir: Path, name: str
) -> None:
    fmt, size, orientation, removed, converted, alpha, suffix = PILLOW[name]
    source = pillow_dir / name
    stored = library.import_file(source)
    assert (stored.format, (stored.width, stored.height), stored.orientation) == (
        fmt,
        size,
        orientation,
    )
    assert (stored.removed, stored.converted) == (removed, converted)
    assert (stored.has_alpha, stored.path.suffix, stored.deduplicated) == (alpha, suffix, False)
    assert stored.source_bytes == source.stat().st_size
    assert stored.path == library.path(stored.hash) and library.has(stored.hash)
    with Image.open(stored.path) as img:
        assert img.size == size
        assert img.mode in (("RGBA",) if alpha else ("RGB", "L"))
    assert_no_metadata(stored.path)


@pytest.mark.parametrize(("name", "reason"), sorted(REFUSED.items()))
def test_broken_fixture_is_refused_and_nothing_stored(
    library: MediaLibrary, pillow_dir: Path, name: str, reason: str
) -> None:
    with pytest.raises(MediaError) as caught:
        library.import_file(pillow_dir / name)
    assert (caught.value.reason, caught.value.path) == (reason, pillow_dir / name)
    assert not library.root.exists()


@pytest.mark.parametrize("kind", ["Landscape", "Portrait"])
def test_every_exif_orientation_is_stored_upright(
    library: MediaLibrary, orientation_dir: Path, kind: str
) -> None:
    reference_media = library.import_file(orientation_dir / f"{kind}_1.jpg")
    reference = pixels(reference_media.path)
    size = (1800, 1200) if kind == "Landscape" else (1200, 1800)
    for n in range(9):
        stored = library.import_file(orientation_dir / f"{kind}_{n}.jpg")
        # 0 is an invalid value: upright, like a missing tag.
        assert (stored.width, stored.height, stored.orientation) == (*size, n if n > 1 else 1)
        assert stored.removed == ("EXIF",) and stored.converted == ()
        assert_no_metadata(stored.path)
        if n in (0, 1):
            # Upright JPEGs keep their compressed data: the same pixels, only metadata cut.
            original = orientation_dir / f"{kind}_{n}.jpg"
            assert stored.path.stat().st_size < original.stat().st_size
        got = pixels(stored.path)
        assert got.shape == reference.shape
        # Each fixture is its own lossy encoding: the right way up they agree within ~3.5
        # levels; mirrored the same photo is far off (checked below).
        assert np.abs(got - reference).mean() < 6, f"{kind}_{n}"
    assert np.abs(reference[:, ::-1] - reference).mean() > 20
    assert np.abs(reference[::-1, :] - reference).mean() > 20


@pytest.mark.parametrize("ext", ["jpg", "webp"])
def test_hopper_orientations_match_the_plain_hopper(
    library: MediaLibrary, pillow_dir: Path, ext: str
) -> None:
    reference = pixels(library.import_file(pillow_dir / "hopper.jpg").path)
    for n in range(2, 9):
        got = pixels(library.import_file(pillow_dir / f"hopper_orientation_{n}.{ext}").path)
        assert np.abs(got - reference).mean() < 8, f"orientation {n} ({ext})"


def test_imagemagick_orientation_turns_the_picture_half_round(
    library: MediaLibrary, pillow_dir: Path
) -> None:
    source = pillow_dir / "exif_imagemagick_orientation.png"
    with Image.open(source) as img:
        raw = np.asarray(img.convert("RGB").rotate(180), dtype=np.int16)
    assert np.array_equal(pixels(library.import_file(source).path), raw)  # PNG: lossless


def test_cmyk_becomes_the_colours_of_its_rgb_twin(library: MediaLibrary, pillow_dir: Path) -> None:
    cmyk = library.import_file(pillow_dir / "pil_sample_cmyk.jpg")
    rgb = library.import_file(pillow_dir / "pil_sample_rgb.jpg")
    with Image.open(cmyk.path) as img:
        assert img.mode == "RGB"
    assert np.abs(pixels(cmyk.path) - pixels(rgb.path)).mean() < 12  # inverted: ~100 off


def test_icc_profile_is_converted_to_srgb(library: MediaLibrary, pillow_dir: Path) -> None:
    source = pillow_dir / "icc_profile_big.jpg"
    stored = library.import_file(source)
    with Image.open(source) as img:
        untagged = np.asarray(img.convert("RGB"), dtype=np.int16)
    got = pixels(stored.path)
    # The profile's colours differ from sRGB's: the stored pixels moved, but stayed close.
    assert 1 < np.abs(got - untagged).mean() < 40


@pytest.mark.parametrize("name", ["transparent.png", "uncompressed_la.png", "transparent.webp"])
def test_alpha_is_kept(library: MediaLibrary, pillow_dir: Path, name: str) -> None:
    source = pillow_dir / name
    stored = library.import_file(source)
    with Image.open(source) as img:
        alpha = np.asarray(img.convert("RGBA").getchannel("A"))
    with Image.open(stored.path) as img:
        assert img.mode == "RGBA"
        assert np.array_equal(np.asarray(img.getchannel("A")), alpha)
    assert alpha.min() < 255  # the fixture really has transparency


@pytest.mark.parametrize(
    "name",
    [
        "hopper.jpg",
        "flower.jpg",
        "iptc.jpg",
        "sugarshack.mpo",
        "hopper_gray.jpg",
        "app13-multiple.jpg",
    ],
)
def test_upright_jpegs_keep_their_exact_pixels(
    library: MediaLibrary, pillow_dir: Path, name: str
) -> None:
    stored = library.import_file(pillow_dir / name)
    with Image.open(pillow_dir / name) as img:
        source = np.asarray(img.convert("RGB"), dtype=np.int16)
    assert np.array_equal(pixels(stored.path), source)


def test_heif_and_avif_show_the_same_picture_as_the_jpeg(
    library: MediaLibrary, pillow_dir: Path
) -> None:
    reference = pixels(library.import_file(pillow_dir / "hopper.jpg").path)
    for name in ("hopper.heif", "hopper.avif"):
        stored: StoredMedia = library.import_file(pillow_dir / name)
        assert np.abs(pixels(stored.path) - reference).mean() < 12, name


def test_icc_profile_of_a_transparent_png_is_converted_and_alpha_kept(
    library: MediaLibrary, pillow_dir: Path
) -> None:
    with Image.open(pillow_dir / "icc_profile_big.jpg") as jpeg:
        profile = jpeg.info["icc_profile"]
    with Image.open(pillow_dir / "transparent.png") as png:
        png.load()
        rgba = png.convert("RGBA")
    buf = io.BytesIO()
    rgba.save(buf, "PNG", icc_profile=profile)
    stored = library.import_bytes(buf.getvalue(), name="tagged.png")
    assert stored.converted == ("ICC profile to sRGB (TIFF RGB)",) and stored.has_alpha
    with Image.open(stored.path) as img:
        assert img.mode == "RGBA" and "icc_profile" not in img.info
        assert np.array_equal(np.asarray(img.getchannel("A")), np.asarray(rgba.getchannel("A")))
        moved = np.abs(
            np.asarray(img.convert("RGB"), dtype=float)
            - np.asarray(rgba.convert("RGB"), dtype=float)
        ).mean()
    assert 0.5 < moved < 40
