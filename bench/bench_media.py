"""Thumbnail throughput from 12-megapixel JPEGs, per core, beside a plain full decode.

The issue's target: at least 20 thumbnails per second per core from 12-megapixel JPEGs. The
measured path is what the catalog grid's image loader does for each product image: open the
file safely, decode it (at reduced scale), orient it, resize it to a grid thumbnail and write it
to the disk cache as JPEG (``studio.ui.catalog.images`` caches ``.jpg``; ``.png`` with alpha).
One process, one thread: the rate is per core. The raw baseline is
``Image.open(path).load()`` of the same files: a full decode, nothing else.

The photos are generated once into ``bench/.data/media-12mp`` (4000x3000, smooth gradients and
shapes under camera-like noise, so they compress like real photos: 3-5 MB each, not a few KB).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

from bench.harness import BenchContext, Figure
from studio.media.thumbnails import make_thumbnail, save_thumbnail

WIDTH, HEIGHT = 4000, 3000
GRID_PX = 256  # the catalog grid's thumbnail size
TARGET_PER_S = 20.0


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
    return [
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
