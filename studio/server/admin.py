"""The admin commands of ``studio-server``: accounts, merchants and their rates, feed ingest.

Each is ``command(settings, args) -> exit status``, called by ``studio.server.cli`` (which
parses the arguments and turns every error into one line). Each opens (and migrates) the
database, does its work in one transaction, and prints what it did.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys

from pydantic import ValidationError

from studio.server import settings as settings_mod
from studio.server.db import Database
from studio.server.rates import RateError, parse_rate
from studio.server.security import Passwords

ENV_PASSWORD = "VITRINE_PASSWORD"


class CommandError(Exception):
    """A failure to say in one line."""


def open_db(settings: settings_mod.Settings) -> Database:
    db = Database(settings.db_url)
    db.migrate()
    return db


def print_json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    print()


# -- users -----------------------------------------------------------------------------------


def _password() -> str:
    password = os.environ.get(ENV_PASSWORD)
    if password is None:
        if not sys.stdin.isatty():
            raise CommandError(f"no password: set {ENV_PASSWORD} or run in a terminal")
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            raise CommandError("the two passwords differ")
    return password


def users_add(settings: settings_mod.Settings, args: argparse.Namespace) -> int:
    from studio.server import accounts, schemas

    try:
        body = schemas.SignUp(
            email=args.email,
            password=_password(),
            display_name=args.name or args.handle,
            handle=args.handle,
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise CommandError(f"{field}: {first['msg']}") from exc
    db = open_db(settings)
    with db.write() as s:
        user = accounts.create_user(
            s,
            Passwords(settings.password_cost),
            email=body.email,
            password=body.password,
            display_name=body.display_name,
            handle=body.handle,
            role=args.role,
        )
    print(f"Added {user.handle} <{user.email}> ({user.role}), id {user.id}")
    return 0


def users_list(settings: settings_mod.Settings, args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from studio.server.models import User

    db = open_db(settings)
    with db.read() as s:
        users = list(s.scalars(select(User).order_by(User.created_at)))
    rows = [
        {
            "id": str(u.id),
            "email": u.email,
            "handle": u.handle,
            "display_name": u.display_name,
            "role": u.role,
            "tier": u.tier,
            "disabled": u.disabled,
            "created_at": u.created_at.isoformat(),
        }
        for u in users
    ]
    if args.json:
        print_json(rows)
        return 0
    for r in rows:
        flag = "  (disabled)" if r["disabled"] else ""
        print(f"{r['email']:<32} {r['handle']:<20} {r['role']:<8} {r['tier']:<7}{flag}")
    return 0


def users_disable(settings: settings_mod.Settings, args: argparse.Namespace) -> int:
    from studio.server import accounts

    db = open_db(settings)
    with db.write() as s:
        user = accounts.set_disabled(s, args.email, args.disabled)
    print(f"{user.email}: {'disabled' if user.disabled else 'enabled'}")
    return 0


# -- merchants, ingest -----------------------------------------------------------------------


def merchants_add(settings: settings_mod.Settings, args: argparse.Namespace) -> int:
    from studio.server import catalog

    categories = []
    for path, rate in args.category:
        try:
            categories.append((path, parse_rate(rate)))
        except RateError as exc:
            raise CommandError(f"--category {path!r}: {exc}") from exc
    db = open_db(settings)
    with db.write() as s:
        merchant, secret = catalog.add_merchant(s, args.name, args.rate, categories)
    print(f"Added {merchant.name} at {merchant.rate}, id {merchant.id}")
    print(f"Webhook secret (shown once): {secret}")
    return 0


def merchants_list(settings: settings_mod.Settings, args: argparse.Namespace) -> int:
    from studio.server import catalog

    db = open_db(settings)
    with db.read() as s:
        rows = [{"id": str(m.id), "name": m.name, "rate": m.rate} for m in catalog.merchants(s)]
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            print(f"{r['name']:<32} {r['rate']:>8}  {r['id']}")
    return 0


def merchants_rate(settings: settings_mod.Settings, args: argparse.Namespace) -> int:
    from studio.server import catalog

    db = open_db(settings)
    with db.write() as s:
        changed = catalog.set_rate(
            s,
            args.name,
            None if args.clear else args.rate,
            category=args.category,
            offer_id=args.offer,
        )
    print(f"{args.name}: rate set; {changed} products' effective rate changed")
    return 0


def ingest(settings: settings_mod.Settings, args: argparse.Namespace) -> int:
    from studio.core.errors import FeedError
    from studio.feeds import open_feed
    from studio.server import catalog

    if not args.path.is_file():
        raise CommandError(f"{args.path}: no such file")
    db = open_db(settings)
    try:
        with db.write() as s:  # one transaction: all of the feed or nothing
            merchant = catalog.find_merchant(s, args.merchant)
            with open_feed(
                args.path, merchant.name, args.format, default_currency=args.currency
            ) as feed:
                report = catalog.ingest(s, merchant, feed.format, feed, full=not args.partial)
    except FeedError as exc:
        raise CommandError(f"{exc}; nothing was written") from exc
    if args.json:
        print_json(report.as_dict())
        return 0
    print(
        f"Ingested {args.path.name} for {report.merchant} ({report.format}) "
        f"in {report.seconds:.2f} s"
    )
    for label, value in (
        ("added", report.added),
        ("updated", report.updated),
        ("unchanged", report.unchanged),
        ("marked unavailable", report.marked_unavailable),
        ("rejected", len(report.rejected)),
    ):
        print(f"  {label:<20}{value:>10,}")
    for row in report.rejected[:50]:
        offer = f" [{row.offer_id}]" if row.offer_id else ""
        print(f"  {row.where}{offer}: {row.reason}")
    if len(report.rejected) > 50:
        print(f"  ... and {len(report.rejected) - 50:,} more (--json lists them all)")
    return 0
