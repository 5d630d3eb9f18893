"""One studio per workspace (issue 12, item 9): the second brings the first to the front, or,
when the first does not answer, refuses with a clear message; it never opens the store."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from studio.system.paths import Paths, resolve_paths
from studio.ui.main_window import MainWindow
from studio.ui.single_instance import Claim, SingleInstance, ask_to_raise
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui
REPO = Path(__file__).resolve().parents[2]


def test_a_second_studio_brings_the_first_to_the_front(
    qtbot: QtBot, tasks: TaskManager, paths: Paths
) -> None:
    first = SingleInstance(paths)
    assert first.claim() is Claim.FIRST
    first.listen()
    window = MainWindow(tasks, paths)
    qtbot.addWidget(window)
    first.raise_requested.connect(window.bring_to_front)
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized)

    second = SingleInstance(paths)
    with qtbot.waitSignal(first.raise_requested):
        assert second.claim() is Claim.RAISED
    qtbot.waitUntil(lambda: not window.isMinimized() and window.isVisible())
    assert second.holder() == os.getpid()
    # Another workspace is another studio's to open.
    other = SingleInstance(resolve_paths(paths.data.parent / "elsewhere").ensure())
    assert other.claim() is Claim.FIRST and other.name != first.name
    other.release()
    # Once the first quits, the next studio takes the workspace.
    first.release()
    third = SingleInstance(paths)
    assert third.claim() is Claim.FIRST
    third.release()


def test_a_second_studio_waits_for_a_first_that_listens_after_its_first_paint(
    qtbot: QtBot, paths: Paths
) -> None:
    """The first holds the lock from the start but opens its socket only after painting: a
    second started in between is still answered, not refused."""
    first = SingleInstance(paths)
    assert first.claim() is Claim.FIRST
    raised: list[bool] = []
    first.raise_requested.connect(lambda: raised.append(True))
    QTimer.singleShot(400, first.listen)  # the first paint, a moment later
    second = SingleInstance(paths)
    assert second.claim() is Claim.RAISED
    assert raised == [True]
    first.release()


def test_nothing_is_imported_from_qtnetwork_before_listening() -> None:
    """QtNetwork (~10 ms of start-up) waits until the first studio listens."""
    code = (
        "import sys\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "from studio.system.paths import resolve_paths\n"
        "from studio.ui.single_instance import SingleInstance\n"
        "app = QCoreApplication([])\n"
        "s = SingleInstance(resolve_paths(sys.argv[1]).ensure())\n"
        "assert s.claim().value == 'first'\n"
        "print('before', 'PySide6.QtNetwork' in sys.modules)\n"
        "s.listen()\n"
        "print('after', 'PySide6.QtNetwork' in sys.modules)\n"
        "s.release()\n"
    )
    with tempfile.TemporaryDirectory() as home:
        out = subprocess.run(
            [sys.executable, "-c", code, home],
            capture_output=True,
            text=True,
            cwd=REPO,
            check=True,
            env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        ).stdout.split("\n")
    assert out[:2] == ["before False", "after True"]


def test_a_lock_left_by_a_studio_that_died_is_taken_over(paths: Paths) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from PySide6.QtCore import QCoreApplication\n"
            "from studio.system.paths import resolve_paths\n"
            "from studio.ui.single_instance import SingleInstance\n"
            "app = QCoreApplication([])\n"
            "s = SingleInstance(resolve_paths(sys.argv[1]))\n"
            "print(s.claim().value, flush=True)\n"
            "time.sleep(600)\n",
            str(paths.data.parent),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "first"
    finally:
        holder.kill()  # as a crash does: no release, the lock file stays
        holder.wait()
    assert (paths.data / "desktop.lock").exists()
    claimed = SingleInstance(paths)
    assert claimed.claim() is Claim.FIRST
    claimed.release()


def _studio(home: Path, *args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("STUDIO_HOME", None)
    return subprocess.Popen(
        [sys.executable, "-m", "studio.ui.app", "--home", str(home), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=env,
    )


@pytest.fixture
def running(tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen[str]]]:
    """A real studio, running on its workspace until the test ends."""
    home = tmp_path / "home"
    first = _studio(home)
    log = home / "logs" / "studio.log"
    deadline = time.monotonic() + 60
    while not (log.is_file() and "catalog open" in log.read_text()):
        assert first.poll() is None, first.communicate()
        assert time.monotonic() < deadline, "the first studio did not open its store"
        time.sleep(0.1)
    yield home, first
    os.kill(first.pid, signal.SIGCONT)
    first.terminate()
    first.communicate(timeout=30)


def test_two_real_studios_on_one_workspace(
    running: tuple[Path, subprocess.Popen[str]],
) -> None:
    home, first = running
    second = _studio(home, "--smoke-test")
    out, err = second.communicate(timeout=60)
    assert second.returncode == 0, err
    assert "already open on this workspace" in out
    assert "first-paint-ms" not in out  # it showed no window of its own
    log = (home / "logs" / "studio.log").read_text()
    assert "coming to the front" in log  # the first heard it
    assert log.count("catalog open") == 1  # only the first opened the store
    assert first.poll() is None

    # A first studio that does not answer (stopped here; hung, in life): a clear refusal.
    os.kill(first.pid, signal.SIGSTOP)
    refused = _studio(home, "--smoke-test")
    out, err = refused.communicate(timeout=60)
    assert refused.returncode == 1
    assert "does not answer" in err and f"process {first.pid}" in err
    assert (home / "logs" / "studio.log").read_text().count("catalog open") == 1


def test_bring_to_front_shows_a_hidden_window(
    qtbot: QtBot, tasks: TaskManager, paths: Paths
) -> None:
    window = MainWindow(tasks, paths)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.setWindowState(Qt.WindowState.WindowMinimized)
    qtbot.waitUntil(window.isMinimized)
    assert not ask_to_raise("vitrine-studio-nobody-listens", 500)  # nothing to ask
    window.bring_to_front()
    assert not window.isMinimized()
