"""ReviewStore: reviews and their photos in the local store, read and edited.

Every write is ONE transaction with its outbox entries (entities ``review``, ``review_photo``),
as in ``studio.store.looks``. ``update`` rewrites the one review row, so the editor may call it
on every pause in typing (autosave: nothing is lost on a kill).

The conflict rule (``studio.core.rules``) is checked on create and on a product change: a
competitor's product is refused with the rule's reason; a product of a brand the curator makes
or represents gets provenance ``own_brand`` whatever was asked, and ``own_brand`` is refused
for any other brand. Errors: StoreError (unknown id, refused), ValueError (bad value),
TypeError (a field that cannot be edited).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from studio.core.errors import StoreError
from studio.core.looks import ProductRef, new_id
from studio.core.ordering import key_between, keys_after
from studio.core.reviews import (
    Provenance,
    Review,
    ReviewStatus,
    ReviewSummary,
    check_rating,
    disclosure,
)
from studio.store import outbox
from studio.store.curation_rows import ProductInfo, product_info, ruled_product
from studio.store.db import Database
from studio.store.look_rows import replace

_COLS = (
    "id, product_id, merchant, offer_id, rating, title, body, pros, cons, provenance, "
    "status, created_at, updated_at, deleted_at"
)
_FIELDS = frozenset({"rating", "title", "body", "pros", "cons", "provenance", "status", "product"})


def _text(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text, not {value!r}")
    return value


def _lines(value: object, name: str) -> tuple[str, ...]:
    """Pros or cons: trimmed, blanks dropped, order kept."""
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValueError(f"{name} must be a sequence of text, not {value!r}")
    return tuple(_text(v, name).strip() for v in value if _text(v, name).strip())


def _photos(conn: sqlite3.Connection, review_id: str) -> list[tuple[str, str, str]]:
    """(photo id, media hash, position) of the live photos, in order."""
    return [
        (r[0], r[1], r[2])
        for r in conn.execute(
            "SELECT id, media_hash, position FROM review_photos WHERE review_id = ? AND "
            "deleted_at IS NULL ORDER BY position, id",
            (review_id,),
        )
    ]


def _from_row(conn: sqlite3.Connection, row: tuple[Any, ...]) -> Review:
    return Review(
        row[0],
        ProductRef(row[1], row[2], row[3]),
        row[4],
        row[5],
        row[6],
        tuple(json.loads(row[7])),
        tuple(json.loads(row[8])),
        tuple(p[1] for p in _photos(conn, row[0])),
        Provenance(row[9]),
        ReviewStatus(row[10]),
        row[11],
        row[12],
        row[13],
    )


def _get(conn: sqlite3.Connection, review_id: str) -> Review:
    row = conn.execute(f"SELECT {_COLS} FROM reviews WHERE id = ?", (review_id,)).fetchone()
    if row is None:
        raise StoreError(f"there is no review with id {review_id!r}")
    return _from_row(conn, row)


def _put(conn: sqlite3.Connection, r: Review) -> None:
    ref = r.product
    conn.execute(
        f"INSERT INTO reviews ({_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET product_id = excluded.product_id, "
        "merchant = excluded.merchant, offer_id = excluded.offer_id, rating = excluded.rating, "
        "title = excluded.title, body = excluded.body, pros = excluded.pros, "
        "cons = excluded.cons, provenance = excluded.provenance, status = excluded.status, "
        "updated_at = excluded.updated_at, deleted_at = excluded.deleted_at",
        (
            r.id,
            ref.product_id,
            ref.merchant,
            ref.offer_id,
            r.rating,
            r.title,
            r.body,
            json.dumps(r.pros),
            json.dumps(r.cons),
            r.provenance.value,
            r.status.value,
            r.created_at,
            r.updated_at,
            r.deleted_at,
        ),
    )
    # Photos are rows of their own (entity review_photo): the review's entry leaves them out.
    payload = outbox.as_payload(r)
    del payload["photos"]
    outbox.record(conn, "review", r.id, outbox.DELETE if r.deleted_at else outbox.UPSERT, payload)


def _put_photo(
    conn: sqlite3.Connection,
    photo_id: str,
    review_id: str,
    media_hash: str,
    position: str,
    now: str,
    deleted_at: str | None = None,
) -> None:
    created = conn.execute(
        "INSERT INTO review_photos (id, review_id, media_hash, position, created_at, "
        "updated_at, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
        "position = excluded.position, updated_at = excluded.updated_at, "
        "deleted_at = excluded.deleted_at RETURNING created_at",
        (photo_id, review_id, media_hash, position, now, now, deleted_at),
    ).fetchone()[0]
    outbox.record(
        conn,
        "review_photo",
        photo_id,
        outbox.DELETE if deleted_at else outbox.UPSERT,
        {
            "id": photo_id,
            "review_id": review_id,
            "media_hash": media_hash,
            "position": position,
            "created_at": created,
            "updated_at": now,
            "deleted_at": deleted_at,
        },
    )


def _ruled(
    conn: sqlite3.Connection, product: ProductRef, provenance: Provenance
) -> tuple[ProductRef, Provenance]:
    """The product re-linked to the catalog and the provenance the rule allows."""
    info, verdict = ruled_product(conn, product)
    if verdict.own_brand:
        provenance = Provenance.OWN_BRAND
    elif provenance is Provenance.OWN_BRAND:
        raise StoreError(
            f"{info.brand or 'this brand'} is not a brand you declared you make "
            "or represent, so the review cannot say own brand"
        )
    return ProductRef(info.product_id, info.merchant, info.offer_id), provenance


class ReviewStore:
    """Reviews in one store; reads from any thread, writes one transaction each."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # ---- reads ----

    def get(self, review_id: str) -> Review | None:
        with self.db.connect() as conn:
            try:
                return _get(conn, review_id)
            except StoreError:
                return None

    def product_info(self, product: ProductRef) -> ProductInfo | None:
        """The catalog's facts about a reviewed product; None once it left the catalog."""
        with self.db.connect() as conn:
            return product_info(conn, product.merchant, product.offer_id)

    def summaries(
        self,
        *,
        text: str = "",
        rating: int | None = None,
        status: ReviewStatus | str | None = None,
        merchant: str | None = None,
        trashed: bool = False,
    ) -> list[ReviewSummary]:
        """The list, most recently edited first: ``text`` words all match the title or body
        (case-insensitive); ``rating``, ``status``, ``merchant`` are exact filters."""
        where = ["r.deleted_at IS NOT NULL" if trashed else "r.deleted_at IS NULL"]
        args: list[object] = []
        if rating is not None:
            where.append("r.rating = ?")
            args.append(check_rating(rating))
        if status is not None:
            where.append("r.status = ?")
            args.append(ReviewStatus(status).value)
        if merchant is not None:
            where.append("r.merchant = ?")
            args.append(merchant)
        for word in text.split():
            pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            where.append("(r.title LIKE ? ESCAPE '\\' OR r.body LIKE ? ESCAPE '\\')")
            args += [pattern, pattern]
        sql = (
            f"SELECT {_COLS} FROM reviews r WHERE {' AND '.join(where)} "
            "ORDER BY r.updated_at DESC, r.id"
        )
        out = []
        with self.db.connect() as conn:
            for row in conn.execute(sql, args).fetchall():
                review = _from_row(conn, row)
                info = product_info(conn, review.product.merchant, review.product.offer_id)
                brand = None if info is None else info.brand
                out.append(
                    ReviewSummary(
                        review.id,
                        review.product,
                        None if info is None else info.title,
                        brand,
                        review.rating,
                        review.title,
                        review.status,
                        review.provenance,
                        review.words,
                        disclosure(review.provenance, brand),
                        review.updated_at,
                        review.deleted_at,
                    )
                )
        return out

    # ---- reviews ----

    def create(
        self,
        product: ProductRef,
        rating: int,
        *,
        provenance: Provenance | str = Provenance.BOUGHT,
        title: str = "",
        review_id: str | None = None,
    ) -> Review:
        """A new draft (an existing ``review_id`` is revived: redo). StoreError when the
        product is not in the catalog or the conflict rule refuses it."""
        rating = check_rating(rating)
        with outbox.write(self.db) as conn:
            ref, prov = _ruled(conn, product, Provenance(provenance))
            now = outbox.now_iso()
            row = (
                conn.execute("SELECT created_at FROM reviews WHERE id = ?", (review_id,)).fetchone()
                if review_id
                else None
            )
            review = Review(
                review_id or new_id(),
                ref,
                rating,
                _text(title, "title"),
                provenance=prov,
                created_at=row[0] if row else now,
                updated_at=now,
            )
            _put(conn, review)
        return review

    def update(self, review_id: str, **fields: object) -> Review:
        """Change rating, title, body, pros, cons, provenance, status and/or product (a
        ProductRef; the rule is checked again). One row: cheap enough for autosave."""
        outbox.check_fields(fields, _FIELDS, "a review")
        changes: dict[str, object] = {}
        for name, value in fields.items():
            if name == "rating":
                changes[name] = check_rating(value)
            elif name in ("pros", "cons"):
                changes[name] = _lines(value, name)
            elif name == "provenance":
                changes[name] = Provenance(_text(value, name))
            elif name == "status":
                changes[name] = ReviewStatus(_text(value, name))
            elif name == "product":
                if not isinstance(value, ProductRef):
                    raise ValueError(f"product must be a ProductRef, not {value!r}")
                changes[name] = value
            else:
                changes[name] = _text(value, name)
        with outbox.write(self.db) as conn:
            review = replace(_get(conn, review_id), **changes, updated_at=outbox.now_iso())
            if "product" in changes or "provenance" in changes:
                ref, prov = _ruled(conn, review.product, review.provenance)
                review = replace(review, product=ref, provenance=prov)
            _put(conn, review)
        return review

    def trash(self, review_id: str) -> None:
        with outbox.write(self.db) as conn:
            now = outbox.now_iso()
            _put(conn, replace(_get(conn, review_id), updated_at=now, deleted_at=now))

    def restore(self, review_id: str) -> Review:
        with outbox.write(self.db) as conn:
            review = replace(_get(conn, review_id), updated_at=outbox.now_iso(), deleted_at=None)
            _put(conn, review)
        return review

    # ---- photos ----

    def photo_ids(self, review_id: str) -> list[str]:
        """The live photos' row ids, in order (Review.photos has their media hashes)."""
        with self.db.connect() as conn:
            return [p[0] for p in _photos(conn, review_id)]

    def add_photo(self, review_id: str, media_hash: str, *, photo_id: str | None = None) -> str:
        """Append a stored photo (by media hash); returns the photo's row id (an existing
        ``photo_id`` is revived in its old place: redo)."""
        with outbox.write(self.db) as conn:
            _get(conn, review_id)
            old = (
                conn.execute(
                    "SELECT position FROM review_photos WHERE id = ?", (photo_id,)
                ).fetchone()
                if photo_id
                else None
            )
            last = conn.execute(
                "SELECT max(position) FROM review_photos WHERE review_id = ?", (review_id,)
            ).fetchone()[0]
            photo_id = photo_id or new_id()
            _put_photo(
                conn,
                photo_id,
                review_id,
                _text(media_hash, "media_hash"),
                old[0] if old else key_between(last, None),
                outbox.now_iso(),
            )
        return photo_id

    def remove_photo(self, photo_id: str) -> None:
        self._photo_state(photo_id, removed=True)

    def restore_photo(self, photo_id: str) -> None:
        self._photo_state(photo_id, removed=False)

    def reorder_photos(self, review_id: str, photo_ids: Sequence[str]) -> list[str]:
        """Give the live photos the order of ``photo_ids`` (all of them, each once); returns
        the previous order (for undo)."""
        with outbox.write(self.db) as conn:
            current = _photos(conn, review_id)
            if sorted(photo_ids) != sorted(p[0] for p in current):
                raise ValueError("reorder needs every live photo of the review, each once")
            # After every removed photo's key, so a restored photo never ties with one.
            removed = conn.execute(
                "SELECT max(position) FROM review_photos WHERE review_id = ? "
                "AND deleted_at IS NOT NULL",
                (review_id,),
            ).fetchone()[0]
            now, by_id = outbox.now_iso(), {p[0]: p for p in current}
            for photo_id, key in zip(photo_ids, keys_after(removed, len(photo_ids)), strict=True):
                _put_photo(conn, photo_id, review_id, by_id[photo_id][1], key, now)
        return [p[0] for p in current]

    def _photo_state(self, photo_id: str, *, removed: bool) -> None:
        with outbox.write(self.db) as conn:
            row = conn.execute(
                "SELECT review_id, media_hash, position FROM review_photos WHERE id = ?",
                (photo_id,),
            ).fetchone()
            if row is None:
                raise StoreError(f"there is no review photo with id {photo_id!r}")
            now = outbox.now_iso()
            _put_photo(
                conn, photo_id, row[0], row[1], row[2], now, deleted_at=now if removed else None
            )
