"""The editor's side form: the look's fields, the shown photo's and the selected hotspot's.

Fields report edits as the user types (debounced) or picks; the editor turns each into an
undoable command, so there is nothing to save. ``show_*`` fill the fields without echoing, and
leave alone a field whose typing has not been reported yet: a change read from elsewhere while
the curator types never takes their words away (theirs are written after it). ``flush``
reports what is still waiting for its pause.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.looks import Crop, Hotspot, Look, LookPhoto, LookStatus, MatchKind
from studio.ui.widgets.colours import mute

DEBOUNCE_MS = 350


def split_tags(text: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for part in text.split(","):
        tag = " ".join(part.split())
        if tag:
            seen.setdefault(tag, None)
    return tuple(seen)


def _other(shown: LookPhoto | Hotspot | None, coming: LookPhoto | Hotspot | None) -> bool:
    """Whether ``coming`` is another record than the one the fields show."""
    return shown is not None and (coming is None or coming.id != shown.id)


def _debounce(owner: QObject, fire: Callable[[], None]) -> QTimer:
    timer = QTimer(owner)
    timer.setSingleShot(True)
    timer.setInterval(DEBOUNCE_MS)
    timer.timeout.connect(fire)
    return timer


class Inspector(QWidget):
    #: field name, new value (title, caption, occasions, seasons, styles, status)
    look_edited = Signal(str, object)
    #: photo id, field name, new value (alt_text, crop, rotation)
    photo_edited = Signal(str, str, object)
    #: hotspot id, field name, new value (label, note, kind)
    hotspot_edited = Signal(str, str, object)
    hotspot_delete_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._filling = False
        self._photo: LookPhoto | None = None
        self._hotspot: Hotspot | None = None
        # -- look
        look_box = QGroupBox(self.tr("Look"), self)
        self.title = QLineEdit(look_box)
        self.caption = QPlainTextEdit(look_box)
        self.caption.setPlaceholderText(self.tr("What makes this look work…"))
        self.caption.setTabChangesFocus(True)
        self.caption.setFixedHeight(76)
        self.occasions = QLineEdit(look_box)
        self.seasons = QLineEdit(look_box)
        self.styles = QLineEdit(look_box)
        for edit, hint in (
            (self.occasions, self.tr("e.g. wedding, office")),
            (self.seasons, self.tr("e.g. summer")),
            (self.styles, self.tr("e.g. minimal, boho")),
        ):
            edit.setPlaceholderText(hint)
        self.status = QComboBox(look_box)
        self.status.addItem(self.tr("Draft"), LookStatus.DRAFT.value)
        self.status.addItem(self.tr("Ready"), LookStatus.READY.value)
        form = QFormLayout(look_box)
        form.addRow(self.tr("&Title"), self.title)
        form.addRow(self.tr("&Caption"), self.caption)
        form.addRow(self.tr("&Occasions"), self.occasions)
        form.addRow(self.tr("&Seasons"), self.seasons)
        form.addRow(self.tr("St&yles"), self.styles)
        form.addRow(self.tr("Stat&us"), self.status)
        self._look_timers: dict[str, QTimer] = {}
        for name, edit in (
            ("title", self.title),
            ("occasions", self.occasions),
            ("seasons", self.seasons),
            ("styles", self.styles),
        ):
            timer = _debounce(self, partial(self._emit_look, name))
            self._look_timers[name] = timer
            edit.textEdited.connect(lambda _t, t=timer: t.start())
            edit.editingFinished.connect(lambda n=name: self._flush(n))
        caption_timer = _debounce(self, lambda: self._emit_look("caption"))
        self._look_timers["caption"] = caption_timer
        self.caption.textChanged.connect(lambda: None if self._filling else caption_timer.start())
        self.status.activated.connect(lambda _i: self._emit_look("status"))
        # -- photo
        self.photo_box = QGroupBox(self.tr("Photo"), self)
        self.alt_text = QLineEdit(self.photo_box)
        self.alt_text.setPlaceholderText(self.tr("Describe the photo for screen readers"))
        self._alt_timer = _debounce(self, self._emit_alt)
        self.alt_text.textEdited.connect(lambda _t: self._alt_timer.start())
        self.alt_text.editingFinished.connect(
            lambda: self._emit_alt() if self._alt_timer.isActive() else None
        )
        self.crop_spins: dict[str, QDoubleSpinBox] = {}
        crop_row = QGridLayout()
        for i, (side, text) in enumerate(
            (
                ("left", self.tr("Left")),
                ("top", self.tr("Top")),
                ("right", self.tr("Right")),
                ("bottom", self.tr("Bottom")),
            )
        ):
            spin = QDoubleSpinBox(self.photo_box)
            spin.setRange(0.0, 100.0)
            spin.setDecimals(1)
            spin.setSuffix(" %")
            spin.setKeyboardTracking(False)
            spin.setAccessibleName(self.tr("Crop {side}").format(side=text))
            spin.setToolTip(self.tr("Crop {side}").format(side=text))
            spin.valueChanged.connect(lambda _v: self._emit_crop())
            self.crop_spins[side] = spin
            spin.setPrefix(text[:1] + " ")
            crop_row.addWidget(spin, i // 2, i % 2)
        self.rotate_left = QPushButton(self.tr("⟲ Left"), self.photo_box)
        self.rotate_right = QPushButton(self.tr("⟳ Right"), self.photo_box)
        self.reset_crop = QPushButton(self.tr("Reset"), self.photo_box)
        self.rotate_left.setAccessibleName(self.tr("Rotate left"))
        self.rotate_right.setAccessibleName(self.tr("Rotate right"))
        self.reset_crop.setAccessibleName(self.tr("Reset the crop"))
        rotate_row = QHBoxLayout()
        for b in (self.rotate_left, self.rotate_right, self.reset_crop):
            rotate_row.addWidget(b)
        self.rotate_left.clicked.connect(lambda: self._rotate(-1))
        self.rotate_right.clicked.connect(lambda: self._rotate(1))
        self.reset_crop.clicked.connect(self._reset)
        self.photo_info = QLabel(self.photo_box)
        mute(self.photo_info)
        photo_form = QFormLayout(self.photo_box)
        photo_form.addRow(self.tr("&Alt text"), self.alt_text)
        photo_form.addRow(self.tr("Crop"), crop_row)
        photo_form.addRow(self.tr("Turn"), rotate_row)
        photo_form.addRow(self.photo_info)
        # -- hotspot
        self.hotspot_box = QGroupBox(self.tr("Tag"), self)
        self.hotspot_product = QLabel(self.hotspot_box)
        self.hotspot_product.setWordWrap(True)
        self.label = QLineEdit(self.hotspot_box)
        self.label.setPlaceholderText(self.tr("Shown beside the marker"))
        self.note = QLineEdit(self.hotspot_box)
        self.kind = QComboBox(self.hotspot_box)
        self.kind.addItem(self.tr("Exact item"), MatchKind.EXACT.value)
        self.kind.addItem(self.tr("Similar item"), MatchKind.SIMILAR.value)
        self.delete_hotspot = QPushButton(self.tr("Remove tag"), self.hotspot_box)
        hotspot_form = QFormLayout(self.hotspot_box)
        hotspot_form.addRow(self.hotspot_product)
        hotspot_form.addRow(self.tr("&Label"), self.label)
        hotspot_form.addRow(self.tr("&Note"), self.note)
        hotspot_form.addRow(self.tr("&Match"), self.kind)
        hotspot_form.addRow(self.delete_hotspot)
        self._hotspot_timers: dict[str, QTimer] = {}
        for name, edit in (("label", self.label), ("note", self.note)):
            timer = _debounce(self, partial(self._emit_hotspot, name))
            self._hotspot_timers[name] = timer
            edit.textEdited.connect(lambda _t, t=timer: t.start())
            edit.editingFinished.connect(
                lambda n=name, t=timer: self._emit_hotspot(n) if t.isActive() else None
            )
        self.kind.activated.connect(lambda _i: self._emit_hotspot("kind"))
        self.delete_hotspot.clicked.connect(
            lambda: self._hotspot and self.hotspot_delete_requested.emit(self._hotspot.id)
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(look_box)
        layout.addWidget(self.photo_box)
        layout.addWidget(self.hotspot_box)
        layout.addStretch(1)

    # -- filling ----------------------------------------------------------------------------

    def typing(self, name: str) -> bool:
        """Whether field ``name`` holds typing not reported yet (its pause still running)."""
        timer = {**self._look_timers, **self._hotspot_timers, "alt_text": self._alt_timer}.get(name)
        return timer is not None and timer.isActive()

    def flush(self) -> None:
        """Report every field's typing still waiting for its pause (a look closing)."""
        for name, timer in self._look_timers.items():
            if timer.isActive():
                self._emit_look(name)
        if self._alt_timer.isActive():
            self._emit_alt()
        for name, timer in self._hotspot_timers.items():
            if timer.isActive():
                self._emit_hotspot(name)

    def show_look(self, look: Look) -> None:
        self._filling = True
        # Only rewrite a field whose meaning differs (an undo), never one being typed into.
        if self.title.text().strip() != look.title and not self.typing("title"):
            self.title.setText(look.title)
        for name, edit, tags in (
            ("occasions", self.occasions, look.occasions),
            ("seasons", self.seasons, look.seasons),
            ("styles", self.styles, look.styles),
        ):
            if split_tags(edit.text()) != tags and not self.typing(name):
                edit.setText(", ".join(tags))
        if self.caption.toPlainText() != look.caption and not self.typing("caption"):
            self.caption.setPlainText(look.caption)
        self.status.setCurrentIndex(max(0, self.status.findData(look.status.value)))
        self._filling = False

    def show_photo(self, photo: LookPhoto | None) -> None:
        if self._alt_timer.isActive() and _other(self._photo, photo):
            self._emit_alt()  # typed for the photo left behind: reported for it
        self._photo = photo
        self.photo_box.setEnabled(photo is not None)
        self.show_crop(photo.crop if photo is not None else Crop())
        self._filling = True
        if photo is None:
            self.alt_text.clear()
            self.photo_info.clear()
        else:
            if self.alt_text.text() != photo.alt_text and not self.typing("alt_text"):
                self.alt_text.setText(photo.alt_text)
            self.photo_info.setText(
                self.tr("{w} × {h} px master").format(w=photo.width, h=photo.height)
            )
        self._filling = False

    def show_crop(self, crop: Crop) -> None:
        """Fill the crop boxes (without echoing): the stored crop, or the one being framed."""
        filling, self._filling = self._filling, True
        for side, spin in self.crop_spins.items():
            spin.setValue(round(getattr(crop, side) * 100, 1))
        self._filling = filling

    def show_hotspot(self, hotspot: Hotspot | None, number: int, product_text: str) -> None:
        if _other(self._hotspot, hotspot):
            for name, timer in self._hotspot_timers.items():
                if timer.isActive():
                    self._emit_hotspot(name)  # for the tag left behind
        self._hotspot = hotspot
        self.hotspot_box.setEnabled(hotspot is not None)
        self._filling = True
        if hotspot is None:
            self.hotspot_box.setTitle(self.tr("Tag"))
            self.hotspot_product.setText(
                self.tr(
                    "Select a marker, drop a product on the photo or click the photo to tag it."
                )
            )
            self.label.clear()
            self.note.clear()
        else:
            self.hotspot_box.setTitle(self.tr("Tag {n}").format(n=number))
            self.hotspot_product.setText(product_text)
            if self.label.text() != hotspot.label and not self.typing("label"):
                self.label.setText(hotspot.label)
            if self.note.text() != hotspot.note and not self.typing("note"):
                self.note.setText(hotspot.note)
            self.kind.setCurrentIndex(max(0, self.kind.findData(hotspot.kind.value)))
        self._filling = False

    # -- emitting ---------------------------------------------------------------------------

    def _flush(self, name: str) -> None:
        timer = self._look_timers[name]
        if timer.isActive():
            timer.stop()
            self._emit_look(name)

    def _emit_look(self, name: str) -> None:
        self._look_timers.get(name, QTimer()).stop()
        if self._filling:
            return
        value: object
        if name == "title":
            value = self.title.text().strip() or self.tr("Untitled look")
        elif name == "caption":
            value = self.caption.toPlainText()
        elif name == "status":
            value = LookStatus(self.status.currentData())
        else:
            value = split_tags(getattr(self, name).text())
        self.look_edited.emit(name, value)

    def _emit_alt(self) -> None:
        self._alt_timer.stop()
        if self._photo is not None and not self._filling:
            self.photo_edited.emit(self._photo.id, "alt_text", self.alt_text.text().strip())

    def _emit_crop(self) -> None:
        if self._photo is None or self._filling:
            return
        v = {side: spin.value() / 100 for side, spin in self.crop_spins.items()}
        if v["right"] - v["left"] < 0.05 or v["bottom"] - v["top"] < 0.05:
            self.show_photo(self._photo)  # an empty crop is refused: back to the stored one
            return
        self.photo_edited.emit(self._photo.id, "crop", Crop(**v))

    def _rotate(self, turns: int) -> None:
        if self._photo is not None:
            self.photo_edited.emit(self._photo.id, "rotation", (self._photo.rotation + turns) % 4)

    def _reset(self) -> None:
        if self._photo is not None:
            self.photo_edited.emit(self._photo.id, "crop", Crop())

    def _emit_hotspot(self, name: str) -> None:
        if name in self._hotspot_timers:
            self._hotspot_timers[name].stop()
        if self._hotspot is None or self._filling:
            return
        value: object = (
            MatchKind(self.kind.currentData()) if name == "kind" else getattr(self, name).text()
        )
        self.hotspot_edited.emit(self._hotspot.id, name, value)
