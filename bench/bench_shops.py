"""Shops figures: a 10,000-product shop opens (target 500 ms); every reorder drag frame (16 ms).

A subprocess (offscreen Qt, so the bench process never owns a ``QApplication``) builds a real
store: a catalog of 12,000 products (four merchants, product images from 40 local JPEG files)
and one shop of 10,000 of them on ten shelves, at the "full" tier; then it shows the real
``ShopsPage`` at 1400x860.

* open: from asking the page's controller to open the shop to the shelves painted with rows:
  the document read in its worker, the model built, and ``repaint`` of the shelf view once
  the first page of product cards is there (titles and prices on screen). Five opens,
  alternating with a small shop so each is a real switch; the figure is the median, the
  first and the worst are in the note. Baseline: the raw way to show the same rows - one
  ``sqlite3`` query of the shop's 10,000 item rows into a ``QStringListModel`` and a plain
  ``QListView`` repainted. The page's own start (the catalog picker's first page and its
  pictures) is let finish before the first open.
* drag frame: three rows selected, the view's own drag data, then drag-move events across the
  shelf view, one per frame, down past the bottom edge (the view scrolls) and back up; each
  frame timed from sending the event to the end of the event-loop turn that paints it; then
  the drop's frame (the model's incremental move, a repaint of the whole shelf view; the
  store transaction runs on the writer lane meanwhile, competing for the interpreter). The
  issue asks that EVERY frame stay under 16 ms, so the figure is the worst of them all.
  Baseline: p99 of the same events over a plain ``QListView`` in InternalMove mode on the
  ``QStringListModel``.
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

SHOP_SIZE = 10_000
CATALOG = 12_000
SHELVES = 10
FRAMES = 240
STEP = 9  # px per frame
OPENS = 5
VIEW_SIZE = (1400, 860)


def run(ctx: BenchContext) -> list[Figure]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    work = ctx.workdir / "shops"
    work.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [sys.executable, "-m", "bench.bench_shops", str(work)],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=REPO,
        env=env,
        check=False,
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"bench_shops failed: {proc.stderr[-2000:]}")
    out = json.loads(lines[-1])
    return [
        Figure(
            "shops: a 10,000-product shop opens",
            out["open_median"],
            "ms",
            500,
            baseline=out["open_base"],
            note=f"{out['items']} items on {SHELVES} shelves; {OPENS} opens: first "
            f"{out['open_first']:.0f} ms, worst {out['open_max']:.0f} ms (document read in a "
            f"worker + model + first cards + paint); baseline = raw sqlite3 rows into a "
            f"QStringListModel + QListView paint",
        ),
        Figure(
            "shops: reorder drag, worst frame over 10,000 items",
            max(out["drag_max"], out["drop_ms"]),
            "ms",
            16,
            baseline=out["drag_base_p99"],
            note=f"every frame: {FRAMES} drag-move frames x {STEP}px with autoscroll (p99 "
            f"{out['drag_p99']:.1f} ms, median {out['drag_median']:.2f} ms, max "
            f"{out['drag_max']:.1f} ms) and the drop's frame (incremental model move, paint; "
            f"the store transaction on the writer lane meanwhile) {out['drop_ms']:.1f} ms, "
            f"then the moved rows selected on the next turn ({out['settle_ms']:.0f} ms in "
            f"all); baseline = p99 of a plain QListView InternalMove over a QStringListModel",
        ),
    ]


# -- the subprocess side --------------------------------------------------------------------


def _images(folder: Path, n: int = 40) -> list[str]:
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n):
        path = folder / f"shop-{i:02d}.jpg"
        if not path.exists():
            Image.new("RGB", (480, 600), ((i * 53) % 255, (i * 97) % 255, 170)).save(path)
        files.append(str(path))
    return files


def _build(home: Path, images: list[str]) -> tuple[Any, Any, Any, str, str]:
    import dataclasses

    from bench.catalog_gen import generate_records
    from studio.core.looks import ProductRef
    from studio.store.catalog import CatalogStore
    from studio.store.db import open_database
    from studio.store.profile import ProfileStore
    from studio.store.shops import ShopStore

    db = open_database(home / "studio.sqlite3")
    catalog = CatalogStore(db)
    records = [
        dataclasses.replace(r, image_link=images[i % len(images)])
        for i, r in enumerate(generate_records(CATALOG, merchants=4))
    ]
    for merchant in sorted({r.merchant for r in records}):
        catalog.import_feed(merchant, "google-xml", [r for r in records if r.merchant == merchant])
    ProfileStore(db).set_tier_from_platform("full")
    shops = ShopStore(db)
    big = shops.create_shop("big-shop", "Big shop")
    small = shops.create_shop("small-shop", "Small shop", section_title="Picks")
    with db.connect() as conn:
        rows = conn.execute(
            "SELECT p.id, m.name, p.offer_id FROM products p JOIN merchants m "
            "ON m.id = p.merchant_id ORDER BY p.id LIMIT ?",
            (SHOP_SIZE + 3,),
        ).fetchall()
    refs = [ProductRef(pid, merchant, offer) for pid, merchant, offer in rows]
    per = SHOP_SIZE // SHELVES
    for n in range(SHELVES):
        section = shops.add_section(big.id, f"Shelf {n + 1}")
        shops.add_items(section.id, refs[n * per : (n + 1) * per])
    small_doc = shops.document(small.id)
    assert small_doc is not None
    shops.add_items(small_doc.sections[0].id, refs[SHOP_SIZE:])
    return catalog, shops, ProfileStore(db), big.id, small.id


def _wait(app: Any, until: Any, timeout: float = 60) -> None:
    deadline = time.perf_counter() + timeout
    while not until():
        if time.perf_counter() > deadline:
            raise RuntimeError("timed out")
        app.processEvents()
        time.sleep(0.0005)


def _open_once(app: Any, page: Any, shop_id: str) -> float:
    c = page.controller
    view = page.editor.view
    t0 = time.perf_counter()
    c.open_shop(shop_id)
    _wait(app, lambda: not c.loading and c.doc is not None and c.doc.shop.id == shop_id)
    # Rows are painted as soon as the model is set; count it done when the titles are there.
    view.viewport().repaint()
    _wait(app, lambda: c.model.cards_pending == 0)
    view.viewport().repaint()
    return (time.perf_counter() - t0) * 1000


def _drag(app: Any, view: Any, mime: Any) -> list[float]:
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent

    args = (
        Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    viewport = view.viewport()
    x = viewport.width() // 2
    app.sendEvent(viewport, QDragEnterEvent(QPoint(x, 40), *args))
    app.processEvents()
    frames = []
    height = viewport.height()
    for n in range(FRAMES):
        half = FRAMES // 2
        y = 40 + STEP * n if n < half else 40 + STEP * (FRAMES - n)
        y = min(y, height - 4)  # dwelling at the bottom edge scrolls the view
        t0 = time.perf_counter()
        app.sendEvent(viewport, QDragMoveEvent(QPointF(x, y).toPoint(), *args))
        app.processEvents()
        frames.append((time.perf_counter() - t0) * 1000)
        time.sleep(max(0.0, 0.016 - (time.perf_counter() - t0)))
    return frames


def _baseline(app: Any, db_path: Path, shop_id: str) -> tuple[float, list[float]]:
    import sqlite3

    from PySide6.QtCore import QStringListModel
    from PySide6.QtWidgets import QAbstractItemView, QListView

    t0 = time.perf_counter()
    conn = sqlite3.connect(db_path)
    rows = conn.execute(
        "SELECT i.offer_id FROM shop_items i JOIN shop_sections s ON "
        "s.id = i.section_id WHERE s.shop_id = ? AND i.deleted_at IS NULL "
        "ORDER BY s.position, i.position",
        (shop_id,),
    ).fetchall()
    conn.close()
    model = QStringListModel([r[0] for r in rows])
    view = QListView()
    view.setUniformItemSizes(True)
    view.setModel(model)
    view.resize(700, VIEW_SIZE[1] - 100)
    view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
    view.show()
    view.viewport().repaint()
    opened = (time.perf_counter() - t0) * 1000
    view.selectionModel().select(model.index(3), view.selectionModel().SelectionFlag.Select)
    frames = _drag(app, view, model.mimeData([model.index(3)]))
    view.close()
    return opened, frames


def _child(work: Path) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication

    from studio.media.library import MediaLibrary
    from studio.system.paths import resolve_paths
    from studio.ui.shops.api import ShopsPage
    from studio.ui.tasks import TaskManager

    app = QApplication([sys.argv[0]])
    images = _images(work / "images")
    with tempfile.TemporaryDirectory(dir=work) as home_dir:
        home = Path(home_dir)
        catalog, shops, profile, big, small = _build(home, images)
        paths = resolve_paths(home / "studio-home").ensure()
        tasks = TaskManager()
        page = ShopsPage(tasks, shops, profile, MediaLibrary(paths.media), lambda: catalog, paths)
        page.resize(*VIEW_SIZE)
        page.show()
        c = page.controller
        _wait(app, lambda: not c.loading)
        # The page's own start (the catalog picker's first page and its pictures) is not the
        # open being measured: let it finish first.
        _wait(app, lambda: tasks.running == 0 and page.editor.picker.images.pending == 0)
        opens = []
        for _ in range(OPENS):
            c.open_shop(small)
            _wait(app, lambda: c.doc is not None and c.doc.shop.id == small)
            tasks.wait_idle()
            app.processEvents()
            opens.append(_open_once(app, page, big))
        items = c.model.item_count
        # Let the health check and the thumbnails settle: the drag is measured on its own.
        _wait(app, lambda: tasks.running == 0 and page.editor.images.pending == 0)
        view = page.editor.view
        model = c.model
        view.selectionModel().clearSelection()
        for row in (2, 4, 6):
            view.selectionModel().select(
                model.index(row), view.selectionModel().SelectionFlag.Select
            )
        mime = model.mimeData(view.selectionModel().selectedIndexes())
        frames = _drag(app, view, mime)
        from PySide6.QtCore import QPointF, Qt
        from PySide6.QtGui import QDropEvent

        moving = [item.id for item in (model.item_at(r) for r in (2, 4, 6)) if item is not None]
        before = model.item_count
        t0 = time.perf_counter()
        app.sendEvent(
            view.viewport(),
            QDropEvent(
                QPointF(view.viewport().width() // 2, 200),
                Qt.DropAction.MoveAction,
                mime,
                Qt.MouseButton.LeftButton,
                Qt.KeyboardModifier.NoModifier,
            ),
        )
        view.viewport().repaint()  # the drop's own frame: the write, the rows moved, painted
        drop_ms = (time.perf_counter() - t0) * 1000
        app.processEvents()  # then the next turn: the moved rows selected
        settle_ms = (time.perf_counter() - t0) * 1000
        if model.item_count != before or c.undo.count() == 0:
            raise RuntimeError("the drop did not move the rows")
        if [model.item(i) is not None for i in moving] != [True] * 3:
            raise RuntimeError("moved rows lost")
        base_open, base_frames = _baseline(app, home / "studio.sqlite3", big)
        tasks.shutdown()
        shops.db.close()
    return {
        "items": items,
        "open_median": statistics.median(opens),
        "open_first": opens[0],
        "open_max": max(opens),
        "open_base": base_open,
        "drag_p99": percentile(frames, 99),
        "drag_median": statistics.median(frames),
        "drag_max": max(frames),
        "drop_ms": drop_ms,
        "settle_ms": settle_ms,
        "drag_base_p99": percentile(base_frames, 99),
    }


if __name__ == "__main__":
    print(json.dumps(_child(Path(sys.argv[1]))), flush=True)
