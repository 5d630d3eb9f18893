"""ParallelFeed (parsing in a child process) yields exactly what Feed yields, and cleans up.

Every comparison runs the real parser twice, in this process and in the child, and compares
item by item, including the FeedError that ends a broken feed (same reason, same where, after
the same items). The child's lifecycle is checked on a real process: killed mid-feed, stopped
early, abandoned; each time it must be reaped (no zombie) and the parent must never hang.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import pickle
import signal
import subprocess
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

import studio.feeds as feeds
from bench.catalog_gen import write_google_xml
from studio.core.errors import FeedError, ImportCancelled
from studio.core.money import Money
from studio.core.product import Availability, Condition, ProductRecord, RejectedRow
from studio.feeds import Feed, detect_format, open_feed
from studio.feeds.parallel import ParallelFeed, _decode, _dumps, _encode
from studio.store.db import open_database
from studio.store.importer import import_feed

DATA = Path(__file__).parent / "data"
FEED_DIRS = ("google_merchant", "shopify_json", "shopify_csv", "woocommerce", "magento")
G = 'xmlns:g="http://base.google.com/ns/1.0"'

Outcome = tuple[list[ProductRecord | RejectedRow], tuple[str, str] | None]


def outcome(feed: Feed | ParallelFeed) -> Outcome:
    """Every item, then the (reason, where) of the FeedError that ended the feed, if any."""
    items: list[ProductRecord | RejectedRow] = []
    try:
        for item in feed:
            items.append(item)
    except FeedError as exc:
        return items, (exc.reason, exc.where)
    return items, None


def both(path: Path, fmt: str, **kwargs: str | None) -> tuple[Outcome, Outcome]:
    serial = outcome(Feed(path, "m", fmt, **kwargs))
    parallel = outcome(ParallelFeed(path, "m", fmt, batch=3, **kwargs))
    return serial, parallel


def feed_files(root: Path) -> list[Path]:
    return sorted(
        p
        for d in FEED_DIRS
        for p in (root / d).rglob("*")
        if p.is_file() and p.suffix in (".xml", ".json", ".csv", ".tsv", ".gz")
    )


def test_real_fixtures_give_the_same_items_in_the_same_order(fixtures_dir: Path) -> None:
    compared = 0
    for path in [*feed_files(fixtures_dir), *sorted(DATA.iterdir())]:
        try:
            fmt = detect_format(path)
        except FeedError:
            continue  # not a feed (a product listing of another shape): nothing to compare
        serial, parallel = both(path, fmt, default_currency="EUR", shop_url="https://s.example")
        assert parallel == serial, path
        compared += 1
    assert compared >= 10


def test_every_field_survives_the_trip() -> None:
    offset = timezone(timedelta(hours=-8))
    record = ProductRecord(
        "m",
        "A-1",
        "Title é",
        "G1",
        "desc",
        "https://x/1",
        "https://x/1.jpg",
        ("https://x/2.jpg", "https://x/3.jpg"),
        Money(1234, "EUR"),
        Money(999, "EUR"),
        datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        datetime(2026, 2, 1, 0, 0, tzinfo=offset),
        Availability.PREORDER,
        datetime(2026, 12, 25, 13, 0, 0, 123, tzinfo=offset),
        Condition.REFURBISHED,
        "Brand",
        "4006381333931",
        "MPN",
        "212",
        "A > B",
        "red",
        "M",
        "female",
        "adult",
        "cotton",
        (("shipping", "US::Standard:4.95 USD"), ("note", "x")),
    )
    rejected = RejectedRow("item 3", "missing price", "A-3")
    money: dict[tuple[int, str], Money] = {}
    for item in (record, rejected, ProductRecord("m", "B", "t")):
        back = _decode("m", _encode(item), money)
        assert back == item and type(back) is type(item)
    back = _decode("m", _encode(record), money)
    assert back == record and hash(back) == hash(record) and repr(back) == repr(record)
    with pytest.raises(dataclasses.FrozenInstanceError):  # made fast, frozen all the same
        back.title = "changed"  # type: ignore[misc]
    assert _decode("m", _encode(record), money).sale_end.utcoffset() == timedelta(hours=-8)  # type: ignore[union-attr]


class Text(str):
    """A str subclass (lxml hands such out for some values): marshal refuses it."""


def test_a_value_marshal_refuses_falls_back_to_pickle() -> None:
    data = _dumps(("b", 0.5, [(Text("x"), "y", None)]))
    assert data[:1] == b"p" and pickle.loads(data[1:]) == ("b", 0.5, [("x", "y", None)])
    assert _dumps(("b", 0.5, [("x", "y", None)]))[:1] == b"m"


def test_generated_feed_in_many_batches(tmp_path: Path) -> None:
    path = write_google_xml(tmp_path / "g.xml", 3_000, seed=5)
    serial = list(Feed(path, "m", "google-xml"))
    feed = ParallelFeed(path, "m", "google-xml", batch=250)
    fractions: list[float] = []
    parallel = []
    for n, item in enumerate(feed):
        parallel.append(item)
        if n % 250 == 0:
            fractions.append(feed.fraction_read())
    assert parallel == serial and len(serial) == 3_000
    assert fractions == sorted(fractions) and 0.0 < fractions[1] < 1.0
    assert feed.fraction_read() == 1.0


def test_a_feed_error_comes_after_the_items_before_it(tmp_path: Path) -> None:
    whole = write_google_xml(tmp_path / "whole.xml", 500, seed=3).read_bytes()
    path = tmp_path / "truncated.xml"
    path.write_bytes(whole[: len(whole) * 2 // 3])
    serial, parallel = both(path, "google-xml")
    assert serial[1] is not None and 100 < len(serial[0]) < 500
    assert parallel == serial


def test_doctype_bomb_is_refused_in_the_child(tmp_path: Path) -> None:
    from test_hostile import LAUGHS  # type: ignore[import-not-found]

    path = tmp_path / "bomb.xml"
    path.write_text(LAUGHS)
    started = time.monotonic()
    serial, parallel = both(path, "google-xml")
    assert parallel == serial and parallel[1] is not None and "DOCTYPE" in parallel[1][0]
    assert time.monotonic() - started < 5


def test_rejected_rows_keep_their_place(tmp_path: Path) -> None:
    items = "".join(
        f"<item><g:id>{n}</g:id><title>T{n}</title>"
        + ("" if n % 3 else "<g:price>1.5 JPY</g:price>" if n % 2 else "<g:price>2 EUR</g:price>")
        + "<g:sale_price_effective_date>2026-01-01T00:00+0100/2026-02-01T00:00Z"
        "</g:sale_price_effective_date><g:sale_price>1 EUR</g:sale_price>"
        "<g:condition>used</g:condition><g:availability>preorder</g:availability>"
        "<g:availability_date>2026-03-01</g:availability_date>"
        "<g:shipping><g:country>US</g:country></g:shipping></item>"
        for n in range(40)
    )
    path = tmp_path / "mixed.xml"
    path.write_text(f"<rss {G}><channel>{items}</channel></rss>")
    serial, parallel = both(path, "google-xml")
    kinds = {type(i) for i in serial[0]}
    assert kinds == {ProductRecord, RejectedRow} and serial[1] is None
    assert parallel == serial


def _started(feed: ParallelFeed, items: int) -> tuple[list[object], subprocess.Popen[bytes]]:
    iterator = iter(feed)
    got = [next(iterator) for _ in range(items)]
    assert feed.process is not None
    return [iterator, *got], feed.process


def test_a_killed_child_is_an_error_not_a_hang(tmp_path: Path) -> None:
    path = write_google_xml(tmp_path / "g.xml", 20_000, seed=2)
    feed = ParallelFeed(path, "m", "google-xml", batch=100)
    (iterator, *_), process = _started(feed, 5)
    os.kill(process.pid, signal.SIGKILL)
    started = time.monotonic()
    with pytest.raises(FeedError, match="stopped unexpectedly") as caught:
        for _ in iterator:  # type: ignore[attr-defined]
            pass
    assert time.monotonic() - started < 5
    assert caught.value.where == "g.xml"
    assert process.returncode == -signal.SIGKILL  # reaped


def test_stopping_early_terminates_and_reaps_the_child(tmp_path: Path) -> None:
    path = write_google_xml(tmp_path / "g.xml", 20_000, seed=2)
    with ParallelFeed(path, "m", "google-xml", batch=100) as feed:
        _, process = _started(feed, 10)
    assert process.returncode is not None and feed.process is None

    feed = ParallelFeed(path, "m", "google-xml", batch=100)
    kept, process = _started(feed, 10)
    del kept  # an abandoned iterator (an exception unwound the importer) stops its child too
    gc.collect()
    assert process.returncode is not None


def test_a_store_error_mid_feed_rolls_back_and_stops_the_child(tmp_path: Path) -> None:
    path = write_google_xml(tmp_path / "g.xml", 2_000, seed=4)
    truncated = tmp_path / "t.xml"
    truncated.write_bytes(path.read_bytes()[:-5000])
    db = open_database(tmp_path / "store.sqlite3")
    try:
        report = import_feed(db, "m", "google-xml", ParallelFeed(path, "m", "google-xml"))
        assert report.added == 2_000
        query = "SELECT offer_id, availability, price_minor FROM products ORDER BY id"
        with db.connect() as conn:
            before = conn.execute(query).fetchall()
        feed = ParallelFeed(truncated, "m", "google-xml", batch=100)
        with pytest.raises(FeedError):  # after ~1,990 items: full=True would mark the rest
            import_feed(db, "m", "google-xml", feed, full=True)
        with db.connect() as conn:
            assert conn.execute(query).fetchall() == before
        assert feed.process is None
    finally:
        db.close()


def test_open_feed_chooses_the_child_for_large_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_google_xml(tmp_path / "g.xml", 50, seed=1)
    assert type(open_feed(path, "m")) is Feed  # far below the threshold
    assert type(open_feed(path, "m", parallel=True)) is ParallelFeed
    monkeypatch.setattr(feeds, "PARALLEL_MIN_BYTES", 1024)
    assert type(open_feed(path, "m")) is ParallelFeed
    assert type(open_feed(path, "m", parallel=False)) is Feed
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert type(open_feed(path, "m")) is Feed


def test_cancelling_an_import_stops_the_child(tmp_path: Path) -> None:
    path = write_google_xml(tmp_path / "g.xml", 20_000, seed=6)
    db = open_database(tmp_path / "store.sqlite3")
    feed = ParallelFeed(path, "m", "google-xml", batch=500)
    seen: list[subprocess.Popen[bytes]] = []

    def cancel(count: int) -> bool:
        assert feed.process is not None
        seen.append(feed.process)
        return False

    cancelled = False
    try:
        try:
            import_feed(db, "m", "google-xml", feed, progress=cancel)
        except ImportCancelled:  # as the CLI and the UI do: the exception and its frames go
            cancelled = True
        assert cancelled and seen and seen[0].returncode is not None and feed.process is None
        with db.connect() as conn:
            assert conn.execute("SELECT count(*) FROM products").fetchone()[0] == 0
    finally:
        db.close()
