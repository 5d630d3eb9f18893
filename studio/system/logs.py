"""Logging to a rotating file under the platform's log directory (and stderr when verbose).

Every record the ``studio`` handlers write goes through :class:`SafeFormatter`, so no module
has to remember what a log must never hold:

- **No secrets from URLs.** A merchant's image link may carry its CDN key in the query string
  (``?api_key=...``) or credentials before the host (``https://user:password@host/``); logs
  are sent along with bug reports. Query strings (and fragments) become ``?<redacted>``,
  credentials ``<redacted>@``, in the message, its arguments and any traceback, including
  the bare ``path?query`` urllib3 puts in its errors. Host and path stay: they say which
  picture failed.
- **One record, one line.** A feed is written by strangers: a merchant name holding a
  newline would otherwise start a line of its own that reads like a record the studio wrote
  (a forged ``ERROR``). Control characters in the message and its arguments (C0, DEL, C1,
  the Unicode line and paragraph separators and the bidirectional overrides that reorder
  what a reader sees) are written as escapes (``\\n``, ``\\x1b``, ``\\u202e``). A traceback
  still spans lines, but each of its lines is indented, so none can pass for a record.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

LOG_FILE_NAME = "studio.log"
_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
REDACTED = "<redacted>"
CONTINUATION = "    | "
"""What each line after a record's first starts with (a traceback's lines)."""

# A URL with a scheme, up to the next blank or quote: its credentials, query and fragment go.
_URL = re.compile(r"(?i)\b[a-z][a-z0-9+.-]*://[^\s'\"<>]*")
# The query string of a bare path (urllib3's errors name "/img.jpg?api_key=..."): "?" right
# after a character a path ends with, up to the next blank or quote, when it holds a "=" (a
# question mark ending a sentence is not a query).
_QUERY = re.compile(r"(?<=[\w/.~%\]-])\?(?=[^\s'\"<>]*=)[^\s'\"<>]*")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def redact(text: str) -> str:
    """``text`` with URL query strings, fragments and credentials replaced by a marker."""
    if "://" in text:
        text = _URL.sub(_redact_url, text)
    if "?" in text:
        text = _QUERY.sub("?" + REDACTED, text)
    return text


def _redact_url(found: re.Match[str]) -> str:
    url = found.group()
    start = url.index("://") + 3
    end = len(url)
    for sep in "/?#":
        at = url.find(sep, start)
        if at != -1:
            end = min(end, at)
    authority, rest = url[start:end], url[end:]
    if "@" in authority:
        authority = f"{REDACTED}@{authority.rsplit('@', 1)[1]}"
    cut = min((i for i in (rest.find("?"), rest.find("#")) if i != -1), default=-1)
    if cut != -1:
        rest = f"{rest[: cut + 1]}{REDACTED}"
    return url[:start] + authority + rest


def escape_controls(text: str) -> str:
    """``text`` with every control character written as a visible escape."""
    return _CONTROL.sub(_escape, text)


def _escape(found: re.Match[str]) -> str:
    char = found.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class SafeFormatter(logging.Formatter):
    """A Formatter that redacts URL secrets and keeps each record on its own line(s)."""

    def format(self, record: logging.LogRecord) -> str:
        # A copy: other handlers (a test's capture, a parent logger's) get the record intact.
        safe = logging.makeLogRecord(record.__dict__)
        # Escaped first: a control character inside a URL must not end its query early.
        safe.msg = redact(escape_controls(record.getMessage()))
        safe.args = None
        safe.exc_info, safe.exc_text, safe.stack_info = None, None, None
        head = super().format(safe)
        tail: list[str] = []
        if record.exc_info:
            tail += redact(self.formatException(record.exc_info)).split("\n")
        elif record.exc_text:
            tail += redact(record.exc_text).split("\n")
        if record.stack_info:
            tail += redact(self.formatStack(record.stack_info)).split("\n")
        return f"\n{CONTINUATION}".join([head, *map(escape_controls, tail)])


def setup_logging(log_dir: Path, *, verbose: bool = False) -> Path:
    """Send the ``studio`` loggers to ``log_dir/studio.log`` (1 MB x 5); returns the file path."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE_NAME
    root = logging.getLogger("studio")
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    file_handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    file_handler.setFormatter(SafeFormatter(_FORMAT))
    root.addHandler(file_handler)
    if verbose:
        stream = logging.StreamHandler()
        stream.setFormatter(SafeFormatter("%(levelname)s %(name)s: %(message)s"))
        root.addHandler(stream)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    return path
