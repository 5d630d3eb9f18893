"""Archive commands of ``studio``: ``archive export FILE`` and ``archive import FILE``.

Both compose ``studio.store.archive`` with the media library (``MediaLibrary.path`` to find the
photos, the ``MediaLibrary`` to store them: the studio's own byte for byte, any other cleaned
by the photo pipeline and reported). A bad or hostile archive exits
with status 1 and a clear message, and the workspace is left as it was; an export that fails
leaves no file. ``--json`` prints the report as one JSON object instead of text.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.cli.output import print_json

if TYPE_CHECKING:
    from studio.services.workspace import Stores


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = commands.add_parser(
        "archive",
        help="export or import every look, board, shop and "
        "review, the profile and their photos, as one portable zip",
    )
    sub = group.add_subparsers(dest="archive_command", metavar="COMMAND", required=True)
    export = sub.add_parser("export", help="write the whole workspace to FILE (a zip)")
    export.add_argument(
        "file", type=Path, metavar="FILE", help="the archive to write (replaced if it exists)"
    )
    export.add_argument("--json", action="store_true", help="print the report as JSON")
    export.set_defaults(run=cmd_export)
    imp = sub.add_parser(
        "import",
        help="read an archive into this workspace, re-linking products by merchant and offer id",
    )
    imp.add_argument("file", type=Path, metavar="FILE", help="the archive to read")
    imp.add_argument("--json", action="store_true", help="print the report as JSON")
    imp.set_defaults(run=cmd_import)


def _plain(report: Any) -> dict[str, Any]:
    data = asdict(report)
    data["path"] = str(report.path)
    data["missing_media"] = list(report.missing_media)
    data["unlinked"] = [asdict(u) for u in report.unlinked]
    data["cleaned"] = list(report.cleaned)
    return data


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in counts.items())


def cmd_export(ws: Stores, args: argparse.Namespace) -> int:
    from studio.store.archive import export_archive

    try:
        report = export_archive(ws.db, args.file, ws.media.path)
    finally:
        ws.media.sweep_stale()  # after every job: what killed jobs left in the library
    if args.json:
        print_json(_plain(report))
        return 0
    print(
        f"Exported to {report.path}: records: {_counts(report.counts)}; "
        f"{report.media_files} photo files ({report.media_bytes / 1e6:.1f} MB)"
    )
    for sha in report.missing_media:
        print(f"  photo {sha} is missing from the media library (not in the archive)")
    return 0


def cmd_import(ws: Stores, args: argparse.Namespace) -> int:
    from studio.store.archive import import_archive

    report = import_archive(ws.db, args.file, ws.media)
    if args.json:
        print_json(_plain(report))
        return 0
    print(
        f"Imported {report.path}: records: {_counts(report.counts)}; "
        f"{report.media_files} photo files"
    )
    print(
        f"  {report.added} records added, {report.updated} replaced by a later edit, "
        f"{report.kept} kept (this workspace's copy was as new or newer)"
    )
    if report.cleaned:
        print(
            f"  {len(report.cleaned)} photos cleaned as they came in (private metadata or data "
            "after the picture removed, as `studio media import` does): stored under new names"
        )
    if report.unlinked:
        print(f"  {len(report.unlinked)} products could not be re-linked (not in this catalog):")
        for u in report.unlinked:
            print(f"    {u.owner!r} / {u.label!r}: {u.merchant} {u.offer_id}")
    return 0
