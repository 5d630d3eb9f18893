"""make_thumbnail / save_thumbnail: orientation, size, modes and atomic writes, on real photos."""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio.media.errors import CORRUPT, NOT_AN_IMAGE, MediaError
from studio.media.thumbnails import make_thumbnail, save_thumbnail

ORIENTATIONS = range(9)  # 0 is an invalid value in the EXIF sense: it means upright


@pytest.fixture(scope="module")
def orientation_dir(fixtures_dir: Path) -> Path:
    return fixtures_dir / "images" / "exif_orientation"


@pytest.fixture(scope="module")
def upright(orientation_dir: Path) -> dict[str, np.ndarray]:
    return {
        kind: np.asarray(make_thumbnail(orientation_dir / f"{kind}_1.jpg", 64), dtype=float)
        for kind in ("Landscape", "Portrait")
    }


@pytest.mark.parametrize("orientation", ORIENTATIONS)
@pytest.mark.parametrize("kind", ["Landscape", "Portrait"])
def test_every_exif_orientation_comes_out_upright(
    orientation_dir: Path, upright: dict[str, np.ndarray], kind: str, orientation: int
) -> None:
    thumb = make_thumbnail(orientation_dir / f"{kind}_{orientation}.jpg", 64)
    width, height = thumb.size
    assert max(width, height) == 64
    assert (width > height) == (kind == "Landscape")
    pixels = np.asarray(thumb, dtype=float)
    reference = upright[kind]
    assert pixels.shape == reference.shape
    # The whole picture matches the upright reference (a mirrored or rotated result is
    # 35-85 levels off on average; the same picture re-encoded is within ~1).
    assert np.abs(pixels - reference).mean() < 4
    # And a marker region, the top-left quarter, has the reference's colour.
    quarter = (slice(0, height // 2), slice(0, width // 2))
    assert (
        np.abs(pixels[quarter].mean(axis=(0, 1)) - reference[quarter].mean(axis=(0, 1))).max() < 6
    )


@pytest.mark.parametrize("ext", ["jpg", "webp"])
def test_hopper_orientations_match_the_plain_hopper(fixtures_dir: Path, ext: str) -> None:
    folder = fixtures_dir / "images" / "pillow_tests"
    reference = np.asarray(make_thumbnail(folder / "hopper.jpg", 64), dtype=float)
    for n in range(2, 9):
        thumb = np.asarray(
            make_thumbnail(folder / f"hopper_orientation_{n}.{ext}", 64), dtype=float
        )
        assert np.abs(thumb - reference).mean() < 8, f"orientation {n} ({ext})"


def test_thumbnail_of_a_big_jpeg_is_bounded_and_keeps_the_aspect(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    pixels = rng.integers(0, 255, size=(1500, 2000, 3), dtype=np.uint8)
    source = tmp_path / "big.jpg"
    Image.fromarray(pixels).save(source, quality=85)
    thumb = make_thumbnail(source, 256)
    assert thumb.size == (256, 192)
    assert thumb.mode == "RGB"
    assert make_thumbnail(source.read_bytes(), 100).size == (100, 75)


def test_small_images_are_not_enlarged(fixtures_dir: Path) -> None:
    thumb = make_thumbnail(fixtures_dir / "images" / "pillow_tests" / "hopper.png", 512)
    assert thumb.size == (128, 128)


def test_alpha_animation_and_cmyk(fixtures_dir: Path) -> None:
    folder = fixtures_dir / "images" / "pillow_tests"
    assert make_thumbnail(folder / "transparent.webp", 100).mode == "RGBA"
    first = make_thumbnail(folder / "chi.gif", 320)
    with Image.open(folder / "chi.gif") as gif:
        reference = gif.convert("RGBA")  # frame 0, as a GIF viewer shows it first
    assert np.array_equal(np.asarray(first), np.asarray(reference))
    assert make_thumbnail(folder / "pil_sample_cmyk.jpg", 50).mode == "RGB"


def test_refusals_reach_the_caller_as_media_errors(fixtures_dir: Path, tmp_path: Path) -> None:
    folder = fixtures_dir / "images" / "pillow_tests"
    with pytest.raises(MediaError) as caught:
        make_thumbnail(folder / "truncated_jpeg.jpg", 128)
    assert caught.value.reason == CORRUPT
    with pytest.raises(MediaError) as caught:
        make_thumbnail(b"GIF? no, plain text", 128)
    assert caught.value.reason == NOT_AN_IMAGE
    with pytest.raises(ValueError):
        make_thumbnail(folder / "hopper.jpg", 0)


@pytest.mark.parametrize(
    ("name", "mode", "written_suffix", "fmt"),
    [
        ("t.webp", "RGBA", ".webp", "WEBP"),
        ("t.jpg", "RGB", ".jpg", "JPEG"),
        ("t.jpg", "RGBA", ".png", "PNG"),  # JPEG would flatten the alpha: PNG instead
        ("t.png", "RGB", ".png", "PNG"),
    ],
)
def test_save_thumbnail_picks_the_format(
    tmp_path: Path, name: str, mode: str, written_suffix: str, fmt: str
) -> None:
    img = Image.new(mode, (40, 30), (200, 30, 30, 128) if mode == "RGBA" else (200, 30, 30))
    written = save_thumbnail(img, tmp_path / "cache" / name)
    assert written.suffix == written_suffix
    with Image.open(written) as back:
        assert back.format == fmt
        assert back.size == (40, 30)
        assert ("A" in back.getbands()) == (mode == "RGBA")
    assert sorted(p.name for p in written.parent.iterdir()) == [written.name], "no temp left"


def test_save_thumbnail_replaces_atomically_and_cleans_up(tmp_path: Path) -> None:
    target = tmp_path / "x.webp"
    save_thumbnail(Image.new("RGB", (10, 10), "blue"), target)
    first_inode = os.stat(target).st_ino
    save_thumbnail(Image.new("RGB", (20, 10), "red"), target)
    with Image.open(target) as back:
        assert back.size == (20, 10)
    assert os.stat(target).st_ino != first_inode  # a new file moved into place, not rewritten

    broken = Image.new("RGB", (10, 10))
    broken.save = _raise_os_error  # type: ignore[method-assign]
    with pytest.raises(MediaError, match="cannot write the thumbnail"):
        save_thumbnail(broken, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.webp"]
    with Image.open(target) as back:
        assert back.size == (20, 10), "a failed write leaves the previous file intact"
    with pytest.raises(ValueError):
        save_thumbnail(broken, tmp_path / "x.gif")


def _raise_os_error(*_args: object, **_kwargs: object) -> None:
    raise OSError(28, "No space left on device")


def bomb_header() -> bytes:
    """A PNG header declaring 15000x10000 pixels (150 MP), with no pixel data at all."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", 15_000, 10_000, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def test_worker_threads_get_the_same_results(fixtures_dir: Path) -> None:
    """The grid decodes on several workers at once: the bomb check must hold in each."""
    from concurrent.futures import ThreadPoolExecutor

    folder = fixtures_dir / "images" / "pillow_tests"
    jobs: list[Path | bytes] = [folder / "hopper.jpg", folder / "transparent.png", bomb_header()]
    jobs = jobs * 12

    def attempt(job: Path | bytes) -> str:
        try:
            return make_thumbnail(job, 32).mode
        except MediaError as exc:
            return exc.reason

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(attempt, jobs))
    assert outcomes[:3] == ["RGB", "RGBA", "image too large (150 megapixels; the limit is 100)"]
    assert outcomes == outcomes[:3] * 12


def test_reduced_scale_decode_is_as_good_as_a_full_decode(orientation_dir: Path) -> None:
    """The speed-up (libjpeg's 1/2..1/8 decode) must not cost visible quality."""
    fast = np.asarray(make_thumbnail(orientation_dir / "Landscape_1.jpg", 256), dtype=float)
    with Image.open(orientation_dir / "Landscape_1.jpg") as img:
        img.load()
        slow = img.convert("RGB")
    slow.thumbnail((256, 256), Image.Resampling.LANCZOS)
    assert fast.shape == np.asarray(slow).shape
    assert np.abs(fast - np.asarray(slow, dtype=float)).mean() < 2
