"""Screenshots of every workspace, in light and dark, for the documentation and for review.

``make screenshots`` (or ``python tools/screenshots.py --out DIR``) starts the studio on a fresh
demo workspace (a temporary ``--home`` unless one is given), sizes the window to a 1366x768
laptop screen, waits until the demo catalog is in and every task is done, then shows each
workspace in turn and saves ``DIR/<workspace>-<scheme>.png`` (a grab of the window, the way the
app's own ``--screenshot`` does it). It runs on any Qt platform: offscreen by default, or in a
real X server (``xvfb-run``) to see the fonts a desktop would use.

The palette is chosen through the app's View > Appearance setting (``studio.ui.style``). On a
checkout from before that setting existed the script applies a dark palette itself, standing
in for a desktop whose system colours are dark, so that "before" shots can be taken too.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
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


def scheme_setter() -> Callable[[str], None]:
    """How to switch the palette: the app's own appearance setting when it has one."""
    try:
        from studio.ui.style.theme import apply_scheme
    except ImportError:
        return _fallback_scheme
    return apply_scheme


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from studio.system.paths import resolve_paths
    from studio.ui.app import Studio
    from studio.ui.workspaces import NAMES

    width, height = (int(n) for n in args.size.split("x"))
    schemes = [s for s in args.schemes.split(",") if s]
    home = args.home or Path(tempfile.mkdtemp(prefix="studio-shots-"))
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication([sys.argv[0]])
    paths = resolve_paths(home).ensure()
    studio = Studio(app, paths, demo=True, smoke=False, started=time.perf_counter())
    window = studio.window
    window.resize(width, height)
    window.show()
    set_scheme = scheme_setter()
    plan = [(scheme, name) for scheme in schemes for name in NAMES]
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
        if step >= 0:  # the step shown at the last tick has settled: save it
            scheme, name = plan[step]
            out = args.out / f"{name}-{scheme}.png"
            window.grab().save(str(out))
            saved.append(out)
        step += 1
        state["step"] = step
        if step >= len(plan):
            app.exit(0)
            return
        scheme, name = plan[step]
        if step == 0 or plan[step - 1][0] != scheme:
            set_scheme(scheme)
        window.show_workspace(name)
        window.resize(width, height)
        if name == "catalog" and window.catalog.detail.detail is None:
            window.catalog.open_detail(window.catalog.model.index(0))

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
