"""Text helpers: HTML to plain text, GTIN validation, ISO 8601 dates; and robustness properties."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio.core.errors import FeedError, RowError
from studio.feeds import FORMATS, open_feed
from studio.feeds.text import html_to_text, normalise_gtin, parse_datetime, parse_interval


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>One</p><p>Two</p>", "One\n\nTwo"),
        ("Line<br>break<br/>again", "Line\nbreak\nagain"),
        ("<ul><li>a</li><li>b</li></ul>", "a\nb"),
        ("Fish &amp; Chips &gt; 3 &#8364;", "Fish & Chips > 3 €"),
        ("<p>ok</p><script>alert('x')</script><style>p{}</style>", "ok"),
        ("<p>Double</p>&lt;script&gt;evil()&lt;/script&gt;", "Double"),
        ("&amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt;", "bold"),
        ("<p>\n  spaced \t out\n</p>", "spaced out"),
        ("plain\ntext with < 5 items", "plain\ntext with < 5 items"),
        ("<iframe src='http://x'>frame</iframe>after", "after"),
        ("", ""),
    ],
)
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


@given(
    st.text(
        alphabet=st.sampled_from(list("<>/&;#!-ab scriptSCRIPT\n\"'=")) | st.characters(),
        max_size=300,
    )
)
@settings(max_examples=300, deadline=None)
def test_html_to_text_never_raises_and_never_leaks_a_tag(html: str) -> None:
    text = html_to_text(html)
    assert "<script" not in text.lower()
    assert "<a" not in text.lower() and "<s" not in text.lower()


@pytest.mark.parametrize(
    ("raw", "gtin", "why"),
    [
        ("8808992787426", "8808992787426", None),
        ("4006-381 333931", "4006381333931", None),
        ("96385074", "96385074", None),  # GTIN-8
        ("036000291452", "036000291452", None),  # UPC-A
        ("10012345678902", "10012345678902", None),  # GTIN-14
        ("123456789123", None, "wrong check digit"),
        ("3.65275E+11", None, "scientific notation"),
        ("1234_pink", None, "not digits"),
        ("12345", None, "5 digits"),
        ("", None, None),
    ],
)
def test_normalise_gtin(raw: str, gtin: str | None, why: str | None) -> None:
    got, note = normalise_gtin(raw)
    assert got == gtin
    assert (note is None) if why is None else (note is not None and why in note)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016-02-24T13:00-0800", datetime(2016, 2, 24, 13, tzinfo=timezone(timedelta(hours=-8)))),
        ("2011-09-01T16:00-08:00", datetime(2011, 9, 1, 16, tzinfo=timezone(timedelta(hours=-8)))),
        ("2016-02-24T13:00:30Z", datetime(2016, 2, 24, 13, 0, 30, tzinfo=UTC)),
        ("2016-02-24", datetime(2016, 2, 24, tzinfo=UTC)),
        ("2018-01-01 00:00:00", datetime(2018, 1, 1, tzinfo=UTC)),
    ],
)
def test_parse_datetime(text: str, expected: datetime) -> None:
    assert parse_datetime(text) == expected


@pytest.mark.parametrize("text", ["yesterday", "2016-13-01", "2016-02-30T10:00Z", "9" * 100])
def test_parse_datetime_refuses(text: str) -> None:
    with pytest.raises(RowError):
        parse_datetime(text)


def test_parse_interval() -> None:
    start, end = parse_interval("2016-02-24T13:00-0800 / 2016-02-29T15:30Z")
    assert start == datetime(2016, 2, 24, 21, 0, tzinfo=UTC)
    assert end == datetime(2016, 2, 29, 15, 30, tzinfo=UTC)
    assert parse_interval("/2016-02-29") == (None, datetime(2016, 2, 29, tzinfo=UTC))
    with pytest.raises(RowError, match="ends before it starts"):
        parse_interval("2016-03-01/2016-02-01")
    with pytest.raises(RowError):
        parse_interval("2016-03-01")


_HEADS = [
    b"",
    b"<rss xmlns:g='http://base.google.com/ns/1.0'><channel><item>",
    b"[{",
    b"id\ttitle\tprice\n",
    b"Handle,Title,Variant Price\n",
    b"Type,SKU,Regular price\n",
    b"\x1f\x8b",
]


@given(
    head=st.sampled_from(_HEADS),
    body=st.binary(max_size=400),
    fmt=st.sampled_from(("auto", *FORMATS)),
)
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_arbitrary_bytes_raise_only_feed_error(head: bytes, body: bytes, fmt: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feed"
        path.write_bytes(head + body)
        try:
            for _ in open_feed(path, "m", fmt):
                pass
        except FeedError as exc:
            assert exc.reason
