"""The check panel's rules: each kind fires exactly at its threshold, and only there."""

from __future__ import annotations

from studio.core.look_checks import (
    CheckIssue,
    CheckKind,
    check_look,
    crop_showing,
    shown_size,
    widened_crop,
)
from studio.core.looks import (
    FULL_CROP,
    MAX_HOTSPOTS_PER_PHOTO,
    MIN_SHORT_SIDE,
    Crop,
    Hotspot,
    Look,
    LookDocument,
    LookPhoto,
    ProductRef,
)
from studio.core.ordering import keys_after
from studio.core.product import Availability


def _photo(
    pid: str,
    width: int = 3000,
    height: int = 4000,
    *,
    crop: Crop = FULL_CROP,
    alt: str = "A person in a coat",
    rotation: int = 0,
) -> LookPhoto:
    return LookPhoto(pid, "L", "h" * 64, width, height, "V", crop, rotation, alt)


def _spots(photo_id: str, product_ids: list[int | None]) -> tuple[Hotspot, ...]:
    keys = keys_after(None, len(product_ids))
    return tuple(
        Hotspot(
            f"{photo_id}-{i}",
            photo_id,
            ProductRef(pid, "Shop", f"o{i}"),
            0.5,
            0.5,
            position=keys[i],
        )
        for i, pid in enumerate(product_ids)
    )


def _doc(
    photos: tuple[LookPhoto, ...],
    hotspots: tuple[Hotspot, ...] = (),
    caption: str = "Autumn layers",
) -> LookDocument:
    return LookDocument(Look("L", "Look", caption=caption), photos, hotspots)


def test_a_complete_look_has_no_issues() -> None:
    doc = _doc((_photo("p1"),), _spots("p1", [1, 2]))
    assert check_look(doc, {1: Availability.IN_STOCK, 2: Availability.PREORDER}) == []


def test_missing_caption_and_alt_text() -> None:
    doc = _doc((_photo("p1", alt="  "), _photo("p2")), caption=" \n")
    kinds = [(i.kind, i.photo_id) for i in check_look(doc, {})]
    assert kinds == [(CheckKind.NO_CAPTION, None), (CheckKind.NO_ALT_TEXT, "p1")]


def test_products_gone_from_the_catalog_or_never_linked_are_missing() -> None:
    doc = _doc((_photo("p1"),), _spots("p1", [None, 7, 8]))
    issues = check_look(doc, {8: Availability.IN_STOCK})
    assert [(i.kind, i.hotspot_id) for i in issues] == [
        (CheckKind.MISSING_PRODUCT, "p1-0"),
        (CheckKind.MISSING_PRODUCT, "p1-1"),
    ]
    assert "Shop" in issues[0].detail and "o0" in issues[0].detail


def test_out_of_stock_and_unavailable_products_are_flagged() -> None:
    doc = _doc((_photo("p1"),), _spots("p1", [1, 2, 3, 4]))
    issues = check_look(
        doc,
        {
            1: Availability.OUT_OF_STOCK,
            2: Availability.UNAVAILABLE,
            3: Availability.BACKORDER,
            4: Availability.LIMITED,
        },
    )
    assert [(i.kind, i.hotspot_id) for i in issues] == [
        (CheckKind.UNAVAILABLE, "p1-0"),
        (CheckKind.UNAVAILABLE, "p1-1"),
    ]


def test_low_resolution_is_judged_after_the_crop() -> None:
    exact = _photo("ok", MIN_SHORT_SIDE, 2000)
    small = _photo("small", MIN_SHORT_SIDE - 1, 2000)
    # 2000 px wide, but only the left half kept: 1000 px short side.
    cropped = _photo("cropped", 2000, 3000, crop=Crop(0.0, 0.0, 0.5, 1.0))
    rotated = _photo("rotated", 4000, MIN_SHORT_SIDE, rotation=1)  # rotation keeps the short side
    doc = _doc((exact, small, cropped, rotated))
    low = [i.photo_id for i in check_look(doc, {}) if i.kind is CheckKind.LOW_RESOLUTION]
    assert low == ["small", "cropped"]
    assert shown_size(cropped) == (1000, 3000)


def test_too_many_hotspots_on_one_photo() -> None:
    at_limit = _spots("p1", list(range(MAX_HOTSPOTS_PER_PHOTO)))
    over = _spots("p2", list(range(MAX_HOTSPOTS_PER_PHOTO + 1)))
    availability = dict.fromkeys(range(30), Availability.IN_STOCK)
    doc = _doc((_photo("p1"), _photo("p2")), at_limit + over)
    issues = check_look(doc, availability)
    assert issues == [
        CheckIssue(CheckKind.TOO_MANY_HOTSPOTS, photo_id="p2", detail=issues[0].detail)
    ]
    assert str(MAX_HOTSPOTS_PER_PHOTO + 1) in issues[0].detail


def test_issues_come_look_first_then_by_photo_then_by_hotspot() -> None:
    doc = _doc((_photo("p1", 800, 800, alt=""), _photo("p2")), _spots("p1", [None]), caption="")
    kinds = [i.kind for i in check_look(doc, {})]
    assert kinds == [
        CheckKind.NO_CAPTION,
        CheckKind.LOW_RESOLUTION,
        CheckKind.NO_ALT_TEXT,
        CheckKind.MISSING_PRODUCT,
    ]


def _contains(outer: Crop, inner: Crop) -> bool:
    return (
        outer.left <= inner.left
        and outer.top <= inner.top
        and outer.right >= inner.right
        and outer.bottom >= inner.bottom
    )


def test_a_widened_crop_keeps_the_framing_and_is_sharp_enough() -> None:
    # 900 x 600 kept of 1800 x 1200 (the top-left quarter): grown around its centre to
    # 1620 x 1080, the same 3:2, moved right/down to stay inside the photo, holding the old.
    quarter = Crop(0.0, 0.0, 0.5, 0.5)
    photo = _photo("p", 1800, 1200, crop=quarter)
    wide = widened_crop(photo)
    assert wide is not None and wide != FULL_CROP
    assert shown_size(LookPhoto("p", "L", "h" * 64, 1800, 1200, "V", wide)) == (1620, 1080)
    assert _contains(wide, quarter) and wide.left == 0.0 and wide.top == 0.0
    # A centred square crop grows around its centre: still centred, still square.
    centred = _photo("c", 3000, 3000, crop=Crop(0.4, 0.4, 0.6, 0.6))
    square = widened_crop(centred)
    assert square is not None
    assert shown_size(LookPhoto("c", "L", "h" * 64, 3000, 3000, "V", square)) == (1080, 1080)
    assert abs((square.left + square.right) / 2 - 0.5) < 1e-9
    # A long thin strip cannot keep 9:1 at 1080 px high: as wide as the photo, 1080 high.
    strip = _photo("s", 2000, 2000, crop=Crop(0.0, 0.45, 0.9, 0.55))
    grown = widened_crop(strip)
    assert grown is not None
    assert shown_size(LookPhoto("s", "L", "h" * 64, 2000, 2000, "V", grown)) == (2000, 1080)
    # No use widening: the whole photo is too small, or the crop is fine already.
    assert widened_crop(_photo("t", 1000, 3000, crop=Crop(0.0, 0.0, 0.9, 0.9))) is None
    assert widened_crop(_photo("f", 3000, 3000, crop=Crop(0.0, 0.0, 0.5, 0.5))) is None
    for p in (photo, centred, strip):
        fixed = LookPhoto(p.id, "L", "h" * 64, p.width, p.height, "V", widened_crop(p) or p.crop)
        assert CheckKind.LOW_RESOLUTION not in [i.kind for i in check_look(_doc((fixed,)), {})]


def test_a_tag_the_crop_leaves_out_is_flagged_and_crop_showing_brings_it_back() -> None:
    crop = Crop(0.25, 0.25, 0.75, 0.75)
    photo = _photo("p1", crop=crop)
    inside = Hotspot("in", "p1", ProductRef(1, "Shop", "a"), 0.5, 0.5, position="a")
    edge = Hotspot("edge", "p1", ProductRef(1, "Shop", "b"), 0.75, 0.25, position="b")
    outside = Hotspot("out", "p1", ProductRef(1, "Shop", "c"), 0.9, 0.5, position="c")
    doc = _doc((photo,), (inside, edge, outside))
    issues = check_look(doc, {1: Availability.IN_STOCK})
    assert [(i.kind, i.hotspot_id) for i in issues] == [(CheckKind.HIDDEN_BY_CROP, "out")]
    shown = crop_showing(crop, outside.x, outside.y)
    # Only the right side moved, with a margin around the tag.
    assert (shown.left, shown.top, shown.bottom) == (0.25, 0.25, 0.75)
    assert abs(shown.right - 0.95) < 1e-9
    near_edge = crop_showing(crop, 0.99, 0.01)
    assert (near_edge.right, near_edge.top) == (1.0, 0.0)  # never past the photo
    fixed = _doc((_photo("p1", crop=shown),), (inside, edge, outside))
    assert check_look(fixed, {1: Availability.IN_STOCK}) == []
