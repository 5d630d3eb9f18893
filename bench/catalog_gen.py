"""A deterministic, realistic generated catalog for the benchmarks and the big tests.

``generate_records(n)`` yields ``ProductRecord`` values fast enough (well over 300k/s) that the
generator never dominates an import benchmark. The vocabulary is Zipf-like on purpose: the search
and facet figures need a term matching ~30% of the catalog ("shirt"), mid-frequency terms, rare
terms (< 100 matches in 1M: the model names), accented words ("café", "crème") for the
accent-insensitive search, ~2,000 brands and ~300 category paths.
``write_google_xml(path, n)`` streams the same records as a Google Merchant RSS 2.0 feed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from xml.sax.saxutils import escape

from studio.core.money import Money
from studio.core.product import Availability, Condition, ProductRecord

_NOUNS = (
    "shirt",
    "dress",
    "jacket",
    "sneakers",
    "jeans",
    "sweater",
    "boots",
    "skirt",
    "hoodie",
    "coat",
    "blouse",
    "sandals",
    "scarf",
    "backpack",
    "watch",
    "lamp",
    "mug",
    "chair",
    "sofa",
    "table",
    "pillow",
    "blanket",
    "candle",
    "vase",
    "headphones",
    "speaker",
    "kettle",
    "knife",
    "pan",
    "teapot",
    "wallet",
    "belt",
    "hat",
    "gloves",
    "socks",
    "shorts",
    "trousers",
    "cardigan",
    "tote",
    "sunglasses",
)
# "shirt" is drawn ~30% of the time; the rest decay like 1/rank.
_NOUN_WEIGHTS = (30.0, *(14.0 / (r + 1) for r in range(len(_NOUNS) - 1)))
_ADJECTIVES = (
    "classic",
    "slim",
    "oversized",
    "vintage",
    "organic",
    "recycled",
    "lightweight",
    "premium",
    "handmade",
    "waterproof",
    "cozy",
    "minimal",
    "elegant",
    "rustic",
    "modern",
    "soft",
    "bold",
    "crème",
    "café",
    "naïve",
    "élégant",
    "señorita",
    "über",
    "déjà",
    "rosé",
    "fiancée",
    "piñata",
    "smörgåsbord",
    "façade",
    "jalapeño",
)
_COLORS = (
    "black",
    "white",
    "navy",
    "grey",
    "red",
    "green",
    "beige",
    "olive",
    "burgundy",
    "sand",
    "ivory",
    "charcoal",
    "mustard",
    "teal",
    "blush",
    "crème brûlée",
)
_MATERIALS = (
    "cotton",
    "linen",
    "wool",
    "silk",
    "denim",
    "leather",
    "cashmere",
    "polyester",
    "bamboo",
    "ceramic",
    "oak",
    "walnut",
    "steel",
    "glass",
)
_SIZES = ("XS", "S", "M", "L", "XL", "XXL", "36", "38", "40", "42", "One size")
_GENDERS = ("female", "male", "unisex")
_AGES = ("adult", "adult", "adult", "kids", "teen")
_FILLER = (
    "designed",
    "for",
    "everyday",
    "wear",
    "with",
    "a",
    "relaxed",
    "fit",
    "and",
    "durable",
    "stitching",
    "made",
    "from",
    "responsibly",
    "sourced",
    "fibres",
    "easy",
    "care",
    "machine",
    "washable",
    "perfect",
    "gift",
    "timeless",
    "style",
    "that",
    "pairs",
    "well",
    "any",
    "outfit",
    "crafted",
    "in",
    "small",
    "batches",
    "by",
    "skilled",
    "artisans",
    "comfortable",
    "all",
    "day",
    "long",
    "breathable",
    "fabric",
    "keeps",
    "you",
    "cool",
    "summer",
    "warm",
    "winter",
)
_CURRENCIES = ("USD", "USD", "USD", "EUR", "EUR", "GBP", "CHF")
_AVAILABILITY = (
    (Availability.IN_STOCK,) * 80
    + (Availability.OUT_OF_STOCK,) * 12
    + (Availability.PREORDER,) * 3
    + (Availability.BACKORDER,) * 3
    + (Availability.LIMITED,) * 2
)
_SYLLABLES = (
    "ka",
    "zor",
    "vex",
    "lu",
    "min",
    "tra",
    "qui",
    "bel",
    "dro",
    "nix",
    "pha",
    "sol",
    "ten",
    "ur",
    "wy",
    "xan",
    "yel",
    "gor",
    "fi",
    "mo",
    "ra",
    "sti",
    "vo",
    "ley",
)
_TOP_CATEGORIES = (
    "Apparel",
    "Footwear",
    "Accessories",
    "Home",
    "Kitchen",
    "Electronics",
    "Outdoors",
    "Beauty",
)
_POOL = 1 << 16  # pools sampled once, then indexed with getrandbits(16)


def _pseudo_word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts))


def _gtin13(rng: random.Random) -> str:
    body = [rng.randrange(10) for _ in range(12)]
    total = sum(d * (3 if i % 2 else 1) for i, d in enumerate(body))
    return "".join(map(str, body)) + str((10 - total % 10) % 10)


class _Vocabulary:
    """Everything sampled once per seed, so the per-record work is indexing and formatting."""

    def __init__(self, rng: random.Random, merchants: int) -> None:
        self.nouns = rng.choices(_NOUNS, cum_weights=list(accumulate(_NOUN_WEIGHTS)), k=_POOL)
        adj_weights = [1.0 / (r + 1) ** 0.7 for r in range(len(_ADJECTIVES))]
        self.adjectives = rng.choices(_ADJECTIVES, weights=adj_weights, k=_POOL)
        # ~20,000 model names drawn uniformly: each matches ~50 products in a 1M catalog.
        self.models = sorted({_pseudo_word(rng, 3).capitalize() for _ in range(21_000)})[:20_000]
        brand_names = sorted({_pseudo_word(rng, 2).capitalize() for _ in range(2_600)})[:2_000]
        brand_names[:6] = ["Café Noir", "Crème & Co", "Zoë Atelier", "Nordlys", "Søren", "Acme"]
        brand_weights = [1.0 / (r + 1) ** 0.8 for r in range(len(brand_names))]
        self.brands = rng.choices(brand_names, weights=brand_weights, k=_POOL)
        paths = []
        for top in _TOP_CATEGORIES:
            for mid in range(6):
                for leaf in range(6):
                    paths.append(
                        f"{top} > {_pseudo_word(rng, 2).capitalize()} > "
                        f"{_NOUNS[(mid * 6 + leaf) % len(_NOUNS)].capitalize()}s {leaf}"
                    )
        paths = paths[:300]
        self.categories = rng.choices(
            paths, weights=[1.0 / (r + 1) ** 0.5 for r in range(len(paths))], k=_POOL
        )
        self.descriptions = [
            " ".join(rng.choices(_FILLER, k=rng.randint(20, 40))) + "." for _ in range(4096)
        ]
        self.prices = [
            # log-uniform 1.00 .. 2000.00
            Money(int(100 * 2000 ** rng.random()), _CURRENCIES[k % len(_CURRENCIES)])
            for k in range(_POOL)
        ]
        self.gtins = [_gtin13(rng) for _ in range(4096)]
        self.mpns = [f"MPN{k:05d}" for k in range(_POOL)]
        # A sale is 20% off; precomputed so the hot loop builds no Money.
        self.sales = [Money(p.minor * 4 // 5, p.currency) for p in self.prices]
        self.merchants = [f"Merchant {m:02d}" for m in range(merchants)]
        self.slugs = [f"m{m:02d}" for m in range(merchants)]
        self.colors = [rng.choice(_COLORS) for _ in range(_POOL)]
        self.materials = [rng.choice(_MATERIALS) for _ in range(_POOL)]
        now = datetime(2026, 11, 1, tzinfo=UTC)
        starts = [now - timedelta(days=rng.randint(0, 40)) for _ in range(256)]
        # Some windows are over already: the sale must then not show.
        self.sale_windows = [(s, s + timedelta(days=rng.randint(1, 60))) for s in starts]


def generate_records(n: int, *, seed: int = 7, merchants: int = 20) -> Iterator[ProductRecord]:
    """Yield ``n`` deterministic products spread over ``merchants`` merchants."""
    rng = random.Random(seed)
    v = _Vocabulary(rng, merchants)
    bits = rng.getrandbits
    nouns, adjectives, models, brands = v.nouns, v.adjectives, v.models, v.brands
    n_models = len(models)
    for i in range(n):
        r = bits(64)
        a, b, c, d = r & 0xFFFF, (r >> 16) & 0xFFFF, (r >> 32) & 0xFFFF, r >> 48
        m = i % merchants
        slug = v.slugs[m]
        noun = nouns[a]
        price = v.prices[b]
        on_sale = d % 10 == 0
        sale = v.sales[b] if on_sale else None
        window = v.sale_windows[c & 0xFF] if on_sale and c & 1 else (None, None)
        availability = _AVAILABILITY[d % 100]
        group = f"{slug}-g{i // 3}" if noun in ("shirt", "dress", "sneakers") else None
        yield ProductRecord(
            merchant=v.merchants[m],
            offer_id=f"{slug}-{i}",
            title=f"{brands[c]} {adjectives[b]} {v.colors[d]} {noun} {models[bits(32) % n_models]}",
            item_group_id=group,
            description=v.descriptions[(a ^ c) & 0xFFF],
            link=f"https://{slug}.shop.example/p/{i}",
            image_link=f"https://img.example.invalid/{slug}/{i}.jpg",
            additional_images=(f"https://img.example.invalid/{slug}/{i}-2.jpg",) if d & 4 else (),
            price=price,
            sale_price=sale,
            sale_start=window[0],
            sale_end=window[1],
            availability=availability,
            condition=Condition.NEW,
            brand=brands[c],
            gtin=v.gtins[a & 0xFFF] if d & 2 else None,
            mpn=v.mpns[b],
            google_category=None,
            product_type=v.categories[d],
            color=v.colors[d],
            size=_SIZES[c % len(_SIZES)],
            gender=_GENDERS[a % 3],
            age_group=_AGES[b % 5],
            material=v.materials[a],
        )


_RSS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">\n<channel>\n'
    "<title>Generated catalog</title>\n<link>https://shop.example/</link>\n"
    "<description>Generated for the benchmarks</description>\n"
)


def _iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M%z")


def _item_xml(p: ProductRecord) -> str:
    e = escape
    parts = [
        "<item>",
        f"<g:id>{e(p.offer_id)}</g:id>",
        f"<title>{e(p.title)}</title>",
        f"<description>{e(p.description)}</description>",
        f"<link>{e(p.link or '')}</link>",
        f"<g:image_link>{e(p.image_link or '')}</g:image_link>",
    ]
    parts += [
        f"<g:additional_image_link>{e(u)}</g:additional_image_link>" for u in p.additional_images
    ]
    if p.price is not None:
        parts.append(f"<g:price>{p.price.format()}</g:price>")
    if p.sale_price is not None:
        parts.append(f"<g:sale_price>{p.sale_price.format()}</g:sale_price>")
        if p.sale_start and p.sale_end:
            parts.append(
                f"<g:sale_price_effective_date>{_iso(p.sale_start)}/{_iso(p.sale_end)}"
                "</g:sale_price_effective_date>"
            )
    parts.append(f"<g:availability>{p.availability.value}</g:availability>")
    if p.availability in (Availability.PREORDER, Availability.BACKORDER):
        parts.append("<g:availability_date>2026-12-25T13:00-0800</g:availability_date>")
    for tag, value in (
        ("condition", p.condition),
        ("brand", p.brand),
        ("gtin", p.gtin),
        ("mpn", p.mpn),
        ("product_type", p.product_type),
        ("item_group_id", p.item_group_id),
        ("color", p.color),
        ("size", p.size),
        ("gender", p.gender),
        ("age_group", p.age_group),
        ("material", p.material),
    ):
        if value:
            parts.append(f"<g:{tag}>{e(str(value))}</g:{tag}>")
    parts.append("</item>\n")
    return "".join(parts)


def write_google_xml(path: Path, n: int, *, seed: int = 7, merchants: int = 1) -> Path:
    """Write ``n`` generated items as a Google Merchant RSS 2.0 feed, streamed to ``path``."""
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(_RSS_HEAD)
        chunk: list[str] = []
        for record in generate_records(n, seed=seed, merchants=merchants):
            chunk.append(_item_xml(record))
            if len(chunk) >= 2000:
                out.write("".join(chunk))
                chunk.clear()
        out.write("".join(chunk))
        out.write("</channel>\n</rss>\n")
    return path
