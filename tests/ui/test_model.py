"""The lazy catalog model: a million rows, only the pages on screen ever loaded."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from studio.core.catalog import ProductCard, SearchQuery, SearchResult
from studio.ui.catalog.grid_view import ProductGridView
from studio.ui.tasks import TaskManager
from studio.ui.widgets.catalog_model import MAX_PAGES, PAGE_SIZE, CardRole, CatalogModel

pytestmark = pytest.mark.gui
ROWS = 1_000_000


class CountingStore:
    """The real store, counting which ids the model asks it for."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.asked: list[int] = []
        self.lock = threading.Lock()

    def cards(self, ids: Sequence[int]) -> list[ProductCard]:
        with self.lock:
            self.asked.extend(ids)
        return self.store.cards(ids)  # type: ignore[no-any-return]


def million_ids(store: Any) -> SearchResult:
    """The real catalog's ids first, then ids of products that do not exist (no card)."""
    real = np.asarray(store.search(SearchQuery()).ids, dtype=np.int64)
    rest = np.arange(10_000_000, 10_000_000 + ROWS - real.size, dtype=np.int64)
    return SearchResult(np.concatenate((real, rest)), ROWS, 0.0)


def test_a_million_rows_load_only_the_pages_on_screen(
    qtbot: QtBot, tasks: TaskManager, store: Any
) -> None:
    source = CountingStore(store)
    model = CatalogModel(tasks)
    model.set_source(source)
    view = ProductGridView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(1000, 700)
    view.show()
    qtbot.waitExposed(view)
    model.set_result(million_ids(store))
    assert model.rowCount() == ROWS
    assert model.card(0) is None  # not loaded yet: the view paints a placeholder
    view.viewport().repaint()
    qtbot.waitUntil(lambda: model.is_loaded(0))
    first = model.card(0)
    assert first is not None and model.data(model.index(0), CardRole) == first
    assert len(source.asked) == PAGE_SIZE  # one page, not a million rows

    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    view.viewport().repaint()
    qtbot.waitUntil(lambda: model.is_loaded(ROWS - 1))
    assert len(source.asked) <= 3 * PAGE_SIZE
    assert ROWS - 1 in view.visible_rows()
    assert model.card(ROWS - 1) is None  # that id has no product: skipped, not an error


def test_the_page_cache_is_bounded_and_stale_pages_are_dropped(
    qtbot: QtBot, tasks: TaskManager, store: Any
) -> None:
    model = CatalogModel(tasks)
    model.set_source(store)
    model.set_result(million_ids(store))
    for page in range(MAX_PAGES + 5):
        model.card(page * PAGE_SIZE)
        qtbot.waitUntil(lambda p=page: model.is_loaded(p * PAGE_SIZE))
    assert not model.is_loaded(0)  # the oldest pages were evicted
    assert model.is_loaded((MAX_PAGES + 4) * PAGE_SIZE)

    # A page requested for an old result never lands in the new one: its answer is delivered
    # on this thread, after set_result below, and must be recognised as stale.
    model.card(0)
    reversed_ids = np.asarray(store.search(SearchQuery()).ids, dtype=np.int64)[::-1].copy()
    model.set_result(SearchResult(reversed_ids, reversed_ids.size, 0.0))
    qtbot.waitUntil(lambda: tasks.running == 0)
    assert not model.is_loaded(0)
    model.card(0)
    qtbot.waitUntil(lambda: model.is_loaded(0))
    assert model.card(0).id == int(reversed_ids[0])


def test_a_ranked_head_shows_at_once_and_the_rest_is_appended(
    qtbot: QtBot, tasks: TaskManager, store: Any
) -> None:
    """A grid result made of a ranked head and a rest computed on first need: the head's rows
    show without waiting, the rest is completed in a worker and appended, never on this
    thread."""
    from studio.store.search_ids import RankedIds

    every = np.asarray(store.search(SearchQuery()).ids, dtype=np.int64)
    head, rest = every[:50], every[50:]
    release = threading.Event()
    threads: list[str] = []

    def make_rest(_head: Any) -> Any:
        threads.append(threading.current_thread().name)
        release.wait(10)
        return rest

    ids = RankedIds(head, make_rest)
    model = CatalogModel(tasks)
    model.set_source(store)
    completed: list[int] = []
    model.rows_completed.connect(completed.append)
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    model.set_result(SearchResult(ids, every.size, 0.0, exact=False))
    assert model.rowCount() == 50  # the head, while the rest is being made
    model.card(0)
    qtbot.waitUntil(lambda: model.is_loaded(0))
    assert model.card(0).id == int(every[0])  # type: ignore[union-attr]
    assert not ids.is_complete and model.rowCount() == 50
    release.set()
    qtbot.waitUntil(lambda: completed == [every.size])
    assert model.rowCount() == every.size and inserted == [(50, every.size - 1)]
    assert threads and threads[0] != threading.current_thread().name
    last = every.size - 1
    model.card(last)
    qtbot.waitUntil(lambda: model.is_loaded(last))
    assert model.card(last).id == int(every[-1])  # type: ignore[union-attr]
