"""Declared ties, pure: a paying brand is named wherever its product shows with a link, and
content placed before a competing tie was declared is found (not refused, not deleted)."""

from __future__ import annotations

from dataclasses import dataclass

from studio.core.look_checks import CheckKind, check_look
from studio.core.looks import Hotspot, Look, LookDocument, LookPhoto, MatchKind, ProductRef
from studio.core.product import Availability
from studio.core.profile import Affiliation, Relationship
from studio.core.reviews import Provenance, disclosure
from studio.core.rules import conflicts, paying_brands
from studio.core.sharing import (
    AFFILIATE_DISCLOSURE,
    PLAIN_LINKS_NOTICE,
    LegendEntry,
    links_disclosure,
)
from studio.core.shop_page import shop_html, shop_page
from studio.core.shops import (
    CatalogFacts,
    IssueKind,
    Shop,
    ShopDocument,
    ShopItem,
    ShopSection,
    health,
)

MAKES_ACME = Affiliation("Acme", "Footwear > Sneakers", Relationship.MAKES)
PAID_BY_BOLT = Affiliation("Bolt", "Apparel", Relationship.PAID_BY)


def test_bought_never_says_nobody_paid_me_when_the_brand_pays() -> None:
    plain = disclosure(Provenance.BOUGHT, "Bolt")
    assert "nobody paid me" in plain
    paid = disclosure(Provenance.BOUGHT, "Bolt", paid_by=True)
    assert "nobody paid me" not in paid
    assert paid.startswith("I bought this product with my own money, but Bolt pays me")
    for provenance in Provenance:
        sentence = disclosure(provenance, "bolt ", paid_by=True)
        assert "bolt" in sentence.casefold() and "nobody" not in sentence
    assert disclosure(Provenance.GIFTED, "Bolt", paid_by=True).endswith(
        "Bolt also pays me (a paid relationship I declared), so I have a financial interest "
        "in this product selling."
    )


def test_paying_brands_are_the_declared_ones_among_those_shown() -> None:
    ties = [MAKES_ACME, PAID_BY_BOLT, Affiliation("Cirro", "Home", Relationship.PAID_BY)]
    assert paying_brands(ties, ["bolt", "Acme", None, "BOLT", "Dune"]) == ["Bolt"]
    assert paying_brands(ties, ["Cirro", "Bolt"]) == ["Bolt", "Cirro"]
    assert paying_brands([MAKES_ACME], ["Acme"]) == []


def test_an_export_says_its_links_are_plain_and_names_the_paying_brands() -> None:
    assert links_disclosure() == PLAIN_LINKS_NOTICE
    assert "not affiliate links" in PLAIN_LINKS_NOTICE
    assert "the curator earns nothing" in PLAIN_LINKS_NOTICE
    one = links_disclosure(["Bolt"])
    assert one.startswith(PLAIN_LINKS_NOTICE) and "declared that Bolt pays them" in one
    three = links_disclosure(["Bolt", "Cirro", "Dune", "Bolt"])
    assert "declared that Bolt, Cirro and Dune pay them" in three
    assert links_disclosure(["Bolt"], tracked=True).startswith(AFFILIATE_DISCLOSURE)


def test_a_legend_line_names_the_curators_tie_to_its_brand() -> None:
    line = LegendEntry(1, "", "Coat", "Bolt", "Shop", "9.00 EUR", None, MatchKind.EXACT, True)
    assert "pays" not in line.details
    paid = LegendEntry(
        1, "", "Coat", "Bolt", "Shop", "9.00 EUR", None, MatchKind.EXACT, True, paid_by=True
    )
    assert paid.details.endswith("exact item · Bolt pays the curator")
    own = LegendEntry(
        1, "", "Shoe", "Acme", "Shop", "", None, MatchKind.EXACT, True, own_brand=True
    )
    assert own.details.endswith("the curator's own brand")


@dataclass(frozen=True)
class Facts:  # what the page reads of a product (studio.core.shop_page.ProductFacts)
    title: str
    brand: str | None
    category: str | None
    available: bool = True
    price_minor: int | None = 900
    currency: str | None = "EUR"
    link: str | None = "https://x.example/p"
    image_link: str | None = None


def _info(offer: str, brand: str, category: str) -> Facts:
    return Facts(f"{brand} {offer}", brand, category)


def test_the_shop_page_names_a_paying_brand_and_marks_its_links_as_paid() -> None:
    shop = Shop("s", "shop", "Shop")
    section = ShopSection("sec", "s", "All", "V")
    items = tuple(
        ShopItem(f"i{n}", "sec", ProductRef(1, "Shop", offer), f"V{n}")
        for n, offer in enumerate(("coat", "shoe"))
    )
    products = {
        ("Shop", "coat"): _info("coat", "Bolt", "Apparel > Coats"),
        ("Shop", "shoe"): _info("shoe", "Acme", "Footwear > Sneakers"),
    }
    page = shop_page(ShopDocument(shop, (section,), items), products, [MAKES_ACME, PAID_BY_BOLT])
    assert page.disclosure == links_disclosure(["Bolt"])
    coat, shoe = page.sections[0].items
    assert coat.paid_by and not coat.own_brand and shoe.own_brand and not shoe.paid_by
    text = shop_html(page)
    assert '<span class="badge">Paid by the brand</span>' in text
    assert text.count('rel="sponsored noopener"') == 1 and text.count('rel="noopener"') == 1
    plain = shop_page(ShopDocument(shop, (section,), items), products, [])
    assert plain.disclosure == PLAIN_LINKS_NOTICE and "sponsored" not in shop_html(plain)


def test_content_placed_before_a_competing_tie_is_found_with_the_reason() -> None:
    products = {
        ("Shop", "run"): ("Bolt", "Footwear > Sneakers > Running"),
        ("Shop", "own"): ("ACME", "Footwear > Sneakers"),
        ("Shop", "coat"): ("Bolt", "Apparel > Coats"),
        ("Shop", "nobrand"): (None, "Footwear > Sneakers"),
    }
    found = conflicts([MAKES_ACME, PAID_BY_BOLT], products)
    assert set(found) == {("Shop", "run")}
    assert found[("Shop", "run")] == (
        "Conflict of interest: you declared that you make Acme, which sells in Footwear > "
        "Sneakers, and Bolt competes there (this was added before you declared it)."
    )
    assert conflicts([PAID_BY_BOLT], products) == {}  # a paid tie forbids nothing


def test_shop_health_puts_a_conflict_before_any_other_issue_of_the_item() -> None:
    items = [
        ShopItem("i1", "s", ProductRef(1, "Shop", "run"), "a", shelved_price_minor=100),
        ShopItem("i2", "s", ProductRef(2, "Shop", "ok"), "b", shelved_price_minor=100),
    ]
    facts = {
        ("Shop", "run"): CatalogFacts(True, False, 200),  # unavailable and repriced too
        ("Shop", "ok"): CatalogFacts(True, True, 100),
    }
    issues = health(items, facts, ["Shop"], {("Shop", "run"): "Conflict of interest: ..."})
    assert [(i.item_id, i.kind) for i in issues] == [("i1", IssueKind.CONFLICT)]
    assert issues[0].detail == "Conflict of interest: ..."
    assert [i.kind for i in health(items, facts, ["Shop"])] == [IssueKind.UNAVAILABLE]


def test_a_look_tag_made_before_a_competing_tie_is_a_conflict_check() -> None:
    photo = LookPhoto("p1", "L", "h" * 64, 3000, 4000, "V", alt_text="A coat")
    spots = (
        Hotspot("h1", "p1", ProductRef(1, "Shop", "run"), 0.5, 0.5, position="a"),
        Hotspot("h2", "p1", ProductRef(2, "Shop", "ok"), 0.5, 0.5, position="b"),
    )
    doc = LookDocument(Look("L", "Look", caption="Fall"), (photo,), spots)
    stock = {1: Availability.OUT_OF_STOCK, 2: Availability.IN_STOCK}
    issues = check_look(doc, stock, {("Shop", "run"): "the reason"})
    assert [(i.kind, i.hotspot_id, i.detail) for i in issues] == [
        (CheckKind.CONFLICT, "h1", "the reason")
    ]
    assert [i.kind for i in check_look(doc, stock)] == [CheckKind.UNAVAILABLE]
