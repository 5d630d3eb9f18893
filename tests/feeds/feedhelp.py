"""Shared helpers for the feed tests (imported by name: pytest puts this folder on sys.path)."""

from __future__ import annotations

from pathlib import Path

from studio.core.product import ProductRecord, RejectedRow
from studio.feeds import open_feed

DATA = Path(__file__).parent / "data"


def read_feed(
    path: Path,
    fmt: str = "auto",
    *,
    default_currency: str | None = None,
    shop_url: str | None = None,
) -> tuple[list[ProductRecord], list[RejectedRow]]:
    """Every record and rejection of a feed, in order."""
    records: list[ProductRecord] = []
    rejected: list[RejectedRow] = []
    for item in open_feed(
        path, "test-merchant", fmt, default_currency=default_currency, shop_url=shop_url
    ):
        if isinstance(item, ProductRecord):
            records.append(item)
        else:
            rejected.append(item)
    return records, rejected


def by_id(records: list[ProductRecord]) -> dict[str, ProductRecord]:
    return {r.offer_id: r for r in records}


def extra(record: ProductRecord, key: str) -> list[str]:
    return [v for k, v in record.extra if k == key]
