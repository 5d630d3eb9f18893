"""Value checks shared by the content stores: coordinates, numbers, crops and editable fields.

Each raises ValueError (a bad value) or TypeError (a field that cannot be edited) naming what
was wrong, before a transaction starts, so a refused edit writes nothing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from studio.core.looks import Crop
from studio.core.ordering import is_valid_key


def unit(value: object, name: str) -> float:
    """A coordinate as a fraction clamped to [0, 1] (ValueError when not a finite number)."""
    number = finite(value, name)
    return min(1.0, max(0.0, number))


def finite(value: object, name: str) -> float:
    """A finite float (ValueError otherwise; bools are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a number, not {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, not {value!r}")
    return number


def text(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text, not {value!r}")
    return value


def order_key(value: object) -> str:
    """A valid fractional key (ValueError otherwise)."""
    if not isinstance(value, str) or not is_valid_key(value):
        raise ValueError(f"not an order key: {value!r}")
    return value


def tags(value: object, name: str) -> tuple[str, ...]:
    """Tags as given, trimmed, empty ones and repeats dropped (first spelling kept)."""
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValueError(f"{name} must be a sequence of text, not {value!r}")
    seen: dict[str, str] = {}
    for tag in value:
        if not isinstance(tag, str):
            raise ValueError(f"{name} must hold text, not {tag!r}")
        tag = " ".join(tag.split())
        if tag and tag.casefold() not in seen:
            seen[tag.casefold()] = tag
    return tuple(seen.values())


def check_fields(fields: Mapping[str, object], allowed: frozenset[str], what: str) -> None:
    """TypeError naming the first field ``what`` does not have."""
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise TypeError(
            f"{what} has no editable field {unknown[0]!r} (editable: {', '.join(sorted(allowed))})"
        )


def check_crop(value: object) -> Crop:
    """A Crop with its edges clamped to [0, 1] (ValueError when it keeps nothing)."""
    if not isinstance(value, Crop):
        raise ValueError(f"crop must be a Crop, not {value!r}")
    crop = Crop(
        unit(value.left, "crop.left"),
        unit(value.top, "crop.top"),
        unit(value.right, "crop.right"),
        unit(value.bottom, "crop.bottom"),
    )
    if crop.left >= crop.right or crop.top >= crop.bottom:
        raise ValueError(f"the crop keeps nothing of the photo: {value!r}")
    return crop
