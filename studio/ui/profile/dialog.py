"""The profile dialog: who the curator is, and the brands they are tied to.

Display name, bio and avatar (imported through the media pipeline in a worker, its thumbnail
shown), the tier the platform granted (read-only: only the platform raises it), and the
declared affiliations (brand, category path, makes / represents / paid by) as a table with
add and remove. Nothing is written until Save, which queues the profile and the whole
affiliation list (``ProfileStore.save``, one transaction) on the writer lane - never on the
GUI thread - and closes the dialog once they are stored, emitting ``changed``; Cancel
discards. A row the domain refuses (no brand, no category) is named in the dialog's error
line before anything is queued; a refusal of the store is named there too, the dialog stays
open with what was typed, and nothing is saved. The pages that show what the profile decides
(conflicts, disclosures, the shop's limit) hear the write's ``Changes`` on
``TaskManager.changed``: nobody is told by hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.core.profile import Affiliation, Relationship, Tier
from studio.ui.tasks import TaskManager
from studio.ui.widgets.colours import error_text, mute
from studio.ui.widgets.images import media_thumbnail
from studio.ui.widgets.photo_import import photo_filter
from studio.ui.widgets.writes import reason_of

if TYPE_CHECKING:
    from studio.media.library import MediaLibrary
    from studio.store.profile import ProfileStore

AVATAR_PX = 96
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class ProfileDialog(QDialog):
    """Edit the profile and affiliations; ``changed`` after Save wrote them."""

    changed = Signal()

    def __init__(
        self,
        tasks: TaskManager,
        profile: ProfileStore,
        media: MediaLibrary,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Profile and affiliations"))
        self.setObjectName("profileDialog")
        self.resize(640, 620)
        self._tasks = tasks
        self._profile = profile
        self._media = media
        stored = profile.get()
        self.avatar_hash: str | None = stored.avatar_hash
        self.importing = False
        self.saving = False  # Save was pressed: the write is queued
        self.display_name = QLineEdit(stored.display_name, self)
        self.display_name.setAccessibleName(self.tr("Display name"))
        self.bio = QPlainTextEdit(stored.bio, self)
        self.bio.setAccessibleName(self.tr("Bio"))
        self.bio.setMaximumHeight(90)
        self.avatar = QLabel(self)
        self.avatar.setFixedSize(AVATAR_PX, AVATAR_PX)
        self.avatar.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.avatar.setAccessibleName(self.tr("Avatar"))
        self.avatar.setStyleSheet(
            "background: palette(alternate-base); border: 1px solid palette(mid);"
        )
        mute(self.avatar)
        self.avatar_button = QPushButton(self.tr("Choose…"), self)
        self.avatar_button.clicked.connect(self.choose_avatar)
        self.avatar_remove = QPushButton(self.tr("Remove"), self)
        self.avatar_remove.setAccessibleName(self.tr("Remove the avatar"))
        self.avatar_remove.clicked.connect(lambda: self._set_avatar(None))
        avatar_row = QHBoxLayout()
        avatar_row.addWidget(self.avatar)
        avatar_buttons = QVBoxLayout()
        avatar_buttons.addWidget(self.avatar_button)
        avatar_buttons.addWidget(self.avatar_remove)
        avatar_buttons.addStretch(1)
        avatar_row.addLayout(avatar_buttons)
        avatar_row.addStretch(1)
        tier = (
            self.tr(
                "Starter: one trial shop of up to 30 products. The platform grants the full "
                "tier after more than five approved orders."
            )
            if stored.tier is Tier.STARTER
            else self.tr(
                "Full: any number of shops of up to 10,000 products, granted by the platform."
            )
        )
        self.tier = QLabel(tier, self)
        self.tier.setWordWrap(True)
        self.tier.setToolTip(self.tr("Only the platform changes your tier; no edit here can."))
        self.tier.setAccessibleName(self.tr("Tier"))
        mute(self.tier)
        form = QFormLayout()
        form.addRow(self.tr("Display name"), self.display_name)
        form.addRow(self.tr("Bio"), self.bio)
        form.addRow(self.tr("Avatar"), avatar_row)
        form.addRow(self.tr("Tier"), self.tier)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        error_text(self.error)
        self.error.setAccessibleName(self.tr("Error"))
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self._affiliations_box(profile.affiliations()), 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._set_avatar(self.avatar_hash)

    def _affiliations_box(self, affiliations: list[Affiliation]) -> QGroupBox:
        box = QGroupBox(self.tr("Brands you make, represent or are paid by"), self)
        note = QLabel(
            self.tr(
                "Tags, shop items and reviews of a competing brand in the same category are "
                "refused, and what you placed before declaring a tie is flagged by the checks; "
                "your own brand is labelled, and a brand that pays you is named in disclosures."
            ),
            box,
        )
        note.setWordWrap(True)
        mute(note)
        self.new_brand = QLineEdit(box)
        self.new_brand.setPlaceholderText(self.tr("Brand"))
        self.new_brand.setAccessibleName(self.tr("New affiliation's brand"))
        self.new_category = QLineEdit(box)
        self.new_category.setPlaceholderText(self.tr("Category, e.g. Footwear > Sneakers"))
        self.new_category.setAccessibleName(self.tr("New affiliation's category"))
        self.new_relationship = self._relationship_combo(Relationship.MAKES, box)
        self.new_relationship.setAccessibleName(self.tr("New affiliation's relationship"))
        self.add_button = QPushButton(self.tr("Add"), box)
        self.add_button.setToolTip(self.tr("Add the affiliation to the table"))
        self.add_button.clicked.connect(self.add_from_fields)
        self.new_category.returnPressed.connect(self.add_from_fields)
        adding = QHBoxLayout()
        adding.addWidget(self.new_brand, 2)
        adding.addWidget(self.new_category, 3)
        adding.addWidget(self.new_relationship, 1)
        adding.addWidget(self.add_button)
        self.table = QTableWidget(0, 3, box)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Brand"), self.tr("Category"), self.tr("Relationship")]
        )
        self.table.setAccessibleName(self.tr("Affiliations"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(2, 150)  # the cell's combo is not measured by ResizeToContents
        for aff in affiliations:
            self._add_row(aff.brand, aff.category, aff.relationship, aff.id)
        self.remove_button = QPushButton(self.tr("Remove selected"), box)
        self.remove_button.clicked.connect(self.remove_selected)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.remove_selected)
        layout = QVBoxLayout(box)
        layout.addWidget(note)
        layout.addLayout(adding)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignRight)
        return box

    def _relationship_combo(self, value: Relationship, parent: QWidget) -> QComboBox:
        combo = QComboBox(parent)
        for rel, text in (
            (Relationship.MAKES, self.tr("I make it")),
            (Relationship.REPRESENTS, self.tr("I represent it")),
            (Relationship.PAID_BY, self.tr("It pays me")),
        ):
            combo.addItem(text, rel.value)
        combo.setCurrentIndex(combo.findData(value.value))
        return combo

    # -- affiliations -----------------------------------------------------------------------

    def _add_row(
        self, brand: str, category: str, relationship: Relationship, aff_id: str = ""
    ) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        item = QTableWidgetItem(brand)
        item.setData(ID_ROLE, aff_id)
        self.table.setItem(row, 0, item)
        self.table.setItem(row, 1, QTableWidgetItem(category))
        combo = self._relationship_combo(relationship, self.table)
        combo.setAccessibleName(self.tr("Relationship"))
        self.table.setCellWidget(row, 2, combo)

    def add_from_fields(self) -> None:
        """Add the affiliation typed above the table (checked as the store will check it)."""
        try:
            aff = Affiliation.make(
                self.new_brand.text(),
                self.new_category.text(),
                str(self.new_relationship.currentData()),
            )
        except ValueError as exc:
            self._fail(str(exc))
            return
        self.error.hide()
        self._add_row(aff.brand, aff.category, aff.relationship)
        self.new_brand.clear()
        self.new_category.clear()
        self.new_brand.setFocus()

    def remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)

    def affiliations(self) -> list[Affiliation]:
        """The table's rows as checked affiliations (ValueError names the first bad one)."""
        out = []
        for row in range(self.table.rowCount()):
            brand, category = self.table.item(row, 0), self.table.item(row, 1)
            combo = self.table.cellWidget(row, 2)
            assert isinstance(combo, QComboBox)
            out.append(
                Affiliation.make(
                    brand.text() if brand else "",
                    category.text() if category else "",
                    str(combo.currentData()),
                    str(brand.data(ID_ROLE) or "") if brand else "",
                )
            )
        return out

    # -- avatar -----------------------------------------------------------------------------

    def choose_avatar(self) -> None:
        path, _f = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose an avatar"),
            "",
            photo_filter(),
        )
        if path:
            self.import_avatar(Path(path))

    def import_avatar(self, path: Path) -> None:
        """Import ``path`` through the media pipeline (a worker), then show it."""
        media = self._media
        self.importing = True
        self.avatar_button.setEnabled(False)
        self.avatar.setText(self.tr("Importing…"))
        self._tasks.run(
            lambda: media.import_file(path, derivatives=True).hash,
            self._imported,
            self._import_failed,
            lane="long",
        )

    def _imported(self, media_hash: str) -> None:
        self.importing = False
        self.avatar_button.setEnabled(True)
        self.error.hide()
        self._set_avatar(media_hash)

    def _import_failed(self, exc: BaseException) -> None:
        self.importing = False
        self.avatar_button.setEnabled(True)
        self._set_avatar(self.avatar_hash)
        self._fail(
            self.tr("The avatar was not changed: {reason}").format(
                reason=getattr(exc, "reason", "") or exc
            )
        )

    def _set_avatar(self, media_hash: str | None) -> None:
        self.avatar_hash = media_hash
        self.avatar_remove.setEnabled(media_hash is not None)
        self.avatar.setPixmap(QPixmap())
        if media_hash is None:
            self.avatar.setText(self.tr("No avatar"))
            return
        self.avatar.setText(self.tr("Loading…"))
        self._tasks.run(
            lambda: media_thumbnail(self._media, media_hash),
            lambda image: self._show_avatar(media_hash, image),
            lambda _exc: self.avatar.setText(self.tr("Not readable")),
            lane="images",
        )

    def _show_avatar(self, media_hash: str, image: QImage) -> None:
        if media_hash == self.avatar_hash:
            self.avatar.setPixmap(
                QPixmap.fromImage(image).scaled(
                    AVATAR_PX,
                    AVATAR_PX,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )

    @property
    def avatar_shown(self) -> bool:
        pixmap = self.avatar.pixmap()
        return pixmap is not None and not pixmap.isNull()

    # -- saving -----------------------------------------------------------------------------

    def _fail(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def save(self) -> None:
        """Queue the profile and the affiliations' write, then close once stored; errors
        keep the dialog open with what was typed."""
        if self.saving:
            return
        try:
            affiliations = self.affiliations()
        except ValueError as exc:
            self._fail(self.tr("Not saved: {reason}").format(reason=exc))
            return
        profile, fields = (
            self._profile,
            {
                "display_name": self.display_name.text().strip(),
                "bio": self.bio.toPlainText(),
                "avatar_hash": self.avatar_hash,
            },
        )
        self.saving = True
        self.save_button.setEnabled(False)
        self._tasks.write(
            lambda: profile.save(affiliations, **fields),
            self._saved,
            self._not_saved,
            owner=self,
            origin=self,
        )

    def _saved(self, _profile: object) -> None:
        self.saving = False
        self.changed.emit()
        self.accept()

    def _not_saved(self, exc: BaseException) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        self._fail(self.tr("Not saved: {reason}").format(reason=reason_of(exc)))
