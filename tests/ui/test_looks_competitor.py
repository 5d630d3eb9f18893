"""The look editor refuses to tag a competitor's product, and says why above the photo.

The curator declares (through the real ProfileStore) that they make a brand in a category;
a drop of another brand's product of that category on the photo adds no hotspot and shows the
conflict rule's reason in the editor's message bar, while a product the rule allows, dropped
with it, is tagged. Real stores over the test's database, real drag and drop events.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF
from pytestqt.qtbot import QtBot
from test_looks_helpers import PHOTO, drop

from studio.core.profile import Relationship
from studio.system.paths import Paths
from studio.ui.tasks import TaskManager
from studio.ui.widgets.mime import product_mime_data

pytestmark = pytest.mark.gui


def branded(store: Any) -> list[tuple[int, str, str]]:
    """(product id, brand, category path) of catalog products with both, by id."""
    with store.db.connect() as conn:
        return conn.execute(
            "SELECT p.id, b.name, c.path FROM products p JOIN brands b ON b.id = p.brand_id "
            "JOIN categories c ON c.id = p.category_id ORDER BY p.id LIMIT 400"
        ).fetchall()


def photo_point(canvas: Any, fx: float, fy: float) -> QPoint:
    rect = canvas.photo_rect
    return canvas.mapFromScene(
        QPointF(rect.left() + fx * rect.width(), rect.top() + fy * rect.height())
    )


def test_a_dropped_competitor_is_refused_with_the_reason_and_no_hotspot(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any, fixtures_dir: Path
) -> None:
    from studio.media.library import MediaLibrary
    from studio.store.looks import LookStore
    from studio.store.profile import ProfileStore
    from studio.ui.looks.page import LooksPage

    source = fixtures_dir / "images" / PHOTO
    if not source.is_file():
        pytest.fail(
            f"fixture photo {source} is absent" + " (../shared is incomplete)", pytrace=False
        )
    products = branded(store)
    rival_id, rival_brand, category = products[0]
    top = category.split(">")[0].strip()
    fine_id = next(pid for pid, _, path in products if path.split(">")[0].strip() != top)
    # The curator makes "Maison Vitrine" in the rival's top category: every other brand's
    # product there is a competitor's; a product of another category is not.
    ProfileStore(store.db).add_affiliation("Maison Vitrine", top, Relationship.MAKES)

    looks, media = LookStore(store.db), MediaLibrary(paths.media)
    stored = media.import_file(source, derivatives=True)
    look = looks.create_look("Street style")
    looks.add_photo(look.id, stored.hash, stored.width, stored.height)
    page = LooksPage(tasks, None, lambda: store)
    qtbot.addWidget(page)
    page.resize(1400, 860)
    page.show()
    page.set_sources(looks, media)
    page.open_look(look.id)
    editor = page.editor
    qtbot.waitUntil(
        lambda: editor.doc is not None and not editor.canvas._pixmap_item.pixmap().isNull(),
        timeout=15000,
    )
    assert editor.notice.isHidden()

    # The competitor alone: nothing tagged, nothing stored, the reason in the bar.
    steps = editor.undo_stack.count()
    assert drop(
        editor.canvas.viewport(),
        product_mime_data([rival_id], ["rival"]),
        photo_point(editor.canvas, 0.4, 0.5),
    )
    qtbot.waitUntil(lambda: editor.notice.text != "")
    text = editor.notice.text
    assert "was not tagged" in text and "You make Maison Vitrine" in text
    assert f"{' '.join(rival_brand.split())} is a competitor" in text
    assert editor.notice.isVisible() and editor.notice.label.isVisible()
    assert editor.doc.hotspots == () and editor.canvas.items_by_id == {}
    assert looks.document(look.id).hotspots == ()  # type: ignore[union-attr]
    assert editor.undo_stack.count() == steps

    # Dismissed with its button; then the competitor dropped with an allowed product: only
    # the allowed one is tagged (one step), and the bar names the refused one again.
    editor.notice.close_button.click()
    assert editor.notice.isHidden() and editor.notice.text == ""
    assert drop(
        editor.canvas.viewport(),
        product_mime_data([fine_id, rival_id], ["two"]),
        photo_point(editor.canvas, 0.2, 0.3),
    )
    qtbot.waitUntil(lambda: len(editor.doc.hotspots) == 1 and editor.notice.text != "")
    assert [h.product.product_id for h in looks.document(look.id).hotspots] == [  # type: ignore[union-attr]
        fine_id
    ]
    assert list(editor.canvas.items_by_id) == [editor.doc.hotspots[0].id]
    assert "competitor" in editor.notice.text
    assert editor.undo_stack.count() == steps + 1
