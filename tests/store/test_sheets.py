"""studio.store.sheets: a look's or board's legend as the catalog has it now, gone products too."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.core.boards import BoardItem, BoardItemKind
from studio.core.errors import StoreError
from studio.core.looks import Crop, MatchKind, ProductRef
from studio.core.money import Money
from studio.core.product import Availability, ProductRecord
from studio.core.profile import Relationship
from studio.core.sharing import MISSING_FROM_CATALOG, PLAIN_LINKS_NOTICE, links_disclosure
from studio.store.boards import BoardStore
from studio.store.catalog import CatalogStore
from studio.store.db import Database, open_database
from studio.store.looks import LookStore
from studio.store.profile import ProfileStore
from studio.store.sheets import board_sheet, look_sheet

HASH = "ab" * 32


def media_path(media_hash: str) -> Path:
    return Path("/media") / media_hash


@pytest.fixture()
def db(tmp_path: Path) -> Database:
    database = open_database(tmp_path / "s.sqlite3")
    CatalogStore(database).import_feed(
        "Acme",
        "google-xml",
        [
            ProductRecord(
                "Acme",
                "coat",
                "Wool coat",
                link="https://acme.example/coat",
                price=Money(15900, "EUR"),
                sale_price=Money(12900, "EUR"),
                brand="Nordlys",
            ),
            ProductRecord(
                "Acme",
                "boots",
                "Boots",
                link="https://acme.example/boots",
                price=Money(8900, "EUR"),
                availability=Availability.OUT_OF_STOCK,
            ),
        ],
    )
    return database


def ids(db: Database) -> dict[str, int]:
    with db.connect() as conn:
        return {offer: pid for pid, offer in conn.execute("SELECT id, offer_id FROM products")}


def test_look_sheet_reads_the_catalog_and_keeps_gone_products(db: Database) -> None:
    looks, catalog, pid = LookStore(db), CatalogStore(db), ids(db)
    look = looks.create_look("Autumn")
    first = looks.add_photo(look.id, HASH, 1000, 800)
    second = looks.add_photo(look.id, HASH, 1000, 800)
    looks.update_photo(second.id, crop=Crop(0.5, 0.0, 1.0, 1.0), rotation=1, alt_text="B")
    looks.add_hotspot(
        second.id, ProductRef(pid["boots"], "Acme", "boots"), 0.75, 0.5, kind=MatchKind.SIMILAR
    )
    looks.add_hotspot(second.id, ProductRef(None, "Gone", "old"), 0.2, 0.5, label="scarf")
    # A stale id: the merchant + offer id still find the coat.
    looks.add_hotspot(first.id, ProductRef(99999, "Acme", "coat"), 0.5, 0.5, label="coat")

    sheet = look_sheet(looks, catalog, media_path, look.id)
    assert sheet.title == "Autumn"
    assert [p.image for p in sheet.photos] == [Path("/media") / HASH] * 2
    coat, boots, scarf = sheet.legend
    assert (coat.number, coat.title, coat.brand, coat.price, coat.link, coat.available) == (
        1,
        "Wool coat",
        "Nordlys",
        "129.00 EUR (was 159.00 EUR)",
        "https://acme.example/coat",
        True,
    )
    assert (boots.number, boots.available, boots.availability_note, boots.kind) == (
        2,
        False,
        "out of stock",
        MatchKind.SIMILAR,
    )
    assert (scarf.number, scarf.title, scarf.merchant, scarf.link, scarf.price) == (
        3,
        "scarf",
        "Gone",
        None,
        "",
    )
    assert scarf.availability_note == MISSING_FROM_CATALOG and not scarf.available
    # The scarf is cropped out of the second photo: a legend line but no marker.
    assert [m.number for m in sheet.photos[0].markers] == [1]
    (marker,) = sheet.photos[1].markers
    assert marker.number == 2 and (marker.x, marker.y) == pytest.approx((0.5, 0.5))
    assert sheet.photos[1].rotation == 1 and sheet.photos[1].alt_text == "B"

    with pytest.raises(StoreError, match="no look with id"):
        look_sheet(looks, catalog, media_path, "nope")


def test_board_sheet_numbers_products_in_z_order(db: Database) -> None:
    boards, catalog, pid = BoardStore(db), CatalogStore(db), ids(db)
    board = boards.create_board("Board")
    boards.add_item(
        BoardItem(
            "a",
            board.id,
            BoardItemKind.PRODUCT,
            100,
            100,
            50,
            50,
            product=ProductRef(pid["boots"], "Acme", "boots"),
            media_hash=HASH,
        )
    )
    boards.add_item(BoardItem("t", board.id, BoardItemKind.TEXT, 100, 100, 50, 50, text="hi"))
    boards.add_item(
        BoardItem(
            "b",
            board.id,
            BoardItemKind.PRODUCT,
            100,
            100,
            50,
            50,
            product=ProductRef(pid["coat"], "Acme", "coat"),
            media_hash="not-a-hash",
        )
    )
    sheet = board_sheet(boards, catalog, media_path, board.id)
    assert sheet.numbers == {"a": 1, "b": 2}
    assert [(e.number, e.title) for e in sheet.legend] == [(1, "Boots"), (2, "Wool coat")]
    assert set(sheet.images) >= {HASH}
    with pytest.raises(StoreError, match="no board with id"):
        board_sheet(boards, catalog, media_path, "nope")


def test_a_brand_that_pays_the_curator_is_named_on_its_line_and_in_the_disclosure(
    db: Database,
) -> None:
    looks, boards, catalog, pid = LookStore(db), BoardStore(db), CatalogStore(db), ids(db)
    look = looks.create_look("Autumn")
    photo = looks.add_photo(look.id, HASH, 1000, 800)
    looks.add_hotspot(photo.id, ProductRef(pid["coat"], "Acme", "coat"), 0.5, 0.5)
    looks.add_hotspot(photo.id, ProductRef(pid["boots"], "Acme", "boots"), 0.2, 0.5)
    board = boards.create_board("Moods")
    boards.add_item(
        BoardItem(
            "c",
            board.id,
            BoardItemKind.PRODUCT,
            100,
            100,
            50,
            50,
            product=ProductRef(pid["coat"], "Acme", "coat"),
        )
    )
    unpaid = look_sheet(looks, catalog, media_path, look.id)
    assert unpaid.disclosure == PLAIN_LINKS_NOTICE
    assert not any(e.paid_by for e in unpaid.legend)
    ProfileStore(db).add_affiliation("NORDLYS", "Apparel", Relationship.PAID_BY)
    for sheet in (
        look_sheet(looks, catalog, media_path, look.id),
        board_sheet(boards, catalog, media_path, board.id),
    ):
        assert sheet.disclosure == links_disclosure(["NORDLYS"])
        coat = sheet.legend[0]
        assert coat.paid_by and coat.details.endswith("Nordlys pays the curator")
    boots = look_sheet(looks, catalog, media_path, look.id).legend[1]
    assert not boots.paid_by and "pays" not in boots.details
