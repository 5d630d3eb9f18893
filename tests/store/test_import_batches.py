"""Imports read and write batch by batch, keeping nothing per offer: against a plain model.

The importer no longer keeps every offer id it has seen, nor a map of every stored offer:
repeated offer ids are found by the store (its unique index on a first import, one bit per
product id on a re-import), stored offers are read batch by batch. These properties run
random feeds, with batches of a few items so repeats and updates cross batch boundaries,
through two imports and compare the store and the reports with a dictionary model of what
an import means: first occurrence wins, same content is unchanged, a full feed makes the
offers it no longer lists unavailable.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio.core.catalog import ImportReport
from studio.core.money import Money
from studio.core.product import ProductRecord
from studio.store import import_upsert, importer
from studio.store.codes import UNAVAILABLE_CODE
from studio.store.db import Database, open_database
from studio.store.importer import import_feed

Feed = list[tuple[str, str, int]]
OFFERS = [f"o{i}" for i in range(12)]
TITLES = ["Linen shirt", "Wool coat", "Clay mug", "Oak chair"]

items = st.lists(
    st.tuples(st.sampled_from(OFFERS), st.sampled_from(TITLES), st.sampled_from([500, 900])),
    max_size=30,
)


def record(offer: str, title: str, cents: int) -> ProductRecord:
    return ProductRecord(
        merchant="Shop", offer_id=offer, title=title, price=Money(cents, "EUR"), brand="Acme"
    )


@pytest.fixture()
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = open_database(tmp_path_factory.mktemp("batches") / "store.sqlite3")
    yield database
    database.close()


@pytest.fixture(autouse=True)
def _small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "BATCH", 3)
    monkeypatch.setattr(importer, "FTS_BATCH", 3)
    monkeypatch.setattr(import_upsert, "BATCH", 4)


class Model:
    """What the store should hold: offer -> (title, cents, available)."""

    def __init__(self) -> None:
        self.stored: dict[str, tuple[str, int, bool]] = {}

    def apply(self, feed: Feed, full: bool) -> dict[str, object]:
        seen: set[str] = set()
        counts = {"added": 0, "updated": 0, "unchanged": 0, "marked_unavailable": 0}
        rejected = []
        for n, (offer, title, cents) in enumerate(feed, start=1):
            if offer in seen:
                rejected.append((f"item {n}", offer))
                continue
            seen.add(offer)
            old = self.stored.get(offer)
            if old is None:
                counts["added"] += 1
            elif old == (title, cents, True):
                counts["unchanged"] += 1
            else:
                counts["updated"] += 1
            self.stored[offer] = (title, cents, True)
        if full:
            for offer, (title, cents, available) in self.stored.items():
                if offer not in seen and available:
                    self.stored[offer] = (title, cents, False)
                    counts["marked_unavailable"] += 1
        return {**counts, "rejected": rejected}


def state(db: Database) -> dict[str, tuple[str, int, bool]]:
    with db.connect() as conn:
        rows = conn.execute("SELECT offer_id, title, price_minor, availability FROM products")
        return {o: (t, c, a != UNAVAILABLE_CODE) for o, t, c, a in rows}


def outcome(report: ImportReport) -> dict[str, object]:
    return {
        "added": report.added,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "marked_unavailable": report.marked_unavailable,
        "rejected": [(r.where, r.offer_id) for r in report.rejected],
    }


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(items, items, st.booleans())
def test_two_imports_match_the_model(
    tmp_path: Path,
    first: list[tuple[str, str, int]],
    second: list[tuple[str, str, int]],
    full: bool,
) -> None:
    db = open_database(tmp_path / f"s-{abs(hash((tuple(first), tuple(second), full)))}.sqlite3")
    try:
        model = Model()
        for feed, is_full in ((first, True), (second, full)):
            expected = model.apply(feed, is_full)
            report = import_feed(db, "Shop", "test", [record(*i) for i in feed], full=is_full)
            assert outcome(report) == expected
            assert state(db) == model.stored
        with db.catalog_db.connect() as conn:  # the full-text index holds the stored text
            conn.execute(
                "INSERT INTO product_fts (product_fts, rank) VALUES ('integrity-check', 1)"
            )
    finally:
        db.close()


def test_a_repeat_far_apart_is_found_without_remembering_ids(db: Database) -> None:
    """Thousands of items apart, across many batches, on both paths."""
    feed = [record(f"p{i}", "Linen shirt", 500) for i in range(50)]
    feed.append(record("p3", "Copy", 900))
    report = import_feed(db, "Shop", "test", feed)
    assert report.added == 50 and [(r.where, r.offer_id) for r in report.rejected] == [
        ("item 51", "p3")
    ]
    again = [replace(r, title="Wool coat") for r in feed[:50]] + [record("p7", "Copy", 900)]
    report = import_feed(db, "Shop", "test", again)
    assert report.updated == 50 and [(r.where, r.offer_id) for r in report.rejected] == [
        ("item 51", "p7")
    ]
    with db.connect() as conn:
        titles = {t for (t,) in conn.execute("SELECT DISTINCT title FROM products")}
    assert titles == {"Wool coat"}
