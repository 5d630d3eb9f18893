"""Catalog commands of ``studio``: ``import-feed``, ``search`` and ``catalog stats``."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from studio.cli import platform
from studio.cli.output import cut, positive, print_json
from studio.core.catalog import ImportReport, ProductCard, SearchQuery, SortKey
from studio.core.money import Money
from studio.services.feeds import FeedProgress

FEED_FORMATS = ("google-xml", "google-tsv", "shopify-json", "shopify-csv", "woocommerce-csv")
MAX_LISTED_REJECTS = 50
SORTS = tuple(s.value for s in SortKey)


if TYPE_CHECKING:
    from studio.services.workspace import Stores


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    imp = commands.add_parser("import-feed", help="import a merchant feed into the catalog")
    imp.add_argument("path", type=Path, help="the feed file (may be gzip-compressed)")
    imp.add_argument("--merchant", required=True, help="the merchant's name")
    imp.add_argument(
        "--format",
        default="auto",
        choices=("auto", *FEED_FORMATS),
        help="the feed's format (default: detect from the content)",
    )
    imp.add_argument(
        "--currency", metavar="CODE", help="currency of prices that state none (ISO 4217, e.g. EUR)"
    )
    imp.add_argument(
        "--partial",
        action="store_true",
        help="the feed lists only some products: keep the others available",
    )
    imp.add_argument("--json", action="store_true", help="print the report as JSON")
    imp.set_defaults(run=cmd_import_feed)

    search = commands.add_parser("search", help="full-text search of the catalog")
    search.add_argument("query", help="words to search; a trailing word matches as a prefix")
    search.add_argument(
        "--merchant",
        action="append",
        default=[],
        metavar="NAME",
        help="only this merchant's products (repeatable)",
    )
    search.add_argument(
        "--limit", type=positive, default=20, metavar="N", help="results to print (default 20)"
    )
    search.add_argument("--sort", default="relevance", choices=SORTS)
    search.add_argument("--json", action="store_true", help="print the results as JSON")
    search.set_defaults(run=cmd_search)

    catalog = commands.add_parser("catalog", help="catalog information")
    catalog_commands = catalog.add_subparsers(
        dest="catalog_command", metavar="COMMAND", required=True
    )
    stats = catalog_commands.add_parser("stats", help="product counts per merchant")
    stats.add_argument("--json", action="store_true", help="print the counts as JSON")
    stats.set_defaults(run=cmd_catalog_stats)
    platform.register_catalog(catalog_commands)


# -- import-feed ------------------------------------------------------------------------------


def cmd_import_feed(ws: Stores, args: argparse.Namespace) -> int:
    from studio.services.feeds import FeedJob, FeedProgress, import_feeds, relink_products

    job = FeedJob(args.path, args.merchant, args.format, not args.partial, args.currency)
    progress = _TerminalProgress() if sys.stderr.isatty() else FeedProgress()
    try:
        (report,) = import_feeds(ws, [job], progress)
    finally:
        if isinstance(progress, _TerminalProgress):
            progress.done()
    relink_products(ws)  # references imported before this catalog find their products
    if args.json:
        print_json(report.as_dict())
    else:
        print_report(report, args.path, sys.stdout)
    return 0


class _TerminalProgress(FeedProgress):
    """One self-overwriting stderr line for long imports, at most a few updates a second.
    Ctrl+C is the way to cancel; the import then rolls back."""

    def __init__(self) -> None:
        super().__init__()
        self._shown = 0.0
        self._started = time.monotonic()

    def tick(self) -> None:
        now = time.monotonic()
        if now - self._shown >= 0.25:
            self._shown = now
            rate = self.items / max(now - self._started, 1e-6)
            print(
                f"\r  {self.items:,} items read ({self.fraction:.0%}, {rate:,.0f}/s)",
                end="",
                file=sys.stderr,
                flush=True,
            )

    def done(self) -> None:
        print("\r\033[K", end="", file=sys.stderr, flush=True)


def print_report(report: ImportReport, path: Path, out: TextIO) -> None:
    print(
        f"Imported {path.name} for {report.merchant} ({report.format}) in {report.seconds:.2f} s",
        file=out,
    )
    for label, value in (
        ("added", report.added),
        ("updated", report.updated),
        ("unchanged", report.unchanged),
        ("marked unavailable", report.marked_unavailable),
        ("rejected", len(report.rejected)),
    ):
        print(f"  {label:<20}{value:>10,}", file=out)
    if report.rejected:
        print("Rejected rows:", file=out)
        for row in report.rejected[:MAX_LISTED_REJECTS]:
            offer = f" [{row.offer_id}]" if row.offer_id else ""
            print(f"  {row.where}{offer}: {row.reason}", file=out)
        hidden = len(report.rejected) - MAX_LISTED_REJECTS
        if hidden > 0:
            print(f"  ... and {hidden:,} more (--json lists them all)", file=out)


# -- search ---------------------------------------------------------------------------------


def cmd_search(ws: Stores, args: argparse.Namespace) -> int:
    catalog = ws.catalog
    query = SearchQuery(
        text=args.query,
        merchants=frozenset(args.merchant),
        sort=SortKey(args.sort),
        limit=args.limit,
    )
    started = time.perf_counter()
    result = catalog.search(query)
    page = [int(i) for i in result.ids[: args.limit]]  # type: ignore[index]
    cards = catalog.cards(page)
    with catalog.db.connect() as conn:
        links = dict(
            conn.execute(
                "SELECT id, link FROM products WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(page),),
            )
        )
    took_ms = (time.perf_counter() - started) * 1000
    results = [_card_json(card, links.get(card.id)) for card in cards]
    if args.json:
        print_json({"took_ms": round(took_ms, 3), "total": result.total, "results": results})
        return 0
    print(f"{result.total:,} matches in {took_ms:.1f} ms", file=sys.stdout)
    for r in results:
        price = _price_text(r)
        brand = cut(str(r["brand"] or ""), 16)
        print(
            f"{r['id']:>9}  {cut(str(r['title']), 48):<48}  {brand:<16}  {price:>20}  "
            f"{cut(str(r['merchant']), 18)}",
            file=sys.stdout,
        )
    return 0


def _amount(money: Money | None) -> str | None:
    return None if money is None else str(money.decimal)


def _card_json(card: ProductCard, link: str | None) -> dict[str, object]:
    currency = (
        card.price.currency
        if card.price
        else (card.sale_price.currency if card.sale_price else None)
    )
    return {
        "id": card.id,
        "title": card.title,
        "brand": card.brand,
        "merchant": card.merchant,
        "price": _amount(card.price),
        "sale_price": _amount(card.sale_price),
        "currency": currency,
        "availability": card.availability.value,
        "link": link,
    }


def _price_text(r: dict[str, object]) -> str:
    if r["price"] is None:
        return ""
    if r["sale_price"] is not None:
        return f"{r['sale_price']} (was {r['price']}) {r['currency']}"
    return f"{r['price']} {r['currency']}"


# -- catalog stats --------------------------------------------------------------------------


def cmd_catalog_stats(ws: Stores, args: argparse.Namespace) -> int:
    catalog = ws.catalog
    from studio.store.codes import UNAVAILABLE_CODE

    with catalog.db.connect() as conn:
        rows = conn.execute(
            "SELECT m.name, m.feed_format, m.last_import_at, count(p.id), "
            f"coalesce(sum(p.availability != {UNAVAILABLE_CODE}), 0) FROM merchants m "
            "LEFT JOIN products p ON p.merchant_id = m.id GROUP BY m.id ORDER BY m.name"
        ).fetchall()
    merchants = [
        {"name": name, "format": fmt, "last_import_at": at, "products": count, "listed": listed}
        for name, fmt, at, count, listed in rows
    ]
    total = sum(int(row[3]) for row in rows)
    if args.json:
        print_json({"products": total, "merchants": merchants})
        return 0
    print(f"{total:,} products from {len(merchants)} merchants")
    for m in merchants:
        print(
            f"  {cut(str(m['name']), 30):<30} {m['products']:>10,} products "
            f"({m['listed']:,} listed)  {m['format'] or ''}  {m['last_import_at'] or ''}"
        )
    return 0
