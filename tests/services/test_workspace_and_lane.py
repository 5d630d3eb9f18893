"""The services layer: one call opens a workspace's store, stores and photos; the writer
lane runs every write off the caller's thread, one file's writes in order, and reports what
each changed."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from studio.core.errors import StoreError
from studio.services.lane import WriteLane
from studio.services.workspace import open_workspace
from studio.system.paths import resolve_paths
from tests.store.test_search_engine import rec


def test_open_workspace_builds_every_store_over_one_store(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "home").ensure()
    with open_workspace(paths) as ws:
        stores = (ws.looks, ws.boards, ws.shops, ws.reviews, ws.profile, ws.catalog)
        assert all(store.db is ws.db for store in stores)
        assert ws.media.root == paths.media
        assert paths.database.is_file() and paths.catalog_database.is_file()
        assert ws.db.catalog is not None and ws.db.catalog.path == paths.catalog_database


def test_a_store_from_a_newer_app_is_refused_with_nothing_changed(tmp_path: Path) -> None:
    import sqlite3

    paths = resolve_paths(tmp_path / "home").ensure()
    open_workspace(paths).close()
    with sqlite3.connect(paths.database) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    before = paths.database.read_bytes()
    with pytest.raises(StoreError, match="newer version"):
        open_workspace(paths)
    assert paths.database.read_bytes() == before


def test_the_lane_runs_writes_off_the_caller_thread_and_reports_changes(tmp_path: Path) -> None:
    ws = open_workspace(resolve_paths(tmp_path / "home").ensure())
    lane = WriteLane()
    try:
        caller = threading.get_ident()
        ran_on: list[int] = []

        def create() -> str:
            ran_on.append(threading.get_ident())
            return ws.looks.create_look("Made by the lane").id

        done = lane.submit(create).result(timeout=30)
        assert ran_on and ran_on[0] != caller
        assert done.changes.root_ids("look") == {done.value}
        failed = lane.submit(lambda: ws.looks.update_look("missing", title="x"))
        with pytest.raises(StoreError):
            failed.result(timeout=30)
        assert lane.drain(timeout=30) and lane.pending == 0
    finally:
        lane.close()
        ws.close()


def test_one_files_writes_run_in_order_and_a_catalog_job_never_holds_up_an_edit(
    tmp_path: Path,
) -> None:
    """The catalog queue is busy with a long job; edits queued meanwhile on the content queue
    finish first, in the order they were submitted."""
    ws = open_workspace(resolve_paths(tmp_path / "home").ensure())
    lane = WriteLane()
    release = threading.Event()
    order: list[str] = []

    def long_import() -> None:
        ws.catalog.import_feed("M", "test", [rec("M", "1", "Shirt")])
        release.wait(timeout=30)  # a catalog job still running
        order.append("catalog")

    try:
        slow = lane.submit(long_import, catalog=True)
        look = ws.looks.create_look("L")
        edits = [
            lane.submit(
                lambda i=i: (ws.looks.update_look(look.id, title=f"t{i}"), order.append(f"e{i}"))
            )
            for i in range(5)
        ]
        for edit in edits:
            edit.result(timeout=30)
        assert order == [f"e{i}" for i in range(5)]  # all saved while the catalog job runs
        assert ws.looks.document(look.id).look.title == "t4"  # type: ignore[union-attr]
        release.set()
        assert slow.result(timeout=30).changes.catalog is False  # a store call: no note
        assert order[-1] == "catalog"
    finally:
        release.set()
        lane.close()
        ws.close()


def test_run_collects_changes_in_place() -> None:
    from studio.core.changes import CATALOG_CHANGED
    from studio.store import tx

    ran_on: list[int] = []

    def job() -> int:
        ran_on.append(threading.get_ident())
        tx.note(CATALOG_CHANGED)
        return 7

    done = WriteLane.run(job)
    assert done.value == 7 and done.changes.catalog
    assert ran_on == [threading.get_ident()]  # here, synchronously
