"""The catalog (studio.server.catalog, routes_catalog): ingest with sequence numbers, the
compact paged change log, unavailability, effective commission rates, gzip."""

from __future__ import annotations

import gzip
import json
from decimal import Decimal

import sqlalchemy
from serverhelp import Account, Api, ingest, merchant, product, slug

from studio.core.money import Money
from studio.protocol.catalog_wire import page_from_wire
from studio.server import catalog
from studio.server.db import Database
from studio.server.models import Product


def _all(api: Api, who: Account, after: int = 0, limit: int = 10000) -> dict:  # type: ignore[type-arg]
    r = api.get(f"/v1/catalog/changes?after={after}&limit={limit}", who)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def test_changes_need_a_signed_in_caller(api: Api) -> None:
    r = api.client.get("/v1/catalog/changes")
    assert r.status_code == 401 and slug(r) == "unauthorized"


def test_an_ingest_is_sent_once_per_product_in_sequence_order(api: Api, db: Database) -> None:
    merchant(db, "Nordlys")
    report = ingest(db, "Nordlys", [product("Nordlys", f"N{i}") for i in range(5)])
    assert (report.added, report.updated, report.unchanged) == (5, 0, 0)
    me = api.account()
    page = _all(api, me)
    assert [c["offer_id"] for c in page["changes"]] == [f"N{i}" for i in range(5)]
    seqs = [c["seq"] for c in page["changes"]]
    assert seqs == sorted(seqs) and len(set(seqs)) == 5
    assert page["cursor"] == seqs[-1] and page["more"] is False
    decoded = page_from_wire(page)  # the studio's reader takes it as it is
    assert decoded.changes[0].product == product("Nordlys", "N0")
    assert decoded.changes[0].commission_rate == Decimal("0.08")
    assert _all(api, me, after=page["cursor"]) == {
        "changes": [],
        "cursor": page["cursor"],
        "more": False,
    }


def test_pages_follow_the_cursor_and_say_when_there_is_more(api: Api, db: Database) -> None:
    merchant(db, "M")
    ingest(db, "M", [product("M", f"P{i:02}") for i in range(25)])
    me = api.account()
    seen, cursor, pages = [], 0, 0
    while True:
        page = _all(api, me, after=cursor, limit=10)
        seen += [c["offer_id"] for c in page["changes"]]
        cursor, pages = page["cursor"], pages + 1
        if not page["more"]:
            break
    assert pages == 3 and seen == [f"P{i:02}" for i in range(25)]


def test_a_product_changed_twice_appears_once_with_its_latest_state(api: Api, db: Database) -> None:
    merchant(db, "M")
    ingest(db, "M", [product("M", "A"), product("M", "B")])
    me = api.account()
    cursor = _all(api, me)["cursor"]
    ingest(db, "M", [product("M", "A", title="Second"), product("M", "B")])
    ingest(db, "M", [product("M", "A", title="Third"), product("M", "B")])
    page = _all(api, me, after=cursor)
    assert [(c["offer_id"], c["product"]["title"]) for c in page["changes"]] == [("A", "Third")]
    # From the start, every product once.
    assert sorted(c["offer_id"] for c in _all(api, me)["changes"]) == ["A", "B"]


def test_unchanged_products_keep_their_sequence_number(db: Database) -> None:
    merchant(db, "M")
    ingest(db, "M", [product("M", "A")])
    before = _seqs(db)
    report = ingest(db, "M", [product("M", "A")])
    assert (report.added, report.updated, report.unchanged) == (0, 0, 1)
    assert _seqs(db) == before


def test_an_offer_the_merchant_dropped_is_sent_unavailable_without_a_product(
    api: Api, db: Database
) -> None:
    merchant(db, "M")
    ingest(db, "M", [product("M", "A"), product("M", "B")])
    me = api.account()
    cursor = _all(api, me)["cursor"]
    report = ingest(db, "M", [product("M", "A")])
    assert report.marked_unavailable == 1
    (change,) = _all(api, me, after=cursor)["changes"]
    assert change["offer_id"] == "B" and change["available"] is False and change["product"] is None
    # A partial feed keeps what it does not mention; the product coming back is sent again.
    assert ingest(db, "M", [], full=False).marked_unavailable == 0
    cursor = _all(api, me)["cursor"]
    ingest(db, "M", [product("M", "A"), product("M", "B")])
    (back,) = _all(api, me, after=cursor)["changes"]
    assert back["offer_id"] == "B" and back["available"] is True and back["product"]


def test_rejected_rows_are_reported_not_stored(db: Database) -> None:
    merchant(db, "M")
    report = ingest(
        db,
        "M",
        [
            product("M", "A"),
            product("M", "A", title="again"),
            product("M", "C", sale_price=Money(500, "USD")),
        ],
    )
    assert report.added == 1
    assert [r.reason.split(" ")[0] for r in report.rejected] == ["duplicate", "sale"]
    assert len(_seqs(db)) == 1


def test_the_effective_rate_is_product_then_longest_category_then_merchant(
    api: Api, db: Database
) -> None:
    merchant(db, "M", "0.08", {"Home": "0.10", "home > kitchen": "0.12"})
    ingest(
        db,
        "M",
        [
            product("M", "mug", product_type="Home > Kitchen > Mugs"),
            product("M", "lamp", product_type="Home > Lighting"),
            product("M", "ware", product_type="Home > Kitchenware"),
            product("M", "tent", product_type="Outdoor"),
            product("M", "none", product_type=None),
        ],
    )
    with db.write() as s:
        catalog.set_rate(s, "M", Decimal("0.2"), offer_id="tent")
    rates = {c["offer_id"]: c["commission_rate"] for c in _all(api, api.account())["changes"]}
    assert rates == {"mug": "0.12", "lamp": "0.1", "ware": "0.1", "tent": "0.2", "none": "0.08"}


def test_changing_a_rate_sends_the_affected_products_again(api: Api, db: Database) -> None:
    merchant(db, "M", "0.08", {"Home > Kitchen": "0.12"})
    merchant(db, "Other", "0.05")
    ingest(db, "M", [product("M", "mug"), product("M", "tent", product_type="Outdoor")])
    ingest(db, "Other", [product("Other", "x")])
    me = api.account()
    cursor = _all(api, me)["cursor"]
    with db.write() as s:
        changed = catalog.set_rate(s, "M", Decimal("0.15"), category="Home")
    assert changed == 0  # the longer "Home > Kitchen" still decides the mug's rate
    assert _all(api, me, after=cursor)["changes"] == []
    with db.write() as s:
        changed = catalog.set_rate(s, "M", Decimal("0.09"))
    assert changed == 1
    (tent,) = _all(api, me, after=cursor)["changes"]
    assert (tent["offer_id"], tent["commission_rate"]) == ("tent", "0.09")
    with db.write() as s:
        catalog.set_rate(s, "M", None, category="Home > Kitchen")
    (mug,) = _all(api, me, after=tent["seq"])["changes"]
    assert (mug["offer_id"], mug["commission_rate"]) == ("mug", "0.15")


def test_merchants_are_listed_with_decimal_string_rates(api: Api, db: Database) -> None:
    merchant(db, "Nordlys", "0.080")
    merchant(db, "Atelier", "0.125")
    body = api.get("/v1/merchants", api.account()).json()
    assert [(m["name"], m["rate"]) for m in body["merchants"]] == [
        ("Atelier", "0.125"),
        ("Nordlys", "0.08"),
    ]


def test_a_page_is_gzipped_for_a_client_that_asks(api: Api, db: Database) -> None:
    merchant(db, "M")
    ingest(db, "M", [product("M", f"P{i}", description="words " * 40) for i in range(200)])
    me = api.account()
    r = api.client.get(
        "/v1/catalog/changes",
        headers={**me.headers, "Accept-Encoding": "gzip"},
    )
    assert r.headers["content-encoding"] == "gzip"
    assert r.headers["vary"] == "Accept-Encoding"  # a cache keeps both forms apart
    raw = api.client.get(
        "/v1/catalog/changes", headers={**me.headers, "Accept-Encoding": "identity"}
    )
    assert "content-encoding" not in raw.headers
    assert r.json() == raw.json()
    assert int(r.headers["content-length"]) < len(raw.content) / 5
    assert len(gzip.compress(raw.content)) < len(raw.content)


def _seqs(db: Database) -> dict[str, int]:
    with db.read() as s:
        return dict(s.execute(sqlalchemy.select(Product.offer_id, Product.seq)).all())  # type: ignore[arg-type]


def test_json_text_of_a_page_is_valid_for_awkward_names(api: Api, db: Database) -> None:
    merchant(db, 'Maison "Lumière" \\ <b>')
    ingest(db, 'Maison "Lumière" \\ <b>', [product('Maison "Lumière" \\ <b>', 'id "1"\n')])
    r = api.get("/v1/catalog/changes", api.account())
    (change,) = json.loads(r.content)["changes"]
    assert change["merchant"] == 'Maison "Lumière" \\ <b>' and change["offer_id"] == 'id "1"\n'
