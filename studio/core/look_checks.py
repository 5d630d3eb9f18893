"""The look editor's check panel: what to fix before a look is shared. Pure rules, no I/O.

``check_look`` lists issues in a stable order the panel shows as is: look-wide issues first
(caption), then per photo in carousel order (resolution, alt text, too many tags), then per
hotspot in marker-number order (a conflict of interest, else a missing or unavailable product).
A conflict is a tag made before the curator declared a tie to a competing brand
(``studio.core.rules.conflicts`` gives the reasons); the tag stays until the curator removes
it or picks another product.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from studio.core.looks import MAX_HOTSPOTS_PER_PHOTO, MIN_SHORT_SIDE, LookDocument, LookPhoto
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


def check_look(
    doc: LookDocument,
    availability: Mapping[int, Availability],
    conflicts: Mapping[tuple[str, str], str] | None = None,
) -> list[CheckIssue]:
    """The issues of ``doc``; ``availability`` maps product ids to their current availability;
    ``conflicts`` maps (merchant, offer id) to why a declared tie now forbids the product.

    A hotspot whose product is in ``conflicts`` is CONFLICT (with the reason); else one whose
    product id is None or absent from ``availability`` is MISSING_PRODUCT; one whose product is
    out of stock or unavailable is UNAVAILABLE.
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
    return issues
