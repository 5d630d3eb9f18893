"""The commission filter's band of every product, for the catalog's filter and facet counts.

A product's band is the index in ``studio.core.catalog.COMMISSION_BANDS`` of the bound its
platform commission rate reaches (``products.commission_ppm``, catalog revision c0003), or
``NO_COMMISSION`` (-1) when it has none: every product of a merchant imported by hand. The
bands are one ``int8`` per product id (1 MB at 1M products), read band by band along the
``ix_products_commission`` index the first time a filter or a facet count needs them after a
catalog change; a catalog without a single platform rate (the index says so at once) keeps
no array at all, and its facet is empty.
"""

from __future__ import annotations

import itertools
import sqlite3
import threading

import numpy as np
import numpy.typing as npt

from studio.core.catalog import COMMISSION_BANDS, NO_COMMISSION, SearchQuery
from studio.store.db import Database

BandArray = npt.NDArray[np.int8]
BoolArray = npt.NDArray[np.bool_]
#: Facet slots: band -1 (no rate) first, then each of COMMISSION_BANDS.
SLOTS = len(COMMISSION_BANDS) + 1


def load_bands(conn: sqlite3.Connection, size: int) -> BandArray | None:
    """The band of every product id below ``size``; None when no product has a rate."""
    rated = conn.execute(
        "SELECT 1 FROM products WHERE commission_ppm IS NOT NULL LIMIT 1"
    ).fetchone()
    if rated is None:
        return None
    bands = np.full(size, NO_COMMISSION, dtype=np.int8)
    bounds: tuple[int | None, ...] = (*COMMISSION_BANDS, None)
    for band, (low, high) in enumerate(itertools.pairwise(bounds)):
        where = "commission_ppm >= ?" + ("" if high is None else " AND commission_ppm < ?")
        args = (low,) if high is None else (low, high)
        text = conn.execute(
            f"SELECT group_concat(id) FROM products WHERE {where}", args
        ).fetchone()[0]
        if text:
            ids = np.fromstring(text, dtype=np.int64, sep=",")
            bands[ids[ids < size]] = band
    bands.setflags(write=False)
    return bands


class BandCache:
    """The bands of one catalog, loaded once per catalog change, shared by every thread."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._lock = threading.Lock()
        self._loaded: tuple[int, BandArray | None] | None = None  # (size, bands)
        self._generation = 0

    def get(self, size: int) -> BandArray | None:
        loaded = self._loaded
        if loaded is not None and loaded[0] == size:
            return loaded[1]
        with self._lock:
            while self._loaded is None or self._loaded[0] != size:
                generation = self._generation
                with self._db.connect() as conn:
                    bands = load_bands(conn, size)
                if generation == self._generation:
                    self._loaded = (size, bands)
            return self._loaded[1]

    def invalidate(self) -> None:
        self._generation += 1
        self._loaded = None


def band_mask(q: SearchQuery, bands: BandArray | None, ids: npt.NDArray[np.integer]) -> BoolArray:
    """Which of ``ids`` lie in one of the query's commission bands."""
    table = np.zeros(SLOTS, dtype=np.bool_)
    for band in q.commission_bands:
        if NO_COMMISSION <= band < len(COMMISSION_BANDS):
            table[band + 1] = True
    if bands is None:
        return np.full(ids.size, table[0], dtype=np.bool_)
    mask: BoolArray = table[bands[ids].astype(np.int16) + 1]
    return mask


def band_slots(bands: BandArray | None, ids: npt.NDArray[np.integer]) -> npt.NDArray[np.int16]:
    """Each id's facet slot (0: no rate, 1 + band otherwise), for ``np.bincount``."""
    if bands is None:
        return np.zeros(ids.size, dtype=np.int16)
    slots: npt.NDArray[np.int16] = bands[ids].astype(np.int16) + 1
    return slots
