"""Thumbnail throughput and photo-import latency on 12-megapixel JPEGs, beside a plain decode.

The issue's target: at least 20 thumbnails per second per core from 12-megapixel JPEGs. The
measured path is what the catalog grid's image loader does for each product image: open the
file safely, decode it (at reduced scale), orient it, resize it to a grid thumbnail and write it
to the disk cache as JPEG (``studio.ui.widgets.images`` caches ``.jpg``; ``.png`` with alpha).
One process, one thread: the rate is per core. The raw baseline is
``Image.open(path).load()`` of the same files: a full decode, nothing else.

The import figure is what adding a photo to a look costs: ``MediaLibrary.import_file`` with its
preview (decode, apply EXIF orientation 6, strip EXIF with GPS, hash, store the master durably,
make the 2560 px preview and 512 px thumbnail). Each file is imported into a fresh library, so
nothing is deduplicated; the raw baseline is again ``Image.open(path).load()``.

The photos are generated once into ``bench/.data/media-12mp`` (4000x3000, smooth gradients and
shapes under camera-like noise, so they compress like real photos: 3-5 MB each, not a few KB).
"""

from __future__ import annotations

import shutil
import statistics
import struct
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

from bench.harness import BenchContext, Figure, percentile
from studio.media.library import MediaLibrary
from studio.media.thumbnails import make_thumbnail, save_thumbnail

WIDTH, HEIGHT = 4000, 3000
GRID_PX = 256  # the catalog grid's thumbnail size
TARGET_PER_S = 20.0
TARGET_IMPORT_MS = 300.0


def _photo(seed: int) -> Image.Image:
    """A 12-megapixel picture with the statistics of a photo: gradients, edges and noise."""
    rng = np.random.default_rng(seed)
    ys, xs = np.mgrid[0:HEIGHT:1, 0:WIDTH:1].astype(np.float32)
    base = np.empty((HEIGHT, WIDTH, 3), dtype=np.float32)
    for c in range(3):
        a, b, phase = rng.uniform(0.3, 1.2, 3)
        base[..., c] = 128 + 60 * np.sin(xs / WIDTH * 6 * a + phase) * np.cos(ys / HEIGHT * 5 * b)
    for _ in range(12):  # hard-edged shapes: objects in the scene
        cx, cy = rng.uniform(0, WIDTH), rng.uniform(0, HEIGHT)
        r = rng.uniform(150, 700)
        mask = (xs - cx) ** 2 + (ys - cy) ** 2 < r * r
        base[mask] = rng.uniform(20, 235, 3)
    base += rng.normal(0, 9, size=base.shape).astype(np.float32)  # sensor noise
    return Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))


def photos(workdir: Path, count: int) -> list[Path]:
    folder = workdir / "media-12mp"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"photo-{n:02d}.jpg"
        if not path.is_file():
            tmp = path.with_suffix(".tmp")
            _photo(1000 + n).save(tmp, "JPEG", quality=90)
            tmp.replace(path)
        paths.append(path)
    return paths


def camera_photos(workdir: Path, count: int) -> list[Path]:
    """The same photos as a phone would write them: EXIF orientation 6 (held sideways) + GPS.

    The EXIF segment is spliced in after SOI, so the pixels are the generated ones exactly.
    """
    folder = workdir / "media-12mp-camera"
    folder.mkdir(parents=True, exist_ok=True)
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F], exif[0x0110] = "Bench Camera", "Model 12"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (52.0, 22.0, 3.5), "E", (4.0, 53.0, 1.0)
    payload = b"Exif\x00\x00" + exif.tobytes()
    app1 = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    out = []
    for source in photos(workdir, count):
        path = folder / source.name
        if not path.is_file():
            data = source.read_bytes()
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(data[:2] + app1 + data[2:])
            tmp.replace(path)
        out.append(path)
    return out


def import_latencies(paths: list[Path], rounds: int) -> tuple[list[float], list[float]]:
    """Milliseconds per import (each into a fresh library) and per raw decode, interleaved."""
    imports: list[float] = []
    raws: list[float] = []
    scratch = Path(tempfile.mkdtemp(prefix="bench-media-import-"))
    try:
        MediaLibrary(scratch / "warm").import_file(paths[0], derivatives=True)
        for r in range(rounds):
            for n, path in enumerate(paths):
                library = MediaLibrary(scratch / f"r{r}-{n}")
                start = time.perf_counter()
                stored = library.import_file(path, derivatives=True)
                imports.append((time.perf_counter() - start) * 1000)
                assert not stored.deduplicated and stored.orientation == 6
                start = time.perf_counter()
                with Image.open(path) as img:
                    img.load()
                raws.append((time.perf_counter() - start) * 1000)
            shutil.rmtree(scratch)  # keep the disk (and the page cache) from filling up
            scratch.mkdir()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return imports, raws


Work = Callable[[Path], None]


def _rates(paths: list[Path], rounds: int, works: dict[str, Work]) -> dict[str, float]:
    """Images per second of each kind of work: the median over rounds, interleaved.

    The machine is shared (tests, other benchmarks), so each round runs every kind of work
    over all files in turn: a burst of load then costs the raw baseline as much as the
    thumbnails, and the median round ignores a burst instead of averaging it in.
    """
    for work in works.values():
        work(paths[0])  # warm the page cache and the decoders
    per_round: dict[str, list[float]] = {name: [] for name in works}
    for _ in range(rounds):
        for name, work in works.items():
            start = time.perf_counter()
            for path in paths:
                work(path)
            per_round[name].append(len(paths) / (time.perf_counter() - start))
    return {name: statistics.median(rates) for name, rates in per_round.items()}


def run(ctx: BenchContext) -> list[Figure]:
    paths = photos(ctx.workdir, 4 if ctx.quick else 8)
    rounds = 3 if ctx.quick else 7
    cache = ctx.workdir / "media-thumbs"
    cache.mkdir(exist_ok=True)
    megabytes = sum(p.stat().st_size for p in paths) / len(paths) / 1e6

    def raw_decode(path: Path) -> None:
        with Image.open(path) as img:
            img.load()

    def grid_thumbnail(path: Path) -> None:
        save_thumbnail(make_thumbnail(path, GRID_PX), cache / f"{path.stem}.jpg")

    def thumbnail_only(path: Path) -> None:
        make_thumbnail(path, GRID_PX)

    rates = _rates(
        paths, rounds, {"raw": raw_decode, "full": grid_thumbnail, "only": thumbnail_only}
    )
    note = (
        f"median of {rounds} rounds over {len(paths)} files of {megabytes:.1f} MB; "
        f"without the cache write {rates['only']:.1f}/s; single thread"
    )
    imports, raws = import_latencies(camera_photos(ctx.workdir, len(paths)), 2 if ctx.quick else 3)
    import_note = (
        f"median of {len(imports)} imports of {len(paths)} distinct files, each into a fresh "
        f"library; p95 {percentile(imports, 95):.0f} ms; raw = Image.open().load()"
    )
    return [
        Figure(
            "media: import a 12 MP JPEG (orient, strip, hash, store, preview)",
            statistics.median(imports),
            "ms",
            TARGET_IMPORT_MS,
            baseline=statistics.median(raws),
            note=import_note,
        ),
        Figure(
            f"thumbnails: 12 MP JPEG -> {GRID_PX} px cached JPEG, per core",
            rates["full"],
            "img/s",
            TARGET_PER_S,
            lower_is_better=False,
            baseline=rates["raw"],
            note=note,
        ),
    ]
