"""The platform's catalog: merchants and their rates, feed ingest, and the change log.

Every change to a product row (added, updated, no longer listed, its effective rate changed)
gives it a new ``seq`` from the one-row ``catalog_counter``. The counter is taken with an
``UPDATE`` in the same transaction as the rows it numbers, so its row lock (PostgreSQL) or
the database's write lock (SQLite) is held until COMMIT: a second writer waits, then numbers
after the first one's numbers. Commit order is therefore sequence order, and a reader that
has seen ``seq`` N has seen every change numbered below N: ``after=cursor`` misses nothing.

A product row keeps its wire payload (``catalog_wire.product_to_wire`` as compact JSON) and
a digest of it: a re-ingest that changes nothing about a product leaves its seq alone. It also
keeps ``change_head``, the JSON of its Change up to the product (``{"seq":..,"merchant":..,
"offer_id":..,"available":..,"commission_rate":..,"product":``), rewritten by every writer that
gives the row a new seq: a page of changes is then three columns per row and string joins, no
JSON encoding per request (measured in docs/server.md).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from studio.core.catalog import ImportReport
from studio.core.product import ProductRecord, RejectedRow
from studio.protocol.catalog_wire import product_to_wire
from studio.server import security
from studio.server.accounts import now_utc
from studio.server.models import CatalogCounter, CategoryRate, Merchant, Product
from studio.server.problems import Problem
from studio.server.rates import RateTable, canonical

BATCH = 5000


def _json(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def change_head(seq: int, merchant: str, offer_id: str, available: bool, rate: str) -> str:
    """A Change's JSON text before its product: the page appends the payload (or ``null``)
    and the closing brace."""
    return (
        f'{{"seq":{seq},"merchant":{_json(merchant)},"offer_id":{_json(offer_id)},'
        f'"available":{"true" if available else "false"},"commission_rate":"{rate}","product":'
    )


def take_seqs(s: Session, n: int) -> int:
    """Reserve ``n`` sequence numbers (0: only lock the counter); the first of them. Holds
    the counter until commit."""
    s.execute(
        update(CatalogCounter).where(CatalogCounter.id == 1).values(value=CatalogCounter.value + n)
    )
    last = s.scalar(select(CatalogCounter.value).where(CatalogCounter.id == 1))
    assert last is not None  # made by migration s0001
    return int(last) - n + 1


def find_merchant(s: Session, name: str) -> Merchant:
    merchant = s.scalars(select(Merchant).where(Merchant.name == name)).first()
    if merchant is None:
        raise Problem("not-found", f"no merchant named {name!r}")
    return merchant


def add_merchant(
    s: Session, name: str, rate: Decimal, categories: Sequence[tuple[str, Decimal]] = ()
) -> tuple[Merchant, str]:
    """A new merchant and its webhook secret (shown once, to the admin adding it)."""
    name = name.strip()
    if not name or len(name) > 200:
        raise Problem("validation", "a merchant's name has 1 to 200 characters")
    if s.scalars(select(Merchant.id).where(Merchant.name == name)).first() is not None:
        raise Problem("conflict", f"a merchant named {name!r} exists")
    secret = security.webhook_secret()
    merchant = Merchant(
        id=uuid.uuid4(),
        name=name,
        rate=canonical(rate),
        webhook_secret=secret,
        created_at=now_utc(),
    )
    s.add(merchant)
    s.flush()
    for path, path_rate in categories:
        s.add(CategoryRate(merchant_id=merchant.id, path=path.strip(), rate=canonical(path_rate)))
    s.flush()
    return merchant, secret


def merchants(s: Session) -> list[Merchant]:
    return list(s.scalars(select(Merchant).order_by(Merchant.name)))


def rate_table(s: Session, merchant_id: uuid.UUID) -> RateTable:
    """The merchant's rates as committed now: read by column, never from an ORM object that
    may have been loaded before the counter was locked (PostgreSQL reads committed data per
    statement)."""
    rate = s.scalar(select(Merchant.rate).where(Merchant.id == merchant_id))
    rows = s.execute(
        select(CategoryRate.path, CategoryRate.rate).where(CategoryRate.merchant_id == merchant_id)
    ).all()
    return RateTable(str(rate), rows)


def set_rate(
    s: Session,
    merchant_name: str,
    rate: Decimal | None,
    *,
    category: str | None = None,
    offer_id: str | None = None,
) -> int:
    """Set (``rate``) or clear (None: category and product rates only) one rate, then renumber
    every product whose effective rate changed; how many were."""
    # The counter first: every catalog writer locks it before any product row, so two of
    # them (an ingest and a product's rate) can never wait on each other in a cycle.
    take_seqs(s, 0)
    merchant = find_merchant(s, merchant_name)
    text = None if rate is None else canonical(rate)
    if offer_id is not None:
        product = s.scalars(
            select(Product).where(Product.merchant_id == merchant.id, Product.offer_id == offer_id)
        ).first()
        if product is None:
            raise Problem("not-found", f"{merchant.name} has no offer {offer_id!r}")
        product.own_rate = text
    elif category is not None:
        path = category.strip()
        row = s.get(CategoryRate, (merchant.id, path))
        if text is None:
            if row is not None:
                s.delete(row)
        elif row is None:
            s.add(CategoryRate(merchant_id=merchant.id, path=path, rate=text))
        else:
            row.rate = text
    else:
        if text is None:
            raise Problem("validation", "a merchant always has a rate")
        merchant.rate = text
    s.flush()
    return _renumber_rates(s, merchant)


def _renumber_rates(s: Session, merchant: Merchant) -> int:
    table = rate_table(s, merchant.id)
    rows = s.execute(
        select(
            Product.id,
            Product.category,
            Product.own_rate,
            Product.effective_rate,
            Product.offer_id,
            Product.available,
        ).where(Product.merchant_id == merchant.id)
    ).all()
    changed = [
        (pid, new, offer, available)
        for pid, category, own, old, offer, available in rows
        if (new := table.effective(category, own)) != old
    ]
    if changed:
        first = take_seqs(s, len(changed))
        values = [
            {
                "id": pid,
                "effective_rate": rate,
                "seq": first + i,
                "change_head": change_head(first + i, merchant.name, offer, available, rate),
            }
            for i, (pid, rate, offer, available) in enumerate(changed)
        ]
        for start in range(0, len(values), BATCH):
            s.execute(update(Product), values[start : start + BATCH])
    return len(changed)


def encode(record: ProductRecord) -> str:
    return json.dumps(product_to_wire(record), separators=(",", ":"), ensure_ascii=False)


@dataclass(slots=True)
class _Known:
    id: int
    digest: str
    available: bool


def ingest(
    s: Session,
    merchant: Merchant,
    format_name: str,
    items: Iterable[ProductRecord | RejectedRow],
    *,
    full: bool = True,
) -> ImportReport:
    """Store a feed's items as ``merchant``'s catalog, in the caller's transaction.

    ``full``: the merchant's offers the feed lacks become unavailable. Rows the parsers
    refused, a sale price in another currency than the price, and a repeated offer id are
    reported, not stored. Any exception from ``items`` propagates (the caller rolls back)."""
    started = time.perf_counter()
    report = ImportReport(merchant=merchant.name, format=format_name)
    known = {
        offer: _Known(pid, digest, available)
        for pid, offer, digest, available in s.execute(
            select(Product.id, Product.offer_id, Product.digest, Product.available).where(
                Product.merchant_id == merchant.id
            )
        ).all()
    }
    seen: set[str] = set()
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    offers: dict[int, str] = {}  # an updated row's offer id, for its change_head
    for n, item in enumerate(items, start=1):
        if isinstance(item, RejectedRow):
            report.rejected.append(item)
            continue
        reason = _refusal(item, seen)
        if reason:
            report.rejected.append(RejectedRow(f"item {n}", reason, item.offer_id))
            continue
        seen.add(item.offer_id)
        if item.merchant != merchant.name:
            item = dataclasses.replace(item, merchant=merchant.name)
        payload = encode(item)
        digest = hashlib.sha256(payload.encode()).hexdigest()
        old = known.get(item.offer_id)
        if old is not None and old.digest == digest and old.available:
            report.unchanged += 1
            continue
        row: dict[str, Any] = {
            "available": True,
            "category": item.category,
            "digest": digest,
            "payload": payload,
        }
        if old is None:
            inserts.append({"merchant_id": merchant.id, "offer_id": item.offer_id, **row})
        else:
            updates.append({"id": old.id, **row})
            offers[old.id] = item.offer_id
    gone: list[dict[str, Any]] = []
    for offer, k in known.items():
        if full and k.available and offer not in seen:
            gone.append({"id": k.id, "available": False})
            offers[k.id] = offer
    total = len(inserts) + len(updates) + len(gone)
    if total:
        seq = take_seqs(s, total)
        # Rates are read only now, under the counter's lock: a rate changed while the feed
        # was parsed is committed by now and used here, never overwritten by a stale one.
        table = rate_table(s, merchant.id)
        own = dict(
            s.execute(
                select(Product.id, Product.own_rate).where(
                    Product.merchant_id == merchant.id, Product.own_rate.is_not(None)
                )
            ).all()
        )
        for new in inserts:
            new["effective_rate"] = table.for_category(new["category"])
        for changed in updates:
            changed["effective_rate"] = table.effective(changed["category"], own.get(changed["id"]))
        # A withdrawn offer keeps its rate: as committed now, under the lock, like the rates.
        kept = _rates_now(s, merchant.id) if gone else {}
        name = merchant.name
        for change in inserts:
            offer, rate = change["offer_id"], change["effective_rate"]
            change["seq"], change["change_head"] = seq, change_head(seq, name, offer, True, rate)
            seq += 1
        for change in updates:
            offer, rate = offers[change["id"]], change["effective_rate"]
            change["seq"], change["change_head"] = seq, change_head(seq, name, offer, True, rate)
            seq += 1
        for change in gone:
            offer, rate = offers[change["id"]], kept[change["id"]]
            change["seq"], change["change_head"] = seq, change_head(seq, name, offer, False, rate)
            seq += 1
        for start in range(0, len(inserts), BATCH):
            s.execute(insert(Product), inserts[start : start + BATCH])
        for rows in (updates, gone):
            for start in range(0, len(rows), BATCH):
                s.execute(update(Product), rows[start : start + BATCH])
    report.added, report.updated, report.marked_unavailable = len(inserts), len(updates), len(gone)
    report.seconds = time.perf_counter() - started
    return report


def _rates_now(s: Session, merchant_id: uuid.UUID) -> dict[int, str]:
    rows = s.execute(
        select(Product.id, Product.effective_rate).where(Product.merchant_id == merchant_id)
    ).all()
    return {pid: rate for pid, rate in rows}


def _refusal(item: ProductRecord, seen: set[str]) -> str | None:
    if item.offer_id in seen:
        return "duplicate offer id (an earlier item has it)"
    price, sale = item.price, item.sale_price
    if sale is not None and price is not None and sale.currency != price.currency:
        return (
            f"sale price currency {sale.currency} differs from the price currency {price.currency}"
        )
    return None
