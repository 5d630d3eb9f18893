"""The check panel lists a look's issues and fixes them in one click."""

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
from studio.core.product import Availability
from studio.core.sharing import is_orderable
from studio.system.paths import Paths
from studio.ui.tasks import TaskManager

pytestmark = pytest.mark.gui


def test_unavailable_product_is_replaced_and_caption_fix_focuses_the_field(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any, fixtures_dir: Path
) -> None:
    from studio.media.library import MediaLibrary
    from studio.store.looks import LookStore

    gone = store.search(SearchQuery(availability=frozenset({Availability.OUT_OF_STOCK}), limit=1))
    assert gone.total > 0, "the test catalog has out-of-stock products"
    gone_id = int(gone.ids[0])
    detail = store.detail(gone_id)
    looks = LookStore(store.db)
    look = looks.create_look("Checks")
    media = MediaLibrary(paths.media).import_file(fixtures_dir / "images" / PHOTO, derivatives=True)
    photo = looks.add_photo(look.id, media.hash, media.width, media.height)
    hotspot = looks.add_hotspot(
        photo.id, ProductRef(gone_id, detail.card.merchant, detail.offer_id), 0.5, 0.5
    )

    studio = open_studio(qtbot, tasks, paths, store)
    window = studio.window
    window.show_workspace("looks")
    window.looks.open_look(look.id)
    editor = window.looks.editor
    qtbot.waitUntil(lambda: editor.doc is not None and editor.cards_ready)
    kinds = [i.kind for i in editor.checks.issues]
    assert CheckKind.UNAVAILABLE in kinds and CheckKind.NO_CAPTION in kinds
    assert CheckKind.NO_ALT_TEXT in kinds and CheckKind.LOW_RESOLUTION not in kinds
    editor.tabs.setCurrentWidget(editor.checks)
    button = editor.checks.fix_buttons[kinds.index(CheckKind.UNAVAILABLE)]
    with qtbot.waitSignal(editor.fixer.proposed, timeout=10000) as proposed:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert proposed.args[0] is not None, "a similar available product was found"
    qtbot.mouseClick(editor.fixer.replace_button, Qt.MouseButton.LeftButton)
    replaced = studio.document(look.id).hotspots[0]
    assert replaced.id == hotspot.id and replaced.product.product_id != gone_id
    assert is_orderable(store.cards([replaced.product.product_id])[0].availability)
    qtbot.waitUntil(lambda: CheckKind.UNAVAILABLE not in [i.kind for i in editor.checks.issues])
    editor.undo_stack.undo()  # the replacement is one undoable step
    assert studio.document(look.id).hotspots[0].product.product_id == gone_id

    window.activateWindow()
    kinds = [i.kind for i in editor.checks.issues]
    qtbot.mouseClick(
        editor.checks.fix_buttons[kinds.index(CheckKind.NO_CAPTION)], Qt.MouseButton.LeftButton
    )
    assert editor.tabs.currentIndex() == 0
    qtbot.waitUntil(lambda: editor.inspector.caption.hasFocus())
    qtbot.keyClicks(editor.inspector.caption, "Linen for the heat")
    qtbot.waitUntil(lambda: studio.document(look.id).look.caption == "Linen for the heat")
    qtbot.waitUntil(lambda: CheckKind.NO_CAPTION not in [i.kind for i in editor.checks.issues])


def test_low_resolution_says_what_it_will_do_and_keeps_the_crop(
    qtbot: QtBot,
    tasks: TaskManager,
    paths: Paths,
    store: Any,
    fixtures_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PIL import Image
    from PySide6.QtWidgets import QFileDialog

    from studio.core.looks import FULL_CROP, Crop
    from studio.media.library import MediaLibrary
    from studio.store.looks import LookStore
    from studio.ui.widgets.photo_import import photo_filter

    source = fixtures_dir / "images" / PHOTO  # 1800 x 1200
    if not source.is_file():
        pytest.fail(
            f"fixture photo {source} is absent" + " (../shared is incomplete)", pytrace=False
        )
    small = tmp_path / "small.png"
    with Image.open(source) as img:
        img.resize((900, 600)).save(small)
    library = MediaLibrary(paths.media)
    big, low = library.import_file(source), library.import_file(small)
    looks = LookStore(store.db)
    look = looks.create_look("Sharp")
    quarter = Crop(0.0, 0.0, 0.5, 0.5)
    cropped = looks.add_photo(look.id, big.hash, big.width, big.height)
    looks.update_photo(cropped.id, crop=quarter)  # 900 x 600 kept
    soft = looks.add_photo(look.id, low.hash, low.width, low.height)
    framed = Crop(0.0, 0.0, 0.9, 0.95)
    looks.update_photo(soft.id, crop=framed)  # 810 x 570 of a 900 x 600 file
    spot = looks.add_hotspot(soft.id, ProductRef(None, "M", "x"), 0.25, 0.25)

    studio = open_studio(qtbot, tasks, paths, store)
    window = studio.window
    window.show_workspace("looks")
    window.looks.open_look(look.id)
    editor = window.looks.editor
    qtbot.waitUntil(lambda: editor.doc is not None and editor.cards_ready)
    editor.tabs.setCurrentWidget(editor.checks)
    asked: list[str] = []

    def low_res() -> list[Any]:
        return [i for i in editor.checks.issues if i.kind is CheckKind.LOW_RESOLUTION]

    def fix(photo_id: str) -> Any:
        row = next(
            n
            for n, i in enumerate(editor.checks.issues)
            if i.kind is CheckKind.LOW_RESOLUTION and i.photo_id == photo_id
        )
        button = editor.checks.fix_buttons[row]
        assert button.text() == "Improve resolution…"  # a dialog follows: it says so
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: editor.fixer.dialog is not None and editor.fixer.dialog.isVisible())
        return editor.fixer.dialog

    assert {i.photo_id for i in low_res()} == {cropped.id, soft.id}
    # The dialog says what each choice does, and clicking the fix changes nothing by itself.
    dialog = fix(cropped.id)
    assert "900×600" in dialog.text() and "keeps the crop" in dialog.text()
    assert studio.document(look.id).photos[0].crop == quarter
    # Cancel: nothing changed.
    qtbot.mouseClick(dialog.button(dialog.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert studio.document(look.id).photos[0].crop == quarter and editor.undo_stack.count() == 0
    # The whole photo is large enough: widening the crop keeps what was kept, and some more,
    # never the whole photo (the crop is not silently dropped). One undo step.
    dialog = fix(cropped.id)
    assert editor.fixer.widen_button is not None
    qtbot.mouseClick(editor.fixer.widen_button, Qt.MouseButton.LeftButton)
    wide = studio.document(look.id).photos[0].crop
    assert wide != FULL_CROP and wide != quarter
    assert (wide.left, wide.top) == (0.0, 0.0) and 0.5 < wide.right < 1.0
    assert 0.5 < wide.bottom < 1.0
    qtbot.waitUntil(lambda: {i.photo_id for i in low_res()} == {soft.id})
    editor.undo_stack.undo()
    assert studio.document(look.id).photos[0].crop == quarter
    editor.undo_stack.redo()

    # The small photo cannot be widened: only a larger original is offered, which takes the
    # photo's place with its crop and its tag where they were. (The file dialog is the
    # desktop's: answered here, and it offers the one list of photo types.)
    def answer(path: Path) -> None:
        def pick(*a: Any, **k: Any) -> tuple[str, str]:
            asked.append(a[3])
            return str(path), ""

        monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(pick))

    answer(source)
    fix(soft.id)
    assert editor.fixer.widen_button is None
    qtbot.mouseClick(editor.fixer.larger_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: studio.document(look.id).photos[1].media_hash == big.hash, timeout=15000
    )
    assert asked == [photo_filter()]
    doc = studio.document(look.id)
    assert (doc.photos[1].width, doc.photos[1].height) == (1800, 1200)
    assert doc.photos[1].crop == framed  # kept: the same part of the same picture
    assert doc.hotspots_of(soft.id)[0] == spot
    qtbot.waitUntil(lambda: not low_res())
    editor.undo_stack.undo()
    assert studio.document(look.id).photos[1].media_hash == low.hash
    # A file framed differently is refused: the tags would drift off their items.
    answer(fixtures_dir / "images" / "exif_orientation" / "Portrait_1.jpg")
    fix(soft.id)
    qtbot.mouseClick(editor.fixer.larger_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: (
            editor.fixer.dialog is not None
            and "proportions" in editor.fixer.dialog.windowTitle().lower()
        ),
        timeout=15000,
    )
    assert studio.document(look.id).photos[1].media_hash == low.hash
    editor.fixer.dialog.close()


def test_a_tag_the_crop_hides_is_flagged_with_show_it_and_remove_tag(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any, fixtures_dir: Path
) -> None:
    from studio.core.looks import Crop
    from studio.media.library import MediaLibrary
    from studio.store.looks import LookStore

    found = store.search(SearchQuery(availability=frozenset({Availability.IN_STOCK}), limit=1))
    card = store.cards([int(found.ids[0])])[0]
    ref = ProductRef(card.id, card.merchant, store.detail(card.id).offer_id)
    looks = LookStore(store.db)
    look = looks.create_look("Hidden")
    media = MediaLibrary(paths.media).import_file(fixtures_dir / "images" / PHOTO, derivatives=True)
    photo = looks.add_photo(look.id, media.hash, media.width, media.height)
    crop = Crop(0.0, 0.0, 0.6, 1.0)  # 1080 x 1200 kept: sharp enough
    looks.update_photo(photo.id, crop=crop)
    seen = looks.add_hotspot(photo.id, ref, 0.3, 0.5)
    hidden = looks.add_hotspot(photo.id, ref, 0.8, 0.5)

    studio = open_studio(qtbot, tasks, paths, store)
    window = studio.window
    window.show_workspace("looks")
    window.looks.open_look(look.id)
    editor = window.looks.editor
    qtbot.waitUntil(lambda: editor.doc is not None and editor.cards_ready)
    editor.tabs.setCurrentWidget(editor.checks)

    def hidden_rows() -> list[int]:
        return [n for n, i in enumerate(editor.checks.issues) if i.kind is CheckKind.HIDDEN_BY_CROP]

    qtbot.waitUntil(lambda: len(hidden_rows()) == 1)
    row = hidden_rows()[0]
    assert editor.checks.issues[row].hotspot_id == hidden.id
    assert editor.checks.fix_buttons[row].text() == "Show it"
    assert "Tag 2" in editor.checks.fix_buttons[row].accessibleName()
    # Show it: the crop grows on the right just enough to take the tag in (one undo step).
    qtbot.mouseClick(editor.checks.fix_buttons[row], Qt.MouseButton.LeftButton)
    shown = studio.document(look.id).photos[0].crop
    assert (shown.left, shown.top, shown.bottom) == (0.0, 0.0, 1.0)
    assert 0.8 < shown.right <= 0.9
    qtbot.waitUntil(lambda: not hidden_rows())
    editor.undo_stack.undo()
    assert studio.document(look.id).photos[0].crop == crop
    # Remove tag: the hidden tag goes, the one in view stays.
    qtbot.waitUntil(lambda: len(hidden_rows()) == 1)
    row = hidden_rows()[0]
    qtbot.mouseClick(editor.checks.remove_buttons[row], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: [h.id for h in studio.document(look.id).hotspots] == [seen.id])
    qtbot.waitUntil(lambda: not hidden_rows())


def test_a_tag_made_before_a_competing_tie_is_a_conflict_with_two_fixes(
    qtbot: QtBot, tasks: TaskManager, paths: Paths, store: Any, fixtures_dir: Path
) -> None:
    from studio.media.library import MediaLibrary
    from studio.store.looks import LookStore
    from studio.store.profile import ProfileStore

    found = store.search(SearchQuery(availability=frozenset({Availability.IN_STOCK}), limit=50))
    detail = next(d for d in map(store.detail, map(int, found.ids)) if d.category and d.card.brand)
    looks = LookStore(store.db)
    look = looks.create_look("Conflicts")
    looks.update_look(look.id, caption="Summer")
    media = MediaLibrary(paths.media).import_file(fixtures_dir / "images" / PHOTO, derivatives=True)
    photo = looks.add_photo(look.id, media.hash, media.width, media.height)
    looks.update_photo(photo.id, alt_text="A coat on a chair")
    ref = ProductRef(detail.card.id, detail.card.merchant, detail.offer_id)
    tag = looks.add_hotspot(photo.id, ref, 0.5, 0.5)

    studio = open_studio(qtbot, tasks, paths, store)
    window = studio.window
    window.show_workspace("looks")
    window.looks.open_look(look.id)
    editor = window.looks.editor
    qtbot.waitUntil(lambda: editor.doc is not None and editor.cards_ready)
    assert CheckKind.CONFLICT not in [i.kind for i in editor.checks.issues]
    # The curator declares their own label in that category, then looks at the checks again.
    ProfileStore(store.db).add_affiliation("House Label", detail.category, "makes")
    editor.tabs.setCurrentIndex(0)
    editor.tabs.setCurrentWidget(editor.checks)
    qtbot.waitUntil(lambda: CheckKind.CONFLICT in [i.kind for i in editor.checks.issues])
    index = [i.kind for i in editor.checks.issues].index(CheckKind.CONFLICT)
    issue = editor.checks.issues[index]
    assert issue.hotspot_id == tag.id
    assert issue.detail.startswith("Conflict of interest: you declared that you make House Label")
    assert editor.tabs.tabText(1).startswith("Checks (")
    # "Remove tag" takes the tag off (one undo step); undo brings it back, flagged again.
    remove = editor.checks.remove_buttons[index]
    assert remove.accessibleName().startswith("Remove tag: Tag 1 — Conflict of interest: you")
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert studio.document(look.id).hotspots == ()
    qtbot.waitUntil(lambda: CheckKind.CONFLICT not in [i.kind for i in editor.checks.issues])
    editor.undo_stack.undo()
    assert [h.id for h in studio.document(look.id).hotspots] == [tag.id]
    qtbot.waitUntil(lambda: CheckKind.CONFLICT in [i.kind for i in editor.checks.issues])
    # "Pick another" proposes a product the rule allows (never a competitor in that category).
    index = [i.kind for i in editor.checks.issues].index(CheckKind.CONFLICT)
    with qtbot.waitSignal(editor.fixer.proposed, timeout=10000) as proposed:
        qtbot.mouseClick(editor.checks.fix_buttons[index], Qt.MouseButton.LeftButton)
    assert proposed.args[0] is not None, "an allowed similar product was found"
    qtbot.mouseClick(editor.fixer.replace_button, Qt.MouseButton.LeftButton)
    replaced = studio.document(look.id).hotspots[0].product
    assert replaced != ref and looks.tag_refusal(replaced) == ""
    qtbot.waitUntil(lambda: CheckKind.CONFLICT not in [i.kind for i in editor.checks.issues])
