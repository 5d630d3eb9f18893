"""The shop's settings: handle, title, tagline, description, banner image and accent colour.

Typed text is saved on a short pause and when the field loses focus (one undo step per run
of typing in a field); the handle only when its field is left or Enter pressed, since a
half-typed handle may be too short or taken - a refusal shows the store's reason and the
field goes back to the stored handle. The banner is imported into the media library in a
worker (``MediaLibrary.import_file``: safe decoding, content-addressed); the accent colour is
picked with ``QColorDialog``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QFocusEvent, QPixmap
from PySide6.QtWidgets import (
    QColorDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.shops import Shop, normalise_handle
from studio.ui.tasks import TaskManager
from studio.ui.widgets.images import media_thumbnail
from studio.ui.widgets.photo_import import photo_filter

if TYPE_CHECKING:
    from studio.media.library import MediaLibrary, StoredMedia
    from studio.ui.shops.controller import ShopController

SAVE_AFTER_MS = 600


def _saved_as(typed: str, stored: str) -> bool:
    """Whether a handle typed is stored as ``stored`` (its normalised form)."""
    try:
        return normalise_handle(typed) == stored
    except ValueError:
        return False


class SettingsForm(QWidget):
    """Edits the open shop's fields through ``controller.update_shop``."""

    def __init__(
        self,
        tasks: TaskManager,
        controller: ShopController,
        media: MediaLibrary,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self.controller = controller
        self.media = media
        self.shop: Shop | None = None
        self._run = 0  # a new typing run per focus: each becomes one undo step
        self.handle = QLineEdit(self)
        self.title = QLineEdit(self)
        self.tagline = QLineEdit(self)
        self.description = QPlainTextEdit(self)
        self.description.setFixedHeight(90)
        self.banner = QLabel(self)
        self.banner.setFixedSize(220, 80)
        self.banner.setStyleSheet("background: palette(alternate-base); border-radius: 4px;")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner_button = QPushButton(self.tr("Choose…"), self)
        self.banner_button.setToolTip(self.tr("Choose a banner image"))
        self.banner_clear = QPushButton(self.tr("Remove"), self)
        self.banner_clear.setToolTip(self.tr("Remove the banner"))
        self.accent_button = QPushButton(self)
        self.accent_button.setAccessibleName(self.tr("Accent colour"))
        self.accent_button.setToolTip(self.tr("Choose the accent colour"))
        self.accent_button.setFixedWidth(90)
        for widget, name in (
            (self.handle, self.tr("Handle")),
            (self.title, self.tr("Title")),
            (self.tagline, self.tr("Tagline")),
            (self.description, self.tr("Description")),
        ):
            widget.setAccessibleName(name)
        outer = QVBoxLayout(self)
        form = QFormLayout()
        # Labels above their fields: the tab stays narrow enough for a 1366-pixel screen.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        outer.addLayout(form)
        outer.addStretch(1)
        form.addRow(self.tr("Title"), self.title)
        form.addRow(self.tr("Handle"), self.handle)
        form.addRow(self.tr("Tagline"), self.tagline)
        form.addRow(self.tr("Description"), self.description)
        banner_row = QHBoxLayout()
        banner_row.addWidget(self.banner_button)
        banner_row.addWidget(self.banner_clear)
        banner_row.addStretch(1)
        banner_box = QVBoxLayout()
        banner_box.addWidget(self.banner)
        banner_box.addLayout(banner_row)
        form.addRow(self.tr("Banner"), banner_box)
        form.addRow(self.tr("Accent"), self.accent_button)
        self._timer = QTimer(self, singleShot=True, interval=SAVE_AFTER_MS)
        self._timer.timeout.connect(self.flush)
        for edit in (self.title, self.tagline):
            edit.textEdited.connect(lambda _t: self._timer.start())
            edit.editingFinished.connect(self._field_left)
        self.description.textChanged.connect(self._description_changed)
        self.handle.editingFinished.connect(self._save_handle)
        self.banner_button.clicked.connect(self.choose_banner)
        self.banner_clear.clicked.connect(
            lambda: self._save({"banner_hash": None}, self.tr("Remove banner"))
        )
        self.accent_button.clicked.connect(self.choose_accent)
        self.busy = 0
        self.setEnabled(False)

    # -- showing -------------------------------------------------------------------------------

    def show_shop(self, shop: Shop | None) -> None:
        """Show the shop's fields (after opening, an edit, an undo, a change from elsewhere).
        A field of the same shop holding typed text not saved yet keeps it: the next save
        writes it over whatever changed meanwhile."""
        old, self.shop = self.shop, shop
        same = old is not None and shop is not None and old.id == shop.id
        self.setEnabled(shop is not None)
        pairs: list[tuple[QLineEdit, str]] = [
            (self.title, "title"),
            (self.handle, "handle"),
            (self.tagline, "tagline"),
        ]
        for edit, name in pairs:
            value = getattr(shop, name) if shop else ""
            saved = name == "handle" and _saved_as(edit.text(), value)
            if same and edit.text() != getattr(old, name) and not saved:
                continue  # being typed
            if edit.text() != value:
                edit.setText(value)
                if not edit.hasFocus():
                    edit.setCursorPosition(0)  # show a long text's start, not its end
        value = shop.description if shop else ""
        typing = same and self.description.toPlainText() != getattr(old, "description", "")
        if not typing and self.description.toPlainText() != value:
            self.description.blockSignals(True)
            self.description.setPlainText(value)
            self.description.blockSignals(False)
        if not same:
            self._timer.stop()  # typing in the shop shown before was saved on leaving it
        accent = shop.accent if shop else "#222222"
        self.accent_button.setText(accent)
        ink = "#000" if QColor(accent).lightness() > 150 else "#fff"
        self.accent_button.setStyleSheet(f"background: {accent}; color: {ink};")
        if not same or old is None or shop is None or old.banner_hash != shop.banner_hash:
            self._show_banner(shop.banner_hash if shop else None)

    def _show_banner(self, media_hash: str | None) -> None:
        self.banner.clear()
        self.banner.setText(self.tr("No banner") if media_hash is None else "")
        self.banner_clear.setEnabled(media_hash is not None)
        if media_hash is None:
            return
        media = self.media
        self._tasks.run(
            lambda: media_thumbnail(media, media_hash),
            lambda image: self.banner.setPixmap(
                QPixmap.fromImage(image).scaled(
                    self.banner.size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            ),
            channel="shop-banner",
        )

    # -- saving --------------------------------------------------------------------------------

    def _save(self, fields: Mapping[str, object], text: str, merge: object = None) -> None:
        self.controller.update_shop(fields, text, merge_key=merge)

    def _description_changed(self) -> None:
        self._timer.start()

    def flush(self) -> None:
        """Write the typed text now (a pause, leaving a field, leaving the page)."""
        self._timer.stop()
        shop = self.shop
        if shop is None:
            return
        fields = {
            k: v
            for k, v in (
                ("title", self.title.text()),
                ("tagline", self.tagline.text()),
                ("description", self.description.toPlainText()),
            )
            if getattr(shop, k) != v
        }
        if fields:
            self._save(fields, self.tr("Edit shop details"), ("text", self._run))

    def _field_left(self) -> None:
        self.flush()
        self._run += 1

    def _save_handle(self) -> None:
        shop = self.shop
        text = self.handle.text().strip()
        if shop is None or text == shop.handle:
            return

        def refused() -> None:  # the stored handle back in the field
            if self.shop is not None:
                self.handle.setText(self.shop.handle)

        self.controller.update_shop({"handle": text}, self.tr("Change handle"), on_refused=refused)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.flush()
        super().focusOutEvent(event)

    def choose_banner(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a banner image"),
            "",
            photo_filter(),
        )
        if path:
            self.import_banner(Path(path))

    def import_banner(self, path: Path, done: Callable[[], None] | None = None) -> None:
        """Import the image in a worker, then make it the banner (one undo step)."""
        media = self.media
        self.busy += 1
        self.banner.setText(self.tr("Importing…"))

        def imported(stored: StoredMedia) -> None:
            self.busy -= 1
            self._save({"banner_hash": stored.hash}, self.tr("Change banner"))
            if done is not None:
                done()

        def failed(exc: BaseException) -> None:
            self.busy -= 1
            self.controller.message.emit(
                self.tr("The banner could not be imported: {reason}").format(reason=exc), True
            )
            self._show_banner(self.shop.banner_hash if self.shop else None)

        self._tasks.run(lambda: media.import_file(path, derivatives=True), imported, failed)

    def choose_accent(self) -> None:
        shop = self.shop
        if shop is None:
            return
        colour = QColorDialog.getColor(QColor(shop.accent), self, self.tr("Accent colour"))
        if colour.isValid():
            self._save({"accent": colour.name()}, self.tr("Change accent colour"))
