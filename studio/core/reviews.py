"""Reviews: a rating, words, pros and cons, photos, and how the reviewer got the product.

The body is plain text with a tiny markdown subset, kept as typed and rendered only by
``body_html``: ``**bold**``, ``*italic*``, lines starting with ``- `` as a bullet list, and a
blank line between paragraphs. Nothing else is interpreted (no links, headings or HTML: all
other text is escaped), so a review reads the same as text and as a page.

The disclosure is DERIVED from the provenance (``disclosure``), never stored as editable text:
the curator cannot remove or reword it, only change how they say they got the product. A brand
the curator declared as paying them (``Relationship.PAID_BY``; ``studio.core.rules``) is named
in it whatever the provenance: "bought" never claims that nobody paid them.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from enum import StrEnum

from studio.core.looks import ProductRef

RATING_MIN, RATING_MAX = 1, 5
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


class Provenance(StrEnum):
    """How the reviewer got the product."""

    BOUGHT = "bought"
    GIFTED = "gifted"
    LOANED = "loaned"
    PAID_PARTNERSHIP = "paid_partnership"
    OWN_BRAND = "own_brand"


class ReviewStatus(StrEnum):
    DRAFT = "draft"
    READY = "ready"


def disclosure(provenance: Provenance | str, brand: str | None, *, paid_by: bool = False) -> str:
    """The plain sentence shown with the review for ``provenance`` (brand may be unknown);
    ``paid_by``: the curator declared that the product's brand pays them, which is said."""
    who = " ".join((brand or "").split()) or "the brand"
    who_cap = who[0].upper() + who[1:]
    paid = (
        f" {who_cap} also pays me (a paid relationship I declared), so I have a financial "
        "interest in this product selling."
        if paid_by
        else ""
    )
    match Provenance(provenance):
        case Provenance.BOUGHT:
            if paid_by:
                return (
                    f"I bought this product with my own money, but {who} pays me (a paid "
                    "relationship I declared), so I have a financial interest in it selling."
                )
            return (
                "I bought this product with my own money; nobody paid me or gave me "
                "anything for this review."
            )
        case Provenance.GIFTED:
            return (
                f"I was given this product for free by {who} or on its behalf; I did not "
                "pay for it, and I kept it." + paid
            )
        case Provenance.LOANED:
            return (
                f"{who_cap} lent me this product to review; I gave it back (or will) and did not "
                "pay for it." + paid
            )
        case Provenance.PAID_PARTNERSHIP:
            return (
                f"Paid partnership: {who} paid me to review this product. The opinions are my own."
            )
        case Provenance.OWN_BRAND:
            return (
                f"Own brand: I make or represent {who}, so I have a direct interest in "
                "this product selling." + (f" {who_cap} also pays me." if paid_by else "")
            )
    raise AssertionError(provenance)  # pragma: no cover - the match is exhaustive


def word_count(text: str) -> int:
    """Words as a reader counts them: runs of letters or digits ("don't", "well-made" are
    one word each); markdown marks and punctuation are not words."""
    return len(_WORD.findall(text))


def _inline(text: str) -> str:
    text = html.escape(text, quote=True)
    text = re.sub(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", r"<strong>\1</strong>", text)
    return re.sub(r"(?<!\*)\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?!\*)", r"<em>\1</em>", text)


def body_html(body: str) -> str:
    """The body's markdown subset (module doc) as safe HTML: ``<p>``, ``<ul><li>``,
    ``<strong>``, ``<em>``; every other character escaped."""
    blocks: list[str] = []
    for block in re.split(r"\n\s*\n", body.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if all(line.startswith("- ") for line in lines):
            blocks.append(
                "<ul>"
                + "".join(f"<li>{_inline(line[2:].strip())}</li>" for line in lines)
                + "</ul>"
            )
        else:
            blocks.append("<p>" + "<br>".join(_inline(line) for line in lines) + "</p>")
    return "\n".join(blocks)


@dataclass(frozen=True, slots=True)
class Review:
    """A review; ``deleted_at`` set means it is in the trash. ``photos`` are media hashes in
    display order (the store keeps each as a row of its own). ``rating`` is None until the
    curator gives one (a new review has none: three stars would read as a verdict)."""

    id: str
    product: ProductRef
    rating: int | None
    title: str = ""
    body: str = ""
    pros: tuple[str, ...] = ()
    cons: tuple[str, ...] = ()
    photos: tuple[str, ...] = ()
    provenance: Provenance = Provenance.BOUGHT
    status: ReviewStatus = ReviewStatus.DRAFT
    created_at: str = ""
    updated_at: str = ""
    deleted_at: str | None = None

    @property
    def words(self) -> int:
        """Words of the title, body, pros and cons."""
        return sum(map(word_count, (self.title, self.body, *self.pros, *self.cons)))


@dataclass(frozen=True, slots=True)
class ReviewPhoto:
    id: str
    review_id: str
    media_hash: str
    position: str


@dataclass(frozen=True, slots=True)
class ReviewSummary:
    """A row of the review list, with the catalog's title and brand (None when the product
    left the catalog) and the derived disclosure."""

    id: str
    product: ProductRef
    product_title: str | None
    brand: str | None
    rating: int | None
    title: str
    status: ReviewStatus
    provenance: Provenance
    words: int
    disclosure: str
    updated_at: str
    deleted_at: str | None


def check_rating(value: object) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not (RATING_MIN <= value <= RATING_MAX)
    ):
        raise ValueError(
            f"a rating is a whole number from {RATING_MIN} to {RATING_MAX}, not {value!r}"
        )
    return value


def check_optional_rating(value: object) -> int | None:
    """A rating (``check_rating``), or None: no rating (yet, or taken back by an undo)."""
    return None if value is None else check_rating(value)


NOT_READY_WITHOUT_RATING = "a review is ready only once it has a rating: give it 1 to 5 stars"


def check_ready(rating: int | None, status: ReviewStatus) -> None:
    """ValueError for a review marked ready without a rating (it could not be shared: a
    review without a verdict is a draft)."""
    if status is ReviewStatus.READY and rating is None:
        raise ValueError(NOT_READY_WITHOUT_RATING)
