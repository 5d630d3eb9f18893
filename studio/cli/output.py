"""Small helpers every ``studio`` command shares: argument types and how results are printed."""

from __future__ import annotations

import argparse
import json
import sys


def positive(text: str) -> int:
    """An argparse type: an integer of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def print_json(data: object) -> None:
    """``--json`` output: indented UTF-8 JSON on stdout, ending with a newline."""
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    print()


def cut(text: str, width: int) -> str:
    """``text`` shortened to ``width`` characters with an ellipsis, for table columns."""
    return text if len(text) <= width else text[: width - 1] + "…"
