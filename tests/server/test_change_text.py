"""The change log's stored text (catalog.change_head, migration s0002): every change a page
sends is exactly what the contract's codec writes for the row's current state, after every
kind of writer (ingest, update, withdrawal, a merchant, category or product rate), with names
and offer ids that need escaping; and a database of revision s0001 gets its heads at upgrade."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy
from alembic import command
from alembic.config import Config
from serverhelp import Api, ingest, merchant, product

from studio.protocol.catalog_wire import Change, change_to_wire, product_from_wire
from studio.server import catalog
from studio.server.db import MIGRATIONS_DIR, Database
from studio.server.models import Merchant, Product

NAME = 'Maison "Ümlaut" \\ Lumière'
ODD = ["plain", 'quote"d', "back\\slash", "tab\tand\nnewline", "ünï €"]


def _expected(db: Database) -> list[dict[str, Any]]:
    """Every product's Change as the codec writes it, from the row's own columns."""
    with db.read() as s:
        names = {m.id: m.name for m in s.scalars(sqlalchemy.select(Merchant))}
        rows = s.scalars(sqlalchemy.select(Product).order_by(Product.seq)).all()
        return [
            change_to_wire(
                Change(
                    seq=p.seq,
                    merchant=names[p.merchant_id],
                    offer_id=p.offer_id,
                    available=p.available,
                    commission_rate=Decimal(p.effective_rate),
                    product=product_from_wire(json.loads(p.payload)) if p.available else None,
                )
            )
            for p in rows
        ]


def _product(offer: str, **fields: Any) -> Any:
    kind = "Home > Kitchen" if ODD.index(offer) % 2 == 0 else "Garden"
    return product(NAME, offer, product_type=kind, **fields)


def _page(api: Api, who: Any) -> list[dict[str, Any]]:
    r = api.get("/v1/catalog/changes?limit=10000", who)
    assert r.status_code == 200, r.text
    changes: list[dict[str, Any]] = r.json()["changes"]
    return changes


def test_every_writer_leaves_the_text_the_codec_writes(api: Api, db: Database) -> None:
    merchant(db, NAME, categories={"Home > Kitchen": "0.1"})
    me = api.account()
    ingest(db, NAME, [_product(offer) for offer in ODD])
    assert _page(api, me) == _expected(db)
    # An update, a withdrawal (a full feed without two offers), then each kind of rate.
    ingest(db, NAME, [_product(ODD[0], title="new"), _product(ODD[1]), _product(ODD[4])])
    page = _page(api, me)
    assert page == _expected(db)
    assert {c["offer_id"] for c in page if not c["available"]} == {ODD[2], ODD[3]}
    for kwargs in (
        {"rate": Decimal("0.12")},
        {"rate": Decimal("0.2"), "category": "Home > Kitchen"},
        {"rate": Decimal("0.3"), "offer_id": ODD[1]},
        {"rate": None, "category": "Home > Kitchen"},
    ):
        with db.write() as s:
            assert catalog.set_rate(s, NAME, **kwargs) > 0  # type: ignore[arg-type]
        assert _page(api, me) == _expected(db)
    rates = {c["offer_id"]: (c["available"], c["commission_rate"]) for c in _page(api, me)}
    assert rates[ODD[1]] == (True, "0.3") and rates[ODD[2]] == (False, "0.12")


def test_an_s0001_database_gets_its_heads_at_upgrade(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with db.writer.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "s0001")
    mid = uuid.uuid4()
    with db.writer.begin() as conn:
        conn.execute(
            sqlalchemy.text(
                "INSERT INTO merchants (id, name, rate, webhook_secret, created_at) "
                "VALUES (:id, :name, '0.08', 's', '2026-12-01 00:00:00')"
            ),
            {"id": mid.hex, "name": NAME},
        )
        for seq, offer in enumerate(ODD, start=1):
            payload = json.dumps({"title": offer})
            conn.execute(
                sqlalchemy.text(
                    "INSERT INTO products (merchant_id, offer_id, seq, available, category, "
                    "effective_rate, digest, payload) VALUES (:m, :o, :seq, :on, NULL, '0.08', "
                    "'d', :p)"
                ),
                {"m": mid.hex, "o": offer, "seq": seq, "on": seq != 2, "p": payload},
            )
    db.migrate()
    with db.read() as s:
        heads = s.execute(
            sqlalchemy.select(Product.seq, Product.offer_id, Product.available, Product.change_head)
        ).all()
    assert len(heads) == len(ODD)
    for seq, offer, available, head in heads:
        assert head == catalog.change_head(seq, NAME, offer, available, "0.08")
        assert json.loads(head + "null}")["offer_id"] == offer
    db.dispose()
