"""Repeated offer ids are found the same way in memory and, past the first ids, on disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studio.core.product import RejectedRow
from studio.feeds import open_feed, seen
from studio.feeds.seen import SeenIds


@given(st.lists(st.text(min_size=1, max_size=50), max_size=200), st.integers(0, 30))
def test_ids_moved_to_disk_answer_as_a_set_does(ids: list[str], in_memory: int) -> None:
    reference: set[str] = set()
    expected = []
    for i in ids:
        expected.append(i not in reference)
        reference.add(i)
    checked = SeenIds(in_memory=in_memory)
    try:
        assert [checked.add(i) for i in ids] == expected
        assert (checked._conn is not None) == (len(reference) > in_memory)
    finally:
        checked.close()


def test_a_large_feed_moves_its_ids_to_disk_and_finds_far_repeats(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past IN_MEMORY ids (lowered here) a feed reads the same items as with a set."""
    rows = [f"P{i}\tShirt {i}\t{1 + i % 9} USD" for i in range(3_000)]
    rows.insert(2_500, "P7\tA repeat\t5 USD")
    path = tmp_path / "feed.tsv"
    path.write_text("id\ttitle\tprice\n" + "\n".join(rows) + "\n", encoding="utf-8")
    in_memory = list(open_feed(path, "M", "google-tsv", parallel=False))
    moved: list[int] = []
    to_disk = SeenIds._to_disk

    def spy(self: SeenIds, ids: set[str]) -> None:
        moved.append(len(ids))
        to_disk(self, ids)

    monkeypatch.setattr(seen, "IN_MEMORY", 100)
    monkeypatch.setattr(SeenIds, "_to_disk", spy)
    on_disk = list(open_feed(path, "M", "google-tsv", parallel=False))
    assert moved == [100]  # the first 100 ids moved once, every later one checked on disk
    assert on_disk == in_memory
    repeats = [item for item in on_disk if isinstance(item, RejectedRow)]
    assert repeats == [
        RejectedRow("line 2502", "duplicate id (an earlier offer in this feed has it)", "P7")
    ]
