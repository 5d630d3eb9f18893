"""Search results that are cheap to start: every match in display order, ranked head first.

The grid asks for every match of its query, but shows one screen of them at a time. For a
common word or a 2-letter prefix over 1M products, "every match" is 300,000-500,000 ids:
fetching them from FTS5 alone costs 30-60 ms, ordering them more, while the ranked head the
user sees costs a few. ``RankedIds`` holds the head at once and makes the whole order (the
head, then every other match newest first) the first time something asks beyond it, in
whichever thread asks; ``ready`` says how many ids are there without waiting, which is what
the grid's model counts as rows until its worker has called ``complete()``.

It is a read-only sequence of ints that numpy accepts (``np.asarray``), so callers that
slice, index, ``len()`` or ``tolist()`` it see the same values as an array of every match.

``MatchCache`` keeps the last few "every match" arrays, keyed by FTS5 expression, so the
grid's completion and the facet counts of one query read the index once between them, even
when two workers ask at the same moment.
"""

from __future__ import annotations

import operator
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from typing import Any, overload

import numpy as np
import numpy.typing as npt

IdArray = npt.NDArray[np.integer[Any]]
RECENT = 2  # match arrays kept: the query's (its grid completion and facets share it), and one


class RankedIds:
    """Every match of a ranked query in display order; see the module docstring."""

    def __init__(self, head: IdArray, rest: Callable[[IdArray], IdArray] | None) -> None:
        """``rest(head)``: every other id, in order (None: ``head`` is every id already)."""
        self._ids = head
        self._rest: Callable[[IdArray], IdArray] | None = rest
        self._lock = threading.Lock()

    @property
    def ready(self) -> int:
        """How many leading ids are known now (all of them once complete)."""
        return len(self._ids)

    @property
    def is_complete(self) -> bool:
        return self._rest is None

    def complete(self) -> IdArray:
        """Every id in display order (computed once; later calls return it at once)."""
        with self._lock:
            if self._rest is not None:
                head = self._ids
                rest = self._rest(head)
                self._ids = np.concatenate((head.astype(rest.dtype, copy=False), rest))
                self._ids.setflags(write=False)
                self._rest = None
            return self._ids

    def _upto(self, stop: int | None) -> IdArray:
        """The ids, complete unless the first ``stop`` are known already (None: all)."""
        ids = self._ids
        if self._rest is None or (stop is not None and stop <= len(ids)):
            return ids
        return self.complete()

    def __len__(self) -> int:
        return len(self.complete())

    @overload
    def __getitem__(self, key: int) -> Any: ...

    @overload
    def __getitem__(self, key: slice) -> IdArray: ...

    def __getitem__(self, key: int | slice) -> Any:
        if isinstance(key, slice):
            simple = (
                key.step in (None, 1)
                and (key.start or 0) >= 0
                and key.stop is not None
                and key.stop >= 0
            )
            return self._upto(key.stop if simple else None)[key]
        index = operator.index(key)
        return self._upto(index + 1 if index >= 0 else None)[index]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.complete())

    def __array__(self, dtype: Any = None, copy: Any = None) -> IdArray:
        return np.asarray(self.complete(), dtype=dtype)

    def tolist(self) -> list[int]:
        return self.complete().tolist()  # type: ignore[no-any-return]


class IdRange:
    """Every id from ``hi`` down to ``lo``: the whole catalog newest first when its ids have
    no gap, as a sequence that makes only the slices asked for (an array of them is 4 MB at
    1M products, held as long as the grid shows the catalog)."""

    is_complete = True

    def __init__(self, hi: int, lo: int) -> None:
        self.hi, self.lo = hi, lo
        self._dtype = np.dtype(np.int32) if hi < 2**31 else np.dtype(np.int64)

    @property
    def ready(self) -> int:
        return len(self)

    def complete(self) -> IdArray:
        return np.arange(self.hi, self.lo - 1, -1, dtype=self._dtype)

    def __len__(self) -> int:
        return max(0, self.hi - self.lo + 1)

    @overload
    def __getitem__(self, key: int) -> Any: ...

    @overload
    def __getitem__(self, key: slice) -> IdArray: ...

    def __getitem__(self, key: int | slice) -> Any:
        if isinstance(key, slice):
            start, stop, step = key.indices(len(self))
            return np.arange(self.hi - start, self.hi - stop, -step, dtype=self._dtype)
        index = operator.index(key)
        size = len(self)
        if not -size <= index < size:
            raise IndexError(f"index {index} out of range for {size} ids")
        return self._dtype.type(self.hi - (index % size))

    def __iter__(self) -> Iterator[Any]:
        return iter(self.complete())

    def __array__(self, dtype: Any = None, copy: Any = None) -> IdArray:
        return np.asarray(self.complete(), dtype=dtype)

    def tolist(self) -> list[int]:
        return list(range(self.hi, self.lo - 1, -1))


class MatchCache:
    """The last ``RECENT`` match arrays by expression; concurrent askers share one fetch."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, Future[IdArray]] = OrderedDict()

    def get(self, key: str, fetch: Callable[[], IdArray]) -> IdArray:
        with self._lock:
            entry = self._entries.get(key)
            mine = entry is None
            if entry is None:
                entry = self._entries[key] = Future()
                while len(self._entries) > RECENT:
                    self._entries.popitem(last=False)
            else:
                self._entries.move_to_end(key)
        if not mine:
            return entry.result()
        try:
            ids = fetch()
        except BaseException as exc:
            with self._lock:
                if self._entries.get(key) is entry:
                    del self._entries[key]  # the next asker tries again
            entry.set_exception(exc)
            raise
        ids.setflags(write=False)
        entry.set_result(ids)
        return ids

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def relevance_order(head: IdArray, matches: IdArray) -> IdArray:
    """The ranked ``head`` (those of its ids among ``matches``), then every other match,
    newest first; ``matches`` ascending."""
    if not matches.size:
        return matches
    head = head[head <= matches[-1]]
    head = head[_members(matches)[head]].astype(matches.dtype, copy=False)
    return np.concatenate((head, newest_except(matches, head)))


def newest_except(matches: IdArray, head: IdArray) -> IdArray:
    """Every id of ``matches`` (ascending) that is not in ``head``, newest first."""
    if not matches.size:
        return matches
    member = _members(matches)
    member[head[head < member.size]] = False
    rest = matches[::-1]
    return rest[member[rest]]


def _members(ids: IdArray) -> npt.NDArray[np.bool_]:
    """A mask over 0..max(ids) that is True at ``ids`` (ascending)."""
    member = np.zeros(int(ids[-1]) + 1, dtype=np.bool_)
    member[ids] = True
    return member
