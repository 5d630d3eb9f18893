"""The integers the products table stores for availability and commission rates, without
importing SQLAlchemy.

``studio.store.models`` declares the table (and imports SQLAlchemy, 0.15-1 s of a process's
start); the search, the card reads and the importer only need this mapping, so a one-shot
``studio search`` never loads the ORM. ``tests/store/test_codes.py`` keeps it equal to the
models' copy until the models import it from here.
"""

from __future__ import annotations

import logging
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache

from studio.core.product import Availability

log = logging.getLogger(__name__)
PPM = Decimal(1_000_000)

# Stored as the index into this tuple: never reorder, only append.
AVAILABILITY_CODES: tuple[str, ...] = (
    "in_stock",
    "out_of_stock",
    "preorder",
    "backorder",
    "limited_availability",
    "unavailable",
)
_CODE_OF: dict[Availability, int] = {Availability(v): i for i, v in enumerate(AVAILABILITY_CODES)}
_AVAILABILITY_OF: tuple[Availability, ...] = tuple(Availability(v) for v in AVAILABILITY_CODES)
UNAVAILABLE_CODE = AVAILABILITY_CODES.index("unavailable")


def availability_code(value: Availability) -> int:
    """The integer stored in ``products.availability`` for ``value``."""
    return _CODE_OF[value]


def availability_from_code(code: int) -> Availability:
    """The ``Availability`` stored as ``code`` (ValueError for an unknown code)."""
    if not 0 <= code < len(_AVAILABILITY_OF):
        raise ValueError(f"unknown availability code {code}")
    return _AVAILABILITY_OF[code]


@lru_cache(maxsize=1024)  # a page carries a few distinct rates, each product one of them
def to_ppm(rate: Decimal) -> int:
    """A commission rate (0.08) as the integer parts per million stored (80000): exact for
    any rate of up to six decimals; a finer one is rounded half-even to one ppm (0.0001 %)."""
    scaled = rate * PPM
    ppm = int(scaled.to_integral_value(rounding=ROUND_HALF_EVEN))
    if scaled != ppm:
        log.warning("commission rate %s is finer than one ppm: stored as %d ppm", rate, ppm)
    return ppm


def from_ppm(ppm: int | None) -> Decimal | None:
    """The stored rate as an exact Decimal (80000 -> Decimal('0.08'))."""
    return None if ppm is None else (Decimal(ppm) / PPM).normalize()
