"""Merchant feed parsers: Google Merchant XML/TSV, Shopify JSON/CSV, WooCommerce CSV -> records.

The public API, used by the desktop import and the server's ingest alike::

    feed = open_feed(path, merchant="acme", fmt="auto", default_currency="EUR")
    for item in feed:                 # ProductRecord or RejectedRow, streamed
        ...
    feed.fraction_read()              # 0..1, for a progress bar

Iteration raises :class:`~studio.core.errors.FeedError` when the file as a whole is unusable
(hostile XML, a gzip bomb, undecodable text, truncated structure...), possibly after some
records were yielded; the caller then discards what it stored. Row-level problems are yielded as
:class:`~studio.core.product.RejectedRow`. Nothing here touches the network or a database.

Rules shared by every format (details in each module's docstring):

* currency: a currency stated in the feed wins; else ``default_currency``; else USD (Shopify
  and WooCommerce exports never state one; a Google price without one gets a note);
* identifiers: an invalid GTIN (bad check digit, Excel's "3.65275E+11") is dropped with a
  ("note", ...) entry in ``extra``, never repaired, and the offer is kept;
* not publicly visible (Shopify draft/archived/unpublished, WooCommerce draft/private):
  imported as OUT_OF_STOCK with ("status", ...) in ``extra``;
* rejected rows: missing id/title/price, id over 50 characters, a value over 1 MB, money that
  is not exact (NaN, 1e309, negative, garbled), unknown availability, a second offer with an
  id already seen in the feed.
"""

from __future__ import annotations

import csv
import io
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Self

from studio.core.errors import FeedError
from studio.core.product import ProductRecord, RejectedRow
from studio.feeds.guards import FeedSource, strip_bom
from studio.feeds.records import Item, RecordBuilder
from studio.feeds.seen import SeenIds
from studio.feeds.shopify_csv import parse_shopify_csv
from studio.feeds.shopify_json import parse_shopify_json
from studio.feeds.tsv_google import attribute_name, parse_google_tsv
from studio.feeds.woocommerce_csv import parse_woocommerce_csv
from studio.feeds.xml_google import feed_title, parse_google_xml, xml_root_name

if TYPE_CHECKING:
    from studio.feeds.parallel import ParallelFeed

__all__ = [
    "FORMATS",
    "PARALLEL_MIN_BYTES",
    "Feed",
    "FeedError",
    "detect_format",
    "feed_name",
    "open_feed",
]

# open_feed(parallel=None) parses in a child process from this file size up: below it the
# child's start-up (a fresh interpreter importing the parsers) is not repaid.
PARALLEL_MIN_BYTES = 8 * 1024**2

FORMATS: tuple[str, ...] = (
    "google-xml",
    "google-tsv",
    "shopify-json",
    "shopify-csv",
    "woocommerce-csv",
)

Parser = Callable[[FeedSource, RecordBuilder, "str | None"], Iterator[Item]]


def _xml(source: FeedSource, builder: RecordBuilder, shop_url: str | None) -> Iterator[Item]:
    return parse_google_xml(source, builder)


def _tsv(source: FeedSource, builder: RecordBuilder, shop_url: str | None) -> Iterator[Item]:
    return parse_google_tsv(source, builder)


_PARSERS: dict[str, Parser] = {
    "google-xml": _xml,
    "google-tsv": _tsv,
    "shopify-json": parse_shopify_json,
    "shopify-csv": parse_shopify_csv,
    "woocommerce-csv": parse_woocommerce_csv,
}


def detect_format(path: Path) -> str:
    """Name the format of ``path`` from its content (gzip is looked through).

    XML with an ``rss``/``feed`` root is google-xml; JSON is shopify-json; a CSV header with
    Handle and Variant Price is shopify-csv; one with Type and Regular price is
    woocommerce-csv; a tab- (or comma-) separated header with id and title is google-tsv.
    """
    with FeedSource(Path(path)) as source:
        try:
            return _detect(source)
        except FeedError as exc:
            if exc.where:
                raise
            raise FeedError(exc.reason, where=source.path.name) from exc


def feed_name(path: Path) -> str | None:
    """The store's name when the feed states one, else None (never an error: the name only
    pre-fills the import form). Only Google Merchant XML names its store (the RSS channel's or
    the Atom feed's title); Shopify's ``vendor`` and WooCommerce's columns name brands, and
    their exports carry no store name at all."""
    try:
        with FeedSource(Path(path)) as source:
            if _detect(source) != "google-xml":
                return None
        with FeedSource(Path(path)) as source:
            return feed_title(source)
    except FeedError:
        return None


def _detect(source: FeedSource) -> str:
    head = strip_bom(source.peek_head()).lstrip(b" \t\r\n")
    where = source.path.name
    if not head:
        raise FeedError("the file is empty", where=where)
    if head[:1] == b"<" or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        root = xml_root_name(head)
        if root in ("rss", "feed"):
            return "google-xml"
        raise FeedError(f"unrecognised feed format: XML with root element <{root}>", where=where)
    if head[:1] in (b"{", b"["):
        return "shopify-json"
    first_line = head.split(b"\n", 1)[0].decode("utf-8", errors="replace").rstrip("\r")
    if "\ufffd" not in first_line and len(first_line) < 20_000:
        delimiter = "\t" if "\t" in first_line else ","
        header = next(csv.reader(io.StringIO(first_line), delimiter=delimiter), [])
        names = {h.strip().lower() for h in header}
        if {"handle", "variant price"} <= names:
            return "shopify-csv"
        if {"type", "regular price"} <= names:
            return "woocommerce-csv"
        if {"id", "title"} <= {attribute_name(h) for h in header}:
            return "google-tsv"
    raise FeedError(
        "unrecognised feed format (expected Google Merchant XML/TSV, Shopify JSON/CSV or "
        "WooCommerce CSV)",
        where=where,
    )


class Feed:
    """One feed file, read lazily: iterate to stream its records (each pass re-reads it)."""

    def __init__(
        self,
        path: Path,
        merchant: str,
        format: str,
        *,
        default_currency: str | None = None,
        shop_url: str | None = None,
    ) -> None:
        if format not in FORMATS:
            raise FeedError(f"unknown feed format {format!r} (known: {', '.join(FORMATS)})")
        self.path = Path(path)
        self.merchant = merchant
        self.format = format
        self.default_currency = default_currency
        self.shop_url = shop_url
        self._source: FeedSource | None = None
        self._done = False

    def __iter__(self) -> Iterator[ProductRecord | RejectedRow]:
        seen = SeenIds()
        builder = RecordBuilder(self.merchant, self.default_currency, seen)
        self._done = False
        with closing(seen), FeedSource(self.path) as source:
            self._source = source
            if not source.peek_head(1):
                raise FeedError("the file is empty", where=self.path.name)
            try:
                yield from _PARSERS[self.format](source, builder, self.shop_url)
            except FeedError as exc:
                if exc.where:
                    raise
                raise FeedError(exc.reason, where=self.path.name) from exc
            except MemoryError as exc:
                raise FeedError("the feed is too large to read") from exc
            except RecursionError as exc:
                raise FeedError("the feed is nested too deeply") from exc
            finally:
                self._done = True

    def fraction_read(self) -> float:
        """Approximate progress, 0..1, by bytes consumed from the file on disk."""
        if self._done:
            return 1.0
        return self._source.fraction_read() if self._source is not None else 0.0

    def close(self) -> None:
        """Nothing to release between passes; here so Feed and ParallelFeed are used alike."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({str(self.path)!r}, merchant={self.merchant!r}, "
            f"format={self.format!r})"
        )


def open_feed(
    path: Path,
    merchant: str,
    fmt: str = "auto",
    *,
    default_currency: str | None = None,
    shop_url: str | None = None,
    parallel: bool | None = None,
) -> Feed | ParallelFeed:
    """A Feed for ``path``; ``fmt="auto"`` detects the format from the content.

    ``default_currency`` applies where the feed states none (Shopify and WooCommerce never do;
    USD otherwise). ``shop_url`` ("https://shop.example") lets Shopify and WooCommerce offers
    get a product link, which their exports lack.

    ``parallel``: True parses in a child process (:class:`ParallelFeed`: the caller's thread
    then only stores, and parsing uses another core), False in the iterating thread; None
    chooses the child for a file of :data:`PARALLEL_MIN_BYTES` or more on a machine with more
    than one core (never in a frozen build, whose executable is not a plain interpreter).
    Both yield the same items in the same order.
    """
    path = Path(path)
    if fmt == "auto":
        fmt = detect_format(path)
    if parallel is None:
        parallel = _worth_a_child(path)
    if parallel:
        from studio.feeds.parallel import ParallelFeed

        return ParallelFeed(
            path, merchant, fmt, default_currency=default_currency, shop_url=shop_url
        )
    return Feed(path, merchant, fmt, default_currency=default_currency, shop_url=shop_url)


def _worth_a_child(path: Path) -> bool:
    if (os.cpu_count() or 1) < 2 or getattr(sys, "frozen", False) or not sys.executable:
        return False
    try:
        return path.stat().st_size >= PARALLEL_MIN_BYTES
    except OSError:
        return False  # Feed reports the unreadable file with its usual message
