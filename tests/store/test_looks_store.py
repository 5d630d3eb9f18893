"""LookStore: looks, photos and hotspots read and edited through the real SQLite store."""

from __future__ import annotations

import math
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from studio.core.errors import StoreError
from studio.core.looks import Crop, LookStatus, MatchKind, ProductRef, new_id
from studio.core.ordering import key_between
from studio.store.db import Database, downgrade, migrate, open_database
from studio.store.looks import LookStore

HASH_A, HASH_B, HASH_C = "a" * 64, "b" * 64, "c" * 64
SHIRT = ProductRef(41, "Nordlys", "SH-1")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "studio.sqlite3")
    yield database
    database.close()


@pytest.fixture
def store(db: Database) -> LookStore:
    return LookStore(db)


def _raw(db: Database, sql: str, *args: object) -> list[tuple[object, ...]]:
    with db.connect() as conn:
        return conn.execute(sql, args).fetchall()


def test_a_look_round_trips_with_its_photos_and_hotspots(store: LookStore) -> None:
    look = store.create_look("Autumn layers")
    assert look.status is LookStatus.DRAFT and look.created_at == look.updated_at
    store.update_look(
        look.id,
        caption="Warm and easy",
        occasions=["Office", " weekend  trip"],
        seasons=("Autumn", "autumn", ""),
        styles=["Minimal"],
        status="ready",
    )
    photo = store.add_photo(look.id, HASH_A, 3000, 4000)
    photo = store.update_photo(
        photo.id, crop=Crop(0.1, 0.2, 0.9, 1.0), rotation=5, alt_text="A coat on a rail"
    )
    gone = ProductRef(None, "Old shop", "X-9")  # no longer in the catalog: re-link data only
    one = store.add_hotspot(photo.id, SHIRT, 0.25, 0.75, label="Shirt", note="size M")
    two = store.add_hotspot(photo.id, gone, 0.5, 0.5, kind=MatchKind.SIMILAR)

    doc = store.document(look.id)
    assert doc is not None
    assert doc.look.caption == "Warm and easy"
    assert doc.look.occasions == ("Office", "weekend trip")
    assert doc.look.seasons == ("Autumn",)  # repeats (any case) and empty tags dropped
    assert doc.look.tags == ("Office", "weekend trip", "Autumn", "Minimal")
    assert doc.look.status is LookStatus.READY
    assert doc.look.updated_at > doc.look.created_at
    assert doc.photos == (photo,)
    assert photo.rotation == 1 and photo.crop == Crop(0.1, 0.2, 0.9, 1.0)
    assert doc.hotspots == (one, two)
    assert doc.hotspots[0].product == SHIRT and doc.hotspots[1].product == gone
    assert doc.hotspots[1].kind is MatchKind.SIMILAR
    assert doc.numbers() == {one.id: 1, two.id: 2}
    assert _raw(store.db, "SELECT width, height FROM media WHERE hash = ?", HASH_A) == [
        (3000, 4000)
    ]


def test_coordinates_are_clamped_and_bad_values_refused(store: LookStore) -> None:
    look = store.create_look("L")
    photo = store.add_photo(look.id, HASH_A, 2000, 2000)
    spot = store.add_hotspot(photo.id, SHIRT, -0.5, 1.7)
    assert (spot.x, spot.y) == (0.0, 1.0)
    moved = store.update_hotspot(spot.id, x=3, y=-1e9)
    assert (moved.x, moved.y) == (1.0, 0.0)
    for bad in (math.nan, math.inf, "0.5", True):
        with pytest.raises(ValueError):
            store.update_hotspot(spot.id, x=bad)
    with pytest.raises(ValueError):
        store.update_photo(photo.id, crop=Crop(0.6, 0.0, 0.4, 1.0))  # keeps nothing
    with pytest.raises(TypeError, match="media_hash"):
        store.update_photo(photo.id, media_hash=HASH_B)
    with pytest.raises(ValueError):
        store.update_look(look.id, status="published")
    with pytest.raises(ValueError):
        store.update_look(look.id, styles="not a list")
    doc = store.document(look.id)
    assert doc is not None and doc.hotspots == (moved,)  # the refused edits changed nothing
    assert doc.photos == (photo,)


def test_unknown_ids_raise_store_error_naming_the_id(store: LookStore) -> None:
    missing = new_id()
    calls: list[Callable[[], object]] = [
        lambda: store.update_look(missing, title="x"),
        lambda: store.duplicate_look(missing),
        lambda: store.trash_look(missing),
        lambda: store.restore_look(missing),
        lambda: store.add_photo(missing, HASH_A, 10, 10),
        lambda: store.update_photo(missing, alt_text="x"),
        lambda: store.remove_photo(missing),
        lambda: store.restore_photo(missing),
        lambda: store.add_hotspot(missing, SHIRT, 0, 0),
        lambda: store.update_hotspot(missing, x=0.5),
        lambda: store.delete_hotspot(missing),
        lambda: store.restore_hotspot(missing),
    ]
    for call in calls:
        with pytest.raises(StoreError, match=missing):
            call()
    assert store.document(missing) is None
    assert _raw(store.db, "SELECT count(*) FROM outbox") == [(0,)]


def test_photos_append_and_reorder_by_fractional_keys(store: LookStore) -> None:
    look = store.create_look("L")
    first = store.add_photo(look.id, HASH_A, 100, 100)
    second = store.add_photo(look.id, HASH_B, 100, 100)
    third = store.add_photo(look.id, HASH_C, 100, 100)
    assert first.position < second.position < third.position
    # Drag the third between the first two: only its key changes.
    store.update_photo(third.id, position=key_between(first.position, second.position))
    doc = store.document(look.id)
    assert doc is not None
    assert [p.id for p in doc.photos] == [first.id, third.id, second.id]
    # Insert at an explicit position (before everything).
    zeroth = store.add_photo(look.id, HASH_A, 100, 100, position=key_between(None, first.position))
    doc = store.document(look.id)
    assert doc is not None and doc.photos[0].id == zeroth.id
    # A removed last photo still counts for appends: its restore never ties with a newer one.
    store.remove_photo(second.id)
    newest = store.add_photo(look.id, HASH_B, 100, 100)
    assert newest.position > second.position
    with pytest.raises(ValueError):
        store.update_photo(first.id, position="V0")  # not a valid key


def test_hotspots_are_ordered_per_photo_in_photo_order(store: LookStore) -> None:
    look = store.create_look("L")
    p1 = store.add_photo(look.id, HASH_A, 100, 100)
    p2 = store.add_photo(look.id, HASH_B, 100, 100, position=key_between(None, p1.position))
    a = store.add_hotspot(p1.id, SHIRT, 0.1, 0.1)
    b = store.add_hotspot(p2.id, SHIRT, 0.2, 0.2)
    c = store.add_hotspot(p1.id, SHIRT, 0.3, 0.3)
    d = store.add_hotspot(p2.id, SHIRT, 0.4, 0.4)
    store.update_hotspot(c.id, position=key_between(None, a.position))
    doc = store.document(look.id)
    assert doc is not None
    assert [h.id for h in doc.hotspots] == [b.id, d.id, c.id, a.id]  # p2 comes first
    assert [h.id for h in doc.hotspots_of(p1.id)] == [c.id, a.id]
    assert doc.numbers()[a.id] == 4


def test_remove_photo_takes_its_hotspots_and_restore_brings_them_back(store: LookStore) -> None:
    look = store.create_look("L")
    photo = store.add_photo(look.id, HASH_A, 100, 100)
    keep = store.add_photo(look.id, HASH_B, 100, 100)
    a = store.add_hotspot(photo.id, SHIRT, 0.1, 0.1)
    b = store.add_hotspot(photo.id, SHIRT, 0.2, 0.2)
    earlier = store.add_hotspot(photo.id, SHIRT, 0.3, 0.3)
    store.delete_hotspot(earlier.id)  # deleted on its own before: stays deleted
    store.remove_photo(photo.id)
    doc = store.document(look.id)
    assert doc is not None and doc.photos == (keep,) and doc.hotspots == ()
    # Tombstones: the rows are still there.
    assert _raw(store.db, "SELECT count(*) FROM hotspots WHERE deleted_at IS NOT NULL") == [(3,)]
    assert store.restore_photo(photo.id) == photo
    doc = store.document(look.id)
    assert doc is not None
    assert doc.photos == (photo, keep) and doc.hotspots == (a, b)
    assert store.restore_hotspot(earlier.id) == earlier
    assert store.document(look.id).hotspots == (a, b, earlier)  # type: ignore[union-attr]


def test_replace_media_keeps_crop_turn_and_hotspots(store: LookStore) -> None:
    look = store.create_look("L")
    photo = store.add_photo(look.id, HASH_A, 800, 600)
    photo = store.update_photo(
        photo.id, crop=Crop(0.1, 0.1, 0.9, 0.9), rotation=1, alt_text="a coat"
    )
    spot = store.add_hotspot(photo.id, SHIRT, 0.4, 0.5)
    bigger = store.replace_media(photo.id, HASH_B, 3200, 2400)
    assert (bigger.media_hash, bigger.width, bigger.height) == (HASH_B, 3200, 2400)
    assert (bigger.crop, bigger.rotation, bigger.alt_text) == (photo.crop, 1, "a coat")
    doc = store.document(look.id)
    assert doc is not None and doc.photos == (bigger,) and doc.hotspots == (spot,)
    assert _raw(store.db, "SELECT width FROM media WHERE hash = ?", HASH_B) == [(3200,)]
    assert (
        _raw(
            store.db,
            "SELECT count(*) FROM outbox WHERE entity = 'look_photo' AND entity_id = ?",
            photo.id,
        )[0][0]
        == 3
    )  # add, update, replace
    with pytest.raises(ValueError):
        store.replace_media(photo.id, HASH_C, 0, 10)


def test_duplicate_copies_photos_and_hotspots_with_new_ids(store: LookStore) -> None:
    look = store.create_look("Gala")
    store.update_look(look.id, caption="Black tie", styles=["Classic"], status="ready")
    photo = store.add_photo(look.id, HASH_A, 100, 100)
    store.update_photo(photo.id, alt_text="Gown", crop=Crop(0.0, 0.1, 1.0, 0.9))
    removed = store.add_photo(look.id, HASH_B, 100, 100)
    spot = store.add_hotspot(photo.id, SHIRT, 0.4, 0.6, label="Gown")
    store.remove_photo(removed.id)

    copy = store.duplicate_look(look.id)
    assert copy.id != look.id and copy.title == "Copy of Gala"
    assert copy.status is LookStatus.DRAFT and copy.styles == ("Classic",)
    original, dup = store.document(look.id), store.document(copy.id)
    assert original is not None and dup is not None
    assert len(dup.photos) == 1 and len(dup.hotspots) == 1  # the removed photo is not copied
    new_photo, new_spot = dup.photos[0], dup.hotspots[0]
    assert new_photo.id != photo.id and new_spot.id != spot.id
    assert new_photo.media_hash == HASH_A and new_photo.alt_text == "Gown"
    assert new_photo.crop == Crop(0.0, 0.1, 1.0, 0.9)
    assert new_spot.photo_id == new_photo.id and new_spot.product == SHIRT
    assert (new_spot.x, new_spot.y, new_spot.label) == (0.4, 0.6, "Gown")
    # Editing the copy leaves the original alone.
    store.update_hotspot(new_spot.id, x=0.9)
    assert store.document(look.id) == original


def test_trash_and_restore(store: LookStore) -> None:
    look = store.create_look("L")
    photo = store.add_photo(look.id, HASH_A, 100, 100)
    store.trash_look(look.id)
    assert store.summaries() == []
    [trashed] = store.summaries(trashed=True)
    assert trashed.id == look.id and trashed.deleted_at is not None
    doc = store.document(look.id)
    assert doc is not None and doc.look.deleted_at is not None and doc.photos == (photo,)
    store.restore_look(look.id)
    assert [s.id for s in store.summaries()] == [look.id]
    assert store.summaries(trashed=True) == []


def test_redo_recreates_records_with_the_same_ids(store: LookStore) -> None:
    look_id, photo_id, spot_id = new_id(), new_id(), new_id()
    look = store.create_look("L", look_id=look_id)
    store.add_photo(look_id, HASH_A, 100, 100, photo_id=photo_id)
    store.add_hotspot(photo_id, SHIRT, 0.5, 0.5, hotspot_id=spot_id)
    later = store.add_hotspot(photo_id, SHIRT, 0.1, 0.1)
    store.delete_hotspot(spot_id)
    redone = store.add_hotspot(photo_id, SHIRT, 0.5, 0.5, hotspot_id=spot_id)
    assert redone.id == spot_id
    doc = store.document(look_id)
    assert doc is not None and [h.id for h in doc.hotspots] == [spot_id, later.id]  # its number
    other = store.add_photo(look_id, HASH_B, 100, 100)
    store.remove_photo(photo_id)
    store.add_photo(look_id, HASH_A, 100, 100, photo_id=photo_id)  # redo of the add
    doc = store.document(look_id)
    assert doc is not None and [p.id for p in doc.photos] == [photo_id, other.id]
    store.trash_look(look_id)
    again = store.create_look("L", look_id=look_id)
    assert again.id == look.id and again.deleted_at is None and again.created_at == look.created_at
    assert _raw(store.db, "SELECT count(*) FROM looks") == [(1,)]
    assert _raw(store.db, "SELECT count(*) FROM hotspots") == [(2,)]


def test_summaries_search_filter_and_order(store: LookStore) -> None:
    beach = store.create_look("Beach day")
    store.update_look(beach.id, occasions=["Holiday"], seasons=["Summer"])
    office = store.create_look("Monday")
    store.update_look(office.id, caption="For the OFFICE", styles=["Smart"], status="ready")
    party = store.create_look("Party 100%")
    store.update_look(party.id, occasions=["Night out"], seasons=["Summer"])
    photo = store.add_photo(beach.id, HASH_B, 100, 100)
    store.add_photo(beach.id, HASH_C, 100, 100)
    store.add_hotspot(photo.id, SHIRT, 0.1, 0.1)

    def ids(**kw: object) -> list[str]:
        return [s.id for s in store.summaries(**kw)]  # type: ignore[arg-type]

    assert ids() == [beach.id, party.id, office.id]  # most recently edited first
    store.update_look(office.id, title="Monday office")
    assert ids()[0] == office.id
    assert ids(text="office") == [office.id]  # title/caption, any case
    assert ids(text="SUMMER") == [beach.id, party.id]  # a tag
    assert ids(text="100%") == [party.id]  # LIKE wildcards are literal
    assert ids(text="summer night") == [party.id]  # every word must match
    assert ids(status=LookStatus.READY) == [office.id]
    assert ids(tag="Summer") == [beach.id, party.id]
    assert ids(tag="Summer", text="beach") == [beach.id]
    assert ids(tag="Nothing") == []
    [summary] = store.summaries(text="beach")
    assert (summary.cover_hash, summary.photo_count, summary.hotspot_count) == (HASH_B, 2, 1)
    assert summary.tags == ("Holiday", "Summer")
    # Editing a hotspot makes its look the most recent.
    store.add_hotspot(photo.id, SHIRT, 0.2, 0.2)
    assert ids()[0] == beach.id
    assert store.all_tags() == ["Holiday", "Night out", "Smart", "Summer"]
    store.trash_look(office.id)
    assert store.all_tags() == ["Holiday", "Night out", "Summer"]


def test_the_tag_filter_uses_its_index(store: LookStore) -> None:
    with store.db.connect() as conn:
        plan = " ".join(
            str(r)
            for r in conn.execute(
                "EXPLAIN QUERY PLAN SELECT look_id FROM look_tags WHERE tag = ?", ("x",)
            )
        )
    assert "ix_look_tags_tag" in plan


def test_reads_work_from_another_thread(store: LookStore) -> None:
    look = store.create_look("Threads")
    seen: list[object] = []
    worker = threading.Thread(target=lambda: seen.append(store.document(look.id)))
    worker.start()
    worker.join()
    assert seen == [store.document(look.id)]


def test_write_latency(store: LookStore, capsys: pytest.CaptureFixture[str]) -> None:
    """Edits run on the UI thread: measured and reported (not asserted: machines vary)."""
    look = store.create_look("L")
    photo = store.add_photo(look.id, HASH_A, 100, 100)
    spot = store.add_hotspot(photo.id, SHIRT, 0.5, 0.5)
    times = []
    for i in range(300):
        start = time.perf_counter()
        store.update_hotspot(spot.id, x=i / 300)
        times.append(time.perf_counter() - start)
    times.sort()
    with capsys.disabled():
        print(
            f"\nhotspot move: median {times[150] * 1e3:.3f} ms, "
            f"p99 {times[296] * 1e3:.3f} ms, max {times[-1] * 1e3:.3f} ms"
        )
    assert store.document(look.id).hotspots[0].x == pytest.approx(299 / 300)  # type: ignore[union-attr]


def test_migration_0003_upgrades_from_0002_and_downgrades(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    db = open_database(path)
    downgrade(db, "0002")
    new_tables = {
        "media",
        "looks",
        "look_tags",
        "look_photos",
        "hotspots",
        "boards",
        "board_items",
        "outbox",
    }

    def tables() -> set[str]:
        with sqlite3.connect(path) as conn:
            return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}

    assert not new_tables & tables()
    with db.connect() as conn:
        conn.execute("INSERT INTO merchants (name) VALUES ('Nordlys')")
    migrate(db, "0003")
    assert new_tables <= tables()
    store = LookStore(db)
    look = store.create_look("After the upgrade")
    assert store.summaries()[0].id == look.id
    downgrade(db, "0002")
    assert not new_tables & tables()
    with db.connect() as conn:
        assert conn.execute("SELECT name FROM merchants").fetchall() == [("Nordlys",)]
    db.close()
    reopened = open_database(path)  # the normal start-up path upgrades it again
    try:
        assert new_tables <= tables()
        assert LookStore(reopened).summaries() == []
    finally:
        reopened.close()
