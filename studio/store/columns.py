"""The catalog's small integer columns held in memory, for filters, sorts and facet counts.

At 1M products, SQL ``GROUP BY`` over a full-text match takes hundreds of milliseconds; numpy
over in-memory arrays indexed by product id takes a few. ``ColumnStore`` loads, on the first
query that needs them (a facet count, a filter, a price sort: never a plain ranked search),
merchant, brand, category, availability and the price each product is listed at, in the
smallest dtype their values fit (about 19 MB per million products, where int64 columns took
88 MB); ``Columns.prices(now)`` then derives what depends on the clock (sale in effect,
effective price, its band) and caches it until the next sale starts or ends.

Prices in different currencies are never compared as numbers: each product's currency is a
column too (an index into ``Columns.currencies``, alphabetical), a price band is one
currency's range (``Prices.band`` holds a slot per currency and band; the facet's values are
``studio.core.catalog.price_band`` numbers, stable across imports), and the price sorts order
by currency first (alphabetically), then by price within each currency.

Nothing the search can get elsewhere is kept: "newest first" is descending product ids (the
importer numbers products in the order they are added), and the text lengths the ranking
uses are read with its candidates. Sales are few, so they are short arrays of their own.

Arrays are built once and never written afterwards, so any thread may read them without a
lock; only (re)loading takes the lock. ``invalidate()`` after an import makes the next call
reload (the catalog facade calls it). The load reads in chunks of ``_CHUNK`` ids, so its
transient memory stays a few MB whatever the catalog's size.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from studio.core.catalog import PRICE_BANDS, currency_of_number, price_band
from studio.core.money import MINOR_UNIT_EXPONENTS as _NON_DEFAULT_EXPONENTS
from studio.store.db import Database
from studio.store.variants import Groups, load_groups

IdArray = npt.NDArray[np.integer[Any]]  # product ids: int32 up to 2**31, else int64
BoolArray = npt.NDArray[np.bool_]
Array = npt.NDArray[Any]  # an integer column indexed by product id

# Lower bounds of the price bands, in major units of each product's own currency (a band is
# one currency's range: see the module docstring).
_BAND_LOWS = np.array([low for low, _ in PRICE_BANDS], dtype=np.float64)
_NO_DATE = -1  # sale_start / sale_end absent
_BANDS = len(PRICE_BANDS)
# The currency code as 1 + its base-26 number (studio.core.catalog.currency_number), 0 when
# there is none: arithmetic in the VM, packed with availability and exponent below.
_CURRENCY_SQL = (
    "ifnull(1 + (unicode(substr(currency, 1, 1)) - 65) * 676 "
    "+ (unicode(substr(currency, 2, 1)) - 65) * 26 + unicode(substr(currency, 3, 1)) - 65, 0)"
)
_CURRENCY_NUMBERS = 26**3 + 1
# Exponent of each currency whose minor unit is not 2 digits; SQL CASE keeps the load in C.
_EXPONENT_SQL = (
    "CASE currency "
    + " ".join(f"WHEN '{code}' THEN {exp}" for code, exp in sorted(_NON_DEFAULT_EXPONENTS.items()))
    + " ELSE 2 END"
)
# One scan, a few aggregates: small ids packed arithmetically into one integer (cheap in the
# VM) and group_concat'ed, parsed by numpy in C. Sale rows are few: their dates ride separately
# (group_concat skips NULLs). About 1 s per million products, 3x faster than fetching rows.
# Packing bounds: merchant, brand and category ids < 2**21, availability and exponent < 16,
# the currency's number < 2**15.
_LOAD_SQL = (
    "SELECT group_concat(id), "
    "group_concat((merchant_id << 42) | (ifnull(category_id, 0) << 21) | ifnull(brand_id, 0)), "
    f"group_concat(({_CURRENCY_SQL} << 8) | (availability << 4) | {_EXPONENT_SQL}), "
    "group_concat(ifnull(price_minor, -1)), "
    "group_concat(CASE WHEN sale_minor IS NOT NULL THEN id || ',' || sale_minor || ',' || "
    f"ifnull(strftime('%s', sale_start), {_NO_DATE}) || ',' || "
    f"ifnull(strftime('%s', sale_end), {_NO_DATE}) END) "
    "FROM products WHERE id >= ? AND id < ?"
)
# Ids per statement: bounds the transient text (~3 MB) whatever the catalog's size.
_CHUNK = 1 << 16
SCALES = 10.0 ** -np.arange(16, dtype=np.float64)  # by currency exponent
_LOW21 = (1 << 21) - 1


def smallest_dtype(top: int) -> np.dtype[Any]:
    """The narrowest unsigned integer dtype holding 0..top."""
    return np.min_scalar_type(max(0, top))


@dataclass(frozen=True, slots=True)
class Names:
    """Id <-> name of one lookup table (merchants, brands or categories)."""

    names: dict[int, str]
    ids: dict[str, int]
    size: int  # one more than the largest id: the length of a bincount over it

    @classmethod
    def load(cls, rows: list[tuple[int, str]]) -> Names:
        names = {int(i): str(n) for i, n in rows}
        return cls(names, {n: i for i, n in names.items()}, max(names, default=0) + 1)

    def lookup(self, accepted: frozenset[str]) -> BoolArray:
        """A table answering "is this id accepted" for a filter given by names."""
        table = np.zeros(self.size, dtype=np.bool_)
        for name in accepted:
            i = self.ids.get(name)
            if i is not None:
                table[i] = True
        return table


@dataclass(eq=False)
class Prices:
    """What depends on the clock: sale in effect, effective price and band, valid until."""

    on_sale: BoolArray
    price: npt.NDArray[np.float64]  # effective price in major units; NaN when none
    band: Array  # slot: currency index * len(PRICE_BANDS) + band; -1 when no price
    valid_from: float
    valid_until: float
    ids: IdArray
    currency: Array  # index into ``currencies``; -1 when none
    currencies: tuple[str, ...]  # alphabetical
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _orders: dict[str, IdArray] = field(default_factory=dict)

    @property
    def band_slots(self) -> int:
        """How many values ``band`` takes (besides -1)."""
        return len(self.currencies) * _BANDS

    def band_value(self, slot: int) -> int:
        """The facet value (``studio.core.catalog.price_band``) of a ``band`` slot."""
        return price_band(self.currencies[slot // _BANDS], slot % _BANDS)

    def band_slot(self, value: int) -> int | None:
        """The ``band`` slot of a facet value; None for a currency or band not here."""
        for slot in range(self.band_slots):
            if self.band_value(slot) == value:
                return slot
        return None

    def order(self, key: str) -> IdArray:
        """Every product id grouped by currency (alphabetically), each group in ascending
        ("asc") or descending ("desc") effective price; products without a price come last
        either way; ties newest id first."""
        with self._lock:
            cached = self._orders.get(key)
            if cached is None:
                p = self.price[self.ids]
                priced = ~np.isnan(p)
                signed = p if key == "asc" else -p
                currency = self.currency[self.ids[priced]]
                # lexsort: last key is primary; -ids breaks ties towards newer products.
                by = np.lexsort((-self.ids[priced], signed[priced], currency))
                cached = np.concatenate((self.ids[priced][by], self.ids[~priced][::-1]))
                cached.setflags(write=False)
                self._orders[key] = cached
            return cached


@dataclass(eq=False)
class Columns:
    """One snapshot of the catalog's narrow columns, indexed by product id."""

    size: int  # largest product id + 1
    ids: IdArray  # every product id, ascending
    merchant: Array
    brand: Array  # 0 = none
    category: Array  # 0 = none
    availability: Array  # -1 where no product has the id
    currency: Array  # index into ``currencies``; -1: no currency (no price)
    currencies: tuple[str, ...]  # every currency of the catalog, alphabetical
    # Sales are few: kept as short arrays (product id, its listed price and sale price in
    # major units, start and end in epoch seconds, -1 = open).
    sale_ids: IdArray
    sale_listed: npt.NDArray[np.float64]
    sale_price: npt.NDArray[np.float64]
    sale_start: npt.NDArray[np.int64]
    sale_end: npt.NDArray[np.int64]
    merchants: Names
    brands: Names
    categories: Names
    # Every product's listed price (major units; NaN: none) until the first ``prices()``
    # makes it the effective price in place: only one million-row price array is kept.
    listed_price: npt.NDArray[np.float64] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _prices: Prices | None = None

    @cached_property
    def newest(self) -> IdArray:
        """Every product id, newest first (a view: ids are numbered in the order added)."""
        return self.ids[::-1]

    def prices(self, now: float | None = None) -> Prices:
        """The clock-dependent columns for ``now`` (epoch seconds), cached until they change."""
        now = time.time() if now is None else now
        with self._lock:
            current = self._prices
            if current is None or not current.valid_from <= now < current.valid_until:
                current = self._prices = self._derive(now)
            return current

    def _derive(self, now: float) -> Prices:
        starts, ends = self.sale_start, self.sale_end
        # ProductRecord.sale_in_effect: not before the start, not after the end (inclusive).
        active = ((starts == _NO_DATE) | (starts <= now)) & ((ends == _NO_DATE) | (now <= ends))
        on_sale = np.zeros(self.size, dtype=np.bool_)
        on_sale[self.sale_ids[active]] = True
        # Only sale products' prices move with the clock: start from the listed prices (in
        # place, the first time) or a copy of the last effective ones, and set every sale
        # product's price. Earlier Prices keep theirs: queries may still hold them.
        if self.listed_price is not None:
            price, self.listed_price = self.listed_price, None
        else:
            assert self._prices is not None
            price = self._prices.price.copy()
        price[self.sale_ids] = np.where(active, self.sale_price, self.sale_listed)
        band = (np.searchsorted(_BAND_LOWS, price, side="right") - 1).astype(np.int16)
        band += self.currency.astype(np.int16) * _BANDS
        band[np.isnan(price) | (self.currency < 0)] = -1
        # Sales start at ``start`` and stop just after ``end``: the derived columns hold from
        # the last such instant up to the next one.
        instants = np.concatenate((starts[starts != _NO_DATE], ends[ends != _NO_DATE] + 1)).astype(
            np.float64
        )
        later = instants[instants > now]
        earlier = instants[instants <= now]
        valid_until = float(later.min()) if later.size else float("inf")
        valid_from = float(earlier.max()) if earlier.size else float("-inf")
        on_sale.setflags(write=False)
        price.setflags(write=False)
        band.setflags(write=False)
        return Prices(
            on_sale, price, band, valid_from, valid_until, self.ids, self.currency, self.currencies
        )


def _parse(text: str | None) -> npt.NDArray[np.int64]:
    if not text:
        return np.zeros(0, dtype=np.int64)
    return np.fromstring(text, dtype=np.int64, sep=",")


def load_columns(db: Database) -> Columns:
    """Read the narrow columns of every product, in one read transaction (~1 s per million)."""
    with db.connect() as conn:
        began = not conn.in_transaction
        if began:
            conn.execute("BEGIN")  # one snapshot across the chunks, even if an import commits
        try:
            merchants = Names.load(conn.execute("SELECT id, name FROM merchants").fetchall())
            brands = Names.load(conn.execute("SELECT id, name FROM brands").fetchall())
            categories = Names.load(conn.execute("SELECT id, path FROM categories").fetchall())
            top = int(conn.execute("SELECT ifnull(max(id), 0) FROM products").fetchone()[0])
            size = top + 1
            merchant = np.zeros(size, dtype=smallest_dtype(merchants.size))
            brand = np.zeros(size, dtype=smallest_dtype(brands.size))
            category = np.zeros(size, dtype=smallest_dtype(categories.size))
            availability = np.full(size, -1, dtype=np.int8)
            listed = np.full(size, np.nan, dtype=np.float64)
            exponent = np.full(size, 2, dtype=np.int8)  # kept to scale the sale prices
            number = np.zeros(size, dtype=np.int16)  # the currency's number (see _CURRENCY_SQL)
            sale_parts: list[npt.NDArray[np.int64]] = []
            for start in range(0, size, _CHUNK):
                row = conn.execute(_LOAD_SQL, (start, start + _CHUNK)).fetchone()
                ids, packed_ids, packed_small, minor = (_parse(text) for text in row[:4])
                merchant[ids] = packed_ids >> 42
                brand[ids] = packed_ids & _LOW21
                category[ids] = (packed_ids >> 21) & _LOW21
                availability[ids] = (packed_small >> 4) & 0xF
                exponent[ids] = packed_small & 0xF
                number[ids] = packed_small >> 8
                listed[ids] = np.where(minor >= 0, minor * SCALES[packed_small & 0xF], np.nan)
                sale_parts.append(_parse(row[4]))
        finally:
            if began:
                conn.execute("COMMIT")
            # The scan filled this thread's page cache; hand that memory back now.
            conn.execute("PRAGMA shrink_memory")
    # Signed (ids are negated to break ties in sorts), and half the size of int64. Every
    # product has an availability: the ids are where it is set, found block by block so
    # that no int64 array of every id is ever made.
    id_type = np.dtype(np.int32) if top < 2**31 else np.dtype(np.int64)
    parts = [
        (np.flatnonzero(availability[start : start + _CHUNK] >= 0) + start).astype(id_type)
        for start in range(0, size, _CHUNK)
    ]
    ids = np.concatenate(parts) if parts else np.zeros(0, id_type)
    sales = np.concatenate(sale_parts).reshape(-1, 4) if sale_parts else np.zeros((0, 4), np.int64)
    sale_ids: IdArray = sales[:, 0].astype(id_type)
    sale_price = sales[:, 1] * SCALES[exponent[sale_ids]]
    sale_listed = listed[sale_ids]
    sale_start, sale_end = sales[:, 2].copy(), sales[:, 3].copy()
    # Dense currency indexes in alphabetical order (the numbers are), -1 for none.
    present = np.flatnonzero(np.bincount(number, minlength=_CURRENCY_NUMBERS)[1:]) + 1
    dense = np.full(_CURRENCY_NUMBERS, -1, dtype=np.int16)
    dense[present] = np.arange(present.size)
    currency = dense[number].astype(np.int8 if present.size < 127 else np.int16)
    del number
    currencies = tuple(currency_of_number(int(n) - 1) for n in present)
    arrays = (
        ids,
        merchant,
        brand,
        category,
        availability,
        currency,
        sale_ids,
        sale_listed,
        sale_price,
    )
    for array in (*arrays, sale_start, sale_end):
        array.setflags(write=False)
    return Columns(
        size=size,
        ids=ids,
        merchant=merchant,
        brand=brand,
        category=category,
        availability=availability,
        currency=currency,
        currencies=currencies,
        sale_ids=sale_ids,
        sale_listed=sale_listed,
        sale_price=sale_price,
        sale_start=sale_start,
        sale_end=sale_end,
        merchants=merchants,
        brands=brands,
        categories=categories,
        listed_price=listed,
    )


class ColumnStore:
    """The lazily loaded, invalidatable ``Columns`` of one database, shared by all threads."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._lock = threading.Lock()
        self._columns: Columns | None = None
        self._groups: Groups | None = None
        self._commission: IdArray | None = None
        self._groups_lock = threading.Lock()
        self._generation = 0

    def get(self) -> Columns:
        columns = self._columns
        if columns is not None:
            return columns
        with self._lock:
            while self._columns is None:
                generation = self._generation
                loaded = load_columns(self._db)
                # An invalidate() during the load means the load may predate the import.
                if generation == self._generation:
                    self._columns = loaded
            return self._columns

    def groups(self) -> Groups:
        """The item groups (``studio.store.variants``): loaded on their own, so the grid's
        ranked search never waits for the other columns."""
        groups = self._groups
        if groups is not None:
            return groups
        with self._groups_lock:
            while self._groups is None:
                generation = self._generation
                with self._db.connect() as conn:
                    loaded = load_groups(conn)
                if generation == self._generation:
                    self._groups = loaded
            return self._groups

    def commission_order(self) -> IdArray:
        """Every product with a commission rate, highest rate first (ties newest first),
        then those without one, newest first: read backwards along ix_products_commission
        (SQLite orders NULL lowest), loaded on its own the first time the sort is asked."""
        order = self._commission
        if order is not None:
            return order
        with self._groups_lock:
            while self._commission is None:
                generation = self._generation
                with self._db.connect() as conn:
                    text = conn.execute(
                        "SELECT group_concat(id) FROM (SELECT id FROM products "
                        "ORDER BY commission_ppm DESC, id DESC)"
                    ).fetchone()[0]
                loaded = _parse(text)
                loaded.setflags(write=False)
                if generation == self._generation:
                    self._commission = loaded
            return self._commission

    def peek(self) -> Columns | None:
        """The current snapshot if one is loaded (never loads)."""
        return self._columns

    def invalidate(self) -> None:
        """Forget the snapshot; the next ``get()`` reloads it from the database."""
        self._generation += 1
        self._columns = None
        self._groups = None
        self._commission = None
