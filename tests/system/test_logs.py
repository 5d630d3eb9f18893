"""What reaches studio.log: no URL secrets, and no line a feed could forge.

Every check logs through the real ``setup_logging`` handlers to a real file and reads the file.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from studio.system.logs import CONTINUATION, LOG_FILE_NAME, redact, setup_logging

RECORD_START = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]+ +studio[.\w]*: ")


@pytest.fixture()
def log_file(tmp_path: Path) -> Iterator[Path]:
    path = setup_logging(tmp_path / "logs")
    yield path
    root = logging.getLogger("studio")
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()


def _lines(path: Path) -> list[str]:
    for handler in logging.getLogger("studio").handlers:
        handler.flush()
    return path.read_text(encoding="utf-8").splitlines()


def test_image_urls_lose_their_query_strings_and_credentials(log_file: Path) -> None:
    log = logging.getLogger("studio.media.product_images")
    url = "https://shop:hunter2@cdn.example.com/p/42.jpg?api_key=SECRET-KEY&w=800#tok=FRAG"
    log.info("product picture %s skipped: %s", url, OSError("HTTP 403"))
    log.warning("image %r not shown", "http://cdn.example.com:8080/a.png?sig=SECRET-SIG")
    log.info(
        "retrying: HTTPSConnectionPool(host='cdn.example.com', port=443): Max retries exceeded "
        "with url: /p/42.jpg?api_key=SECRET-BARE (Caused by timeout)"
    )
    log.info("a question? no secret=here is fine, nor is this: what?")
    text = "\n".join(_lines(log_file))
    for secret in ("SECRET", "hunter2", "shop:", "FRAG"):
        assert secret not in text
    assert "https://<redacted>@cdn.example.com/p/42.jpg?<redacted>" in text
    assert "'http://cdn.example.com:8080/a.png?<redacted>'" in text
    assert "with url: /p/42.jpg?<redacted> (Caused by timeout)" in text
    assert "a question? no secret=here is fine, nor is this: what?" in text


def test_a_merchant_name_with_a_newline_cannot_forge_a_record(log_file: Path) -> None:
    log = logging.getLogger("studio.store.importer")
    forged = "Acme\n2026-01-01 00:00:00,000 ERROR   studio.store: the catalog is corrupt\r"
    log.info("imported merchant %s: %d products", forged, 3)
    log.info("merchant %s\x1b[2J\u202egnp.exe renamed", "Bidi")
    log.info("done")
    lines = _lines(log_file)
    assert len(lines) == 3 and all(RECORD_START.match(line) for line in lines)
    assert lines[0].endswith(
        "imported merchant Acme\\n2026-01-01 00:00:00,000 ERROR   studio.store: "
        "the catalog is corrupt\\r: 3 products"
    )
    assert lines[1].endswith("merchant Bidi\\x1b[2J\\u202egnp.exe renamed")


def test_a_traceback_stays_inside_its_record_and_is_redacted(log_file: Path) -> None:
    log = logging.getLogger("studio.ui.widgets.images")
    try:
        raise OSError(
            "cannot fetch https://cdn.example.com/x.jpg?token=SECRET for merchant Evil\n"
            "2026-01-01 00:00:00,000 ERROR   studio: forged"
        )
    except OSError:
        log.exception("image failed")
    log.info("after")
    lines = _lines(log_file)
    assert "SECRET" not in "\n".join(lines)
    starts = [line for line in lines if RECORD_START.match(line)]
    assert len(starts) == 2 and starts[1].endswith("after")
    body = lines[1 : lines.index(starts[1])]
    assert body and all(line.startswith(CONTINUATION) for line in body)
    assert any("Traceback (most recent call last):" in line for line in body)
    assert any(
        line == f"{CONTINUATION}2026-01-01 00:00:00,000 ERROR   studio: forged" for line in body
    )


def test_verbose_output_on_stderr_is_made_safe_too(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    setup_logging(tmp_path / "logs", verbose=True)
    try:
        logging.getLogger("studio.cli").warning("x %s", "https://h/x?k=SECRET\nforged")
    finally:
        root = logging.getLogger("studio")
        for handler in list(root.handlers):
            root.removeHandler(handler)
            handler.close()
    err = capfd.readouterr().err
    assert "SECRET" not in err and err.count("\n") == 1
    assert (tmp_path / "logs" / LOG_FILE_NAME).read_text().count("\n") == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ftp://u:p@h/f", "ftp://<redacted>@h/f"),
        ("https://h/a@b/c.jpg", "https://h/a@b/c.jpg"),  # an @ in the path is not a user
        ("https://a@b@h/x", "https://<redacted>@h/x"),
        ("http://[::1]:80/x?y=1", "http://[::1]:80/x?<redacted>"),
        ("http://h/x?nokey", "http://h/x?<redacted>"),
        ("see /media/x.jpg?exp=1&sig=2.", "see /media/x.jpg?<redacted>"),
        ("no url here", "no url here"),
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text) == expected
