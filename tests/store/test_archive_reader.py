"""How an import reads and orders its photos: StoredReader and the store order.

StoredReader (os.pread straight from the zip) must return exactly what ``zipfile`` returns for
a stored member, fall back to ``zipfile`` for a compressed one, and refuse what ``zipfile``
would refuse (a local header that does not match the central directory, a member cut short)
with an ArchiveError. The photos are stored spread over their hash prefixes (every one once).
"""

from __future__ import annotations

import os
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from studio.store.archive_media import spread
from studio.store.archive_zip import ArchiveError, StoredReader


def make_zip(path: Path, members: dict[str, bytes], *, deflate: str = "") -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(
                name,
                data,
                compress_type=zipfile.ZIP_DEFLATED if name == deflate else zipfile.ZIP_STORED,
            )
    return path


def test_stored_and_compressed_members_read_as_zipfile_reads_them(tmp_path: Path) -> None:
    members = {f"media/{n:02d}/photo-{n}.jpg": os.urandom(1000 + 37 * n) for n in range(40)}
    members["records/notes.json"] = b"[" + b"1, " * 5000 + b"1]"
    members["media/ü/naïve.jpg"] = b"\xff\xd8 accents in the name (UTF-8 flag)"
    src = make_zip(tmp_path / "a.zip", members, deflate="records/notes.json")
    with zipfile.ZipFile(src) as zf, StoredReader(zf, src, "a.zip") as reader:
        infos = zf.infolist()
        with ThreadPoolExecutor(4) as pool:  # one descriptor shared by threads
            got = list(pool.map(reader.read, infos))
        assert got == [members[i.filename] for i in infos]
        assert got == [zf.read(i) for i in infos]


def test_a_local_header_naming_another_file_is_refused(tmp_path: Path) -> None:
    src = make_zip(tmp_path / "a.zip", {"media/aa.jpg": b"x" * 500, "media/bb.jpg": b"y" * 500})
    raw = bytearray(src.read_bytes())
    first = raw.index(b"media/aa.jpg")  # the local header's copy of the name comes first
    raw[first : first + 12] = b"media/zz.jpg"
    src.write_bytes(bytes(raw))
    with (
        zipfile.ZipFile(src) as zf,
        StoredReader(zf, src, "a.zip") as reader,
        pytest.raises(ArchiveError, match="names another file"),
    ):
        reader.read(zf.getinfo("media/aa.jpg"))
        assert reader.read(zf.getinfo("media/bb.jpg")) == b"y" * 500


def test_a_member_cut_short_or_a_bad_header_is_refused(tmp_path: Path) -> None:
    src = make_zip(tmp_path / "a.zip", {"media/aa.jpg": b"x" * 5000})
    with zipfile.ZipFile(src) as zf:
        info = zf.getinfo("media/aa.jpg")
    info.file_size = info.compress_size = 50_000  # declared larger than what the file holds
    with zipfile.ZipFile(src) as zf, StoredReader(zf, src, "a.zip") as reader:
        with pytest.raises(ArchiveError, match="not its declared size"):
            reader.read(info)
        info.header_offset += 1  # no local header signature there
        with pytest.raises(ArchiveError, match="bad local header"):
            reader.read(info)


def test_photos_are_stored_spread_over_their_hash_prefixes_each_once() -> None:
    entries = [
        {"sha256": f"{prefix}{n:062x}"}
        for prefix in ("aa", "ab", "ff")
        for n in range(4 if prefix == "ab" else 2)
    ]
    order = spread(entries)
    assert sorted(e["sha256"] for e in order) == sorted(e["sha256"] for e in entries)
    assert [e["sha256"][:2] for e in order] == ["aa", "ab", "ff", "aa", "ab", "ff", "ab", "ab"]
    assert spread([]) == []


def test_a_photo_is_read_in_two_system_calls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its local header with the name it holds, then its bytes: each call is a turn of the
    GIL for the threads reading photos while the records are written."""
    src = make_zip(tmp_path / "a.zip", {"media/aa.jpg": b"x" * 5000})
    calls: list[str] = []
    real_pread, real_preadv = os.pread, os.preadv

    def pread(fd: int, n: int, offset: int) -> bytes:
        calls.append("pread")
        return real_pread(fd, n, offset)

    def preadv(fd: int, buffers: list[memoryview], offset: int) -> int:
        calls.append("preadv")
        return real_preadv(fd, buffers, offset)

    monkeypatch.setattr(os, "pread", pread)
    monkeypatch.setattr(os, "preadv", preadv)
    with zipfile.ZipFile(src) as zf, StoredReader(zf, src, "a.zip") as reader:
        got = reader.read(zf.getinfo("media/aa.jpg"), bytearray(8000))
    assert bytes(got) == b"x" * 5000 and calls == ["pread", "preadv"]


def test_a_local_header_with_a_name_of_another_length_is_refused(tmp_path: Path) -> None:
    src = make_zip(tmp_path / "a.zip", {"media/aa.jpg": b"x" * 500})
    raw = bytearray(src.read_bytes())
    raw[26:28] = (11).to_bytes(2, "little")  # the local header's name length, one short
    src.write_bytes(bytes(raw))
    with (
        zipfile.ZipFile(src) as zf,
        StoredReader(zf, src, "a.zip") as reader,
        pytest.raises(ArchiveError, match="names another file"),
    ):
        reader.read(zf.getinfo("media/aa.jpg"))
