"""The Looks workspace refreshes from ``Changes``, and only what a change touches.

Another page, an archive import or (next) the sync writes the store; each write's ``Changes``
is published on ``TaskManager.changed``. Here "elsewhere" is a direct write through the real
store on the test's thread, its Changes collected by ``tx.collecting`` and published with no
origin, as the lane publishes another page's. The store's reads are counted (they run in
workers): a view that re-read what a change did not touch, or re-read its own edit, shows up
as one read too many.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from test_looks_helpers import open_studio, saved

from studio.core.changes import CATALOG_CHANGED
from studio.store import tx
from studio.system.paths import Paths
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """How many times each of the look store's reads ran, wherever it ran."""
    from studio.store.looks import LookStore

    counted: Counter[str] = Counter()
    lock = threading.Lock()
    for name in ("summaries", "document"):
        original = getattr(LookStore, name)

        def wrapped(
            self: Any, *a: Any, _original: Any = original, _name: str = name, **k: Any
        ) -> Any:
            with lock:
                counted[_name] += 1
            return _original(self, *a, **k)

        monkeypatch.setattr(LookStore, name, wrapped)
    yield counted


def publish(tasks: TaskManager, write: Callable[[], object]) -> None:
    """Write through the real store here, and publish its Changes as another page's."""
    with tx.collecting() as got:
        write()
    changes = got.build()
    assert changes, "the write reported what it changed"
    tasks.changed.emit(changes, None)


def settle(qtbot: QtBot, tasks: TaskManager) -> None:
    """Let every decision a change causes be taken and every read it started finish."""
    QApplication.processEvents()
    qtbot.wait(0)
    assert tasks.wait_idle()
    QApplication.processEvents()


def titles(library: Any) -> list[str]:
    return [library.model.summary(r).title for r in range(library.model.rowCount())]


def test_the_library_reads_again_only_for_changes_of_looks(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any, reads: Counter[str]
) -> None:
    from studio.store.boards import BoardStore
    from studio.store.looks import LookStore

    looks = LookStore(store.db)
    beach = looks.create_look("Beach")
    looks.create_look("Office")
    studio = open_studio(qtbot, tasks, paths, store)
    window, library = studio.window, studio.window.looks.library
    window.show_workspace("looks")
    qtbot.waitUntil(lambda: sorted(titles(library)) == ["Beach", "Office"])
    settle(qtbot, tasks)
    before = reads["summaries"]

    # Another page writes a board, and a feed import changes the catalog: no card changed.
    publish(tasks, lambda: BoardStore(store.db).create_board("Moodboard"))
    tasks.changed.emit(CATALOG_CHANGED, None)
    settle(qtbot, tasks)
    assert reads["summaries"] == before

    # A look renamed elsewhere: the list reads once and shows it.
    with qtbot.waitSignal(library.refreshed):
        publish(tasks, lambda: looks.update_look(beach.id, title="Beach wedding"))
    assert sorted(titles(library)) == ["Beach wedding", "Office"]
    settle(qtbot, tasks)
    assert reads["summaries"] == before + 1


def test_the_open_look_reads_again_for_others_changes_of_it_only(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any, reads: Counter[str]
) -> None:
    from studio.store.looks import LookStore

    looks = LookStore(store.db)
    street = looks.create_look("Street")
    office = looks.create_look("Office")
    studio = open_studio(qtbot, tasks, paths, store)
    window = studio.window
    window.show_workspace("looks")
    page, editor, library = window.looks, window.looks.editor, window.looks.library
    qtbot.waitUntil(lambda: library.model.rowCount() == 2)
    page.open_look(street.id)
    qtbot.waitUntil(lambda: editor.doc is not None and editor.doc.look.id == street.id)
    settle(qtbot, tasks)
    documents, summaries = reads["document"], reads["summaries"]

    # The editor's own edit: shown as typed, written, and neither half reads for it (the
    # library is hidden behind the editor: it only notes that a look changed).
    title = editor.inspector.title
    title.selectAll()
    qtbot.keyClicks(title, "Street style")
    qtbot.keyClick(title, Qt.Key.Key_Return)
    assert editor.heading.text() == "Street style"
    saved(tasks)
    qtbot.waitUntil(lambda: editor.writes.pending == 0)
    settle(qtbot, tasks)
    assert (reads["document"], reads["summaries"]) == (documents, summaries)
    assert looks.document(street.id).look.title == "Street style"  # type: ignore[union-attr]
    documents += 1  # that read, the test's own

    # Another look changed elsewhere: the open one is not read again.
    publish(tasks, lambda: looks.update_look(office.id, title="Office monday"))
    settle(qtbot, tasks)
    assert (reads["document"], reads["summaries"]) == (documents, summaries)

    # The open look changed elsewhere: read again (once) and shown.
    publish(tasks, lambda: looks.update_look(street.id, caption="From elsewhere", status="ready"))
    qtbot.waitUntil(lambda: editor.inspector.status.currentData() == "ready")
    assert editor.inspector.caption.toPlainText() == "From elsewhere"
    settle(qtbot, tasks)
    assert reads["document"] == documents + 1

    # ... and while the curator types: their words stay in the field, and are saved after.
    caption = editor.inspector.caption
    editor.inspector._look_timers["caption"].setInterval(60_000)  # a long pause mid-sentence
    caption.selectAll()
    qtbot.keyClicks(caption, "Half-typed")
    assert editor.inspector.typing("caption")
    publish(tasks, lambda: looks.update_look(street.id, title="Street, again", caption="Theirs"))
    qtbot.waitUntil(lambda: editor.heading.text() == "Street, again")
    assert caption.toPlainText() == "Half-typed" and editor.inspector.typing("caption")
    page.flush()  # as the window does before it closes
    saved(tasks)
    stored = looks.document(street.id).look  # type: ignore[union-attr]
    assert (stored.title, stored.caption) == ("Street, again", "Half-typed")
    assert editor.undo_stack.count() == 2  # the title, the caption

    # Back in the library: the changes it noted are read once, on showing it.
    qtbot.waitUntil(lambda: editor.writes.pending == 0)
    settle(qtbot, tasks)
    summaries = reads["summaries"]
    with qtbot.waitSignal(library.refreshed):
        editor.back_button.click()
    assert sorted(titles(library)) == ["Office monday", "Street, again"]
    settle(qtbot, tasks)
    assert reads["summaries"] == summaries + 1
