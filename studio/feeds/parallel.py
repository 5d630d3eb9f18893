"""Parse a feed in a child process so that parsing and storing use two cores.

Parsing a large Google XML feed (lxml + :class:`~studio.feeds.records.RecordBuilder`) costs
about as much CPU as storing it, and both run Python code that holds the GIL: on one process
they take turns. :class:`ParallelFeed` runs the very same :class:`~studio.feeds.Feed` in a
child process and streams its items back in batches, so the importing thread only rebuilds
records and stores them.

The child is a fresh interpreter (``sys.executable -c ...``, the parent's ``sys.path``),
spawned the way multiprocessing's "spawn" method does but without its machinery: never a
``fork`` of this process (the desktop app has threads; a forked copy of a threaded process can
deadlock), and, unlike multiprocessing, no re-import of the caller's ``__main__`` in the child
(which re-ran unguarded scripts, failed with "bootstrapping phase" errors, and would import
the whole Qt app for the desktop). Start-up costs about 75 ms to the first item (the
interpreter and lxml), repaid from a few MB of feed on: see ``open_feed(parallel=None)``.

Wire format, chosen for cheap encoding and decoding: each message is one ``marshal``-ed tuple
``(kind, fraction_read, payload)``. A batch's payload is a list of plain tuples: a record is
its field values in ``ProductRecord`` field order without ``merchant`` (25 values; Money as
``(minor, currency)``, datetimes as ISO strings, enums as their values), a rejected row is
``(where, reason, offer_id)``. Measured per item on the generated catalog: marshal (version
2) dumps 1.1 µs and loads 1.0 µs; pickle 1.9 / 1.1 µs for the same tuples; pickling the
ProductRecord objects themselves 7.0 / 6.4 µs. A batch holding a value marshal refuses (a
``str`` subclass) falls back to pickle, flagged by the first byte. Encoding costs 1.5 µs a
record, rebuilding 2.3 µs (see :class:`_Unfrozen`).

Semantics are Feed's: same items in the same order, a ``FeedError`` from the child is
re-raised (same reason and where) after the items that preceded it, a child that dies is a
``FeedError`` rather than a hang, and stopping early (``close()``, leaving a ``with`` block,
or dropping the iterator) terminates and joins the child. At most :data:`IN_FLIGHT` batches
wait in the child, plus one in the pipe, so memory stays bounded whatever the file size.
"""

from __future__ import annotations

import gc
import json
import marshal
import os
import pickle
import queue
import subprocess
import sys
import threading
import traceback
import weakref
from collections.abc import Callable, Generator, Iterator
from dataclasses import fields
from datetime import datetime
from functools import lru_cache
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from studio.core.errors import FeedError, StudioError
from studio.core.money import Money
from studio.core.product import Availability, Condition, ProductRecord, RejectedRow
from studio.feeds import Feed

__all__ = ["BATCH", "IN_FLIGHT", "ParallelFeed"]

BATCH = 2_000  # items per message: large enough to amortise a message, small for latency
IN_FLIGHT = 4  # encoded batches the child may hold ahead of the parent (bounded memory)
POLL_SECONDS = 0.25  # how often a waiting parent checks that the child is still alive
JOIN_SECONDS = 5.0

_MARSHAL, _PICKLE = b"m", b"p"
# The child's sys.path is the parent's before anything of studio is imported.
_CHILD_CODE = (
    "import json, sys; args = json.loads(sys.argv[1]); sys.path[:] = args['sys_path']; "
    "from studio.feeds.parallel import _child_entry; _child_entry(args)"
)
_BATCH, _END, _FEED_ERROR, _CRASH = "b", "e", "x", "u"

_AVAILABILITY = {a.value: a for a in Availability}
_CONDITION = {c.value: c for c in Condition}


# -- child side -------------------------------------------------------------------------------


def _encode(item: ProductRecord | RejectedRow) -> tuple[Any, ...]:
    if type(item) is RejectedRow:
        return (item.where, item.reason, item.offer_id)
    r: ProductRecord = item  # type: ignore[assignment]
    p, s, ss, se, ad, c = (
        r.price,
        r.sale_price,
        r.sale_start,
        r.sale_end,
        r.availability_date,
        r.condition,
    )
    return (
        r.offer_id,
        r.title,
        r.item_group_id,
        r.description,
        r.link,
        r.image_link,
        r.additional_images,
        None if p is None else (p.minor, p.currency),
        None if s is None else (s.minor, s.currency),
        None if ss is None else ss.isoformat(),
        None if se is None else se.isoformat(),
        r.availability.value,
        None if ad is None else ad.isoformat(),
        None if c is None else c.value,
        r.brand,
        r.gtin,
        r.mpn,
        r.google_category,
        r.product_type,
        r.color,
        r.size,
        r.gender,
        r.age_group,
        r.material,
        r.extra,
    )


def _dumps(message: tuple[Any, ...]) -> bytes:
    try:
        # Version 2 writes no back-references: measured a third faster, 13% more bytes.
        return _MARSHAL + marshal.dumps(message, 2)
    except ValueError:  # a value marshal does not know (a str subclass): pickle copes
        return _PICKLE + pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)


def _child_entry(args: dict[str, Any]) -> None:
    """Entry of the child (see _CHILD_CODE): ``args`` came as JSON, the pipe's fd among them."""
    import signal

    # Ctrl-C in a terminal reaches the whole process group: the parent handles it (and stops
    # this child), so the child must not report it as a failure of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The parser makes no reference cycles worth hunting per batch: collect rarely, not every
    # 700 allocations (the default scans cost the child ~10% of its time on a large feed).
    gc.freeze()
    gc.set_threshold(50_000, 50, 50)
    # This process exists only to parse: let the builder fill its records the fast way too
    # (the same frozen ProductRecord objects, made in a third of the time; see _Unfrozen).
    from studio.feeds import records

    setattr(records, "ProductRecord", _make_record)  # noqa: B010 (mypy: the name is imported)
    _child_main(
        Connection(args["fd"], readable=False),
        args["path"],
        args["merchant"],
        args["format"],
        args["default_currency"],
        args["shop_url"],
        args["batch"],
    )


def _child_main(
    conn: Connection,
    path: str,
    merchant: str,
    fmt: str,
    default_currency: str | None,
    shop_url: str | None,
    batch: int,
) -> None:
    """Parse with Feed, send batches, then an end or error message.

    A sender thread writes to the pipe (the write releases the GIL) while this thread keeps
    parsing, up to IN_FLIGHT batches ahead; if the parent has gone, the child just exits.
    """
    import os

    from studio.feeds import Feed

    outbox: queue.Queue[bytes | None] = queue.Queue(maxsize=IN_FLIGHT)

    def send() -> None:
        try:
            while (data := outbox.get()) is not None:
                conn.send_bytes(data)
        except OSError:  # the parent closed its end: nobody is listening any more
            os._exit(0)

    sender = threading.Thread(target=send, name="feed-sender", daemon=True)
    sender.start()
    feed = Feed(Path(path), merchant, fmt, default_currency=default_currency, shop_url=shop_url)
    encode = _encode
    items: list[tuple[Any, ...]] = []
    try:
        try:
            for item in feed:
                items.append(encode(item))
                if len(items) >= batch:
                    outbox.put(_dumps((_BATCH, feed.fraction_read(), items)))
                    items = []
        except FeedError as exc:
            outbox.put(_dumps((_BATCH, feed.fraction_read(), items)))
            outbox.put(_dumps((_FEED_ERROR, exc.reason, exc.where)))
        except BaseException as exc:  # a bug, not the file: hand the parent its traceback
            outbox.put(_dumps((_BATCH, feed.fraction_read(), items)))
            text = "".join(traceback.format_exception(exc))
            outbox.put(_dumps((_CRASH, f"{type(exc).__name__}: {exc}", text)))
        else:
            outbox.put(_dumps((_BATCH, 1.0, items)))
            outbox.put(_dumps((_END, 1.0, None)))
    finally:
        outbox.put(None)
        sender.join()
        conn.close()


# -- parent side ------------------------------------------------------------------------------

_parse_moment = lru_cache(maxsize=4096)(datetime.fromisoformat)


def _decode(
    merchant: str, t: tuple[Any, ...], money: dict[tuple[int, str], Money]
) -> ProductRecord | RejectedRow:
    if len(t) == 3:
        return RejectedRow(t[0], t[1], t[2])
    (
        offer_id,
        title,
        group,
        description,
        link,
        image,
        images,
        price,
        sale,
        sale_start,
        sale_end,
        availability,
        availability_date,
        condition,
        brand,
        gtin,
        mpn,
        google_category,
        product_type,
        color,
        size,
        gender,
        age_group,
        material,
        extra,
    ) = t
    # Prices repeat across a catalog: share one Money per (minor, currency), checked once.
    if price is not None:
        price = money.get(price) or _money(price, money)
    if sale is not None:
        sale = money.get(sale) or _money(sale, money)
    return _make_record(
        merchant,
        offer_id,
        title,
        group,
        description,
        link,
        image,
        images,
        price,
        sale,
        None if sale_start is None else _parse_moment(sale_start),
        None if sale_end is None else _parse_moment(sale_end),
        _AVAILABILITY[availability],
        None if availability_date is None else _parse_moment(availability_date),
        None if condition is None else _CONDITION[condition],
        brand,
        gtin,
        mpn,
        google_category,
        product_type,
        color,
        size,
        gender,
        age_group,
        material,
        extra,
    )


class _Unfrozen:
    """ProductRecord's slot layout without its frozen ``__setattr__``, to fill one quickly.

    A frozen dataclass sets each of its 26 fields with an ``object.__setattr__`` call (about
    2.6 µs a record, measured); plain slot stores cost a third of that. The filled object then
    becomes a ProductRecord by ``__class__`` assignment, which Python allows between classes of
    identical slot layout. ProductRecord has no ``__post_init__``, so nothing is skipped.
    """

    __slots__ = tuple(f.name for f in fields(ProductRecord))


def _compile_record_maker() -> Callable[..., ProductRecord]:
    names = ", ".join(_Unfrozen.__slots__)
    stores = "".join(f"    o.{name} = {name}\n" for name in _Unfrozen.__slots__)
    source = (
        f"def make({names}):\n    o = new(Unfrozen)\n{stores}"
        "    o.__class__ = ProductRecord\n    return o\n"
    )
    namespace: dict[str, Any] = {
        "new": object.__new__,
        "Unfrozen": _Unfrozen,
        "ProductRecord": ProductRecord,
    }
    exec(source, namespace)  # as dataclasses itself builds __init__
    make: Callable[..., ProductRecord] = namespace["make"]
    return make


assert not hasattr(ProductRecord, "__post_init__"), "_make_record would skip its checks"
_make_record = _compile_record_maker()


def _money(key: tuple[int, str], memo: dict[tuple[int, str], Money]) -> Money:
    if len(memo) >= 8192:
        memo.clear()
    memo[key] = value = Money(key[0], key[1])
    return value


class ParallelFeed(Feed):
    """A Feed whose parsing runs in a child process; iterate it exactly like a Feed."""

    def __init__(
        self,
        path: Path,
        merchant: str,
        format: str,
        *,
        default_currency: str | None = None,
        shop_url: str | None = None,
        batch: int = BATCH,
    ) -> None:
        super().__init__(
            path, merchant, format, default_currency=default_currency, shop_url=shop_url
        )
        self.batch = batch
        self._fraction = 0.0
        # Weak: an iterator its caller dropped (an exception unwound the importer) is collected,
        # and its `finally` stops the child, even while this feed object lives on.
        self._iterator: weakref.ref[Generator[ProductRecord | RejectedRow, None, None]] | None
        self._iterator = None
        self.process: subprocess.Popen[bytes] | None = None  # the live child, while iterating

    def __iter__(self) -> Iterator[ProductRecord | RejectedRow]:
        self.close()  # a new pass restarts from the beginning, like Feed
        iterator = self._stream()
        self._iterator = weakref.ref(iterator)
        return iterator

    def fraction_read(self) -> float:
        """Approximate progress, 0..1: the child's position when it sent the current batch."""
        return self._fraction

    def close(self) -> None:
        """Stop the current pass, if any: the child is terminated and joined."""
        ref, self._iterator = self._iterator, None
        iterator = ref() if ref is not None else None
        if iterator is not None:
            iterator.close()

    def _stream(self) -> Generator[ProductRecord | RejectedRow, None, None]:
        self._fraction = 0.0
        read_fd, write_fd = os.pipe()
        args = {
            "fd": write_fd,
            "path": str(self.path),
            "merchant": self.merchant,
            "format": self.format,
            "default_currency": self.default_currency,
            "shop_url": self.shop_url,
            "batch": self.batch,
            "sys_path": sys.path,
        }
        reader = Connection(read_fd, writable=False)
        process: subprocess.Popen[bytes] | None = None
        finished = False
        try:
            try:
                process = subprocess.Popen(
                    [sys.executable, "-c", _CHILD_CODE, json.dumps(args)],
                    stdin=subprocess.DEVNULL,
                    pass_fds=(write_fd,),
                    close_fds=True,
                )
            except OSError as exc:
                raise StudioError(f"cannot start the feed reader process: {exc}") from exc
            finally:
                os.close(write_fd)  # only the child writes: its death then reads as end-of-file
            self.process = process
            merchant, decode = self.merchant, _decode
            money: dict[tuple[int, str], Money] = {}
            while True:
                kind, fraction, payload = self._receive(reader, process)
                if kind == _BATCH:
                    self._fraction = fraction
                    for t in payload:
                        yield decode(merchant, t, money)
                elif kind == _END:
                    finished = True
                    self._fraction = 1.0
                    return
                elif kind == _FEED_ERROR:
                    finished = True
                    raise FeedError(fraction, where=payload)
                else:
                    finished = True
                    raise StudioError(f"the feed reader failed ({fraction})\n{payload}")
        finally:
            reader.close()
            if process is not None:
                _stop(process, finished)
            self.process = None

    def _receive(
        self,
        reader: Connection,
        process: subprocess.Popen[bytes],
    ) -> tuple[Any, Any, Any]:
        while not reader.poll(POLL_SECONDS):
            if process.poll() is not None and not reader.poll(0):
                break
        try:
            data = reader.recv_bytes()
        except (EOFError, OSError):
            try:
                code = process.wait(JOIN_SECONDS)
            except subprocess.TimeoutExpired:
                code = None
            raise FeedError(
                f"the feed reader process stopped unexpectedly (exit code {code})",
                where=self.path.name,
            ) from None
        message: tuple[Any, Any, Any] = (
            marshal.loads(memoryview(data)[1:])
            if data[:1] == _MARSHAL
            else pickle.loads(memoryview(data)[1:])
        )
        return message


def _stop(process: subprocess.Popen[bytes], finished: bool) -> None:
    """Reap the child (terminating it first unless it finished): no orphan, no zombie."""
    if not finished:
        process.terminate()
    try:
        process.wait(JOIN_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
