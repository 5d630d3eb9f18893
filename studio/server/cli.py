"""``studio-server``: serve the platform, migrate it, and administer accounts and catalogs.

    studio-server run [--host H] [--port P] [--data DIR] [--db URL] [--demo] [--workers N]
    studio-server migrate
    studio-server users add --email E --handle H [--name N] [--role ROLE]
    studio-server users list [--json] | users disable EMAIL | users enable EMAIL
    studio-server merchants add NAME --rate 8% [--category PATH RATE]...
    studio-server merchants list [--json]
    studio-server merchants rate NAME (--rate R | --clear) [--category PATH | --offer ID]
    studio-server ingest-feed PATH --merchant NAME [--format F] [--currency C] [--partial]

Every failure is one line, ``studio-server: error: ...``, exit status 1 (2 for a usage error);
an unexpected one also writes its traceback to ``studio-server.log`` in the data folder and
names it. Passwords come from ``$VITRINE_PASSWORD`` or a prompt, never from an argument.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from studio.server import admin
from studio.server import settings as settings_mod
from studio.server.admin import CommandError, open_db
from studio.server.db import Database, DatabaseError
from studio.server.problems import Problem
from studio.server.rates import RateError, parse_rate
from studio.server.security import Passwords

if TYPE_CHECKING:
    from fastapi import FastAPI

PROG = "studio-server"
LOG_NAME = "studio-server.log"


def _rate(text: str) -> Decimal:
    try:
        return parse_rate(text)
    except RateError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _port(text: str) -> int:
    value = int(text)
    if not 0 < value < 65536:
        raise argparse.ArgumentTypeError("a port lies between 1 and 65535")
    return value


def _workers(text: str) -> int:
    value = int(text)
    if not 0 < value <= 64:
        raise argparse.ArgumentTypeError("between 1 and 64 processes")
    return value


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data", type=Path, metavar="DIR", help=f"data folder (${settings_mod.ENV_HOME})"
    )
    common.add_argument(
        "--db", metavar="URL", help="database URL (default: SQLite in the data folder)"
    )
    parser = argparse.ArgumentParser(prog=PROG, description="The Vitrine platform server.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    run = commands.add_parser("run", parents=[common], help="serve the API")
    run.add_argument("--host", default=settings_mod.DEFAULT_HOST)
    run.add_argument("--port", type=_port, default=settings_mod.DEFAULT_PORT)
    run.add_argument("--demo", action="store_true", help="add the demo dataset first")
    run.add_argument(
        "--workers",
        type=_workers,
        default=1,
        metavar="N",
        help="server processes sharing the port (default 1; one per core measured best)",
    )
    run.set_defaults(run=_cmd_run)
    migrate = commands.add_parser("migrate", parents=[common], help="migrate the database")
    migrate.set_defaults(run=_cmd_migrate)

    users = commands.add_parser("users", help="accounts").add_subparsers(
        dest="users_command", metavar="COMMAND", required=True
    )
    add = users.add_parser("add", parents=[common], help="add an account")
    add.add_argument("--email", required=True)
    add.add_argument("--handle", required=True)
    add.add_argument("--name", help="display name (default: the handle)")
    add.add_argument("--role", default="member", choices=("member", "expert", "merchant", "admin"))
    add.set_defaults(run=admin.users_add)
    listing = users.add_parser("list", parents=[common], help="list accounts")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=admin.users_list)
    for name, flag in (("disable", True), ("enable", False)):
        cmd = users.add_parser(name, parents=[common], help=f"{name} an account")
        cmd.add_argument("email")
        cmd.set_defaults(run=admin.users_disable, disabled=flag)

    merchants = commands.add_parser("merchants", help="merchants and rates").add_subparsers(
        dest="merchants_command", metavar="COMMAND", required=True
    )
    madd = merchants.add_parser("add", parents=[common], help="add a merchant")
    madd.add_argument("name")
    madd.add_argument("--rate", type=_rate, required=True, help="commission rate: 8%% or 0.08")
    madd.add_argument(
        "--category",
        nargs=2,
        action="append",
        default=[],
        metavar=("PATH", "RATE"),
        help='a category path\'s own rate ("Home > Lighting" 10%%); repeatable',
    )
    madd.set_defaults(run=admin.merchants_add)
    mlist = merchants.add_parser("list", parents=[common], help="list merchants")
    mlist.add_argument("--json", action="store_true")
    mlist.set_defaults(run=admin.merchants_list)
    mrate = merchants.add_parser("rate", parents=[common], help="set or clear one rate")
    mrate.add_argument("name")
    which = mrate.add_mutually_exclusive_group(required=True)
    which.add_argument("--rate", type=_rate)
    which.add_argument("--clear", action="store_true", help="remove the category/product rate")
    where = mrate.add_mutually_exclusive_group()
    where.add_argument("--category", metavar="PATH")
    where.add_argument("--offer", metavar="ID")
    mrate.set_defaults(run=admin.merchants_rate)

    ingest = commands.add_parser("ingest-feed", parents=[common], help="ingest a merchant feed")
    ingest.add_argument("path", type=Path)
    ingest.add_argument("--merchant", required=True)
    ingest.add_argument("--format", default="auto")
    ingest.add_argument("--currency", metavar="CODE")
    ingest.add_argument("--partial", action="store_true", help="keep offers the feed lacks")
    ingest.add_argument("--json", action="store_true")
    ingest.set_defaults(run=admin.ingest)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = settings_mod.resolve(args.data, args.db)
    command: Callable[[settings_mod.Settings, argparse.Namespace], int] = args.run
    try:
        return command(settings, args)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; nothing was written", file=sys.stderr)
        return 130
    except (CommandError, DatabaseError, RateError) as exc:
        return _fail(str(exc))
    except Problem as exc:
        return _fail(exc.detail)
    except Exception as exc:
        from studio.core.errors import StudioError

        if isinstance(exc, StudioError | OSError):
            return _fail(str(exc))
        log = _log_traceback(settings.data_dir, exc)
        return _fail(f"{exc.__class__.__name__}: {exc}; details in {log}")


def _fail(message: str) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return 1


def _log_traceback(folder: Path, exc: BaseException) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_NAME
    handler = logging.FileHandler(path, encoding="utf-8")
    logger = logging.getLogger("studio.server.cli")
    logger.addHandler(handler)
    logger.error("unexpected error", exc_info=exc)
    logger.removeHandler(handler)
    handler.close()
    return path


# -- run, migrate -----------------------------------------------------------------------------


def _cmd_run(settings: settings_mod.Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from studio.server.app import create_app

    settings = settings.with_(host=args.host, port=args.port)
    _log_to(settings.data_dir)
    db = open_db(settings)
    if args.demo:
        _print_demo(db, settings)
    print(f"Vitrine platform on http://{settings.host}:{settings.port} (API at /docs)", flush=True)
    print(f"Data: {settings.data_dir}", flush=True)
    if args.workers > 1:
        # Each worker is a fresh interpreter (uvicorn spawns them) that builds its own app
        # from the environment: the processes are stateless, everything shared is in the
        # database (the design for several servers behind a load balancer, on one machine).
        db.dispose()
        os.environ[settings_mod.ENV_HOME] = str(settings.data_dir)
        os.environ[settings_mod.ENV_DB] = settings.db_url
        uvicorn.run(
            f"{__name__}:worker_app",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=args.workers,
            log_level="info",
        )
        return 0
    app = create_app(settings, db=db, migrate=False)
    try:
        uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")
    finally:
        db.dispose()
    return 0


def worker_app() -> FastAPI:
    """The app of one ``run --workers N`` process (uvicorn's factory): its settings come from
    the environment ``_cmd_run`` set; the database was migrated before the workers started."""
    from studio.server.app import create_app

    settings = settings_mod.resolve(None, os.environ.get(settings_mod.ENV_DB))
    _log_to(settings.data_dir)
    return create_app(settings, migrate=False)


def _log_to(folder: Path) -> None:
    """The server's own log (unexpected errors with their traceback, never a request body):
    the console and ``studio-server.log`` in the data folder."""
    folder.mkdir(parents=True, exist_ok=True)
    logger = logging.getLogger("studio.server")
    logger.setLevel(logging.INFO)
    form = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in (logging.StreamHandler(), logging.FileHandler(folder / LOG_NAME, "a", "utf-8")):
        handler.setFormatter(form)
        logger.addHandler(handler)


def _print_demo(db: Database, settings: settings_mod.Settings) -> None:
    from studio.server.demo import seed

    report = seed(db, Passwords(settings.password_cost))
    for r in report.reports:
        print(
            f"  {r.merchant}: {r.added} added, {r.updated} updated, {r.unchanged} unchanged, "
            f"{len(r.rejected)} rejected",
            flush=True,
        )
    print(f"Demo curator: {report.email}  password: {report.password}", flush=True)


def _cmd_migrate(settings: settings_mod.Settings, _args: argparse.Namespace) -> int:
    open_db(settings).dispose()
    print(f"{settings.db_url if not settings.is_sqlite else settings.data_dir}: up to date")
    return 0
