"""The board editor's text-label tools: the size box, the colour dialog and the size steps.

The size box shows the font size of the selected labels (the lowest one's, when they differ)
and is enabled only while a label is selected. A size typed in it is applied when the user
presses Enter or leaves the box (typing "72" is one edit, never a "7" first); it sets every
selected label to that size as one undoable edit written through
``BoardStore.update_items``. Steps with the box's arrows, the wheel or Up/Down merge into one
undo step per run, like arrow-key nudges. The colour button stays the ``text_colour`` action
beside it, so the text tools sit together in the toolbar.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import QAbstractSpinBox, QColorDialog, QSpinBox, QToolBar, QWidget

from studio.core.boards import BoardItem, BoardItemKind
from studio.ui.boards.edits import BoardEdits
from studio.ui.boards.scene import BoardScene

MIN_SIZE, MAX_SIZE = 6, 600  # board px: from a caption's small print to a poster's headline
SIZE_RUN = "text-size"


class TextSizeBox(QSpinBox):
    """A spin box that tells a step (arrows, wheel, Up/Down) from a typed value."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stepping = False

    def stepBy(self, steps: int) -> None:
        self.stepping = True
        try:
            super().stepBy(steps)
        finally:
            self.stepping = False


class TextTools(QObject):
    """Adds the size box to the editor's ``toolbar`` (before ``before``) and keeps it in step
    with the ``scene``'s selection; the labels' restyling goes through ``edits``."""

    def __init__(
        self,
        toolbar: QToolBar,
        before: QAction,
        scene: BoardScene,
        edits: BoardEdits,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._scene = scene
        self._edits = edits
        self._controller = controller = edits.controller
        self.size_box = TextSizeBox(toolbar)
        box = self.size_box
        box.setObjectName("boardTextSize")
        box.setAccessibleName(self.tr("Text size"))
        box.setToolTip(self.tr("Text size of the selected labels, in board pixels"))
        box.setRange(MIN_SIZE, MAX_SIZE)
        box.setSuffix(self.tr(" px"))
        box.setKeyboardTracking(False)
        box.setAlignment(Qt.AlignmentFlag.AlignRight)
        box.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.UpDownArrows)
        # Beside the colour button, before the board's own background button.
        toolbar.insertWidget(before, box)
        toolbar.insertSeparator(before)
        self._typed = False  # the user typed in the box since it last applied or showed
        box.valueChanged.connect(self._stepped)
        box.lineEdit().textEdited.connect(self._text_edited)
        box.editingFinished.connect(self._typing_done)
        scene.selectionChanged.connect(self.refresh)
        controller.items_changed.connect(self.refresh)
        self.refresh()

    def _texts(self) -> list[BoardItem]:
        # The scene is deleted before this object when the editor goes, and says so.
        if not shiboken6.isValid(self._scene) or self._controller.board is None:
            return []
        return [i for i in self._controller.selected() if i.kind is BoardItemKind.TEXT]

    def refresh(self) -> None:
        """Show the selected labels' size (undo and redo change it too)."""
        texts = self._texts()
        box = self.size_box
        box.setEnabled(bool(texts))
        if texts:
            box.blockSignals(True)  # showing a size is not choosing one
            box.setValue(round(texts[0].font_size))
            box.blockSignals(False)
            mixed = len({i.font_size for i in texts}) > 1
            box.setToolTip(
                self.tr("Text size of the selected labels, in board pixels")
                + (self.tr(" (they differ: the lowest label's is shown)") if mixed else "")
            )

    def _text_edited(self, _text: str) -> None:
        self._typed = True

    def _stepped(self, value: int) -> None:
        if self.size_box.stepping:  # arrows, wheel, Up/Down: one undo step per run
            self._apply(value, run=SIZE_RUN)

    def _typing_done(self) -> None:
        """Enter or leaving the box: a typed size applies, even the one shown (all labels
        of a mixed selection take it); leaving without typing changes nothing."""
        if self._typed:
            self._typed = False
            self._apply(self.size_box.value(), run=None)

    def _apply(self, value: int, *, run: str | None) -> None:
        texts = self._texts()
        if texts and any(i.font_size != value for i in texts):
            self._edits.set_text_style(font_size=float(value), run=run)

    def choose_colour(self) -> None:
        """The colour dialog for the selected labels (starting at the lowest one's colour)."""
        texts = self._texts()
        if not texts:
            return
        dialog = QColorDialog(QColor(texts[0].color), self._parent)
        dialog.setObjectName("boardTextColourDialog")
        dialog.setWindowTitle(self.tr("Text colour"))
        dialog.colorSelected.connect(lambda c: self._edits.set_text_style(color=c.name()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def scale(self, factor: float) -> None:
        """Larger/Smaller text: every selected label by ``factor``, one undo step."""
        texts = self._texts()
        if texts:
            size = min(MAX_SIZE, max(MIN_SIZE, round(texts[0].font_size * factor, 1)))
            self._edits.set_text_style(font_size=size)
