"""Checking records in their wire form against the registry (``studio.protocol.kinds``).

The same checks guard every door a record comes in by: the portable archive's import today,
the platform's push and the client's pull with the sync. ``problem(kind, record)`` says what
is wrong with one record (the first thing), or returns None; the caller adds where it was.
Each field type's check is made once and reused: an archive holds tens of thousands of
records.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from functools import cache

from studio.core.boards import BoardItemKind
from studio.core.looks import LookStatus, MatchKind
from studio.core.ordering import is_valid_key
from studio.core.profile import Relationship, Tier
from studio.core.reviews import RATING_MAX, RATING_MIN, Provenance, ReviewStatus
from studio.protocol.kinds import RecordKind

# The enum types of the registry and their values.
ENUMS: Mapping[str, frozenset[str]] = {
    "status": frozenset(s.value for s in LookStatus),
    "match": frozenset(m.value for m in MatchKind),
    "item": frozenset(k.value for k in BoardItemKind),
    "profile_id": frozenset({"me"}),  # the one profile row (a CHECK of the table)
    "tier": frozenset(t.value for t in Tier),
    "relationship": frozenset(r.value for r in Relationship),
    "provenance": frozenset(p.value for p in Provenance),
    "review_status": frozenset(s.value for s in ReviewStatus),
}
MAX_ID = 200  # characters: a UUID is 36; room for other clients' ids, not for abuse

_HASH = re.compile(r"[0-9a-f]{64}")


def is_hash(value: object) -> bool:
    return isinstance(value, str) and _HASH.fullmatch(value) is not None


def is_stamp(value: object) -> bool:
    """UTC ISO 8601 text ending "+00:00": text order must be time order (newer edit wins)."""
    if not isinstance(value, str) or not value.endswith("+00:00"):
        return False
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError:
        return False
    return stamp.utcoffset() == timedelta(0)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_float(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


_CHECKS: Mapping[str, Callable[[object], bool]] = {
    "str": lambda v: isinstance(v, str),
    "id": lambda v: isinstance(v, str) and 0 < len(v) <= MAX_ID,
    "int": _is_int,
    "float": _is_float,
    "bool": lambda v: isinstance(v, bool),
    "hash": is_hash,
    "stamp": is_stamp,
    "key": lambda v: isinstance(v, str) and is_valid_key(v),
    "rating": lambda v: _is_int(v) and RATING_MIN <= v <= RATING_MAX,  # type: ignore[operator]
    "tags": lambda v: isinstance(v, list) and all(isinstance(t, str) for t in v),
}


@cache
def check_of(type_: str) -> Callable[[object], bool]:
    """The value check of a field type ("str?" allows None)."""
    if type_.endswith("?"):
        inner = check_of(type_[:-1])
        return lambda v: v is None or inner(v)
    if type_ in _CHECKS:
        return _CHECKS[type_]
    values = ENUMS[type_]
    return lambda v: isinstance(v, str) and v in values


@cache
def _field_checks(kind: RecordKind) -> tuple[tuple[str, Callable[[object], bool]], ...]:
    return tuple((name, check_of(type_)) for name, type_ in kind.fields)


def problem(kind: RecordKind, record: object, extra: frozenset[str] = frozenset()) -> str | None:
    """What is wrong with ``record`` as a ``kind`` record, or None: exactly the kind's fields
    (``extra`` names fields tolerated besides them), each of its type."""
    if not isinstance(record, dict):
        return "not a JSON object"
    for name in kind.columns:
        if name not in record:
            return f"missing field {name!r}"
    if len(record) > len(kind.columns):
        unknown = sorted(record.keys() - set(kind.columns) - extra)
        if unknown:
            return f"unknown field {unknown[0]!r}"
    for name, check in _field_checks(kind):
        if not check(record[name]):
            return f"bad {name} {record[name]!r}"
    return None
