"""The main window: remembered window state, the app's start-up paths and its smoke test."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from uihelp import open_window

from studio.system.paths import Paths
from studio.ui.catalog.grid_view import ViewMode
from studio.ui.main_window import SETTINGS_FILE, MainWindow
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui
REPO = Path(__file__).resolve().parents[2]


def test_window_state_is_restored_after_closing_and_reopening(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any
) -> None:
    window = open_window(qtbot, tasks, paths, store)
    window.resize(760, 560)
    window.catalog.splitter.setSizes([300, 500, 300])
    window.set_mode(ViewMode.LIST)
    window.catalog.search_box.setText("linen")
    window.detail_action.trigger()  # hide the detail pane
    qtbot.waitUntil(lambda: window.catalog.splitter.sizes()[2] == 0)  # laid out again
    size = (window.width(), window.height())
    sizes = window.catalog.splitter.sizes()
    assert size != (1280, 820)  # not the default size
    window.close()
    assert (paths.config / SETTINGS_FILE).is_file()

    again = MainWindow(tasks, paths)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert (again.width(), again.height()) == size
    assert again.catalog.grid.mode == ViewMode.LIST and again.list_action.isChecked()
    assert again.catalog.search_box.text() == "linen"
    assert not again.detail_action.isChecked() and again.catalog.detail.isHidden()
    assert again.catalog.splitter.sizes()[0] == sizes[0]


def _app(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("STUDIO_HOME", None)
    return subprocess.run(
        [sys.executable, "-m", "studio.ui.app", "--home", str(home), *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
        env=env,
        check=False,
    )


def test_smoke_test_shows_the_window_and_quits_cleanly(tmp_path: Path) -> None:
    result = _app(tmp_path / "home", "--smoke-test")
    assert result.returncode == 0, result.stderr
    first_paint = [ln for ln in result.stdout.splitlines() if ln.startswith("first-paint-ms=")]
    assert first_paint and float(first_paint[0].split("=")[1]) > 0
    assert (tmp_path / "home" / "data" / "studio.sqlite3").is_file()
    assert (tmp_path / "home" / "logs" / "studio.log").is_file()


def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "data").mkdir(parents=True)
    with sqlite3.connect(home / "data" / "studio.sqlite3") as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        conn.execute("INSERT INTO alembic_version VALUES ('ffffffff9999')")
    result = _app(home, "--smoke-test")
    assert result.returncode == 1
    log = (home / "logs" / "studio.log").read_text(encoding="utf-8")
    assert "newer version" in log


def test_the_window_looks_right(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """Saves a screenshot (tests/ui output in tmp) after images arrive; checked by eye once."""
    window.resize(1280, 800)
    catalog = window.catalog
    qtbot.waitUntil(lambda: catalog.model.is_loaded(0))
    catalog.open_detail(catalog.model.index(0))
    qtbot.waitUntil(lambda: catalog.detail.detail is not None)
    qtbot.waitUntil(lambda: catalog.grid_images.pending == 0 and catalog.detail_images.pending == 0)
    shot = tmp_path / "main-window.png"
    assert window.grab().save(str(shot))
    assert shot.stat().st_size > 10_000
    image = window.grab().toImage()
    # A card image (a coloured PNG of the catalog) is painted in the grid.
    grid_origin = catalog.grid.viewport().mapTo(
        window, catalog.grid.visualRect(catalog.model.index(0)).center()
    )
    colour = image.pixelColor(grid_origin.x(), grid_origin.y() - 40)
    assert colour.saturation() > 100


def test_demo_opens_a_workspace_with_the_demo_catalog(tmp_path: Path) -> None:
    shot = tmp_path / "catalog.png"
    result = _app(tmp_path / "demo-home", "--demo", "--screenshot", str(shot))
    assert result.returncode == 0, result.stderr
    assert shot.stat().st_size > 20_000
    with sqlite3.connect(tmp_path / "demo-home" / "data" / "catalog.sqlite3") as conn:
        merchants = {row[0] for row in conn.execute("SELECT name FROM merchants")}
        products = conn.execute("SELECT count(*) FROM products").fetchone()[0]
    assert len(merchants) >= 3 and products > 20


def test_start_up_imports_no_heavy_module() -> None:
    """Cold start: the store, numpy, Pillow and the feed parsers load after the first paint."""
    probe = (
        "import sys, studio.ui.app; heavy = ('numpy', 'sqlalchemy', 'alembic', 'PIL', "
        "'urllib3', 'lxml', 'studio.feeds', 'studio.store', 'studio.media'); "
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_first_paint_waits_for_no_module_it_does_not_draw_with(tmp_path: Path) -> None:
    """What the first paint does not need is imported after it: the store's modules (opened
    in a worker), ctypes (the mmap threshold, set before the store opens) and QtNetwork (the
    single-instance socket, which listens once the window has painted)."""
    probe = (
        "import sys\n"
        "import studio.ui.app as app\n"
        "painted = app.Studio._first_painted\n"
        "def first(self):\n"
        "    late = ('ctypes', 'PySide6.QtNetwork', 'numpy', 'sqlalchemy', 'studio.store')\n"
        "    print('at-paint', sorted(m for m in late if m in sys.modules), flush=True)\n"
        "    painted(self)\n"
        "app.Studio._first_painted = first\n"
        "sys.exit(app.main(sys.argv[1:]))\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("STUDIO_HOME", None)
    result = subprocess.run(
        [sys.executable, "-c", probe, "--smoke-test", "--home", str(tmp_path / "home")],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "at-paint []" in result.stdout.splitlines()


def test_workspaces_switch_by_keys_and_boards_get_their_own_undo_keys(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any
) -> None:
    from studio.media.library import MediaLibrary
    from studio.store.boards import BoardStore
    from studio.store.looks import LookStore

    window = MainWindow(tasks, paths)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.set_store(
        store,
        looks=LookStore(store.db),
        boards=BoardStore(store.db),
        media=MediaLibrary(paths.media),
    )
    assert window.boards is not None and window.workspace_actions["boards"].isVisible()
    shift_ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_3, shift_ctrl)
    assert window.workspace == "boards"
    assert window.undo_action.shortcuts() == []  # the board editor's own Ctrl+Z works
    qtbot.keyClick(window, Qt.Key.Key_2, shift_ctrl)
    assert window.workspace == "looks" and window.undo_action.shortcuts()
    assert window.undo_group.activeStack() is window.looks.undo_stack
    qtbot.keyClick(window, Qt.Key.Key_1, shift_ctrl)
    assert window.workspace == "catalog"
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.catalog.grid.mode == ViewMode.LIST  # Ctrl+2 is still the list mode
    # The workspace bar along the top: a click on its Boards button shows the boards.
    boards_button = window.workspace_bar.widgetForAction(window.workspace_actions["boards"])
    assert boards_button is not None and boards_button.isVisible()
    qtbot.mouseClick(boards_button, Qt.MouseButton.LeftButton)
    assert window.workspace == "boards"
    window.show_workspace("looks")
    window.close()
    again = MainWindow(tasks, paths)
    qtbot.addWidget(again)
    assert again.workspace == "looks"  # remembered in the window state


def test_file_export_writes_the_board_being_edited(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any, tmp_path: Path
) -> None:
    from PIL import Image

    from studio.core.boards import BoardItem, BoardItemKind
    from studio.core.looks import new_id
    from studio.media.library import MediaLibrary
    from studio.store.boards import BoardStore
    from studio.store.looks import LookStore

    boards, media = BoardStore(store.db), MediaLibrary(paths.media)
    source = tmp_path / "red.png"
    Image.new("RGB", (300, 200), "#c8102e").save(source)
    photo = media.import_file(source)
    board = boards.create_board("Red things")
    boards.add_item(
        BoardItem(
            new_id(),
            board.id,
            BoardItemKind.PHOTO,
            x=600,
            y=600,
            width=600,
            height=400,
            media_hash=photo.hash,
        )
    )
    window = MainWindow(tasks, paths)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.set_store(store, looks=LookStore(store.db), boards=boards, media=media)
    window.show_workspace("boards")
    window.export_menu.aboutToShow.emit()
    assert not window.export_actions["png"].isEnabled()  # no board open yet
    editor = window.boards.editor  # type: ignore[union-attr]
    editor.open_board(board.id)
    qtbot.waitUntil(lambda: editor.board_id == board.id)
    window.export_menu.aboutToShow.emit()
    assert window.export_actions["png"].isEnabled()

    out = tmp_path / "board.png"
    window.board_exporter.ask_to_open = False
    with qtbot.waitSignal(window.board_exporter.finished, timeout=30000):
        window.board_exporter.export(board.id, out, "png")
    with Image.open(out) as img:
        centre = img.convert("RGB").getpixel((img.width // 2, img.width // 2))
    assert centre[0] > 150 and centre[1] < 80  # the red photo fills the board's middle
