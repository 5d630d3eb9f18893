"""A catalog card stands for its item group: its title is the group's, not one variant's."""

from __future__ import annotations

import pytest

from studio.core.catalog import ProductCard, group_title
from studio.core.product import Availability


def _card(title: str, variants: int = 4) -> ProductCard:
    return ProductCard(
        1,
        title,
        None,
        "M",
        None,
        None,
        Availability.IN_STOCK,
        None,
        variants=variants,
        colours=("White", "Forest Green"),
        sizes=("38", "40", "M", "XL"),
    )


@pytest.mark.parametrize(
    ("title", "group"),
    [
        ("Court Sneaker, Recycled Leather - White, 38", "Court Sneaker, Recycled Leather"),
        ("Linen shirt, White, M", "Linen shirt"),
        ("Merino Beanie - Forest Green / XL", "Merino Beanie"),
        ("Trail Runner (White, 40)", "Trail Runner"),
        # Nothing at the end names a variant: the title as it is.
        ("Court Sneaker, Recycled Leather", "Court Sneaker, Recycled Leather"),
        ("Tote - Waxed canvas", "Tote - Waxed canvas"),
        # Never emptied: a title that is only a colour stays.
        ("White", "White"),
    ],
)
def test_the_group_title_drops_only_the_variant_s_part(title: str, group: str) -> None:
    assert group_title(_card(title)) == group


def test_a_product_alone_keeps_its_whole_title() -> None:
    assert group_title(_card("Linen shirt, White, M", variants=1)) == "Linen shirt, White, M"
