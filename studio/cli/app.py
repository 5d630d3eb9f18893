"""The ``studio`` command's composition root: parse, resolve paths, open the store, dispatch.

Each command group lives in a module of this package with a ``register(commands)`` function
that adds its parsers and sets ``run=handler``; a handler takes ``(Stores, args)`` and
returns the exit status: 0 success (an import with rejected rows included), 1 an unusable
input or store ("studio: error: <where>: <reason>" on stderr, nothing written), 2 a usage
error. An unexpected error (a bug) is no traceback on the terminal either: one line
``studio: error: <message>`` naming the log that holds the traceback, and status 1.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from studio import __version__
from studio.cli import archive, catalog, looks, media, platform, shops
from studio.core.errors import DiskFullError, StoreError, StudioError

log = logging.getLogger("studio.cli")

# Command groups, in the order `studio --help` lists them.
GROUPS: tuple[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None], ...] = (
    archive.register,
    catalog.register,
    looks.register,
    media.register,
    platform.register,
    shops.register,
)

if TYPE_CHECKING:
    from studio.services.workspace import Stores
    from studio.system.paths import Paths


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="studio", description="Vitrine Studio, headless.")
    parser.add_argument("--version", action="version", version=f"studio {__version__}")
    parser.add_argument("--home", metavar="DIR", help="keep all data under DIR (or $STUDIO_HOME)")
    parser.add_argument("--verbose", "-v", action="store_true", help="log to stderr too")
    parser.add_argument("--demo", action="store_true", help="open the app on the demo catalog")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for register in GROUPS:
        register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from studio.system.permissions import restrict_umask

    # A write past a file size limit (ulimit -f) fails with EFBIG, reported like a full disk,
    # instead of the signal killing the process half-way.
    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    # Everything the command creates (store, logs, media, archive) is the user's alone; the
    # umask is put back for a caller that runs commands in its own process (the tests).
    previous = restrict_umask()
    try:
        return _main(argv)
    finally:
        os.umask(previous)


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help, --version and usage errors
        return int(exc.code or 0)
    if args.command is None and args.demo:
        return _start_app(args)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2

    from studio.services.workspace import open_workspace
    from studio.system.logs import setup_logging
    from studio.system.paths import resolve_paths

    paths = resolve_paths(args.home).ensure()
    log_path = setup_logging(paths.logs, verbose=args.verbose)
    try:
        # Not exclusive: other programs (the app, another command) may use the workspace too.
        ws = open_workspace(paths)
    except StoreError as exc:
        return fail(exc)
    except Exception as exc:
        return unexpected(exc, log_path)
    # Writers queue: a write that meets another program's (an import, the app) waits its
    # turn, and says so once, instead of failing.
    ws.db.on_busy = ws.db.catalog_db.on_busy = _Waiting()
    try:
        run: Callable[[Stores, argparse.Namespace], int] = args.run
        return run(ws, args)
    except StudioError as exc:
        return fail(exc)
    except KeyboardInterrupt:
        print("studio: interrupted; nothing was written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`studio search x --json | head`): stop quietly, as Unix tools
        # do; pointing stdout at /dev/null keeps Python's exit-time flush from failing again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except (OSError, sqlite3.Error) as exc:
        # No room left where a command wrote without saying what it was writing: still one
        # line naming the folder, never a traceback (the layers below name theirs).
        typed = _room_error(exc, paths)
        return fail(typed) if typed is not None else unexpected(exc, log_path)
    except Exception as exc:
        return unexpected(exc, log_path)
    finally:
        ws.close()


class _Waiting:
    """Says once on stderr that a write waits for another task's, after a second of it."""

    def __init__(self) -> None:
        self.said = False

    def __call__(self, waited: float) -> None:
        if not self.said and waited >= 1.0:
            self.said = True
            print(
                "studio: another task is writing to this workspace; waiting for it to finish…",
                file=sys.stderr,
                flush=True,
            )


def _room_error(exc: OSError | sqlite3.Error, paths: Paths) -> StudioError | None:
    from studio.store.write_errors import store_write_error

    if isinstance(exc, OSError) and exc.filename:
        return DiskFullError.for_errno(exc.errno, os.path.dirname(os.fspath(exc.filename)))
    return store_write_error(exc, paths.database)


def _start_app(args: argparse.Namespace) -> int:
    """``studio --demo``: the desktop app on the demo catalog (its own composition root)."""
    from studio.ui.app import main as app_main  # Qt loads only for this path

    argv = ["--demo"]
    if args.home:
        argv += ["--home", args.home]
    if args.verbose:
        argv.append("--verbose")
    return app_main(argv)


def unexpected(exc: Exception, log_path: Path) -> int:
    """An error nothing expected: its traceback goes to the log, one line to stderr; status 1."""
    log.critical("unexpected error in %s", " ".join(sys.argv[1:]) or "studio", exc_info=exc)
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    print(f"studio: error: {message}; details in {log_path}", file=sys.stderr)
    return 1


def fail(exc: StudioError) -> int:
    """Report ``exc`` on stderr as ``studio: error: <where>: <reason>``; exit status 1."""
    where = getattr(exc, "where", "") or getattr(exc, "source", "")
    reason = getattr(exc, "reason", None) or str(exc)
    log.error("%s", exc)
    print(
        f"studio: error: {where}: {reason}" if where else f"studio: error: {reason}",
        file=sys.stderr,
    )
    return 1
