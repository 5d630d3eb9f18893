"""The desktop app's composition root and ``main``: ``vitrine-studio [--home DIR] [--demo]``.

Start-up is ordered for a fast first paint (target: under 300 ms from process start): only Qt,
the main window and the workspace shown first are imported before the window is shown (the
other workspaces load when first shown, ``workspaces.py``); the store (SQLAlchemy, Alembic,
numpy, the search internals) is imported and opened in a worker after the first paint, then
handed to the window as ``Stores``. A store that cannot be opened (for example one written by
a newer version) gets a clear message and exit status 1. One studio runs per workspace
(``single_instance.py``): a second one started on it brings the first to the front and ends,
or, if the first does not answer, says so and exits with status 1, never opening the store.
From the moment the application exists, ``crash.CrashHandler`` turns an unexpected error into
a logged, shown one, with the typed text flushed, instead of a silent exit.

``--demo`` opens a workspace with the demo catalog: unless ``--home``/``STUDIO_HOME`` says
otherwise it lives apart from the user's own, under the cache directory, and is filled from
the demo feeds the first time. Otherwise a first run (a workspace with no catalog and no
looks) is shown Help > Getting started, once (``help_menu.py``). ``--smoke-test`` shows the
window, lets it paint and open the store, prints ``first-paint-ms=N`` and quits with status 0
(packaging and the bench use it).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from studio import APP_ID, APP_NAME, __version__
from studio.system.logs import setup_logging
from studio.system.paths import ENV_HOME, Paths, resolve_paths
from studio.system.permissions import restrict_umask
from studio.ui import memory, plurals
from studio.ui.crash import CrashHandler
from studio.ui.main_window import MainWindow
from studio.ui.single_instance import Claim, SingleInstance
from studio.ui.tasks import TaskManager
from studio.ui.widgets.colours import apply_colour_scheme

if TYPE_CHECKING:
    from studio.services.workspace import Stores

log = logging.getLogger("studio.ui.app")  # not __name__: it is "__main__" under -m
SMOKE_TIMEOUT_MS = 20_000


def process_age_ms() -> float | None:
    """Milliseconds since this process started (Linux /proc), for start-up timing."""
    try:
        stat = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        started_ticks = int(stat[19])  # field 22 of stat(5): start time in clock ticks
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return (uptime - started_ticks / os.sysconf("SC_CLK_TCK")) * 1000
    except (OSError, ValueError, IndexError):
        return None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vitrine-studio", description=APP_NAME)
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("--home", metavar="DIR", help="keep all data under DIR (or $STUDIO_HOME)")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open a workspace with the demo "
        "catalog (kept apart from your own unless --home is given)",
    )
    parser.add_argument("--verbose", "-v", action="store_true", help="log to stderr too")
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="show the window, let it paint, then quit with status 0",
    )
    parser.add_argument(
        "--screenshot",
        metavar="PNG",
        type=Path,
        help="once the catalog and its images are shown, save the window as "
        "PNG and quit (for the documentation)",
    )
    return parser


def demo_home() -> Path:
    """The separate workspace ``--demo`` uses when no home is given."""
    return resolve_paths().cache / "demo-workspace"


def open_store(paths: Paths) -> Stores:
    """Worker: open (and migrate) the workspace's store, its stores and photo library."""
    from studio.services.workspace import open_workspace

    stores = open_workspace(paths)
    # The content stores are made (and their modules imported) when first asked for: ask
    # here, in the worker, so that no page pays for those imports on the GUI thread.
    for name in ("looks", "boards", "shops", "reviews", "profile", "media"):
        getattr(stores, name)
    return stores


def open_and_count(paths: Paths) -> tuple[Stores, int]:
    """Worker: the opened stores and how many products the catalog holds (for the log)."""
    stores = open_store(paths)
    return stores, stores.catalog.product_count()


class Studio:
    """Holds the running app's objects and sequences the start-up after the first paint."""

    def __init__(
        self,
        app: QApplication,
        paths: Paths,
        *,
        demo: bool,
        smoke: bool,
        started: float,
        screenshot: Path | None = None,
        crash: CrashHandler | None = None,
    ) -> None:
        self.app = app
        self.screenshot = screenshot
        self._shot_timer: QTimer | None = None
        self.paths = paths
        self.demo = demo
        self.smoke = smoke
        self.started = started
        self.exit_code = 0
        self.stores: Stores | None = None
        self.tasks = TaskManager(parent=app)
        self.window = MainWindow(self.tasks, paths)
        self.window.first_painted.connect(self._first_painted)
        if crash is not None:
            window = self.window
            crash.follow(
                flush=window.flush,
                context=lambda: f"workspace {window.workspace}",
                parent_widget=lambda: window,
            )
            self.tasks.on_unhandled = crash.report_exception

    def _first_painted(self) -> None:
        age = process_age_ms()
        elapsed = (time.perf_counter() - self.started) * 1000
        log.info(
            "first paint %.0f ms after process start (%.0f ms after main)",
            age if age is not None else -1,
            elapsed,
        )
        if self.smoke:
            print(f"first-paint-ms={age if age is not None else elapsed:.1f}", flush=True)
            QTimer.singleShot(SMOKE_TIMEOUT_MS, lambda: self._quit(0))
        # Let the paint reach the screen before the heavy imports start in the worker.
        QTimer.singleShot(0, self._open_store)

    def _open_store(self) -> None:
        # After the first paint (it loads ctypes: ~7 ms), before the catalog's large arrays
        # come and go.
        memory.fix_mmap_threshold()
        self.tasks.run(lambda: open_and_count(self.paths), self._store_opened, self._store_failed)

    def _store_opened(self, opened: tuple[Stores, int]) -> None:
        self.stores, count = opened
        log.info("catalog open: %s products in %s", count, self.paths.database)
        self.window.attach_stores(self.stores)
        memory.drop_source_cache()  # the shown workspace and the stores are imported by now
        if self.smoke:
            # The catalog, when it is the page shown, has searched once: the app is usable.
            if self.window.workspace == "catalog":
                self.window.catalog.results_changed.connect(lambda _n: self._quit(0))
            else:
                QTimer.singleShot(0, lambda: self._quit(0))
            return
        if self.demo and count == 0:
            self.window.load_demo()
        elif self.screenshot is None:  # a first run (an empty workspace) gets Getting started
            self.window.help_menu.offer_first_run(self.stores)
        if self.screenshot is not None:
            self._shot_timer = QTimer(self.window)
            self._shot_timer.setInterval(200)
            self._shot_timer.timeout.connect(self._maybe_screenshot)
            self._shot_timer.start()
            QTimer.singleShot(60_000, lambda: self._quit(1))

    def _maybe_screenshot(self) -> None:
        """Save the window once the demo is in, a detail is open and every image is shown."""
        catalog = self.window.catalog
        if self.window.imports.running or catalog.model.total == 0:
            return
        if self.window.imports.report_dialog is not None:
            self.window.imports.report_dialog.close()
        if catalog.detail.detail is None:
            catalog.open_detail(catalog.model.index(0))
            return
        if (
            not catalog.model.is_loaded(0)
            or catalog.grid_images.pending
            or catalog.detail_images.pending
            or self.tasks.running
        ):
            return
        assert self.screenshot is not None and self._shot_timer is not None
        self._shot_timer.stop()
        self.screenshot.parent.mkdir(parents=True, exist_ok=True)
        self.window.grab().save(str(self.screenshot))
        log.info("screenshot saved to %s", self.screenshot)
        self._quit(0)

    def _store_failed(self, exc: BaseException) -> None:
        log.error("cannot open the catalog at %s: %s", self.paths.database, exc)
        if self.smoke:
            print(f"cannot open the catalog: {exc}", file=sys.stderr, flush=True)
        else:
            box = QMessageBox(
                QMessageBox.Icon.Critical,
                APP_NAME,
                self.window.tr("Vitrine Studio cannot open its catalog."),
                QMessageBox.StandardButton.Close,
                self.window,
            )
            box.setInformativeText(str(exc))
            box.setDetailedText(self.window.tr("Database: {path}").format(path=self.paths.database))
            box.exec()
        self._quit(1)

    def _quit(self, code: int) -> None:
        self.exit_code = code
        self.window.close()
        self.app.exit(code)

    def shutdown(self) -> None:
        self.tasks.shutdown()
        if self.stores is not None:
            self.stores.close()


def _tr(text: str) -> str:
    return QCoreApplication.translate("Studio", text)


def refuse_second(paths: Paths, holder: int | None, *, quiet: bool) -> None:
    """Say why this studio does not start: another holds the workspace and does not answer."""
    text = _tr("Vitrine Studio is already open on this workspace, but it does not answer.")
    more = _tr(
        "Close the other window (or end process {pid}), then start again. To work on "
        "another workspace, start with --home DIR."
    ).format(pid=holder if holder is not None else "?")
    log.error("refused: a studio (process %s) holds %s and does not answer", holder, paths.data)
    if quiet:
        print(f"{text} {more}", file=sys.stderr, flush=True)
        return
    box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, text, QMessageBox.StandardButton.Close)
    box.setInformativeText(more)
    box.setDetailedText(_tr("Workspace: {path}").format(path=paths.data))
    box.exec()


def prepare_application(app: QApplication) -> None:
    """What every studio application is given before its window (the desktop's start, the
    screenshot tool): its names, the plural forms, the colour scheme."""
    plurals.install(app)  # "1 product", "2 products": the %n forms of every counted message
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Vitrine")
    app.setOrganizationDomain("vitrine.io")
    app.setDesktopFileName(APP_ID)
    apply_colour_scheme(app)  # STUDIO_COLOR_SCHEME=dark, or a dark platform without a palette


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    restrict_umask()  # the store, logs, settings and caches are the user's alone
    args, qt_args = build_parser().parse_known_args(argv)
    home = args.home
    if args.demo and home is None and not os.environ.get(ENV_HOME):
        home = demo_home()
    paths = resolve_paths(home).ensure()
    log_path = setup_logging(paths.logs, verbose=args.verbose)
    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    assert isinstance(app, QApplication)
    prepare_application(app)
    # From here on an unexpected error is logged and shown, never a silent exit.
    crash = CrashHandler(log_path, parent=app)
    crash.install()
    # One studio per workspace: a second one brings the first to the front and ends.
    instance = SingleInstance(paths, parent=app)
    claim = instance.claim()
    if claim is not Claim.FIRST:
        crash.uninstall()
        if claim is Claim.RAISED:
            print(_tr("Vitrine Studio is already open on this workspace."), flush=True)
            return 0
        refuse_second(paths, instance.holder(), quiet=args.smoke_test)
        return 1
    try:
        studio = Studio(
            app,
            paths,
            demo=args.demo,
            smoke=args.smoke_test,
            started=started,
            screenshot=args.screenshot,
            crash=crash,
        )
    except Exception as exc:  # no window to keep: say why, then exit
        crash.report((type(exc), exc, exc.__traceback__))
        if crash.dialog is not None and not args.smoke_test:
            crash.dialog.exec()
        crash.uninstall()
        return 1
    instance.raise_requested.connect(studio.window.bring_to_front)
    # The lock is held from claim() on; the socket a second studio calls can wait for the
    # first paint (QtNetwork is not imported before it): see single_instance.py.
    studio.window.first_painted.connect(lambda: QTimer.singleShot(0, instance.listen))
    studio.window.show()
    code = app.exec()
    studio.shutdown()
    instance.release()
    crash.uninstall()
    return code if code else studio.exit_code


if __name__ == "__main__":
    raise SystemExit(main())
