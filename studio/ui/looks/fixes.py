"""One-click fixes for the check panel's issues.

An unavailable or vanished product, or one a tie declared since forbids, is replaced by a
similar available one that the rule allows (``studio.store.search_similar``: the same category
first, then brand and title words; never an unrelated category) and the best is proposed; the
curator confirms before the tag changes (one undo step). The change is written, then shown: the
store checks the rule again as it writes (a tie may have been declared since the proposal), and
a refusal is said above the photo with nothing changed.
The other fixes take the curator where the fix is made: the caption, a photo's alt text, or
the crowded photo. A tag the crop hides is shown by growing the crop just enough (one undo
step). A low-resolution photo first says what can be done, and does nothing until the curator
chooses: pick a larger original of the same picture, which takes the photo's place with its
crop, turn and tags (the crop is kept as fractions, so it frames the same; the proportions must
match, or the tags would drift), or, when the whole photo is large enough, widen the crop
around its centre just enough (``studio.core.look_checks.widened_crop``): the framing is kept
as far as the photo allows, never silently dropped.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QAbstractButton, QFileDialog, QMessageBox, QWidget

from studio.core.catalog import ProductCard
from studio.core.look_checks import (
    CheckIssue,
    CheckKind,
    crop_showing,
    shown_size,
    widened_crop,
)
from studio.core.looks import MIN_SHORT_SIDE, Crop, Hotspot, LookPhoto, ProductRef
from studio.core.sharing import is_orderable
from studio.ui.looks.commands import EditHotspotCommand, EditPhotoCommand, ReplaceMediaCommand
from studio.ui.widgets.photo_import import photo_filter

if TYPE_CHECKING:
    from studio.media.library import StoredMedia
    from studio.store.catalog import CatalogStore
    from studio.store.looks import LookStore
    from studio.ui.looks.host import LookEditorHost

ASPECT_TOLERANCE = 0.01  # a larger original may differ by rounding, not by framing


Found = tuple[ProductRef, ProductCard]


def similar_available(
    store: CatalogStore, product_id: int | None, title: str, looks: LookStore | None = None
) -> Found | None:
    """Worker: the most similar orderable product (``store.search_similar``: same category
    first, then brand and words, never an unrelated category), with its ref, that the
    conflict-of-interest rule lets the curator tag (asked of ``looks``, a LookStore)."""
    from studio.store.search_similar import similar_products

    ids = similar_products(store, product_id, title)
    for card in store.cards(ids):
        if is_orderable(card.availability):
            detail = store.detail(card.id)
            ref = None if detail is None else ProductRef(card.id, card.merchant, detail.offer_id)
            if ref is not None and (looks is None or not looks.tag_refusal(ref)):
                return ref, card
    return None


class CheckFixer(QObject):
    #: a replacement was proposed (the dialog is open as ``dialog``) or none found (None)
    proposed = Signal(object)

    def __init__(self, editor: LookEditorHost, parent: QWidget) -> None:
        super().__init__(parent)
        self.editor = editor
        self._parent = parent  # dialogs open over it
        self.dialog: QMessageBox | None = None
        # The low-resolution dialog's choices (None when not offered), for keyboard and tests.
        self.larger_button: QAbstractButton | None = None
        self.widen_button: QAbstractButton | None = None

    def fix(self, issue: CheckIssue) -> None:
        editor = self.editor
        if issue.kind in (CheckKind.UNAVAILABLE, CheckKind.MISSING_PRODUCT, CheckKind.CONFLICT):
            self._replace(issue.hotspot_id or "")
        elif issue.kind is CheckKind.NO_CAPTION:
            editor.tabs.setCurrentIndex(0)
            editor.inspector.caption.setFocus(Qt.FocusReason.OtherFocusReason)
        elif issue.kind is CheckKind.NO_ALT_TEXT:
            editor.show_photo(issue.photo_id or "")
            editor.tabs.setCurrentIndex(0)
            editor.inspector.alt_text.setFocus(Qt.FocusReason.OtherFocusReason)
        elif issue.kind is CheckKind.TOO_MANY_HOTSPOTS:
            editor.show_photo(issue.photo_id or "")
            editor.canvas.setFocus(Qt.FocusReason.OtherFocusReason)
        elif issue.kind is CheckKind.LOW_RESOLUTION:
            self._sharpen(issue.photo_id or "")
        elif issue.kind is CheckKind.HIDDEN_BY_CROP:
            self._show_tag(issue.hotspot_id or "")

    def _show_tag(self, hotspot_id: str) -> None:
        """Grow the photo's crop just enough to show the tag (one undo step)."""
        editor, session = self.editor, self.editor.session
        hotspot = session.hotspot(hotspot_id) if session is not None else None
        photo = session.photo(hotspot.photo_id) if session and hotspot else None
        if session is None or hotspot is None or photo is None:
            return
        editor.show_photo(photo.id)
        shown = crop_showing(photo.crop, hotspot.x, hotspot.y)
        editor.push(
            EditPhotoCommand(
                session, photo.id, {"crop": photo.crop}, {"crop": shown}, editor.tr("Show the tag")
            )
        )

    def _sharpen(self, photo_id: str) -> None:
        """Say what can be done about a low resolution, and do what the curator chooses."""
        editor, session = self.editor, self.editor.session
        photo = session.photo(photo_id) if session is not None else None
        if session is None or photo is None:
            return
        editor.show_photo(photo_id)
        width, height = shown_size(photo)
        wider = widened_crop(photo)
        text = editor.tr(
            "This photo shows {width}×{height} px; a shared photo needs at least {short} px on "
            "its short side."
        ).format(width=width, height=height, short=MIN_SHORT_SIDE)
        if wider is None:
            text += " " + editor.tr(
                "Choose a larger original of the same picture: it takes this photo's place "
                "with its crop, turn and tags."
            )
        else:
            text += " " + editor.tr(
                "Choose a larger original of the same picture (it keeps the crop, turn and "
                "tags), or widen the crop around its centre just enough: it shows a little more "
                "around what you kept."
            )
        box = QMessageBox(
            QMessageBox.Icon.Question,
            editor.tr("Improve the resolution"),
            text,
            QMessageBox.StandardButton.Cancel,
            self._parent,
        )
        larger = box.addButton(
            editor.tr("Choose a larger original…"), QMessageBox.ButtonRole.AcceptRole
        )
        widen = None
        if wider is not None:
            widen = box.addButton(editor.tr("Widen the crop"), QMessageBox.ButtonRole.ActionRole)
        box.setDefaultButton(larger)
        box.setWindowModality(Qt.WindowModality.WindowModal)

        def clicked(button: QAbstractButton) -> None:
            if button is larger:
                self._pick_larger(photo)
            elif widen is not None and button is widen and wider is not None:
                self._widen(photo, wider)

        box.buttonClicked.connect(clicked)
        self.dialog, self.larger_button, self.widen_button = box, larger, widen
        box.open()

    def _widen(self, photo: LookPhoto, wider: Crop) -> None:
        editor, session = self.editor, self.editor.session
        current = session.photo(photo.id) if session is not None else None
        if session is None or current is None or current.crop != photo.crop:
            return  # changed while the dialog was open: its proposal no longer fits
        editor.push(
            EditPhotoCommand(
                session,
                photo.id,
                {"crop": photo.crop},
                {"crop": wider},
                editor.tr("Widen the crop"),
            )
        )

    def _pick_larger(self, photo: LookPhoto) -> None:
        editor = self.editor
        path, _ = QFileDialog.getOpenFileName(
            self._parent,
            editor.tr("A larger original of this photo"),
            str(Path.home()),
            photo_filter(),
        )
        if path and editor.media is not None:
            media = editor.media
            editor.tasks.run(
                lambda: media.import_file(Path(path), derivatives=True),
                lambda stored: self._replace_media(photo, stored),
                self._import_failed,
            )

    def _import_failed(self, exc: BaseException) -> None:
        self._open(QMessageBox.Icon.Warning, self.editor.tr("Photo not imported"), str(exc))

    def _replace_media(self, photo: LookPhoto, stored: StoredMedia) -> None:
        editor, session = self.editor, self.editor.session
        if session is None or session.photo(photo.id) is None:
            return
        if abs(stored.width / stored.height - photo.width / photo.height) > ASPECT_TOLERANCE * (
            photo.width / photo.height
        ):
            self._open(
                QMessageBox.Icon.Information,
                editor.tr("Different proportions"),
                editor.tr(
                    "This file is framed differently from the photo, so the tags would no longer "
                    "sit on their items. Add it as a new photo instead."
                ),
            )
            return
        if min(stored.width, stored.height) <= min(photo.width, photo.height):
            self._open(
                QMessageBox.Icon.Information,
                editor.tr("Not larger"),
                editor.tr("This file is not larger than the photo it would replace."),
            )
            return
        editor.push(
            ReplaceMediaCommand(
                session,
                photo.id,
                (photo.media_hash, photo.width, photo.height),
                (stored.hash, stored.width, stored.height),
                editor.tr("Use a larger original"),
            )
        )

    def _open(self, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Close, self._parent)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog = box
        box.open()
        return box

    def _replace(self, hotspot_id: str) -> None:
        editor = self.editor
        session, store = editor.session, editor.catalog()
        hotspot = session.hotspot(hotspot_id) if session is not None else None
        if hotspot is None or store is None:
            return
        card = editor.cards.get(hotspot.product.product_id or -1)
        source = card.title if card is not None else (hotspot.label or hotspot.product.offer_id)
        product_id = hotspot.product.product_id
        looks = editor.looks
        editor.tasks.run(
            lambda: similar_available(store, product_id, source, looks),
            lambda found: self._propose(hotspot_id, found),
        )

    def _propose(self, hotspot_id: str, found: Found | None) -> None:
        editor = self.editor
        if found is None:
            self._open(
                QMessageBox.Icon.Information,
                editor.tr("No similar product"),
                editor.tr("No available product like this one was found in the catalog."),
            )
            self.proposed.emit(None)
            return
        ref, card = found
        box = QMessageBox(
            QMessageBox.Icon.Question,
            editor.tr("Replace the product"),
            editor.tr("Tag “{title}” from {merchant} instead?").format(
                title=card.title, merchant=card.merchant
            ),
            QMessageBox.StandardButton.Cancel,
            self._parent,
        )
        replace = box.addButton(editor.tr("Replace"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(replace)
        box.setWindowModality(Qt.WindowModality.WindowModal)

        def clicked(button: QAbstractButton) -> None:
            if button is replace:
                self.apply(hotspot_id, ref, card)

        box.buttonClicked.connect(clicked)
        self.dialog = box
        self.replace_button = replace
        box.open()
        self.proposed.emit(box)

    def apply(self, hotspot_id: str, ref: ProductRef, card: ProductCard) -> None:
        editor, session = self.editor, self.editor.session
        hotspot = session.hotspot(hotspot_id) if session is not None else None
        if session is None or hotspot is None:
            return
        old = hotspot.product

        def refused(reason: str) -> None:
            editor.notice.show_message(
                editor.tr("“{title}” was not tagged: {reason}").format(
                    title=card.title, reason=reason
                ),
                "warning",
            )

        def written(stored: Hotspot) -> None:
            if session is not editor.session or session.hotspot(hotspot_id) is None:
                return  # saved; the look shown now is another, or the tag went meanwhile
            editor.cards[card.id] = card
            editor.push(
                EditHotspotCommand(
                    session,
                    hotspot_id,
                    {"product": old},
                    {"product": ref},
                    editor.tr("Replace the product"),
                    stored=stored,
                )
            )

        session.write_hotspot(hotspot_id, {"product": ref}, written, refused)
