"""Small text helpers shared by the parsers: HTML to plain text, trimming, GTINs and dates.

Feeds carry descriptions as HTML (Shopify ``body_html``, CDATA in Google feeds, WooCommerce
descriptions). The studio only ever shows plain text, so :func:`html_to_text` reduces HTML to
text with the standard library's tokenizer: tags are dropped, ``<br>``/``<p>``/``<li>`` become
line breaks, entities are unescaped and the contents of ``<script>``/``<style>`` vanish. Nothing
is fetched and no markup survives, so the result is safe to display anywhere.

Most feed values are already clean one-line text. The hot helpers therefore start with a fast
path that decides in one C-level pass (``str.isprintable``: no control characters, no line
breaks, no whitespace other than the ASCII space) that trimming is all the general path would
do; ``tests/feeds/test_fast_paths.py`` checks they agree with the general paths exactly.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import lru_cache
from html.parser import HTMLParser

from studio.core.errors import RowError

# Elements whose text is never content (and may be hostile).
_DROP = frozenset({"script", "style", "template", "noscript", "iframe", "object", "svg", "head"})
# Elements that end a line of text.
_BREAK = frozenset(
    {
        "br",
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "tr",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "section",
        "article",
        "dt",
        "dd",
        "hr",
    }
)
# Line-level elements: a break before each is enough (a list is not double-spaced).
_BREAK_BEFORE_ONLY = frozenset({"br", "li", "tr", "dt", "dd", "hr"})
# C0 controls except tab and newline, DEL, and lone surrogates: none belong in displayed text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")
_TAG = re.compile(r"<\s*/?[A-Za-z!?]")
_ESCAPED_TAG = re.compile(r"&lt;\s*/?[A-Za-z!?]", re.IGNORECASE)
_TAG_START = re.compile(r"<(?=\s*/?[A-Za-z!?])")
_SPACES = re.compile(r"[ \t\u00a0\u200b]+")


class _TextExtractor(HTMLParser):
    def __init__(self, markup: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._dropping = 0
        # In markup, source line breaks are mere whitespace; in plain text they are meant.
        self._markup = markup

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP:
            self._dropping += 1
        elif tag in _BREAK:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BREAK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP:
            self._dropping = max(0, self._dropping - 1)
        elif tag in _BREAK and tag not in _BREAK_BEFORE_ONLY:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._dropping:
            self.parts.append(data.replace("\n", " ") if self._markup else data)


def html_to_text(html: str | None) -> str:
    """Reduce an HTML fragment to trimmed plain text, keeping paragraph and line breaks.

    Feeds sometimes escape their HTML twice ("&amp;lt;p&amp;gt;"), so the reduction is
    repeated while markup remains (three passes at most); anything still tag-like after that
    gets a space after its "<", so no consumer can ever mistake it for a tag.
    """
    if not html:
        return ""
    if "<" not in html and "&" not in html and html.isprintable() and "  " not in html:
        return html.strip()  # no markup, no entity, one line, single spaces: only trimming
    return _html_to_text_general(html)


def _html_to_text_general(html: str) -> str:
    text = _reduce(html)
    for _ in range(2):
        if not (_TAG.search(text) or _ESCAPED_TAG.search(text)):
            break
        text = _reduce(text)
    return _TAG_START.sub("< ", text)


def _reduce(html: str) -> str:
    if not html:
        return ""
    if "<" in html or "&" in html:
        parser = _TextExtractor(markup=bool(_TAG.search(html)))
        parser.feed(html)
        parser.close()
        # Unclosed markup such as "<scr" is held back by the parser, never emitted as text.
        html = "".join(parser.parts)
    text = _CONTROL.sub("", html).replace("\r", "")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):  # keep at most one blank line between paragraphs
            out.append(line)
    return "\n".join(out).strip()


def clean_text(value: str | None) -> str | None:
    """Trim and collapse whitespace of a one-line value; empty means absent (None)."""
    if value is None:
        return None
    if value.isprintable() and "  " not in value:
        # Printable means only the ASCII space can be whitespace and nothing needs removing.
        return value.strip() or None
    return collapse_text(value) or None


def collapse_text(value: str) -> str:
    """The general path of :func:`clean_text`: drop controls, collapse every whitespace run."""
    return " ".join(_CONTROL.sub("", value).split())


# -- GTIN -------------------------------------------------------------------------------------

_GTIN_LENGTHS = (8, 12, 13, 14)
# What a spreadsheet makes of a long number: "3.65275E+11".
SCIENTIFIC = re.compile(r"\d+(?:\.\d+)?[eE][+-]?\d+")


def gtin_check_ok(digits: str) -> bool:
    """The GS1 mod-10 check digit of a GTIN-8/12/13/14 (a string of ASCII digits)."""
    # Weights alternate 3, 1, 3... from the digit next to the check digit leftwards. Summing
    # the ASCII codes and taking off 48 ("0") per digit avoids an int() per digit.
    codes = digits.encode("ascii")
    triple, single = codes[-2::-2], codes[-3::-2]
    total = 3 * (sum(triple) - 48 * len(triple)) + sum(single) - 48 * len(single)
    return (10 - total % 10) % 10 == codes[-1] - 48


def normalise_gtin(value: str | None) -> tuple[str | None, str | None]:
    """Return ``(gtin, note)``: a valid GTIN of digits, or None and why it was dropped.

    Spreadsheet-mangled identifiers ("3.65275E+11") and bad check digits are dropped, never
    repaired: the digits Excel threw away cannot be recovered.
    """
    raw = clean_text(value)
    if raw is None:
        return None, None
    # The common case is already bare digits: nothing to strip, no notation to detect.
    digits = raw if raw.isdigit() else re.sub(r"[\s-]", "", raw)
    if not digits.isascii() or not digits.isdigit():
        if SCIENTIFIC.fullmatch(digits):
            return None, f"gtin {raw!r} dropped: mangled into scientific notation by a spreadsheet"
        return None, f"gtin {raw!r} dropped: not digits"
    if len(digits) not in _GTIN_LENGTHS:
        return None, f"gtin {raw!r} dropped: {len(digits)} digits (expected 8, 12, 13 or 14)"
    if not gtin_check_ok(digits):
        return None, f"gtin {raw!r} dropped: wrong check digit"
    return digits, None


# -- dates ------------------------------------------------------------------------------------

_OFFSET = re.compile(r"([+-])(\d{2}):?(\d{2})$")
_ISO = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?(?:Z|[+-]\d{2}:?\d{2})?",
    re.IGNORECASE,
)


# Feeds repeat the same few dates (one sale campaign, one restock date) thousands of times;
# short texts are cached (results are immutable; errors are not cached and raise again).
_CACHED_TEXT = 100


def parse_datetime(value: str) -> datetime:
    """An ISO 8601 date or date-time, offsets with or without a colon or Z; naive means UTC."""
    if len(value) <= _CACHED_TEXT:
        return _cached_datetime(value)
    return _parse_datetime(value)


def _parse_datetime(value: str) -> datetime:
    text = value.strip()
    if len(text) > 40 or not _ISO.fullmatch(text):
        raise RowError(f"not an ISO 8601 date: {value[:60]!r}")
    text = re.sub(r"[zZ]$", "+00:00", text)
    text = _OFFSET.sub(r"\1\2:\3", text) if "T" in text.upper() or " " in text else text
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise RowError(f"not an ISO 8601 date: {value[:60]!r}") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


_cached_datetime = lru_cache(maxsize=4096)(_parse_datetime)


def parse_interval(value: str) -> tuple[datetime | None, datetime | None]:
    """A ``start/end`` interval ("…T13:00-0800 / …Z"); either side may be empty."""
    if len(value) <= _CACHED_TEXT:
        return _cached_interval(value)
    return _parse_interval(value)


def _parse_interval(value: str) -> tuple[datetime | None, datetime | None]:
    start_text, sep, end_text = value.partition("/")
    if not sep:
        raise RowError(f"not an ISO 8601 interval: {value[:60]!r}")
    start = parse_datetime(start_text) if start_text.strip() else None
    end = parse_datetime(end_text) if end_text.strip() else None
    if start and end and end < start:
        raise RowError(f"sale interval ends before it starts: {value[:60]!r}")
    return start, end


_cached_interval = lru_cache(maxsize=4096)(_parse_interval)
