"""The demo platform of ``make server``: the demo merchants with their commission rates, their
feeds ingested, and one curator account whose email and password are printed.

Safe to run again on the same data folder: a merchant or account already there is kept as
it is, and a feed re-ingested unchanged changes nothing (no sequence number moves). The
feeds are the desktop's demo catalog (``resources/demo``, found by ``studio.media.demo``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from studio.core.catalog import ImportReport
from studio.server import accounts, catalog
from studio.server.db import Database
from studio.server.models import Merchant
from studio.server.security import Passwords

DEMO_EMAIL = "demo@vitrine.invalid"
DEMO_PASSWORD = "vitrine-demo-2026"
DEMO_HANDLE = "demo-curator"
DEMO_NAME = "Demo Curator"

# Each merchant's rate and, for some, a category path with a better one.
RATES: dict[str, tuple[Decimal, tuple[tuple[str, Decimal], ...]]] = {
    "Maison Lumière": (Decimal("0.08"), (("Lighting", Decimal("0.10")),)),
    "Trailhead Outfitters": (Decimal("0.06"), ()),
    "Nordlys Coffee": (Decimal("0.12"), (("Equipment", Decimal("0.07")),)),
    "Atelier Verde": (Decimal("0.09"), (("Accessories", Decimal("0.15")),)),
}
DEFAULT_RATE = Decimal("0.08")


@dataclass(frozen=True, slots=True)
class DemoReport:
    email: str
    password: str
    account_created: bool
    merchants_added: list[str]
    reports: list[ImportReport]


def seed(db: Database, passwords: Passwords) -> DemoReport:
    """Make the demo dataset in ``db`` (already migrated); one transaction per feed."""
    from studio.feeds import open_feed
    from studio.media.demo import demo_feeds

    created = False
    with db.write() as s:
        if accounts.find_user(s, DEMO_EMAIL) is None:
            accounts.create_user(
                s,
                passwords,
                email=DEMO_EMAIL,
                password=DEMO_PASSWORD,
                display_name=DEMO_NAME,
                handle=DEMO_HANDLE,
                role="expert",
            )
            created = True
    added: list[str] = []
    reports: list[ImportReport] = []
    for feed_entry in demo_feeds():
        with db.write() as s:
            merchant = s.scalars(
                select(Merchant).where(Merchant.name == feed_entry.merchant)
            ).first()
            if merchant is None:
                rate, categories = RATES.get(feed_entry.merchant, (DEFAULT_RATE, ()))
                merchant, _secret = catalog.add_merchant(s, feed_entry.merchant, rate, categories)
                added.append(merchant.name)
            with open_feed(
                feed_entry.path,
                feed_entry.merchant,
                feed_entry.format,
                default_currency=feed_entry.default_currency,
                shop_url=feed_entry.shop_url,
                parallel=False,
            ) as feed:
                reports.append(catalog.ingest(s, merchant, feed.format, feed))
    return DemoReport(DEMO_EMAIL, DEMO_PASSWORD, created, added, reports)
