"""The board editor's checks: what to fix before a board is shared. Pure rules, no I/O.

``check_board`` lists issues in a stable order the Checks tab shows as is: board-wide issues
first (no product to shop, too many items or products), then per product item in legend-number
order (``studio.core.sharing.number_board_items``): a conflict of interest (a product placed
before the curator declared a tie to a competing brand), else a product gone from the catalog
or one a buyer cannot order now.

Alternative text: a board is shared as ONE picture (the collage) whose description the export
makes from the board's title and text labels; its photos are never shown on their own, so a
board item carries no alt text of its own and none is checked here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from studio.core.boards import MAX_BOARD_ITEMS, BoardDocument, BoardItemKind
from studio.core.product import Availability
from studio.core.sharing import number_board_items

MAX_BOARD_PRODUCTS = 30
"""Numbered markers that stay readable on one board, and legend lines a buyer reads through."""

# A shopper cannot buy these now: the item still shows, but the editor warns.
_NOT_BUYABLE = frozenset({Availability.OUT_OF_STOCK, Availability.UNAVAILABLE})


class BoardCheckKind(StrEnum):
    NO_PRODUCTS = "no_products"
    TOO_MANY_ITEMS = "too_many_items"
    TOO_MANY_PRODUCTS = "too_many_products"
    CONFLICT = "conflict"
    MISSING_PRODUCT = "missing_product"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True, slots=True)
class BoardIssue:
    """One issue; ``item_id`` names the board item, None for a board-wide issue."""

    kind: BoardCheckKind
    item_id: str | None = None
    detail: str = ""


def check_board(
    doc: BoardDocument,
    availability: Mapping[int, Availability],
    conflicts: Mapping[tuple[str, str], str] | None = None,
) -> list[BoardIssue]:
    """The issues of ``doc``; ``availability`` maps product ids to their current availability;
    ``conflicts`` maps (merchant, offer id) to why a declared tie now forbids the product
    (``studio.core.rules.conflicts``)."""
    forbidden = conflicts or {}
    numbers = number_board_items(doc)
    products = sorted(
        (i for i in doc.items if i.kind is BoardItemKind.PRODUCT), key=lambda i: numbers[i.id]
    )
    issues: list[BoardIssue] = []
    if not products:
        issues.append(
            BoardIssue(
                BoardCheckKind.NO_PRODUCTS,
                detail="nothing on the board links to a product, so nothing on it can be bought",
            )
        )
    if len(doc.items) > MAX_BOARD_ITEMS:
        issues.append(
            BoardIssue(
                BoardCheckKind.TOO_MANY_ITEMS,
                detail=f"{len(doc.items)} items; a board holds at most {MAX_BOARD_ITEMS}",
            )
        )
    if len(products) > MAX_BOARD_PRODUCTS:
        issues.append(
            BoardIssue(
                BoardCheckKind.TOO_MANY_PRODUCTS,
                detail=(
                    f"{len(products)} products on one board; at most {MAX_BOARD_PRODUCTS} "
                    "numbered markers stay readable"
                ),
            )
        )
    for item in products:
        ref = item.product
        if ref is None:
            issues.append(
                BoardIssue(
                    BoardCheckKind.MISSING_PRODUCT, item.id, "the item names no catalog product"
                )
            )
            continue
        reason = forbidden.get((ref.merchant, ref.offer_id))
        state = availability.get(ref.product_id) if ref.product_id is not None else None
        if reason:
            issues.append(BoardIssue(BoardCheckKind.CONFLICT, item.id, reason))
        elif state is None:
            issues.append(
                BoardIssue(
                    BoardCheckKind.MISSING_PRODUCT,
                    item.id,
                    f"{ref.merchant} offer {ref.offer_id} is no longer in the catalog",
                )
            )
        elif state in _NOT_BUYABLE:
            issues.append(
                BoardIssue(
                    BoardCheckKind.UNAVAILABLE,
                    item.id,
                    f"{ref.merchant} offer {ref.offer_id} is {state.value.replace('_', ' ')}",
                )
            )
    return issues
