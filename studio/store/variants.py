"""Variants as one card: the grid's result collapsed to one product per item group.

A merchant lists a shirt in four colours and five sizes as twenty offers sharing an
``item_group_id``; a shop shows one card. ``Groups`` is one column indexed by product id: the
group's smallest id for every product of a group of two or more (0 for the rest), loaded in
one statement (the window functions read the (merchant, item group) index in order) and kept
until the catalog changes, like the other columns (``ColumnStore.groups``). No Python object
is made per product: a catalog without groups loads an empty column and collapses nothing.

``Groups.collapse(ids)`` keeps, of each group, the first-ranked id (the one the search ranked
or sorted highest) in place, and every product that is in no group. ``GroupedIds`` does that
to a ``RankedIds`` lazily: its ranked head is collapsed at once (a prefix of the whole
collapsed order: a group's first id in the head is its first id overall), the rest when the
grid's worker calls ``complete()``, as the model already does for ``RankedIds``. The variant
counts, colours and sizes a card shows are read with the visible cards
(``studio.store.products.cards``), never for the whole result.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from studio.store.search_ids import RankedIds

# The size of each group of two or more and its ids (in any order), as two strings
# numpy parses in C (as columns.py reads its columns): one scan of the covering (merchant,
# item group) index. ~140 ms per 200,000 products where half have an item group (a window
# function doing the same took twice that).
_GROUPS_SQL = (
    "SELECT group_concat(n), group_concat(ids) FROM ("
    "SELECT count(*) AS n, group_concat(id) AS ids FROM products "
    "WHERE item_group_id IS NOT NULL GROUP BY merchant_id, item_group_id HAVING n > 1)"
)


@dataclass(frozen=True, eq=False)
class Groups:
    """The item group of each product id (its smallest id; 0: in no group of two or more)."""

    leader: npt.NDArray[np.integer[Any]]

    @property
    def empty(self) -> bool:
        return not self.leader.size

    def collapse(self, ids: Any) -> Any:
        """``ids`` (any sequence numpy reads) keeping the first id of each group, in order;
        ``ids`` itself when the catalog has no groups (an ``IdRange`` stays lazy)."""
        if self.empty:
            return ids
        ids = np.asarray(ids)
        if not ids.size:
            return ids
        known = ids < self.leader.size
        leader = np.zeros(ids.shape, dtype=self.leader.dtype)
        leader[known] = self.leader[ids[known]]
        grouped = np.flatnonzero(leader)
        if not grouped.size:
            return ids
        _, first = np.unique(leader[grouped], return_index=True)  # first occurrence of each
        keep = leader == 0
        keep[grouped[first]] = True
        kept = ids[keep]
        kept.setflags(write=False)
        return kept


def load_groups(conn: sqlite3.Connection) -> Groups:
    """Read the item groups of two or more products (one statement)."""
    sizes_text, ids_text = conn.execute(_GROUPS_SQL).fetchone()
    if not sizes_text:
        return Groups(np.zeros(0, dtype=np.int32))
    sizes = np.fromstring(sizes_text, dtype=np.int64, sep=",")
    ids = np.fromstring(ids_text, dtype=np.int64, sep=",")
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    firsts = np.minimum.reduceat(ids, starts)  # each group's smallest id names it
    top = int(ids.max())
    leader: npt.NDArray[np.integer[Any]] = np.zeros(
        top + 1, dtype=np.int32 if top < 2**31 else np.int64
    )
    leader[ids] = np.repeat(firsts, sizes)
    leader.setflags(write=False)
    return Groups(leader)


class GroupedIds(RankedIds):
    """A ``RankedIds`` (head now, the rest on first need) with each item group collapsed to
    its first-ranked product; the same sequence, so the grid's model pages it."""

    def __init__(self, inner: Any, groups: Groups) -> None:
        self._inner = inner
        if getattr(inner, "is_complete", True):
            super().__init__(groups.collapse(np.asarray(inner)), None)
            return
        # The collapsed head is a prefix of the whole collapsed order (module doc): the rest
        # is what follows it there.
        super().__init__(
            groups.collapse(np.asarray(inner[: inner.ready])),
            lambda head: np.asarray(groups.collapse(inner.complete()))[len(head) :],
        )

    @property
    def products(self) -> int | None:
        """How many products the cards stand for (None until complete)."""
        return len(self._inner) if self.is_complete else None
