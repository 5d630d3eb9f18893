"""The board editor's geometry: scaling about the opposite corner, rotation, crop, snapping."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import QPointF, QRectF

from studio.core.boards import BoardItem, BoardItemKind
from studio.core.looks import Crop
from studio.ui.boards import geometry

ITEM = BoardItem("i", "b", BoardItemKind.PHOTO, 500.0, 400.0, 200.0, 100.0)


def corner(item: BoardItem, name: str) -> QPointF:
    return dict(geometry.handle_points(item, crop_mode=False, rotate_offset=20))[name]


def test_scale_anchors_the_opposite_corner_even_when_rotated() -> None:
    item = dataclasses.replace(ITEM, rotation=30.0)
    anchor = corner(item, "tl")
    grab = corner(item, "br")
    out = geometry.scaled(item, "br", QPointF(grab.x() + 40, grab.y() + 40), free=False)
    assert out.width / out.height == pytest.approx(2.0)
    assert out.width > item.width
    moved_anchor = corner(out, "tl")
    assert (moved_anchor.x(), moved_anchor.y()) == (
        pytest.approx(anchor.x()),
        pytest.approx(anchor.y()),
    )


def test_scale_never_collapses_or_inverts() -> None:
    out = geometry.scaled(ITEM, "br", QPointF(0, 0), free=True)
    assert out.width >= geometry.MIN_SIZE and out.height >= geometry.MIN_SIZE


def test_text_scales_its_font() -> None:
    label = dataclasses.replace(ITEM, kind=BoardItemKind.TEXT, font_size=20.0)
    grab = corner(label, "br")
    out = geometry.scaled(label, "br", QPointF(grab.x() + 200, grab.y() + 100), free=False)
    assert out.font_size == pytest.approx(40.0)


def test_rotation_points_the_handle_at_the_mouse_and_snaps() -> None:
    assert geometry.rotated(ITEM, QPointF(600, 400), snap=False).rotation == pytest.approx(90)
    assert geometry.rotated(ITEM, QPointF(500, 300), snap=False).rotation == pytest.approx(0)
    assert geometry.rotated(ITEM, QPointF(600, 390), snap=True).rotation == pytest.approx(90)
    assert geometry.rotated(ITEM, QPointF(400, 400), snap=True).rotation == pytest.approx(270)


def test_crop_of_a_flipped_item_trims_the_other_side_of_the_image() -> None:
    flipped = dataclasses.replace(ITEM, flip_h=True)
    left_edge = dict(geometry.handle_points(flipped, crop_mode=True, rotate_offset=0))["l"]
    out = geometry.cropped(flipped, "l", QPointF(left_edge.x() + 50, left_edge.y()))
    assert out.crop == Crop(0.0, 0.0, 0.75, 1.0)  # the image's right quarter is gone
    assert out.width == pytest.approx(150)
    assert out.x == pytest.approx(525)  # the right edge did not move


def test_crop_can_uncover_again_but_not_past_the_image() -> None:
    cropped = dataclasses.replace(ITEM, crop=Crop(0.25, 0.0, 1.0, 1.0), width=150, x=525)
    left_edge = dict(geometry.handle_points(cropped, crop_mode=True, rotate_offset=0))["l"]
    out = geometry.cropped(cropped, "l", QPointF(left_edge.x() - 500, left_edge.y()))
    assert out.crop.left == 0.0 and out.width == pytest.approx(200)
    tight = geometry.cropped(cropped, "l", QPointF(left_edge.x() + 1000, left_edge.y()))
    assert tight.crop.right - tight.crop.left == pytest.approx(geometry.MIN_CROP)


def test_snapping_finds_the_nearest_line_within_tolerance() -> None:
    index = geometry.SnapIndex(QRectF(0, 0, 1200, 1200), [QRectF(100, 100, 50, 50)])
    snap = index.snap(QRectF(153, 400, 100, 100), tolerance=5)
    assert (snap.dx, snap.guide_x) == (-3, 150)  # left edge to the other item's right edge
    assert (snap.dy, snap.guide_y) == (0, None)
    centre = index.snap(QRectF(548, 548, 100, 100), tolerance=5)
    assert (centre.dx, centre.dy) == (2, 2) and centre.guide_x == 600
    assert index.snap(QRectF(300, 300, 100, 100), tolerance=5).guide_x is None
