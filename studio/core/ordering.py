"""Fractional index keys: order keys that sync well, compared as plain strings.

A key is a non-empty string of base-62 digits (``0-9A-Za-z``, which is also their ASCII order)
read as a fraction ``0.d1d2d3...``; plain ``str`` comparison is then numeric comparison. A key
never ends in the smallest digit ``0``, so between any two distinct keys there is always
another one (``"V" < "V0V" < "V1"`` would not hold if ``"V0"`` were a key equal in value to
``"V"``). Inserting between two rows rewrites only the moved row, which is what two devices
editing the same list at once need: each change is one row, and both orders merge.

Appends (the common case: a photo added, an item dropped on top) step the first digit that has
room instead of halving the gap, so a list of a thousand appended rows has keys of a few
characters, not hundreds.
"""

from __future__ import annotations

DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
BASE = len(DIGITS)
_INDEX = {c: i for i, c in enumerate(DIGITS)}
_SMALLEST = DIGITS[0]
_LARGEST = DIGITS[-1]


def is_valid_key(key: str) -> bool:
    """True for a non-empty string of base-62 digits that does not end in ``0``."""
    return bool(key) and key[-1] != _SMALLEST and all(c in _INDEX for c in key)


def _check(key: str, name: str) -> None:
    if not is_valid_key(key):
        raise ValueError(f"{name} is not an order key: {key!r}")


def _after(before: str) -> str:
    """A short key greater than ``before``: the first digit with room, stepped up by one."""
    for i, c in enumerate(before):
        if c != _LARGEST:
            return before[:i] + DIGITS[_INDEX[c] + 1]
    # All largest digits ("zzz"): only a longer key is greater.
    return before + DIGITS[1]


def _before(after: str) -> str:
    """A short key smaller than ``after`` (which is valid, so it has a non-zero digit)."""
    first = _INDEX[after[0]]
    if first > 1:
        return DIGITS[first - 1]
    if first == 1:
        # "1" itself is smaller than any longer key starting with "1".
        return after[0] if len(after) > 1 else _SMALLEST + _LARGEST
    return _SMALLEST + _before(after[1:])


def _midpoint(low: str, high: str | None) -> str:
    """A key strictly between ``low`` ("" = zero) and ``high`` (None = one), near the middle.

    Both have no trailing zero; low < high. The classic fractional-indexing midpoint: skip the
    common prefix (low padded with zeros), then pick a middle digit, or extend by one digit
    when the two are adjacent.
    """
    if high is not None:
        n = 0
        while n < len(high) and (low[n] if n < len(low) else _SMALLEST) == high[n]:
            n += 1
        if n:
            return high[:n] + _midpoint(low[n:], high[n:])
    digit_low = _INDEX[low[0]] if low else 0
    digit_high = _INDEX[high[0]] if high is not None else BASE
    if digit_high - digit_low > 1:
        return DIGITS[(digit_low + digit_high + 1) // 2]
    if high is not None and len(high) > 1:
        return high[0]
    return DIGITS[digit_low] + _midpoint(low[1:], None)


def _check_bounds(before: str | None, after: str | None) -> None:
    if before is not None:
        _check(before, "before")
    if after is not None:
        _check(after, "after")
    if before is not None and after is not None and before >= after:
        raise ValueError(f"before must sort before after: {before!r} >= {after!r}")


def key_between(before: str | None, after: str | None) -> str:
    """A key with ``before < key < after``; None is an open end.

    ValueError when a bound is not a valid key or ``before >= after``.
    """
    _check_bounds(before, after)
    if before is None and after is None:
        return DIGITS[BASE // 2]
    if after is None:
        assert before is not None
        return _after(before)
    if before is None:
        return _before(after)
    return _midpoint(before, after)


def keys_after(before: str | None, n: int) -> list[str]:
    """``n`` increasing keys, all after ``before`` (None: from the start of an empty list)."""
    return keys_between(before, None, n)


def keys_between(before: str | None, after: str | None, n: int) -> list[str]:
    """``n`` increasing keys strictly between ``before`` and ``after`` (None = open ends).

    One key is ``key_between``'s (an append steps a digit: short keys). Several are spread
    evenly over the gap as keys of one width, just wide enough for them: a shelf of 10,000
    products gets keys of three digits, where ``key_between`` applied 10,000 times would grow
    them to 165 (and dropping 1,000 rows between two gets 201).
    """
    if n < 0:
        raise ValueError(f"n must not be negative: {n}")
    if n <= 1:
        return [key_between(before, after)] if n else []
    _check_bounds(before, after)
    width = max(len(before or ""), len(after or ""), 1)
    while True:
        low = _value(before or "", width)
        high = _value(after, width) if after is not None else BASE**width
        if high - low >= 3 * (n + 1):
            break
        width += 1
    # Evenly spaced, at least 3 apart: moving one off a multiple of BASE (a key may not end
    # in the digit 0) keeps the keys increasing and inside the gap.
    keys = []
    for i in range(1, n + 1):
        value = low + (high - low) * i // (n + 1)
        keys.append(_digits(value + 1 if value % BASE == 0 else value, width))
    return keys


def _value(key: str, width: int) -> int:
    """The key read as ``width`` base-62 digits (padded with zeros: the same fraction)."""
    value = 0
    for c in key.ljust(width, _SMALLEST):
        value = value * BASE + _INDEX[c]
    return value


def _digits(value: int, width: int) -> str:
    out = []
    for _ in range(width):
        value, digit = divmod(value, BASE)
        out.append(DIGITS[digit])
    return "".join(reversed(out))
