"""Repeated offer ids are found the same way in memory and on disk (large feeds)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import studio.feeds as feeds
from studio.core.product import RejectedRow
from studio.feeds import open_feed
from studio.feeds.seen import SeenIds


@given(st.lists(st.text(min_size=1, max_size=50), max_size=200))
def test_on_disk_ids_answer_as_a_set_does(ids: list[str]) -> None:
    memory, disk = SeenIds(), SeenIds(on_disk=True)
    try:
        assert [disk.add(i) for i in ids] == [memory.add(i) for i in ids]
    finally:
        memory.close()
        disk.close()


def test_a_large_feed_keeps_its_ids_on_disk_and_finds_far_repeats(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A feed from ON_DISK_FROM_BYTES up (lowered here) reads the same items either way."""
    rows = [f"P{i}\tShirt {i}\t{1 + i % 9} USD" for i in range(3_000)]
    rows.insert(2_500, "P7\tA repeat\t5 USD")
    path = tmp_path / "feed.tsv"
    path.write_text("id\ttitle\tprice\n" + "\n".join(rows) + "\n", encoding="utf-8")
    in_memory = list(open_feed(path, "M", "google-tsv", parallel=False))
    made: list[tuple[bool, SeenIds]] = []
    real = feeds.SeenIds

    def spy(*, on_disk: bool = False) -> SeenIds:
        made.append((on_disk, real(on_disk=on_disk)))
        return made[-1][1]

    monkeypatch.setattr(feeds, "ON_DISK_FROM_BYTES", 1)
    monkeypatch.setattr(feeds, "SeenIds", spy)
    on_disk = list(open_feed(path, "M", "google-tsv", parallel=False))
    assert [flag for flag, _ in made] == [True]
    assert made[0][1]._conn is None  # its temporary file closed (deleted) with the pass
    assert on_disk == in_memory
    repeats = [item for item in on_disk if isinstance(item, RejectedRow)]
    assert repeats == [
        RejectedRow("line 2502", "duplicate id (an earlier offer in this feed has it)", "P7")
    ]
