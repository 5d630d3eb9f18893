"""Reviews, the profile and the File menu's jobs write on the writer lane and refresh from
``Changes``: no write on the GUI thread, an edit shown at once while another process holds
the store and saved once it lets go, a change from elsewhere re-reads exactly the view it
touches, a refused edit leaves the view and the undo stack as they were."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot
from test_reviews_support import (
    choose,
    click,
    fixture_image,
    open_page,
    pick_product,
    review_product,
    rival_pair,
    settle,
    wait_list,
)
from uihelp import CATALOG_SIZE, open_window

from studio.core.changes import CATALOG_CHANGED, Changes
from studio.core.reviews import Provenance
from studio.store import tx
from studio.store.catalog import CatalogStore
from studio.store.db import open_database
from studio.store.reviews import ReviewStore
from studio.system.paths import Paths
from studio.ui.main_window import MainWindow
from studio.ui.profile.dialog import ProfileDialog
from studio.ui.reviews.api import ReviewsPage
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any) -> ReviewsPage:
    return open_page(qtbot, tasks, paths, store)


def _reviews_page(qtbot: QtBot, window: MainWindow) -> ReviewsPage:
    window.show_workspace("reviews")
    page = window.workspaces.page("reviews")
    assert isinstance(page, ReviewsPage)
    qtbot.waitUntil(lambda: page.picker.searched and page.picker.model.total > 0)
    return page


def _import_feed(qtbot: QtBot, window: MainWindow, feed: Path, monkeypatch: Any) -> None:
    """File > Import feed…, the file chosen in the (stubbed) file dialog; its report closed."""
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(feed), ""))
    )
    window.import_action.trigger()
    dialog = window.imports.options_dialog
    assert dialog is not None
    dialog.merchant.setText("Example Online Store")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: window.imports.report_dialog is not None, timeout=20_000)
    window.imports.report_dialog.close()  # type: ignore[union-attr]


# -- (a) no write on the GUI thread ------------------------------------------------------------


def test_no_write_of_reviews_profile_imports_or_archive_runs_on_the_gui_thread(
    qtbot: QtBot,
    tasks: TaskManager,
    paths: Paths,
    store: Any,
    fixtures_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    threads: list[str] = []
    real_write, real_import = tx.write, CatalogStore.import_feed

    @contextmanager
    def recorded_write(db: Any) -> Iterator[sqlite3.Connection]:
        threads.append(threading.current_thread().name)
        with real_write(db) as conn:
            yield conn

    def recorded_import(self: CatalogStore, *args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        return real_import(self, *args, **kwargs)

    # Every content write is one tx.write (looked up at call time by every store); a feed
    # import is CatalogStore.import_feed's own transaction on the catalog file.
    monkeypatch.setattr(tx, "write", recorded_write)
    monkeypatch.setattr(CatalogStore, "import_feed", recorded_import)
    window = open_window(qtbot, tasks, paths, store)
    page = _reviews_page(qtbot, window)
    editor, strip = page.editor, page.editor.photos

    review_id = review_product(qtbot, page, store, 1)  # create
    click(qtbot, editor.rating.buttons[4])  # rating
    qtbot.keyClicks(editor.title, "Off the GUI thread")
    page.flush()  # typed text
    choose(qtbot, editor.status, "ready")  # status
    choose(qtbot, editor.provenance, Provenance.GIFTED.value)  # provenance
    qtbot.waitUntil(lambda: editor.review is not None and editor.review.provenance == "gifted")
    files = [fixture_image(fixtures_dir, n) for n in ("flower.jpg", "hopper.jpg")]
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", lambda *_a, **_k: ([str(f) for f in files], "")
    )
    click(qtbot, strip.add_button)  # photos added
    qtbot.waitUntil(lambda: strip.list.count() == 2 and not strip.importing, timeout=10_000)
    strip.list.setCurrentRow(1)
    click(qtbot, strip.left_button)  # reordered
    click(qtbot, strip.remove_button)  # removed
    page.undo_stack.undo()  # restored
    page.undo_stack.redo()  # removed again
    page.review_list.view.setFocus()
    qtbot.keyClick(page.review_list.view, Qt.Key.Key_Delete)  # trashed
    page.undo_stack.undo()  # restored
    settle(qtbot, page)

    window.profile_action.trigger()  # Edit > Profile and affiliations…: saved
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ProfileDialog))
    qtbot.keyClicks(dialog.display_name, "Ada")
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    feed = fixtures_dir / "google_merchant" / "google_example_online_store_feed.xml"
    _import_feed(qtbot, window, feed, monkeypatch)  # a feed import, then the relink

    from studio.store.archive import export_archive

    archive = tmp_path / "mine.zip"
    media = window.stores.media  # type: ignore[union-attr]
    export_archive(store.db, archive, media.path)  # a read, made here as another tool would
    with qtbot.waitSignal(window.archive.finished, timeout=20_000):
        window.archive.import_(archive)  # the archive import
    assert tasks.wait_written()

    main = threading.main_thread().name
    assert len(threads) >= 15, threads
    assert main not in threads, threads
    assert page.reviews.get(review_id) is not None
    assert window.curation is not None and window.curation.profile.get().display_name == "Ada"


# -- (b) an edit while another process holds the store -----------------------------------------


class _Holder:
    """Another connection, in a thread of its own as another process would be, holding the
    content file's write lock until ``release`` (or a long while: never forever)."""

    def __init__(self, path: Path) -> None:
        self.locked, self.released = threading.Event(), threading.Event()
        self._path = path
        self._thread = threading.Thread(target=self._hold, daemon=True)
        self._thread.start()
        assert self.locked.wait(10)

    def _hold(self) -> None:
        conn = sqlite3.connect(self._path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        self.locked.set()
        self.released.wait(60)
        conn.execute("ROLLBACK")
        conn.close()

    def release(self) -> None:
        self.released.set()
        self._thread.join(10)


def test_an_edit_while_another_process_holds_the_store_shows_at_once_and_is_saved_after(
    qtbot: QtBot, page: ReviewsPage, store: Any, paths: Paths
) -> None:
    page.activateWindow()  # focus moves between its boxes as it does for a user
    qtbot.waitUntil(page.isActiveWindow)
    review_id = review_product(qtbot, page, store, 1)
    settle(qtbot, page)
    wait_list(qtbot, page, lambda ids: ids == [review_id])
    editor = page.editor
    fresh = ReviewStore(open_database(paths.database))  # reads beside the lock (WAL)
    holder = _Holder(paths.database)
    try:
        click(qtbot, editor.rating.buttons[4])
        # Shown at once, in the editor and the list, though nothing could be written yet.
        assert editor.rating.value() == 5
        assert page.review_list.model.index(0, 1).data() == "★★★★★"
        click(qtbot, editor.title)
        qtbot.waitUntil(editor.title.hasFocus)
        qtbot.keyClicks(editor.title, "Typed while it was busy")
        # The UI keeps working: leaving the title (it queues its save) for the picker, whose
        # search reads the catalog while the content file is locked.
        picker = page.picker
        click(qtbot, picker.search)
        qtbot.waitUntil(picker.search.hasFocus)
        qtbot.keyClicks(picker.search, "zzz-no-such-product")
        qtbot.waitUntil(lambda: picker.model.total == 0 and "0 products" in picker.count.text())
        assert not editor.pending and page.writes.pending == 2  # both queued, none written
        stored = fresh.get(review_id)
        assert stored is not None and (stored.rating, stored.title) == (None, "")
    finally:
        holder.release()
    settle(qtbot, page)
    stored = fresh.get(review_id)
    assert stored is not None and (stored.rating, stored.title) == (5, "Typed while it was busy")
    assert editor.saved_label.text() == "Saved" and editor.rating.value() == 5


def test_a_profile_saved_while_another_process_holds_the_store_is_stored_once_it_lets_go(
    qtbot: QtBot, tasks: TaskManager, store: Any, paths: Paths
) -> None:
    from studio.media.library import MediaLibrary
    from studio.store.profile import ProfileStore

    dialog = ProfileDialog(tasks, ProfileStore(store.db), MediaLibrary(paths.media))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    fresh = ProfileStore(open_database(paths.database))
    holder = _Holder(paths.database)
    try:
        qtbot.keyClicks(dialog.display_name, "Ada Curator")
        click(qtbot, dialog.save_button)
        # Queued, not lost, the dialog still open and answering (Save waits, not the app).
        assert dialog.isVisible() and dialog.saving and not dialog.save_button.isEnabled()
        qtbot.keyClicks(dialog.new_brand, "Acme")
        assert dialog.new_brand.text() == "Acme"
        assert fresh.get().display_name == ""
    finally:
        holder.release()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    assert fresh.get().display_name == "Ada Curator"


def test_a_list_read_made_during_an_edit_never_shows_the_list_older_than_the_edit(
    qtbot: QtBot, page: ReviewsPage, store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    review_id = review_product(qtbot, page, store, 1)
    settle(qtbot, page)
    wait_list(qtbot, page, lambda ids: ids == [review_id])
    reviews, lst = page.reviews, page.review_list
    entered, go = threading.Event(), threading.Event()
    real = reviews.summaries

    def held(**kwargs: Any) -> Any:  # read before the edit, delivered after it (a slow read)
        found = real(**kwargs)
        if kwargs:  # the list's own rows (the first call reads the merchants)
            entered.set()
            assert go.wait(10)
        return found

    shown: list[list[int]] = []
    real_show = lst._show

    def show(result: Any) -> None:
        shown.append([row.rating for row in result[0]])
        real_show(result)

    monkeypatch.setattr(reviews, "summaries", held)
    monkeypatch.setattr(lst, "_show", show)
    lst.refresh()  # as a filter or a change from elsewhere asks
    assert entered.wait(10)
    click(qtbot, page.editor.rating.buttons[3])  # meanwhile, an edit: shown at once
    assert lst.model.index(0, 1).data() == "★★★★☆"
    go.set()
    qtbot.waitUntil(lambda: bool(shown))
    settle(qtbot, page)
    # The read that ran before the edit was queued is read again after it, never shown.
    assert shown == [[4]] and lst.model.index(0, 1).data() == "★★★★☆"


# -- (c) a change from elsewhere refreshes exactly the view it touches ----------------------


def test_a_change_from_elsewhere_refreshes_only_what_it_touches(
    qtbot: QtBot, page: ReviewsPage, store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    tasks, editor = page.tasks, page.editor
    other = review_product(qtbot, page, store, 1)
    shown = review_product(qtbot, page, store, 2)  # open in the editor
    settle(qtbot, page)
    wait_list(qtbot, page, lambda ids: set(ids) == {other, shown})
    calls: dict[str, int] = {"list": 0, "reread": 0, "product": 0, "picker": 0}

    def counted(name: str, fn: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return fn(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(page.review_list, "refresh", counted("list", page.review_list.refresh))
    monkeypatch.setattr(page, "_reread", counted("reread", page._reread))
    monkeypatch.setattr(editor, "reload_product", counted("product", editor.reload_product))
    monkeypatch.setattr(page.picker, "refresh", counted("picker", page.picker.refresh))

    # A look written elsewhere: nothing here shows it.
    tasks.changed.emit(Changes.of("look", ["some-look"]), None)
    assert calls == {"list": 0, "reread": 0, "product": 0, "picker": 0}

    # Another review written elsewhere: the list reads again; the open review is not re-read.
    reviews = page.reviews
    tasks.write(lambda: reviews.update(other, rating=1))
    qtbot.waitUntil(lambda: calls["list"] == 1)

    def other_rated_one() -> bool:  # its row is looked up each time: the refresh reorders
        row = page.review_list.model.row_of(other)
        return row is not None and page.review_list.model.index(row, 1).data() == "★☆☆☆☆"

    qtbot.waitUntil(other_rated_one)
    assert (calls["reread"], calls["product"], calls["picker"]) == (0, 0, 0)

    # The open review written elsewhere while its body is being typed: re-read, its rating
    # and title shown, the typing kept (and saved after, over nothing it did not type).
    editor._timer.setInterval(600_000)  # the autosave waits: the body is still only typed
    qtbot.keyClicks(editor.body, "Still typing")
    tasks.write(lambda: reviews.update(shown, rating=2, title="Titled elsewhere"))
    qtbot.waitUntil(lambda: calls["reread"] == 1 and editor.rating.value() == 2)
    assert editor.title.text() == "Titled elsewhere" and editor.body.toPlainText() == "Still typing"
    assert editor.pending
    page.flush()
    settle(qtbot, page)
    stored = reviews.get(shown)
    assert stored is not None
    assert (stored.rating, stored.title, stored.body) == (2, "Titled elsewhere", "Still typing")

    # The page's own edit: shown already, so its Changes re-read nothing (no echo).
    before = dict(calls)
    click(qtbot, editor.rating.buttons[3])
    settle(qtbot, page)
    assert calls == before and editor.rating.value() == 4

    # The catalog changed (an import): the picker searches again, the list and the product's
    # facts are read again; the open review itself is not.
    tasks.changed.emit(CATALOG_CHANGED, None)
    assert calls == before | {
        "list": before["list"] + 1,
        "product": before["product"] + 1,
        "picker": before["picker"] + 1,
    }


def test_the_reviews_picker_shows_products_imported_after_it_was_shown(
    qtbot: QtBot,
    tasks: TaskManager,
    paths: Paths,
    store: Any,
    fixtures_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window(qtbot, tasks, paths, store)
    page = _reviews_page(qtbot, window)
    picker = page.picker
    assert picker.model.total == CATALOG_SIZE
    feed = fixtures_dir / "google_merchant" / "google_example_online_store_feed.xml"
    _import_feed(qtbot, window, feed, monkeypatch)
    added = window.catalog.store.product_count() - CATALOG_SIZE
    assert added > 0
    qtbot.waitUntil(lambda: picker.model.total == CATALOG_SIZE + added)  # no restart


# -- (d) a refused edit ----------------------------------------------------------------------


def test_a_refused_edit_shows_its_reason_and_leaves_view_and_undo_as_before(
    qtbot: QtBot, page: ReviewsPage, store: Any
) -> None:
    from studio.store.profile import ProfileStore

    pair = rival_pair(store)
    editor, undo = page.editor, page.undo_stack
    review_id = review_product(qtbot, page, store, pair.rival)
    click(qtbot, editor.rating.buttons[3])
    settle(qtbot, page)
    # A tie declared elsewhere makes the reviewed product a competitor's.
    profile = ProfileStore(store.db)
    page.tasks.write(lambda: profile.add_affiliation(pair.own_brand, pair.category, "makes"))

    def view() -> tuple[Any, ...]:
        rows = [(r.id, r.rating, r.provenance, r.title) for r in page.review_list.model.rows]
        return (
            rows,
            editor.review_id,
            editor.provenance.currentData(),
            editor.disclosure.text(),
            editor.rating.value(),
        )

    steps = [undo.text(i) for i in range(undo.count())]
    shown = view()
    # A provenance the rule now refuses: its reason, nothing else changes.
    editor.provenance.setFocus()
    qtbot.keyClick(editor.provenance, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: page.message.isVisibleTo(page))
    assert "competitor" in page.message.text
    settle(qtbot, page)
    assert view() == shown
    assert [undo.text(i) for i in range(undo.count())] == steps and undo.index() == len(steps)
    stored = page.reviews.get(review_id)
    assert stored is not None and stored.provenance is Provenance.BOUGHT
    # A new review of the competitor's product: refused, no review, no step.
    page.message.clear()
    pick_product(qtbot, page, store, pair.rival)
    qtbot.waitUntil(lambda: page.message.isVisibleTo(page))
    assert page.message.text.startswith("No review was created:")
    settle(qtbot, page)
    assert view() == shown and [undo.text(i) for i in range(undo.count())] == steps
    assert [s.id for s in page.reviews.summaries()] == [review_id]
    # What was there before still undoes as it did.
    undo.undo()
    assert editor.rating.value() == 0  # no rating, as it began
