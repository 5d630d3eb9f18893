"""ShopStore: shops, their sections (shelves) and items in the local store, read and edited.

Every write is ONE transaction (``tx.write``) with one outbox entry per changed record, as
in ``studio.store.looks``: UUIDs, fractional ``position`` keys, tombstones. Shelving is checked
inside that transaction against the catalog and the profile:

- the product must be in the catalog (its price is kept on the item as the price at shelving);
- the conflict-of-interest rule (``studio.core.rules``) refuses a competitor's product;
- the tier rule (``studio.core.tiers`` through ``studio.store.platform_rules``) refuses what
  would not fit, naming the limit and the room left (a batch, ``add_items``, is all or
  nothing), and on the starter tier any shop but the one trial shop; creating, duplicating or
  restoring a second live shop is refused there too;
- a shop shows each product (merchant + offer id) once: shelving, or replacing into, one it
  holds is refused naming its shelf, and so is bringing back a removed item that it holds.

Placement is by index, as a drop gives it: ``index`` counts the live rows of the target list
WITHOUT the rows being moved (None = at the end). Calls that reorder return the previous
placements, and ``place_items`` puts them back exactly (undo). The shelved products' edits
come from the ``ShelvedItems`` base (``studio.store.shop_items``); health, suggested
replacements and their fixes from the ``ShopFixes`` base (``studio.store.shop_health``).
Errors: StoreError for an unknown id or a refused edit (its message is the reason to show);
ValueError for a bad value.
"""

from __future__ import annotations

from collections.abc import Container, Sequence

from studio.core.errors import StoreError
from studio.core.looks import new_id
from studio.core.ordering import key_between
from studio.core.profile import Affiliation
from studio.core.shops import (
    Shop,
    ShopDocument,
    ShopItem,
    ShopSection,
    ShopSummary,
    normalise_colour,
    normalise_handle,
)
from studio.core.tiers import room_left
from studio.store import tx
from studio.store.curation_rows import (
    ProductInfo,
    load_affiliations,
    product_infos,
)
from studio.store.db import Database
from studio.store.look_rows import replace
from studio.store.platform_rules import Standing, check_open, check_shelving, standing
from studio.store.shop_health import ShopFixes, shop_health
from studio.store.shop_items import ShelvedItems
from studio.store.shop_rows import (
    bring_back,
    find_shop,
    get_item,
    get_items,
    get_section,
    get_shop,
    item_count,
    live_items,
    live_sections,
    put_item,
    put_section,
    put_shop,
    shop_items,
    shops_where,
    slot,
)
from studio.store.values import check_fields, text

_SHOP_FIELDS = frozenset({"handle", "title", "tagline", "description", "banner_hash", "accent"})


class ShopStore(ShelvedItems, ShopFixes):
    """Shops in one store; reads from any thread, writes one transaction each."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # ---- reads ----

    def summaries(self, *, trashed: bool = False) -> list[ShopSummary]:
        """The shops (or the trash), by title, with item count, room left and issue count."""
        with self.db.connect() as conn:
            out = []
            for shop in shops_where(conn, f"deleted_at IS {'NOT NULL' if trashed else 'NULL'}"):
                items = shop_items(conn, shop.id)
                place = standing(conn, shop.id)
                out.append(
                    ShopSummary(
                        shop.id,
                        shop.handle,
                        shop.title,
                        len(items),
                        room_left(place.tier, len(items), trial=place.trial),
                        len(shop_health(conn, items, shop.id)),
                        shop.updated_at,
                        shop.deleted_at,
                    )
                )
        return out

    def document(self, shop_id: str) -> ShopDocument | None:
        """The shop with its live sections and items; None for an unknown id."""
        with self.db.connect() as conn:
            shop = find_shop(conn, shop_id)
            if shop is None:
                return None
            return ShopDocument(
                shop, tuple(live_sections(conn, shop_id)), tuple(shop_items(conn, shop_id))
            )

    def shop(self, shop_id: str) -> Shop | None:
        """The shop's record (trashed or not); None for an unknown id."""
        with self.db.connect() as conn:
            return find_shop(conn, shop_id)

    def items(self, item_ids: Sequence[str]) -> list[tuple[ShopItem, str | None]]:
        """Each item (removed or not) with its ``deleted_at``, in the order of ``item_ids``;
        StoreError for an unknown id."""
        with self.db.connect() as conn:
            return get_items(conn, item_ids)

    def shelf(self, section_id: str) -> list[ShopItem]:
        """The live items of one section, in their order."""
        with self.db.connect() as conn:
            return live_items(conn, section_id)

    def shelves(
        self, shop_id: str, *, known: Container[str] = ()
    ) -> tuple[list[ShopSection], dict[str, list[ShopItem]]]:
        """The shop's live sections, in order, and the live items of each one not ``known``."""
        with self.db.connect() as conn:
            sections = live_sections(conn, shop_id)
            return sections, {s.id: live_items(conn, s.id) for s in sections if s.id not in known}

    def page_facts(
        self, shop_id: str
    ) -> tuple[ShopDocument, dict[tuple[str, str], ProductInfo], list[Affiliation]]:
        """What the shop's page shows (``studio.core.shop_page``): the shop, the catalog facts
        of its products by (merchant, offer id), and the affiliations (own-brand labels)."""
        doc = self.document(shop_id)
        if doc is None:
            raise StoreError(f"there is no shop with id {shop_id!r}")
        with self.db.connect() as conn:
            infos = product_infos(
                conn, {(i.product.merchant, i.product.offer_id) for i in doc.items}
            )
            return doc, infos, load_affiliations(conn)

    def by_handle(self, handle: str) -> Shop | None:
        """The live shop with this handle (normalised first), or None."""
        with self.db.connect() as conn:
            found = shops_where(
                conn, "handle = ? AND deleted_at IS NULL", [normalise_handle(handle)]
            )
        return found[0] if found else None

    def room_left(self, shop_id: str) -> int:
        """How many more products the shop may take at the profile's tier."""
        with self.db.connect() as conn:
            get_shop(conn, shop_id)
            place = standing(conn, shop_id)
            return room_left(place.tier, item_count(conn, shop_id), trial=place.trial)

    def standing(self, shop_id: str) -> Standing:
        """The profile's tier and whether this shop is the starter's trial shop."""
        with self.db.connect() as conn:
            return standing(conn, shop_id)

    # ---- shops ----

    def create_shop(
        self,
        handle: str,
        title: str,
        *,
        shop_id: str | None = None,
        section_title: str | None = None,
    ) -> Shop:
        """A new shop (an existing ``shop_id`` is revived: redo); with ``section_title`` also
        its first section. StoreError when the handle is taken or the tier allows no more
        shops."""
        handle, title = normalise_handle(handle), text(title, "title")
        with tx.write(self.db) as conn:
            check_open(conn, shop_id)
            now = tx.now_iso()
            old = find_shop(conn, shop_id) if shop_id is not None else None
            shop = (
                Shop(shop_id or new_id(), handle, title, created_at=now, updated_at=now)
                if old is None
                else replace(old, handle=handle, title=title, updated_at=now, deleted_at=None)
            )
            put_shop(conn, shop)
            if section_title is not None:
                put_section(
                    conn,
                    ShopSection(new_id(), shop.id, section_title, key_between(None, None)),
                    now,
                )
        return shop

    def update_shop(self, shop_id: str, **fields: object) -> Shop:
        """Change handle (normalised; StoreError when taken), title, tagline, description,
        banner_hash (a media hash or None) and/or accent ("#rrggbb")."""
        check_fields(fields, _SHOP_FIELDS, "a shop")
        changes: dict[str, object] = {}
        for name, value in fields.items():
            if name == "handle":
                changes[name] = normalise_handle(text(value, name))
            elif name == "accent":
                changes[name] = normalise_colour(text(value, name))
            elif name == "banner_hash":
                changes[name] = None if value is None else text(value, name)
            else:
                changes[name] = text(value, name)
        with tx.write(self.db) as conn:
            shop = replace(get_shop(conn, shop_id), **changes, updated_at=tx.now_iso())
            put_shop(conn, shop)
        return shop

    def duplicate_shop(self, shop_id: str) -> Shop:
        """A copy titled "Copy of <title>" with a free handle "<handle>-copy[-n]", new ids
        for it, its live sections and items (same positions, notes, shelved prices).
        StoreError when the tier allows no more shops."""
        with tx.write(self.db) as conn:
            source = get_shop(conn, shop_id)
            check_open(conn)
            base = source.handle[:35].rstrip("-") + "-copy"
            handle, n = base, 1
            while conn.execute(
                "SELECT 1 FROM shops WHERE handle = ? AND deleted_at IS NULL", (handle,)
            ).fetchone():
                n += 1
                handle = f"{base}-{n}"
            now = tx.now_iso()
            shop = replace(
                source,
                id=new_id(),
                handle=handle,
                title=f"Copy of {source.title}",
                created_at=now,
                updated_at=now,
                deleted_at=None,
            )
            put_shop(conn, shop)
            for section in live_sections(conn, shop_id):
                copy = replace(section, id=new_id(), shop_id=shop.id)
                put_section(conn, copy, now)
                for item in live_items(conn, section.id):
                    put_item(conn, replace(item, id=new_id(), section_id=copy.id), now)
        return shop

    def trash_shop(self, shop_id: str) -> None:
        """Move the shop to the trash (its handle becomes free)."""
        with tx.write(self.db) as conn:
            now = tx.now_iso()
            put_shop(conn, replace(get_shop(conn, shop_id), updated_at=now, deleted_at=now))

    def restore_shop(self, shop_id: str) -> Shop:
        """Take the shop out of the trash; StoreError when a live shop took its handle or
        the tier allows no more shops."""
        with tx.write(self.db) as conn:
            check_open(conn, shop_id)
            shop = replace(get_shop(conn, shop_id), updated_at=tx.now_iso(), deleted_at=None)
            put_shop(conn, shop)
        return shop

    # ---- sections ----

    def add_section(
        self, shop_id: str, title: str, *, index: int | None = None, section_id: str | None = None
    ) -> ShopSection:
        """A new shelf at ``index`` among the live ones (None = last)."""
        title = text(title, "title")
        with tx.write(self.db) as conn:
            get_shop(conn, shop_id)
            key = slot(
                conn,
                "shop_sections",
                shop_id,
                index,
                1,
                () if section_id is None else (section_id,),
            )[0]
            section = ShopSection(section_id or new_id(), shop_id, title, key)
            put_section(conn, section, tx.now_iso())
        return section

    def rename_section(self, section_id: str, title: str) -> ShopSection:
        with tx.write(self.db) as conn:
            section, deleted_at = get_section(conn, section_id)
            section = replace(section, title=text(title, "title"))
            put_section(conn, section, tx.now_iso(), deleted_at=deleted_at)
        return section

    def move_section(self, section_id: str, index: int) -> str:
        """Move the shelf to ``index`` among the others; returns its previous position (give
        it to ``set_section_position`` to undo)."""
        with tx.write(self.db) as conn:
            section, deleted_at = get_section(conn, section_id)
            key = slot(conn, "shop_sections", section.shop_id, index, 1, (section_id,))[0]
            put_section(conn, replace(section, position=key), tx.now_iso(), deleted_at=deleted_at)
        return section.position

    def set_section_position(self, section_id: str, position: str) -> None:
        with tx.write(self.db) as conn:
            section, deleted_at = get_section(conn, section_id)
            put_section(
                conn, replace(section, position=position), tx.now_iso(), deleted_at=deleted_at
            )

    def remove_section(self, section_id: str) -> None:
        """Tombstone the shelf and its live items with one stamp (so a restore finds them)."""
        with tx.write(self.db) as conn:
            section, _ = get_section(conn, section_id)
            now = tx.now_iso()
            for item in live_items(conn, section_id):
                put_item(conn, item, now, deleted_at=now)
            put_section(conn, section, now, deleted_at=now)

    def restore_section(self, section_id: str) -> ShopSection:
        """Bring back a removed shelf and the items removed with it (all or none; checked as
        ``restore_items`` is)."""
        with tx.write(self.db) as conn:
            (section, deleted_at), now = get_section(conn, section_id), tx.now_iso()
            rows = conn.execute(
                "SELECT id FROM shop_items WHERE section_id = ? AND deleted_at = ?",
                (section_id, deleted_at),
            ).fetchall()
            put_section(conn, section, now)
            if deleted_at and rows:
                check_shelving(conn, section.shop_id, len(rows))
            bring_back(
                conn,
                section.shop_id,
                [get_item(conn, item_id)[0] for (item_id,) in rows] if deleted_at else [],
                now,
            )
        return section
