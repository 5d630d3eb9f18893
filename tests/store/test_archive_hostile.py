"""Hostile and malformed archives, built for real: each is refused with a clear error and the
target workspace (its tables, its outbox and its media folder) is left exactly as it was."""

from __future__ import annotations

import json
import stat
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from test_archive_helpers import (
    Workspace,
    dump,
    fill,
    media_files,
    open_workspace,
    photo_bytes,
    rewrite,
)

from studio.store.archive import export_archive, import_archive
from studio.store.archive_zip import ArchiveError, Limits

Edit = Callable[[dict[str, bytes]], dict[str, bytes]]


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real archive of a filled workspace."""
    root = tmp_path_factory.mktemp("source")
    ws = open_workspace(root)
    try:
        fill(ws)
        return export_archive(ws.db, root / "good.zip", ws.media.path).path
    finally:
        ws.db.close()


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Workspace]:
    """A workspace with work of its own, which a refused import must not touch."""
    ws = open_workspace(tmp_path / "target", catalog=4)
    mine = ws.media.import_bytes(photo_bytes(9, (50, 40)))
    look = ws.looks.create_look("Mine")
    ws.looks.add_photo(look.id, mine.hash, mine.width, mine.height)
    ws.looks.update_look(look.id, caption="keep me")
    yield ws
    ws.db.close()


def _tree(root: Path) -> list[str]:
    """Every file and folder under ``root``: a refused import leaves not even a folder."""
    return sorted(
        str(p.relative_to(root)) for p in root.rglob("*") if ".staging" not in p.parts
    )  # (.staging: the library's bookkeeping of whose temporary files are whose)


def _refused(ws: Workspace, archive: Path, *words: str, limits: Limits | None = None) -> None:
    before, files, tree = dump(ws.db), media_files(ws.media.root), _tree(ws.media.root)
    with pytest.raises(ArchiveError) as info:
        import_archive(ws.db, archive, ws.media, limits=limits)
    message = str(info.value).lower()
    for word in words:
        assert word.lower() in message, message
    assert dump(ws.db) == before
    assert media_files(ws.media.root) == files
    assert _tree(ws.media.root) == tree


def _manifest(edit: Callable[[dict[str, object]], None]) -> Edit:
    def apply(members: dict[str, bytes]) -> dict[str, bytes]:
        manifest = json.loads(members["manifest.json"])
        edit(manifest)
        return members | {"manifest.json": json.dumps(manifest).encode()}

    return apply


def _first_photo(members: dict[str, bytes]) -> str:
    return next(name for name in members if name.startswith("media/"))


def test_the_good_archive_imports(good: Path, target: Workspace) -> None:
    # The control: what the hostile variants are made from is itself accepted.
    report = import_archive(target.db, good, target.media)
    assert report.added == 16


def test_a_zip_bomb_is_refused_before_it_is_inflated(
    good: Path, target: Workspace, tmp_path: Path
) -> None:
    zeros = bytes(64 * 1024 * 1024)  # 64 MB of zeros deflate to about 64 KB

    def bomb(members: dict[str, bytes]) -> dict[str, bytes]:
        return members | {"records/looks.json": zeros}

    archive = rewrite(good, tmp_path / "bomb.zip", bomb)
    info = zipfile.ZipFile(archive).getinfo("records/looks.json")
    assert info.file_size > 500 * info.compress_size  # it really is a bomb
    _refused(target, archive, "zip bomb", "records/looks.json")
    # A total bound holds too, whatever the ratio.
    _refused(target, good, "total", limits=Limits(max_total_bytes=1000))


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("../evil", ("escaping", "../evil")),
        ("media/../../evil.jpg", ("escaping",)),
        ("/etc/evil", ("absolute",)),
        ("C:/evil", ("drive letter",)),
        ("media\\evil.jpg", ("backslash",)),
    ],
)
def test_member_paths_escaping_the_target_are_refused(
    good: Path, target: Workspace, tmp_path: Path, name: str, words: tuple[str, ...]
) -> None:
    archive = rewrite(good, tmp_path / "evil.zip", lambda m: m | {name: b"gotcha"})
    assert name in zipfile.ZipFile(archive).namelist()
    _refused(target, archive, *words)


def test_a_symlink_member_is_refused(good: Path, target: Workspace, tmp_path: Path) -> None:
    def link(zf: zipfile.ZipFile) -> None:
        info = zipfile.ZipInfo("media/link.jpg")
        info.create_system = 3
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")

    _refused(target, rewrite(good, tmp_path / "link.zip", lambda m: m, extra=link), "symbolic link")


def test_a_newer_format_is_refused_naming_both_versions(
    good: Path, target: Workspace, tmp_path: Path
) -> None:
    archive = rewrite(good, tmp_path / "v99.zip", _manifest(lambda m: m.update(version=99)))
    _refused(target, archive, "version 99", "up to version 1", "newer")


def test_an_unknown_section_is_refused(good: Path, target: Workspace, tmp_path: Path) -> None:
    def add(m: dict[str, object]) -> None:
        sections = m["sections"]
        assert isinstance(sections, dict)
        sections["wishlists"] = {"version": 1, "records": ["wishlists"]}

    _refused(target, rewrite(good, tmp_path / "s.zip", _manifest(add)), "wishlists")


def test_a_missing_manifest_is_refused(good: Path, target: Workspace, tmp_path: Path) -> None:
    archive = rewrite(
        good,
        tmp_path / "nomanifest.zip",
        lambda m: {k: v for k, v in m.items() if k != "manifest.json"},
    )
    _refused(target, archive, "no manifest.json")


def test_a_missing_photo_is_refused(good: Path, target: Workspace, tmp_path: Path) -> None:
    with zipfile.ZipFile(good) as zf:
        photo = next(n for n in zf.namelist() if n.startswith("media/"))
    archive = rewrite(
        good, tmp_path / "nophoto.zip", lambda m: {k: v for k, v in m.items() if k != photo}
    )
    _refused(target, archive, "missing from the archive", photo)


def test_a_photo_not_matching_its_hash_is_refused_and_no_photo_is_stored(
    good: Path, target: Workspace, tmp_path: Path
) -> None:
    def damage(members: dict[str, bytes]) -> dict[str, bytes]:
        photos = sorted(n for n in members if n.startswith("media/"))
        last = photos[-1]  # the others, checked first, must not be stored either
        data = bytearray(members[last])
        data[len(data) // 2] ^= 0xFF
        return members | {last: bytes(data)}

    _refused(target, rewrite(good, tmp_path / "bad.zip", damage), "do not match their SHA-256")


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (
            lambda m: m | {"records/looks.json": b'[{"id": "x", '},
            ("records/looks.json", "not valid json"),
        ),
        (lambda m: m | {"manifest.json": b"{nope"}, ("manifest.json", "not valid json")),
        (
            lambda m: (
                m
                | {
                    "records/hotspots.json": json.dumps(
                        [
                            {k: v for k, v in r.items() if k != "x"}
                            for r in json.loads(m["records/hotspots.json"])
                        ]
                    ).encode()
                }
            ),
            ("missing field 'x'",),
        ),
        (
            lambda m: (
                m
                | {
                    "records/boards.json": json.dumps(
                        [r | {"width": "wide"} for r in json.loads(m["records/boards.json"])]
                    ).encode()
                }
            ),
            ("bad width",),
        ),
        (
            lambda m: (
                m
                | {
                    "records/look_photos.json": json.dumps(
                        [
                            r | {"look_id": "nowhere"}
                            for r in json.loads(m["records/look_photos.json"])
                        ]
                    ).encode()
                }
            ),
            ("not in the archive",),
        ),
        (lambda m: m | {"records/looks.json": b"[]"}, ("manifest counts",)),
        (
            lambda m: (
                m
                | {
                    "records/looks.json": json.dumps(
                        [
                            r | {"updated_at": "9999 forever"}
                            for r in json.loads(m["records/looks.json"])
                        ]
                    ).encode()
                }
            ),
            ("bad updated_at",),
        ),
        (lambda m: m | {"stray.txt": b"hi"}, ("unexpected member",)),
    ],
)
def test_malformed_records_are_refused(
    good: Path, target: Workspace, tmp_path: Path, edit: Edit, words: tuple[str, ...]
) -> None:
    _refused(target, rewrite(good, tmp_path / "bad.zip", edit), *words)


def test_a_file_that_is_not_a_zip_is_refused(target: Workspace, tmp_path: Path) -> None:
    fake = tmp_path / "fake.zip"
    fake.write_bytes(b"PK\x03\x04 but not really a zip" * 10)
    _refused(target, fake, "not a readable zip")
    _refused(target, tmp_path / "absent.zip", "no such file")
