"""Workspaces load when first shown: start-up builds (and imports) only the one shown first."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from studio.system.paths import Paths
from studio.ui.main_window import SETTINGS_FILE, MainWindow
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui
REPO = Path(__file__).resolve().parents[2]
FEATURES = ("catalog", "looks", "boards", "shops", "reviews", "profile", "archive")

# A fresh process: the window as the app builds it, the feature folders imported at each step.
PROBE = """
import json, sys
from PySide6.QtWidgets import QApplication
from studio.system.paths import resolve_paths
from studio.ui.app import open_store
from studio.ui.main_window import MainWindow
from studio.ui.tasks import TaskManager

def features():
    wanted = sys.argv[2].split(",")
    return sorted({m.split(".")[2] for m in sys.modules
                   if m.startswith("studio.ui.") and m.split(".")[2] in wanted})

app = QApplication([])
tasks = TaskManager()
window = MainWindow(tasks, resolve_paths(sys.argv[1]).ensure())
window.show()
app.processEvents()
steps = {"shown": [window.workspace, features()]}
window.attach_stores(open_store(resolve_paths(sys.argv[1])))
app.processEvents()
steps["stores open"] = [window.workspace, features()]
window.close()
tasks.shutdown()
print(json.dumps(steps))
"""


def _probe(home: Path) -> dict[str, Any]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("STUDIO_HOME", None)
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(home), ",".join(FEATURES)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def _remember(home: Path, workspace: str) -> None:
    config = home / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / SETTINGS_FILE).write_text(f"[app]\nlast_view={workspace}\n", encoding="utf-8")


def test_start_up_builds_only_the_catalog_on_a_first_run(tmp_path: Path) -> None:
    steps = _probe(tmp_path / "home")
    assert steps["shown"] == ["catalog", ["catalog"]]
    assert steps["stores open"] == ["catalog", ["catalog"]]  # the others wait to be shown


def test_the_remembered_workspace_is_the_only_one_built_at_start(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _remember(home, "looks")
    steps = _probe(home)
    assert steps["shown"] == ["looks", ["looks"]]
    assert steps["stores open"] == ["looks", ["looks"]]


def test_a_remembered_workspace_that_needs_the_stores_waits_for_them(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _remember(home, "shops")
    steps = _probe(home)
    assert steps["shown"] == ["shops", []]  # nothing built before the stores are open
    assert steps["stores open"] == ["shops", ["shops"]]


def test_a_workspace_is_built_when_first_shown_and_keeps_its_menus(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any
) -> None:
    from studio.media.library import MediaLibrary
    from studio.store.boards import BoardStore
    from studio.store.looks import LookStore

    window = MainWindow(tasks, paths)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    boards = BoardStore(store.db)
    window.set_store(
        store, looks=LookStore(store.db), boards=boards, media=MediaLibrary(paths.media)
    )
    assert window.workspaces.loaded_page("boards") is None
    assert window.workspace_actions["boards"].isVisible()  # offered before it is built
    window.workspace_actions["boards"].trigger()
    page = window.workspaces.loaded_page("boards")
    assert page is not None and window.workspace == "boards"
    assert window.undo_group.activeStack() is page.undo_stack
    assert window.new_look_action.text() == page.new_action.text()  # type: ignore[union-attr]
    window.new_look_action.trigger()  # File > New here makes a board
    qtbot.waitUntil(lambda: len(boards.summaries()) == 1)
