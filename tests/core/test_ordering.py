"""Fractional index keys: always a key between two, order by plain str, short for appends."""

from __future__ import annotations

import bisect

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studio.core.ordering import (
    DIGITS,
    is_valid_key,
    key_between,
    keys_after,
    keys_between,
)

keys = st.text(alphabet=DIGITS, min_size=1, max_size=12).filter(is_valid_key)


def test_the_digits_are_in_ascii_order() -> None:
    assert list(DIGITS) == sorted(DIGITS)
    assert len(DIGITS) == 62


def test_open_ends() -> None:
    first = key_between(None, None)
    assert is_valid_key(first)
    assert key_between(first, None) > first
    assert key_between(None, first) < first


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("V", "W"),
        ("1", "2"),
        ("V", "V1"),
        ("0z", "1"),
        ("zz", "zzz"),
        ("A", "A01"),
        ("y", "z"),
        ("01", "02"),
        ("1", "11"),
        ("z", "z1"),
    ],
)
def test_between_adjacent_keys(before: str, after: str) -> None:
    key = key_between(before, after)
    assert before < key < after
    assert is_valid_key(key)


@pytest.mark.parametrize("after", ["1", "01", "001", "0001z", "2", "101", "11"])
def test_before_the_smallest_keys(after: str) -> None:
    key = key_between(None, after)
    assert key < after and is_valid_key(key)


@pytest.mark.parametrize(("before", "after"), [("W", "V"), ("V", "V"), ("V", None)])
def test_refuses_bounds_out_of_order_or_invalid(before: str, after: str | None) -> None:
    if after is None:
        with pytest.raises(ValueError):
            key_between("V0", after)  # ends in the smallest digit: not a key
        return
    with pytest.raises(ValueError):
        key_between(before, after)


@pytest.mark.parametrize("bad", ["", "V0", "a-b", "é"])
def test_refuses_malformed_keys(bad: str) -> None:
    with pytest.raises(ValueError):
        key_between(bad, None)
    with pytest.raises(ValueError):
        key_between(None, bad)


@given(a=keys, b=keys)
def test_any_two_distinct_keys_have_a_key_between(a: str, b: str) -> None:
    if a == b:
        return
    low, high = sorted((a, b))
    key = key_between(low, high)
    assert low < key < high
    assert is_valid_key(key)


@settings(max_examples=60)
@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=120))
def test_random_insertions_keep_the_order(slots: list[int]) -> None:
    """Insert at random places (as drags do); the keys must stay distinct and in list order."""
    order: list[str] = []
    for slot in slots:
        index = slot % (len(order) + 1)
        before = order[index - 1] if index > 0 else None
        after = order[index] if index < len(order) else None
        key = key_between(before, after)
        assert is_valid_key(key)
        order.insert(index, key)
        assert bisect.bisect_left(order, key) == index  # the key sorts where it was put
    assert order == sorted(order)
    assert len(set(order)) == len(order)


def test_appends_stay_short() -> None:
    appended = keys_after(None, 2000)
    assert appended == sorted(appended) and len(set(appended)) == 2000
    assert max(map(len, appended)) <= 3
    assert max(map(len, keys_after(None, 10_000))) <= 3  # a full shop's shelf
    assert len(appended[199]) <= 5  # a full board: 200 items on top of each other
    # and prepends too
    key = appended[0]
    for _ in range(500):
        smaller = key_between(None, key)
        assert smaller < key
        key = smaller
    assert len(key) <= 12


def test_repeated_insertion_at_the_same_place_grows_slowly() -> None:
    """The worst case of a midpoint scheme: always inserting right after the same key."""
    low, high = "V", "W"
    for _ in range(300):
        high = key_between(low, high)
    assert low < high
    assert len(high) <= 60  # about 1 char per 5-6 halvings


@given(st.one_of(st.none(), keys), st.integers(min_value=0, max_value=50))
def test_keys_after_are_increasing_and_after_the_bound(before: str | None, n: int) -> None:
    result = keys_after(before, n)
    assert len(result) == n
    assert result == sorted(set(result))
    if before is not None and result:
        assert result[0] > before


@given(keys, keys, st.integers(min_value=0, max_value=30))
def test_keys_between_fit_inside_the_gap(a: str, b: str, n: int) -> None:
    if a == b:
        return
    low, high = sorted((a, b))
    result = keys_between(low, high, n)
    assert result == sorted(set(result)) and len(result) == n
    assert all(low < k < high and is_valid_key(k) for k in result)


@given(
    st.one_of(st.none(), keys),
    st.one_of(st.none(), keys),
    st.integers(min_value=2, max_value=20_000),
)
def test_many_keys_at_once_are_valid_and_as_short_as_the_gap_allows(
    a: str | None, b: str | None, n: int
) -> None:
    # A sort, a paste or a drop of thousands of rows: its keys must not grow with the count
    # (three digits hold 20,000 rows), only by what the gap between the bounds needs.
    if a is not None and b is not None and a >= b:
        a, b = b, a
    if a == b:
        return
    result = keys_between(a, b, n)
    assert len(result) == n and result == sorted(set(result))
    assert all(is_valid_key(k) and (a is None or a < k) and (b is None or k < b) for k in result)
    assert max(map(len, result)) <= max(len(a or ""), len(b or "")) + 4


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        keys_after(None, -1)
