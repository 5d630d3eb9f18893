"""The conflict-of-interest rule on tagging: looks' hotspots and boards' product items.

A curator who makes or represents a brand may not tag a competitor's product in that brand's
category (studio.core.rules); the store refuses it with the rule's reason and writes nothing
(no record, no outbox entry). Real SQLite store, real catalog, real profile.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from studio.core.boards import BoardItem, BoardItemKind
from studio.core.errors import StoreError
from studio.core.looks import ProductRef
from studio.core.money import Money
from studio.core.product import ProductRecord
from studio.core.profile import Relationship
from studio.store.boards import BoardStore
from studio.store.catalog import CatalogStore
from studio.store.db import Database, open_database
from studio.store.looks import LookStore
from studio.store.profile import ProfileStore

HASH = "a" * 64
OWN = ProductRef(None, "Acme", "a1")  # Acme, Footwear > Sneakers: the curator's own brand
RIVAL = ProductRef(None, "Bolt", "run")  # Bolt, Footwear > Sneakers > Running: a competitor
OTHER = ProductRef(None, "Bolt", "coat")  # Bolt, Apparel > Coats: not Acme's category
GONE = ProductRef(None, "Nowhere", "x-1")  # not in the catalog: brand and category unknown


def rec(merchant: str, offer: str, brand: str, category: str) -> ProductRecord:
    return ProductRecord(
        merchant,
        offer,
        f"{brand} {offer}",
        price=Money(1000, "EUR"),
        brand=brand,
        product_type=category,
    )


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "studio.sqlite3")
    catalog = CatalogStore(database)
    catalog.import_feed("Acme", "google-xml", [rec("Acme", "a1", "Acme", "Footwear > Sneakers")])
    catalog.import_feed(
        "Bolt",
        "google-xml",
        [
            rec("Bolt", "run", "Bolt", "Footwear > Sneakers > Running"),
            rec("Bolt", "coat", "Bolt", "Apparel > Coats"),
        ],
    )
    yield database
    database.close()


def count(db: Database, sql: str) -> int:
    with db.connect() as conn:
        return int(conn.execute(sql).fetchone()[0])


def declare(db: Database, relationship: Relationship = Relationship.MAKES) -> None:
    ProfileStore(db).add_affiliation("Acme", "Footwear", relationship)


def test_without_affiliations_any_product_may_be_tagged(db: Database) -> None:
    looks = LookStore(db)
    photo = looks.add_photo(looks.create_look("Street").id, HASH, 100, 100)
    spot = looks.add_hotspot(photo.id, RIVAL, 0.5, 0.5)
    assert looks.tag_refusal(RIVAL) == ""
    assert spot.product == RIVAL


@pytest.mark.parametrize("relationship", [Relationship.MAKES, Relationship.REPRESENTS])
def test_a_competitors_hotspot_is_refused_with_the_reason_and_nothing_written(
    db: Database, relationship: Relationship
) -> None:
    looks = LookStore(db)
    photo = looks.add_photo(looks.create_look("Street").id, HASH, 100, 100)
    declare(db, relationship)
    hotspots, outbox = (
        count(db, "SELECT count(*) FROM hotspots"),
        count(db, "SELECT count(*) FROM outbox"),
    )
    with pytest.raises(StoreError) as refused:
        looks.add_hotspot(photo.id, RIVAL, 0.5, 0.5, label="Runner")
    reason = str(refused.value)
    assert "Acme" in reason and "Bolt" in reason and "competitor" in reason
    assert reason == looks.tag_refusal(RIVAL)
    assert count(db, "SELECT count(*) FROM hotspots") == hotspots
    assert count(db, "SELECT count(*) FROM outbox") == outbox
    # Its own brand, another category and a product the catalog does not know stay allowed.
    for ref in (OWN, OTHER, GONE):
        assert looks.tag_refusal(ref) == ""
        looks.add_hotspot(photo.id, ref, 0.2, 0.2)
    doc = looks.document(photo.look_id)
    assert doc is not None and [h.product.offer_id for h in doc.hotspots] == ["a1", "coat", "x-1"]


def test_changing_a_hotspot_to_a_competitor_is_refused_other_edits_are_not(db: Database) -> None:
    looks = LookStore(db)
    photo = looks.add_photo(looks.create_look("Street").id, HASH, 100, 100)
    spot = looks.add_hotspot(photo.id, OTHER, 0.5, 0.5)
    early = looks.add_hotspot(photo.id, RIVAL, 0.3, 0.3)  # tagged before the tie was declared
    declare(db)
    outbox = count(db, "SELECT count(*) FROM outbox")
    with pytest.raises(StoreError, match="competitor"):
        looks.update_hotspot(spot.id, product=RIVAL, label="swapped")
    assert count(db, "SELECT count(*) FROM outbox") == outbox
    doc = looks.document(photo.look_id)
    assert doc is not None
    assert [(h.product, h.label) for h in doc.hotspots if h.id == spot.id] == [(OTHER, "")]
    # A tag made earlier keeps working: moving or relabelling it is no new tag.
    moved = looks.update_hotspot(early.id, x=0.9, label="Old runner")
    assert (moved.x, moved.label, moved.product) == (0.9, "Old runner", RIVAL)
    looks.delete_hotspot(early.id)
    assert looks.restore_hotspot(early.id).product == RIVAL


def test_a_competitors_board_item_is_refused_when_added_or_changed(db: Database) -> None:
    boards = BoardStore(db)
    board = boards.create_board("Mood")
    kept = boards.add_item(
        BoardItem("", board.id, BoardItemKind.PRODUCT, 0, 0, 100, 100, product=OTHER)
    )
    declare(db)
    items, outbox = (
        count(db, "SELECT count(*) FROM board_items"),
        count(db, "SELECT count(*) FROM outbox"),
    )
    with pytest.raises(StoreError, match="Bolt is a competitor"):
        boards.add_item(
            BoardItem("", board.id, BoardItemKind.PRODUCT, 10, 10, 100, 100, product=RIVAL)
        )
    with pytest.raises(StoreError, match="competitor"):  # all or none: the move is not kept
        boards.update_items([(kept.id, {"x": 50.0}), (kept.id, {"product": RIVAL})])
    assert count(db, "SELECT count(*) FROM board_items") == items
    assert count(db, "SELECT count(*) FROM outbox") == outbox
    doc = boards.document(board.id)
    assert doc is not None and [(i.x, i.product) for i in doc.items] == [(0, OTHER)]
    # Text, photos, its own brand and plain moves are not tags of a competitor.
    boards.add_item(BoardItem("", board.id, BoardItemKind.TEXT, 0, 0, 100, 40, text="Hi"))
    own = boards.add_item(
        BoardItem("", board.id, BoardItemKind.PRODUCT, 0, 0, 100, 100, product=OWN)
    )
    assert boards.update_items([(own.id, {"x": 5.0})])[0].x == 5.0
