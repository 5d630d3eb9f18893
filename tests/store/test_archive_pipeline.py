"""An archive's photos go through the photo pipeline, as ``studio media import``'s do.

A valid archive can plant photos: one that keeps its GPS position with a ``<script>`` payload
appended, one turned by its EXIF orientation, one that is a clean photo plus an EXIF block,
a 400-megapixel bomb. Each planted photo is put straight into the source workspace's library
(``put_blob``: byte for byte, as an archive made by hand would hold it), used by every kind of
record that names a photo, and exported for real. The studio's own photos (every real fixture
image imported through the pipeline) must come back byte for byte under the same names.
"""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from test_archive_helpers import Workspace, dump, media_files, offers, open_workspace, photo_bytes

from studio.core.boards import BoardItem, BoardItemKind
from studio.core.looks import ProductRef
from studio.media.encoding import clean_master_size
from studio.media.errors import MediaError
from studio.media.library import MediaLibrary
from studio.store.archive import ArchiveError, export_archive, import_archive

PAYLOAD = b"<script>alert('planted')</script>"


@pytest.fixture
def source(tmp_path: Path) -> Iterator[Workspace]:
    ws = open_workspace(tmp_path / "a")
    yield ws
    ws.db.close()


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Workspace]:
    ws = open_workspace(tmp_path / "b")
    yield ws
    ws.db.close()


def _plant(ws: Workspace, data: bytes, ext: str = ".jpg") -> str:
    """``data`` in the library as it is (no pipeline): what a hand-made archive can hold."""
    sha = hashlib.sha256(data).hexdigest()
    ws.media.put_blob(data, sha, ext)
    return sha


def _use_everywhere(ws: Workspace, sha: str, width: int, height: int) -> dict[str, str]:
    """A look photo (with its media row), a board picture, a shop banner, the profile's
    avatar and a review photo, all naming the photo ``sha``; their ids."""
    look = ws.looks.create_look("Planted")
    photo = ws.looks.add_photo(look.id, sha, width, height)
    board = ws.boards.create_board("Planted board")
    item = ws.boards.add_item(
        BoardItem("", board.id, BoardItemKind.PHOTO, 10, 10, 100, 100, media_hash=sha)
    )
    shop = ws.shops.create_shop("planted", "Planted", section_title="All")
    ws.shops.update_shop(shop.id, banner_hash=sha)
    ws.profile.update(display_name="Planter", avatar_hash=sha)
    product = offers(ws)[0]
    review = ws.reviews.create(ProductRef(product[0], "Acme", product[1]), 5, title="Planted")
    review_photo = ws.reviews.add_photo(review.id, sha)
    return {
        "look_photo": photo.id,
        "board_item": item.id,
        "shop": shop.id,
        "review_photo": review_photo,
    }


def _references(ws: Workspace, ids: dict[str, str]) -> dict[str, str]:
    with ws.db.connect() as conn:

        def one(sql: str, *args: str) -> str:
            return str(conn.execute(sql, args).fetchone()[0])

        return {
            "look_photo": one("SELECT media_hash FROM look_photos WHERE id = ?", ids["look_photo"]),
            "board_item": one("SELECT media_hash FROM board_items WHERE id = ?", ids["board_item"]),
            "shop": one("SELECT banner_hash FROM shops WHERE id = ?", ids["shop"]),
            "avatar": one("SELECT avatar_hash FROM profile WHERE id = 'me'"),
            "review_photo": one(
                "SELECT media_hash FROM review_photos WHERE id = ?", ids["review_photo"]
            ),
        }


def _masters(library: MediaLibrary) -> dict[str, bytes]:
    return {
        name: data
        for name, data in media_files(library.root).items()
        if not name.startswith("derived")
    }


def _gps_jpeg(fixtures_dir: Path) -> bytes:
    return (fixtures_dir / "images" / "pillow_tests" / "exif_gps.jpg").read_bytes() + PAYLOAD


def test_a_planted_photo_is_cleaned_and_every_record_names_the_clean_one(
    source: Workspace, target: Workspace, tmp_path: Path, fixtures_dir: Path
) -> None:
    dirty = _gps_jpeg(fixtures_dir)
    assert b"GPS" in dirty or Image.open(io.BytesIO(dirty)).getexif().get_ifd(0x8825)
    old = _plant(source, dirty)
    ids = _use_everywhere(source, old, 8, 8)
    archive = export_archive(source.db, tmp_path / "a.zip", source.media.path).path

    report = import_archive(target.db, archive, target.media)
    assert report.cleaned == (old,)
    refs = _references(target, ids)
    new = refs["look_photo"]
    assert new != old and set(refs.values()) == {new}  # every record follows the photo
    assert not target.media.has(old)
    stored = target.media.path(new).read_bytes()
    assert hashlib.sha256(stored).hexdigest() == new
    assert PAYLOAD not in stored and b"Exif" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()  # no EXIF, so no GPS position
    with target.db.connect() as conn:
        media = conn.execute("SELECT hash, bytes, width, height FROM media").fetchall()
        outbox = "\n".join(row[0] for row in conn.execute("SELECT payload FROM outbox"))
    assert media == [(new, len(stored), 8, 8)]
    assert new in outbox and old not in outbox  # the sync will send the clean photo's name
    # Imported again: nothing new, nothing twice.
    again = import_archive(target.db, archive, target.media)
    assert again.added == 0 and again.cleaned == (old,)
    assert _references(target, ids) == refs


def test_a_photo_turned_by_its_exif_is_stored_upright_and_its_media_row_follows(
    source: Workspace, target: Workspace, tmp_path: Path, fixtures_dir: Path
) -> None:
    turned = (fixtures_dir / "images" / "pillow_tests" / "hopper_orientation_6.jpg").read_bytes()
    width, height = Image.open(io.BytesIO(turned)).size
    old = _plant(source, turned)
    look = source.looks.create_look("Turned")
    source.looks.add_photo(look.id, old, width, height)
    archive = export_archive(source.db, tmp_path / "a.zip", source.media.path).path
    report = import_archive(target.db, archive, target.media)
    assert report.cleaned == (old,)
    with target.db.connect() as conn:
        ((new, w, h),) = conn.execute("SELECT hash, width, height FROM media").fetchall()
    assert (w, h) == (height, width)  # upright: orientation 6 turns it a quarter
    assert Image.open(target.media.path(new)).size == (height, width)


def test_two_photos_that_clean_to_the_same_one_become_one(
    source: Workspace, target: Workspace, tmp_path: Path
) -> None:
    clean = source.media.import_bytes(photo_bytes(5, (64, 48)))
    exif = Image.Exif()
    exif[0x013B] = "Someone's name"  # Artist: an owner name
    app1 = b"Exif\x00\x00" + exif.tobytes()
    with_exif = clean.path.read_bytes()[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1
    with_exif += clean.path.read_bytes()[2:]
    dirty = _plant(source, with_exif)
    look = source.looks.create_look("Twice")
    source.looks.add_photo(look.id, clean.hash, 64, 48)
    source.looks.add_photo(look.id, dirty, 64, 48)
    archive = export_archive(source.db, tmp_path / "a.zip", source.media.path).path
    report = import_archive(target.db, archive, target.media)
    assert report.cleaned == (dirty,)
    with target.db.connect() as conn:
        assert conn.execute("SELECT hash FROM media").fetchall() == [(clean.hash,)]
        photos = conn.execute("SELECT media_hash FROM look_photos").fetchall()
    assert photos == [(clean.hash,), (clean.hash,)]
    assert list(_masters(target.media).values()) == [clean.path.read_bytes()]


def _bomb_png(width: int, height: int) -> bytes:
    """A PNG that declares a huge canvas in a few bytes (its pixels would be 1.2 GB)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * (width * 3 + 1) * 4)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_a_400_megapixel_bomb_is_refused_with_the_reason_and_nothing_is_written(
    source: Workspace, target: Workspace, tmp_path: Path
) -> None:
    good = source.media.import_bytes(photo_bytes(7, (64, 64)))
    bomb = _plant(source, _bomb_png(20_000, 20_000), ".png")
    look = source.looks.create_look("Bomb")
    source.looks.add_photo(look.id, good.hash, 64, 64)
    source.looks.add_photo(look.id, bomb, 20_000, 20_000)
    archive = export_archive(source.db, tmp_path / "a.zip", source.media.path).path
    before, files = dump(target.db), media_files(target.media.root)
    with pytest.raises(ArchiveError) as refused:
        import_archive(target.db, archive, target.media)
    assert "image too large (400 megapixels; the limit is 100)" in str(refused.value)
    assert dump(target.db) == before and media_files(target.media.root) == files


def _fixture_images(fixtures_dir: Path) -> list[Path]:
    folders = ("pillow_tests", "exif_orientation")
    return sorted(
        p
        for folder in folders
        for p in (fixtures_dir / "images" / folder).iterdir()
        if p.suffix.lower() in {".jpg", ".png", ".gif", ".webp", ".heif", ".avif", ".mpo"}
    )


def test_the_studios_own_photos_come_back_byte_for_byte_under_their_names(
    source: Workspace, target: Workspace, tmp_path: Path, fixtures_dir: Path
) -> None:
    look = source.looks.create_look("Every fixture")
    imported = 0
    for path in _fixture_images(fixtures_dir):
        try:
            stored = source.media.import_file(path)
        except MediaError:
            continue  # refused by the pipeline (truncated, broken): never in a workspace
        source.looks.add_photo(look.id, stored.hash, stored.width, stored.height)
        imported += 1
    for seed, fmt in ((1, "JPEG"), (2, "PNG")):  # noisy photos, RGB and RGBA
        stored = source.media.import_bytes(photo_bytes(seed, (320, 200), fmt))
        source.looks.add_photo(look.id, stored.hash, stored.width, stored.height)
    assert imported >= 40
    masters = _masters(source.media)
    assert all(clean_master_size(data, name[-4:]) for name, data in masters.items())
    archive = export_archive(source.db, tmp_path / "a.zip", source.media.path).path
    report = import_archive(target.db, archive, target.media)
    assert report.cleaned == ()
    assert _masters(target.media) == masters  # same names, same bytes


@pytest.mark.parametrize(
    "spoil",
    [
        lambda d: d + b"\x00",  # anything after the end
        lambda d: d[:-200],  # truncated
        lambda d: d[:2] + b"\xff\xfe\x00\x05hi!" + d[2:],  # a comment
    ],
)
def test_a_spoiled_jpeg_master_is_not_clean(spoil: object) -> None:
    data = photo_bytes(3, (64, 64))
    library_master = io.BytesIO()
    Image.open(io.BytesIO(data)).save(library_master, "JPEG", quality=92)
    master = library_master.getvalue()
    assert clean_master_size(master, ".jpg") == (64, 64)
    assert clean_master_size(spoil(master), ".jpg") is None  # type: ignore[operator]


def test_a_png_master_with_anything_more_is_not_clean() -> None:
    out = io.BytesIO()
    Image.new("RGBA", (32, 16), (1, 2, 3, 4)).save(out, "PNG")
    master = out.getvalue()
    assert clean_master_size(master, ".png") == (32, 16)
    text = io.BytesIO()
    Image.new("RGBA", (32, 16)).save(text, "PNG", pnginfo=_text_chunk())
    broken = bytearray(master)
    broken[40] ^= 0xFF  # a wrong CRC
    for spoiled in (master + b"<script>", bytes(broken), text.getvalue(), master[:-12]):
        assert clean_master_size(spoiled, ".png") is None


def _text_chunk() -> object:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "someone")
    return info


def test_a_planted_photo_met_while_the_records_are_written_is_renamed_in_them_too(
    source: Workspace,
    target: Workspace,
    tmp_path: Path,
    fixtures_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The records are written while the last photos are staged: when one of those is the
    planted photo, the write (which named it by its old name) is rolled back and made again
    with the new name."""
    import threading
    from contextlib import contextmanager
    from typing import Any

    from studio.store import archive

    for seed in range(6):  # clean photos staged first, so the write begins before the last
        stored = source.media.import_bytes(photo_bytes(40 + seed, (64, 64)))
        source.looks.add_photo(source.looks.create_look(f"L{seed}").id, stored.hash, 64, 64)
    old = _plant(source, _gps_jpeg(fixtures_dir))
    ids = _use_everywhere(source, old, 8, 8)
    out = export_archive(source.db, tmp_path / "a.zip", source.media.path).path
    writes: list[int] = []
    real_writing = archive.writing

    @contextmanager
    def watched(*args: Any) -> Iterator[Any]:
        writes.append(1)
        with real_writing(*args) as written:
            yield written

    class PlantedLast:
        def __init__(self, library: MediaLibrary) -> None:
            self.library = library

        def stage_photo(self, data: Any, media_hash: str, ext: str) -> Any:
            if media_hash == old:  # held until the records' write has begun
                for _ in range(1000):
                    if writes:
                        break
                    threading.Event().wait(0.01)
            return self.library.stage_photo(data, media_hash, ext)

        def __getattr__(self, name: str) -> Any:
            return getattr(self.library, name)

    monkeypatch.setattr(archive, "writing", watched)
    monkeypatch.setattr(archive, "WRITE_SHARE", 1e9)  # the write begins after the first photo
    report = import_archive(target.db, out, PlantedLast(target.media))
    assert len(writes) == 2 and report.cleaned == (old,)
    refs = _references(target, ids)
    assert old not in refs.values() and len(set(refs.values())) == 1
    assert target.media.has(refs["avatar"]) and not target.media.has(old)
    with target.db.connect() as conn:
        outbox = "\n".join(row[0] for row in conn.execute("SELECT payload FROM outbox"))
        hashes = {row[0] for row in conn.execute("SELECT hash FROM media")}
    assert old not in outbox and old not in hashes and refs["avatar"] in hashes
