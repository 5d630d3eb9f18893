"""The catalog's first-run page: nothing imported yet, so the demo catalog, File > Import
feed… and signing in to the platform (its catalog then arrives) are offered; the page's
buttons are wired by ``CatalogView``."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from studio.ui.widgets.colours import mute


class EmptyState(QWidget):
    """First run: nothing imported yet."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        title = QLabel(self.tr("Your catalog is empty"), self)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        text = QLabel(
            self.tr(
                "Import a merchant's product feed, sign in to get the Vitrine platform's "
                "catalog, or explore Vitrine Studio with a demo catalog of several merchants."
            ),
            self,
        )
        text.setWordWrap(True)
        mute(text)
        self.demo_button = QPushButton(self.tr("Load the demo catalog"), self)
        self.demo_button.setObjectName("catalog_demo")
        self.demo_button.setDefault(True)
        self.import_button = QPushButton(self.tr("Import a feed…"), self)
        self.import_button.setObjectName("catalog_import")
        self.sign_in_button = QPushButton(self.tr("Sign in to Vitrine…"), self)
        self.sign_in_button.setObjectName("catalog_sign_in")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.demo_button)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.sign_in_button)
        buttons.addStretch(1)
        for label in (title, text):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(label)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        layout.addStretch(3)
