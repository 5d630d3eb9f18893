"""The look editor's check panel: what to fix before a look is shared. Pure rules, no I/O.

``check_look`` lists issues in a stable order the panel shows as is: look-wide issues first
(caption), then per photo in carousel order (resolution, alt text, too many tags), then per
hotspot in marker-number order (a conflict of interest, else a missing or unavailable product;
then a tag the photo's crop hides: buyers would never see it). A conflict is a tag made before
the curator declared a tie to a competing brand (``studio.core.rules.conflicts`` gives the
reasons); the tag stays until the curator removes it or picks another product.

Two fixes are geometry, so they live here too: ``widened_crop`` grows a crop around its centre
just enough to reach the minimum resolution (the curator's framing kept as far as the photo
allows, instead of dropping the crop), and ``crop_showing`` grows a crop just enough to show a
hidden tag.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from studio.core.looks import (
    MAX_HOTSPOTS_PER_PHOTO,
    MIN_SHORT_SIDE,
    Crop,
    Hotspot,
    LookDocument,
    LookPhoto,
)
from studio.core.product import Availability

# A shopper cannot buy these now: the tag still shows, but the editor warns.
_NOT_BUYABLE = frozenset({Availability.OUT_OF_STOCK, Availability.UNAVAILABLE})


class CheckKind(StrEnum):
    UNAVAILABLE = "unavailable"
    MISSING_PRODUCT = "missing_product"
    LOW_RESOLUTION = "low_resolution"
    TOO_MANY_HOTSPOTS = "too_many_hotspots"
    NO_CAPTION = "no_caption"
    NO_ALT_TEXT = "no_alt_text"
    CONFLICT = "conflict"
    HIDDEN_BY_CROP = "hidden_by_crop"


# How much of the photo (a fraction of its side) ``crop_showing`` leaves around a tag it brings
# back into the crop, so the marker is not cut in half at the edge.
SHOW_MARGIN = 0.05


@dataclass(frozen=True, slots=True)
class CheckIssue:
    kind: CheckKind
    photo_id: str | None = None
    hotspot_id: str | None = None
    detail: str = ""


def shown_size(photo: LookPhoto) -> tuple[int, int]:
    """The pixel size of the photo's kept part (before rotation, which keeps the short side)."""
    crop = photo.crop
    width = round(photo.width * max(0.0, crop.right - crop.left))
    height = round(photo.height * max(0.0, crop.bottom - crop.top))
    return width, height


def hidden_by_crop(hotspot: Hotspot, photo: LookPhoto) -> bool:
    """Whether the photo's crop leaves ``hotspot`` out (both in fractions of the upright photo)."""
    crop = photo.crop
    return not (crop.left <= hotspot.x <= crop.right and crop.top <= hotspot.y <= crop.bottom)


def widened_crop(photo: LookPhoto, short_side: int = MIN_SHORT_SIDE) -> Crop | None:
    """The crop grown around its centre until its short side has ``short_side`` pixels, its
    proportions kept as far as the photo allows and moved (not shrunk) to stay inside it; so it
    still holds all the curator kept. None when the whole photo's short side is smaller (only a
    larger original helps), or when the crop is large enough already."""
    width, height = shown_size(photo)
    if min(photo.width, photo.height) < short_side or min(width, height) >= short_side:
        return None
    width, height = max(width, 1), max(height, 1)
    scale = short_side / min(width, height)
    new_w = min(photo.width, math.ceil(width * scale))
    new_h = min(photo.height, math.ceil(height * scale))
    crop = photo.crop
    centre_x = (crop.left + crop.right) / 2 * photo.width
    centre_y = (crop.top + crop.bottom) / 2 * photo.height
    left = min(max(0.0, centre_x - new_w / 2), photo.width - new_w)
    top = min(max(0.0, centre_y - new_h / 2), photo.height - new_h)
    return Crop(
        left / photo.width,
        top / photo.height,
        (left + new_w) / photo.width,
        (top + new_h) / photo.height,
    )


def crop_showing(crop: Crop, x: float, y: float, margin: float = SHOW_MARGIN) -> Crop:
    """``crop`` grown on the side(s) it must be to show the point (``x``, ``y``) with
    ``margin`` around it, never past the photo's edges."""
    return Crop(
        min(crop.left, max(0.0, x - margin)),
        min(crop.top, max(0.0, y - margin)),
        max(crop.right, min(1.0, x + margin)),
        max(crop.bottom, min(1.0, y + margin)),
    )


def check_look(
    doc: LookDocument,
    availability: Mapping[int, Availability],
    conflicts: Mapping[tuple[str, str], str] | None = None,
) -> list[CheckIssue]:
    """The issues of ``doc``; ``availability`` maps product ids to their current availability;
    ``conflicts`` maps (merchant, offer id) to why a declared tie now forbids the product.

    A hotspot whose product is in ``conflicts`` is CONFLICT (with the reason); else one whose
    product id is None or absent from ``availability`` is MISSING_PRODUCT; one whose product is
    out of stock or unavailable is UNAVAILABLE. A hotspot outside its photo's crop is
    HIDDEN_BY_CROP as well.
    """
    forbidden = conflicts or {}
    issues: list[CheckIssue] = []
    if not doc.look.caption.strip():
        issues.append(CheckIssue(CheckKind.NO_CAPTION, detail="the look has no caption"))
    for photo in doc.photos:
        width, height = shown_size(photo)
        short = min(width, height)
        if short < MIN_SHORT_SIDE:
            issues.append(
                CheckIssue(
                    CheckKind.LOW_RESOLUTION,
                    photo_id=photo.id,
                    detail=f"{width}×{height} px after cropping; the short side should be at "
                    f"least {MIN_SHORT_SIDE} px",
                )
            )
        if not photo.alt_text.strip():
            issues.append(
                CheckIssue(
                    CheckKind.NO_ALT_TEXT,
                    photo_id=photo.id,
                    detail="the photo has no description for screen readers",
                )
            )
        count = len(doc.hotspots_of(photo.id))
        if count > MAX_HOTSPOTS_PER_PHOTO:
            issues.append(
                CheckIssue(
                    CheckKind.TOO_MANY_HOTSPOTS,
                    photo_id=photo.id,
                    detail=(
                        f"{count} tags on one photo; at most {MAX_HOTSPOTS_PER_PHOTO} stay readable"
                    ),
                )
            )
    for hotspot in doc.hotspots:
        ref = hotspot.product
        state = availability.get(ref.product_id) if ref.product_id is not None else None
        reason = forbidden.get((ref.merchant, ref.offer_id))
        if reason:
            issues.append(
                CheckIssue(
                    CheckKind.CONFLICT,
                    photo_id=hotspot.photo_id,
                    hotspot_id=hotspot.id,
                    detail=reason,
                )
            )
        elif state is None:
            issues.append(
                CheckIssue(
                    CheckKind.MISSING_PRODUCT,
                    photo_id=hotspot.photo_id,
                    hotspot_id=hotspot.id,
                    detail=f"{ref.merchant} offer {ref.offer_id} is no longer in the catalog",
                )
            )
        elif state in _NOT_BUYABLE:
            issues.append(
                CheckIssue(
                    CheckKind.UNAVAILABLE,
                    photo_id=hotspot.photo_id,
                    hotspot_id=hotspot.id,
                    detail=(
                        f"{ref.merchant} offer {ref.offer_id} is {state.value.replace('_', ' ')}"
                    ),
                )
            )
        on = doc.photo(hotspot.photo_id)
        if on is not None and hidden_by_crop(hotspot, on):
            issues.append(
                CheckIssue(
                    CheckKind.HIDDEN_BY_CROP,
                    photo_id=hotspot.photo_id,
                    hotspot_id=hotspot.id,
                    detail="the photo's crop leaves this tag out: buyers will not see it",
                )
            )
    return issues
