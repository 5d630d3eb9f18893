"""ReviewStore and ProfileStore through the real SQLite store and a real catalog."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from studio.core.errors import StoreError
from studio.core.looks import ProductRef
from studio.core.money import Money
from studio.core.product import ProductRecord
from studio.core.profile import Affiliation, Relationship, Tier
from studio.core.reviews import Provenance, ReviewStatus, disclosure
from studio.store import outbox
from studio.store.catalog import CatalogStore
from studio.store.db import Database, open_database
from studio.store.profile import ProfileStore
from studio.store.reviews import ReviewStore

RUNNER = ProductRef(None, "Shoes4U", "run-1")
BOOT = ProductRef(None, "Shoes4U", "boot-1")
COAT = ProductRef(None, "Coats Ltd", "coat-1")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "studio.sqlite3")
    catalog = CatalogStore(database)
    catalog.import_feed(
        "Shoes4U",
        "google-xml",
        [
            ProductRecord(
                "Shoes4U",
                "run-1",
                "Swift runner",
                price=Money(9900, "EUR"),
                brand="Swift",
                product_type="Footwear > Sneakers > Running",
            ),
            ProductRecord(
                "Shoes4U",
                "boot-1",
                "Acme boot",
                price=Money(12900, "EUR"),
                brand="Acme",
                product_type="Footwear > Boots",
            ),
        ],
    )
    catalog.import_feed(
        "Coats Ltd",
        "google-xml",
        [
            ProductRecord(
                "Coats Ltd",
                "coat-1",
                "Long coat",
                price=Money(25900, "EUR"),
                brand="Warm",
                product_type="Apparel > Coats",
            ),
        ],
    )
    yield database
    database.close()


@pytest.fixture
def store(db: Database) -> ReviewStore:
    return ReviewStore(db)


def test_a_review_saves_as_one_types_and_lists_with_its_disclosure(
    db: Database, store: ReviewStore
) -> None:
    review = store.create(RUNNER, 4, provenance="gifted", title="Light")
    assert review.status is ReviewStatus.DRAFT and review.product.product_id is not None
    seen = len(outbox.pending(db))
    for body in ("Fast", "Fast and **light**", "Fast and **light**, runs small."):
        review = store.update(review.id, body=body)  # autosave: one row, one entry each
    assert len(outbox.pending(db)) == seen + 3
    assert outbox.pending(db)[-1].payload["body"] == "Fast and **light**, runs small."
    review = store.update(
        review.id, pros=[" grip ", "", "weight"], cons=("size",), status="ready", rating=5
    )
    again = store.get(review.id)
    assert again == review and again.pros == ("grip", "weight") and again.words == 9
    [row] = store.summaries()
    assert (row.rating, row.status, row.brand, row.product_title, row.words) == (
        5,
        ReviewStatus.READY,
        "Swift",
        "Swift runner",
        9,
    )
    assert row.disclosure == disclosure(Provenance.GIFTED, "Swift")
    assert "given this product for free by Swift" in row.disclosure


def test_search_and_filters(store: ReviewStore) -> None:
    a = store.create(RUNNER, 5, title="Great grip")
    b = store.create(COAT, 2, title="Too warm")
    store.update(b.id, body="Scratchy 100% wool", status="ready")
    assert [r.id for r in store.summaries(text="GRIP")] == [a.id]
    assert [r.id for r in store.summaries(text="100%")] == [b.id]
    assert [r.id for r in store.summaries(text="%")] == [b.id]  # a literal percent sign
    assert [r.id for r in store.summaries(rating=2)] == [b.id]
    assert [r.id for r in store.summaries(status="draft")] == [a.id]
    assert [r.id for r in store.summaries(merchant="Shoes4U")] == [a.id]
    assert [r.id for r in store.summaries()] == [b.id, a.id]  # most recently edited first
    store.trash(a.id)
    assert [r.id for r in store.summaries(trashed=True)] == [a.id]
    store.restore(a.id)
    assert len(store.summaries()) == 2
    for bad in (0, 6, 3.5, True):
        with pytest.raises(ValueError, match="rating"):
            store.create(RUNNER, bad)  # type: ignore[arg-type]


def test_conflicts_refuse_a_competitor_and_label_an_own_brand(
    db: Database, store: ReviewStore
) -> None:
    profile = ProfileStore(db)
    profile.add_affiliation("acme", "Footwear", Relationship.REPRESENTS)
    with pytest.raises(
        StoreError, match="You represent acme, which sells in Footwear; Swift is a competitor"
    ):
        store.create(RUNNER, 5)
    assert store.summaries() == []
    own = store.create(BOOT, 5, provenance="bought")
    assert own.provenance is Provenance.OWN_BRAND
    assert store.update(own.id, provenance="gifted").provenance is Provenance.OWN_BRAND
    other = store.create(COAT, 3)
    with pytest.raises(StoreError, match="not a brand you declared"):
        store.update(other.id, provenance="own_brand")
    with pytest.raises(StoreError, match="competitor"):
        store.update(other.id, product=RUNNER)
    assert store.get(other.id).product.offer_id == "coat-1"  # type: ignore[union-attr]
    assert (
        "Own brand: I make or represent Acme" in store.summaries(merchant="Shoes4U")[0].disclosure
    )


def test_photos_add_remove_reorder_restore(db: Database, store: ReviewStore) -> None:
    review = store.create(COAT, 4)
    p1, p2, p3 = (store.add_photo(review.id, h * 64) for h in "abc")
    assert store.get(review.id).photos == ("a" * 64, "b" * 64, "c" * 64)  # type: ignore
    previous = store.reorder_photos(review.id, [p3, p1, p2])
    assert store.get(review.id).photos == ("c" * 64, "a" * 64, "b" * 64)  # type: ignore
    store.remove_photo(p1)
    assert store.photo_ids(review.id) == [p3, p2]
    store.restore_photo(p1)
    store.reorder_photos(review.id, previous)
    assert store.photo_ids(review.id) == [p1, p2, p3]
    with pytest.raises(ValueError):
        store.reorder_photos(review.id, [p1, p2])
    entities = [e.entity for e in outbox.pending(db)]
    assert entities.count("review_photo") == 3 + 3 + 1 + 1 + 3
    assert "photos" not in outbox.pending(db)[0].payload


def test_a_failing_write_rolls_back(db: Database, store: ReviewStore) -> None:
    review = store.create(COAT, 4, title="Before")
    with db.connect() as conn:
        conn.execute(
            "CREATE TRIGGER boom BEFORE INSERT ON outbox WHEN "
            "NEW.payload LIKE '%After%' BEGIN SELECT RAISE(ABORT, 'injected'); END"
        )
    with pytest.raises(Exception, match="injected"):
        store.update(review.id, title="After")
    assert store.get(review.id).title == "Before"  # type: ignore[union-attr]


def test_profile_and_affiliations(db: Database) -> None:
    profile = ProfileStore(db)
    assert profile.get().tier is Tier.STARTER and profile.get().display_name == ""
    me = profile.update(display_name="Ana", bio="Runner", avatar_hash="d" * 64)
    assert profile.get() == me and me.updated_at
    with pytest.raises(TypeError, match="the tier is set by the platform"):
        profile.update(tier="full")  # only the platform raises it
    assert profile.get().tier is Tier.STARTER
    with pytest.raises(TypeError):
        profile.update(email="x")
    with pytest.raises(ValueError, match="needs a category"):
        profile.add_affiliation("Acme", " > ", "makes")
    a = profile.add_affiliation("Acme", "Footwear>Boots ", "makes")
    assert a.category == "Footwear > Boots"
    b = profile.add_affiliation("Warm", "Apparel", "paid_by")
    profile.remove_affiliation(a.id)
    assert profile.affiliations() == [b]
    profile.restore_affiliation(a.id)
    kept = profile.set_affiliations([b, Affiliation("Swift", "Footwear", Relationship.MAKES)])
    assert [x.brand for x in profile.affiliations()] == ["Warm", "Swift"]
    assert kept[0].id == b.id
    with db.connect() as conn:
        assert conn.execute("SELECT count(*) FROM profile").fetchone() == (1,)
        assert conn.execute(
            "SELECT count(*) FROM affiliations WHERE deleted_at IS NOT NULL"
        ).fetchone() == (1,)
    assert {e.entity for e in outbox.pending(db)} == {"profile", "affiliation"}


def test_the_profile_dialogs_save_writes_fields_and_ties_together(db: Database) -> None:
    profile = ProfileStore(db)
    acme = profile.add_affiliation("Acme", "Footwear > Boots", "makes")
    warm = profile.add_affiliation("Warm", "Apparel", "paid_by")
    before = len(outbox.pending(db))
    saved = profile.save(
        [acme, Affiliation("Swift", "Footwear", Relationship.REPRESENTS)],
        display_name="Ana",
        bio="Runner",
    )
    assert profile.get() == saved and saved.display_name == "Ana"
    assert [(a.brand, a.relationship) for a in profile.affiliations()] == [
        ("Acme", Relationship.MAKES),
        ("Swift", Relationship.REPRESENTS),
    ]
    # Sent to the platform: the profile, the new tie and the dropped one; not the unchanged.
    sent = outbox.pending(db)[before:]
    assert sorted(e.entity for e in sent) == ["affiliation", "affiliation", "profile"]
    assert acme.id not in {e.entity_id for e in sent} and warm.id in {e.entity_id for e in sent}
    # A refused value writes nothing at all: neither the fields nor the ties.
    with pytest.raises(ValueError, match="needs a category"):
        profile.save([Affiliation("Nope", " > ", Relationship.MAKES)], display_name="Bo")
    with pytest.raises(TypeError, match="the tier is set by the platform"):
        profile.save([], display_name="Bo", tier="full")
    assert profile.get().display_name == "Ana" and len(profile.affiliations()) == 2


def test_a_new_review_has_no_rating_until_one_is_given(db: Database, store: ReviewStore) -> None:
    review = store.create(RUNNER, title="First thoughts")
    assert review.rating is None and store.get(review.id) == review
    assert outbox.pending(db)[-1].payload["rating"] is None  # null on the wire
    [row] = store.summaries()
    assert row.rating is None
    assert store.update(review.id, rating=4).rating == 4
    assert store.update(review.id, rating=None).rating is None  # an undo takes it back
    assert store.get(review.id).rating is None  # type: ignore[union-attr]


def test_migration_0006_keeps_ratings_and_allows_none(tmp_path: Path) -> None:
    from studio.store.db import downgrade, migrate, open_database
    from studio.store.migrations import HEAD

    database = open_database(tmp_path / "m.sqlite3")
    try:
        store = ReviewStore(database)
        with database.connect() as conn:  # no catalog here: rows as an older app wrote them
            conn.execute(
                "INSERT INTO reviews VALUES ('r1', NULL, 'M', 'o1', NULL, 't', '', '[]', '[]',"
                " 'bought', 'draft', 'a', 'a', NULL)"
            )
        # A photo row references the review: the table's rebuild must not trip its foreign
        # key (with keys enforced, DROP TABLE reviews failed and the store would not open).
        store.add_photo("r1", "a" * 64)
        downgrade(database, "0005")
        with database.connect() as conn:
            assert conn.execute("SELECT rating FROM reviews").fetchall() == [(3,)]
            conn.execute("UPDATE reviews SET rating = 5")
            with pytest.raises(sqlite3.IntegrityError):
                conn.execute("UPDATE reviews SET rating = NULL")
        migrate(database)
        with database.connect() as conn:
            assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
            assert conn.execute("SELECT rating FROM reviews").fetchall() == [(5,)]
            assert conn.execute("SELECT review_id FROM review_photos").fetchall() == [("r1",)]
            assert conn.execute("PRAGMA foreign_keys").fetchone() == (1,)  # enforced again
        assert store.update("r1", rating=None).rating is None
    finally:
        database.close()


def test_a_review_is_ready_only_with_a_rating(store: ReviewStore) -> None:
    review = store.create(RUNNER, title="No verdict yet")
    with pytest.raises(ValueError, match="ready only once it has a rating"):
        store.update(review.id, status="ready")
    assert store.get(review.id).status is ReviewStatus.DRAFT
    ready = store.update(review.id, rating=4, status="ready")
    assert (ready.rating, ready.status) == (4, ReviewStatus.READY)
    with pytest.raises(ValueError, match="ready only once it has a rating"):
        store.update(review.id, rating=None)  # the verdict cannot leave a ready review
    assert store.get(review.id).rating == 4
