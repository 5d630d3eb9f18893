"""The board's and the review's checks before sharing: each kind fires at its threshold only."""

from __future__ import annotations

from studio.core.board_checks import MAX_BOARD_PRODUCTS, BoardCheckKind, check_board
from studio.core.boards import MAX_BOARD_ITEMS, Board, BoardDocument, BoardItem, BoardItemKind
from studio.core.looks import ProductRef
from studio.core.ordering import keys_after
from studio.core.product import Availability
from studio.core.review_checks import MIN_BODY_WORDS, ReviewCheckKind, check_review
from studio.core.reviews import Review


def _board(products: list[int | None], extra: int = 0) -> BoardDocument:
    keys = keys_after(None, len(products) + extra)
    items = [
        BoardItem(
            f"p{n}",
            "B",
            BoardItemKind.PRODUCT,
            100,
            100,
            50,
            50,
            z=keys[n],
            product=None if pid == -1 else ProductRef(pid, "Shop", f"o{n}"),
        )
        for n, pid in enumerate(products)
    ]
    items += [
        BoardItem(f"t{n}", "B", BoardItemKind.TEXT, 10, 10, 5, 5, z=keys[len(products) + n])
        for n in range(extra)
    ]
    return BoardDocument(Board("B", "Board"), tuple(items))


def test_a_board_of_available_products_has_no_issue() -> None:
    doc = _board([1, 2])
    assert check_board(doc, {1: Availability.IN_STOCK, 2: Availability.LIMITED}) == []


def test_each_product_issue_names_its_item_in_legend_order() -> None:
    doc = _board([1, 2, None, -1, 5])
    stock = {1: Availability.OUT_OF_STOCK, 2: Availability.IN_STOCK, 5: Availability.IN_STOCK}
    issues = check_board(doc, stock, {("Shop", "o4"): "declared later"})
    assert [(i.kind, i.item_id) for i in issues] == [
        (BoardCheckKind.UNAVAILABLE, "p0"),
        (BoardCheckKind.MISSING_PRODUCT, "p2"),
        (BoardCheckKind.MISSING_PRODUCT, "p3"),
        (BoardCheckKind.CONFLICT, "p4"),
    ]
    assert issues[0].detail == "Shop offer o0 is out of stock"
    assert issues[-1].detail == "declared later"


def test_board_wide_thresholds() -> None:
    assert [i.kind for i in check_board(_board([], extra=1), {})] == [BoardCheckKind.NO_PRODUCTS]
    stock = dict.fromkeys(range(MAX_BOARD_PRODUCTS + 1), Availability.IN_STOCK)
    assert check_board(_board(list(range(MAX_BOARD_PRODUCTS))), stock) == []
    (crowded,) = check_board(_board(list(range(MAX_BOARD_PRODUCTS + 1))), stock)
    assert crowded.kind is BoardCheckKind.TOO_MANY_PRODUCTS and crowded.item_id is None
    assert crowded.detail.startswith(f"{MAX_BOARD_PRODUCTS + 1} products on one board")
    many = _board([1], extra=MAX_BOARD_ITEMS)
    assert [i.kind for i in check_board(many, stock)] == [BoardCheckKind.TOO_MANY_ITEMS]


def _review(body: str, rating: int = 4) -> Review:
    return Review("r", ProductRef(1, "Shop", "o1"), rating, "Title", body)


def test_a_review_needs_a_rating_and_enough_words() -> None:
    enough = " ".join(["word"] * MIN_BODY_WORDS)
    assert check_review(_review(enough), True) == []
    (short,) = check_review(_review(" ".join(["word"] * (MIN_BODY_WORDS - 1))), True)
    assert short.kind is ReviewCheckKind.TOO_SHORT
    assert f"has {MIN_BODY_WORDS - 1} words; write at least {MIN_BODY_WORDS}" in short.detail
    assert check_review(_review("", rating=0), True)[0].kind is ReviewCheckKind.NO_RATING
    assert [i.kind for i in check_review(_review(enough, rating=6), True)] == [
        ReviewCheckKind.NO_RATING
    ]


def test_a_review_s_product_issues_the_conflict_first() -> None:
    enough = " ".join(["word"] * MIN_BODY_WORDS)
    assert [i.kind for i in check_review(_review(enough), False)] == [ReviewCheckKind.UNAVAILABLE]
    assert [i.kind for i in check_review(_review(enough), None)] == [
        ReviewCheckKind.MISSING_PRODUCT
    ]
    (conflict,) = check_review(_review(enough), False, "declared later")
    assert (conflict.kind, conflict.detail) == (ReviewCheckKind.CONFLICT, "declared later")
