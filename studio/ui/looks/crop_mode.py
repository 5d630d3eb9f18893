"""Crop mode in the look editor: entering, applying and cancelling, and the crop bar.

The canvas and its ``CropTool`` (``crop_tool.py``) do the framing; this is the editor's side:
the Crop button (C), Enter and Esc, the bar that says how it works, the inspector's crop boxes
following the rectangle, and the ONE undoable edit written when the crop is applied (the same
``EditPhotoCommand`` path as the boxes). Cancelling, switching photo or closing the look
writes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.looks import Crop
from studio.ui.looks.editor_edits import EditorEdits

if TYPE_CHECKING:
    from studio.core.looks import LookPhoto
    from studio.ui.looks.canvas import LookCanvas
    from studio.ui.looks.inspector import Inspector


class CropBar(QWidget):
    """The strip above the photo while cropping: how it works, Cancel and Apply."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cropBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setStyleSheet(
            "#cropBar { background: #1f2329; border-radius: 6px; }"
            "#cropBar QLabel { color: #c9d1d9; }"
            "#cropBar QPushButton { color: #e6edf3; background: #30363d; border: none;"
            " border-radius: 4px; padding: 4px 12px; }"
            "#cropBar QPushButton:hover { background: #3d444d; }"
            "#cropBar QPushButton#applyCrop { background: #1f6feb; color: white; }"
            "#cropBar QPushButton#applyCrop:hover { background: #388bfd; }"
        )
        self.hint = QLabel(
            self.tr("Drag the frame or its handles · Shift keeps proportions · Enter applies"), self
        )
        # Wrapped, so that the bar never makes the photo's column wider than it was.
        self.hint.setWordWrap(True)
        self.hint.setMinimumWidth(120)
        self.cancel = QPushButton(self.tr("Cancel"), self)
        self.cancel.setToolTip(self.tr("Leave the crop as it was (Esc)"))
        self.apply = QPushButton(self.tr("Apply crop"), self)
        self.apply.setToolTip(self.tr("Keep this crop (Enter)"))
        self.apply.setObjectName("applyCrop")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 6, 4)
        layout.addWidget(self.hint, 1)
        layout.addWidget(self.cancel)
        layout.addWidget(self.apply)


class EditorCropping:
    """Crop mode in ``LookEditor`` (a mixin; ``self`` is the editor).

    Entering shows the whole photo with the pending crop over it; the inspector's crop boxes
    then follow and steer the rectangle instead of writing.
    """

    if TYPE_CHECKING:  # what the mixin uses of the editor
        canvas: LookCanvas
        inspector: Inspector
        _current_photo: str

        @property
        def current_photo(self) -> LookPhoto | None: ...
        def show_photo(self, photo_id: str, *, force: bool = False) -> None: ...
        def tr(self, text: str) -> str: ...

    def _build_crop_mode(self, stage: QWidget, stage_layout: QVBoxLayout) -> None:
        """The Crop button (for the top bar), the crop bar over the photo and the keys."""
        self.crop_button = QToolButton(cast("QWidget", self))
        self.crop_button.setText(self.tr("Crop"))
        self.crop_button.setToolTip(self.tr("Crop the photo on the canvas (C)"))
        self.crop_button.setAccessibleName(self.tr("Crop the photo"))
        self.crop_button.setAutoRaise(True)
        self.crop_button.setCheckable(True)
        self.crop_button.toggled.connect(self.set_cropping)
        self.crop_bar = CropBar(stage)
        self.crop_bar.hide()
        self.crop_bar.apply.clicked.connect(self.apply_crop)
        self.crop_bar.cancel.clicked.connect(self.cancel_crop)
        stage_layout.addWidget(self.crop_bar)
        self.crop_actions: list[QAction] = []
        for text, keys, slot in (
            (self.tr("Crop the photo"), ["C"], self.crop_button.toggle),
            (self.tr("Apply the crop"), ["Return", "Enter"], self.apply_crop),
            (self.tr("Cancel the crop"), ["Esc"], self.cancel_crop),
        ):
            action = QAction(text, stage)
            action.setShortcuts([QKeySequence(k) for k in keys])
            # On the stage (canvas, strip, bar): Enter in an inspector box stays its own.
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            action.setEnabled(not self.crop_actions)  # Enter and Esc only while cropping
            stage.addAction(action)
            self.crop_actions.append(action)
        self.update_crop_enabled()

    def update_crop_enabled(self) -> None:
        """Crop (the button and C) only when a photo is shown: there is nothing to frame else.

        Fix: the button was enabled on a look without photos, where toggling it did nothing
        but flick back off.
        """
        has_photo = self.current_photo is not None
        self.crop_button.setEnabled(has_photo)
        self.crop_actions[0].setEnabled(has_photo)

    def set_cropping(self, on: bool) -> None:
        """The Crop button's toggle: on enters crop mode, off applies the crop."""
        if on == self.canvas.crop.active:
            return
        if not on:
            self.apply_crop()
            return
        photo = self.current_photo
        if photo is None:
            self._show_crop_mode(False)
            return
        self.canvas.begin_crop(photo.crop)
        self._show_crop_mode(True)
        self.show_photo(photo.id, force=True)  # now uncropped, the rectangle over it
        self.canvas.setFocus()

    def apply_crop(self) -> None:
        if not self.canvas.crop.active:
            return
        photo = self.current_photo
        crop = self._leave_crop_mode()
        if photo is not None:
            EditorEdits._photo_edited(cast("EditorEdits", self), photo.id, "crop", crop)
            self.show_photo(photo.id, force=True)

    def cancel_crop(self) -> None:
        if self.canvas.crop.active:
            self._leave_crop_mode()
            self.show_photo(self._current_photo, force=True)

    def _leave_crop_mode(self) -> Crop:
        crop = self.canvas.end_crop() if self.canvas.crop.active else Crop()
        self._show_crop_mode(False)
        return crop

    def _show_crop_mode(self, on: bool) -> None:
        self.crop_button.blockSignals(True)
        self.crop_button.setChecked(on)
        self.crop_button.blockSignals(False)
        self.crop_bar.setVisible(on)
        for action in self.crop_actions[1:]:
            action.setEnabled(on)

    def _photo_edited(self, photo_id: str, name: str, value: object) -> None:
        photo = self.current_photo
        if (
            name == "crop"
            and isinstance(value, Crop)
            and self.canvas.crop.active
            and photo is not None
            and photo.id == photo_id
        ):
            self.canvas.crop.set_crop(value)  # the boxes steer the rectangle; Apply writes
            return
        EditorEdits._photo_edited(cast("EditorEdits", self), photo_id, name, value)
