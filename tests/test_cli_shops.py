"""``studio shops list`` and ``studio reviews list`` on records made through the real stores."""

from __future__ import annotations

import base64
import html
import io
import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from studio.cli import main
from studio.core.looks import ProductRef
from studio.core.money import Money
from studio.core.product import ProductRecord
from studio.core.reviews import Provenance, disclosure
from studio.core.sharing import PLAIN_LINKS_NOTICE
from studio.media.library import MediaLibrary
from studio.media.product_images import DETAIL_THUMB, cached_thumbnail
from studio.store.catalog import CatalogStore
from studio.store.db import open_database
from studio.store.profile import ProfileStore
from studio.store.reviews import ReviewStore
from studio.store.shops import ShopStore
from studio.system.paths import resolve_paths
from tests.media.picture_server import PictureServer, allow_loopback, serving


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    paths = resolve_paths(home).ensure()
    db = open_database(paths.database)
    try:
        CatalogStore(db).import_feed(
            "Acme",
            "google-xml",
            [
                ProductRecord(
                    "Acme",
                    f"a{i}",
                    f"Thing {i}",
                    price=Money(1000 + i, "EUR"),
                    brand="Acme",
                    product_type="Home > Lamps",
                    link=f"https://acme.example/{i}",
                )
                for i in range(5)
            ],
        )
        CatalogStore(db).import_feed(
            "Evil",
            "google-xml",
            [
                ProductRecord(
                    "Evil",
                    "x",
                    "<script>alert(1)</script>",
                    link="javascript:alert(1)",
                    price=Money(100, "EUR"),
                    brand="Evil",
                    product_type="Home",
                )
            ],
        )
        Image.new("RGB", (640, 200), (200, 40, 40)).save(tmp_path / "banner.png")
        banner = MediaLibrary(paths.media).import_file(tmp_path / "banner.png")
        shops = ShopStore(db)
        shop = shops.create_shop("Lamp Corner", "Lamps", section_title="All")
        shops.update_shop(shop.id, banner_hash=banner.hash, tagline="Light & <b>warm</b>")
        section = shops.document(shop.id).sections[0].id  # type: ignore[union-attr]
        shops.add_items(section, [ProductRef(None, "Acme", f"a{i}") for i in range(3)])
        hostile = shops.add_section(shop.id, "Odd").id
        shops.add_item(hostile, ProductRef(None, "Evil", "x"), note="<img src=x>")
        # A second live shop from the full tier the platform later took back: it is kept,
        # flagged by shop health, and takes no products (one trial shop on the starter tier).
        ProfileStore(db).set_tier_from_platform("full")
        shops.create_shop("empty-shop", "An empty one")
        ProfileStore(db).set_tier_from_platform("starter")
        reviews = ReviewStore(db)
        review = reviews.create(
            ProductRef(None, "Acme", "a1"), 4, provenance="loaned", title="Bright"
        )
        reviews.update(review.id, body="Warm light, solid base.", status="ready")
        reviews.create(ProductRef(None, "Acme", "a2"), 2, title="Wobbly")
    finally:
        db.close()
    return home


def test_shops_list_json(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--home", str(home), "shops", "list", "--json")
    assert code == 0, err
    rows = json.loads(out)
    assert [
        (r["handle"], r["title"], r["items"], r["room_left"], r["health_issues"]) for r in rows
    ] == [("empty-shop", "An empty one", 0, 0, 1), ("lamp-corner", "Lamps", 4, 26, 0)]
    code, out, _ = run(capsys, "--home", str(home), "shops", "list")
    assert code == 0 and "2 shops" in out and "lamp-corner" in out


def test_reviews_list_json_with_filters(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--home", str(home), "reviews", "list", "--json")
    assert code == 0, err
    rows = json.loads(out)
    assert [(r["title"], r["rating"], r["status"], r["words"]) for r in rows] == [
        ("Wobbly", 2, "draft", 1),
        ("Bright", 4, "ready", 5),
    ]
    assert rows[1]["product"]["offer_id"] == "a1" and rows[1]["product"]["title"] == "Thing 1"
    assert rows[1]["disclosure"] == disclosure(Provenance.LOANED, "Acme")
    code, out, _ = run(
        capsys,
        "--home",
        str(home),
        "reviews",
        "list",
        "--json",
        "--status",
        "ready",
        "--search",
        "solid",
    )
    assert [r["title"] for r in json.loads(out)] == ["Bright"]
    code, out, _ = run(capsys, "--home", str(home), "reviews", "list", "--rating", "2")
    assert code == 0 and "1 review" in out and "Thing 2" in out


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.tags: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        found = dict(attrs)
        if tag == "a":
            self.links.append((found.get("href") or "", found.get("rel") or ""))
        if tag == "img":
            self.images.append(found.get("src") or "")


def test_shops_export_writes_one_self_contained_page(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_database(resolve_paths(home).database)
    try:
        ProfileStore(db).add_affiliation("ACME", "Home > Lamps", "makes")
    finally:
        db.close()
    out = tmp_path / "site"
    code, stdout, err = run(
        capsys, "--home", str(home), "shops", "export", "LAMP CORNER", "--out", str(out)
    )
    assert code == 0, err
    assert "4 products" in stdout and [p.name for p in out.iterdir()] == ["index.html"]
    text = (out / "index.html").read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    # The merchants' plain links: not paid ones (no brand pays the curator here).
    assert page.links == [(f"https://acme.example/{i}", "noopener") for i in range(3)]
    assert "script" not in page.tags and page.tags.count("img") == 1
    assert page.images[0].startswith("data:image/jpeg;base64,")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "javascript:" not in text
    assert text.count('<span class="badge">Own brand</span>') == 3  # the Acme lamps
    assert "Light &amp; &lt;b&gt;warm&lt;/b&gt;" in text
    # The disclosure is said once, above the first shelf's links (not again on each shelf).
    notice = html.escape(PLAIN_LINKS_NOTICE)
    assert text.count(notice) == 1 and text.count("affiliate") == text.count("not affiliate")
    assert text.index(notice) < text.index("https://acme.example/0")


def test_shops_export_of_an_unknown_handle_fails_and_writes_nothing(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, "--home", str(home), "shops", "export", "nope-shop", "--out", str(tmp_path / "site")
    )
    assert code == 1 and "no shop with the handle 'nope-shop'" in err
    assert not (tmp_path / "site").exists()


@pytest.fixture()
def cdn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PictureServer]:
    """A merchant's CDN, served on 127.0.0.1 (allowed for this test only)."""
    allow_loopback(monkeypatch)
    with serving(tmp_path / "www") as server:
        yield server


@pytest.fixture()
def pictured_home(tmp_path: Path, cdn: PictureServer) -> Path:
    """A shop of three products: one with a PNG, one with a broken picture, one without."""
    home = tmp_path / "pictured"
    paths = resolve_paths(home).ensure()
    Image.new("RGB", (800, 800), (30, 140, 90)).save(cdn.root / "vase.png")
    (cdn.root / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a jpeg at all")
    db = open_database(paths.database)
    try:
        CatalogStore(db).import_feed(
            "Acme",
            "google-xml",
            [
                ProductRecord(
                    "Acme",
                    "vase",
                    'Vase "Onda" <b>& co</b>',
                    price=Money(2500, "EUR"),
                    link="https://acme.example/vase",
                    image_link=f"{cdn.base}/vase.png",
                ),
                ProductRecord(
                    "Acme",
                    "bowl",
                    "Bowl",
                    price=Money(900, "EUR"),
                    image_link=f"{cdn.base}/broken.jpg",
                ),
                ProductRecord("Acme", "cup", "Cup", price=Money(500, "EUR")),
            ],
        )
        shops = ShopStore(db)
        shop = shops.create_shop("Pots", "Pots", section_title="All")
        section = shops.document(shop.id).sections[0].id  # type: ignore[union-attr]
        shops.add_items(section, [ProductRef(None, "Acme", o) for o in ("vase", "bowl", "cup")])
    finally:
        db.close()
    return home


def test_shops_export_embeds_product_pictures(
    pictured_home: Path, tmp_path: Path, cdn: PictureServer, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    code, stdout, err = run(
        capsys, "--home", str(pictured_home), "shops", "export", "pots", "--out", str(out)
    )
    assert code == 0, err
    assert "3 products, 1 with a picture" in stdout
    text = (out / "index.html").read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    assert len(page.images) == 1 and page.images[0].startswith("data:image/jpeg;base64,")
    img = Image.open(io.BytesIO(base64.b64decode(page.images[0].split(",", 1)[1])))
    assert img.format == "JPEG" and img.size == (320, 320)
    assert 'alt="Vase &quot;Onda&quot; &lt;b&gt;&amp; co&lt;/b&gt;"' in text
    assert cdn.base not in text  # the page names no picture URL: it fetches nothing
    # The thumbnail went into the app's image cache, where the desktop finds it next time.
    cache = resolve_paths(pictured_home).image_cache
    assert cached_thumbnail(cache, f"{cdn.base}/vase.png", DETAIL_THUMB) is not None


def test_shops_export_no_images_embeds_none(
    pictured_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    code, stdout, err = run(
        capsys,
        "--home",
        str(pictured_home),
        "shops",
        "export",
        "pots",
        "--out",
        str(out),
        "--no-images",
    )
    assert code == 0, err
    assert "(3 products)" in stdout
    page = _Page()
    page.feed((out / "index.html").read_text(encoding="utf-8"))
    assert page.images == [] and "img" not in page.tags
    assert not resolve_paths(pictured_home).image_cache.exists()  # nothing was read either


def test_shops_export_help_documents_no_images(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "shops", "export", "--help")
    assert code == 0 and "--no-images" in out and "leave out the product pictures" in out
