"""The review editor's checks: what to fix before a review is shared. Pure rules, no I/O.

``check_review`` lists issues in a stable order the Checks tab shows as is: the rating, the
length of the text, then the product (a conflict of interest, else gone from the catalog or
not orderable now). A review's text is useful to a buyer from ``MIN_BODY_WORDS`` words of body
(title, pros and cons not counted: they repeat what the body explains). A conflict is a review
of a competing brand's product written before the curator declared the tie
(``studio.core.rules.conflicts`` gives the reason); it stays until the curator deletes it.

Review photos are shown with the review's own words and carry no alt text of their own, so
none is checked here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from studio.core.reviews import RATING_MAX, RATING_MIN, Review, word_count

MIN_BODY_WORDS = 50


class ReviewCheckKind(StrEnum):
    NO_RATING = "no_rating"
    TOO_SHORT = "too_short"
    CONFLICT = "conflict"
    MISSING_PRODUCT = "missing_product"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True, slots=True)
class ReviewIssue:
    kind: ReviewCheckKind
    detail: str = ""


def check_review(review: Review, available: bool | None, conflict: str = "") -> list[ReviewIssue]:
    """The issues of ``review``: ``available`` is whether a buyer can order its product now
    (None: the catalog no longer has it); ``conflict`` is why a declared tie now forbids the
    product ("" when none does)."""
    issues: list[ReviewIssue] = []
    rating = review.rating
    if (
        isinstance(rating, bool)
        or not isinstance(rating, int)
        or not (RATING_MIN <= rating <= RATING_MAX)
    ):
        issues.append(
            ReviewIssue(
                ReviewCheckKind.NO_RATING,
                f"the review has no rating; give it {RATING_MIN} to {RATING_MAX} stars",
            )
        )
    words = word_count(review.body)
    if words < MIN_BODY_WORDS:
        issues.append(
            ReviewIssue(
                ReviewCheckKind.TOO_SHORT,
                f"the review's text has {words} word{'s' if words != 1 else ''}; write at least "
                f"{MIN_BODY_WORDS} so a buyer learns what the product is like",
            )
        )
    ref = review.product
    if conflict:
        issues.append(ReviewIssue(ReviewCheckKind.CONFLICT, conflict))
    elif available is None:
        issues.append(
            ReviewIssue(
                ReviewCheckKind.MISSING_PRODUCT,
                f"{ref.merchant} offer {ref.offer_id} is no longer in the catalog",
            )
        )
    elif not available:
        issues.append(
            ReviewIssue(
                ReviewCheckKind.UNAVAILABLE,
                f"{ref.merchant} offer {ref.offer_id} is out of stock or withdrawn by the merchant",
            )
        )
    return issues
