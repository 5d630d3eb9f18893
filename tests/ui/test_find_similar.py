""" "Find similar" on a tag whose product ran out: the same category first, then brand and
words, never an unrelated category (a merino beanie is not replaced by a throw or a cup).

The catalog is the demo's and WooCommerce's sample feed (../shared/fixtures); the beanie
runs out of stock by a later partial feed of its merchant, as a real update would say.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from test_looks_helpers import PHOTO, open_studio

from studio.core.catalog import SearchQuery
from studio.core.look_checks import CheckKind
from studio.core.looks import ProductRef
from studio.system.paths import Paths
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui


def _catalog(store: Any, fixtures_dir: Path, tmp_path: Path) -> int:
    """The demo and the WooCommerce sample feed; then the beanie out of stock. Its id."""
    from studio.media.demo import demo_feeds
    from studio.services.feeds import FeedJob, import_feeds
    from studio.services.workspace import Stores
    from studio.system.paths import resolve_paths

    ws = Stores(resolve_paths(tmp_path / "unused").ensure(), store.db)
    jobs = [FeedJob(f.path, f.merchant, f.format) for f in demo_feeds()]
    jobs.append(FeedJob(fixtures_dir / "woocommerce" / "sample_products.csv", "Woo Sample"))
    import_feeds(ws, jobs)
    trailhead = next(f for f in demo_feeds() if f.path.name == "trailhead.tsv")
    lines = trailhead.path.read_text(encoding="utf-8").splitlines()
    beanie = [lines[0], *(x for x in lines if x.startswith("TH-BEAN-01\t"))]
    assert len(beanie) == 2
    update = tmp_path / "trailhead-update.tsv"
    update.write_text("\n".join(beanie).replace("\tin_stock\t", "\tout_of_stock\t") + "\n")
    import_feeds(ws, [FeedJob(update, trailhead.merchant, trailhead.format, full=False)])
    store.invalidate()
    return int(store.search(SearchQuery(text="merino rib beanie", limit=1)).ids[0])


def test_find_similar_offers_a_hat_for_a_beanie_never_another_category(
    qtbot: QtBot,
    tasks: TaskManager,
    paths: Paths,
    empty_store: Any,
    fixtures_dir: Path,
    tmp_path: Path,
) -> None:
    from studio.media.library import MediaLibrary
    from studio.store.looks import LookStore

    store = empty_store
    beanie_id = _catalog(store, fixtures_dir, tmp_path)
    beanie = store.detail(beanie_id)
    assert beanie is not None and beanie.card.title == "Merino Rib Beanie"
    looks = LookStore(store.db)
    look = looks.create_look("Winter walk")
    media = MediaLibrary(paths.media).import_file(fixtures_dir / "images" / PHOTO, derivatives=True)
    photo = looks.add_photo(look.id, media.hash, media.width, media.height)
    looks.add_hotspot(
        photo.id, ProductRef(beanie_id, beanie.card.merchant, beanie.offer_id), 0.5, 0.5
    )

    studio = open_studio(qtbot, tasks, paths, store)
    window = studio.window
    window.show_workspace("looks")
    window.looks.open_look(look.id)
    editor = window.looks.editor
    qtbot.waitUntil(lambda: editor.doc is not None and editor.cards_ready)
    editor.tabs.setCurrentWidget(editor.checks)
    kinds = [i.kind for i in editor.checks.issues]
    button = editor.checks.fix_buttons[kinds.index(CheckKind.UNAVAILABLE)]
    assert button.text() == "Find similar"
    with qtbot.waitSignal(editor.fixer.proposed, timeout=10_000) as proposed:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    box = proposed.args[0]
    assert box is not None, "a similar product was found"
    # The hat of another merchant's tree ("Accessories > Hats"), not the merino throw whose
    # title shares a word, nor the glass cup.
    assert "Corduroy Six-Panel Cap" in box.text(), box.text()
    box.close()
