"""GUI figures: first paint of the 1M grid, scroll frames while images load, memory, cold start.

Each measurement runs in a fresh subprocess (offscreen Qt), so the bench process never owns a
``QApplication`` and the peak RSS is that of a process that only opened the catalog:

* ``child`` opens the catalog, sets the full result (every product) on the model and times
  ``repaint`` of the grid (first paint, target 100 ms); then scrolls the grid a step per frame
  while cards and images load in workers, timing each frame (p99, target 16 ms), and reports
  its peak resident memory, VmHWM (target 250 MB). Product images are local JPEG files made
  for the bench (decoded and scaled for real); the bench's card source points each card at
  one of them.
* ``baseline`` times the first paint of a ``QListView`` in icon mode over the same model.
* ``desktop`` starts the real app (``studio.ui.app.Studio`` and its main window) on a home
  whose store is the 1M catalog, lets it open and show the whole catalog with its facet
  counts, builds every other workspace (they are built when first shown: a user who has been
  everywhere), then searches "shirt" and "sh" as typed, each followed by scrolling the grid,
  and reports its peak resident memory (VmHWM, target 200 MiB) and where it stood once open.
* cold start runs ``python -m studio.ui.app --smoke-test`` five times (median, target 300 ms)
  after one start that is not counted, with the modules' bytecode kept (in ``ui-pycache``), as
  an installed app has it: pip compiles it at install and a PyInstaller bundle carries it. A
  machine with ``PYTHONDONTWRITEBYTECODE`` set would otherwise compile every module at every
  start (~55 ms here); that median is in the note. Its raw baseline is the first paint of a
  bare ``QMainWindow`` of the same size, started the same way in the same run (what any
  PySide6 app pays before its own code).
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.harness import REPO, BenchContext, Figure, percentile

FRAMES = 240
SCROLL_STEP = 90  # px per frame: a brisk wheel scroll
BENCH_IMAGES = 300
VIEW_SIZE = (1280, 800)


def _ensure_catalog(ctx: BenchContext) -> Path:
    """The store the import and search benchmarks use (built here when neither ran)."""
    from bench.bench_search import store_path

    return store_path(ctx)


def _ensure_images(directory: Path, count: int = BENCH_IMAGES) -> list[str]:
    from PIL import Image, ImageDraw

    directory.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(count):
        path = directory / f"product-{i:04d}.jpg"
        if not path.exists():
            image = Image.new("RGB", (1200, 1200), ((i * 37) % 255, (i * 91) % 255, 160))
            draw = ImageDraw.Draw(image)
            for k in range(0, 1200, 60):
                draw.line((0, k, 1200, 1200 - k), fill=(255, 255, 255), width=5)
            image.save(path, quality=88)
        files.append(str(path))
    return files


def _run_child(mode: str, db: Path, images: Path, cache: Path, timeout: float) -> dict[str, Any]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, "-m", "bench.bench_ui", mode, str(db), str(images), str(cache)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        env=env,
        check=False,
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"bench_ui {mode} failed: {proc.stderr[-2000:]}")
    return json.loads(lines[-1])  # type: ignore[no-any-return]


def _start_env(pycache: Path | None) -> dict[str, str]:
    """The environment of a timed start: with ``pycache``, modules' bytecode is written there
    once and read after (as an installed app has it: pip and PyInstaller ship bytecode), even
    where ``PYTHONDONTWRITEBYTECODE`` is set; without, every start compiles every module."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _cold_start_ms(home: Path, runs: int, pycache: Path | None = None) -> list[float]:
    env = _start_env(pycache)
    out = []
    for i in range(runs + 1):  # the first is not counted: it writes the bytecode
        proc = subprocess.run(
            [sys.executable, "-m", "studio.ui.app", "--smoke-test", "--home", str(home)],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=REPO,
            env=env,
            check=False,
        )
        values = [
            float(ln.split("=", 1)[1])
            for ln in proc.stdout.splitlines()
            if ln.startswith("first-paint-ms=")
        ]
        if proc.returncode != 0 or not values:
            raise RuntimeError(f"smoke test failed: {proc.stderr[-2000:]}")
        if i:
            out.append(values[0])
    return out


def _desktop_child(db: Path) -> dict[str, Any]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryDirectory(prefix="bench-desktop-") as home:
        proc = subprocess.run(
            [sys.executable, "-m", "bench.bench_ui", "desktop", str(db), home, ""],
            capture_output=True,
            text=True,
            timeout=600,
            cwd=REPO,
            env=env,
            check=False,
        )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"bench_ui desktop failed: {proc.stderr[-2000:]}")
    return json.loads(lines[-1])  # type: ignore[no-any-return]


# A bare PySide6 window, timed as the app times itself: process age at its first paint.
_BARE_WINDOW = r"""
import os, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

def age():
    stat = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
    uptime = float(Path("/proc/uptime").read_text().split()[0])
    return (uptime - int(stat[19]) / os.sysconf("SC_CLK_TCK")) * 1000

class Window(QMainWindow):
    painted = False
    def paintEvent(self, event):
        super().paintEvent(event)
        if not self.painted:
            self.painted = True
            print(f"first-paint-ms={age():.1f}", flush=True)
            QTimer.singleShot(0, app.quit)

app = QApplication(sys.argv)
window = Window()
window.resize(1280, 820)
window.show()
app.exec()
"""


def _bare_start_ms(runs: int, pycache: Path | None = None) -> list[float]:
    env = _start_env(pycache)
    out = []
    for _ in range(runs):
        proc = subprocess.run(
            [sys.executable, "-c", _BARE_WINDOW],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
            check=False,
        )
        lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("first-paint-ms=")]
        if proc.returncode != 0 or not lines:
            raise RuntimeError(f"bare window failed: {proc.stderr[-2000:]}")
        out.append(float(lines[0].split("=", 1)[1]))
    return out


def run(ctx: BenchContext) -> list[Figure]:
    db = _ensure_catalog(ctx)
    images = ctx.workdir / "ui-images"
    _ensure_images(images)
    cache = ctx.workdir / "ui-thumb-cache"
    if cache.exists():  # start cold: the scroll must decode, not just read the cache
        import shutil

        shutil.rmtree(cache)
    child = _run_child("child", db, images, cache, timeout=600)
    try:
        base = _run_child("baseline", db, images, cache, timeout=120)
        baseline: float | None = base["first_paint_ms"]
        base_note = f"QListView IconMode first paint {baseline:.0f} ms"
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        baseline, base_note = None, f"QListView IconMode baseline did not finish: {exc}"[:200]
    desktop = _desktop_child(db)
    runs = 3 if ctx.quick else 5
    pycache = ctx.workdir / "ui-pycache"
    starts = _cold_start_ms(ctx.workdir / "ui-cold-home", runs, pycache)
    bare = _bare_start_ms(runs, pycache)
    compiling = _cold_start_ms(ctx.workdir / "ui-cold-home", runs)
    rows = f"{child['rows']:,} rows"
    return [
        Figure(
            "ui: grid first paint after the model is set",
            child["first_paint_ms"],
            "ms",
            100,
            baseline=baseline,
            note=f"{rows}; {base_note}; cards shown after {child['cards_ms']:.0f} ms",
        ),
        Figure(
            "ui: scroll frame p99 while images load",
            child["frame_p99_ms"],
            "ms",
            16,
            note=f"{FRAMES} frames x {SCROLL_STEP}px, median {child['frame_median_ms']:.1f}"
            f" ms, {child['images_loaded']} thumbnails decoded meanwhile",
        ),
        Figure(
            "ui: peak RSS with the 1M catalog open",
            child["max_rss_mb"],
            "MB",
            250,
            note=f"the grid alone, after scrolling; {rows}; {child['store_rss_mb']:.0f} MB of it "
            "before the grid existed (Qt and the store; no facet asked, so no search column: "
            "the desktop figure below has them)",
        ),
        Figure(
            "ui: desktop peak RSS, 1M catalog, after searching and scrolling",
            desktop["max_rss_mib"],
            "MiB",
            200,
            note=f"the real app; {desktop['open_rss_mib']:.0f} MiB once open with the catalog "
            f"and its facets shown ({desktop['open_s']:.1f} s), "
            f"{desktop['workspaces_rss_mib']:.0f} MiB with every workspace built; searched "
            f"{', '.join(desktop['searched'])}, each with {desktop['frames']} scroll frames",
        ),
        Figure(
            "ui: cold start to painted main window",
            statistics.median(starts),
            "ms",
            300,
            baseline=statistics.median(bare),
            note="median of "
            + ", ".join(f"{s:.0f}" for s in starts)
            + " (bytecode written once, as installed); a bare QMainWindow: "
            + ", ".join(f"{s:.0f}" for s in bare)
            + f"; compiling every module at each start: median {statistics.median(compiling):.0f}",
        ),
    ]


# -- the subprocess side --------------------------------------------------------------------


def _peak_rss_mb() -> float:
    """This process's own peak resident memory.

    ``ru_maxrss`` is not it on Linux: a child started by fork and exec reports at least the
    parent's peak (the bench parent has just built a 1M catalog), so read ``VmHWM`` instead.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(mode: str, db_path: Path, image_dir: Path, cache: Path) -> dict[str, Any]:
    import dataclasses

    from PySide6.QtWidgets import QApplication, QListView

    from studio.core.catalog import SearchQuery
    from studio.store.catalog import CatalogStore
    from studio.store.db import open_database
    from studio.ui.catalog.grid_view import ProductGridView
    from studio.ui.catalog.view import GRID_THUMB
    from studio.ui.tasks import TaskManager
    from studio.ui.widgets.catalog_model import CatalogModel
    from studio.ui.widgets.images import ImageLoader

    app = QApplication([sys.argv[0]])
    store = CatalogStore(open_database(db_path))
    files = sorted(str(p) for p in image_dir.glob("*.jpg"))

    class LocalImages:
        """The store's cards, each pointed at one of the bench's local image files."""

        def cards(self, ids: Any) -> Any:
            return [
                dataclasses.replace(c, image_link=files[c.id % len(files)])
                for c in store.cards(ids)
            ]

    tasks = TaskManager()
    model = CatalogModel(tasks)
    model.set_source(LocalImages())
    result = store.search(SearchQuery())
    store_rss = _peak_rss_mb()  # Qt + store only
    loader = ImageLoader(tasks, cache, size=GRID_THUMB)
    view: Any = QListView() if mode == "baseline" else ProductGridView(loader)
    if mode == "baseline":
        view.setViewMode(QListView.ViewMode.IconMode)
        view.setResizeMode(QListView.ResizeMode.Adjust)
    view.setModel(model)
    view.resize(*VIEW_SIZE)
    view.show()
    app.processEvents()
    start = time.perf_counter()
    model.set_result(result)
    view.viewport().repaint()
    first_paint = (time.perf_counter() - start) * 1000
    out: dict[str, Any] = {
        "rows": model.rowCount(),
        "first_paint_ms": first_paint,
        "store_rss_mb": store_rss,
    }
    if mode == "baseline":
        return out
    deadline = time.perf_counter() + 10
    while not model.is_loaded(0) and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.001)
    view.viewport().repaint()
    out["cards_ms"] = (time.perf_counter() - start) * 1000
    frames = []
    paints = [0]
    view.painted.connect(lambda _a, _b: paints.__setitem__(0, paints[0] + 1))
    bar = view.verticalScrollBar()
    for _ in range(FRAMES):
        frame_start = time.perf_counter()
        bar.setValue(bar.value() + SCROLL_STEP)
        # One turn of the event loop: arrived pages and thumbnails are delivered and the
        # scrolled viewport is painted (only the strip the scroll exposed, plus updates).
        app.processEvents()
        frames.append((time.perf_counter() - frame_start) * 1000)
        # The rest of a 16 ms frame is idle time the workers use, as in a real event loop.
        time.sleep(max(0.0, 0.016 - (time.perf_counter() - frame_start)))
    if paints[0] < FRAMES:
        raise RuntimeError(f"only {paints[0]} paints for {FRAMES} scroll frames")
    decoded = sum(1 for _ in cache.rglob("*.jpg")) if cache.exists() else 0
    tasks.shutdown()
    out.update(
        frame_p99_ms=percentile(frames, 99),
        frame_median_ms=statistics.median(frames),
        images_loaded=decoded,
        max_rss_mb=_peak_rss_mb(),
    )
    return out


def _rss_mib(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _desktop(db_path: Path, home: Path) -> dict[str, Any]:
    """The real app on the 1M catalog: open it, search twice as typed, scroll each time."""
    from PySide6.QtWidgets import QApplication

    from studio.store.db import catalog_path
    from studio.system.paths import resolve_paths
    from studio.ui.app import Studio
    from studio.ui.workspaces import NAMES

    paths = resolve_paths(home).ensure()
    paths.database.symlink_to(db_path.resolve())
    paths.catalog_database.symlink_to(catalog_path(db_path).resolve())
    app = QApplication([sys.argv[0]])
    started = time.perf_counter()
    studio = Studio(app, paths, demo=False, smoke=False, started=started)
    window, tasks = studio.window, studio.tasks
    window.resize(*VIEW_SIZE)
    window.show()
    catalog = window.catalog

    def settle(deadline_s: float = 120.0) -> None:
        end = time.perf_counter() + deadline_s
        quiet = 0
        while quiet < 20 and time.perf_counter() < end:  # idle for 20 turns in a row
            app.processEvents()
            quiet = quiet + 1 if tasks.running == 0 else 0
            time.sleep(0.005)

    end = time.perf_counter() + 300
    while catalog.last_result is None and time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.005)
    settle()
    out: dict[str, Any] = {
        "open_s": time.perf_counter() - started,
        "open_rss_mib": _rss_mib("VmRSS"),
        "searched": [],
        "frames": FRAMES // 2,
    }
    for name in NAMES:  # built, not shown: the catalog stays the page searched below
        window.workspaces.page(name)
    settle()
    out["workspaces_rss_mib"] = _rss_mib("VmRSS")
    bar = catalog.grid.verticalScrollBar()
    for text in ("shirt", "sh"):
        catalog.search_box.setText(text)
        catalog.refresh()
        settle()
        for _ in range(FRAMES // 2):
            bar.setValue(bar.value() + SCROLL_STEP)
            app.processEvents()
            time.sleep(0.004)
        settle()
        out["searched"].append(repr(text))
    out["max_rss_mib"] = _rss_mib("VmHWM")
    studio.shutdown()
    return out


if __name__ == "__main__":
    mode_arg, db_arg = sys.argv[1:3]
    if mode_arg == "desktop":
        print(json.dumps(_desktop(Path(db_arg), Path(sys.argv[3]))), flush=True)
    else:
        images_arg, cache_arg = sys.argv[3:5]
        result = _child(mode_arg, Path(db_arg), Path(images_arg), Path(cache_arg))
        print(json.dumps(result), flush=True)
