"""Shop and review commands of ``studio``: ``shops list|export`` and ``reviews list``.

Both read the real store (``studio.store.shops`` / ``reviews``), so what they print is what
the app shows: for a shop its handle, title, item count, the room left at the profile's tier
and the number of health issues; for a review its product, rating, status, word count and the
disclosure derived from its provenance. ``shops export`` writes the shop as buyers will see
it, one self-contained ``index.html`` (``studio.core.shop_page``) in the given directory,
written to a temporary file and renamed into place only when complete.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from studio.cli.output import print_json
from studio.core.errors import StoreError

if TYPE_CHECKING:
    from studio.services.workspace import Stores


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    shops = commands.add_parser("shops", help="list your shops")
    sub = shops.add_subparsers(dest="shops_command", metavar="COMMAND", required=True)
    listing = sub.add_parser("list", help="the shops, by title, with room left and health")
    listing.add_argument("--trash", action="store_true", help="list the trash instead")
    listing.add_argument("--json", action="store_true", help="print the list as JSON")
    listing.set_defaults(run=cmd_shops_list)
    export = sub.add_parser("export", help="write the shop as one self-contained web page")
    export.add_argument("handle", help="the shop's handle (see `studio shops list`)")
    export.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="DIR",
        help="the directory to write index.html into (made if missing)",
    )
    export.add_argument(
        "--no-images",
        action="store_true",
        help="leave out the product pictures (by default each is embedded as "
        "a small JPEG, taken from the app's image cache or read from the "
        "feed's image link; at most 1000, and any that cannot be read is "
        "skipped)",
    )
    export.set_defaults(run=cmd_shops_export)

    reviews = commands.add_parser("reviews", help="list your reviews")
    sub = reviews.add_subparsers(dest="reviews_command", metavar="COMMAND", required=True)
    listing = sub.add_parser("list", help="the reviews, most recently edited first")
    listing.add_argument("--trash", action="store_true", help="list the trash instead")
    listing.add_argument(
        "--search",
        default="",
        metavar="TEXT",
        help="only reviews whose title or body has every word",
    )
    listing.add_argument("--rating", type=int, choices=range(1, 6), metavar="1-5")
    listing.add_argument("--status", choices=("draft", "ready"))
    listing.add_argument("--merchant", help="only reviews of this merchant's products")
    listing.add_argument("--json", action="store_true", help="print the list as JSON")
    listing.set_defaults(run=cmd_reviews_list)


def cmd_shops_list(ws: Stores, args: argparse.Namespace) -> int:
    shops = ws.shops.summaries(trashed=args.trash)
    if args.json:
        print_json(
            [
                {
                    "id": s.id,
                    "handle": s.handle,
                    "title": s.title,
                    "items": s.item_count,
                    "room_left": s.room_left,
                    "health_issues": s.health_issues,
                    "updated_at": s.updated_at,
                }
                for s in shops
            ]
        )
        return 0
    print(
        f"{len(shops)} shop{'' if len(shops) == 1 else 's'}{' in the trash' if args.trash else ''}"
    )
    for s in shops:
        print(
            f"  {s.handle:<40}  {s.title[:40]:<40}  {s.item_count:>6} items  "
            f"{s.room_left:>6} left  {s.health_issues:>4} issues"
        )
    return 0


def cmd_reviews_list(ws: Stores, args: argparse.Namespace) -> int:
    reviews = ws.reviews.summaries(
        text=args.search,
        rating=args.rating,
        status=args.status,
        merchant=args.merchant,
        trashed=args.trash,
    )
    if args.json:
        print_json(
            [
                {
                    "id": r.id,
                    "product": {
                        "merchant": r.product.merchant,
                        "offer_id": r.product.offer_id,
                        "product_id": r.product.product_id,
                        "title": r.product_title,
                        "brand": r.brand,
                    },
                    "rating": r.rating,
                    "title": r.title,
                    "status": r.status.value,
                    "provenance": r.provenance.value,
                    "words": r.words,
                    "disclosure": r.disclosure,
                    "updated_at": r.updated_at,
                }
                for r in reviews
            ]
        )
        return 0
    print(
        f"{len(reviews)} review{'' if len(reviews) == 1 else 's'}"
        f"{' in the trash' if args.trash else ''}"
    )
    for r in reviews:
        stars = "no rating" if r.rating is None else "★" * r.rating + "☆" * (5 - r.rating)
        print(
            f"  {r.id}  {stars:<9}  {r.status.value:<5}  {r.words:>5} words  "
            f"{(r.product_title or r.product.offer_id)[:40]}"
        )
    return 0


def cmd_shops_export(ws: Stores, args: argparse.Namespace) -> int:
    from studio.core.shop_page import page_image_links, shop_page, write_shop_page
    from studio.media.export_html import stored_image_uri

    store = ws.shops
    shop = store.by_handle(args.handle)
    if shop is None:
        raise StoreError(f"there is no shop with the handle {args.handle!r}")
    doc, infos, affiliations = store.page_facts(shop.id)
    pictures: dict[tuple[str, str], str] = {}
    if not args.no_images:
        from studio.media.product_images import product_image_uris

        pictures = product_image_uris(page_image_links(doc, infos), ws.paths.image_cache)
    page = shop_page(
        doc, infos, affiliations, stored_image_uri(ws.media, doc.shop.banner_hash), pictures
    )
    target = write_shop_page(page, args.out)
    shown = "" if args.no_images else f", {len(pictures)} with a picture"
    print(f"Exported shop {doc.shop.title!r} ({doc.item_count} products{shown}) to {target}")
    return 0
