"""The portable archive: export then import is lossless, products re-link by merchant + offer
id, a second import keeps the newer edit, and the file is the documented format."""

from __future__ import annotations

import hashlib
import json
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from test_archive_helpers import (
    Workspace,
    dump,
    fill,
    fill_curation,
    media_files,
    offers,
    open_workspace,
    photo_bytes,
    raw,
)

from bench.catalog_gen import generate_records
from studio.media.errors import MediaError
from studio.media.library import MediaLibrary
from studio.store import archive
from studio.store.archive import (
    FORMAT_VERSION,
    ArchiveCancelled,
    ArchiveError,
    Unlinked,
    export_archive,
    import_archive,
)
from studio.store.db import open_database
from studio.store.importer import import_feed


@pytest.fixture
def source(tmp_path: Path) -> Iterator[tuple[Workspace, dict[str, str]]]:
    ws = open_workspace(tmp_path / "a")
    made = fill(ws) | fill_curation(ws)
    yield ws, made
    ws.db.close()


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Workspace]:
    ws = open_workspace(tmp_path / "b")
    yield ws
    ws.db.close()


def _masters(ws: Workspace) -> dict[str, bytes]:
    return {k: v for k, v in media_files(ws.media.root).items() if not k.startswith("derived")}


def test_export_then_import_is_lossless(
    source: tuple[Workspace, dict[str, str]], target: Workspace, tmp_path: Path
) -> None:
    ws, made = source
    out = tmp_path / "work.vitrine.zip"
    report = export_archive(ws.db, out, ws.media.path)
    assert report.counts == {
        "media": 3,
        "looks": 2,
        "look_photos": 3,
        "hotspots": 4,
        "boards": 1,
        "board_items": 3,
        "profile": 1,
        "affiliations": 2,
        "shops": 2,
        "shop_sections": 2,
        "shop_items": 3,
        "reviews": 2,
        "review_photos": 2,
    }
    assert report.media_files == 7 and report.missing_media == ()
    outbox_before = raw(target.db, "SELECT count(*) FROM outbox")[0][0]
    back = import_archive(target.db, out, target.media)
    assert (back.added, back.updated, back.kept) == (30, 0, 0)
    assert [u.merchant for u in back.unlinked] == ["Gone Ltd"]
    # Record by record, every field of every table (the same catalog gives the same ids),
    # but the tier: the platform's to set, so the target keeps its own (starter), not the
    # source's full.
    source_dump, target_dump = dump(ws.db), dump(target.db)
    assert [row[4] for row in source_dump["profile"]] == ["full"]
    assert [row[4] for row in target_dump["profile"]] == ["starter"]
    source_dump["profile"] = [(*row[:4], "starter", *row[5:]) for row in source_dump["profile"]]
    for table in source_dump:
        if table != "outbox":
            assert target_dump[table] == source_dump[table], table
    for table in (
        "profile",
        "affiliations",
        "shops",
        "shop_sections",
        "shop_items",
        "reviews",
        "review_photos",
    ):
        assert target_dump[table] and target_dump[table] == source_dump[table], table
    # A review not rated yet comes back without a rating (null), not with a made-up one.
    ratings = [r for (r,) in raw(target.db, "SELECT rating FROM reviews ORDER BY title")]
    assert ratings == [None, 4]  # "Meh", "Warm and light"
    # Byte by byte for the photo masters: look photos, the banner, the avatar, review photos
    # (these last three have no media row: only the archive's media/ carried them).
    assert _masters(target) == _masters(ws) and len(_masters(ws)) == 7
    review_shots = [h for (h,) in raw(ws.db, "SELECT media_hash FROM review_photos")]
    assert len(review_shots) == 2
    for sha in (made["avatar"], made["banner"], *review_shots):
        assert target.media.path(sha).read_bytes() == ws.media.path(sha).read_bytes()
    # One outbox entry per record written, in the same transaction as the records.
    entries = raw(target.db, "SELECT entity, action, payload FROM outbox ORDER BY seq")
    assert len(entries) - outbox_before == 30
    kinds = {e[0] for e in entries[outbox_before:]}
    assert kinds == {
        "media",
        "look",
        "look_photo",
        "hotspot",
        "board",
        "board_item",
        "profile",
        "affiliation",
        "shop",
        "shop_section",
        "shop_item",
        "review",
        "review_photo",
    }
    deletes = [json.loads(str(e[2]))["id"] for e in entries[outbox_before:] if e[1] == "delete"]
    # Every tombstone (trashed look, shop, review; removed photos, items, sections...) is
    # sent as a delete.
    tombstones = sum(
        raw(ws.db, f"SELECT count(*) FROM {t} WHERE deleted_at IS NOT NULL")[0][0]
        for t in (
            "looks",
            "look_photos",
            "hotspots",
            "board_items",
            "affiliations",
            "shops",
            "shop_sections",
            "shop_items",
            "reviews",
            "review_photos",
        )
    )
    assert len(deletes) == tombstones >= 10

    # Shaped as the stores write them: the import's entry for each new record equals the
    # source workspace's last entry for it (same catalog, so the same product ids).
    def last(db_entries: list[tuple[object, ...]]) -> dict[tuple[object, object], object]:
        return {
            (e[0], json.loads(str(e[2])).get("id", "me")): (e[1], json.loads(str(e[2])))
            for e in db_entries
        }

    curation = {
        "profile",
        "affiliation",
        "shop",
        "shop_section",
        "shop_item",
        "review",
        "review_photo",
    }
    mine = {k: v for k, v in last(entries[outbox_before:]).items() if k[0] in curation}
    theirs = {
        k: v
        for k, v in last(
            raw(ws.db, "SELECT entity, action, payload FROM outbox ORDER BY seq")
        ).items()
        if k[0] in curation
    }
    # (The tier aside: the target keeps its own, as its row does.)
    theirs[("profile", "me")][1]["tier"] = "starter"  # type: ignore[index]
    assert mine == theirs and len(mine) == 14
    # The stores read the imported records like their own.
    doc = target.looks.document(source_dump["looks"][0][0]) or target.looks.document(
        source_dump["looks"][1][0]
    )
    assert doc is not None


@pytest.mark.parametrize("read_whole_max", [16 * 1024 * 1024, 0])
def test_photos_read_ahead_or_streamed_export_the_same(
    source: tuple[Workspace, dict[str, str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    read_whole_max: int,
) -> None:
    # Photos up to a size are read and hashed ahead on worker threads, larger ones streamed
    # by the writer: either way the archive holds exactly the library's bytes. The writer
    # hands what it wrote to a background flush as it goes (here after every photo).
    monkeypatch.setattr("studio.store.archive_media._READ_WHOLE_MAX", read_whole_max)
    monkeypatch.setattr("studio.store.archive_zip._FLUSH_EVERY", 1)
    ws, _ = source
    out = export_archive(ws.db, tmp_path / "a.zip", ws.media.path).path
    with zipfile.ZipFile(out) as zf:
        stored = {name: zf.read(name) for name in zf.namelist() if name.startswith("media/")}
    assert len(stored) == 7
    for name, data in stored.items():
        sha = name.removeprefix("media/").replace("/", "").rsplit(".", 1)[0]
        assert ws.media.path(sha).read_bytes() == data


def test_a_damaged_library_photo_fails_the_export_and_leaves_no_file(
    source: tuple[Workspace, dict[str, str]], tmp_path: Path
) -> None:
    ws, _ = source
    with ws.db.connect() as conn:
        sha = conn.execute("SELECT media_hash FROM look_photos LIMIT 1").fetchone()[0]
    master = ws.media.path(sha)
    master.write_bytes(master.read_bytes()[:-10] + b"0123456789")  # bit rot on disk
    with pytest.raises(ArchiveError, match="does not match its SHA-256"):
        export_archive(ws.db, tmp_path / "a.zip", ws.media.path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a"]  # the source workspace only


def test_the_file_is_the_documented_format(
    source: tuple[Workspace, dict[str, str]], tmp_path: Path
) -> None:
    ws, made = source
    out = export_archive(ws.db, tmp_path / "a.zip", ws.media.path).path
    with zipfile.ZipFile(out) as zf:
        infos = zf.infolist()
        assert infos[0].filename == "manifest.json"
        manifest = json.loads(zf.read("manifest.json"))
        assert manifest["format"] == "vitrine-archive" and manifest["version"] == FORMAT_VERSION
        assert set(manifest["sections"]) == {"looks", "boards", "profile", "shops", "reviews"}
        assert {s["version"] for s in manifest["sections"].values()} == {1}
        for entry in manifest["media"]:
            info = zf.getinfo(entry["path"])
            assert info.compress_type == zipfile.ZIP_STORED and info.file_size == entry["bytes"]
            assert entry["path"] == f"media/{entry['sha256'][:2]}/{entry['sha256'][2:]}" + (
                ".png" if entry["path"].endswith(".png") else ".jpg"
            )
        spots = json.loads(zf.read("records/hotspots.json"))
    coat = next(s for s in spots if s["id"] == made["hotspot"])
    assert "product_id" not in coat and coat["merchant"] == "Acme"
    assert coat["offer_id"] == made["offer"] and coat["product_title"]
    assert coat["x"] == 0.123456789 and coat["label"] == "the coat"
    assert not list(tmp_path.glob(".*.tmp"))  # the temp file was renamed into place


def test_products_missing_from_the_target_catalog_are_reported(
    source: tuple[Workspace, dict[str, str]], tmp_path: Path
) -> None:
    ws, made = source
    out = export_archive(ws.db, tmp_path / "a.zip", ws.media.path).path
    other = open_workspace(tmp_path / "c", skip_offer=made["offer"])
    try:
        report = import_archive(other.db, out, other.media)
        assert set(report.unlinked) == {
            Unlinked("hotspot", "Autumn layers", "the coat", "Acme", made["offer"]),
            Unlinked("hotspot", "Autumn layers", "old scarf", "Gone Ltd", "old-1"),
        }
        pid = raw(other.db, "SELECT product_id FROM hotspots WHERE id = ?", made["hotspot"])
        assert pid == [(None,)]
        # The hotspot tagged with a product the catalog still has is re-linked to its row.
        linked = raw(
            other.db,
            "SELECT h.product_id, p.offer_id FROM hotspots h JOIN products p "
            "ON p.id = h.product_id",
        )
        assert made["offer1"] in {offer for _, offer in linked}
    finally:
        other.db.close()


def test_a_catalog_change_while_photos_are_stored_is_seen_by_the_write(
    source: tuple[Workspace, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The rows are prepared while the photos are stored, without the write lock: when
    # another connection commits between the plan and the write (here a catalog import
    # bringing the missing product), the write must see the workspace as it is then, not as
    # it was planned.
    ws, made = source
    out = export_archive(ws.db, tmp_path / "a.zip", ws.media.path).path
    other = open_workspace(tmp_path / "c", skip_offer=made["offer"])
    plan_records = archive.plan_records

    def then_a_catalog_import(*args: Any) -> Any:
        plan = plan_records(*args)
        with open_database(other.db.path) as second:
            import_feed(second, "Acme", "google_xml", generate_records(12, seed=11, merchants=1))
        return plan

    monkeypatch.setattr(archive, "plan_records", then_a_catalog_import)
    try:
        report = import_archive(other.db, out, other.media)
        assert [u.merchant for u in report.unlinked] == ["Gone Ltd"]
        pid = raw(
            other.db,
            "SELECT p.offer_id FROM hotspots h JOIN products p "
            "ON p.id = h.product_id WHERE h.id = ?",
            made["hotspot"],
        )
        assert pid == [(made["offer"],)]
    finally:
        other.db.close()


def test_a_second_import_keeps_the_newer_edit(
    source: tuple[Workspace, dict[str, str]], target: Workspace, tmp_path: Path
) -> None:
    ws, made = source
    first = export_archive(ws.db, tmp_path / "1.zip", ws.media.path).path
    import_archive(target.db, first, target.media)
    again = import_archive(target.db, first, target.media)
    assert (again.added, again.updated, again.kept) == (0, 0, 30)
    target.looks.update_look(made["look"], title="Mine, edited later")
    ws.boards.update_board(made["board"], title="Theirs, edited later")
    second = export_archive(ws.db, tmp_path / "2.zip", ws.media.path).path
    report = import_archive(target.db, second, target.media)
    assert (report.added, report.updated) == (0, 1)
    assert raw(target.db, "SELECT title FROM looks WHERE id = ?", made["look"]) == [
        ("Mine, edited later",)
    ]
    assert raw(target.db, "SELECT title FROM boards WHERE id = ?", made["board"]) == [
        ("Theirs, edited later",)
    ]


def test_a_lost_photo_is_reported_on_export_and_accepted_on_import(
    source: tuple[Workspace, dict[str, str]], target: Workspace, tmp_path: Path
) -> None:
    ws, made = source
    pngs = [p for p in ws.media.root.rglob("*.png") if "derived" not in p.parts]
    lost = sorted(p.parent.name + p.stem for p in pngs)  # a look photo and the shop banner
    assert len(lost) == 2 and made["banner"] in lost
    for png in pngs:
        png.unlink()
    report = export_archive(ws.db, tmp_path / "a.zip", ws.media.path)
    assert report.missing_media == tuple(lost) and report.media_files == 5
    back = import_archive(target.db, report.path, target.media)
    assert back.missing_media == tuple(lost) and not any(map(target.media.has, lost))
    look_sha = next(sha for sha in lost if sha != made["banner"])
    assert raw(target.db, "SELECT count(*) FROM look_photos WHERE media_hash = ?", look_sha) == [
        (1,)
    ]
    assert raw(target.db, "SELECT banner_hash FROM shops WHERE id = ?", made["shop"]) == [
        (made["banner"],)
    ]


def test_cancelling_changes_nothing(
    source: tuple[Workspace, dict[str, str]], target: Workspace, tmp_path: Path
) -> None:
    ws, _ = source
    with pytest.raises(ArchiveCancelled):
        export_archive(ws.db, tmp_path / "x.zip", ws.media.path, lambda done, total: False)
    assert not (tmp_path / "x.zip").exists() and not list(tmp_path.glob(".x.zip.*"))
    out = export_archive(ws.db, tmp_path / "a.zip", ws.media.path).path
    before, files = dump(target.db), media_files(target.media.root)
    with pytest.raises(ArchiveCancelled):
        import_archive(target.db, out, target.media, lambda done, total: done == 0)
    assert dump(target.db) == before and media_files(target.media.root) == files
    # Cancelled at once, while the records are still being checked and photos staged.
    with pytest.raises(ArchiveCancelled):
        import_archive(target.db, out, target.media, lambda done, total: False)
    assert dump(target.db) == before and media_files(target.media.root) == files
    assert not [
        p
        for p in target.media.root.rglob("*")
        if p.is_dir() and not any(p.iterdir()) and ".staging" not in p.parts
    ]


def test_progress_counts_up_to_its_total(
    source: tuple[Workspace, dict[str, str]], target: Workspace, tmp_path: Path
) -> None:
    ws, _ = source
    seen: list[tuple[int, int]] = []
    out = export_archive(
        ws.db,
        tmp_path / "a.zip",
        ws.media.path,
        lambda done, total: seen.append((done, total)) is None,
    ).path
    assert (
        seen and seen[-1][0] == seen[-1][1] and [d for d, _ in seen] == sorted(d for d, _ in seen)
    )
    seen.clear()
    import_archive(
        target.db, out, target.media, lambda done, total: seen.append((done, total)) is None
    )
    # Reported (and cancellable) after each of the 13 record kinds is checked, while the
    # photos are staged; then as each of the 7 photos is in; then once for the records.
    assert len(seen) == 13 + 7 + 1 and seen[-1][0] == seen[-1][1]
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert seen[-2][0] == seen[-1][1] - 1  # every photo's bytes, before the records


def test_put_blob_stores_verified_bytes_only(tmp_path: Path) -> None:
    library = MediaLibrary(tmp_path / "media")
    data = photo_bytes(4, (40, 30))
    sha = hashlib.sha256(data).hexdigest()
    path = library.put_blob(data, sha, ".jpg")
    assert path.read_bytes() == data and path == library.path(sha)
    assert library.put_blob(data, sha, ".jpg") == path  # idempotent
    files = media_files(library.root)
    for bad_data, bad_sha, ext, words in (
        (data[:-1], sha, ".jpg", "do not match"),
        (data, sha, ".webp", "file type"),
        (b"GIF89a" + data, hashlib.sha256(b"GIF89a" + data).hexdigest(), ".jpg", "not a JPG"),
        (data, "../" + sha[3:], ".jpg", "SHA-256"),
    ):
        with pytest.raises((MediaError, ValueError), match=words):
            library.put_blob(bad_data, bad_sha, ext)
    assert media_files(library.root) == files


def test_staged_blobs_are_invisible_until_published_and_leave_nothing_when_discarded(
    tmp_path: Path,
) -> None:
    library = MediaLibrary(tmp_path / "media")
    one, two = photo_bytes(5, (40, 30)), photo_bytes(6, (40, 30))
    sha1, sha2 = (hashlib.sha256(d).hexdigest() for d in (one, two))
    staged = [library.stage_blob(one, sha1, ".jpg"), library.stage_blob(two, sha2, ".jpg")]
    assert None not in staged and not library.has(sha1) and not library.has(sha2)
    library.discard([s for s in staged if s is not None])
    assert media_files(library.root) == {}
    first = library.stage_blob(one, sha1, ".jpg")
    assert first is not None
    assert library.publish(first).read_bytes() == one and library.has(sha1)
    assert library.stage_blob(one, sha1, ".jpg") is None  # already stored: nothing staged
    with pytest.raises(MediaError, match="do not match"):
        library.stage_blob(two[:-1], sha2, ".jpg")
    library.sync()
    assert list(media_files(library.root)) == [str(library.path(sha1).relative_to(library.root))]


def test_shop_and_review_products_missing_from_the_target_catalog_are_reported(
    source: tuple[Workspace, dict[str, str]], tmp_path: Path
) -> None:
    ws, made = source
    out = export_archive(ws.db, tmp_path / "a.zip", ws.media.path).path
    titles = {offer: title for _, offer, title in offers(ws)}
    for name, offer, expected in (
        (
            "c",
            made["item_offer"],
            Unlinked(
                "shop_item",
                "Ada's picks",
                str(titles[made["item_offer"]]),
                "Acme",
                made["item_offer"],
            ),
        ),
        (
            "d",
            made["review_offer"],
            Unlinked(
                "review",
                "Warm and light",
                str(titles[made["review_offer"]]),
                "Acme",
                made["review_offer"],
            ),
        ),
    ):
        other = open_workspace(tmp_path / name, skip_offer=offer)
        try:
            report = import_archive(other.db, out, other.media)
            # Only live records are reported: the trashed review of the same product is not.
            assert [u for u in report.unlinked if u.merchant == "Acme"] == [expected]
            table = "shop_items" if expected.kind == "shop_item" else "reviews"
            record = made["item"] if expected.kind == "shop_item" else made["review"]
            assert raw(
                other.db, f"SELECT product_id, merchant, offer_id FROM {table} WHERE id = ?", record
            ) == [(None, "Acme", offer)]
            # The others are re-linked to this catalog's rows.
            assert raw(
                other.db,
                "SELECT count(*) FROM shop_items i JOIN products p ON "
                "p.id = i.product_id WHERE i.deleted_at IS NULL",
            )[0][0] == (0 if expected.kind == "shop_item" else 1)
        finally:
            other.db.close()


def test_a_bad_photo_met_while_the_records_are_written_rolls_them_back(
    source: tuple[Workspace, dict[str, str]],
    target: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The records are written while the last photos are staged (their transaction commits
    # only once every photo is good): a bad last photo must leave the workspace unchanged.
    ws, _ = source
    out = export_archive(ws.db, tmp_path / "a.zip", ws.media.path).path
    with zipfile.ZipFile(out) as zf:
        photos = sum(1 for name in zf.namelist() if name.startswith("media/"))
    before, files = dump(target.db), media_files(target.media.root)
    writing_began = threading.Event()
    real_writing = archive.writing

    @contextmanager
    def watched(*args: Any) -> Iterator[Any]:
        with real_writing(*args) as written:
            writing_began.set()
            yield written

    class LastPhotoBad:
        """The media library, but the last photo staged proves bad once the write began."""

        def __init__(self, library: MediaLibrary) -> None:
            self.library, self.calls, self.lock = library, 0, threading.Lock()

        def stage_photo(self, data: Any, media_hash: str, ext: str) -> Any:
            with self.lock:
                self.calls += 1
                last = self.calls == photos
            if last:
                assert writing_began.wait(10)
                raise MediaError("its bytes do not match their name")
            return self.library.stage_photo(data, media_hash, ext)

        def __getattr__(self, name: str) -> Any:  # publish, discard, sync
            return getattr(self.library, name)

    monkeypatch.setattr(archive, "writing", watched)
    monkeypatch.setattr(archive, "WRITE_SHARE", 1e9)  # the write begins after the first photo
    with pytest.raises(ArchiveError, match="is refused"):
        import_archive(target.db, out, LastPhotoBad(target.media))
    assert writing_began.is_set()
    assert dump(target.db) == before and media_files(target.media.root) == files
