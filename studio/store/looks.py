"""LookStore: looks, their photos and hotspots in the local store, read and edited.

Every write is ONE transaction on the calling thread's raw connection (``outbox.write``) that
changes the record(s), stamps ``updated_at`` and appends one outbox entry per changed record
with the whole record after the edit, so an edit and its sync entry are never apart. Removals
are tombstones (``deleted_at``); restoring clears them. Ids may be passed to the add/create
calls: redo re-creates the same record (an existing id is revived and overwritten, in its old
place unless a position is given). Orders are
fractional keys: an add without a position appends after every row (tombstones included, so a
restored row never ties with a newer one).

Tagging a product (adding a hotspot, or changing a hotspot's product) is checked against the
conflict-of-interest rule inside the transaction (``look_rows.check_tag``): a competitor of a
brand the curator makes or represents is refused with the rule's reason, nothing written.

Errors: StoreError for an unknown id or a refused tag (its message is the reason to show);
ValueError for a bad value (a NaN coordinate, a crop that keeps nothing); TypeError for a
field that cannot be edited.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from studio.core.looks import (
    Hotspot,
    Look,
    LookDocument,
    LookPhoto,
    LookStatus,
    LookSummary,
    MatchKind,
    ProductRef,
    new_id,
)
from studio.core.ordering import key_between
from studio.store import outbox
from studio.store.db import Database
from studio.store.look_rows import (
    HOTSPOT_COLS,
    LOOK_COLS,
    PHOTO_COLS,
    check_tag,
    find_look,
    get_hotspot,
    get_look,
    get_photo,
    hotspot_from_row,
    look_from_row,
    order_key,
    photo_from_row,
    product_ref,
    put_hotspot,
    put_look,
    put_photo,
    replace,
    tag_refusal,
)

_FACETS = ("occasions", "seasons", "styles")
_LOOK_FIELDS = frozenset({"title", "caption", "status", *_FACETS})
_PHOTO_FIELDS = frozenset({"crop", "rotation", "alt_text", "position"})
_HOTSPOT_FIELDS = frozenset({"x", "y", "label", "kind", "note", "product", "position"})

# A look's last edit: its own row's, or any of its photos' or hotspots' (tombstones count).
_LAST_EDIT = """max(l.updated_at,
    coalesce((SELECT max(p.updated_at) FROM look_photos p WHERE p.look_id = l.id), ''),
    coalesce((SELECT max(h.updated_at) FROM hotspots h JOIN look_photos p ON p.id = h.photo_id
              WHERE p.look_id = l.id), ''))"""


def _tags(value: object, name: str) -> tuple[str, ...]:
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


def _text(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text, not {value!r}")
    return value


class LookStore:
    """Looks in one store; reads from any thread, writes one transaction each (see module doc)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # ---- reads ----

    def summaries(
        self,
        *,
        text: str = "",
        status: LookStatus | None = None,
        tag: str | None = None,
        trashed: bool = False,
    ) -> list[LookSummary]:
        """The library's rows, most recently edited first (an edit of a photo or hotspot
        counts). ``text`` matches title, caption or a tag, case-insensitively; ``tag`` is an
        exact tag; ``trashed`` lists the trash instead of the live looks."""
        where = ["l.deleted_at IS NOT NULL" if trashed else "l.deleted_at IS NULL"]
        args: list[object] = []
        if status is not None:
            where.append("l.status = ?")
            args.append(LookStatus(status).value)
        if tag is not None:
            where.append("l.id IN (SELECT look_id FROM look_tags WHERE tag = ?)")
            args.append(tag)
        for word in text.split():
            pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            where.append(
                "(l.title LIKE ? ESCAPE '\\' OR l.caption LIKE ? ESCAPE '\\' OR "
                "l.id IN (SELECT look_id FROM look_tags WHERE tag LIKE ? ESCAPE '\\'))"
            )
            args += [pattern, pattern, pattern]
        sql = f"""
            SELECT l.id, l.title, l.status, l.occasions, l.seasons, l.styles, l.deleted_at,
              (SELECT p.media_hash FROM look_photos p WHERE p.look_id = l.id
                 AND p.deleted_at IS NULL ORDER BY p.position, p.id LIMIT 1),
              (SELECT count(*) FROM look_photos p WHERE p.look_id = l.id AND p.deleted_at IS NULL),
              (SELECT count(*) FROM hotspots h JOIN look_photos p ON p.id = h.photo_id
                 WHERE p.look_id = l.id AND p.deleted_at IS NULL AND h.deleted_at IS NULL),
              {_LAST_EDIT} AS last_edit
            FROM looks l WHERE {" AND ".join(where)}
            ORDER BY last_edit DESC, l.id"""
        with self.db.connect() as conn:
            rows = conn.execute(sql, args).fetchall()
        return [
            LookSummary(
                r[0],
                r[1],
                LookStatus(r[2]),
                r[7],
                r[8],
                r[9],
                tuple(json.loads(r[3]) + json.loads(r[4]) + json.loads(r[5])),
                r[10],
                r[6],
            )
            for r in rows
        ]

    def document(self, look_id: str) -> LookDocument | None:
        """The look with its live photos (by position) and hotspots (by photo, then position);
        None for an unknown id. A trashed look still has its document."""
        with self.db.connect() as conn:
            row = conn.execute(f"SELECT {LOOK_COLS} FROM looks WHERE id = ?", (look_id,)).fetchone()
            if row is None:
                return None
            photos = conn.execute(
                f"SELECT {PHOTO_COLS} FROM look_photos WHERE look_id = ? AND deleted_at IS NULL "
                "ORDER BY position, id",
                (look_id,),
            ).fetchall()
            hotspots = conn.execute(
                f"SELECT {HOTSPOT_COLS} FROM hotspots h JOIN look_photos p ON p.id = h.photo_id "
                "WHERE p.look_id = ? AND p.deleted_at IS NULL AND h.deleted_at IS NULL "
                "ORDER BY p.position, p.id, h.position, h.id",
                (look_id,),
            ).fetchall()
        return LookDocument(
            look_from_row(row),
            tuple(map(photo_from_row, photos)),
            tuple(map(hotspot_from_row, hotspots)),
        )

    def all_tags(self) -> list[str]:
        """Every tag of a live look, sorted case-insensitively."""
        with self.db.connect() as conn:
            rows = conn.execute(
                "SELECT DISTINCT t.tag FROM look_tags t JOIN looks l ON l.id = t.look_id "
                "WHERE l.deleted_at IS NULL"
            ).fetchall()
        return sorted((r[0] for r in rows), key=lambda t: (t.casefold(), t))

    def tag_refusal(self, product: ProductRef) -> str:
        """Why ``product`` may not be tagged (the conflict rule's reason), or "" if it may."""
        with self.db.connect() as conn:
            return tag_refusal(conn, product)

    # ---- looks ----

    def create_look(self, title: str, *, look_id: str | None = None) -> Look:
        """A new draft look (or, for an existing ``look_id``, that look revived and renamed)."""
        title = _text(title, "title")
        with outbox.write(self.db) as conn:
            now = outbox.now_iso()
            old = find_look(conn, look_id) if look_id is not None else None
            if old is None:
                look = Look(look_id or new_id(), title, created_at=now, updated_at=now)
            else:
                look = replace(old, title=title, updated_at=now, deleted_at=None)
            put_look(conn, look)
        return look

    def update_look(self, look_id: str, **fields: object) -> Look:
        """Change title, caption, occasions, seasons, styles and/or status."""
        outbox.check_fields(fields, _LOOK_FIELDS, "a look")
        changes: dict[str, object] = {}
        for name, value in fields.items():
            if name in _FACETS:
                changes[name] = _tags(value, name)
            elif name == "status":
                changes[name] = LookStatus(_text(value, name))
            else:
                changes[name] = _text(value, name)
        with outbox.write(self.db) as conn:
            look = replace(get_look(conn, look_id), **changes, updated_at=outbox.now_iso())
            put_look(conn, look)
        return look

    def duplicate_look(self, look_id: str) -> Look:
        """A draft copy titled "Copy of <title>": new ids for it, its live photos and hotspots,
        the same media, positions and tags."""
        with outbox.write(self.db) as conn:
            source = get_look(conn, look_id)
            now = outbox.now_iso()
            look = replace(
                source,
                id=new_id(),
                title=f"Copy of {source.title}",
                status=LookStatus.DRAFT,
                created_at=now,
                updated_at=now,
                deleted_at=None,
            )
            put_look(conn, look)
            photos = conn.execute(
                f"SELECT {PHOTO_COLS} FROM look_photos WHERE look_id = ? AND deleted_at IS NULL",
                (look_id,),
            ).fetchall()
            for photo in map(photo_from_row, photos):
                copy = replace(photo, id=new_id(), look_id=look.id)
                put_photo(conn, copy, now)
                spots = conn.execute(
                    f"SELECT {HOTSPOT_COLS} FROM hotspots h WHERE h.photo_id = ? "
                    "AND h.deleted_at IS NULL",
                    (photo.id,),
                ).fetchall()
                for spot in map(hotspot_from_row, spots):
                    put_hotspot(conn, replace(spot, id=new_id(), photo_id=copy.id), now)
        return look

    def trash_look(self, look_id: str) -> None:
        """Move the look to the trash (its photos and hotspots stay as they are)."""
        with outbox.write(self.db) as conn:
            now = outbox.now_iso()
            put_look(conn, replace(get_look(conn, look_id), updated_at=now, deleted_at=now))

    def restore_look(self, look_id: str) -> None:
        """Take the look out of the trash."""
        with outbox.write(self.db) as conn:
            look = replace(get_look(conn, look_id), updated_at=outbox.now_iso(), deleted_at=None)
            put_look(conn, look)

    # ---- photos ----

    def add_photo(
        self,
        look_id: str,
        media_hash: str,
        width: int,
        height: int,
        *,
        photo_id: str | None = None,
        position: str | None = None,
    ) -> LookPhoto:
        """Add a stored master to the look, after its last photo unless ``position`` is given
        (an existing ``photo_id`` is revived in its old place); records the ``media`` row too
        (once per hash)."""
        if width <= 0 or height <= 0:
            raise ValueError(f"a photo needs a positive size, not {width}x{height}")
        with outbox.write(self.db) as conn:
            get_look(conn, look_id)
            now = outbox.now_iso()
            _record_media(conn, media_hash, width, height, now)
            if position is None and photo_id is not None:
                # Redo of an add: the revived photo goes back where it was.
                row = conn.execute(
                    "SELECT position FROM look_photos WHERE id = ? AND look_id = ?",
                    (photo_id, look_id),
                ).fetchone()
                position = row[0] if row else None
            if position is None:
                last = conn.execute(
                    "SELECT max(position) FROM look_photos WHERE look_id = ?", (look_id,)
                ).fetchone()[0]
                position = key_between(last, None)
            photo = LookPhoto(photo_id or new_id(), look_id, media_hash, width, height, position)
            put_photo(conn, photo, now)
        return photo

    def update_photo(self, photo_id: str, **fields: object) -> LookPhoto:
        """Change crop, rotation (quarter turns, taken modulo 4), alt_text and/or position."""
        outbox.check_fields(fields, _PHOTO_FIELDS, "a photo")
        changes: dict[str, object] = {}
        for name, value in fields.items():
            if name == "crop":
                changes[name] = outbox.check_crop(value)
            elif name == "rotation":
                if isinstance(value, bool) or not isinstance(value, int):
                    raise ValueError(f"rotation must be whole quarter turns, not {value!r}")
                changes[name] = value % 4
            elif name == "position":
                changes[name] = order_key(value)
            else:
                changes[name] = _text(value, name)
        with outbox.write(self.db) as conn:
            photo = replace(get_photo(conn, photo_id)[0], **changes)
            put_photo(conn, photo, outbox.now_iso())
        return photo

    def replace_media(self, photo_id: str, media_hash: str, width: int, height: int) -> LookPhoto:
        """Show another file in the photo's place (a larger original of the same picture):
        its crop, turn, alt text and hotspots stay, as they are fractions of the picture."""
        if width <= 0 or height <= 0:
            raise ValueError(f"a photo needs a positive size, not {width}x{height}")
        with outbox.write(self.db) as conn:
            now = outbox.now_iso()
            _record_media(conn, media_hash, width, height, now)
            photo = replace(
                get_photo(conn, photo_id)[0], media_hash=media_hash, width=width, height=height
            )
            put_photo(conn, photo, now)
        return photo

    def remove_photo(self, photo_id: str) -> None:
        """Tombstone the photo and its live hotspots (one stamp, so a restore finds them)."""
        with outbox.write(self.db) as conn:
            photo, _ = get_photo(conn, photo_id)
            now = outbox.now_iso()
            spots = conn.execute(
                f"SELECT {HOTSPOT_COLS} FROM hotspots h WHERE h.photo_id = ? "
                "AND h.deleted_at IS NULL",
                (photo_id,),
            ).fetchall()
            for spot in map(hotspot_from_row, spots):
                put_hotspot(conn, spot, now, deleted_at=now)
            put_photo(conn, photo, now, deleted_at=now)

    def restore_photo(self, photo_id: str) -> LookPhoto:
        """Bring back a removed photo and the hotspots removed with it."""
        with outbox.write(self.db) as conn:
            photo, deleted_at = get_photo(conn, photo_id)
            now = outbox.now_iso()
            if deleted_at is not None:
                spots = conn.execute(
                    f"SELECT {HOTSPOT_COLS} FROM hotspots h WHERE h.photo_id = ? "
                    "AND h.deleted_at = ?",
                    (photo_id, deleted_at),
                ).fetchall()
                for spot in map(hotspot_from_row, spots):
                    put_hotspot(conn, spot, now)
            put_photo(conn, photo, now)
        return photo

    # ---- hotspots ----

    def add_hotspot(
        self,
        photo_id: str,
        product: ProductRef,
        x: float,
        y: float,
        *,
        label: str = "",
        kind: MatchKind = MatchKind.EXACT,
        note: str = "",
        hotspot_id: str | None = None,
        position: str | None = None,
    ) -> Hotspot:
        """Tag a product on the photo at (x, y), clamped to [0, 1]; numbered after the
        photo's last hotspot unless ``position`` is given. StoreError (nothing written) when
        the conflict rule refuses the product."""
        spot = Hotspot(
            hotspot_id or new_id(),
            photo_id,
            product_ref(product),
            outbox.unit(x, "x"),
            outbox.unit(y, "y"),
            _text(label, "label"),
            MatchKind(kind),
            _text(note, "note"),
        )
        with outbox.write(self.db) as conn:
            get_photo(conn, photo_id)
            check_tag(conn, spot.product)
            if position is None and hotspot_id is not None:
                # Redo of an add: the revived hotspot keeps its number.
                row = conn.execute(
                    "SELECT position FROM hotspots WHERE id = ? AND photo_id = ?",
                    (hotspot_id, photo_id),
                ).fetchone()
                position = row[0] if row else None
            if position is None:
                last = conn.execute(
                    "SELECT max(position) FROM hotspots WHERE photo_id = ?", (photo_id,)
                ).fetchone()[0]
                position = key_between(last, None)
            spot = replace(spot, position=order_key(position))
            put_hotspot(conn, spot, outbox.now_iso())
        return spot

    def update_hotspot(self, hotspot_id: str, **fields: object) -> Hotspot:
        """Change x, y (clamped), label, kind, note, product and/or position; a new product
        is checked as a new tag is (StoreError, nothing written, when refused)."""
        outbox.check_fields(fields, _HOTSPOT_FIELDS, "a hotspot")
        changes: dict[str, object] = {}
        for name, value in fields.items():
            if name in ("x", "y"):
                changes[name] = outbox.unit(value, name)
            elif name == "kind":
                changes[name] = MatchKind(_text(value, name))
            elif name == "product":
                changes[name] = product_ref(value)
            elif name == "position":
                changes[name] = order_key(value)
            else:
                changes[name] = _text(value, name)
        with outbox.write(self.db) as conn:
            old = get_hotspot(conn, hotspot_id)
            spot = replace(old, **changes)
            if spot.product != old.product:
                check_tag(conn, spot.product)
            put_hotspot(conn, spot, outbox.now_iso())
        return spot

    def delete_hotspot(self, hotspot_id: str) -> None:
        """Tombstone one hotspot."""
        with outbox.write(self.db) as conn:
            now = outbox.now_iso()
            put_hotspot(conn, get_hotspot(conn, hotspot_id), now, deleted_at=now)

    def restore_hotspot(self, hotspot_id: str) -> Hotspot:
        """Bring back a deleted hotspot."""
        with outbox.write(self.db) as conn:
            spot = get_hotspot(conn, hotspot_id)
            put_hotspot(conn, spot, outbox.now_iso())
        return spot


def _record_media(
    conn: sqlite3.Connection, media_hash: str, width: int, height: int, now: str
) -> None:
    """The ``media`` row of a stored master, once per hash (with its outbox entry)."""
    if conn.execute(
        "INSERT OR IGNORE INTO media (hash, width, height, created_at) VALUES (?, ?, ?, ?)",
        (media_hash, width, height, now),
    ).rowcount:
        outbox.record(
            conn,
            "media",
            media_hash,
            outbox.UPSERT,
            {
                "hash": media_hash,
                "width": width,
                "height": height,
                "format": None,
                "bytes": None,
                "created_at": now,
            },
        )
