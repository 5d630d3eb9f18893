"""The ``studio`` command: headless commands that call the same services as the desktop app.

This module is the CLI's composition root: it resolves paths, sets up logging, opens the store
and passes them explicitly to each command.
"""

from __future__ import annotations

import argparse
import sys

from studio import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="studio", description="Vitrine Studio, headless.")
    parser.add_argument("--version", action="version", version=f"studio {__version__}")
    parser.add_argument("--home", metavar="DIR", help="keep all data under DIR (or $STUDIO_HOME)")
    parser.add_argument("--verbose", "-v", action="store_true", help="log to stderr too")
    parser.add_argument("--demo", action="store_true", help="open the app on the demo catalog")
    parser.add_subparsers(dest="command", metavar="COMMAND")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
