"""The curator's profile and declared affiliations, as the store, the rules and the UI see them.

One profile per workspace: display name, bio, avatar (a media hash), and the tier the platform
granted (``starter`` until it says otherwise; see ``studio.core.shops.TIER_LIMITS``).
Affiliations are the brands the curator makes, represents or is paid by, each in a category
path ("Footwear > Sneakers"); ``studio.core.rules`` decides what they forbid.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Tier(StrEnum):
    STARTER = "starter"
    FULL = "full"


class Relationship(StrEnum):
    """How the curator is tied to a brand."""

    MAKES = "makes"
    REPRESENTS = "represents"
    PAID_BY = "paid_by"


RELATIONSHIP_WORDS: dict[Relationship, str] = {
    Relationship.MAKES: "make",
    Relationship.REPRESENTS: "represent",
    Relationship.PAID_BY: "are paid by",
}


def clean_category(path: str) -> str:
    """A category path with its segments trimmed and joined by " > " ("A>B " -> "A > B");
    empty segments dropped."""
    return " > ".join(part.strip() for part in path.split(">") if part.strip())


@dataclass(frozen=True, slots=True)
class Affiliation:
    """A declared tie to a brand in a category. ``id`` is a UUID (a row of its own, so adding
    and removing on two devices never conflict)."""

    brand: str
    category: str
    relationship: Relationship
    id: str = ""

    @staticmethod
    def make(
        brand: str, category: str, relationship: Relationship | str, id: str = ""
    ) -> Affiliation:
        """A checked affiliation: brand and category must not be blank (ValueError)."""
        brand = " ".join(brand.split())
        category = clean_category(category)
        if not brand:
            raise ValueError("an affiliation needs a brand")
        if not category:
            raise ValueError(
                f"an affiliation with {brand} needs a category (for example 'Footwear > Sneakers')"
            )
        return Affiliation(brand, category, Relationship(relationship), id)


@dataclass(frozen=True, slots=True)
class Profile:
    """The workspace's one profile (``updated_at`` empty until first saved)."""

    display_name: str = ""
    bio: str = ""
    avatar_hash: str | None = None
    tier: Tier = Tier.STARTER
    updated_at: str = ""
