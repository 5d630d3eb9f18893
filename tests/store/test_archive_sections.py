"""The archive's shops, reviews and profile sections: hostile and malformed records of these
kinds are refused with the workspace unchanged, an archive written before these sections
existed still imports, and the profile and shop handles merge by the documented rules."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from test_archive_helpers import (
    Workspace,
    dump,
    fill,
    fill_curation,
    media_files,
    open_workspace,
    raw,
    rewrite,
)

from studio.core.looks import ProductRef
from studio.store.archive import export_archive, import_archive
from studio.store.archive_zip import ArchiveError

Members = dict[str, bytes]
NEW_SECTIONS = {
    "profile": ("profile", "affiliations"),
    "shops": ("shops", "shop_sections", "shop_items"),
    "reviews": ("reviews", "review_photos"),
}


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A real archive of a workspace with looks, boards, shops, reviews and a profile."""
    root = tmp_path_factory.mktemp("source")
    ws = open_workspace(root)
    try:
        made = fill(ws) | fill_curation(ws)
        return export_archive(ws.db, root / "good.zip", ws.media.path).path, made
    finally:
        ws.db.close()


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Workspace]:
    """A workspace with a profile, a shop and a review of its own."""
    ws = open_workspace(tmp_path / "target", catalog=12)
    ws.profile.update(display_name="Target", bio="mine")
    shop = ws.shops.create_shop("mine", "My shop", section_title="All")
    products = raw(ws.db, "SELECT p.id, p.offer_id FROM products p ORDER BY p.id")
    doc = ws.shops.document(shop.id)
    assert doc is not None
    ws.shops.add_item(
        doc.sections[0].id, ProductRef(int(str(products[0][0])), "Acme", str(products[0][1]))
    )
    yield ws
    ws.db.close()


def _refused(ws: Workspace, archive: Path, *words: str) -> None:
    before, files = dump(ws.db), media_files(ws.media.root)
    with pytest.raises(ArchiveError) as info:
        import_archive(ws.db, archive, ws.media)
    message = str(info.value).lower()
    for word in words:
        assert word.lower() in message, message
    assert dump(ws.db) == before
    assert media_files(ws.media.root) == files


def _records(
    kind: str, change: Callable[[list[dict[str, object]]], None]
) -> Callable[[Members], Members]:
    def edit(members: Members) -> Members:
        records = json.loads(members[f"records/{kind}.json"])
        change(records)
        return members | {f"records/{kind}.json": json.dumps(records).encode()}

    return edit


def test_the_good_archive_imports(good: tuple[Path, dict[str, str]], target: Workspace) -> None:
    # The control for the hostile variants below. The target's profile was saved after the
    # archive's (the module fixture ran first): the newer one, the target's, is kept.
    report = import_archive(target.db, good[0], target.media)
    assert (report.added, report.updated, report.kept) == (29, 0, 1)
    assert target.profile.get().display_name == "Target"
    assert raw(target.db, "SELECT count(*) FROM shops")[0][0] == 3


def test_a_shop_item_in_a_missing_section_is_refused(
    good: tuple[Path, dict[str, str]], target: Workspace, tmp_path: Path
) -> None:
    def orphan(items: list[dict[str, object]]) -> None:
        items[0]["section_id"] = "no-such-section"

    archive = rewrite(good[0], tmp_path / "orphan.zip", _records("shop_items", orphan))
    _refused(target, archive, "records/shop_items.json", "no-such-section", "not in the archive")


def test_a_section_of_a_missing_shop_is_refused(
    good: tuple[Path, dict[str, str]], target: Workspace, tmp_path: Path
) -> None:
    def drop(shops: list[dict[str, object]]) -> None:
        shops[:] = [s for s in shops if s["id"] != good[1]["shop"]]

    def edit(members: Members) -> Members:
        members = _records("shops", drop)(members)
        manifest = json.loads(members["manifest.json"])
        manifest["counts"]["shops"] -= 1
        return members | {"manifest.json": json.dumps(manifest).encode()}

    _refused(
        target, rewrite(good[0], tmp_path / "noshop.zip", edit), "shop_id", "not in the archive"
    )


def test_a_review_photo_whose_blob_is_missing_is_refused(
    good: tuple[Path, dict[str, str]], target: Workspace, tmp_path: Path
) -> None:
    def edit(members: Members) -> Members:
        photos = json.loads(members["records/review_photos.json"])
        sha = photos[0]["media_hash"]
        manifest = json.loads(members["manifest.json"])
        entry = next(e for e in manifest["media"] if e["sha256"] == sha)
        # Gone from media/ AND from the manifest's list: only the reference check sees it.
        manifest["media"].remove(entry)
        manifest["counts"]["media_files"] -= 1
        return {k: v for k, v in members.items() if k != entry["path"]} | {
            "manifest.json": json.dumps(manifest).encode()
        }

    _refused(
        target,
        rewrite(good[0], tmp_path / "noblob.zip", edit),
        "referenced but missing from the archive",
    )


@pytest.mark.parametrize("rating", [0, 6, "5", 4.5, True, False])
def test_a_malformed_review_rating_is_refused(
    good: tuple[Path, dict[str, str]], target: Workspace, tmp_path: Path, rating: object
) -> None:
    def bad(reviews: list[dict[str, object]]) -> None:
        reviews[-1]["rating"] = rating

    _refused(
        target,
        rewrite(good[0], tmp_path / "rating.zip", _records("reviews", bad)),
        "records/reviews.json",
        "bad rating",
    )


@pytest.mark.parametrize(
    ("kind", "field", "value"),
    [
        ("profile", "id", "someone-else"),
        ("profile", "tier", "platinum"),
        ("affiliations", "relationship", "owns"),
        ("reviews", "provenance", "stolen"),
        ("reviews", "pros", "not a list"),
        ("shop_items", "featured", 1),
        ("shops", "banner_hash", "../../etc/passwd"),
    ],
)
def test_malformed_fields_of_the_new_kinds_are_refused(
    good: tuple[Path, dict[str, str]],
    target: Workspace,
    tmp_path: Path,
    kind: str,
    field: str,
    value: object,
) -> None:
    def bad(records: list[dict[str, object]]) -> None:
        records[0][field] = value

    _refused(
        target,
        rewrite(good[0], tmp_path / "bad.zip", _records(kind, bad)),
        f"records/{kind}.json",
        f"bad {field}",
    )


def test_two_live_shops_with_one_handle_are_refused(
    good: tuple[Path, dict[str, str]], target: Workspace, tmp_path: Path
) -> None:
    def same(shops: list[dict[str, object]]) -> None:
        for shop in shops:
            shop["deleted_at"] = None
            shop["handle"] = "twins"

    _refused(
        target,
        rewrite(good[0], tmp_path / "twins.zip", _records("shops", same)),
        "both use the handle 'twins'",
    )


def test_a_handle_taken_in_the_workspace_is_refused_before_any_photo_is_stored(
    good: tuple[Path, dict[str, str]], target: Workspace
) -> None:
    mine = target.shops.by_handle("mine")
    assert mine is not None
    target.shops.update_shop(mine.id, handle="ada-picks")
    _refused(target, good[0], "ada-picks", "My shop")


def test_an_archive_without_the_new_sections_still_imports(
    good: tuple[Path, dict[str, str]], target: Workspace, tmp_path: Path
) -> None:
    """An archive written before shops, reviews and the profile existed: format version 1
    with only the looks and boards sections (and only their photos)."""

    def old(members: Members) -> Members:
        manifest = json.loads(members["manifest.json"])
        used = {r["hash"] for r in json.loads(members["records/media.json"])}
        used |= {
            r["media_hash"]
            for r in json.loads(members["records/board_items.json"])
            if r["media_hash"]
        }
        gone = {e["path"] for e in manifest["media"] if e["sha256"] not in used}
        manifest["media"] = [e for e in manifest["media"] if e["sha256"] in used]
        for section, kinds in NEW_SECTIONS.items():
            del manifest["sections"][section]
            for kind in kinds:
                del manifest["counts"][kind]
                gone.add(f"records/{kind}.json")
        manifest["counts"]["media_files"] = len(manifest["media"])
        assert len(gone) == 7 + 4 and manifest["version"] == 1
        return {k: v for k, v in members.items() if k not in gone} | {
            "manifest.json": json.dumps(manifest).encode()
        }

    archive = rewrite(good[0], tmp_path / "old.zip", old)
    mine = {
        t: raw(target.db, f"SELECT * FROM {t} ORDER BY 1")
        for t in (
            "profile",
            "affiliations",
            "shops",
            "shop_sections",
            "shop_items",
            "reviews",
            "review_photos",
        )
    }
    report = import_archive(target.db, archive, target.media)
    assert report.added == 16 and report.media_files == 3
    assert set(report.counts) == {
        "media",
        "looks",
        "look_photos",
        "hotspots",
        "boards",
        "board_items",
    }
    for table, rows in mine.items():  # the workspace's own shops and profile are untouched
        assert raw(target.db, f"SELECT * FROM {table} ORDER BY 1") == rows, table


def test_the_newer_profile_wins(good: tuple[Path, dict[str, str]], target: Workspace) -> None:
    # Make the target's profile older than the archive's: the archive's replaces it.
    with target.db.connect() as conn:
        conn.execute("UPDATE profile SET updated_at = '2000-01-01T00:00:00.000000+00:00'")
        conn.commit()
    import_archive(target.db, good[0], target.media)
    profile = target.profile.get()
    # The archive says "full", but the tier is the platform's: the target stays a starter.
    assert (profile.display_name, profile.tier.value) == ("Ada ✓", "starter")
    assert target.media.has(str(profile.avatar_hash))
    # Edited here after the export: a second import keeps this workspace's profile.
    target.profile.update(display_name="Edited here", avatar_hash=None)
    again = import_archive(target.db, good[0], target.media)
    assert again.updated == 0
    assert target.profile.get().display_name == "Edited here"
    assert target.profile.get().avatar_hash is None


def test_a_lost_review_photo_listed_as_missing_is_accepted(
    tmp_path: Path, target: Workspace
) -> None:
    ws = open_workspace(tmp_path / "src")
    try:
        made = fill_curation(ws)
        shots = [h for (h,) in raw(ws.db, "SELECT media_hash FROM review_photos")]
        ws.media.path(shots[0]).unlink()
        report = export_archive(ws.db, tmp_path / "a.zip", ws.media.path)
        assert report.missing_media == (shots[0],)
        back = import_archive(target.db, report.path, target.media)
        assert back.missing_media == (shots[0],) and not target.media.has(shots[0])
        assert target.media.has(made["banner"]) and target.media.has(shots[1])
    finally:
        ws.db.close()


def test_a_hand_edited_tier_does_not_raise_the_workspaces(
    good: tuple[Path, dict[str, str]], target: Workspace, tmp_path: Path
) -> None:
    def promote(profile: list[dict[str, object]]) -> None:
        # "full", and edited later than anything here, so the rest of the profile is taken.
        profile[0].update(tier="full", display_name="Claims full", updated_at=LATER)

    assert target.profile.get().tier.value == "starter"
    edited = rewrite(good[0], tmp_path / "full.zip", _records("profile", promote))
    import_archive(target.db, edited, target.media)
    profile = target.profile.get()
    assert (profile.display_name, profile.tier.value) == ("Claims full", "starter")
    # What the sync will send for the imported profile carries the workspace's tier too.
    (payload,) = [
        json.loads(str(p))
        for (p,) in raw(target.db, "SELECT payload FROM outbox WHERE entity = 'profile'")
        if json.loads(str(p))["display_name"] == "Claims full"
    ]
    assert payload["tier"] == "starter"
    # Its live shop joined the workspace's: both kept, the newer one flagged by shop health.
    live = target.shops.summaries()
    assert len(live) == 2 and sorted(s.health_issues for s in live) == [0, 1]
    assert sorted(s.room_left for s in live)[0] == 0


LATER = "2100-01-01T00:00:00+00:00"
