"""Screenshots of every workspace, in light and dark, for the documentation and for review.

``make screenshots`` (or ``python tools/screenshots.py --out DIR``) starts the studio on a fresh
demo workspace (a temporary ``--home`` unless one is given), sizes the window to a 1366x768
laptop screen, waits until the demo catalog is in and every task is done, then shows each
workspace in turn and saves ``DIR/<workspace>-<scheme>.png`` (a grab of the window, the way the
app's own ``--screenshot`` does it). It runs on any Qt platform: offscreen by default, or in a
real X server (``xvfb-run``) to see the fonts a desktop would use.

Each scheme is a fresh start of the studio (one process each, on the same workspace) with the
app's View > Appearance setting (``studio.ui.style``) saved beforehand, so the shots show what
a user who chose it sees. On a checkout from before that setting existed the script sets a
dark palette itself before the window is made, standing in for a desktop whose system colours
are dark, so that "before" shots can be taken too.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZE = (1366, 768)
#: Consecutive quiet polls (no task running, no image pending) before a grab.
QUIET_POLLS = 4
POLL_MS = 150
TIMEOUT_S = 120


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for the PNG files")
    parser.add_argument("--home", type=Path, help="the workspace to open (default: a new one)")
    parser.add_argument("--schemes", default="light,dark", help="comma-separated: light,dark")
    parser.add_argument("--size", default=f"{SIZE[0]}x{SIZE[1]}", help="window size, WxH")
    return parser.parse_args(argv)


def _fallback_scheme(scheme: str) -> None:
    """A dark palette for a checkout without ``studio.ui.style`` (the "before" shots)."""
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    if scheme != "dark":
        app.setPalette(app.style().standardPalette())
        return
    p = QPalette()
    role = QPalette.ColorRole
    for r, c in (
        (role.Window, "#2b2b2b"),
        (role.WindowText, "#e6e6e6"),
        (role.Base, "#1e1e1e"),
        (role.AlternateBase, "#262626"),
        (role.Text, "#e6e6e6"),
        (role.Button, "#333333"),
        (role.ButtonText, "#e6e6e6"),
        (role.Highlight, "#3d7bd9"),
        (role.HighlightedText, "#ffffff"),
        (role.ToolTipBase, "#1e1e1e"),
        (role.ToolTipText, "#e6e6e6"),
        (role.PlaceholderText, "#8a8a8a"),
        (role.Link, "#6ea8ff"),
        (role.Mid, "#3a3a3a"),
        (role.Dark, "#202020"),
        (role.Light, "#4a4a4a"),
    ):
        p.setColor(r, QColor(c))
    app.setPalette(p)


def start_in(scheme: str, config: Path) -> None:
    """Start the next window in ``scheme``: through the app's remembered View > Appearance
    setting (what a user who chose it gets at start), or, on a checkout from before that
    setting, by setting the palette before the window is made."""
    try:
        from studio.ui.style.theme import SETTING
    except ImportError:
        _fallback_scheme(scheme)
        return
    from PySide6.QtCore import QSettings

    from studio.ui.main_window import SETTINGS_FILE

    settings = QSettings(str(config / SETTINGS_FILE), QSettings.Format.IniFormat)
    settings.setValue(SETTING, scheme)
    settings.sync()


def shoot_each_scheme(args: argparse.Namespace, schemes: list[str]) -> int:
    """One start of the studio per scheme, on the same workspace (the demo loads once)."""
    home = args.home or Path(tempfile.mkdtemp(prefix="studio-shots-"))
    code = 0
    for scheme in schemes:
        command = [sys.executable, __file__, "--out", str(args.out), "--home", str(home)]
        command += ["--schemes", scheme, "--size", args.size]
        code = max(code, subprocess.run(command, check=False).returncode)
    return code


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    schemes = [s for s in args.schemes.split(",") if s]
    if len(schemes) > 1:
        return shoot_each_scheme(args, schemes)
    (scheme,) = schemes
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from studio.system.paths import resolve_paths
    from studio.ui.app import Studio, prepare_application
    from studio.ui.workspaces import NAMES

    width, height = (int(n) for n in args.size.split("x"))
    home = args.home or Path(tempfile.mkdtemp(prefix="studio-shots-"))
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication([sys.argv[0]])
    prepare_application(app)  # as the desktop's start: plural forms, names, scheme
    paths = resolve_paths(home).ensure()
    start_in(scheme, paths.config)
    studio = Studio(app, paths, demo=True, smoke=False, started=time.perf_counter())
    window = studio.window
    window.resize(width, height)
    window.show()
    plan = list(NAMES)
    saved: list[Path] = []
    state = {"quiet": 0, "step": -1, "deadline": time.monotonic() + TIMEOUT_S}

    def busy() -> bool:
        if studio.stores is None or studio.tasks.running:
            return True
        catalog = window.workspaces.loaded_page("catalog")
        if catalog is None:
            return False
        imports = window.jobs._imports  # not made yet: nothing imported
        if imports is not None and imports.running:
            return True
        if window.catalog.model.total == 0:
            return True
        return bool(window.catalog.grid_images.pending or window.catalog.detail_images.pending)

    def tick() -> None:
        if time.monotonic() > state["deadline"]:
            print("timed out waiting for the studio to settle", file=sys.stderr)
            app.exit(1)
            return
        if busy():  # (a dialog open now is the import's progress: closing it cancels)
            state["quiet"] = 0
            return
        for widget in app.topLevelWidgets():  # the demo's import report, say
            if widget is not window and widget.isVisible() and widget.isWindow():
                widget.close()
        state["quiet"] += 1
        if state["quiet"] < QUIET_POLLS:
            return
        state["quiet"] = 0
        step = state["step"]
        catalog = window.workspaces.loaded_page("catalog")
        if (
            step >= 0
            and plan[step] == "catalog"
            and catalog is not None
            and window.catalog.detail.detail is None
            and window.catalog.model.total
        ):
            window.catalog.open_detail(window.catalog.model.index(0))  # a product shown
            return
        if step >= 0:  # the step shown at the last tick has settled: save it
            out = args.out / f"{plan[step]}-{scheme}.png"
            window.grab().save(str(out))
            saved.append(out)
        step += 1
        state["step"] = step
        if step >= len(plan):
            app.exit(0)
            return
        name = plan[step]
        window.show_workspace(name)
        window.resize(width, height)

    timer = QTimer()
    timer.setInterval(POLL_MS)
    timer.timeout.connect(tick)
    timer.start()
    code = app.exec()
    timer.stop()
    window.close()
    studio.shutdown()
    for out in saved:
        print(out)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
