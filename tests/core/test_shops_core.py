"""Pure shop rules: handles, colours, tier room, health; and the review helpers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studio.core.looks import ProductRef
from studio.core.reviews import Provenance, body_html, disclosure, word_count
from studio.core.shops import (
    CatalogFacts,
    IssueKind,
    ShopItem,
    health,
    normalise_colour,
    normalise_handle,
    room_left,
)


@pytest.mark.parametrize(
    ("raw", "handle"),
    [
        ("My Shop", "my-shop"),
        ("  Café_Élan.2 ", "cafe-elan-2"),
        ("a--b---c", "a-b-c"),
        ("-abc-", "abc"),
        ("x" * 40, "x" * 40),
    ],
)
def test_handles_are_normalised(raw: str, handle: str) -> None:
    assert normalise_handle(raw) == handle


@pytest.mark.parametrize("raw", ["ab", "x" * 41, "a/b/c", "a?b=c", "日本語", "", "-- --"])
def test_bad_handles_are_refused_clearly(raw: str) -> None:
    with pytest.raises(ValueError, match="shop handle"):
        normalise_handle(raw)


@given(st.text(max_size=60))
def test_a_handle_is_always_url_safe_or_refused(raw: str) -> None:
    try:
        handle = normalise_handle(raw)
    except ValueError:
        return
    assert 3 <= len(handle) <= 40 and set(handle) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    assert normalise_handle(handle) == handle


def test_colours() -> None:
    assert normalise_colour("#A0b1C2") == "#a0b1c2"
    assert normalise_colour("fff") == "#ffffff"
    for bad in ("red", "#12345", "#ggg000", ""):
        with pytest.raises(ValueError, match="#rrggbb"):
            normalise_colour(bad)


def test_room_left() -> None:
    assert room_left("starter", 0) == 30 and room_left("starter", 30) == 0
    assert room_left("starter", 45) == 0 and room_left("full", 31) == 9969
    with pytest.raises(ValueError):
        room_left("gold", 1)


def item(i: str, merchant: str, price: int | None = 1000) -> ShopItem:
    return ShopItem(
        i, "s", ProductRef(1, merchant, i), "V", shelved_price_minor=price, shelved_currency="EUR"
    )


def test_health_issues_gravest_first() -> None:
    items = [
        item("ok", "A"),
        item("gone", "B"),
        item("oos", "A"),
        item("missing", "A"),
        item("dear", "A"),
        item("cur", "A"),
    ]
    facts = {
        ("A", "ok"): CatalogFacts(True, True, 1000, "EUR"),
        ("B", "gone"): CatalogFacts(True, False, 1000, "EUR"),
        ("A", "oos"): CatalogFacts(True, False, 900, "EUR"),
        ("A", "dear"): CatalogFacts(True, True, 1250, "EUR"),
        ("A", "cur"): CatalogFacts(True, True, 1000, "USD"),
    }
    issues = health(items, facts, ["a"])
    assert [(i.item_id, i.kind) for i in issues] == [
        ("gone", IssueKind.MERCHANT_GONE),
        ("oos", IssueKind.UNAVAILABLE),
        ("missing", IssueKind.UNAVAILABLE),
        ("dear", IssueKind.PRICE_CHANGED),
        ("cur", IssueKind.PRICE_CHANGED),
    ]
    assert issues[3].detail == "price was 10.00 EUR when shelved, now 12.50 EUR"


def test_each_provenance_has_its_own_plain_disclosure() -> None:
    sentences = {p: disclosure(p, "Acme") for p in Provenance}
    assert len(set(sentences.values())) == len(Provenance)
    assert "bought this product with my own money" in sentences[Provenance.BOUGHT]
    assert "given this product for free by Acme" in sentences[Provenance.GIFTED]
    assert sentences[Provenance.LOANED].startswith("Acme lent me this product")
    assert sentences[Provenance.PAID_PARTNERSHIP].startswith("Paid partnership: Acme paid me")
    assert sentences[Provenance.OWN_BRAND].startswith("Own brand: I make or represent Acme")
    assert disclosure("loaned", None).startswith("The brand lent me")
    with pytest.raises(ValueError):
        disclosure("stolen", "Acme")


def test_word_count_and_the_markdown_subset() -> None:
    assert word_count("") == 0
    assert word_count("**Don't** buy - the well-made *one*, 2 times!") == 7
    html = body_html("Hi **bold** and *it* <script>x</script>\n\n- one\n- two & three")
    assert html == (
        "<p>Hi <strong>bold</strong> and <em>it</em> "
        "&lt;script&gt;x&lt;/script&gt;</p>\n"
        "<ul><li>one</li><li>two &amp; three</li></ul>"
    )
