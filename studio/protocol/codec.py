"""Between the domain's records (``studio.core`` dataclasses) and their wire form.

The registry (``studio.protocol.kinds``) says what a record is on the wire; the dataclasses
say what the studio works with. They differ in three regular ways, handled here once for
every kind instead of per kind: a ``product`` (``ProductRef``) is ``merchant`` + ``offer_id``
on the wire, with the local ``product_id`` kept beside it by the store; a ``crop`` is four
``crop_*`` fractions; enums are their values and tuples are lists. Stamps that a dataclass
does not carry (a hotspot's ``created_at``) are passed alongside; fields a dataclass carries
that are not on the wire (a review's photo hashes: rows of their own) are left out.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from enum import Enum
from typing import Any

from studio.core.boards import Board, BoardItem
from studio.core.looks import Crop, Hotspot, Look, LookPhoto, ProductRef
from studio.core.profile import Affiliation, Profile
from studio.core.reviews import Review
from studio.core.shops import Shop, ShopItem, ShopSection
from studio.protocol.kinds import PRODUCT_ID, Record, RecordKind

# The dataclass of each kind that has one (media rows and review photos are plain records).
CLASSES: Mapping[str, type] = {
    "look": Look,
    "look_photo": LookPhoto,
    "hotspot": Hotspot,
    "board": Board,
    "board_item": BoardItem,
    "profile": Profile,
    "affiliation": Affiliation,
    "shop": Shop,
    "shop_section": ShopSection,
    "shop_item": ShopItem,
    "review": Review,
}
_CROP_SIDES = ("left", "top", "right", "bottom")
_SCALARS = (str, int, float, bool, type(None))


_HINTS: dict[type[Any], tuple[tuple[str, Any, Any], ...]] = {}


def _hints(cls: type[Any]) -> tuple[tuple[str, Any, Any], ...]:
    """(name, type, default) of each field; default is MISSING when there is none (made
    once per class: every row read goes through it)."""
    known = _HINTS.get(cls)
    if known is not None:
        return known
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        default = f.default
        if default is dataclasses.MISSING and f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
        out.append((f.name, hints[f.name], default))
    _HINTS[cls] = tuple(out)
    return _HINTS[cls]


def to_wire(kind: RecordKind, obj: object, **extra: Any) -> Record:
    """``obj`` (the kind's dataclass) as a wire record; ``extra`` fills or overrides fields
    the dataclass does not carry (stamps). Fields missing from both stay missing: the
    caller (the store) completes them."""
    types = kind.types
    out: Record = {}
    for name, _hint, _default in _hints(type(obj)):
        value = getattr(obj, name)
        if name == "product":
            ref: ProductRef | None = value
            out["merchant"] = None if ref is None else ref.merchant
            out["offer_id"] = None if ref is None else ref.offer_id
        elif name == "crop":
            crop: Crop = value
            for side in _CROP_SIDES:
                out[f"crop_{side}"] = float(getattr(crop, side))
        elif name in types:
            out[name] = plain(value)
    if kind.name == "profile":
        out["id"] = "me"
    out.update(extra)
    return out


def plain(value: Any) -> Any:
    """A field value as JSON: enums by value, tuples as lists (nested too)."""
    if isinstance(value, _SCALARS) and not isinstance(value, Enum):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def product_of(record: Mapping[str, Any]) -> ProductRef | None:
    """The product a record names (with the store's local ``product_id`` when it has one)."""
    merchant = record.get("merchant")
    if merchant is None:
        return None
    return ProductRef(record.get(PRODUCT_ID), merchant, record.get("offer_id") or "")


def from_wire(kind: RecordKind, record: Mapping[str, Any], **extra: Any) -> Any:
    """The kind's dataclass made from a wire record (a store row read as one, which may carry
    ``product_id`` too); ``extra`` sets fields the wire does not carry (a review's photos)."""
    cls = CLASSES[kind.name]
    kwargs: dict[str, Any] = {}
    for name, hint, default in _hints(cls):
        if name in extra:
            kwargs[name] = extra[name]
        elif name == "product":
            kwargs[name] = product_of(record)
        elif name == "crop":
            kwargs[name] = Crop(*(float(record[f"crop_{side}"]) for side in _CROP_SIDES))
        elif name in record:
            kwargs[name] = _typed(hint, record[name])
        elif default is dataclasses.MISSING:
            raise KeyError(f"a {kind.name} record lacks {name!r}")
    return cls(**kwargs)


def _typed(hint: Any, value: Any) -> Any:
    """``value`` as the field's declared type: enums from their values, tuples from lists,
    booleans from SQLite's integers."""
    if value is None:
        return None
    if isinstance(hint, type):
        if issubclass(hint, Enum):
            return hint(value)
        if hint is bool:
            return bool(value)
        if hint is float:
            return float(value)
        return value
    if typing.get_origin(hint) is tuple:
        return tuple(value)
    return value
