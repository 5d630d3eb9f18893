"""Board editor figure: drag frame p99 on a 200-item board (target 16 ms).

A subprocess (offscreen Qt, so the bench process never owns a ``QApplication``) builds a real
store with one board of ``MAX_BOARD_ITEMS`` items (product images, photos and text labels,
many rotated, overlapping across the board), opens it in the real ``BoardEditor`` at 1280x800,
waits until every image is decoded, then drives a real drag over the viewport: a press on an
item, one mouse move per frame, a release. Each frame is timed from sending the move event to
the end of the event-loop turn that paints it (``processEvents``: the item moves, snapping
runs, the exposed region is painted). Two drags are measured: one item (the figure) and the
whole board selected (Ctrl+A, the worst case; in the note). The rest of each 16 ms frame is
left idle, as in a real event loop.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.harness import REPO, BenchContext, Figure, percentile

FRAMES = 240
STEP = 6  # view px per frame: a brisk drag
VIEW_SIZE = (1280, 800)
DISTINCT_IMAGES = 40


def run(ctx: BenchContext) -> list[Figure]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    work = ctx.workdir / "boards"
    work.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [sys.executable, "-m", "bench.bench_boards", str(work)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
        env=env,
        check=False,
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"bench_boards failed: {proc.stderr[-2000:]}")
    out = json.loads(lines[-1])
    return [
        Figure(
            "boards: drag frame p99 on a 200-item board",
            out["one_p99"],
            "ms",
            16,
            note=f"{out['items']} items, {FRAMES} frames x {STEP}px; median "
            f"{out['one_median']:.1f} ms; all {out['items']} selected: p99 "
            f"{out['all_p99']:.1f} ms, median {out['all_median']:.1f} ms; "
            f"{out['paints']} paints",
        )
    ]


# -- the subprocess side --------------------------------------------------------------------


def _images(folder: Path) -> list[Path]:
    from PIL import Image, ImageDraw

    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(DISTINCT_IMAGES):
        path = folder / f"board-{i:02d}.jpg"
        if not path.exists():
            w, h = (1200, 1500) if i % 3 else (1600, 1200)
            image = Image.new("RGB", (w, h), ((i * 53) % 255, (i * 97) % 255, 170))
            draw = ImageDraw.Draw(image)
            for k in range(0, w, 80):
                draw.line((k, 0, w - k, h), fill=(255, 255, 255), width=9)
            image.save(path, quality=88)
        files.append(path)
    return files


def _build(home: Path, images: list[Path]) -> tuple[Any, Any, str]:
    import random

    from studio.core.boards import MAX_BOARD_ITEMS, BoardItem, BoardItemKind
    from studio.core.looks import ProductRef, new_id
    from studio.media.library import MediaLibrary
    from studio.store.boards import BoardStore
    from studio.store.db import open_database

    db = open_database(home / "studio.sqlite3")
    boards = BoardStore(db)
    media = MediaLibrary(home / "media")
    stored = [media.import_file(p) for p in images]
    for s in stored:
        media.thumbnail(s.hash)
    board = boards.create_board("Bench board")
    rng = random.Random(7)
    for n in range(MAX_BOARD_ITEMS):
        kind = (
            BoardItemKind.TEXT
            if n % 10 == 9
            else BoardItemKind.PHOTO
            if n % 3 == 0
            else BoardItemKind.PRODUCT
        )
        x, y = rng.uniform(60, 1140), rng.uniform(60, 1140)
        rotation = rng.choice((0.0, 0.0, 0.0, rng.uniform(-30, 30)))
        if kind is BoardItemKind.TEXT:
            item = BoardItem(
                new_id(),
                board.id,
                kind,
                x,
                y,
                220,
                60,
                rotation=rotation,
                text=f"Label {n}",
                font_size=40,
            )
        else:
            s = stored[n % len(stored)]
            side = rng.uniform(110, 260)
            w, h = (side, side * s.height / s.width)
            product = (
                ProductRef(None, "Bench", f"offer-{n}") if kind is BoardItemKind.PRODUCT else None
            )
            item = BoardItem(
                new_id(),
                board.id,
                kind,
                x,
                y,
                w,
                h,
                rotation=rotation,
                media_hash=s.hash,
                product=product,
                flip_h=n % 7 == 0,
            )
        boards.add_item(item)
    return boards, media, board.id


def _drive(app: Any, editor: Any, start: Any, mods: Any) -> tuple[list[float], int]:
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QMouseEvent

    viewport = editor.view.viewport()
    left = Qt.MouseButton.LeftButton
    paints = [0]

    def send(kind: Any, pos: QPoint, button: Any, buttons: Any) -> None:
        app.sendEvent(
            viewport,
            QMouseEvent(
                kind, QPointF(pos), QPointF(viewport.mapToGlobal(pos)), button, buttons, mods
            ),
        )

    from PySide6.QtCore import QEvent, QObject

    class PaintCounter(QObject):
        def eventFilter(self, _obj: Any, event: Any) -> bool:
            if event.type() == QEvent.Type.Paint:
                paints[0] += 1
            return False

    app_filter = PaintCounter()
    viewport.installEventFilter(app_filter)
    send(QMouseEvent.Type.MouseButtonPress, start, left, left)
    app.processEvents()
    frames = []
    for n in range(1, FRAMES + 1):
        # Round the board, so the item crosses most others and many snap lines.
        dx = round(STEP * n * 0.8) if n <= FRAMES // 2 else round(STEP * (FRAMES - n) * 0.8)
        dy = round(STEP * n * 0.3)
        pos = QPoint(start.x() + dx, start.y() + dy - 150)
        t0 = time.perf_counter()
        send(QMouseEvent.Type.MouseMove, pos, Qt.MouseButton.NoButton, left)
        app.processEvents()
        frames.append((time.perf_counter() - t0) * 1000)
        time.sleep(max(0.0, 0.016 - (time.perf_counter() - t0)))
    send(QMouseEvent.Type.MouseButtonRelease, pos, left, Qt.MouseButton.NoButton)
    app.processEvents()
    viewport.removeEventFilter(app_filter)
    return frames, paints[0]


def _child(work: Path) -> dict[str, Any]:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from studio.ui.boards.editor import BoardEditor
    from studio.ui.tasks import TaskManager

    app = QApplication([sys.argv[0]])
    images = _images(work / "images")
    with tempfile.TemporaryDirectory(dir=work) as home_dir:
        home = Path(home_dir)
        boards, media, board_id = _build(home, images)
        tasks = TaskManager()
        editor = BoardEditor(tasks, boards, media, lambda: None)
        editor.resize(*VIEW_SIZE)
        editor.show()
        editor.open_board(board_id)
        deadline = time.perf_counter() + 60
        graphics = editor.controller.graphics
        while time.perf_counter() < deadline and not (
            len(graphics) == 200
            and editor.pixmaps.pending == 0
            and all(g.has_pixmap for g in graphics.values() if g.item.media_hash)
        ):
            app.processEvents()
            time.sleep(0.005)
        if len(graphics) != 200:
            raise RuntimeError(f"board not loaded: {len(graphics)} items")
        app.processEvents()
        editor.view.viewport().repaint()
        # One item, near the middle of the board, on top of others.
        target = max(
            graphics.values(),
            key=lambda g: (
                g.zValue()
                if g.item.kind.value == "photo" and 400 < g.item.x < 800 and 400 < g.item.y < 800
                else -1
            ),
        )
        start = editor.view.mapFromScene(target.pos())
        editor.scene.clearSelection()
        one, paints = _drive(app, editor, start, Qt.KeyboardModifier.NoModifier)
        moved = boards.document(board_id).item(target.item_id)
        if (moved.x, moved.y) == (target.item.x, target.item.y) and editor.undo.count() == 0:
            raise RuntimeError("the drag did not move the item")
        editor.select_all()
        app.processEvents()
        start = editor.view.mapFromScene(target.pos())
        all_frames, _ = _drive(app, editor, start, Qt.KeyboardModifier.NoModifier)
        tasks.shutdown()
        boards.db.close()
    return {
        "items": len(graphics),
        "one_p99": percentile(one, 99),
        "one_median": statistics.median(one),
        "all_p99": percentile(all_frames, 99),
        "all_median": statistics.median(all_frames),
        "paints": paints,
    }


if __name__ == "__main__":
    print(json.dumps(_child(Path(sys.argv[1]))), flush=True)
