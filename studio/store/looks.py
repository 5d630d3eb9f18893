"""LookStore: looks, their photos and hotspots in the local store, read and edited.

Every write is ONE transaction on the calling thread's raw connection (``tx.write``) that
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
from studio.store import records, tx
from studio.store.db import Database
from studio.store.look_rows import (
    check_tag,
    find_look,
    get_hotspot,
    get_look,
    get_photo,
    live_photos,
    look_hotspots,
    photo_hotspots,
    product_ref,
    put_hotspot,
    put_look,
    put_photo,
    replace,
    stored_position,
    tag_refusal,
)
from studio.store.values import check_crop, check_fields, order_key, tags, text, unit

_FACETS = ("occasions", "seasons", "styles")
_LOOK_FIELDS = frozenset({"title", "caption", "status", *_FACETS})
_PHOTO_FIELDS = frozenset({"crop", "rotation", "alt_text", "position"})
_HOTSPOT_FIELDS = frozenset({"x", "y", "label", "kind", "note", "product", "position"})

# A look's last edit: its own row's, or any of its photos' or hotspots' (tombstones count).
_LAST_EDIT = """max(l.updated_at,
    coalesce((SELECT max(p.updated_at) FROM look_photos p WHERE p.look_id = l.id), ''),
    coalesce((SELECT max(h.updated_at) FROM hotspots h JOIN look_photos p ON p.id = h.photo_id
              WHERE p.look_id = l.id), ''))"""


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
            look = find_look(conn, look_id)
            if look is None:
                return None
            photos = live_photos(conn, look_id)
            hotspots = look_hotspots(conn, look_id)
        return LookDocument(look, tuple(photos), tuple(hotspots))

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
        title = text(title, "title")
        with tx.write(self.db) as conn:
            now = tx.now_iso()
            old = find_look(conn, look_id) if look_id is not None else None
            if old is None:
                look = Look(look_id or new_id(), title, created_at=now, updated_at=now)
            else:
                look = replace(old, title=title, updated_at=now, deleted_at=None)
            put_look(conn, look)
        return look

    def update_look(self, look_id: str, **fields: object) -> Look:
        """Change title, caption, occasions, seasons, styles and/or status."""
        check_fields(fields, _LOOK_FIELDS, "a look")
        changes: dict[str, object] = {}
        for name, value in fields.items():
            if name in _FACETS:
                changes[name] = tags(value, name)
            elif name == "status":
                changes[name] = LookStatus(text(value, name))
            else:
                changes[name] = text(value, name)
        with tx.write(self.db) as conn:
            look = replace(get_look(conn, look_id), **changes, updated_at=tx.now_iso())
            put_look(conn, look)
        return look

    def duplicate_look(self, look_id: str) -> Look:
        """A draft copy titled "Copy of <title>": new ids for it, its live photos and hotspots,
        the same media, positions and tags."""
        with tx.write(self.db) as conn:
            source = get_look(conn, look_id)
            now = tx.now_iso()
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
            for photo in live_photos(conn, look_id):
                copy = replace(photo, id=new_id(), look_id=look.id)
                put_photo(conn, copy, now)
                for spot in photo_hotspots(conn, photo.id):
                    put_hotspot(conn, replace(spot, id=new_id(), photo_id=copy.id), now)
        return look

    def trash_look(self, look_id: str) -> None:
        """Move the look to the trash (its photos and hotspots stay as they are)."""
        with tx.write(self.db) as conn:
            now = tx.now_iso()
            put_look(conn, replace(get_look(conn, look_id), updated_at=now, deleted_at=now))

    def restore_look(self, look_id: str) -> None:
        """Take the look out of the trash."""
        with tx.write(self.db) as conn:
            look = replace(get_look(conn, look_id), updated_at=tx.now_iso(), deleted_at=None)
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
        with tx.write(self.db) as conn:
            get_look(conn, look_id)
            now = tx.now_iso()
            records.put_media(conn, media_hash, width, height, now)
            if position is None:
                # Redo of an add: the revived photo goes back where it was.
                position = stored_position(conn, "look_photos", "look_id", look_id, photo_id)
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
        check_fields(fields, _PHOTO_FIELDS, "a photo")
        changes: dict[str, object] = {}
        for name, value in fields.items():
            if name == "crop":
                changes[name] = check_crop(value)
            elif name == "rotation":
                if isinstance(value, bool) or not isinstance(value, int):
                    raise ValueError(f"rotation must be whole quarter turns, not {value!r}")
                changes[name] = value % 4
            elif name == "position":
                changes[name] = order_key(value)
            else:
                changes[name] = text(value, name)
        with tx.write(self.db) as conn:
            photo = replace(get_photo(conn, photo_id)[0], **changes)
            put_photo(conn, photo, tx.now_iso())
        return photo

    def replace_media(self, photo_id: str, media_hash: str, width: int, height: int) -> LookPhoto:
        """Show another file in the photo's place (a larger original of the same picture):
        its crop, turn, alt text and hotspots stay, as they are fractions of the picture."""
        if width <= 0 or height <= 0:
            raise ValueError(f"a photo needs a positive size, not {width}x{height}")
        with tx.write(self.db) as conn:
            now = tx.now_iso()
            records.put_media(conn, media_hash, width, height, now)
            photo = replace(
                get_photo(conn, photo_id)[0], media_hash=media_hash, width=width, height=height
            )
            put_photo(conn, photo, now)
        return photo

    def remove_photo(self, photo_id: str) -> None:
        """Tombstone the photo and its live hotspots (one stamp, so a restore finds them)."""
        with tx.write(self.db) as conn:
            photo, _ = get_photo(conn, photo_id)
            now = tx.now_iso()
            for spot in photo_hotspots(conn, photo_id):
                put_hotspot(conn, spot, now, deleted_at=now)
            put_photo(conn, photo, now, deleted_at=now)

    def restore_photo(self, photo_id: str) -> LookPhoto:
        """Bring back a removed photo and the hotspots removed with it."""
        with tx.write(self.db) as conn:
            photo, deleted_at = get_photo(conn, photo_id)
            now = tx.now_iso()
            if deleted_at is not None:
                for spot in photo_hotspots(conn, photo_id, deleted_at):
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
            unit(x, "x"),
            unit(y, "y"),
            text(label, "label"),
            MatchKind(kind),
            text(note, "note"),
        )
        with tx.write(self.db) as conn:
            get_photo(conn, photo_id)
            check_tag(conn, spot.product)
            if position is None:
                # Redo of an add: the revived hotspot keeps its number.
                position = stored_position(conn, "hotspots", "photo_id", photo_id, hotspot_id)
            if position is None:
                last = conn.execute(
                    "SELECT max(position) FROM hotspots WHERE photo_id = ?", (photo_id,)
                ).fetchone()[0]
                position = key_between(last, None)
            spot = replace(spot, position=order_key(position))
            put_hotspot(conn, spot, tx.now_iso())
        return spot

    def update_hotspot(self, hotspot_id: str, **fields: object) -> Hotspot:
        """Change x, y (clamped), label, kind, note, product and/or position; a new product
        is checked as a new tag is (StoreError, nothing written, when refused)."""
        check_fields(fields, _HOTSPOT_FIELDS, "a hotspot")
        changes: dict[str, object] = {}
        for name, value in fields.items():
            if name in ("x", "y"):
                changes[name] = unit(value, name)
            elif name == "kind":
                changes[name] = MatchKind(text(value, name))
            elif name == "product":
                changes[name] = product_ref(value)
            elif name == "position":
                changes[name] = order_key(value)
            else:
                changes[name] = text(value, name)
        with tx.write(self.db) as conn:
            old = get_hotspot(conn, hotspot_id)
            spot = replace(old, **changes)
            if spot.product != old.product:
                check_tag(conn, spot.product)
            put_hotspot(conn, spot, tx.now_iso())
        return spot

    def delete_hotspot(self, hotspot_id: str) -> None:
        """Tombstone one hotspot."""
        with tx.write(self.db) as conn:
            now = tx.now_iso()
            put_hotspot(conn, get_hotspot(conn, hotspot_id), now, deleted_at=now)

    def restore_hotspot(self, hotspot_id: str) -> Hotspot:
        """Bring back a deleted hotspot."""
        with tx.write(self.db) as conn:
            spot = get_hotspot(conn, hotspot_id)
            put_hotspot(conn, spot, tx.now_iso())
        return spot
