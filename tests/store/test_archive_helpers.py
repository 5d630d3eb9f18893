"""Shared by the archive tests: a real workspace (store, catalog, media library) to export, and
dumps of a workspace's tables and media folder to compare before/after or across workspaces."""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from bench.catalog_gen import generate_records
from studio.core.boards import BoardItem, BoardItemKind
from studio.core.looks import Crop, LookStatus, MatchKind, ProductRef
from studio.media.library import MediaLibrary
from studio.store.boards import BoardStore
from studio.store.db import Database, open_database
from studio.store.importer import import_feed
from studio.store.looks import LookStore
from studio.store.profile import ProfileStore
from studio.store.reviews import ReviewStore
from studio.store.shops import ShopStore

TABLES = (
    "media",
    "looks",
    "look_tags",
    "look_photos",
    "hotspots",
    "boards",
    "board_items",
    "profile",
    "affiliations",
    "shops",
    "shop_sections",
    "shop_items",
    "reviews",
    "review_photos",
)


@dataclass
class Workspace:
    root: Path
    db: Database
    media: MediaLibrary

    @property
    def looks(self) -> LookStore:
        return LookStore(self.db)

    @property
    def boards(self) -> BoardStore:
        return BoardStore(self.db)

    @property
    def shops(self) -> ShopStore:
        return ShopStore(self.db)

    @property
    def reviews(self) -> ReviewStore:
        return ReviewStore(self.db)

    @property
    def profile(self) -> ProfileStore:
        return ProfileStore(self.db)


def open_workspace(
    root: Path,
    *,
    catalog: int = 12,
    skip_offer: str | None = None,
    db_path: Path | None = None,
    media_root: Path | None = None,
) -> Workspace:
    """A workspace whose catalog holds ``catalog`` generated products (Acme), less one;
    its store and media folder under ``root`` unless given."""
    db = open_database(db_path or root / "studio.sqlite3")
    records = [
        r for r in generate_records(catalog, seed=11, merchants=1) if r.offer_id != skip_offer
    ]
    if records:
        import_feed(db, "Acme", "google_xml", records)
    return Workspace(root, db, MediaLibrary(media_root or root / "media"))


def photo_bytes(seed: int, size: tuple[int, int], fmt: str = "JPEG") -> bytes:
    """A real, noisy picture (so it does not compress to nothing)."""
    rng = random.Random(seed)
    mode = "RGBA" if fmt == "PNG" else "RGB"
    img = Image.frombytes(mode, size, rng.randbytes(size[0] * size[1] * len(mode)))
    out = io.BytesIO()
    img.save(out, fmt, quality=90) if fmt == "JPEG" else img.save(out, fmt)
    return out.getvalue()


def offers(ws: Workspace) -> list[tuple[int, str, str]]:
    with ws.db.connect() as conn:
        return conn.execute("SELECT id, offer_id, title FROM products ORDER BY id").fetchall()


def fill(ws: Workspace) -> dict[str, str]:
    """Looks (one trashed), photos (one removed), hotspots (one on a product gone from the
    catalog, one deleted), a board with product, picture and text items (one deleted)."""
    products = offers(ws)
    a = ws.media.import_bytes(photo_bytes(1, (320, 240)))
    b = ws.media.import_bytes(photo_bytes(2, (200, 300), "PNG"))
    c = ws.media.import_bytes(photo_bytes(3, (64, 64)))
    looks = ws.looks
    look = looks.create_look("Autumn layers")
    looks.update_look(
        look.id,
        caption="Warm ✓",
        occasions=["Office", "Weekend"],
        seasons=["Autumn"],
        styles=["Minimal"],
        status=LookStatus.READY,
    )
    p1 = looks.add_photo(look.id, a.hash, a.width, a.height)
    looks.update_photo(
        p1.id, crop=Crop(0.1, 0.2, 0.9, 1.0 / 3 + 0.5), rotation=3, alt_text="A coat"
    )
    p2 = looks.add_photo(look.id, b.hash, b.width, b.height)
    h1 = looks.add_hotspot(
        p1.id,
        ProductRef(products[0][0], "Acme", products[0][1]),
        0.123456789,
        0.987654321,
        label="the coat",
        note="size M",
    )
    looks.add_hotspot(
        p1.id,
        ProductRef(products[1][0], "Acme", products[1][1]),
        0.5,
        0.25,
        label="",
        kind=MatchKind.SIMILAR,
    )
    looks.add_hotspot(p2.id, ProductRef(None, "Gone Ltd", "old-1"), 0.5, 0.5, label="old scarf")
    gone = looks.add_hotspot(p2.id, ProductRef(products[2][0], "Acme", products[2][1]), 0.1, 0.1)
    looks.delete_hotspot(gone.id)
    removed = looks.add_photo(look.id, c.hash, c.width, c.height)
    looks.remove_photo(removed.id)
    trashed = looks.create_look("Old look")
    looks.trash_look(trashed.id)
    boards = ws.boards
    board = boards.create_board("Moodboard")
    boards.update_board(board.id, background="#fafafa")
    boards.add_item(
        BoardItem(
            "",
            board.id,
            BoardItemKind.PRODUCT,
            400,
            400,
            300,
            200,
            rotation=12.5,
            flip_h=True,
            product=ProductRef(products[3][0], "Acme", products[3][1]),
            media_hash=c.hash,
        )
    )
    boards.add_item(
        BoardItem(
            "", board.id, BoardItemKind.TEXT, 600, 900, 500, 80, text="Autumn", color="#aa3300"
        )
    )
    pic = boards.add_item(
        BoardItem(
            "",
            board.id,
            BoardItemKind.PHOTO,
            100.25,
            50,
            90,
            90,
            crop=Crop(0.0, 0.1, 0.5, 0.9),
            media_hash=a.hash,
        )
    )
    boards.delete_item(pic.id)
    return {
        "look": look.id,
        "hotspot": h1.id,
        "board": board.id,
        "offer": products[0][1],
        "offer1": products[1][1],
    }


def fill_curation(ws: Workspace) -> dict[str, str]:
    """The profile (an avatar, a full tier) and affiliations (one removed); a shop with a
    banner, two sections (one removed) and items (one featured with a note, one removed),
    a trashed shop; reviews (one trashed) with photos (one removed). Uses products 4..7 of
    the catalog; the avatar, banner and review photos have no ``media`` row."""
    products = offers(ws)
    avatar = ws.media.import_bytes(photo_bytes(21, (48, 48)))
    banner = ws.media.import_bytes(photo_bytes(22, (300, 100), "PNG"))
    shot1 = ws.media.import_bytes(photo_bytes(23, (120, 90)))
    shot2 = ws.media.import_bytes(photo_bytes(24, (90, 120)))
    profile = ws.profile
    profile.set_tier_from_platform("full")  # the platform's word: two shops may be live
    profile.update(display_name="Ada ✓", bio="Slow fashion.", avatar_hash=avatar.hash)
    profile.add_affiliation("Nowhere Co", "Nothing > Else", "paid_by")
    dropped = profile.add_affiliation("Old Co", "Nothing", "represents")
    profile.remove_affiliation(dropped.id)
    shops = ws.shops
    shop = shops.create_shop("ada-picks", "Ada's picks", section_title="Coats")
    shops.update_shop(
        shop.id,
        tagline="Worn well",
        description="Things I **love**.",
        banner_hash=banner.hash,
        accent="#aa3300",
    )
    coats = shops.document(shop.id)
    assert coats is not None
    first = coats.sections[0]
    ref = [ProductRef(p[0], "Acme", p[1]) for p in products[4:8]]
    item = shops.add_item(first.id, ref[0], note="Runs large", featured=True)
    gone = shops.add_item(first.id, ref[1])
    shops.remove_items([gone.id])
    old = shops.add_section(shop.id, "Archive")
    shops.add_item(old.id, ref[2])
    shops.remove_section(old.id)
    other = shops.create_shop("old-shop", "Old shop")
    shops.trash_shop(other.id)
    reviews = ws.reviews
    review = reviews.create(ref[3], 4, title="Warm and light")
    reviews.update(
        review.id, body="It *is* warm.", pros=["light", "warm"], cons=["pricey"], status="ready"
    )
    reviews.add_photo(review.id, shot1.hash)
    removed = reviews.add_photo(review.id, shot2.hash)
    reviews.remove_photo(removed)
    trashed = reviews.create(ref[0], title="Meh")  # not rated yet: null round-trips
    reviews.trash(trashed.id)
    return {
        "shop": shop.id,
        "item": item.id,
        "review": review.id,
        "item_offer": ref[0].offer_id,
        "review_offer": ref[3].offer_id,
        "avatar": avatar.hash,
        "banner": banner.hash,
    }


def dump(db: Database) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every archived table (and the outbox's size), in a stable order."""
    with db.connect() as conn:
        tables = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in TABLES}
        tables["outbox"] = conn.execute("SELECT count(*) FROM outbox").fetchall()
    return tables


def media_files(root: Path) -> dict[str, bytes]:
    """The media folder's files (derivatives too) by relative path, with their bytes."""
    return (
        {
            str(p.relative_to(root)): p.read_bytes()
            for p in sorted(root.rglob("*"))
            if p.is_file() and ".staging" not in p.parts  # the library's bookkeeping
        }
        if root.is_dir()
        else {}
    )


def rewrite(
    src: Path,
    dst: Path,
    edit: Callable[[dict[str, bytes]], dict[str, bytes]],
    *,
    extra: Callable[[zipfile.ZipFile], None] | None = None,
) -> Path:
    """A copy of the archive ``src`` with its members changed by ``edit`` (name -> bytes)."""
    with zipfile.ZipFile(src) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in edit(members).items():
            zf.writestr(name, data)
        if extra is not None:
            extra(zf)
    return dst


def raw(db: Database, sql: str, *args: object) -> list[tuple[object, ...]]:
    with db.connect() as conn:
        rows: list[tuple[object, ...]] = conn.execute(sql, args).fetchall()
    return rows
