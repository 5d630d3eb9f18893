"""Feed imports as jobs: a merchant's feed file parsed and stored, then references re-linked.

``import_feeds`` is the catalog's write job (the writer lane's catalog queue in the desktop;
run in place by the command line): each feed is parsed (``studio.feeds.open_feed``, in a
child process for large files) and stored in ONE catalog transaction, all or nothing, and
reports ``Changes`` with ``catalog`` set. ``relink_products`` is the content job that follows
every import: each product reference of the curator's content (tags, board items, shelved
products, reviews) is pointed at its product in the catalog as it now is, so a tag restored
from an archive before its merchant's feed arrived finds its product the moment it does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from studio.core.catalog import ImportReport
from studio.core.changes import CATALOG_CHANGED
from studio.core.errors import FeedError, ImportCancelled

if TYPE_CHECKING:  # the stores load with the workspace, not with this module (CLI start-up)
    from studio.services.workspace import Stores


@dataclass(frozen=True, slots=True)
class FeedJob:
    """One feed to import: the file, the merchant, its format ("auto": detected), whether it
    is the merchant's whole catalog (``full``: offers it lacks become unavailable)."""

    path: Path
    merchant: str
    format: str = "auto"
    full: bool = True
    default_currency: str | None = None
    shop_url: str | None = None


class FeedProgress:
    """Written by the job, read by whoever shows it (plain attribute writes are atomic): a
    window polls it; a terminal overrides ``tick``, called after each update."""

    def __init__(self) -> None:
        self.jobs = 1
        self.job = 0
        self.items = 0
        self.fraction = 0.0
        self.merchant = ""

    def tick(self) -> None:
        """Called on the job's thread after each update (every few thousand items)."""


JobSource = Sequence[FeedJob] | Callable[[], Sequence[FeedJob]]


def import_feeds(
    ws: Stores,
    jobs: JobSource,
    progress: FeedProgress | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> list[ImportReport]:
    """Import ``jobs`` one after the other, each its own all-or-nothing transaction; the
    reports. ``jobs`` may be a callable preparing them (the demo writes its feed copies), so
    that work stays off the caller's thread too. FeedError (what and where) for a feed that
    cannot be read; ImportCancelled when ``cancelled()`` turned true (the current feed's
    transaction rolled back; earlier feeds stay imported)."""
    from studio.feeds import open_feed  # the parsers load in the job, not at start-up
    from studio.store import tx

    if callable(jobs):
        jobs = jobs()
    shown = progress or FeedProgress()
    shown.jobs = max(1, len(jobs))
    reports = []
    for n, job in enumerate(jobs):
        shown.job, shown.items, shown.merchant = n, 0, job.merchant
        if not job.path.is_file():
            raise FeedError("no such file", where=str(job.path))
        # ``with``: a feed parsed in a child process stops it at once on cancel or error.
        with open_feed(
            job.path,
            job.merchant,
            job.format,
            default_currency=job.default_currency,
            shop_url=job.shop_url,
        ) as feed:

            def tick(items: int, fraction: Callable[[], float] = feed.fraction_read) -> bool:
                shown.items = items
                shown.fraction = fraction()
                shown.tick()
                return not cancelled()

            if cancelled():
                raise ImportCancelled("import cancelled")
            report = ws.catalog.import_feed(
                job.merchant, feed.format, feed, full=job.full, progress=tick
            )
        tx.note(CATALOG_CHANGED)
        reports.append(report)
    return reports


def relink_products(ws: Stores) -> int:
    """Re-link the content's product references to the catalog (see the module docstring);
    how many changed. A content write job."""
    from studio.store import records, tx

    with tx.write(ws.db) as conn:
        return records.relink(conn)
