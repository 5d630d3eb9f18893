"""Media commands of ``studio``: ``media import PATH... [--json]`` into the photo library.

Each path is a photo or a folder; folders are searched recursively for image files (by
suffix, hidden files skipped). A file named on the command line is always tried, whatever its
suffix, so a text file called ``photo.jpg`` is reported as refused rather than ignored.

For every file the report gives the stored hash, the upright size, the EXIF orientation applied,
the private metadata removed and the conversions made, or the reason it was refused. Good files
are imported even when others are refused; the exit status is 0 when all were imported and 1
when any was refused.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from studio.cli.output import print_json
from studio.media import PHOTO_SUFFIXES
from studio.media.errors import MediaError

IMAGE_SUFFIXES = frozenset(PHOTO_SUFFIXES)


if TYPE_CHECKING:
    from studio.media.library import StoredMedia
    from studio.services.workspace import Stores


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    media = commands.add_parser("media", help="the photo library")
    media_commands = media.add_subparsers(dest="media_command", metavar="COMMAND", required=True)
    imp = media_commands.add_parser(
        "import", help="import photos (files or folders) into the library, metadata removed"
    )
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="a photo or a folder")
    imp.add_argument("--json", action="store_true", help="print the report as JSON")
    imp.set_defaults(run=cmd_media_import)


def cmd_media_import(ws: Stores, args: argparse.Namespace) -> int:
    library = ws.media
    rows: list[dict[str, object]] = []
    for path in expand(args.paths):
        try:
            # The previews are made now, from the picture already decoded, so the app shows
            # the photos at once instead of decoding every master again.
            stored = library.import_file(path, derivatives=True)
        except MediaError as exc:
            rows.append({"path": str(path), "status": "refused", "reason": exc.reason})
        else:
            rows.append(_row(path, stored))
    refused = sum(1 for row in rows if row["status"] == "refused")
    if args.json:
        report = {"files": rows, "imported": len(rows) - refused, "refused": refused}
        print_json(report)
    else:
        print_rows(rows, sys.stdout)
    return 1 if refused else 0


def expand(paths: Sequence[Path]) -> Iterator[Path]:
    """The files to import: named files as they are, image files found under named folders."""
    for path in paths:
        if path.is_dir():
            found = (
                p
                for p in path.rglob("*")
                if p.suffix.lower() in IMAGE_SUFFIXES
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            yield from sorted(found)
        else:
            yield path


def _row(path: Path, stored: StoredMedia) -> dict[str, object]:
    return {
        "path": str(path),
        "status": "duplicate" if stored.deduplicated else "imported",
        "hash": stored.hash,
        "width": stored.width,
        "height": stored.height,
        "format": stored.format,
        "source_bytes": stored.source_bytes,
        "orientation": stored.orientation,
        "removed": list(stored.removed),
        "converted": list(stored.converted),
        "has_alpha": stored.has_alpha,
        "stored": str(stored.path),
    }


def print_rows(rows: list[dict[str, object]], out: TextIO) -> None:
    for row in rows:
        if row["status"] == "refused":
            print(f"refused    {row['path']}: {row['reason']}", file=out)
            continue
        details = [f"{row['width']}x{row['height']} {row['format']}"]
        if row["orientation"] != 1:
            details.append(f"orientation {row['orientation']} applied")
        removed = row["removed"]
        details.append(f"removed {', '.join(removed)}" if removed else "no metadata")  # type: ignore[arg-type]
        if row["converted"]:
            details.append(", ".join(row["converted"]))  # type: ignore[arg-type]
        status = "duplicate " if row["status"] == "duplicate" else "imported  "
        print(f"{status} {row['path']}  {str(row['hash'])[:16]}  {'; '.join(details)}", file=out)
    refused = sum(1 for row in rows if row["status"] == "refused")
    duplicates = sum(1 for row in rows if row["status"] == "duplicate")
    imported = len(rows) - refused
    print(f"{imported} imported ({duplicates} already in the library), {refused} refused", file=out)
