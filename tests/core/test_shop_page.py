"""studio.core.shop_page's product pictures: only base64 JPEG data URIs, escaped alt text."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from studio.core.shop_page import PageItem, PageSection, ShopPage, safe_image_uri, shop_html
from studio.core.shops import Shop

JPEG = "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ=="


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.images.append(dict(attrs))


def _images(*items: PageItem) -> list[dict[str, str | None]]:
    page = ShopPage(Shop("s1", "shop", "Shop"), (PageSection("All", items),))
    parser = _Images()
    parser.feed(shop_html(page))
    return parser.images


@pytest.mark.parametrize(
    "uri",
    [
        "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ==",
        "data:image/jpeg;base64,abc+/09",
    ],
)
def test_base64_jpeg_uris_are_allowed(uri: str) -> None:
    assert safe_image_uri(uri) == uri


@pytest.mark.parametrize(
    "uri",
    [
        None,
        "",
        "https://cdn.example/a.jpg",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "data:image/svg+xml;base64,PHN2Zz4=",
        "data:text/html;base64,PHNjcmlwdD4=",
        'data:image/jpeg;base64,/9j/" onerror="alert(1)',
        "data:image/jpeg;base64,",
        "data:image/jpeg,rawbytes",
        " data:image/jpeg;base64,/9j/",
    ],
)
def test_anything_else_never_reaches_a_src(uri: str | None) -> None:
    assert safe_image_uri(uri) is None
    assert _images(PageItem("Lamp", None, None, "https://x.example/1", image_uri=uri)) == []


def test_a_picture_sits_above_the_title_with_the_title_as_alt() -> None:
    title = 'Lamp "Aurora" <b>&</b>'
    with_picture = PageItem(title, "Acme", "€10.00", "https://x.example/1", image_uri=JPEG)
    without = PageItem("Plain", None, None, None)
    images = _images(with_picture, without)
    assert images == [{"src": JPEG, "alt": title, "loading": "lazy", "decoding": "async"}]
    page = ShopPage(Shop("s1", "shop", "Shop"), (PageSection("All", (with_picture,)),))
    text = shop_html(page)
    assert 'alt="Lamp &quot;Aurora&quot; &lt;b&gt;&amp;&lt;/b&gt;"' in text
    assert text.index("<img") < text.index('class="title"')
    # The picture links to the product like its title, but is not a second keyboard stop.
    assert '<a class="pic" href="https://x.example/1" rel="noopener" ' in text
    assert 'tabindex="-1"' in text


def test_an_unavailable_products_picture_is_shown_but_not_linked() -> None:
    gone = PageItem("Gone", None, None, "https://x.example/1", available=False, image_uri=JPEG)
    page = ShopPage(Shop("s1", "shop", "Shop"), (PageSection("All", (gone,)),))
    text = shop_html(page)
    assert '<span class="pic"><img src="' in text and "https://x.example/1" not in text
