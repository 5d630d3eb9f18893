"""Storing feeds: counts across re-imports, FTS in sync, price history, atomicity, cancel, kill."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from studio.core.errors import FeedError, ImportCancelled
from studio.core.money import Money
from studio.core.product import Availability, ProductRecord, RejectedRow
from studio.store.db import Database, open_database
from studio.store.importer import import_feed
from studio.store.models import UNAVAILABLE_CODE

REPO = Path(__file__).resolve().parents[2]


def product(offer: str, title: str, cents: int = 1000, **kw: object) -> ProductRecord:
    base = ProductRecord(
        merchant="Shop",
        offer_id=offer,
        title=title,
        description=f"about {title}",
        price=Money(cents, "EUR"),
        brand="Acme",
        product_type="Apparel > Tops > Shirts",
    )
    return replace(base, **kw)  # type: ignore[arg-type]


@pytest.fixture()
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "store.sqlite3")
    yield database
    database.close()


def matches(db: Database, query: str) -> set[int]:
    with db.connect() as conn:
        rows = conn.execute("SELECT rowid FROM product_fts WHERE product_fts MATCH ?", (query,))
        return {r[0] for r in rows}


def ids(db: Database) -> dict[str, int]:
    with db.connect() as conn:
        return dict(conn.execute("SELECT offer_id, id FROM products"))


def dump(path: Path) -> list[str]:
    """Every table's content (FTS shadow tables included), for byte-for-byte comparisons."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def fts_integrity(db: Database) -> None:
    with db.catalog_db.connect() as conn:  # raises DatabaseError when index and content disagree
        conn.execute("INSERT INTO product_fts (product_fts, rank) VALUES ('integrity-check', 1)")


def test_first_import_adds_everything_and_is_searchable(db: Database) -> None:
    feed = [
        product("a", "Linen shirt"),
        product("b", "Crème brûlée dish", brand="Café Noir"),
        RejectedRow("line 4", "price is NaN", "c"),
    ]
    report = import_feed(db, "Shop", "google-xml", feed)
    assert (report.added, report.updated, report.unchanged, report.marked_unavailable) == (
        2,
        0,
        0,
        0,
    )
    assert [r.reason for r in report.rejected] == ["price is NaN"]
    assert report.format == "google-xml" and report.seconds > 0
    stored = ids(db)
    assert matches(db, "shirt") == {stored["a"]}
    assert matches(db, "creme") == {stored["b"]}  # accents folded
    assert matches(db, "cafe") == {stored["b"]}  # brand indexed
    assert matches(db, "cr*") == {stored["b"]}  # prefix
    assert matches(db, "tops") == {stored["a"], stored["b"]}  # category indexed
    fts_integrity(db)
    with db.connect() as conn:
        row = conn.execute(
            "SELECT m.name, m.feed_format, p.currency, p.price_minor, "
            "p.availability FROM products p JOIN merchants m "
            "ON m.id = p.merchant_id WHERE p.offer_id = 'a'"
        ).fetchone()
        assert row == ("Shop", "google-xml", "EUR", 1000, 0)
        run = conn.execute(
            "SELECT added, updated, unchanged, marked_unavailable, rejected FROM imports"
        ).fetchall()
        assert run == [(2, 0, 0, 0, 1)]


def test_reimport_counts_updates_unchanged_and_unavailable(db: Database) -> None:
    first = [product("a", "Linen shirt"), product("b", "Wool scarf"), product("c", "Oak table")]
    import_feed(db, "Shop", "google-xml", first)
    before = ids(db)

    again = import_feed(db, "Shop", "google-xml", first)
    assert (again.added, again.updated, again.unchanged, again.marked_unavailable) == (0, 0, 3, 0)

    second = [
        product("a", "Linen shirt"),
        product("b", "Cashmere scarf"),
        product("d", "Walnut chair"),
    ]
    report = import_feed(db, "Shop", "google-xml", second)
    assert (report.added, report.updated, report.unchanged, report.marked_unavailable) == (
        1,
        1,
        1,
        1,
    )
    after = ids(db)
    assert after["b"] == before["b"] and "c" in after  # upserted in place, never deleted
    assert matches(db, "cashmere") == {after["b"]}
    assert matches(db, "wool") == set()  # the old title is gone from the index
    assert matches(db, "walnut") == {after["d"]}
    fts_integrity(db)
    with db.connect() as conn:
        assert conn.execute(
            "SELECT availability FROM products WHERE offer_id = 'c'"
        ).fetchone() == (UNAVAILABLE_CODE,)

    # Listed again, the unavailable product comes back: an update, not "unchanged".
    third = import_feed(db, "Shop", "google-xml", [*second, product("c", "Oak table")])
    assert (third.added, third.updated, third.unchanged) == (0, 1, 3)
    with db.connect() as conn:
        assert conn.execute(
            "SELECT availability FROM products WHERE offer_id = 'c'"
        ).fetchone() == (0,)


def test_partial_import_marks_nothing_unavailable(db: Database) -> None:
    import_feed(db, "Shop", "shopify-json", [product("a", "One"), product("b", "Two")])
    report = import_feed(db, "Shop", "shopify-json", [product("a", "One")], full=False)
    assert report.marked_unavailable == 0
    with db.connect() as conn:
        assert conn.execute(
            "SELECT count(*) FROM products WHERE availability = ?", (UNAVAILABLE_CODE,)
        ).fetchone() == (0,)


def test_merchants_are_kept_apart(db: Database) -> None:
    import_feed(db, "Shop", "google-xml", [product("a", "Shop shirt")])
    import_feed(db, "Other", "google-xml", [product("a", "Other shirt")])
    report = import_feed(db, "Shop", "google-xml", [product("a", "Shop shirt")])
    assert report.unchanged == 1 and report.marked_unavailable == 0
    with db.connect() as conn:
        assert conn.execute("SELECT count(*) FROM products").fetchone() == (2,)


def test_price_change_appends_history(db: Database) -> None:
    import_feed(db, "Shop", "google-xml", [product("a", "Shirt", 1000)])
    import_feed(db, "Shop", "google-xml", [product("a", "Shirt", 1000)])
    with db.connect() as conn:
        assert conn.execute("SELECT count(*) FROM price_history").fetchone() == (0,)
    import_feed(
        db, "Shop", "google-xml", [product("a", "Shirt", 900, sale_price=Money(700, "EUR"))]
    )
    import_feed(db, "Shop", "google-xml", [product("a", "Shirt", 950)])
    import_feed(db, "Shop", "google-xml", [product("a", "Shirt new title", 950)])
    with db.connect() as conn:
        history = conn.execute(
            "SELECT h.currency, h.price_minor, h.sale_minor, h.seen_at, "
            "i.started_at FROM price_history h JOIN imports i "
            "ON i.id = h.import_id ORDER BY h.id"
        ).fetchall()
    assert [h[:3] for h in history] == [("EUR", 1000, None), ("EUR", 900, 700), ("EUR", 950, None)]
    assert all(h[3] == h[4] for h in history)  # seen_at is the time of the import that saw it


def test_brands_and_categories_are_shared_and_case_insensitive(db: Database) -> None:
    import_feed(db, "Shop", "google-xml", [product("a", "One", brand="Acme")])
    import_feed(db, "Other", "google-xml", [product("a", "Two", brand="ACME")])
    with db.connect() as conn:
        assert conn.execute("SELECT name FROM brands").fetchall() == [("Acme",)]
        assert conn.execute("SELECT count(*) FROM categories").fetchone() == (1,)
        assert conn.execute("SELECT count(DISTINCT brand_id) FROM products").fetchone() == (1,)


def test_fields_are_stored(db: Database) -> None:
    start = datetime(2026, 2, 24, 21, 0, tzinfo=UTC)
    record = product(
        "a",
        "Shirt",
        additional_images=("https://x/1.jpg", "https://x/2.jpg"),
        sale_price=Money(500, "EUR"),
        sale_start=start,
        sale_end=None,
        availability=Availability.PREORDER,
        gtin="4006381333931",
        color="Red",
        extra=(("shipping", "US::Standard:5.00 USD"), ("shipping", "DE::Std:4.00 EUR")),
    )
    import_feed(db, "Shop", "google-xml", [record])
    with db.connect() as conn:
        row = conn.execute(
            "SELECT images, sale_minor, sale_start, availability, gtin, color, extra FROM products"
        ).fetchone()
    assert row == (
        '["https://x/1.jpg", "https://x/2.jpg"]',
        500,
        "2026-02-24T21:00:00+00:00",
        2,
        "4006381333931",
        "Red",
        '{"shipping":["US::Standard:5.00 USD","DE::Std:4.00 EUR"]}',
    )


def test_duplicate_offer_ids_and_mixed_currencies_are_rejected(db: Database) -> None:
    feed = [
        product("a", "First"),
        product("a", "Second"),
        product("b", "Odd", sale_price=Money(100, "USD")),
    ]
    report = import_feed(db, "Shop", "google-xml", feed)
    assert report.added == 1
    assert [(r.where, r.offer_id) for r in report.rejected] == [("item 2", "a"), ("item 3", "b")]
    assert "duplicate" in report.rejected[0].reason
    assert matches(db, "first") and not matches(db, "second")


def _failing(records: list[ProductRecord], after: int) -> Iterator[ProductRecord]:
    for i, record in enumerate(records):
        if i == after:
            raise FeedError("unexpected end of file", where="line 7")
        yield record


@pytest.mark.parametrize(
    ("existing", "exclusive"),
    [(False, False), (False, True), (True, True)],
    ids=["first-import", "first-import-exclusive", "reimport"],
)
def test_feed_error_mid_stream_changes_nothing(
    tmp_path: Path, existing: bool, exclusive: bool
) -> None:
    db = open_database(tmp_path / "s.sqlite3", exclusive=exclusive)
    if existing:
        import_feed(db, "Shop", "google-xml", [product("a", "Old shirt"), product("z", "Hat")])
    before = dump(db.catalog_db.path)
    records = [product(f"n{i}", f"New shirt {i}", 100 + i) for i in range(25_000)]
    records.insert(3, product("a", "Renamed shirt"))
    with pytest.raises(FeedError) as err:
        import_feed(db, "Shop", "google-xml", _failing(records, 24_000))
    assert err.value.where == "line 7"
    assert dump(db.catalog_db.path) == before
    with db.catalog_db.connect() as conn:  # and the connection is usable, still in WAL
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert not conn.in_transaction
    db.close()


@pytest.mark.parametrize(
    ("existing", "exclusive"),
    [(False, True), (True, False)],
    ids=["first-import-exclusive", "reimport"],
)
def test_an_error_in_the_writer_thread_rolls_back_and_propagates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: bool, exclusive: bool
) -> None:
    from studio.store import importer

    db = open_database(tmp_path / "s.sqlite3", exclusive=exclusive)
    if existing:
        import_feed(db, "Shop", "google-xml", [product("a", "Old shirt"), product("z", "Hat")])
    before = dump(db.catalog_db.path)
    threads: set[str] = set()

    def fail(job: object) -> None:  # runs in the writer thread, before its first statement
        import threading

        threads.add(threading.current_thread().name)
        raise sqlite3.IntegrityError("injected: UNIQUE constraint failed")

    monkeypatch.setattr(importer, "_writer_hook", fail)
    monkeypatch.setattr(importer, "FTS_BATCH", 10_000)  # several writer jobs per import
    consumed = 0

    def feed() -> Iterator[ProductRecord]:
        nonlocal consumed
        for i in range(60_000):
            consumed += 1
            yield product(f"n{i}", f"New shirt {i}", 100 + i)

    with pytest.raises(sqlite3.IntegrityError, match="injected"):
        import_feed(db, "Shop", "google-xml", feed())
    assert threads == {"import-writer"}  # raised in the writer, re-raised in the caller
    assert consumed < 60_000  # the caller stopped reading the feed early
    assert dump(db.catalog_db.path) == before
    with db.catalog_db.connect() as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert not conn.in_transaction
    monkeypatch.setattr(importer, "_writer_hook", None)  # and the next import works
    report = import_feed(db, "Shop", "google-xml", [product("b", "Linen shirt")])
    assert report.added == 1 and matches(db, "linen")
    fts_integrity(db)
    db.close()


@pytest.mark.parametrize("existing", [False, True], ids=["first-import", "reimport"])
def test_other_processes_read_while_a_headless_import_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: bool
) -> None:
    """A headless program's import (Database.exclusive, as the CLI opens the store) never
    locks readers out: another process counts, searches and reads the catalog meanwhile and
    sees the last committed one (it used to die with "database is locked")."""
    from studio.store import importer

    # A page cache that spills mid-import, as a 300,000-product import's does.
    monkeypatch.setattr(importer, "IMPORT_CACHE_KIB", 256)
    db = open_database(tmp_path / "s.sqlite3", exclusive=True)
    if existing:
        import_feed(db, "Shop", "google-xml", [product("old", "Old shirt")])
    else:
        import_feed(db, "Other", "google-xml", [product("old", "Old shirt")])
    reader = textwrap.dedent(
        """
        import sqlite3, sys
        conn = sqlite3.connect(sys.argv[1], timeout=0.2)  # a short wait: no lock is fair
        count = conn.execute("SELECT count(*) FROM products").fetchone()[0]
        found = conn.execute(
            "SELECT count(*) FROM product_fts WHERE product_fts MATCH 'shirt'"
        ).fetchone()[0]
        print(count, found)
        """
    )
    seen: list[str] = []

    def progress(count: int) -> bool:
        if count >= 24_000 and not seen:  # mid-import: batches written, nothing committed
            out = subprocess.run(
                [sys.executable, "-c", reader, str(db.catalog_db.path)],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            seen.append(out.stdout.strip() or out.stderr.strip().splitlines()[-1])
        return True

    records = [product(f"n{i}", f"Shirt {i}") for i in range(30_000)]
    import_feed(db, "Shop", "google-xml", records, progress=progress)
    assert seen == ["1 1"]  # the catalog as it was before the import
    with db.catalog_db.connect() as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert len(matches(db, "shirt")) == 30_001
    db.close()


def test_cancel_through_progress_leaves_nothing(db: Database) -> None:
    before = dump(db.catalog_db.path)
    calls: list[int] = []

    def progress(count: int) -> bool:
        calls.append(count)
        return count < 6_000

    records = [product(f"n{i}", f"Shirt {i}") for i in range(20_000)]
    with pytest.raises(ImportCancelled):
        import_feed(db, "Shop", "google-xml", records, progress=progress)
    assert dump(db.catalog_db.path) == before
    assert calls == sorted(calls) and calls[-1] >= 6_000 and len(calls) >= 2


def test_progress_is_reported_while_importing(db: Database) -> None:
    calls: list[int] = []
    import_feed(
        db,
        "Shop",
        "google-xml",
        [product(f"n{i}", "Shirt") for i in range(9_000)],
        progress=lambda n: calls.append(n) is None,
    )
    assert calls and calls == sorted(calls) and calls[-1] <= 9_000 and len(calls) >= 3


_KILL_SCRIPT = textwrap.dedent("""
    import sys
    from pathlib import Path
    sys.path.insert(0, {repo!r})
    from bench.catalog_gen import generate_records
    from studio.store.db import open_database
    from studio.store.importer import import_feed

    db = open_database(Path({path!r}), exclusive={exclusive!r})
    def progress(count):
        if count >= 20_000:
            print("importing", flush=True)
        return True
    import_feed(db, "Big", "google-xml", generate_records(2_000_000, merchants=1),
                progress=progress)
    print("finished", flush=True)
""")


@pytest.mark.parametrize(
    ("existing", "exclusive"),
    [(False, True), (True, True), (True, False)],
    ids=["empty-exclusive", "non-empty-exclusive", "non-empty-wal"],
)
def test_a_killed_import_leaves_the_store_as_before(
    tmp_path: Path, existing: bool, exclusive: bool
) -> None:
    path = tmp_path / "killed.sqlite3"
    db = open_database(path)
    if existing:
        import_feed(db, "Shop", "google-xml", [product("a", "Linen shirt")])
    db.close()
    before = dump(path)
    script = _KILL_SCRIPT.format(repo=str(REPO), path=str(path), exclusive=exclusive)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "importing"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    db = open_database(path)  # recovers the journal or ignores the uncommitted log
    try:
        with db.connect() as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        fts_integrity(db)
    finally:
        db.close()
    assert dump(path) == before


def test_bulk_generated_catalog_is_consistent(db: Database) -> None:
    from bench.catalog_gen import generate_records

    records = list(generate_records(3_000, merchants=3))
    report = import_feed(db, "Gen", "google-xml", records)
    assert report.added == 3_000
    fts_integrity(db)
    assert len(matches(db, "shirt")) > 600
    assert matches(db, "cafe") == matches(db, "café")
    again = import_feed(db, "Gen", "google-xml", records)
    assert again.unchanged == 3_000


def test_stored_values_helpers() -> None:
    import json

    from studio.store.import_values import content_hash, extra_json, json_strings

    for urls in [
        ("https://a/1.jpg",),
        ("https://a/1.jpg", "https://a/2.jpg"),
        ('x"y',),
        ("café",),
        ("a\\b",),
        ("tab\there",),
    ]:
        assert json.loads(json_strings(urls)) == list(urls)
    assert json.loads(extra_json((("k", "1"), ("k", "2"), ("k", "3"), ("j", "x"))) or "") == {
        "k": ["1", "2", "3"],
        "j": "x",
    }
    values = ("Shirt", None, 1299, "café")
    assert content_hash(values) == content_hash(("Shirt", None, 1299, "caf" + "é"))
    assert content_hash(values) != content_hash(("Shirt", None, 1298, "café"))
    # Stable across processes (str hashing is salted per process; this must not be).
    code = (
        "from studio.store.import_values import content_hash; "
        "print(content_hash(('Shirt', None, 1299, 'café')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert int(out.stdout) == content_hash(values)
