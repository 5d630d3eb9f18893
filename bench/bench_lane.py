"""The writer lane's figure: an edit saved while a million products are being imported.

A curator edits a look while ``studio import-feed`` stores a 1,000,000-item Google Merchant
feed in another process (one catalog transaction of about a minute). The edits go through the
writer lane as the desktop's do (``WriteLane.submit`` then the result: queued, written and
committed on the content file, its Changes collected), one every 20 ms, for as long as the
import runs (after it has begun writing); each is timed from submission to commit.

* figure: p99 of those edits' latency; target 50 ms (issue 11).
* raw baseline: the same edits on the same workspace with nothing else running (p99).

The feed is written once into the bench's scratch space (``google-1000000.xml``, shared with
``bench_import``'s memory figure) and reused by later runs; ``--quick`` uses 100,000 items.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.catalog_gen import write_google_xml
from bench.harness import REPO, BenchContext, Figure, percentile
from studio.core.looks import ProductRef
from studio.services.lane import WriteLane
from studio.services.workspace import Stores, open_workspace
from studio.system.paths import resolve_paths

TARGET_MS = 50.0
EVERY_S = 0.02
BASELINE_EDITS = 300


def _feed(ctx: BenchContext) -> tuple[Path, int]:
    n = 100_000 if ctx.quick else 1_000_000
    path = ctx.workdir / f"google-{n}.xml"
    if not path.exists():
        print(f"   writing a {n:,}-item feed (once) ...", file=sys.stderr, flush=True)
        write_google_xml(path, n, seed=11)
    return path, n


def _edits(ws: Stores) -> Callable[[int], None]:
    """One curator's edit per call: a tag moved, then the look's caption typed, in turn."""
    look = ws.looks.create_look("Edited during an import")
    photo = ws.looks.add_photo(look.id, "c" * 64, 3000, 4000)
    spot = ws.looks.add_hotspot(photo.id, ProductRef(None, "Elsewhere", "E-1"), 0.5, 0.5)

    def edit(i: int) -> None:
        if i % 2:
            ws.looks.update_hotspot(spot.id, x=(i % 100) / 100)
        else:
            ws.looks.update_look(look.id, caption=f"caption {i}")

    return edit


def _timed(lane: WriteLane, edit: Callable[[int], None], i: int) -> float:
    started = time.perf_counter()
    lane.submit(lambda: edit(i)).result(timeout=60)
    return (time.perf_counter() - started) * 1000


def _importing(home: Path, feed: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, STUDIO_HOME=str(home), PYTHONPATH=str(REPO))
    return subprocess.Popen(
        [sys.executable, "-m", "studio.cli", "import-feed", str(feed), "--merchant", "Big"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def run(ctx: BenchContext) -> list[Figure]:
    feed, n = _feed(ctx)
    home = ctx.workdir / "lane-home"
    shutil.rmtree(home, ignore_errors=True)
    paths = resolve_paths(home).ensure()
    ws = open_workspace(paths)
    lane = WriteLane()
    try:
        edit = _edits(ws)
        for i in range(20):  # warm: connections made, statements cached
            _timed(lane, edit, i)
        idle = [_timed(lane, edit, i) for i in range(BASELINE_EDITS)]

        proc = _importing(home, feed)
        wal = Path(f"{paths.catalog_database}-wal")
        while proc.poll() is None and (not wal.exists() or wal.stat().st_size < 8 << 20):
            time.sleep(0.05)  # until the import's transaction is well under way
        during: list[float] = []
        i = 0
        while proc.poll() is None:
            during.append(_timed(lane, edit, i))
            i += 1
            time.sleep(EVERY_S)
        _out, err = proc.communicate()
        if proc.returncode != 0:
            raise RuntimeError(f"the import failed: {err.decode(errors='replace')[-300:]}")
        if len(during) < (10 if ctx.quick else 50):
            raise RuntimeError(f"only {len(during)} edits fell inside the import")
    finally:
        lane.close()
        ws.close()
    p99, base = percentile(during, 99), percentile(idle, 99)
    return [
        Figure(
            f"edit saved during a {n // 1000:,}k-product import (p99)",
            p99,
            "ms",
            TARGET_MS,
            baseline=base,
            note=(
                f"{len(during)} edits through the writer lane while `studio import-feed` ran; "
                f"median {percentile(during, 50):.1f} ms, max {max(during):.1f} ms; "
                f"baseline: the same edits idle (p99)"
            ),
        )
    ]
