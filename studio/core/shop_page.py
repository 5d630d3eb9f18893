"""A shop as buyers will see it: ONE self-contained, responsive HTML page (the preview/export).

Pure: the caller reads the catalog facts of the shelved products and the affiliations from the
store and embeds the banner and the product pictures as ``data:`` URIs (pictures by (merchant,
offer id), made by ``studio.media.product_images.product_image_uris`` from
``page_image_links``; a product without one shows its card without a picture). ``shop_page``
turns them with the shop document into the page (``ShopPage``), ``shop_html`` into text, and
``write_shop_page`` writes ``index.html`` atomically. The CLI (``studio shops export``) and the
desktop's preview share all three, so the page is the same from both. The page needs no other
file, fetches nothing and runs no script. The product links sit under the disclosure, said
once above the first shelf (not again on each), which the curator cannot remove
(``studio.core.sharing.links_disclosure``): the
links are the merchants' plain links (the curator earns nothing through them until the platform
publishes the shop with tracked links), and the brands that pay the curator are named. A
product of the curator's own brand carries an "Own brand" label, one of a brand that pays them
a "Paid by the brand" label. Everything from a user or a feed is HTML-escaped, only absolute
http(s) links become links (``rel="noopener"``, ``rel="sponsored noopener"`` for a paying
brand's product), and only base64 JPEG ``data:`` URIs become pictures (``safe_image_uri``):
nothing else can reach a ``src``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Protocol

from studio.core.errors import MoneyError
from studio.core.money import Money
from studio.core.profile import Affiliation
from studio.core.rules import check_product, paying_brands
from studio.core.sharing import PLAIN_LINKS_NOTICE, links_disclosure, safe_link
from studio.core.shops import Shop, ShopDocument

_CSS = """
*{box-sizing:border-box}
body{margin:0;background:#fff;color:#1d1d1f;font:16px/1.5 system-ui,-apple-system,"Segoe UI",
Roboto,Arial,sans-serif}
main{max-width:1100px;margin:0 auto;padding:24px 16px 48px}
.banner{display:block;width:100%;max-height:360px;object-fit:cover;border-radius:8px}
h1{font-size:clamp(1.5rem,4vw,2.4rem);line-height:1.2;margin:.6em 0 .2em;color:var(--accent)}
.tagline{font-size:1.15rem;color:#55555a;margin:0 0 .6em}
.description{white-space:pre-line;margin:0 0 1em}
h2{font-size:1.25rem;margin:1.6em 0 .4em;border-bottom:3px solid var(--accent)}
.disclosure{background:#f4f4f6;border-radius:10px;padding:.7em 1em;font-size:.9rem;margin:.5em 0}
ul.items{list-style:none;padding:0;margin:0;display:grid;gap:12px;
grid-template-columns:repeat(auto-fill,minmax(220px,1fr))}
ul.items li{border:1px solid #e2e2e6;border-radius:10px;padding:12px}
.pic{display:block;aspect-ratio:1/1;margin:0 0 10px;border-radius:6px;background:#fff;
overflow:hidden}
.pic img{display:block;width:100%;height:100%;max-width:100%;object-fit:contain}
.gone .pic img{opacity:.45;filter:grayscale(1)}
@media (max-width:560px){ul.items li{display:flex;gap:12px;align-items:flex-start}
.pic{flex:0 0 36%;max-width:150px;margin:0}.info{flex:1;min-width:0}}
li.featured{border:2px solid var(--accent)}
.title{font-weight:600;color:inherit}
.meta{display:block;color:#6c6c72;font-size:.92rem}
.note{margin:.4em 0 0;font-style:italic}
.badge{display:inline-block;font-size:.75rem;font-weight:700;padding:0 .5em;border-radius:4px;
background:var(--accent);color:#fff;margin-right:.4em}
.gone .meta{color:#b02a2a}
"""


@dataclass(frozen=True, slots=True)
class PageItem:
    title: str
    brand: str | None
    price: str | None
    link: str | None
    note: str = ""
    featured: bool = False
    available: bool = True
    own_brand: bool = False
    image_uri: str | None = None
    paid_by: bool = False  # the curator declared that the brand pays them


@dataclass(frozen=True, slots=True)
class PageSection:
    title: str
    items: tuple[PageItem, ...]


@dataclass(frozen=True, slots=True)
class ShopPage:
    shop: Shop
    sections: tuple[PageSection, ...]
    banner_uri: str | None = None
    disclosure: str = PLAIN_LINKS_NOTICE


# A picture's only allowed source: the base64 JPEG the media layer made. Anything else (a
# remote URL would make the page fetch; a script or SVG URI could run) is dropped.
_JPEG_URI = re.compile(r"data:image/jpeg;base64,[A-Za-z0-9+/]+={0,2}")


def safe_image_uri(uri: str | None) -> str | None:
    """``uri`` when it is a base64 JPEG ``data:`` URI, else None."""
    return uri if uri is not None and _JPEG_URI.fullmatch(uri) else None


def _rel(item: PageItem) -> str:
    # A plain merchant link is not a paid one; a paying brand's product is (search engines
    # ask that such links say so).
    return "sponsored noopener" if item.paid_by else "noopener"


def _picture(item: PageItem, link: str | None) -> str:
    uri = safe_image_uri(item.image_uri)
    if uri is None:
        return ""
    img = f'<img src="{uri}" alt="{escape(item.title)}" loading="lazy" decoding="async">'
    if link is None:
        return f'<span class="pic">{img}</span>'
    # Buyers click pictures; the title link stays the one keyboard stop per product.
    return (
        f'<a class="pic" href="{escape(link)}" rel="{_rel(item)}" target="_blank" '
        f'tabindex="-1">{img}</a>'
    )


def _item(item: PageItem) -> str:
    title = escape(item.title)
    link = safe_link(item.link)
    if not item.available:
        link = None
    if link is not None:
        title = (
            f'<a class="title" href="{escape(link)}" rel="{_rel(item)}" target="_blank">{title}</a>'
        )
    else:
        title = f'<span class="title">{title}</span>'
    badges = "".join(
        f'<span class="badge">{text}</span>'
        for text, on in (
            ("Featured", item.featured),
            ("Own brand", item.own_brand),
            ("Paid by the brand", item.paid_by),
        )
        if on
    )
    meta = " · ".join(escape(x) for x in (item.brand, item.price) if x)
    if not item.available:
        meta = (meta + " · " if meta else "") + "currently unavailable"
    note = f'<p class="note">{escape(item.note)}</p>' if item.note else ""
    classes = " ".join(
        c for c, on in (("featured", item.featured), ("gone", not item.available)) if on
    )
    # On a phone the picture sits beside the text (see _CSS), so more than one product shows.
    return (
        f'<li class="{classes}">{_picture(item, link)}<div class="info">{badges}{title}'
        f'<span class="meta">{meta}</span>{note}</div></li>'
    )


def shop_html(page: ShopPage) -> str:
    """The whole page as text (UTF-8 when written)."""
    shop = page.shop
    parts = [
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(shop.title)}</title><style>:root{{--accent:{escape(shop.accent)}}}"
        f"{_CSS}</style></head><body><main>"
    ]
    banner = safe_image_uri(page.banner_uri)
    if banner is not None:
        parts.append(f'<img class="banner" src="{banner}" alt="">')
    parts.append(f"<h1>{escape(shop.title)}</h1>")
    if shop.tagline:
        parts.append(f'<p class="tagline">{escape(shop.tagline)}</p>')
    if shop.description:
        parts.append(f'<p class="description">{escape(shop.description)}</p>')
    if any(section.items for section in page.sections):  # once, before the first link
        parts.append(f'<p class="disclosure" role="note">{escape(page.disclosure)}</p>')
    for section in page.sections:
        if not section.items:
            continue
        parts.append(f'<section><h2>{escape(section.title)}</h2><ul class="items">')
        parts.extend(_item(i) for i in section.items)
        parts.append("</ul></section>")
    parts.append("</main></body></html>\n")
    return "".join(parts)


class ProductFacts(Protocol):
    """What the page shows of a shelved product (``studio.store.curation_rows.ProductInfo``)."""

    @property
    def title(self) -> str: ...
    @property
    def brand(self) -> str | None: ...
    @property
    def category(self) -> str | None: ...
    @property
    def available(self) -> bool: ...
    @property
    def price_minor(self) -> int | None: ...
    @property
    def currency(self) -> str | None: ...
    @property
    def link(self) -> str | None: ...
    @property
    def image_link(self) -> str | None: ...


def _price_text(facts: ProductFacts) -> str | None:
    if facts.price_minor is None:
        return None
    try:
        return Money(facts.price_minor, facts.currency or "").format()
    except MoneyError:
        return None


def page_image_links(
    doc: ShopDocument, products: Mapping[tuple[str, str], ProductFacts]
) -> dict[tuple[str, str], str]:
    """The picture URL of each shelved product that has one, by (merchant, offer id), in the
    page's order (shelf by shelf), so a cap on pictures keeps those a buyer sees first."""
    links: dict[tuple[str, str], str] = {}
    for section in doc.sections:
        for item in doc.items_of(section.id):
            key = (item.product.merchant, item.product.offer_id)
            facts = products.get(key)
            if facts is not None and facts.image_link and key not in links:
                links[key] = facts.image_link
    return links


def shop_page(
    doc: ShopDocument,
    products: Mapping[tuple[str, str], ProductFacts],
    affiliations: Iterable[Affiliation],
    banner_uri: str | None = None,
    image_uris: Mapping[tuple[str, str], str] | None = None,
) -> ShopPage:
    """The page of ``doc``: ``products`` keyed by (merchant, offer id); a product not in
    ``products`` shows by its offer id as unavailable; the curator's own brands and the brands
    that pay them are labelled, and the latter named in the disclosure. ``image_uris`` gives
    the products' pictures (JPEG data URIs) by the same key."""
    ties = list(affiliations)
    pictures = image_uris or {}
    sections = []
    shown: list[str | None] = []
    for section in doc.sections:
        items = []
        for item in doc.items_of(section.id):
            facts = products.get((item.product.merchant, item.product.offer_id))
            if facts is None:
                items.append(
                    PageItem(
                        item.product.offer_id,
                        None,
                        None,
                        None,
                        item.note,
                        item.featured,
                        available=False,
                    )
                )
                continue
            verdict = check_product(ties, facts.brand, facts.category)
            shown.append(facts.brand)
            items.append(
                PageItem(
                    facts.title,
                    facts.brand,
                    _price_text(facts),
                    facts.link,
                    item.note,
                    item.featured,
                    facts.available,
                    verdict.own_brand,
                    pictures.get((item.product.merchant, item.product.offer_id)),
                    verdict.paid_by,
                )
            )
        sections.append(PageSection(section.title, tuple(items)))
    disclosure = links_disclosure(paying_brands(ties, shown))
    return ShopPage(doc.shop, tuple(sections), banner_uri, disclosure)


def write_shop_page(page: ShopPage, out: Path) -> Path:
    """Write ``out/index.html`` (the directory made if missing) through a temporary file
    renamed into place only when complete; returns the page's path."""
    out.mkdir(parents=True, exist_ok=True)
    target = out / "index.html"
    partial = out / ".index.html.partial"
    partial.write_text(shop_html(page), encoding="utf-8")
    os.replace(partial, target)
    return target
