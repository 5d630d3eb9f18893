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

import sqlite3
from collections.abc import Iterable, Sequence

from studio.core.errors import StoreError
from studio.core.looks import ProductRef, new_id
from studio.core.ordering import key_between, keys_after
from studio.core.reviews import (
    Provenance,
    Review,
    ReviewStatus,
    ReviewSummary,
    check_optional_rating,
    check_rating,
    check_ready,
    disclosure,
)
from studio.core.rules import check_product
from studio.protocol.kinds import Record, kind
from studio.store import records, tx
from studio.store.curation_rows import (
    ProductInfo,
    load_affiliations,
    product_info,
    ruled_product,
)
from studio.store.db import Database
from studio.store.look_rows import replace
from studio.store.values import check_fields, text

REVIEW, PHOTO = kind("review"), kind("review_photo")
_FIELDS = frozenset({"rating", "title", "body", "pros", "cons", "provenance", "status", "product"})


def _lines(value: object, name: str) -> tuple[str, ...]:
    """Pros or cons: trimmed, blanks dropped, order kept."""
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValueError(f"{name} must be a sequence of text, not {value!r}")
    return tuple(text(v, name).strip() for v in value if text(v, name).strip())


def _photos(conn: sqlite3.Connection, review_id: str) -> list[tuple[str, str, str]]:
    """(photo id, media hash, position) of the live photos, in order."""
    return [
        (r["id"], r["media_hash"], r["position"])
        for r in records.select(
            conn, PHOTO, "review_id = ? AND deleted_at IS NULL", [review_id], order="position, id"
        )
    ]


def _load(conn: sqlite3.Connection, record: Record) -> Review:
    photos = tuple(p[1] for p in _photos(conn, record["id"]))
    review: Review = records.load(REVIEW, record, photos=photos)
    return review


def _get(conn: sqlite3.Connection, review_id: str) -> Review:
    return _load(conn, records.get(conn, REVIEW, review_id))


def _put(conn: sqlite3.Connection, r: Review) -> None:
    # Photos are rows of their own (kind review_photo): the review's record leaves them out.
    records.put(conn, REVIEW, records.record_of(REVIEW, r), now=r.updated_at)


def _put_photo(
    conn: sqlite3.Connection,
    photo_id: str,
    review_id: str,
    media_hash: str,
    position: str,
    now: str,
    deleted_at: str | None = None,
) -> None:
    record = {
        "id": photo_id,
        "review_id": review_id,
        "media_hash": media_hash,
        "position": position,
        "deleted_at": deleted_at,
    }
    records.put(conn, PHOTO, record, now=now)


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
        out = []
        with self.db.connect() as conn:
            ties = load_affiliations(conn)
            found = records.select(
                conn, REVIEW, " AND ".join(where), args, alias="r", order="r.updated_at DESC, r.id"
            )
            for record in found:
                review = _load(conn, record)
                info = product_info(conn, review.product.merchant, review.product.offer_id)
                brand = None if info is None else info.brand
                # A brand the curator declared as paying them is named whatever the provenance.
                paid = info is not None and check_product(ties, brand, info.category).paid_by
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
                        disclosure(review.provenance, brand, paid_by=paid),
                        review.updated_at,
                        review.deleted_at,
                    )
                )
        return out

    # ---- reviews ----

    def create(
        self,
        product: ProductRef,
        rating: int | None = None,
        *,
        provenance: Provenance | str = Provenance.BOUGHT,
        title: str = "",
        review_id: str | None = None,
    ) -> Review:
        """A new draft, without a rating unless given (an existing ``review_id`` is revived:
        redo). StoreError when the product is not in the catalog or the conflict rule refuses
        it."""
        rating = check_optional_rating(rating)
        with tx.write(self.db) as conn:
            ref, prov = _ruled(conn, product, Provenance(provenance))
            now = tx.now_iso()
            row = (
                conn.execute("SELECT created_at FROM reviews WHERE id = ?", (review_id,)).fetchone()
                if review_id
                else None
            )
            review = Review(
                review_id or new_id(),
                ref,
                rating,
                text(title, "title"),
                provenance=prov,
                created_at=row[0] if row else now,
                updated_at=now,
            )
            _put(conn, review)
        return review

    def update(self, review_id: str, **fields: object) -> Review:
        """Change rating, title, body, pros, cons, provenance, status and/or product (a
        ProductRef; the rule is checked again). One row: cheap enough for autosave."""
        check_fields(fields, _FIELDS, "a review")
        changes: dict[str, object] = {}
        for name, value in fields.items():
            if name == "rating":
                changes[name] = check_optional_rating(value)  # None: no rating (an undo)
            elif name in ("pros", "cons"):
                changes[name] = _lines(value, name)
            elif name == "provenance":
                changes[name] = Provenance(text(value, name))
            elif name == "status":
                changes[name] = ReviewStatus(text(value, name))
            elif name == "product":
                if not isinstance(value, ProductRef):
                    raise ValueError(f"product must be a ProductRef, not {value!r}")
                changes[name] = value
            else:
                changes[name] = text(value, name)
        with tx.write(self.db) as conn:
            review = replace(_get(conn, review_id), **changes, updated_at=tx.now_iso())
            if "rating" in changes or "status" in changes:
                check_ready(review.rating, review.status)
            if "product" in changes or "provenance" in changes:
                ref, prov = _ruled(conn, review.product, review.provenance)
                review = replace(review, product=ref, provenance=prov)
            _put(conn, review)
        return review

    def trash(self, review_id: str) -> None:
        with tx.write(self.db) as conn:
            now = tx.now_iso()
            _put(conn, replace(_get(conn, review_id), updated_at=now, deleted_at=now))

    def restore(self, review_id: str) -> Review:
        with tx.write(self.db) as conn:
            review = replace(_get(conn, review_id), updated_at=tx.now_iso(), deleted_at=None)
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
        with tx.write(self.db) as conn:
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
                text(media_hash, "media_hash"),
                old[0] if old else key_between(last, None),
                tx.now_iso(),
            )
        return photo_id

    def remove_photo(self, photo_id: str) -> None:
        self._photo_state(photo_id, removed=True)

    def restore_photo(self, photo_id: str) -> None:
        self._photo_state(photo_id, removed=False)

    def reorder_photos(self, review_id: str, photo_ids: Sequence[str]) -> list[str]:
        """Give the live photos the order of ``photo_ids`` (all of them, each once); returns
        the previous order (for undo)."""
        with tx.write(self.db) as conn:
            current = _photos(conn, review_id)
            if sorted(photo_ids) != sorted(p[0] for p in current):
                raise ValueError("reorder needs every live photo of the review, each once")
            # After every removed photo's key, so a restored photo never ties with one.
            removed = conn.execute(
                "SELECT max(position) FROM review_photos WHERE review_id = ? "
                "AND deleted_at IS NOT NULL",
                (review_id,),
            ).fetchone()[0]
            now, by_id = tx.now_iso(), {p[0]: p for p in current}
            for photo_id, key in zip(photo_ids, keys_after(removed, len(photo_ids)), strict=True):
                _put_photo(conn, photo_id, review_id, by_id[photo_id][1], key, now)
        return [p[0] for p in current]

    def _photo_state(self, photo_id: str, *, removed: bool) -> None:
        with tx.write(self.db) as conn:
            photo = records.get(conn, PHOTO, photo_id)
            now = tx.now_iso()
            records.put(conn, PHOTO, photo | {"deleted_at": now if removed else None}, now=now)
