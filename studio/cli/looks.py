"""Look and board commands of ``studio``: ``looks list|export`` and ``boards list|export``.

``export`` writes the same PNG, JPEG or self-contained HTML page as the app's Share menu: the
sheet is built from the store and the catalog (``studio.store.sheets``) and drawn by
``studio.media.export`` / ``export_html``. An unknown id, a missing photo or an unwritable
destination exits with status 1 and a clear message, and writes nothing (exports are written
to a temporary file and renamed into place only when complete).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from studio.cli.output import cut, print_json
from studio.core.errors import StudioError

EXPORT_FORMATS = ("png", "jpeg", "html")
_SUFFIX_FORMATS = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".html": "html", ".htm": "html"}


class UsageError(StudioError):
    """A command line that names no usable export format."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


if TYPE_CHECKING:
    from studio.services.workspace import Stores


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    for noun, plural, lister, exporter in (
        ("look", "looks", cmd_looks_list, cmd_looks_export),
        ("board", "boards", cmd_boards_list, cmd_boards_export),
    ):
        group = commands.add_parser(plural, help=f"list and export {plural}")
        sub = group.add_subparsers(dest=f"{plural}_command", metavar="COMMAND", required=True)
        listing = sub.add_parser("list", help=f"the {plural}, most recently changed first")
        listing.add_argument(
            "--trash", action="store_true", help=f"list the {plural} in the trash instead"
        )
        listing.add_argument("--json", action="store_true", help="print the list as JSON")
        listing.set_defaults(run=lister)
        export = sub.add_parser(
            "export", help=f"export a {noun} as a picture with a legend, or as a web page"
        )
        export.add_argument("id", help=f"the {noun}'s id (see `studio {plural} list`)")
        export.add_argument(
            "--format",
            choices=EXPORT_FORMATS,
            help="png, jpeg or html (default: from the --out suffix)",
        )
        export.add_argument(
            "--out",
            type=Path,
            required=True,
            metavar="PATH",
            help="the file to write (replaced if it exists)",
        )
        export.set_defaults(run=exporter)


def export_format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    fmt = _SUFFIX_FORMATS.get(Path(args.out).suffix.lower())
    if fmt is None:
        raise UsageError(f"cannot tell the format from {args.out}: give --format png, jpeg or html")
    return fmt


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


# -- looks ---------------------------------------------------------------------------------


def cmd_looks_list(ws: Stores, args: argparse.Namespace) -> int:
    looks = ws.looks.summaries(trashed=args.trash)
    if args.json:
        print_json(
            [
                {
                    "id": s.id,
                    "title": s.title,
                    "status": s.status.value,
                    "photos": s.photo_count,
                    "hotspots": s.hotspot_count,
                    "tags": list(s.tags),
                    "updated_at": s.updated_at,
                }
                for s in looks
            ]
        )
        return 0
    print(f"{_count(len(looks), 'look')}{' in the trash' if args.trash else ''}")
    for s in looks:
        print(
            f"  {s.id}  {cut(s.title, 40):<40}  {s.status.value:<6} "
            f"{_count(s.photo_count, 'photo'):>10} {_count(s.hotspot_count, 'hotspot'):>12}  "
            f"{cut(', '.join(s.tags), 30)}"
        )
    return 0


def cmd_looks_export(ws: Stores, args: argparse.Namespace) -> int:
    fmt = export_format(args)
    from studio.media.export_html import write_sheet
    from studio.store.sheets import look_sheet

    sheet = look_sheet(ws.looks, ws.catalog, ws.media.path, args.id)
    out: Path = args.out
    write_sheet(sheet, out, fmt)
    print(
        f"Exported look {sheet.title!r} as {fmt.upper()} to {out} "
        f"({_count(len(sheet.photos), 'photo')}, "
        f"{_count(len(sheet.legend), 'tagged product')})"
    )
    return 0


# -- boards --------------------------------------------------------------------------------


def cmd_boards_list(ws: Stores, args: argparse.Namespace) -> int:
    boards = ws.boards.summaries(trashed=args.trash)
    if args.json:
        print_json(
            [
                {
                    "id": s.id,
                    "title": s.title,
                    "background": s.background,
                    "items": s.item_count,
                    "updated_at": s.updated_at,
                }
                for s in boards
            ]
        )
        return 0
    print(f"{_count(len(boards), 'board')}{' in the trash' if args.trash else ''}")
    for s in boards:
        print(
            f"  {s.id}  {cut(s.title, 40):<40}  {_count(s.item_count, 'item'):>10}  {s.updated_at}"
        )
    return 0


def cmd_boards_export(ws: Stores, args: argparse.Namespace) -> int:
    fmt = export_format(args)
    from studio.media.export_html import write_sheet
    from studio.store.sheets import board_sheet

    sheet = board_sheet(ws.boards, ws.catalog, ws.media.path, args.id)
    out: Path = args.out
    write_sheet(sheet, out, fmt)
    print(
        f"Exported board {sheet.title!r} as {fmt.upper()} to {out} "
        f"({_count(len(sheet.board.items), 'item')}, "
        f"{_count(len(sheet.legend), 'tagged product')})"
    )
    return 0
