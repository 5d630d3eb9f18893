"""The registry of record kinds: every kind of the curator's content, declared once.

Each ``RecordKind`` says what one kind of record is on the wire: its fields in order with
their types, its parent (the record it belongs to, by which field), whether it names a
catalog product (``merchant`` + ``offer_id``, re-linked by each side to its own catalog), which
fields name a photo (a media blob by SHA-256), and which field orders it among its siblings
(a fractional key). Everything that handles records derives from this table instead of
spelling a kind out again: the desktop store's rows and generic get / put / tombstone /
restore (``studio.store.records``), the outbox payload, the portable archive's reader and
writer, and (with the platform) the server's tables and the sync's merge. A test keeps the
store's ORM models and migrations in step with it.

The wire form of a record (``Record``) is a flat JSON object with exactly the kind's fields:
enums as their values, tag lists as JSON arrays, booleans as booleans, stamps as UTC ISO 8601
text with microseconds. Store-local columns (a product's row id in this workspace's catalog)
are never part of it. This module is standard library and ``studio.core`` only: the platform
server imports it too.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

Record = dict[str, Any]

# Field types. A trailing "?" allows null; enum types are checked against ENUMS
# (``studio.protocol.checks``).
ID, TEXT, INT, FLOAT, BOOL = "id", "str", "int", "float", "bool"
HASH, STAMP, KEY, TAGS, RATING = "hash", "stamp", "key", "tags", "rating"

STAMPS: tuple[tuple[str, str], ...] = (
    ("created_at", STAMP),
    ("updated_at", STAMP),
    ("deleted_at", STAMP + "?"),
)
_CROP = tuple((f"crop_{side}", FLOAT) for side in ("left", "top", "right", "bottom"))


@dataclass(frozen=True, slots=True)
class RecordKind:
    """One kind of record (see the module docstring).

    ``name`` is the wire name (the outbox's entity, the sync's kind); ``table`` the store's
    table and the archive's ``records/<table>.json``. ``parent`` is (field, parent kind
    name) or None for a root. ``product``: the record names a product by ``merchant`` and
    ``offer_id`` (the store adds its local ``product_id``). ``media``: fields holding a photo's
    SHA-256. ``order``: the fractional key ordering siblings, or None. ``tombstones``: the
    kind is never deleted, only marked (``deleted_at``); media blobs are immutable instead.
    """

    name: str
    table: str
    fields: tuple[tuple[str, str], ...]
    section: str
    parent: tuple[str, str] | None = None
    product: bool = False
    media: tuple[str, ...] = ()
    order: str | None = None
    key: str = "id"
    columns: tuple[str, ...] = field(init=False, default=())
    types: Mapping[str, str] = field(init=False, default_factory=dict, hash=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", tuple(name for name, _ in self.fields))
        object.__setattr__(self, "types", dict(self.fields))

    @property
    def tombstones(self) -> bool:
        return "deleted_at" in self.types

    @property
    def stamped(self) -> bool:
        """Whether the store stamps ``updated_at`` on every write (all but media blobs)."""
        return "updated_at" in self.types


KINDS: tuple[RecordKind, ...] = (
    RecordKind(
        "media",
        "media",
        (
            ("hash", HASH),
            ("width", INT),
            ("height", INT),
            ("format", TEXT + "?"),
            ("bytes", INT + "?"),
            ("created_at", STAMP),
        ),
        "looks",
        media=("hash",),
        key="hash",
    ),
    RecordKind(
        "look",
        "looks",
        (
            ("id", ID),
            ("title", TEXT),
            ("caption", TEXT),
            ("occasions", TAGS),
            ("seasons", TAGS),
            ("styles", TAGS),
            ("status", "status"),
            *STAMPS,
        ),
        "looks",
    ),
    RecordKind(
        "look_photo",
        "look_photos",
        (
            ("id", ID),
            ("look_id", ID),
            ("media_hash", HASH),
            ("width", INT),
            ("height", INT),
            ("position", KEY),
            *_CROP,
            ("rotation", INT),
            ("alt_text", TEXT),
            *STAMPS,
        ),
        "looks",
        parent=("look_id", "look"),
        media=("media_hash",),
        order="position",
    ),
    RecordKind(
        "hotspot",
        "hotspots",
        (
            ("id", ID),
            ("photo_id", ID),
            ("merchant", TEXT),
            ("offer_id", TEXT),
            ("x", FLOAT),
            ("y", FLOAT),
            ("label", TEXT),
            ("kind", "match"),
            ("note", TEXT),
            ("position", KEY),
            *STAMPS,
        ),
        "looks",
        parent=("photo_id", "look_photo"),
        product=True,
        order="position",
    ),
    RecordKind(
        "board",
        "boards",
        (
            ("id", ID),
            ("title", TEXT),
            ("background", TEXT),
            ("width", INT),
            ("height", INT),
            ("status", "status"),
            *STAMPS,
        ),
        "boards",
    ),
    RecordKind(
        "board_item",
        "board_items",
        (
            ("id", ID),
            ("board_id", ID),
            ("kind", "item"),
            ("x", FLOAT),
            ("y", FLOAT),
            ("width", FLOAT),
            ("height", FLOAT),
            ("rotation", FLOAT),
            ("flip_h", BOOL),
            ("flip_v", BOOL),
            ("z", KEY),
            *_CROP,
            ("merchant", TEXT + "?"),
            ("offer_id", TEXT + "?"),
            ("media_hash", HASH + "?"),
            ("text", TEXT),
            ("color", TEXT),
            ("font_size", FLOAT),
            *STAMPS,
        ),
        "boards",
        parent=("board_id", "board"),
        product=True,
        media=("media_hash",),
        order="z",
    ),
    RecordKind(
        "profile",
        "profile",
        (
            ("id", "profile_id"),
            ("display_name", TEXT),
            ("bio", TEXT),
            ("avatar_hash", HASH + "?"),
            ("tier", "tier"),
            ("updated_at", STAMP),
        ),
        "profile",
        media=("avatar_hash",),
    ),
    RecordKind(
        "affiliation",
        "affiliations",
        (
            ("id", ID),
            ("brand", TEXT),
            ("category", TEXT),
            ("relationship", "relationship"),
            *STAMPS,
        ),
        "profile",
    ),
    RecordKind(
        "shop",
        "shops",
        (
            ("id", ID),
            ("handle", TEXT),
            ("title", TEXT),
            ("tagline", TEXT),
            ("description", TEXT),
            ("banner_hash", HASH + "?"),
            ("accent", TEXT),
            *STAMPS,
        ),
        "shops",
        media=("banner_hash",),
    ),
    RecordKind(
        "shop_section",
        "shop_sections",
        (("id", ID), ("shop_id", ID), ("title", TEXT), ("position", KEY), *STAMPS),
        "shops",
        parent=("shop_id", "shop"),
        order="position",
    ),
    RecordKind(
        "shop_item",
        "shop_items",
        (
            ("id", ID),
            ("section_id", ID),
            ("merchant", TEXT),
            ("offer_id", TEXT),
            ("position", KEY),
            ("note", TEXT),
            ("featured", BOOL),
            ("shelved_price_minor", INT + "?"),
            ("shelved_currency", TEXT + "?"),
            *STAMPS,
        ),
        "shops",
        parent=("section_id", "shop_section"),
        product=True,
        order="position",
    ),
    RecordKind(
        "review",
        "reviews",
        (
            ("id", ID),
            ("merchant", TEXT),
            ("offer_id", TEXT),
            ("rating", RATING + "?"),  # null: not rated yet
            ("title", TEXT),
            ("body", TEXT),
            ("pros", TAGS),
            ("cons", TAGS),
            ("provenance", "provenance"),
            ("status", "review_status"),
            *STAMPS,
        ),
        "reviews",
        product=True,
    ),
    RecordKind(
        "review_photo",
        "review_photos",
        (("id", ID), ("review_id", ID), ("media_hash", HASH), ("position", KEY), *STAMPS),
        "reviews",
        parent=("review_id", "review"),
        media=("media_hash",),
        order="position",
    ),
)

BY_NAME: Mapping[str, RecordKind] = {k.name: k for k in KINDS}
BY_TABLE: Mapping[str, RecordKind] = {k.table: k for k in KINDS}
# The store-local column a product reference adds to its row (never on the wire).
PRODUCT_ID = "product_id"


def kind(name: str) -> RecordKind:
    """The kind named ``name`` (its wire name); KeyError naming the known ones otherwise."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown record kind {name!r} (known: {', '.join(BY_NAME)})") from None


def children(parent: str) -> tuple[RecordKind, ...]:
    """The kinds whose records belong to a record of kind ``parent``."""
    return tuple(k for k in KINDS if k.parent is not None and k.parent[1] == parent)


def root_of(name: str) -> RecordKind:
    """The kind at the top of ``name``'s parent chain (a look for a hotspot)."""
    current = kind(name)
    while current.parent is not None:
        current = kind(current.parent[1])
    return current


def ancestry(name: str) -> Iterator[tuple[RecordKind, str, RecordKind]]:
    """(kind, parent field, parent kind) from ``name`` up to its root."""
    current = kind(name)
    while current.parent is not None:
        field_name, parent = current.parent
        parent_kind = kind(parent)
        yield current, field_name, parent_kind
        current = parent_kind
