"""Platform commands of ``studio``: ``login``, ``logout``, ``account`` and ``catalog update``.

Each calls ``studio.services.platform.PlatformService``, as the desktop does. A failure is one
line and exit status 1 (the CLI's ``fail``): a wrong password, an unreachable server, a
revoked device ("sign in again"), a rate limit with its wait. The password comes from
``$STUDIO_PASSWORD`` or a prompt, never from an argument (it would show in ``ps``).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
from typing import TYPE_CHECKING

from studio.cli.output import print_json
from studio.core.errors import StudioError
from studio.services.platform import PlatformService, UpdateProgress, UpdateReport

if TYPE_CHECKING:
    from studio.services.workspace import Stores

ENV_PASSWORD = "STUDIO_PASSWORD"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    login = commands.add_parser("login", help="sign in to the Vitrine platform as this device")
    login.add_argument("--server", metavar="URL", help="the platform's address (default: the last)")
    login.add_argument("--email", help="the account's email (default: the last)")
    login.add_argument("--device-name", metavar="NAME", help="how this device is listed")
    login.set_defaults(run=cmd_login)

    logout = commands.add_parser("logout", help="sign out: revoke this device, keep local work")
    logout.set_defaults(run=cmd_logout)

    account = commands.add_parser("account", help="the signed-in account and its devices")
    account.add_argument("--json", action="store_true", help="print the account as JSON")
    account.set_defaults(run=cmd_account)


def register_catalog(catalog_commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``catalog update``, beside ``catalog stats``."""
    update = catalog_commands.add_parser(
        "update", help="download the platform's catalog changes and apply them"
    )
    update.add_argument("--json", action="store_true", help="print what was applied as JSON")
    update.set_defaults(run=cmd_catalog_update)


def _service(ws: Stores) -> PlatformService:
    said: set[str] = set()

    def note(message: str) -> None:  # the keyring's absence, said once per process
        if message not in said:
            said.add(message)
            print(f"studio: note: {message}", file=sys.stderr)

    return PlatformService(ws.paths, on_notice=note)


def _password(email: str) -> str:
    given = os.environ.get(ENV_PASSWORD)
    if given:
        return given
    if not sys.stdin.isatty():
        raise StudioError(f"no password: set {ENV_PASSWORD} or run the command in a terminal")
    return getpass.getpass(f"Password for {email}: ")


def cmd_login(ws: Stores, args: argparse.Namespace) -> int:
    from studio.sync.http import check_server_url  # requests loads for these commands only
    from studio.system.settings import DEFAULT_SERVER

    service = _service(ws)
    known = service.settings
    server = args.server or known.server or DEFAULT_SERVER
    email = args.email or known.email
    if not email:
        raise StudioError("no email: give --email")
    check_server_url(server)  # an address refused is said before a password is asked
    signed = service.sign_in(server, email, _password(email), args.device_name)
    print(
        f"Signed in to {service.settings.server} as @{signed.user.handle} ({signed.user.email}); "
        f"this device is listed as {signed.device.name!r}"
    )
    return 0


def cmd_logout(ws: Stores, args: argparse.Namespace) -> int:
    service = _service(ws)
    server = service.settings.server
    if server is None or service.tokens.get(server) is None:
        print("Not signed in; nothing to do.")
        return 0
    heard = service.sign_out()
    where = "" if heard else " (the server could not be told: revoke the device from another)"
    print(f"Signed out of {server}{where}; local work is kept.")
    return 0


def cmd_account(ws: Stores, args: argparse.Namespace) -> int:
    account = _service(ws).account()
    if args.json:
        print_json(account.as_dict())
        return 0
    user = account.user
    print(f"{user.display_name} (@{user.handle}) <{user.email}> on {account.server}")
    print(f"  role {user.role}, tier {user.tier}, member since {user.created_at[:10]}")
    print("Devices:")
    for device in account.devices:
        mark = "*" if device.current else " "
        seen = device.last_seen_at[:16].replace("T", " ") if device.last_seen_at else "never"
        print(f" {mark} {device.name}  (last seen {seen}; id {device.id})")
    return 0


def cmd_catalog_update(ws: Stores, args: argparse.Namespace) -> int:
    from studio.services.feeds import relink_products

    service = _service(ws)
    progress = _TerminalProgress() if sys.stderr.isatty() else UpdateProgress()
    try:
        report = service.update_catalog(ws, progress)
    finally:
        if isinstance(progress, _TerminalProgress):
            progress.done()
    if report.upserts or report.unavailable:
        relink_products(ws)  # references to products that just arrived find them
    if args.json:
        print_json(report.as_dict())
    else:
        _print_update(report)
    return 0


def _print_update(report: UpdateReport) -> None:
    print(f"Catalog updated to cursor {report.cursor} in {report.pages} page(s)")
    for label, value in (
        ("added or updated", report.upserts),
        ("unchanged", report.unchanged),
        ("now unavailable", report.unavailable),
    ):
        print(f"  {label:<20}{value:>10,}")
    for name, count in sorted(report.held.items()):
        print(
            f"  {name}: {count:,} change(s) not applied: a merchant of this name was imported "
            "by hand, and its products are kept as imported"
        )


class _TerminalProgress(UpdateProgress):
    """One self-overwriting stderr line, at most a few updates a second."""

    def __init__(self) -> None:
        super().__init__()
        self._shown = 0.0

    def tick(self) -> None:
        now = time.monotonic()
        if now - self._shown >= 0.25:
            self._shown = now
            print(
                f"\r  {self.changes:,} changes applied in {self.pages} page(s)",
                end="",
                file=sys.stderr,
                flush=True,
            )

    def done(self) -> None:
        print("\r\033[K", end="", file=sys.stderr, flush=True)
