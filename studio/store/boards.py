"""BoardStore: mood boards and their items in the local store, read and edited.

Same rules as ``studio.store.looks``: each write is ONE transaction that changes the record(s),
stamps ``updated_at`` and appends one outbox entry per changed record (the whole record; a
tombstone as action "delete"). ``update_items`` changes several items in one transaction, so a
multi-select drag is one edit and one undo step. Stacking order is the fractional key ``z``; an
item added with ``z == ""`` goes on top. A board holds at most ``MAX_BOARD_ITEMS`` live items.

A product item is checked against the conflict-of-interest rule (``look_rows.check_tag``) when
it is added or its product changes: a competitor's product is refused with the rule's reason.

Errors: StoreError for an unknown id, the item limit and a refused product; ValueError for a
bad value; TypeError for a field that cannot be edited. ``put_board``/``put_item`` write one
record and its outbox entry through ``studio.store.records`` (the whole record with its
stamps, action "delete" for a tombstone).
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Mapping, Sequence

from studio.core.boards import (
    MAX_BOARD_ITEMS,
    Board,
    BoardDocument,
    BoardItem,
    BoardItemKind,
    BoardSummary,
)
from studio.core.errors import StoreError
from studio.core.looks import LookStatus, ProductRef, new_id
from studio.core.ordering import key_between
from studio.protocol.kinds import kind
from studio.store import records, tx
from studio.store.db import Database
from studio.store.look_rows import check_tag
from studio.store.values import check_crop, check_fields, finite, order_key

BOARD, ITEM = kind("board"), kind("board_item")

# ---- records: loaded and written inside the caller's transaction ----


def find_board(conn: sqlite3.Connection, board_id: str) -> Board | None:
    record = records.find(conn, BOARD, board_id)
    return None if record is None else records.load(BOARD, record)


def get_board(conn: sqlite3.Connection, board_id: str) -> Board:
    board: Board = records.load(BOARD, records.get(conn, BOARD, board_id))
    return board


def get_item(conn: sqlite3.Connection, item_id: str) -> tuple[BoardItem, str | None]:
    """The item (deleted or not) and its ``deleted_at``."""
    record = records.get(conn, ITEM, item_id)
    return records.load(ITEM, record), record["deleted_at"]


def live_items(conn: sqlite3.Connection, board_id: str) -> list[BoardItem]:
    """The board's items not deleted, bottom to top."""
    rows = records.select(
        conn, ITEM, "board_id = ? AND deleted_at IS NULL", [board_id], order="z, id"
    )
    return [records.load(ITEM, r) for r in rows]


def put_board(conn: sqlite3.Connection, board: Board) -> None:
    """Upsert the board (stamped as it says), and log it."""
    records.put(conn, BOARD, records.record_of(BOARD, board), now=board.updated_at)


def put_item(
    conn: sqlite3.Connection, item: BoardItem, now: str, *, deleted_at: str | None = None
) -> None:
    records.put(conn, ITEM, records.record_of(ITEM, item, deleted_at=deleted_at), now=now)


def checked_item(item: BoardItem) -> BoardItem:
    """The item with its numbers checked (finite; positive size) and kind-specific fields set."""
    for name in ("x", "y", "rotation", "font_size"):
        finite(getattr(item, name), name)
    width = finite(item.width, "width")
    height = finite(item.height, "height")
    if width <= 0 or height <= 0:
        raise ValueError(f"a board item needs a positive size, not {width}x{height}")
    kind = BoardItemKind(item.kind)
    if kind is BoardItemKind.PRODUCT and item.product is None:
        raise ValueError("a product item needs its product reference")
    if kind is BoardItemKind.PHOTO and not item.media_hash:
        raise ValueError("a photo item needs its media hash")
    if item.product is not None and (not item.product.merchant or not item.product.offer_id):
        raise ValueError(f"a product reference needs its merchant and offer id: {item.product}")
    return dataclasses.replace(
        item,
        kind=kind,
        crop=check_crop(item.crop),
        rotation=finite(item.rotation, "rotation") % 360.0,
    )


_BOARD_FIELDS = frozenset({"title", "background", "width", "height", "status"})
_ITEM_FIELDS = frozenset(
    {
        "x",
        "y",
        "width",
        "height",
        "rotation",
        "flip_h",
        "flip_v",
        "z",
        "crop",
        "product",
        "media_hash",
        "text",
        "color",
        "font_size",
    }
)
_LAST_EDIT = """max(b.updated_at, coalesce(
    (SELECT max(i.updated_at) FROM board_items i WHERE i.board_id = b.id), ''))"""


def _board_changes(fields: Mapping[str, object]) -> dict[str, object]:
    check_fields(fields, _BOARD_FIELDS, "a board")
    changes: dict[str, object] = {}
    for name, value in fields.items():
        if name in ("width", "height"):
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError(f"{name} must be a positive whole number, not {value!r}")
            changes[name] = value
        elif name == "status":
            changes[name] = LookStatus(str(value))
        elif not isinstance(value, str):
            raise ValueError(f"{name} must be text, not {value!r}")
        else:
            changes[name] = value
    return changes


def _item_changes(fields: Mapping[str, object]) -> dict[str, object]:
    check_fields(fields, _ITEM_FIELDS, "a board item")
    changes = dict(fields)
    if "z" in changes:
        changes["z"] = order_key(changes["z"])
    for name in ("flip_h", "flip_v"):
        if name in changes and not isinstance(changes[name], bool):
            raise ValueError(f"{name} must be True or False, not {changes[name]!r}")
    if "product" in changes and not isinstance(changes["product"], ProductRef | None):
        raise ValueError(f"product must be a ProductRef or None, not {changes['product']!r}")
    return changes


class BoardStore:
    """Boards in one store; reads from any thread, writes one transaction each."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # ---- reads ----

    def summaries(self, *, text: str = "", trashed: bool = False) -> list[BoardSummary]:
        """The board library, most recently edited first (an item's edit counts); ``text``
        matches the title case-insensitively; ``trashed`` lists the trash instead."""
        where = ["b.deleted_at IS NOT NULL" if trashed else "b.deleted_at IS NULL"]
        args: list[object] = []
        for word in text.split():
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            where.append("b.title LIKE ? ESCAPE '\\'")
            args.append(f"%{escaped}%")
        sql = f"""
            SELECT b.id, b.title, b.background, b.deleted_at,
              (SELECT count(*) FROM board_items i WHERE i.board_id = b.id
                 AND i.deleted_at IS NULL),
              {_LAST_EDIT} AS last_edit
            FROM boards b WHERE {" AND ".join(where)}
            ORDER BY last_edit DESC, b.id"""
        with self.db.connect() as conn:
            rows = conn.execute(sql, args).fetchall()
        return [BoardSummary(r[0], r[1], r[2], r[4], r[5], r[3]) for r in rows]

    def document(self, board_id: str) -> BoardDocument | None:
        """The board and its live items bottom to top; None for an unknown id."""
        with self.db.connect() as conn:
            board = find_board(conn, board_id)
            if board is None:
                return None
            items = live_items(conn, board_id)
        return BoardDocument(board, tuple(items))

    # ---- boards ----

    def create_board(self, title: str, *, board_id: str | None = None) -> Board:
        """A new board (or, for an existing ``board_id``, that board revived and renamed)."""
        if not isinstance(title, str):
            raise ValueError(f"title must be text, not {title!r}")
        with tx.write(self.db) as conn:
            now = tx.now_iso()
            old = find_board(conn, board_id) if board_id is not None else None
            if old is None:
                board = Board(board_id or new_id(), title, created_at=now, updated_at=now)
            else:
                board = dataclasses.replace(old, title=title, updated_at=now, deleted_at=None)
            put_board(conn, board)
        return board

    def update_board(self, board_id: str, **fields: object) -> Board:
        """Change title, background, width, height and/or status."""
        changes = _board_changes(fields)
        with tx.write(self.db) as conn:
            board = dataclasses.replace(
                get_board(conn, board_id),
                **changes,  # type: ignore[arg-type]
                updated_at=tx.now_iso(),
            )
            put_board(conn, board)
        return board

    def duplicate_board(self, board_id: str) -> Board:
        """A draft copy titled "Copy of <title>" with copies of the live items (new ids)."""
        with tx.write(self.db) as conn:
            source = get_board(conn, board_id)
            now = tx.now_iso()
            board = dataclasses.replace(
                source,
                id=new_id(),
                title=f"Copy of {source.title}",
                status=LookStatus.DRAFT,
                created_at=now,
                updated_at=now,
                deleted_at=None,
            )
            put_board(conn, board)
            for item in live_items(conn, board_id):
                put_item(conn, dataclasses.replace(item, id=new_id(), board_id=board.id), now)
        return board

    def trash_board(self, board_id: str) -> None:
        """Move the board to the trash (its items stay as they are)."""
        with tx.write(self.db) as conn:
            now = tx.now_iso()
            put_board(
                conn, dataclasses.replace(get_board(conn, board_id), updated_at=now, deleted_at=now)
            )

    def restore_board(self, board_id: str) -> None:
        """Take the board out of the trash."""
        with tx.write(self.db) as conn:
            put_board(
                conn,
                dataclasses.replace(
                    get_board(conn, board_id), updated_at=tx.now_iso(), deleted_at=None
                ),
            )

    # ---- items ----

    def add_item(self, item: BoardItem) -> BoardItem:
        """Place ``item`` on its board (z "" = on top; id "" = a new id); an existing id is
        revived and overwritten (redo). StoreError past ``MAX_BOARD_ITEMS`` live items or
        when the conflict rule refuses its product (nothing written)."""
        item = checked_item(item)
        if not item.id:
            item = dataclasses.replace(item, id=new_id())
        with tx.write(self.db) as conn:
            get_board(conn, item.board_id)
            live = conn.execute(
                "SELECT count(*) FROM board_items WHERE board_id = ? AND "
                "deleted_at IS NULL AND id != ?",
                (item.board_id, item.id),
            ).fetchone()[0]
            if live >= MAX_BOARD_ITEMS:
                raise StoreError(f"a board holds at most {MAX_BOARD_ITEMS} items")
            if item.product is not None:
                check_tag(conn, item.product)
            if not item.z:
                # Tombstones count: a restored item must not tie with a newer one.
                top = conn.execute(
                    "SELECT max(z) FROM board_items WHERE board_id = ? AND id != ?",
                    (item.board_id, item.id),
                ).fetchone()[0]
                item = dataclasses.replace(item, z=key_between(top, None))
            else:
                order_key(item.z)
            put_item(conn, item, tx.now_iso())
        return item

    def update_items(self, changes: Sequence[tuple[str, Mapping[str, object]]]) -> list[BoardItem]:
        """Apply ``(item_id, {field: value})`` changes in ONE transaction; the items after.
        A changed product is checked by the conflict rule (all or none)."""
        checked = [(item_id, _item_changes(fields)) for item_id, fields in changes]
        updated: list[BoardItem] = []
        with tx.write(self.db) as conn:
            now = tx.now_iso()
            for item_id, fields in checked:
                old, deleted_at = get_item(conn, item_id)
                item = checked_item(dataclasses.replace(old, **fields))  # type: ignore[arg-type]
                if item.product is not None and item.product != old.product:
                    check_tag(conn, item.product)
                put_item(conn, item, now, deleted_at=deleted_at)
                updated.append(item)
        return updated

    def delete_item(self, item_id: str) -> None:
        """Tombstone one item."""
        with tx.write(self.db) as conn:
            item, _ = get_item(conn, item_id)
            now = tx.now_iso()
            put_item(conn, item, now, deleted_at=now)

    def restore_item(self, item_id: str) -> BoardItem:
        """Bring back a deleted item (StoreError if its board is already full)."""
        with tx.write(self.db) as conn:
            item, deleted_at = get_item(conn, item_id)
            if deleted_at is not None:
                live = conn.execute(
                    "SELECT count(*) FROM board_items WHERE board_id = ? AND deleted_at IS NULL",
                    (item.board_id,),
                ).fetchone()[0]
                if live >= MAX_BOARD_ITEMS:
                    raise StoreError(f"a board holds at most {MAX_BOARD_ITEMS} items")
            put_item(conn, item, tx.now_iso())
        return item
