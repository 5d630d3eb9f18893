"""studio.core.sharing: crop/rotation mapping (property-tested), numbering, prices, legend words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studio.core.boards import Board, BoardDocument, BoardItem, BoardItemKind
from studio.core.looks import (
    Crop,
    Hotspot,
    Look,
    LookDocument,
    LookPhoto,
    MatchKind,
    ProductRef,
)
from studio.core.money import Money
from studio.core.product import Availability
from studio.core.sharing import (
    AFFILIATE_DISCLOSURE,
    PLAIN_LINKS_NOTICE,
    LegendEntry,
    availability_words,
    board_marker_point,
    displayed_point,
    format_price,
    is_orderable,
    number_board_items,
    number_hotspots,
    original_point,
    shown_size,
)

fractions = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@st.composite
def crops(draw: st.DrawFn) -> Crop:
    left = draw(st.floats(min_value=0.0, max_value=0.9))
    top = draw(st.floats(min_value=0.0, max_value=0.9))
    right = draw(st.floats(min_value=left + 0.05, max_value=1.0))
    bottom = draw(st.floats(min_value=top + 0.05, max_value=1.0))
    return Crop(left, top, right, bottom)


@given(crops(), st.integers(min_value=0, max_value=3), fractions, fractions)
def test_original_point_inverts_displayed_point(
    crop: Crop, rotation: int, x: float, y: float
) -> None:
    # A point inside the crop is shown, and maps back to where it was stored.
    sx = crop.left + x * (crop.right - crop.left)
    sy = crop.top + y * (crop.bottom - crop.top)
    shown = displayed_point(sx, sy, crop, rotation)
    assert shown is not None
    assert 0.0 <= shown[0] <= 1.0 and 0.0 <= shown[1] <= 1.0
    back = original_point(*shown, crop, rotation)
    assert back == pytest.approx((sx, sy), abs=1e-9)


@given(crops(), st.integers(min_value=0, max_value=3), fractions, fractions)
def test_displayed_point_inverts_original_point(
    crop: Crop, rotation: int, x: float, y: float
) -> None:
    # A drop anywhere on the shown photo is stored inside the crop and shows where it was.
    stored = original_point(x, y, crop, rotation)
    assert crop.left - 1e-9 <= stored[0] <= crop.right + 1e-9
    assert crop.top - 1e-9 <= stored[1] <= crop.bottom + 1e-9
    assert displayed_point(*stored, crop, rotation) == pytest.approx((x, y), abs=1e-9)


def test_quarter_turns_are_clockwise() -> None:
    full = Crop()
    # The top-left corner of an upright photo goes to the top-right after one clockwise turn.
    assert displayed_point(0.0, 0.0, full, 1) == (1.0, 0.0)
    assert displayed_point(0.25, 0.1, full, 1) == pytest.approx((0.9, 0.25))
    assert displayed_point(0.25, 0.1, full, 2) == pytest.approx((0.75, 0.9))
    assert displayed_point(0.25, 0.1, full, 3) == pytest.approx((0.1, 0.75))
    assert displayed_point(0.25, 0.1, full, 4) == pytest.approx((0.25, 0.1))


def test_crop_then_rotation_and_points_cut_out() -> None:
    crop = Crop(0.5, 0.0, 1.0, 0.5)  # the top-right quarter
    assert displayed_point(0.75, 0.25, crop, 0) == pytest.approx((0.5, 0.5))
    assert displayed_point(0.6, 0.1, crop, 1) == pytest.approx((0.8, 0.2))
    assert displayed_point(0.25, 0.25, crop, 0) is None
    assert displayed_point(0.75, 0.75, crop, 2) is None
    assert displayed_point(0.5, 0.5, crop, 0) == (0.0, 1.0)  # the edge itself is kept
    assert shown_size(4000, 3000, crop, 0) == (2000, 1500)
    assert shown_size(4000, 3000, crop, 3) == (1500, 2000)


def _look(hotspots_per_photo: dict[str, list[tuple[str, str]]]) -> LookDocument:
    look = Look(id="L", title="t")
    photos = tuple(
        LookPhoto(id=pid, look_id="L", media_hash="h", width=10, height=10, position=f"a{pos}")
        for pos, pid in enumerate(hotspots_per_photo)
    )
    ref = ProductRef(1, "M", "o")
    hotspots = tuple(
        Hotspot(id=hid, photo_id=pid, product=ref, x=0.5, y=0.5, position=key)
        for pid, spots in hotspots_per_photo.items()
        for hid, key in spots
    )
    return LookDocument(look, photos, hotspots)


def test_hotspots_are_numbered_by_photo_then_position() -> None:
    doc = _look({"p1": [("b", "a1"), ("a", "a0")], "p2": [("c", "a0")], "p3": []})
    assert number_hotspots(doc) == {"a": 1, "b": 2, "c": 3}


def test_board_product_items_are_numbered_in_z_order() -> None:
    ref = ProductRef(1, "M", "o")
    items = (
        BoardItem("t", "B", BoardItemKind.TEXT, 0, 0, 1, 1, z="a0", text="hi"),
        BoardItem("p2", "B", BoardItemKind.PRODUCT, 0, 0, 1, 1, z="a2", product=ref),
        BoardItem("p1", "B", BoardItemKind.PRODUCT, 0, 0, 1, 1, z="a1", product=ref),
        BoardItem("ph", "B", BoardItemKind.PHOTO, 0, 0, 1, 1, z="a3", media_hash="h"),
    )
    assert number_board_items(BoardDocument(Board("B", "b"), items)) == {"p1": 1, "p2": 2}


def test_prices_availability_and_legend_words() -> None:
    assert format_price(Money(1500, "EUR"), None) == "15.00 EUR"
    assert format_price(Money(1500, "EUR"), Money(1200, "EUR")) == "12.00 EUR (was 15.00 EUR)"
    assert format_price(None, None) == ""
    assert format_price(Money(500, "JPY"), None) == "500 JPY"
    assert is_orderable(Availability.PREORDER) and not is_orderable(Availability.OUT_OF_STOCK)
    assert availability_words(Availability.IN_STOCK) == ""
    assert availability_words(Availability.OUT_OF_STOCK) == "out of stock"
    entry = LegendEntry(
        1,
        "The coat",
        "Wool coat",
        "Nordlys",
        "Acme",
        "15.00 EUR",
        None,
        MatchKind.SIMILAR,
        False,
        "out of stock",
    )
    assert entry.heading == "The coat — Wool coat"
    assert entry.details == "Nordlys · Acme · 15.00 EUR · similar item · out of stock"
    own = LegendEntry(2, "", "Tote", "acme ", "Acme", "", None, MatchKind.EXACT, True)
    assert own.heading == "Tote" and own.details == "Acme · exact item"
    assert "affiliate" in AFFILIATE_DISCLOSURE and "commission" in AFFILIATE_DISCLOSURE
    assert "not affiliate links" in PLAIN_LINKS_NOTICE and "earns nothing" in PLAIN_LINKS_NOTICE


def test_board_marker_sits_in_the_items_corner_and_turns_with_it() -> None:
    item = BoardItem("p", "B", BoardItemKind.PRODUCT, 500, 400, 200, 100, rotation=0.0)
    assert board_marker_point(item, 20) == pytest.approx((428, 378))
    turned = BoardItem("p", "B", BoardItemKind.PRODUCT, 500, 400, 200, 100, rotation=90.0)
    # A clockwise quarter turn takes the top-left corner to the top-right.
    assert board_marker_point(turned, 20) == pytest.approx((522, 328))
