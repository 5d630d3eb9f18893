"""Generate the demo catalog shipped in resources/demo: four merchants' feeds and their images.

Run ``python resources/demo/make_demo.py`` from the repository root to regenerate everything in
this folder (the output is deterministic and is committed, so the app never runs this script).

The four merchants each publish in a real format the importer reads:

* Maison Lumière, home & living, Google Merchant RSS 2.0 XML, EUR (``maison-lumiere.xml``)
* Trailhead Outfitters, outdoor gear, Google Merchant tab-separated text, GBP (``trailhead.tsv``)
* Nordlys Coffee, coffee & brewing, Shopify ``products.json``, USD (``nordlys-coffee.json``)
* Atelier Verde, clothing, WooCommerce product CSV export, USD (``atelier-verde.csv``)

Product images are drawn here (a gradient, a simple silhouette of the product, its name) and
written as JPEG, WebP and PNG. The feeds name them by https URL on a reserved name that never
resolves, ``https://demo.vitrine.invalid/images/<file>``, as a real merchant names its CDN's;
``studio.media.demo`` seeds the image cache with the shipped files under those URLs, so the
app shows them without fetching anything or reading a file a feed names.
Landing pages use the reserved ``.example`` domain.
"""

# ruff: noqa: E501 - the catalog below is a data table: one product per line reads best

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = Path(__file__).resolve().parent
IMAGES = HERE / "images"
IMAGE_BASE_URL = "https://demo.vitrine.invalid/images/"  # studio.media.demo.IMAGE_BASE_URL
SIZE = 480
SUPER = 2  # silhouettes are drawn at 2x and scaled down: cheap anti-aliasing


@dataclass
class Product:
    sku: str
    title: str
    kind: str  # which silhouette to draw
    brand: str
    price: str
    category: str
    google_category: str
    description: str
    sale: str = ""
    sale_dates: str = ""
    colour: str = ""
    variants: list[tuple[str, str]] = field(default_factory=list)  # (colour, size)
    availability: str = "in_stock"
    gtin: str = ""
    material: str = ""
    gender: str = ""
    extra_views: int = 0  # additional images


WINTER_SALE = "2026-11-20T00:00+01:00/2027-01-31T23:59+01:00"

PALETTES = {
    "home": [((246, 224, 196), (214, 164, 126)), ((222, 230, 214), (150, 176, 140))],
    "outdoor": [((206, 226, 236), (84, 132, 160)), ((232, 226, 200), (160, 150, 96))],
    "coffee": [((240, 226, 208), (150, 102, 70)), ((226, 216, 230), (120, 96, 140))],
    "fashion": [((246, 214, 214), (196, 110, 120)), ((214, 228, 240), (96, 124, 170))],
}
COLOURS = {
    "Sand": (214, 190, 150), "Sage": (140, 166, 130), "Terracotta": (196, 104, 72),
    "Ink": (44, 56, 84), "Ochre": (214, 160, 60), "Forest": (52, 96, 70),
    "Slate": (96, 110, 124), "Ember": (200, 72, 52), "Cream": (240, 232, 214),
    "Black": (38, 38, 42), "Navy": (40, 52, 96), "Rose": (214, 140, 150),
    "Olive": (120, 124, 70), "White": (246, 246, 242), "Blue": (70, 110, 176),
}


def ean13(seed: int) -> str:
    """A valid EAN-13 (check digit computed) in a private-use 20-29 prefix range."""
    body = f"2{seed:011d}"[-12:]
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def _p(sku: str, title: str, kind: str, brand: str, price: str, category: str, gcat: str,
       description: str, **kw: object) -> Product:
    product = Product(sku, title, kind, brand, price, category, gcat, description, **kw)  # type: ignore[arg-type]
    product.gtin = product.gtin or ean13(sum(ord(c) * (i + 7) for i, c in enumerate(sku)) * 7919)
    return product


HOME = "Home & Garden"
MAISON = [
    _p("ML-LAMP-01", "Orla Linen Table Lamp", "lamp", "Maison Lumière", "89.00", "Lighting > Table Lamps", f"{HOME} > Lighting > Lamps", "A ceramic base with a hand-stitched linen shade. Warm, diffuse light for a bedside or a reading corner. E27 bulb, 1.8 m fabric cable.", sale="69.00", sale_dates=WINTER_SALE, colour="Sand", material="Ceramic/Linen", extra_views=1),
    _p("ML-LAMP-02", "Arc Brass Floor Lamp", "floorlamp", "Maison Lumière", "249.00", "Lighting > Floor Lamps", f"{HOME} > Lighting > Lamps", "A slender brushed-brass arc that reaches over a sofa. Dimmable, with a marble counterweight.", colour="Ochre", material="Brass"),
    _p("ML-CNDL-01", "Fig & Cedar Scented Candle", "candle", "Atelier Cire", "32.00", "Home Fragrance > Candles", f"{HOME} > Decor > Home Fragrances > Candles", "Soy wax, cotton wick, about 50 hours of burn time. Notes of green fig, cedarwood and a hint of smoke.", colour="Terracotta"),
    _p("ML-CNDL-02", "Sea Salt & Sage Candle", "candle", "Atelier Cire", "32.00", "Home Fragrance > Candles", f"{HOME} > Decor > Home Fragrances > Candles", "Soy wax in a recycled glass tumbler. Fresh, mineral, herbal.", colour="Sage", availability="out_of_stock"),
    _p("ML-VASE-01", "Dune Stoneware Vase", "vase", "Maison Lumière", "58.00", "Decor > Vases", f"{HOME} > Decor > Vases", "Wheel-thrown stoneware with a sandy matte glaze. Each piece varies slightly. Watertight.", colour="Sand", material="Stoneware", extra_views=1),
    _p("ML-VASE-02", "Bud Vase Trio, Smoked Glass", "vase", "Verrerie Nord", "45.00", "Decor > Vases", f"{HOME} > Decor > Vases", "Three mouth-blown bud vases in smoked grey glass, 10, 14 and 18 cm.", colour="Slate", material="Glass", sale="36.00"),
    _p("ML-CUSH-01-TER", "Boucle Cushion Cover 45 cm", "cushion", "Maison Lumière", "39.00", "Textiles > Cushions", f"{HOME} > Decor > Throw Pillows", "Soft boucle front, cotton back, hidden zip. Insert sold separately.", colour="Terracotta", material="Polyester/Cotton"),
    _p("ML-CUSH-01-SAG", "Boucle Cushion Cover 45 cm", "cushion", "Maison Lumière", "39.00", "Textiles > Cushions", f"{HOME} > Decor > Throw Pillows", "Soft boucle front, cotton back, hidden zip. Insert sold separately.", colour="Sage", material="Polyester/Cotton"),
    _p("ML-CUSH-01-CRM", "Boucle Cushion Cover 45 cm", "cushion", "Maison Lumière", "39.00", "Textiles > Cushions", f"{HOME} > Decor > Throw Pillows", "Soft boucle front, cotton back, hidden zip. Insert sold separately.", colour="Cream", material="Polyester/Cotton", availability="preorder"),
    _p("ML-THRW-01", "Merino Waffle Throw", "throw", "Lana & Co", "129.00", "Textiles > Throws", f"{HOME} > Linens & Bedding > Bedding > Blankets", "Pure merino wool in a deep waffle weave, 130 x 170 cm, finished with a blanket stitch.", colour="Ochre", material="Merino wool", sale="99.00", sale_dates=WINTER_SALE),
    _p("ML-MUG-01", "Speckled Stoneware Mug, Set of 2", "mug", "Maison Lumière", "28.00", "Kitchen > Mugs", f"{HOME} > Kitchen & Dining > Tableware > Drinkware > Mugs", "Two 350 ml mugs with a speckled oat glaze. Dishwasher and microwave safe.", colour="Cream", material="Stoneware"),
    _p("ML-MIRR-01", "Pebble Wall Mirror", "mirror", "Maison Lumière", "119.00", "Decor > Mirrors", f"{HOME} > Decor > Mirrors", "An organic pebble-shaped mirror, 50 x 70 cm, on an oak backing board.", colour="Sand", material="Oak/Glass"),
    _p("ML-PLNT-01", "Terracotta Planter with Saucer", "planter", "Jardin Simple", "24.00", "Garden > Planters", f"{HOME} > Lawn & Garden > Gardening > Pots & Planters", "Unglazed terracotta, 18 cm, with a drainage hole and a matching saucer.", colour="Terracotta", material="Terracotta"),
    _p("ML-CLCK-01", "Minimal Wall Clock", "clock", "Maison Lumière", "64.00", "Decor > Clocks", f"{HOME} > Decor > Clocks > Wall Clocks", "A silent sweep movement behind a powder-coated face, 30 cm. No ticking.", colour="Ink", material="Steel", availability="backorder"),
]

OUT = "Sporting Goods > Outdoor Recreation"
TRAILHEAD = [
    _p("TH-PACK-28", "Ridgeline 28 L Daypack", "backpack", "Northwall", "95.00", "Packs > Daypacks", "Luggage & Bags > Backpacks", "A 28-litre daypack with a ventilated back panel, hip belt pockets and a hydration sleeve. Recycled ripstop nylon.", colour="Forest", material="Recycled nylon", sale="79.00", sale_dates=WINTER_SALE, extra_views=1),
    _p("TH-PACK-45", "Summit 45 L Trekking Pack", "backpack", "Northwall", "165.00", "Packs > Trekking", "Luggage & Bags > Backpacks", "Adjustable torso length, a removable lid and a rain cover in its own pocket.", colour="Ember", material="Nylon"),
    _p("TH-BTL-750", "Insulated Steel Bottle 750 ml", "bottle", "Cascade", "29.00", "Hydration > Bottles", f"{OUT} > Camping & Hiking > Hydration Systems", "Double-wall vacuum insulation: 24 hours cold, 12 hours hot. Leak-proof loop cap.", colour="Slate", material="Stainless steel"),
    _p("TH-BTL-500", "Collapsible Water Bottle 500 ml", "bottle", "Cascade", "16.00", "Hydration > Bottles", f"{OUT} > Camping & Hiking > Hydration Systems", "Rolls up to pocket size when empty. BPA-free silicone.", colour="Blue", material="Silicone"),
    _p("TH-JKT-M", "Stormline Rain Jacket", "jacket", "Northwall", "180.00", "Clothing > Jackets", "Apparel & Accessories > Clothing > Outerwear > Coats & Jackets", "A three-layer waterproof, breathable shell with pit zips and a helmet-compatible hood.", colour="Navy", gender="male", variants=[("Navy", "S"), ("Navy", "M"), ("Navy", "L"), ("Navy", "XL")], sale="149.00", sale_dates=WINTER_SALE),
    _p("TH-JKT-W", "Stormline Rain Jacket, Women's", "jacket", "Northwall", "180.00", "Clothing > Jackets", "Apparel & Accessories > Clothing > Outerwear > Coats & Jackets", "A three-layer waterproof, breathable shell cut for women, with pit zips and an adjustable hem.", colour="Ember", gender="female", variants=[("Ember", "XS"), ("Ember", "S"), ("Ember", "M"), ("Ember", "L")]),
    _p("TH-TENT-2", "Bivy Ultralight 2-Person Tent", "tent", "Alpenglow", "389.00", "Camping > Tents", f"{OUT} > Camping & Hiking > Tents", "1.4 kg freestanding tent with two doors and two vestibules. Packs to 45 x 14 cm.", colour="Olive", material="Silnylon", availability="preorder"),
    _p("TH-LAMP-01", "Lumen 400 Headlamp", "headlamp", "Alpenglow", "45.00", "Camping > Lighting", f"{OUT} > Camping & Hiking > Camping Lights & Lanterns", "400 lumens, red night mode, USB-C rechargeable, IPX4.", colour="Ochre"),
    _p("TH-BOOT-01", "Granite Mid Hiking Boot", "boot", "Trailsmith", "155.00", "Footwear > Hiking Boots", "Apparel & Accessories > Shoes", "Waterproof nubuck upper, a grippy Vibram sole and a padded ankle collar.", colour="Sand", gender="unisex", variants=[("Sand", "40"), ("Sand", "41"), ("Sand", "42"), ("Sand", "43"), ("Sand", "44")], extra_views=1),
    _p("TH-MUG-01", "Titanium Camp Mug 450 ml", "mug", "Alpenglow", "34.00", "Camping > Cookware", f"{OUT} > Camping & Hiking > Camp Kitchen", "Weighs 68 g. Folding handles, volume marks, and it goes straight on a stove.", colour="Slate", material="Titanium"),
    _p("TH-BEAN-01", "Merino Rib Beanie", "beanie", "Trailsmith", "28.00", "Clothing > Hats", "Apparel & Accessories > Clothing Accessories > Hats", "Fine merino in a deep rib, warm without itch.", colour="Ember", material="Merino wool", sale="22.00"),
    _p("TH-POLE-01", "Carbon Trekking Poles (Pair)", "poles", "Cascade", "119.00", "Accessories > Poles", f"{OUT} > Camping & Hiking > Hiking Poles", "Three-section carbon poles with cork grips and flick locks. 480 g the pair.", colour="Black", availability="out_of_stock"),
]

NORDLYS = [
    _p("NC-BEAN-ETH", "Ethiopia Yirgacheffe, Light Roast", "coffeebag", "Nordlys Coffee", "18.50", "Coffee", "Food, Beverages & Tobacco > Beverages > Coffee", "Washed heirloom varieties from Gedeo. Jasmine, bergamot and lemon curd.", variants=[("", "250 g"), ("", "1 kg")], colour="Ochre"),
    _p("NC-BEAN-COL", "Colombia Huila, Medium Roast", "coffeebag", "Nordlys Coffee", "16.00", "Coffee", "Food, Beverages & Tobacco > Beverages > Coffee", "A smallholder lot from Huila. Red apple, panela and milk chocolate.", variants=[("", "250 g"), ("", "1 kg")], colour="Ember", sale="13.50"),
    _p("NC-BEAN-ESP", "Polar Night Espresso Blend", "coffeebag", "Nordlys Coffee", "17.00", "Coffee", "Food, Beverages & Tobacco > Beverages > Coffee", "Brazil and Guatemala, roasted for espresso and milk drinks. Hazelnut, cocoa, a long sweet finish.", variants=[("", "250 g"), ("", "1 kg")], colour="Ink"),
    _p("NC-BEAN-DEC", "Swiss Water Decaf, Peru", "coffeebag", "Nordlys Coffee", "17.50", "Coffee", "Food, Beverages & Tobacco > Beverages > Coffee", "Decaffeinated without solvents. Toffee, orange peel, soft body.", colour="Sage", availability="out_of_stock"),
    _p("NC-GRND-01", "Hand Grinder with Steel Burrs", "grinder", "Fjell", "129.00", "Equipment > Grinders", f"{HOME} > Kitchen & Dining > Kitchen Appliances > Coffee Grinders", "38 mm stainless conical burrs, 40 click settings, from espresso to cold brew.", colour="Black", extra_views=1),
    _p("NC-KETL-01", "Gooseneck Pour-Over Kettle 0.9 L", "kettle", "Fjell", "79.00", "Equipment > Kettles", f"{HOME} > Kitchen & Dining > Kitchen Appliances > Electric Kettles", "A precise gooseneck spout, a built-in thermometer and a matte black finish.", colour="Black", sale="65.00"),
    _p("NC-DRIP-01", "Ceramic Pour-Over Dripper", "dripper", "Nordlys Coffee", "32.00", "Equipment > Brewers", f"{HOME} > Kitchen & Dining > Kitchenware > Coffee Makers", "A spiral-ribbed porcelain cone for size 02 filters.", colour="White", variants=[("White", ""), ("Black", "")]),
    _p("NC-MUG-01", "Double-Wall Glass Cup 250 ml", "glass", "Fjell", "24.00", "Cups", f"{HOME} > Kitchen & Dining > Tableware > Drinkware", "Borosilicate glass that keeps coffee hot and the outside cool. Set of two.", colour="Blue"),
    _p("NC-TIN-01", "Airtight Coffee Canister", "canister", "Fjell", "36.00", "Equipment > Storage", f"{HOME} > Kitchen & Dining > Food Storage", "A one-way CO2 valve and a date dial keep 500 g of beans fresh.", colour="Sage"),
    _p("NC-GIFT-01", "Gift Card", "giftcard", "Nordlys Coffee", "25.00", "Gift Cards", "Arts & Entertainment > Party & Celebration > Gift Giving > Gift Cards & Certificates", "An e-gift card, delivered by email. Never expires.", variants=[("", "25"), ("", "50"), ("", "100")], colour="Ochre"),
]

ATELIER = [
    _p("AV-TEE-ORG", "Organic Cotton Crew Tee", "tee", "Atelier Verde", "32.00", "Clothing > T-shirts", "Apparel & Accessories > Clothing > Shirts & Tops", "Heavyweight organic cotton, garment-dyed for a lived-in feel. A relaxed fit.", variants=[("Olive", "S"), ("Olive", "M"), ("Olive", "L"), ("Cream", "S"), ("Cream", "M"), ("Cream", "L")], colour="Olive", material="Organic cotton", gender="unisex"),
    _p("AV-SHRT-LIN", "Linen Camp-Collar Shirt", "shirt", "Atelier Verde", "79.00", "Clothing > Shirts", "Apparel & Accessories > Clothing > Shirts & Tops", "Washed European flax linen with a camp collar and coconut buttons.", variants=[("Blue", "M"), ("Blue", "L"), ("Sand", "M"), ("Sand", "L")], colour="Blue", material="Linen", gender="male", sale="59.00"),
    _p("AV-DRS-WRP", "Wrap Midi Dress", "dress", "Atelier Verde", "129.00", "Clothing > Dresses", "Apparel & Accessories > Clothing > Dresses", "A fluid Tencel wrap dress with flutter sleeves and a tie waist.", variants=[("Rose", "XS"), ("Rose", "S"), ("Rose", "M")], colour="Rose", material="Tencel", gender="female"),
    _p("AV-KNIT-01", "Chunky Wool Cardigan", "cardigan", "Maglia", "149.00", "Clothing > Knitwear", "Apparel & Accessories > Clothing > Outerwear", "Hand-finished in Italy from responsibly sourced wool. Horn buttons.", colour="Ochre", material="Wool", gender="female"),
    _p("AV-SCRF-01", "Cashmere Blend Scarf", "scarf", "Maglia", "89.00", "Accessories > Scarves", "Apparel & Accessories > Clothing Accessories > Scarves & Shawls", "A generous 200 x 70 cm scarf in a soft cashmere and wool blend.", colour="Slate", material="Cashmere/Wool", sale="69.00"),
    _p("AV-TOTE-01", "Waxed Canvas Tote", "tote", "Atelier Verde", "68.00", "Accessories > Bags", "Apparel & Accessories > Handbags, Wallets & Cases > Handbags", "Waxed cotton canvas with leather handles and an inner zip pocket.", colour="Forest", material="Canvas/Leather"),
    _p("AV-CAP-01", "Corduroy Six-Panel Cap", "cap", "Atelier Verde", "35.00", "Accessories > Hats", "Apparel & Accessories > Clothing Accessories > Hats", "Fine-wale corduroy, an adjustable brass buckle.", colour="Terracotta", material="Cotton corduroy"),
    _p("AV-SNKR-01", "Court Sneaker, Recycled Leather", "sneaker", "Passo", "115.00", "Footwear > Sneakers", "Apparel & Accessories > Shoes", "A clean court sneaker in recycled leather on a natural rubber sole.", variants=[("White", "38"), ("White", "40"), ("White", "42"), ("White", "44")], colour="White", gender="unisex", availability="backorder"),
]

MERCHANTS = [
    ("Maison Lumière", "home", MAISON), ("Trailhead Outfitters", "outdoor", TRAILHEAD),
    ("Nordlys Coffee", "coffee", NORDLYS), ("Atelier Verde", "fashion", ATELIER),
]

# ----------------------------------------------------------------------------------- drawing


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu Sans where installed (it has every accented capital: MAISON LUMIÈRE), else
    Pillow's bundled font. The committed images were made with DejaVu Sans."""
    try:
        return ImageFont.truetype("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf", size)
    except OSError:
        pass
    try:
        return ImageFont.load_default(size=size)
    except (OSError, ValueError):  # Pillow without FreeType: the small bitmap font
        return ImageFont.load_default()


def _gradient(top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    ramp = Image.linear_gradient("L").resize((SIZE, SIZE))
    return Image.composite(Image.new("RGB", (SIZE, SIZE), bottom), Image.new("RGB", (SIZE, SIZE), top), ramp)


def _shade(rgb: tuple[int, int, int], factor: float) -> tuple[int, int, int]:
    return tuple(max(0, min(255, round(c * factor))) for c in rgb)  # type: ignore[return-value]


def _silhouette(kind: str, colour: tuple[int, int, int], view: int) -> Image.Image:
    """The product as flat shapes on a transparent canvas (2x size), centred around y=0.45."""
    s = SIZE * SUPER
    layer = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    c, dark, light = (*colour, 255), (*_shade(colour, 0.7), 255), (*_shade(colour, 1.25), 255)
    u = s / 100  # drawing units: percent of the canvas

    def box(x0: float, y0: float, x1: float, y1: float) -> list[float]:
        return [x0 * u, y0 * u, x1 * u, y1 * u]

    def poly(*pts: tuple[float, float]) -> list[tuple[float, float]]:
        return [(x * u, y * u) for x, y in pts]

    if kind in ("lamp", "floorlamp"):
        if kind == "floorlamp":
            d.line(poly((50, 78), (50, 30), (66, 20)), fill=dark, width=int(2 * u))
            d.polygon(poly((58, 14), (76, 14), (82, 30), (52, 30)), fill=c)
            d.ellipse(box(40, 76, 60, 82), fill=dark)
        else:
            d.polygon(poly((36, 18), (64, 18), (72, 42), (28, 42)), fill=light)
            d.ellipse(box(37, 42, 63, 72), fill=c)
            d.rectangle(box(44, 70, 56, 76), fill=dark)
    elif kind == "candle":
        d.rounded_rectangle(box(33, 32, 67, 76), radius=3 * u, fill=c)
        d.rectangle(box(33, 44, 67, 58), fill=light)
        d.line(poly((50, 32), (50, 26)), fill=(40, 40, 40, 255), width=int(u))
        d.ellipse(box(47, 15, 53, 27), fill=(250, 190, 70, 255))
    elif kind in ("vase", "planter"):
        if kind == "vase":
            d.ellipse(box(30, 36, 70, 78), fill=c)
            d.rectangle(box(42, 18, 58, 42), fill=c)
            d.ellipse(box(40, 15, 60, 21), fill=dark)
            if view:
                d.ellipse(box(64, 52, 78, 78), fill=light)
        else:
            d.polygon(poly((28, 36), (72, 36), (64, 74), (36, 74)), fill=c)
            d.rectangle(box(26, 32, 74, 40), fill=dark)
            d.ellipse(box(40, 14, 52, 36), fill=(90, 140, 80, 255))
            d.ellipse(box(50, 10, 62, 36), fill=(70, 120, 70, 255))
    elif kind == "cushion":
        d.rounded_rectangle(box(24, 26, 76, 74), radius=10 * u, fill=c)
        d.ellipse(box(47, 47, 53, 53), fill=dark)
    elif kind == "throw":
        d.rectangle(box(22, 28, 78, 72), fill=c)
        for y in range(32, 72, 8):
            d.line(poly((22, y), (78, y)), fill=dark, width=int(0.8 * u))
        d.polygon(poly((78, 28), (78, 50), (66, 28)), fill=light)
    elif kind in ("mug", "glass", "canister"):
        d.rounded_rectangle(box(32, 34, 64, 74), radius=4 * u, fill=c)
        if kind == "mug":
            d.ellipse(box(58, 42, 76, 64), outline=c, width=int(4 * u))
        elif kind == "canister":
            d.rectangle(box(30, 28, 66, 36), fill=dark)
        else:
            d.rectangle(box(36, 48, 60, 70), fill=(110, 70, 40, 220))
    elif kind == "mirror":
        d.ellipse(box(28, 16, 72, 80), fill=dark)
        d.ellipse(box(31, 19, 69, 77), fill=(226, 236, 240, 255))
        d.line(poly((40, 30), (48, 24)), fill=(255, 255, 255, 255), width=int(1.5 * u))
    elif kind == "clock":
        d.ellipse(box(26, 22, 74, 70), fill=c)
        d.ellipse(box(29, 25, 71, 67), fill=(246, 244, 238, 255))
        d.line(poly((50, 46), (50, 32)), fill=c, width=int(1.6 * u))
        d.line(poly((50, 46), (61, 52)), fill=c, width=int(1.2 * u))
    elif kind == "backpack":
        d.rounded_rectangle(box(30, 24, 70, 78), radius=9 * u, fill=c)
        d.rounded_rectangle(box(30, 24, 70, 44), radius=9 * u, fill=dark)
        d.rounded_rectangle(box(38, 56, 62, 72), radius=3 * u, fill=light)
        d.arc(box(40, 14, 60, 32), 180, 360, fill=dark, width=int(2 * u))
    elif kind == "bottle":
        d.rounded_rectangle(box(38, 26, 62, 80), radius=6 * u, fill=c)
        d.rectangle(box(42, 16, 58, 26), fill=dark)
        d.ellipse(box(46, 10, 54, 18), outline=dark, width=int(1.5 * u))
    elif kind in ("jacket", "tee", "shirt", "cardigan"):
        body = poly((36, 22), (44, 20), (50, 26), (56, 20), (64, 22), (80, 38), (72, 46),
                    (66, 40), (66, 78), (34, 78), (34, 40), (28, 46), (20, 38))
        if kind in ("jacket", "cardigan"):
            body = poly((36, 20), (44, 18), (50, 24), (56, 18), (64, 20), (78, 40), (76, 74),
                        (68, 74), (66, 44), (66, 80), (34, 80), (34, 44), (32, 74), (24, 74), (22, 40))
        d.polygon(body, fill=c)
        d.line(poly((50, 26), (50, 80)), fill=dark, width=int(0.8 * u))
        if kind == "jacket":
            d.polygon(poly((42, 18), (58, 18), (54, 12), (46, 12)), fill=dark)
    elif kind == "dress":
        d.polygon(poly((42, 16), (58, 16), (60, 40), (74, 82), (26, 82), (40, 40)), fill=c)
        d.rectangle(box(40, 40, 60, 43), fill=dark)
    elif kind == "tent":
        d.polygon(poly((20, 76), (50, 22), (80, 76)), fill=c)
        d.polygon(poly((44, 76), (50, 48), (56, 76)), fill=dark)
    elif kind == "headlamp":
        d.ellipse(box(22, 30, 78, 66), outline=dark, width=int(3 * u))
        d.rounded_rectangle(box(38, 54, 62, 74), radius=4 * u, fill=c)
        d.ellipse(box(44, 58, 56, 70), fill=(255, 240, 190, 255))
    elif kind in ("boot", "sneaker"):
        top = 30 if kind == "boot" else 48
        d.polygon(poly((26, top), (44, top), (48, 56), (74, 60), (78, 70), (24, 70)), fill=c)
        d.rectangle(box(24, 70, 79, 76), fill=dark if kind == "boot" else (240, 240, 236, 255))
        d.line(poly((36, top + 6), (44, top + 10)), fill=light, width=int(u))
    elif kind in ("beanie", "cap"):
        if kind == "beanie":
            d.chord(box(28, 26, 72, 82), 180, 360, fill=c)
            d.rectangle(box(28, 52, 72, 64), fill=dark)
            d.ellipse(box(45, 20, 55, 30), fill=light)
        else:
            d.chord(box(30, 34, 70, 76), 180, 360, fill=c)
            d.polygon(poly((62, 52), (84, 56), (62, 58)), fill=dark)
    elif kind == "poles":
        for x in (42, 58):
            d.line(poly((x, 16), (x - 6, 80)), fill=c, width=int(2 * u))
            d.rounded_rectangle(box(x - 3, 14, x + 3, 28), radius=u, fill=(150, 110, 70, 255))
    elif kind == "coffeebag":
        d.polygon(poly((32, 22), (68, 22), (72, 80), (28, 80)), fill=c)
        d.rectangle(box(32, 20, 68, 26), fill=dark)
        d.rounded_rectangle(box(38, 44, 62, 64), radius=2 * u, fill=(246, 240, 228, 255))
        d.ellipse(box(46, 48, 54, 60), fill=(110, 70, 40, 255))
    elif kind in ("grinder", "kettle", "dripper"):
        if kind == "grinder":
            d.rounded_rectangle(box(40, 30, 60, 80), radius=3 * u, fill=c)
            d.line(poly((50, 30), (50, 18), (70, 14)), fill=dark, width=int(2 * u))
            d.ellipse(box(67, 10, 75, 18), fill=(150, 110, 70, 255))
        elif kind == "kettle":
            d.ellipse(box(30, 36, 70, 80), fill=c)
            d.line(poly((34, 60), (18, 40), (14, 34)), fill=c, width=int(3 * u))
            d.arc(box(50, 34, 76, 70), 285, 75, fill=dark, width=int(3 * u))
        else:
            d.polygon(poly((30, 30), (70, 30), (56, 62), (44, 62)), fill=c)
            d.rectangle(box(34, 62, 66, 66), fill=dark)
            d.rounded_rectangle(box(40, 66, 60, 80), radius=2 * u, fill=(170, 200, 220, 200))
    elif kind == "scarf":
        for i, y in enumerate(range(26, 70, 11)):
            d.arc(box(24, y, 76, y + 22), 200, 340, fill=c if i % 2 else dark, width=int(5 * u))
        d.rectangle(box(54, 56, 64, 82), fill=c)
    elif kind == "tote":
        d.polygon(poly((28, 38), (72, 38), (76, 80), (24, 80)), fill=c)
        d.arc(box(36, 18, 64, 52), 180, 360, fill=(120, 80, 50, 255), width=int(2 * u))
    elif kind == "giftcard":
        d.rounded_rectangle(box(22, 32, 78, 68), radius=4 * u, fill=c)
        d.rectangle(box(22, 44, 78, 50), fill=light)
        d.ellipse(box(56, 38, 66, 48), fill=dark)
    else:
        d.rounded_rectangle(box(30, 30, 70, 70), radius=6 * u, fill=c)
    if view:  # the second view: the same object turned, as a mirror image
        layer = layer.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    return layer.resize((SIZE, SIZE), Image.Resampling.LANCZOS)


def _wrap(text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        trial = f"{lines[-1]} {word}" if lines else word
        if lines and ImageDraw.Draw(Image.new("L", (1, 1))).textlength(trial, font=font) <= width:
            lines[-1] = trial
        else:
            lines.append(word)
    return lines[:2]


def draw_product(p: Product, palette: str, index: int, view: int, colour: str | None = None) -> Image.Image:
    top, bottom = PALETTES[palette][index % 2]
    img = _gradient(top, bottom)
    rgb = COLOURS.get(colour or p.colour, (120, 120, 120))
    shadow = Image.new("L", (SIZE, SIZE), 0)
    ImageDraw.Draw(shadow).ellipse([SIZE * 0.24, SIZE * 0.76, SIZE * 0.76, SIZE * 0.84], fill=90)
    img.paste((30, 20, 10), mask=shadow.filter(ImageFilter.GaussianBlur(10)))
    shape = _silhouette(p.kind, rgb, view)
    img.paste(shape, mask=shape.getchannel("A"))
    draw = ImageDraw.Draw(img)
    draw.text((24, 20), p.brand.upper(), font=_font(15, bold=True), fill=_shade(bottom, 0.45))
    font = _font(23)
    lines = _wrap(p.title, font, SIZE - 48)
    y = SIZE - 26 - 32 * len(lines)
    for line in lines:
        draw.text((24, y), line, font=font, fill=(34, 30, 28))
        y += 32
    return img


def save_image(img: Image.Image, name: str) -> None:
    path = IMAGES / name
    if name.endswith(".jpg"):
        img.save(path, "JPEG", quality=80, optimize=True, progressive=False)
    elif name.endswith(".webp"):
        img.save(path, "WEBP", quality=78, method=6)
    else:  # PNG: quantised, the demo's images are flat colour anyway
        img.quantize(colors=96, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
            path, "PNG", optimize=True)


def images_for(p: Product, palette: str, index: int, ext: str) -> list[str]:
    """Draw and save the main image (+ extra views) of a product; their links."""
    names = []
    for view in range(1 + p.extra_views):
        name = f"{p.sku.lower()}{'-' + str(view + 1) if view else ''}.{ext}"
        save_image(draw_product(p, palette, index, view), name)
        names.append(IMAGE_BASE_URL + name)
    return names


# ------------------------------------------------------------------------------------- feeds


def _offers(p: Product) -> list[tuple[str, str, str]]:
    """(offer id, colour, size) for each sellable variant; one offer when there are none."""
    if not p.variants:
        return [(p.sku, p.colour, "")]
    return [(p.sku + (f"-{col[:3].upper()}" if col else "") + (f"-{size.replace(' ', '').upper()}"
                                                                if size else ""), col or p.colour, size)
            for col, size in p.variants]


def write_google_xml(products: list[Product], path: Path) -> None:
    site = "https://maison-lumiere.example"
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">', "<channel>",
           "<title>Maison Lumière</title>", f"<link>{site}</link>",
           "<description>Maison Lumière product feed</description>"]
    for i, p in enumerate(products):
        links = images_for(p, "home", i, "jpg")
        group = p.sku.rsplit("-", 1)[0] if p.sku.startswith("ML-CUSH") else ""
        fields = [("g:id", p.sku), ("title", p.title), ("description", p.description),
                  ("link", f"{site}/products/{p.sku.lower()}"), ("g:image_link", links[0])]
        fields += [("g:additional_image_link", link) for link in links[1:]]
        fields += [("g:availability", p.availability), ("g:price", f"{p.price} EUR")]
        if p.sale:
            fields.append(("g:sale_price", f"{p.sale} EUR"))
        if p.sale_dates:
            fields.append(("g:sale_price_effective_date", p.sale_dates))
        if p.availability in ("preorder", "backorder"):
            fields.append(("g:availability_date", "2027-01-15T09:00+01:00"))
        fields += [("g:brand", p.brand), ("g:gtin", p.gtin), ("g:condition", "new"),
                   ("g:google_product_category", p.google_category), ("g:product_type", p.category),
                   ("g:color", p.colour)]
        if p.material:
            fields.append(("g:material", p.material))
        if group:
            fields.append(("g:item_group_id", group))
        fields.append(("g:shipping", None))
        out.append("<item>")
        for tag, value in fields:
            if value is None:
                out.append("  <g:shipping><g:country>FR</g:country><g:service>Standard</g:service>"
                           "<g:price>4.90 EUR</g:price></g:shipping>")
            elif tag == "description":
                out.append(f"  <description><![CDATA[<p>{value}</p>]]></description>")
            else:
                out.append(f"  <{tag}>{escape(value)}</{tag}>")
        out.append("</item>")
    out += ["</channel>", "</rss>", ""]
    path.write_text("\n".join(out), encoding="utf-8")


def write_google_tsv(products: list[Product], path: Path) -> None:
    site = "https://trailhead.example"
    header = ["id", "item_group_id", "title", "description", "link", "image_link",
              "additional_image_link", "availability", "availability_date", "price", "sale_price",
              "sale_price_effective_date", "brand", "gtin", "condition", "google_product_category",
              "product_type", "color", "size", "gender", "age_group", "material", "shipping"]
    rows = [header]
    for i, p in enumerate(products):
        links = images_for(p, "outdoor", i, "webp")
        for n, (offer, colour, size) in enumerate(_offers(p)):
            title = f"{p.title} - {size}" if size else p.title
            rows.append([
                offer, p.sku if p.variants else "", title, p.description,
                f"{site}/p/{p.sku.lower()}" + (f"?size={size}" if size else ""), links[0],
                ",".join(links[1:]), p.availability if n != 1 else "limited_availability"
                if p.availability == "in_stock" else p.availability,
                "2027-02-01T10:00Z" if p.availability == "preorder" else "",
                f"{p.price} GBP", f"{p.sale} GBP" if p.sale else "", p.sale_dates, p.brand,
                ean13(int(p.gtin[1:12]) + n) if n else p.gtin, "new", p.google_category,
                p.category, colour, size, p.gender, "adult" if p.gender else "", p.material,
                "GB::Standard:3.95 GBP,GB::Express:8.50 GBP"])
    with path.open("w", encoding="utf-8", newline="") as fp:
        csv.writer(fp, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL).writerows(rows)


def write_shopify_json(products: list[Product], path: Path) -> None:
    items = []
    for i, p in enumerate(products):
        ext = "png" if i % 3 == 0 else "jpg"
        links = images_for(p, "coffee", i, ext)
        pid = 7_100_000_000 + i * 1_013
        option_names = []
        if any(col for col, _ in p.variants) and len({c for c, _ in p.variants}) > 1:
            option_names.append("Color")
        if any(size for _, size in p.variants):
            option_names.append("Size" if p.kind != "giftcard" else "Denomination")
        variants = []
        for n, (offer, colour, size) in enumerate(_offers(p)):
            opts = ([colour] if "Color" in option_names else []) + ([size] if size else [])
            price = p.price if p.kind != "giftcard" else f"{size}.00"
            if size == "1 kg":
                price = f"{float(p.price) * 3.4:.2f}"
            variants.append({
                "id": pid * 10 + n, "product_id": pid, "title": " / ".join(opts) or "Default Title",
                "option1": opts[0] if opts else "Default Title",
                "option2": opts[1] if len(opts) > 1 else None, "option3": None,
                "sku": offer, "barcode": p.gtin if n == 0 else ean13(int(p.gtin[1:12]) + n),
                "price": price, "compare_at_price": p.price if p.sale and n == 0 else None,
                "available": p.availability == "in_stock", "requires_shipping": p.kind != "giftcard",
                "taxable": True, "grams": 0 if p.kind == "giftcard" else 340, "position": n + 1,
                "featured_image": None,
                "presentment_prices": [{"price": {"amount": price, "currency_code": "USD"},
                                        "compare_at_price": None}],
                "created_at": "2026-10-02T09:30:00-04:00", "updated_at": "2026-11-25T16:12:00-05:00",
            })
            if p.sale and n == 0:  # Shopify models a sale as price < compare_at_price
                variants[-1]["price"] = p.sale
                variants[-1]["presentment_prices"][0]["price"]["amount"] = p.sale
        items.append({
            "id": pid, "title": p.title, "handle": p.sku.lower(),
            "body_html": f"<p>{p.description}</p>", "published_at": "2026-10-02T09:30:00-04:00",
            "created_at": "2026-10-02T09:30:00-04:00", "updated_at": "2026-11-25T16:12:00-05:00",
            "vendor": p.brand, "product_type": p.category,
            "tags": sorted({p.category.split(" > ")[0], p.brand, "demo"}),
            "variants": variants,
            "images": [{"id": pid * 100 + k, "product_id": pid, "position": k + 1, "src": link,
                        "width": SIZE, "height": SIZE, "variant_ids": []}
                       for k, link in enumerate(links)],
            "options": [{"name": name, "position": k + 1,
                         "values": sorted({v[k] for v in ([([c] if "Color" in option_names else []) + ([s] if s else []) for c, s in p.variants])})}
                        for k, name in enumerate(option_names)] or [{"name": "Title", "position": 1, "values": ["Default Title"]}],
        })
    path.write_text(json.dumps({"products": items}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


WOO_HEADER = ["ID", "Type", "SKU", "GTIN, UPC, EAN, or ISBN", "Name", "Published", "Is featured?",
              "Visibility in catalog", "Short description", "Description", "Date sale price starts",
              "Date sale price ends", "Tax status", "Tax class", "In stock?", "Stock",
              "Backorders allowed?", "Sold individually?", "Weight (kg)", "Allow customer reviews?",
              "Sale price", "Regular price", "Categories", "Tags", "Shipping class", "Images",
              "Parent", "Position", "Brands", "Attribute 1 name", "Attribute 1 value(s)",
              "Attribute 1 visible", "Attribute 1 global", "Attribute 2 name",
              "Attribute 2 value(s)", "Attribute 2 visible", "Attribute 2 global"]


def write_woocommerce_csv(products: list[Product], path: Path) -> None:
    rows: list[dict[str, str]] = []
    next_id = 210
    for i, p in enumerate(products):
        stock = {"in_stock": "1", "out_of_stock": "0", "backorder": "onbackorder"}.get(p.availability, "1")
        base = {"Published": "1", "Is featured?": "1" if i == 0 else "0",
                "Visibility in catalog": "visible", "Tax status": "taxable",
                "Backorders allowed?": "1" if p.availability == "backorder" else "0",
                "Sold individually?": "0", "Allow customer reviews?": "1", "Brands": p.brand,
                "Categories": p.category, "Tags": p.material}
        if not p.variants:
            link = images_for(p, "fashion", i, "jpg")[0]
            rows.append({**base, "ID": str(next_id), "Type": "simple", "SKU": p.sku,
                         "GTIN, UPC, EAN, or ISBN": p.gtin, "Name": p.title,
                         "Short description": p.description.split(". ")[0] + ".",
                         "Description": f"<p>{p.description}</p>", "In stock?": stock,
                         "Weight (kg)": ".4", "Sale price": p.sale, "Regular price": p.price,
                         "Images": link, "Position": "0", "Attribute 1 name": "Color",
                         "Attribute 1 value(s)": p.colour, "Attribute 1 visible": "1",
                         "Attribute 1 global": "1"})
            next_id += 1
            continue
        parent_id = next_id
        colours = sorted({c for c, _ in p.variants})
        sizes = [s for s in dict.fromkeys(s for _, s in p.variants)]
        main = images_for(p, "fashion", i, "jpg")[0]
        rows.append({**base, "ID": str(parent_id), "Type": "variable", "SKU": p.sku,
                     "Name": p.title, "Short description": p.description.split(". ")[0] + ".",
                     "Description": f"<p>{p.description}</p>", "In stock?": stock,
                     "Images": main, "Position": "0", "Attribute 1 name": "Color",
                     "Attribute 1 value(s)": ", ".join(colours), "Attribute 1 visible": "1",
                     "Attribute 1 global": "1", "Attribute 2 name": "Size",
                     "Attribute 2 value(s)": ", ".join(sizes), "Attribute 2 visible": "1",
                     "Attribute 2 global": "1"})
        next_id += 1
        colour_images = {p.colour: main}
        for k, colour in enumerate(c for c in colours if c != p.colour):
            name = f"{p.sku.lower()}-{colour.lower()}.jpg"
            save_image(draw_product(p, "fashion", i + k + 1, 0, colour), name)
            colour_images[colour] = IMAGE_BASE_URL + name
        for n, (offer, colour, size) in enumerate(_offers(p)):
            rows.append({"ID": str(next_id), "Type": "variation", "SKU": offer,
                         "GTIN, UPC, EAN, or ISBN": ean13(int(p.gtin[1:12]) + n),
                         "Name": f"{p.title} - {colour}, {size}", "Published": "1",
                         "Is featured?": "0", "Visibility in catalog": "visible",
                         "Tax status": "taxable", "Tax class": "parent",
                         "In stock?": "0" if n == 2 and p.availability == "in_stock" else stock,
                         "Stock": "" if n == 2 else str(3 + (n * 7) % 11),
                         "Backorders allowed?": base["Backorders allowed?"],
                         "Sold individually?": "0", "Weight (kg)": ".4",
                         "Allow customer reviews?": "0", "Sale price": p.sale,
                         "Date sale price starts": "2026-11-20" if p.sale else "",
                         "Date sale price ends": "2027-01-31" if p.sale else "",
                         "Regular price": p.price, "Images": colour_images[colour],
                         "Parent": p.sku, "Position": str(n + 1), "Attribute 1 name": "Color",
                         "Attribute 1 value(s)": colour, "Attribute 1 visible": "",
                         "Attribute 1 global": "1", "Attribute 2 name": "Size",
                         "Attribute 2 value(s)": size, "Attribute 2 visible": "",
                         "Attribute 2 global": "1"})
            next_id += 1
    with path.open("w", encoding="utf-8", newline="") as fp:
        writer = csv.DictWriter(fp, fieldnames=WOO_HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: row.get(k, "") for k in WOO_HEADER} for row in rows)


# file name -> (merchant, format name of studio.feeds, currency where the format has none,
# shop URL that Shopify/WooCommerce exports need to get product links)
FEEDS = {
    "maison-lumiere.xml": ("Maison Lumière", "google-xml", None, None),
    "trailhead.tsv": ("Trailhead Outfitters", "google-tsv", None, None),
    "nordlys-coffee.json": ("Nordlys Coffee", "shopify-json", "USD", "https://nordlys-coffee.example"),
    "atelier-verde.csv": ("Atelier Verde", "woocommerce-csv", "USD", "https://atelier-verde.example"),
}


def main() -> None:
    IMAGES.mkdir(exist_ok=True)
    for old in IMAGES.iterdir():
        old.unlink()
    write_google_xml(MAISON, HERE / "maison-lumiere.xml")
    write_google_tsv(TRAILHEAD, HERE / "trailhead.tsv")
    write_shopify_json(NORDLYS, HERE / "nordlys-coffee.json")
    write_woocommerce_csv(ATELIER, HERE / "atelier-verde.csv")
    (HERE / "feeds.json").write_text(
        json.dumps([{"file": f, "merchant": m, "format": fmt, "default_currency": cur,
                     "shop_url": url} for f, (m, fmt, cur, url) in FEEDS.items()],
                   ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    total = sum(p.stat().st_size for p in HERE.rglob("*") if p.is_file())
    count = len(list(IMAGES.iterdir()))
    print(f"demo catalog: {count} images, {total / 1e6:.2f} MB in {HERE}")


if __name__ == "__main__":
    main()
