"""Self-contained HTML exports: parseable, embedded images, positioned markers, escaped text."""

from __future__ import annotations

import base64
import dataclasses
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from studio.core.boards import Board, BoardDocument, BoardItem, BoardItemKind
from studio.core.looks import Crop, MatchKind, ProductRef
from studio.core.sharing import (
    PLAIN_LINKS_NOTICE,
    BoardSheet,
    LegendEntry,
    LookSheet,
    SheetMarker,
    SheetPhoto,
    board_marker_point,
    displayed_point,
    links_disclosure,
)
from studio.media.export_draw import marker_radius
from studio.media.export_html import board_html, look_html

HOSTILE = '</script><img src=x onerror="alert(1)">&amp;<!--'


class Page(HTMLParser):
    """Every start tag with its attributes, in order, and the text with its position."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[tuple[int, str]] = []  # (index of the tags seen so far, text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.texts.append((len(self.tags), data))

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]


def parse(path: Path) -> tuple[str, Page]:
    text = path.read_text(encoding="utf-8")
    page = Page()
    page.feed(text)
    page.close()
    return text, page


@pytest.fixture()
def landscape(fixtures_dir: Path) -> Path:
    path = fixtures_dir / "images" / "exif_orientation" / "Landscape_0.jpg"
    if not path.is_file():
        pytest.fail(f"fixture photo absent: {path}" + " (../shared is incomplete)", pytrace=False)
    return path


def legend(n: int, link: str | None) -> LegendEntry:
    return LegendEntry(
        n, HOSTILE, f"Coat {n}", "Nordlys", "Acme", "99.00 EUR", link, MatchKind.SIMILAR, True
    )


STORED = [(0.3, 0.4), (0.62, 0.85), (0.05, 0.5)]  # the third is cropped out


def test_look_page_is_self_contained_and_its_markers_sit_on_their_items(
    landscape: Path, tmp_path: Path
) -> None:
    crop, rotation = Crop(0.1, 0.05, 0.9, 0.95), 3
    markers = []
    for n, (x, y) in enumerate(STORED, start=1):
        shown = displayed_point(x, y, crop, rotation)
        if shown is not None:
            markers.append(SheetMarker(n, *shown))
    assert len(markers) == 2
    links = ["https://shop.example/coat?a=1&b=2", "javascript:alert(1)", "http://x.example/3"]
    sheet = LookSheet(
        HOSTILE,
        f"Story {HOSTILE}",
        (SheetPhoto(landscape, crop, rotation, tuple(markers), ""),),
        tuple(legend(n, link) for n, link in enumerate(links, start=1)),
    )
    out = tmp_path / "look.html"
    look_html(sheet, out)
    text, page = parse(out)

    (html_tag,) = page.all("html")
    assert html_tag["lang"] == "en"
    assert any(
        m.get("name") == "viewport" and "width=device-width" in (m.get("content") or "")
        for m in page.all("meta")
    )
    # No script, no external request: every src is a data: URI, no stylesheet link, no url().
    assert "<script" not in text.lower() and "url(" not in text
    assert not page.all("script") and not page.all("link") and not page.all("iframe")
    (img,) = page.all("img")
    assert img["alt"] and HOSTILE in str(img["alt"])  # escaped in the file, intact when read
    src = str(img["src"])
    assert src.startswith("data:image/jpeg;base64,")
    with Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))) as decoded:
        assert decoded.size == (int(str(img["width"])), int(str(img["height"])))
        assert decoded.size == (1080, 1440)  # 0.8 x 0.9 of 1800 x 1200, turned
        assert not decoded.getexif()

    # The hostile text never appears raw; it reads back intact as text.
    assert HOSTILE not in text
    assert any(HOSTILE in t for _, t in page.texts)

    # Markers: a link to the product, positioned in percent where displayed_point puts them.
    positioned = [a for a in page.all("a") + page.all("span") if "marker" in (a.get("class") or "")]
    assert len(positioned) == 2
    for attrs, (x, y) in zip(positioned, STORED[:2], strict=True):
        sx, sy = displayed_point(x, y, crop, rotation)  # type: ignore[misc]
        m = re.fullmatch(r"left:([\d.]+)%;top:([\d.]+)%", str(attrs["style"]))
        assert m is not None
        assert float(m.group(1)) == pytest.approx(sx * 100, abs=0.001)
        assert float(m.group(2)) == pytest.approx(sy * 100, abs=0.001)
    first = positioned[0]
    # A merchant's plain link is not a paid one.
    assert first["href"] == links[0] and first["rel"] == "noopener"
    assert first["target"] == "_blank"

    # Legend links; the javascript: URL never becomes a link anywhere.
    hrefs = [a["href"] for a in page.all("a")]
    assert hrefs.count(links[0]) == 2 and hrefs.count(links[2]) == 1
    assert not any("javascript" in str(h) for h in hrefs)
    assert all(a["rel"] == "noopener" and a["target"] == "_blank" for a in page.all("a"))

    # The disclosure comes before the first link, once: not again above the legend.
    first_link = next(i for i, (t, _) in enumerate(page.tags) if t == "a")
    places = [i for i, t in page.texts if t.strip() == PLAIN_LINKS_NOTICE]
    assert len(places) == 1 and places[0] <= first_link
    assert text.count('class="disclosure"') == 1


def test_board_page_embeds_the_collage_and_positions_its_markers(
    landscape: Path, tmp_path: Path
) -> None:
    ref = ProductRef(1, "Acme", "coat")
    item = BoardItem(
        "coat",
        "B",
        BoardItemKind.PRODUCT,
        600,
        400,
        300,
        300,
        rotation=15,
        z="a1",
        product=ref,
        media_hash="h",
    )
    words = BoardItem("w", "B", BoardItemKind.TEXT, 300, 1000, 400, 80, z="a2", text=HOSTILE)
    doc = BoardDocument(
        Board("B", HOSTILE, background="#fafafa", width=1600, height=1200), (item, words)
    )
    paid = dataclasses.replace(legend(1, "https://shop.example/coat"), paid_by=True)
    sheet = BoardSheet(
        HOSTILE,
        doc,
        {"h": landscape},
        (paid,),
        {"coat": 1},
        links_disclosure(["Nordlys"]),
    )
    out = tmp_path / "board.html"
    board_html(sheet, out)
    text, page = parse(out)
    assert HOSTILE not in text and "<script" not in text.lower()
    (img,) = page.all("img")
    with Image.open(io.BytesIO(base64.b64decode(str(img["src"]).split(",", 1)[1]))) as pic:
        assert pic.size == (1600, 1200)
    (marker,) = [a for a in page.all("a") if a.get("class") == "marker"]
    mx, my = board_marker_point(item, marker_radius(1600, 1200))
    m = re.fullmatch(r"left:([\d.]+)%;top:([\d.]+)%", str(marker["style"]))
    assert m is not None
    assert float(m.group(1)) == pytest.approx(mx / 16, abs=0.01)
    assert float(m.group(2)) == pytest.approx(my / 12, abs=0.01)
    assert marker["href"] == "https://shop.example/coat"
    # The brand pays the curator: its links say so, the disclosure and its line name it.
    assert marker["rel"] == "sponsored noopener"
    said = [t for _, t in page.texts if t.strip() == links_disclosure(["Nordlys"])]
    assert len(said) == 1  # once per export
    first_link = next(i for i, (t, _) in enumerate(page.tags) if t == "a")
    assert next(i for i, t in page.texts if t in said) <= first_link
    assert "Nordlys pays them" in text and "Nordlys pays the curator" in text
