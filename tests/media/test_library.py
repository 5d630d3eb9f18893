"""MediaLibrary behaviour on generated photos: privacy, dedup, atomic storage, hostile input."""

from __future__ import annotations

import io
import os
import struct
import threading
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio.media.encoding import strip_jpeg
from studio.media.errors import CORRUPT, NOT_AN_IMAGE, MediaError
from studio.media.library import MediaLibrary


def files_under(root: Path) -> list[Path]:
    # .staging holds the library's own bookkeeping (whose temporary files are whose).
    files = root.rglob("*") if root.exists() else []
    return sorted(p for p in files if p.is_file() and ".staging" not in p.parts)


def photo(size: tuple[int, int] = (600, 400), seed: int = 1) -> Image.Image:
    """A picture with a bright marker in its top-left corner, so orientation can be checked."""
    rng = np.random.default_rng(seed)
    width, height = size
    pixels = rng.integers(60, 120, size=(height, width, 3), dtype=np.uint8)
    pixels[: height // 4, : width // 4] = (250, 30, 30)
    return Image.fromarray(pixels)


def private_jpeg(path: Path, *, orientation: int = 6, size: tuple[int, int] = (600, 400)) -> Path:
    """A camera-like JPEG: orientation, GPS, serial numbers, owner, XMP and a comment."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "Camera Maker"
    exif[0x013B] = "Jane Curator"  # Artist
    sub = exif.get_ifd(0x8769)
    sub[0xA431] = "SN-12345678"  # BodySerialNumber
    sub[0xA430] = "Jane Curator"  # CameraOwnerName
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (52.0, 22.0, 3.5)
    gps[3], gps[4] = "E", (4.0, 53.0, 1.0)
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    photo(size).save(
        path, "JPEG", quality=90, exif=exif.tobytes(), xmp=xmp, comment=b"shot at home"
    )
    return path


@pytest.fixture()
def library(tmp_path: Path) -> MediaLibrary:
    return MediaLibrary(tmp_path / "media")


def test_private_metadata_is_removed_and_orientation_applied(
    library: MediaLibrary, tmp_path: Path
) -> None:
    source = private_jpeg(tmp_path / "IMG_0001.jpg")
    stored = library.import_file(source)
    assert stored.removed == (
        "EXIF",
        "GPS position",
        "camera serial",
        "owner name",
        "XMP",
        "comment",
    )
    assert (stored.width, stored.height, stored.orientation) == (400, 600, 6)
    data = stored.path.read_bytes()
    for secret in (
        b"SN-12345678",
        b"Jane Curator",
        b"Camera Maker",
        b"shot at home",
        b"xmpmeta",
        b"Exif\x00\x00",
    ):
        assert secret not in data
    with Image.open(stored.path) as img:
        assert len(img.getexif()) == 0 and "xmp" not in img.info and "comment" not in img.info
        # Orientation 6 means "turn clockwise": the stored top-left corner shows the
        # picture's bottom-left, not the red marker; the top-right corner shows the marker.
        arr = np.asarray(img)
    assert arr[20, -20, 0] > 200 and arr[20, -20, 1] < 80
    assert arr[20, 20, 0] < 150


def test_the_curators_file_is_never_modified(library: MediaLibrary, tmp_path: Path) -> None:
    source = private_jpeg(tmp_path / "IMG_0002.jpg")
    os.utime(source, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    before = (source.read_bytes(), source.stat().st_mtime_ns)
    library.import_file(source, derivatives=True)
    assert (source.read_bytes(), source.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["IMG_0002.jpg", "media"]


def test_the_same_photo_twice_is_stored_once(library: MediaLibrary, tmp_path: Path) -> None:
    source = private_jpeg(tmp_path / "a.jpg")
    first = library.import_file(source)
    second = library.import_bytes(source.read_bytes())
    assert (first.deduplicated, second.deduplicated) == (False, True)
    assert first.hash == second.hash and first.path == second.path
    assert files_under(library.root) == [first.path]
    # Named by content: ab/cdef... under the root, the SHA-256 of the stored bytes.
    import hashlib

    assert hashlib.sha256(first.path.read_bytes()).hexdigest() == first.hash
    assert first.path == library.root / first.hash[:2] / f"{first.hash[2:]}.jpg"


def test_concurrent_imports_of_one_photo_leave_one_file(
    library: MediaLibrary, tmp_path: Path
) -> None:
    data = private_jpeg(tmp_path / "c.jpg").read_bytes()
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(library.import_bytes(data)))
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({r.hash for r in results}) == 1
    assert len(files_under(library.root)) == 1


def test_upright_jpeg_is_stored_without_re_encoding(library: MediaLibrary, tmp_path: Path) -> None:
    source = private_jpeg(tmp_path / "upright.jpg", orientation=1)
    stored = library.import_file(source)
    assert stored.orientation == 1 and "GPS position" in stored.removed
    with Image.open(source) as a, Image.open(stored.path) as b:
        assert np.array_equal(np.asarray(a), np.asarray(b))  # bit-exact: no generation loss
    assert stored.path.stat().st_size < source.stat().st_size


def test_strip_jpeg_refuses_what_it_cannot_vouch_for(tmp_path: Path) -> None:
    data = private_jpeg(tmp_path / "s.jpg", orientation=1).read_bytes()
    assert strip_jpeg(data[: len(data) // 2]) is None  # no EOI: truncated
    assert strip_jpeg(b"\x89PNG\r\n\x1a\n") is None
    assert strip_jpeg(data[:2] + b"junk" + data[2:]) is None
    stripped = strip_jpeg(data + b"trailing secrets")
    assert stripped is not None and b"trailing secrets" not in stripped


def test_alpha_gets_a_png_master_and_png_derivatives(library: MediaLibrary) -> None:
    img = photo((3000, 1000)).convert("RGBA")
    img.putalpha(Image.linear_gradient("L").resize((3000, 1000)))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    stored = library.import_bytes(buf.getvalue(), name="cutout.png", derivatives=True)
    assert stored.has_alpha and stored.path.suffix == ".png"
    preview, thumb = library.preview(stored.hash), library.thumbnail(stored.hash)
    assert (preview.suffix, thumb.suffix) == (".png", ".png")
    with Image.open(preview) as p, Image.open(thumb) as t:
        assert (p.mode, p.size, t.size) == ("RGBA", (2560, 853), (512, 171))


def test_derivatives_are_bounded_upright_and_clean(library: MediaLibrary, tmp_path: Path) -> None:
    source = private_jpeg(tmp_path / "big.jpg", orientation=8, size=(4000, 3000))
    stored = library.import_file(source)
    assert (stored.width, stored.height) == (3000, 4000)
    library.make_derivatives(stored.hash)
    preview, thumb = library.preview(stored.hash), library.thumbnail(stored.hash)
    with Image.open(preview) as p, Image.open(thumb) as t:
        assert (p.size, t.size) == ((1920, 2560), (384, 512))
        assert len(p.getexif()) == 0 and len(t.getexif()) == 0
        # Orientation 8 turns the picture anticlockwise: the red marker ends bottom-left.
        corner = np.asarray(t)[-20, 20]
    assert corner[0] > 200 and corner[1] < 80
    # Made once: asking again returns the same files untouched.
    mtime = preview.stat().st_mtime_ns
    library.make_derivatives(stored.hash)
    assert library.preview(stored.hash) == preview and preview.stat().st_mtime_ns == mtime


def test_derivatives_made_at_import_match_those_made_later(tmp_path: Path) -> None:
    source = private_jpeg(tmp_path / "d.jpg", size=(3000, 2000))
    now, later = MediaLibrary(tmp_path / "now"), MediaLibrary(tmp_path / "later")
    stored = now.import_file(source, derivatives=True)
    derived = files_under(now.root / "derived")
    assert [p.name.split(".", 1)[1] for p in derived] == ["preview.jpg", "thumb.jpg"]
    assert later.import_file(source).hash == stored.hash
    assert not (later.root / "derived").exists()
    later.make_derivatives(stored.hash)
    for kind in ("preview", "thumbnail"):
        with (
            Image.open(getattr(now, kind)(stored.hash)) as a,
            Image.open(getattr(later, kind)(stored.hash)) as b,
        ):
            assert a.size == b.size == ((1707, 2560) if kind == "preview" else (341, 512))
            diff = np.abs(np.asarray(a, dtype=float) - np.asarray(b, dtype=float)).mean()
            assert diff < 3, kind


def test_missing_or_invalid_hash(library: MediaLibrary) -> None:
    absent = "0" * 64
    assert not library.has(absent) and not library.has("../../etc/passwd")
    with pytest.raises(MediaError, match="not in the media library"):
        library.preview(absent)
    with pytest.raises(ValueError):
        library.path("../secret")


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _encoded(fmt: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, fmt)
    return buf.getvalue()


HOSTILE = {
    "bomb.png": (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 30_000, 20_000, 8, 2, 0, 0, 0))
        + _png_chunk(b"IEND", b""),
        "image too large (600 megapixels; the limit is 100)",
    ),
    "empty.jpg": (b"", f"{NOT_AN_IMAGE} (the file is empty)"),
    "letter.jpg": (b"Dear shop,\nplease find my photo attached.\n", NOT_AN_IMAGE),
    "scan.bmp": (_encoded("BMP"), "format BMP is not allowed"),
    "scan.tif": (_encoded("TIFF"), "format TIFF is not allowed"),
    "half.jpg": (_encoded("JPEG")[:300], CORRUPT),
    "junk.png": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, CORRUPT),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_is_refused_and_nothing_is_stored(
    library: MediaLibrary, tmp_path: Path, name: str
) -> None:
    data, reason = HOSTILE[name]
    source = tmp_path / name
    source.write_bytes(data)
    library.import_bytes(private_jpeg(tmp_path / "ok.jpg").read_bytes())
    before = files_under(library.root)
    with pytest.raises(MediaError) as caught:
        library.import_file(source, derivatives=True)
    assert (caught.value.reason, caught.value.source) == (reason, str(source))
    assert str(source) in str(caught.value)
    assert files_under(library.root) == before  # no new file, no temp leftover


def test_folder_and_missing_file_are_refused(library: MediaLibrary, tmp_path: Path) -> None:
    with pytest.raises(MediaError) as caught:
        library.import_file(tmp_path)
    assert caught.value.reason == "not a file (it is a folder)"
    with pytest.raises(MediaError) as caught:
        library.import_file(tmp_path / "gone.jpg")
    assert caught.value.reason == "cannot read the file (No such file or directory)"
    assert not library.root.exists()


def test_pasted_bytes_are_named_in_errors(library: MediaLibrary) -> None:
    with pytest.raises(MediaError) as caught:
        library.import_bytes(b"GIF89a broken", name="<clipboard>")
    assert (caught.value.source, caught.value.reason) == ("<clipboard>", CORRUPT)


def test_a_failed_write_leaves_no_temp_file(tmp_path: Path) -> None:
    blocker = tmp_path / "media"
    blocker.write_text("a file where the library's folder should be")
    library = MediaLibrary(blocker)
    with pytest.raises(MediaError, match="cannot write the file"):
        library.import_bytes(_encoded("PNG"))
    assert sorted(tmp_path.iterdir()) == [blocker]


class _ShortWrites:
    """The ``os`` module as ``blobs`` sees it, whose ``write`` takes at most ``most`` bytes a
    call (a regular file may take fewer than asked) and, with ``fail_after``, fails with
    ENOSPC once that many bytes are in."""

    def __init__(self, most: int, fail_after: int | None = None) -> None:
        self.most, self.fail_after, self.written, self.calls = most, fail_after, 0, 0

    def __getattr__(self, name: str) -> object:
        return getattr(os, name)

    def write(self, fd: int, data: memoryview) -> int:
        import errno

        self.calls += 1
        if self.fail_after is not None and self.written >= self.fail_after:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        n = os.write(fd, data[: self.most])
        self.written += n
        return n


def _blob(tmp_path: Path) -> tuple[MediaLibrary, bytes, str]:
    import hashlib

    out = io.BytesIO()
    photo((300, 200)).save(out, "JPEG", quality=90)
    data = out.getvalue()
    return MediaLibrary(tmp_path / "media"), data, hashlib.sha256(data).hexdigest()


def test_a_staged_blob_is_written_whole_through_short_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from studio.media import blobs

    library, data, sha = _blob(tmp_path)
    short = _ShortWrites(most=1000)
    monkeypatch.setattr(blobs, "os", short)
    staged = library.stage_blob(data, sha, ".jpg")
    assert staged is not None and short.calls >= len(data) // 1000
    monkeypatch.undo()
    assert library.publish(staged).read_bytes() == data


def test_a_disk_that_fills_while_a_blob_is_staged_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from studio.core.errors import DiskFullError
    from studio.media import blobs

    library, data, sha = _blob(tmp_path)
    monkeypatch.setattr(blobs, "os", _ShortWrites(most=1000, fail_after=3000))
    with pytest.raises(DiskFullError):
        library.stage_blob(data, sha, ".jpg")
    monkeypatch.undo()
    left = [p for p in (tmp_path / "media").rglob("*") if p.is_file()]
    assert [p for p in left if p.parent.name != ".staging"] == []
