"""What the demo workspace shows a newcomer the studio makes: a look, a board, a shop, a review.

After the demo catalog is imported (``FileJobs.load_demo``, ``studio --demo``), one job on the
content queue of the writer lane writes, through the stores' normal methods (each record with
its outbox entry, refused by the same rules as a curator's edit):

- a look, "Linen weekend", whose photo is a flat lay made from the demo's own product pictures
  (``studio.media.demo.demo_look_photo``: no extra file shipped, the same licence), with each
  product tagged where it lies;
- a board, "Weekend layers", with those products side by side, each with its picture (from
  the demo's own files, in the photo library as a fetched product image is);
- a shop, "Atelier picks" (handle ``atelier-picks``), with one shelf holding them;
- a draft review of the linen shirt, with a rating, a title, words, pros and cons.

Every record has a fixed id (a UUID made from its name), and each is written only when no
record has that id yet: loading the demo again (or after a failure part-way) adds what is
missing and never duplicates what is there, nor brings back what the curator trashed.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from studio.core.boards import BoardItem, BoardItemKind
from studio.core.catalog import SearchQuery
from studio.core.looks import ProductRef
from studio.core.product import Availability

if TYPE_CHECKING:
    from studio.services.workspace import Stores

# What the look shows, found by words in the demo catalog (Atelier Verde's clothing).
PRODUCTS = ("linen shirt", "wrap dress", "canvas tote")
LOOK_TITLE = "Linen weekend"
LOOK_CAPTION = "Washed linen, a light dress and one bag for everything: two days off, packed."
PHOTO_ALT = "A flat lay of a linen shirt, a midi dress and a canvas tote on linen."
BOARD_TITLE = "Weekend layers"
SHOP_HANDLE, SHOP_TITLE, SHELF_TITLE = "atelier-picks", "Atelier picks", "New in"
TILE = 360.0  # board pixels per product


def demo_id(name: str) -> str:
    """The fixed id of the demo's record ``name`` (the same in every workspace)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://vitrine.invalid/demo/{name}"))


@dataclass
class DemoContent:
    """What a run wrote (names of the records added; empty when all were there)."""

    added: list[str] = field(default_factory=list)


def _products(stores: Stores) -> list[tuple[ProductRef, str]]:
    """(reference, image URL) of each of PRODUCTS found in the catalog."""
    out = []
    for words in PRODUCTS:
        # In stock, so the demo's own Checks have nothing to say about its products.
        query = SearchQuery(words, availability=frozenset({Availability.IN_STOCK}), limit=1)
        ids: Any = stores.catalog.search(query).ids
        found = [int(i) for i in ids]
        detail = stores.catalog.detail(found[0]) if found else None
        image = detail.card.image_link if detail is not None else None
        if detail is not None and image:
            card = detail.card
            out.append((ProductRef(card.id, card.merchant, detail.offer_id), image))
    return out


def _pictured(stores: Stores, item: BoardItem, url: str) -> BoardItem:
    """``item`` with its product's picture (shipped with the demo) in the photo library and
    its shape, as a product dropped on a board gets once its image is fetched: a demo item
    without it stayed "Loading image…" (nothing fetches what no curator placed)."""
    from studio.media.demo import demo_images

    path = demo_images().get(url)
    if path is None:
        return item
    stored = stores.media.import_file(path, derivatives=True)
    scale = TILE / max(stored.width, stored.height, 1)
    return dataclasses.replace(
        item, media_hash=stored.hash, width=stored.width * scale, height=stored.height * scale
    )


def _picture_board(stores: Stores, board_id: str, urls: dict[ProductRef, str]) -> None:
    """Give the pictures to the demo board's products that lack one (a workspace whose demo
    was loaded before the demo board had them)."""
    board = stores.boards.document(board_id)
    changes = []
    for item in board.items if board is not None else ():
        url = urls.get(item.product) if item.product is not None else None
        if item.media_hash is None and url is not None:
            done = _pictured(stores, item, url)
            if done.media_hash is not None:
                shape = {"media_hash": done.media_hash, "width": done.width, "height": done.height}
                changes.append((item.id, shape))
    if changes:
        stores.boards.update_items(changes)


def add_demo_content(stores: Stores) -> DemoContent:
    """Write the demo's look, board, shop and review where missing (see the module doc)."""
    from studio.media.demo import demo_look_photo, demo_look_spots

    done = DemoContent()
    products = _products(stores)
    if not products:
        return done  # not the demo catalog: nothing to show it with
    refs = [ref for ref, _url in products]
    looks, boards, shops, reviews = stores.looks, stores.boards, stores.shops, stores.reviews

    look_id = demo_id("look")
    if looks.document(look_id) is None:
        stored = stores.media.import_bytes(
            demo_look_photo([url for _ref, url in products]), name="demo look"
        )
        looks.create_look(LOOK_TITLE, look_id=look_id)
        looks.update_look(look_id, caption=LOOK_CAPTION, seasons=("summer",))
        photo = looks.add_photo(
            look_id, stored.hash, stored.width, stored.height, photo_id=demo_id("look/photo")
        )
        looks.update_photo(photo.id, alt_text=PHOTO_ALT)
        for n, (ref, (x, y)) in enumerate(zip(refs, demo_look_spots(len(refs)), strict=True)):
            looks.add_hotspot(photo.id, ref, x, y, hotspot_id=demo_id(f"look/tag/{n}"))
        done.added.append("look")

    board_id = demo_id("board")
    if boards.document(board_id) is None:
        boards.create_board(BOARD_TITLE, board_id=board_id)
        for n, (ref, url) in enumerate(products):
            item = BoardItem(
                demo_id(f"board/item/{n}"),
                board_id,
                BoardItemKind.PRODUCT,
                x=TILE * (n + 0.75),
                y=TILE * 0.75,
                width=TILE,
                height=TILE,
                product=ref,
            )
            boards.add_item(_pictured(stores, item, url))
        done.added.append("board")
    else:
        _picture_board(stores, board_id, dict(products))

    shop_id = demo_id("shop")
    if shops.shop(shop_id) is None and shops.by_handle(SHOP_HANDLE) is None:
        shops.create_shop(SHOP_HANDLE, SHOP_TITLE, shop_id=shop_id, section_title=SHELF_TITLE)
        document = shops.document(shop_id)
        if document is not None and document.sections:
            shops.add_items(
                document.sections[0].id,
                refs,
                item_ids=[demo_id(f"shop/item/{n}") for n in range(len(refs))],
            )
        done.added.append("shop")

    review_id = demo_id("review")
    if reviews.get(review_id) is None:
        reviews.create(refs[0], 4, title="A shirt for the whole summer", review_id=review_id)
        reviews.update(
            review_id,
            body="Washed linen that is soft from the first wear and gets better with every wash.",
            pros=("Breathes on hot days", "No ironing needed"),
            cons=("Runs a little long",),
        )
        done.added.append("review")
    return done
