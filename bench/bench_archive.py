"""Archive export and import throughput, beside plain ``zipfile`` on the same files.

The workspace: 1,000 looks (200 with ``--quick``), each with one photo and three hotspots,
and a board of 100 items; the photos are real camera-like JPEGs (2000x1500, ~550 KB each:
about 550 MB for 1,000 looks). Each photo is distinct: eight generated pictures, each made
unique by a JPEG comment segment after SOI (still a valid JPEG, with its own hash).

- export: ``export_archive`` (records, a SHA-256 check of every photo while copying, fsync,
  atomic rename) against ``zipfile`` writing the same photo files stored (``ZipFile.write``).
- import: ``import_archive`` into an empty workspace (every check, every hash twice, durable
  blob writes, one transaction with outbox entries) against ``zipfile`` reading the same
  archive's members and writing each to a file.

The rate is photo megabytes per second; the target is at least half of plain ``zipfile``.
"""

from __future__ import annotations

import hashlib
import shutil
import struct
import time
import zipfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

from bench.catalog_gen import generate_records
from bench.harness import BenchContext, Figure
from studio.core.boards import BoardItem, BoardItemKind
from studio.core.looks import ProductRef
from studio.media.library import MediaLibrary
from studio.store.archive import export_archive, import_archive
from studio.store.boards import BoardStore
from studio.store.db import open_database
from studio.store.importer import import_feed
from studio.store.looks import LookStore

BASES = 8
TARGET_RATIO = 0.5


def _bases(workdir: Path) -> list[bytes]:
    from PIL import Image

    from bench.bench_media import _photo

    folder = workdir / "archive-base"
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for n in range(BASES):
        path = folder / f"base-{n}.jpg"
        if not path.is_file():
            img = _photo(2000 + n).resize((2000, 1500), Image.Resampling.LANCZOS)
            img.save(path.with_suffix(".tmp"), "JPEG", quality=92)
            path.with_suffix(".tmp").replace(path)
        out.append(path.read_bytes())
    return out


def _unique(base: bytes, n: int) -> bytes:
    note = f"vitrine bench photo {n}".encode()
    return base[:2] + b"\xff\xfe" + struct.pack(">H", len(note) + 2) + note + base[2:]


def _workspace(root: Path, looks_n: int, bases: list[bytes]) -> tuple[int, list[Path]]:
    """The workspace to export; its photo bytes and files."""
    db = open_database(root / "studio.sqlite3")
    library = MediaLibrary(root / "media")
    try:
        import_feed(db, "Acme", "google_xml", generate_records(500, seed=3, merchants=1))
        with db.connect() as conn:
            offers = conn.execute("SELECT id, offer_id FROM products ORDER BY id").fetchall()
        looks, boards = LookStore(db), BoardStore(db)
        files, total = [], 0
        for n in range(looks_n):
            data = _unique(bases[n % BASES], n)
            sha = hashlib.sha256(data).hexdigest()
            files.append(library.put_blob(data, sha, ".jpg"))
            total += len(data)
            look = looks.create_look(f"Look {n}")
            photo = looks.add_photo(look.id, sha, 2000, 1500)
            for k in range(3):
                pid, offer = offers[(n * 3 + k) % len(offers)]
                looks.add_hotspot(photo.id, ProductRef(pid, "Acme", offer), 0.2 + k / 5, 0.5,
                                  label=f"item {k}")
        board = boards.create_board("Bench board")
        for k in range(100):
            pid, offer = offers[k]
            boards.add_item(BoardItem("", board.id, BoardItemKind.PRODUCT, 100 + k, 100, 200,
                                      200, product=ProductRef(pid, "Acme", offer)))
    finally:
        db.close()
    return total, files


def _plain_write(files: list[Path], out: Path) -> None:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
        for path in files:
            zf.write(path, f"media/{path.parent.name}/{path.name}")


def _plain_read(src: Path, dest: Path) -> None:
    dest.mkdir(parents=True)
    with zipfile.ZipFile(src) as zf:
        for info in zf.infolist():
            target = dest / info.filename.replace("/", "_")
            target.write_bytes(zf.read(info))


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run(ctx: BenchContext) -> list[Figure]:
    looks_n = 200 if ctx.quick else 1000
    work = ctx.workdir / "archive"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        total, files = _workspace(work / "a", looks_n, _bases(ctx.workdir))
        mb = total / 1e6
        db = open_database(work / "a" / "studio.sqlite3")
        try:
            library = MediaLibrary(work / "a" / "media")
            _plain_write(files, work / "warm.zip")  # warm the page cache for both
            ours_w: list[float] = []
            plain_w: list[float] = []
            for r in range(2):  # interleaved, best of two: the machine is shared
                ours_w.append(_timed(partial(export_archive, db, work / f"ours-{r}.zip",
                                             library.path)))
                plain_w.append(_timed(partial(_plain_write, files, work / f"plain-{r}.zip")))
        finally:
            db.close()
        ours_r: list[float] = []
        plain_r: list[float] = []
        for r in range(2):
            target = open_database(work / f"b{r}.sqlite3")
            try:
                into = MediaLibrary(work / f"b{r}-media")
                ours_r.append(_timed(partial(import_archive, target, work / "ours-0.zip",
                                             into.put_blob)))
            finally:
                target.close()
            plain_r.append(_timed(partial(_plain_read, work / "ours-0.zip",
                                          work / f"plain-out-{r}")))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    note = f"{looks_n} looks, {looks_n * 3 + 100} product refs, {len(files)} photos, {mb:.0f} MB"
    figures = []
    for name, ours, plain in (("export", ours_w, plain_w), ("import", ours_r, plain_r)):
        rate, base = mb / min(ours), mb / min(plain)
        figures.append(Figure(f"archive: {name} throughput vs plain zipfile", rate / base, "x",
                              TARGET_RATIO, lower_is_better=False,
                              note=f"{rate:.0f} MB/s vs zipfile {base:.0f} MB/s; {note}"))
    return figures


if __name__ == "__main__":
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        for figure in run(BenchContext(Path(scratch), quick="--quick" in sys.argv)):
            print(f"{figure.name}: {figure.value:.2f}{figure.unit} (target >= "
                  f"{figure.target}) {figure.note}")
