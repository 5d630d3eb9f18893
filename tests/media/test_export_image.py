"""PNG/JPEG exports of looks and boards: real photos, markers where the items are, no metadata."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from studio.core.boards import Board, BoardDocument, BoardItem, BoardItemKind
from studio.core.looks import Crop, MatchKind
from studio.core.sharing import (
    BoardSheet,
    LegendEntry,
    LookSheet,
    SheetMarker,
    SheetPhoto,
    board_marker_point,
    displayed_point,
)
from studio.media.errors import MediaError
from studio.media.export import (
    SHEET_WIDTH,
    board_canvas,
    board_image,
    look_image,
    render_board,
    render_look,
    shown_photo,
)
from studio.media.export_draw import MARKER_FILL, marker_radius


def close(pixel: object, colour: tuple[int, int, int], tol: int = 12) -> bool:
    assert isinstance(pixel, tuple)
    return all(abs(a - b) <= tol for a, b in zip(pixel[:3], colour, strict=True))


def has_colour(img: Image.Image, colour: tuple[int, int, int], tol: int) -> bool:
    pixels = np.asarray(img.convert("RGB"), dtype=np.int16)
    return bool((np.abs(pixels - np.array(colour)) <= tol).all(axis=-1).any())


@pytest.fixture()
def landscape(fixtures_dir: Path) -> Path:
    path = fixtures_dir / "images" / "exif_orientation" / "Landscape_0.jpg"
    if not path.is_file():
        pytest.fail(f"fixture photo absent: {path}" + " (../shared is incomplete)", pytrace=False)
    return path


def entry(
    number: int,
    title: str = "Wool coat",
    link: str | None = "https://shop.example/c",
    available: bool = True,
) -> LegendEntry:
    return LegendEntry(
        number, "the coat", title, "Nordlys", "Acme", "129.00 EUR", link, MatchKind.EXACT, available
    )


def look_sheet_for(
    photo: Path, crop: Crop, rotation: int, stored: list[tuple[float, float]]
) -> LookSheet:
    markers = []
    for n, (x, y) in enumerate(stored, start=1):
        shown = displayed_point(x, y, crop, rotation)
        assert shown is not None
        markers.append(SheetMarker(n, *shown))
    return LookSheet(
        "Autumn walk",
        "A cold, bright morning.",
        (SheetPhoto(photo, crop, rotation, tuple(markers), "A waterfall"),),
        tuple(entry(n) for n in range(1, len(stored) + 1)),
    )


@pytest.mark.parametrize("fmt", ["png", "jpeg"])
def test_look_export_has_markers_where_the_hotspots_are(
    landscape: Path, tmp_path: Path, fmt: str
) -> None:
    crop, rotation = Crop(0.1, 0.05, 0.9, 0.95), 1
    stored = [(0.3, 0.4), (0.7, 0.8)]
    sheet = look_sheet_for(landscape, crop, rotation, stored)
    out = tmp_path / f"look.{fmt}"
    render_look(sheet, out, fmt)

    layout = look_image(sheet)
    ((left, top, right, bottom),) = layout.boxes
    with Image.open(out) as img:
        assert img.format == ("PNG" if fmt == "png" else "JPEG")
        assert img.size == layout.image.size and img.width == SHEET_WIDTH
        assert img.mode == "RGB"
        assert not img.getexif() and "exif" not in img.info and "icc_profile" not in img.info
        # Cropped (0.8 x 0.9 of 1800 x 1200) then turned a quarter: portrait, 1080 x 1440.
        assert (right - left, bottom - top) == (1080, 1440)
        radius = marker_radius(right - left, bottom - top)
        for x, y in stored:
            sx, sy = displayed_point(x, y, crop, rotation)  # type: ignore[misc]
            cx, cy = left + sx * (right - left), top + sy * (bottom - top)
            # Below the number, inside the disc: the marker colour; on the ring: white.
            assert close(img.getpixel((round(cx), round(cy + radius * 0.7))), MARKER_FILL, 20)
            ring = img.getpixel((round(cx), round(cy + radius + max(2, radius // 7) / 2)))
            assert close(ring, (255, 255, 255), 40)


def test_crop_and_rotation_keep_the_hotspot_on_its_item(tmp_path: Path) -> None:
    # A photo with a red square around the stored point: wherever the crop and turns put the
    # point on the shown photo, the shown photo is red there.
    photo = tmp_path / "square.png"
    img = Image.new("RGB", (900, 600), (240, 240, 240))
    x, y = 0.7, 0.25
    ImageDraw.Draw(img).rectangle(
        (x * 900 - 20, y * 600 - 20, x * 900 + 20, y * 600 + 20), fill=(220, 0, 0)
    )
    img.save(photo)
    for rotation in range(4):
        crop = Crop(0.4, 0.1, 0.95, 0.8)
        shown = shown_photo(SheetPhoto(photo, crop, rotation, (), ""), 400, 400)
        px, py = displayed_point(x, y, crop, rotation)  # type: ignore[misc]
        pixel = shown.getpixel(
            (
                min(round(px * shown.width), shown.width - 1),
                min(round(py * shown.height), shown.height - 1),
            )
        )
        assert close(pixel, (220, 0, 0), 30), (rotation, pixel)


def test_legend_and_disclosure_are_drawn_below_the_photos(landscape: Path, tmp_path: Path) -> None:
    sheet = look_sheet_for(landscape, Crop(), 0, [(0.5, 0.5)])
    long = LookSheet(
        sheet.title,
        sheet.caption,
        sheet.photos,
        tuple(entry(n, available=n % 2 == 0) for n in range(1, 13)),
    )
    short, tall = look_image(sheet), look_image(long)
    assert tall.image.height > short.image.height + 11 * 50  # a legend line per product
    photo_bottom = short.boxes[0][3]
    below = short.image.crop((0, photo_bottom + 10, SHEET_WIDTH, short.image.height))
    # The legend's marker disc is drawn under the photo.
    assert has_colour(below, MARKER_FILL, 10)


def test_export_writes_nothing_on_failure(landscape: Path, tmp_path: Path) -> None:
    sheet = look_sheet_for(landscape, Crop(), 0, [(0.5, 0.5)])
    with pytest.raises(MediaError, match="folder does not exist"):
        render_look(sheet, tmp_path / "missing" / "look.png", "png")
    gone = LookSheet("t", "", (SheetPhoto(tmp_path / "nope.jpg", Crop(), 0, (), ""),), ())
    with pytest.raises(MediaError, match="missing from the media library"):
        render_look(gone, tmp_path / "look.png", "png")
    with pytest.raises(ValueError, match="unknown image format"):
        render_look(sheet, tmp_path / "look.gif", "gif")
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind either


def test_hostile_text_and_a_tiny_photo_still_render(fixtures_dir: Path, tmp_path: Path) -> None:
    tiny = fixtures_dir / "images" / "pillow_tests" / "hopper.png"
    if not tiny.is_file():
        pytest.fail(f"fixture photo absent: {tiny}" + " (../shared is incomplete)", pytrace=False)
    hostile = "</script><img src=x onerror=alert(1)>\x00\x1b[31m" + "W" * 500
    sheet = LookSheet(
        hostile,
        hostile,
        (SheetPhoto(tiny, Crop(), 3, (SheetMarker(1, 0.5, 0.5),), ""),),
        (entry(1, title=hostile),),
    )
    render_look(sheet, tmp_path / "x.jpeg", "jpeg")
    with Image.open(tmp_path / "x.jpeg") as img:
        assert img.width == SHEET_WIDTH and img.height < 2000


def board_sheet_for(photo: Path) -> BoardSheet:
    from studio.core.looks import ProductRef

    ref = ProductRef(1, "Acme", "coat-1")
    items = (
        BoardItem("photo", "B", BoardItemKind.PHOTO, 300, 300, 400, 300, z="a0", media_hash="h1"),
        BoardItem(
            "coat",
            "B",
            BoardItemKind.PRODUCT,
            800,
            700,
            300,
            200,
            rotation=30,
            flip_h=True,
            z="a1",
            product=ref,
            media_hash="h1",
            crop=Crop(0.2, 0.2, 0.8, 0.8),
        ),
        BoardItem(
            "gone",
            "B",
            BoardItemKind.PRODUCT,
            300,
            900,
            200,
            200,
            z="a2",
            product=ref,
            media_hash="missing",
        ),
        BoardItem(
            "words",
            "B",
            BoardItemKind.TEXT,
            850,
            200,
            400,
            80,
            z="a3",
            text="Autumn",
            color="#ff00ff",
            font_size=60,
        ),
    )
    doc = BoardDocument(Board("B", "Autumn board", background="#336699"), items)
    return BoardSheet(
        "Autumn board", doc, {"h1": photo}, (entry(1), entry(2, link=None)), {"coat": 1, "gone": 2}
    )


@pytest.mark.parametrize("fmt", ["png", "jpeg"])
def test_board_export_draws_the_collage_and_its_markers(
    landscape: Path, tmp_path: Path, fmt: str
) -> None:
    sheet = board_sheet_for(landscape)
    out = tmp_path / f"board.{fmt}"
    render_board(sheet, out, fmt)
    layout = board_image(sheet)
    ((left, top, right, bottom),) = layout.boxes
    assert (right - left, bottom - top) == (1200, 1200)
    with Image.open(out) as img:
        assert img.size == layout.image.size and not img.getexif()
        rgb = img.convert("RGB")
        assert close(rgb.getpixel((left + 1100, top + 1100)), (0x33, 0x66, 0x99), 8)
        assert not close(rgb.getpixel((left + 300, top + 300)), (0x33, 0x66, 0x99), 30)
        radius = marker_radius(1200, 1200)
        for item in sheet.board.items:
            if item.id in sheet.numbers:
                mx, my = board_marker_point(item, radius)
                pixel = rgb.getpixel((round(left + mx), round(top + my + radius * 0.7)))
                assert close(pixel, MARKER_FILL, 25), (item.id, pixel)
        assert has_colour(
            rgb.crop((left + 650, top + 160, left + 1050, top + 240)), (255, 0, 255), 60
        )


def test_board_items_are_stacked_in_z_order(landscape: Path) -> None:
    sheet = board_sheet_for(landscape)
    cover = BoardItem(
        "top",
        "B",
        BoardItemKind.TEXT,
        300,
        300,
        100,
        100,
        z="a9",
        text="■",
        color="#00ff00",
        font_size=90,
    )
    doc = BoardDocument(sheet.board.board, (*sheet.board.items, cover))
    canvas = board_canvas(BoardSheet("t", doc, sheet.images, (), {}), 1.0)
    # The text drawn last covers the photo under it.
    assert close(canvas.getpixel((300, 300)), (0, 255, 0), 40)


def test_export_works_without_any_system_font(
    landscape: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from studio.media import export_draw

    monkeypatch.setattr(
        export_draw, "_CANDIDATES", {False: ("no-such-font.ttf",), True: ("no-such-font-bold.ttf",)}
    )
    export_draw.font.cache_clear()
    export_draw.marker_sprite.cache_clear()
    try:
        assert "DejaVu" not in str(export_draw.font(20).path)
        sheet = look_sheet_for(landscape, Crop(), 0, [(0.5, 0.5)])
        render_look(sheet, tmp_path / "look.png", "png")
        with Image.open(tmp_path / "look.png") as img:
            assert img.width == SHEET_WIDTH
    finally:
        export_draw.font.cache_clear()
        export_draw.marker_sprite.cache_clear()
