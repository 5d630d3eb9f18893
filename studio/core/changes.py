"""``Changes``: what one write changed, so every view refreshes only what it shows.

Every write (an edit, a feed or archive import, and the sync's pull) reports a ``Changes``:
the records it wrote by kind (the registry's wire names: "look", "hotspot", "shop_item"...)
and, for each, the *root* record it belongs to (a hotspot's look, a shop item's shop), plus
whether the merchant catalog changed (products, their availability or prices, the search
index). The desktop publishes each value on one app-wide signal; a view asks the value the
questions it cares about (``touches``, ``roots``, ``catalog``) instead of being called by
hand, as Anki's ``OpChanges`` and calibre's events do. Values combine with ``|``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

_EMPTY: Mapping[str, frozenset[str]] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Changes:
    """Kinds and ids touched by one or more writes (see the module docstring).

    ``records``: kind -> ids of the records written (upserted, tombstoned or restored).
    ``roots``: root kind ("look", "board", "shop", "review", "profile", "media") -> ids of
    the roots that own any of them (a root written itself counts too). ``catalog``: the
    merchant catalog changed. ``relinked``: product references were re-linked to the
    catalog (their local product ids changed, not the records themselves).
    """

    records: Mapping[str, frozenset[str]] = field(default_factory=lambda: _EMPTY)
    roots: Mapping[str, frozenset[str]] = field(default_factory=lambda: _EMPTY)
    catalog: bool = False
    relinked: bool = False

    def __bool__(self) -> bool:
        return bool(self.records or self.roots or self.catalog or self.relinked)

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            _merge(self.records, other.records),
            _merge(self.roots, other.roots),
            self.catalog or other.catalog,
            self.relinked or other.relinked,
        )

    def ids(self, kind: str) -> frozenset[str]:
        """Ids of the ``kind`` records written (empty when none)."""
        return self.records.get(kind, frozenset())

    def root_ids(self, root: str) -> frozenset[str]:
        """Ids of the ``root`` records (looks, shops...) that changed, themselves or below."""
        return self.roots.get(root, frozenset())

    def touches(self, *kinds: str) -> bool:
        """Whether a record of any of ``kinds`` was written, or a root of those kinds changed."""
        return any(k in self.records or k in self.roots for k in kinds)

    def touches_root(self, root: str, root_id: str) -> bool:
        """Whether the root record ``root_id`` (a look, a shop...) changed or anything below."""
        return root_id in self.roots.get(root, ())

    @staticmethod
    def of(
        kind: str, ids: Iterable[str], *, root: str | None = None, root_ids: Iterable[str] = ()
    ) -> Changes:
        """Changes of ``ids`` of ``kind`` (under ``root_ids`` of ``root``; a root kind is its
        own root when ``root`` is not given)."""
        written = frozenset(ids)
        owners = frozenset(root_ids) if root is not None else written
        return Changes(
            MappingProxyType({kind: written}) if written else _EMPTY,
            MappingProxyType({root or kind: owners}) if owners else _EMPTY,
        )


CATALOG_CHANGED = Changes(catalog=True)
RELINKED = Changes(relinked=True)
NOTHING = Changes()


def _merge(
    a: Mapping[str, frozenset[str]], b: Mapping[str, frozenset[str]]
) -> Mapping[str, frozenset[str]]:
    if not b:
        return a
    if not a:
        return b
    merged = dict(a)
    for key, ids in b.items():
        merged[key] = merged[key] | ids if key in merged else ids
    return MappingProxyType(merged)


class ChangeBuilder:
    """Collects ``Changes`` piece by piece (a transaction's records as it writes them)."""

    __slots__ = ("_catalog", "_records", "_relinked", "_roots")

    def __init__(self) -> None:
        self._records: dict[str, set[str]] = {}
        self._roots: dict[str, set[str]] = {}
        self._catalog = False
        self._relinked = False

    def record(self, kind: str, record_id: str, root: str, root_id: str | None) -> None:
        self._records.setdefault(kind, set()).add(record_id)
        if root_id is not None:
            self._roots.setdefault(root, set()).add(root_id)

    def add(self, changes: Changes) -> None:
        for kind, ids in changes.records.items():
            self._records.setdefault(kind, set()).update(ids)
        for root, ids in changes.roots.items():
            self._roots.setdefault(root, set()).update(ids)
        self._catalog |= changes.catalog
        self._relinked |= changes.relinked

    def build(self) -> Changes:
        return Changes(
            MappingProxyType({k: frozenset(v) for k, v in self._records.items()}),
            MappingProxyType({k: frozenset(v) for k, v in self._roots.items()}),
            self._catalog,
            self._relinked,
        )
