"""The registry of record kinds: declared once, and the store's tables, migrations, outbox,
archive and domain records all in step with it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from studio.core.boards import BoardItem, BoardItemKind
from studio.core.looks import Crop, Hotspot, Look, LookPhoto, LookStatus, MatchKind, ProductRef
from studio.core.profile import Affiliation, Profile, Relationship, Tier
from studio.core.reviews import Provenance, Review, ReviewStatus
from studio.core.shops import Shop, ShopItem, ShopSection
from studio.protocol.checks import problem
from studio.protocol.codec import CLASSES, from_wire, to_wire
from studio.protocol.kinds import BY_TABLE, KINDS, PRODUCT_ID, ancestry, children, kind, root_of
from studio.store.db import open_database
from studio.store.models import ContentBase

# The SQL type each registry field type is stored as.
_SQL = {"int": "INTEGER", "rating": "INTEGER", "float": "FLOAT", "bool": "BOOLEAN"}
STAMP = "2026-12-07T10:00:00.000001+00:00"
REF = ProductRef(7, "Nordlys", "TEE-1")


def _sql_type(type_: str) -> str:
    return _SQL.get(type_.rstrip("?"), "TEXT")


@pytest.mark.parametrize("k", KINDS, ids=lambda k: k.name)
def test_each_kind_is_its_models_table(k: object) -> None:
    """The ORM model of each kind has exactly its fields (plus the local product_id), of the
    matching SQL type and nullability."""
    from studio.protocol.kinds import RecordKind

    assert isinstance(k, RecordKind)
    table = ContentBase.metadata.tables[k.table]
    expected = {name: _sql_type(t) for name, t in k.fields}
    if k.product:
        expected[PRODUCT_ID] = "INTEGER"
    got = {c.name: str(c.type.compile()) for c in table.columns}
    assert got == expected
    for name, type_ in k.fields:
        column = table.columns[name]
        assert (
            column.nullable == (type_.endswith("?") or name == "deleted_at") or column.primary_key
        )


def test_the_migrated_content_file_has_every_kind_as_declared(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.sqlite3")
    db.close()
    with sqlite3.connect(tmp_path / "s.sqlite3") as conn:
        for k in KINDS:
            info = {r[1]: (r[2], bool(r[3])) for r in conn.execute(f"PRAGMA table_info({k.table})")}
            declared = [n for n, _ in k.fields] + ([PRODUCT_ID] if k.product else [])
            assert sorted(info) == sorted(declared), k.table
            for name, type_ in k.fields:
                sql, not_null = info[name]
                assert sql == _sql_type(type_), (k.table, name)
                optional = type_.endswith("?") or name in ("deleted_at", k.key)
                assert not_null != optional or name == k.key, (k.table, name)
    conn.close()


def test_the_registry_is_consistent() -> None:
    assert len({k.name for k in KINDS}) == len(KINDS) == len(BY_TABLE)
    for k in KINDS:
        assert k.columns[0] == k.key
        if k.parent is not None:
            field, parent = k.parent
            assert k.types[field] == "id" and parent in {x.name for x in KINDS}
        if k.order is not None:
            assert k.types[k.order] == "key"
        if k.product:
            assert {"merchant", "offer_id"} <= set(k.types)
        for name in k.media:
            assert k.types[name].rstrip("?") == "hash"
    assert root_of("hotspot").name == "look"
    assert [p.name for _, _, p in ancestry("shop_item")] == ["shop_section", "shop"]
    assert {c.name for c in children("review")} == {"review_photo"}
    with pytest.raises(KeyError, match="known"):
        kind("nope")


SAMPLES: list[tuple[str, object, dict[str, object]]] = [
    ("look", Look("l1", "T", "c", ("Work",), (), ("Boho",), LookStatus.READY, STAMP, STAMP), {}),
    (
        "look_photo",
        LookPhoto("p1", "l1", "a" * 64, 10, 20, "V", Crop(0.1, 0.2, 0.9, 1.0), 1, "alt"),
        {"created_at": STAMP, "updated_at": STAMP, "deleted_at": None},
    ),
    (
        "hotspot",
        Hotspot("h1", "p1", REF, 0.5, 0.25, "Tee", MatchKind.SIMILAR, "n", "V"),
        {"created_at": STAMP, "updated_at": STAMP, "deleted_at": STAMP},
    ),
    (
        "board_item",
        BoardItem(
            "i1", "b1", BoardItemKind.TEXT, 1.0, 2.0, 3.0, 4.0, 45.0, True, False, "V", text="Hi"
        ),
        {"created_at": STAMP, "updated_at": STAMP, "deleted_at": None},
    ),
    ("profile", Profile("Ana", "bio", None, Tier.FULL, STAMP), {}),
    (
        "affiliation",
        Affiliation("Cascade", "Clothing", Relationship.PAID_BY, "a1"),
        {"created_at": STAMP, "updated_at": STAMP, "deleted_at": None},
    ),
    ("shop", Shop("s1", "ana", "Ana's", "tag", "d", None, "#112233", STAMP, STAMP), {}),
    (
        "shop_section",
        ShopSection("x1", "s1", "All", "V"),
        {"created_at": STAMP, "updated_at": STAMP, "deleted_at": None},
    ),
    (
        "shop_item",
        ShopItem("t1", "x1", REF, "V", "note", True, 1200, "EUR"),
        {"created_at": STAMP, "updated_at": STAMP, "deleted_at": None},
    ),
    (
        "review",
        Review(
            "r1",
            REF,
            4,
            "T",
            "B",
            ("p",),
            ("c",),
            (),
            Provenance.GIFTED,
            ReviewStatus.READY,
            STAMP,
            STAMP,
        ),
        {},
    ),
    (
        "review",  # not rated yet: null on the wire, None back
        Review("r2", REF, None, created_at=STAMP, updated_at=STAMP),
        {},
    ),
]


@pytest.mark.parametrize(("name", "obj", "stamps"), SAMPLES, ids=[s[0] for s in SAMPLES])
def test_domain_records_round_trip_through_the_wire_form(
    name: str, obj: object, stamps: dict[str, object]
) -> None:
    k = kind(name)
    wire = to_wire(k, obj, **stamps)
    assert problem(k, wire) is None
    assert set(wire) == set(k.columns)
    back = from_wire(k, wire | ({PRODUCT_ID: 7} if k.product else {}))
    assert back == obj


def test_every_kind_with_a_dataclass_has_a_sample() -> None:
    assert set(CLASSES) == {s[0] for s in SAMPLES} | {"board"}


def test_checks_name_what_is_wrong() -> None:
    look = kind("look")
    good = to_wire(look, SAMPLES[0][1])
    assert problem(look, good) is None
    assert problem(look, good | {"title": 3}) == "bad title 3"
    assert problem(look, good | {"status": "nope"}) == "bad status 'nope'"
    assert problem(look, good | {"created_at": "2026-12-07T10:00:00+01:00"}) is not None
    assert (
        problem(look, {k: v for k, v in good.items() if k != "caption"})
        == "missing field 'caption'"
    )
    assert problem(look, good | {"extra": 1}) == "unknown field 'extra'"
    assert problem(look, [good]) == "not a JSON object"
