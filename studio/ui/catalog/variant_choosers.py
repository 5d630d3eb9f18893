"""The detail pane's colour and size choosers, and its row of product actions.

A product with variants (its item group: ``ProductDetail.choices``) shows a Colour and a Size
box set to the variant shown. Picking a value asks for the variant that has it and the other
value still chosen, else the closest one (the value just picked kept, in stock first); the
pane then shows that product, so tagging, shelving or reviewing from it takes the variant the
curator chose. Sizes the chosen colour does not come in are greyed out.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from studio.core.catalog import ProductDetail, VariantChoice, size_key
from studio.core.product import Availability
from studio.ui.catalog.actions import ProductActions

_GREYED = QColor("#80868f")


class VariantChoosers(QWidget):
    """Colour and size boxes of the product shown (hidden when it has no such variants)."""

    #: The product id of the variant the user chose.
    chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._detail: ProductDetail | None = None
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.colour_box = QComboBox(self)
        self.colour_box.setAccessibleName(self.tr("Colour"))
        self.size_box = QComboBox(self)
        self.size_box.setAccessibleName(self.tr("Size"))
        self.colour_label = QLabel(self.tr("&Colour"), self)
        self.colour_label.setBuddy(self.colour_box)
        self.size_label = QLabel(self.tr("Si&ze"), self)
        self.size_label.setBuddy(self.size_box)
        form.addRow(self.colour_label, self.colour_box)
        form.addRow(self.size_label, self.size_box)
        # Only the user's choice asks for a variant (activated), not filling the boxes.
        self.colour_box.activated.connect(lambda _i: self._choose("colour"))
        self.size_box.activated.connect(lambda _i: self._choose("size"))
        self.hide()

    def set_detail(self, detail: ProductDetail) -> None:
        """Fill the boxes from ``detail``'s item group, set to the product shown."""
        self._detail = detail
        choices = detail.choices
        mine = next((c for c in choices if c.id == detail.card.id), None)
        colours = list(dict.fromkeys(c.colour for c in choices if c.colour))
        sizes = sorted({c.size for c in choices if c.size}, key=size_key)
        any_shown = False
        for box, label, values, current in (
            (self.colour_box, self.colour_label, colours, mine.colour if mine else None),
            (self.size_box, self.size_label, sizes, mine.size if mine else None),
        ):
            box.clear()
            for value in values:
                box.addItem(value, value)
            box.setCurrentIndex(box.findData(current) if current else -1)
            shown = len(values) > 1
            box.setVisible(shown)
            label.setVisible(shown)
            any_shown = any_shown or shown
        self.setVisible(any_shown)
        self._mark_sizes(choices, mine.colour if mine else None)

    def _mark_sizes(self, choices: tuple[VariantChoice, ...], colour: str | None) -> None:
        offered = {c.size for c in choices if colour is None or c.colour == colour}
        model = self.size_box.model()
        for i in range(self.size_box.count()):
            available = self.size_box.itemData(i) in offered
            model.setData(
                model.index(i, 0), None if available else _GREYED, Qt.ItemDataRole.ForegroundRole
            )

    def _choose(self, changed: str) -> None:
        detail = self._detail
        if detail is None or not detail.choices:
            return
        colour = self.colour_box.currentData() if not self.colour_box.isHidden() else None
        size = self.size_box.currentData() if not self.size_box.isHidden() else None

        def score(c: VariantChoice) -> tuple[bool, bool, bool]:
            picked = c.colour == colour if changed == "colour" else c.size == size
            both = (colour is None or c.colour == colour) and (size is None or c.size == size)
            return (picked, both, c.availability is Availability.IN_STOCK)

        best = max(detail.choices, key=score)
        if best.id != detail.card.id:
            self.chosen.emit(best.id)


def add_action_buttons(
    grid: QGridLayout, parent: QWidget, actions: ProductActions, shown: Callable[[], list[int]]
) -> QToolButton:
    """Add to look, to shop (a menu of the shops), to board, write a review: buttons acting
    on ``shown()``, two by two (the pane is narrow); returns the shop button (its menu is
    filled as it opens)."""
    for place, text, name, tip in (
        ((0, 0), parent.tr("Add to look"), "looks", parent.tr("Tag it on the open look's photo")),
        ((1, 0), parent.tr("Add to board"), "boards", parent.tr("Place it on the open board")),
        ((1, 1), parent.tr("Write a review"), "reviews", parent.tr("Start a review of it")),
    ):
        button = QPushButton(text, parent)
        button.setToolTip(tip)
        button.clicked.connect(lambda _c=False, n=name: actions.to_workspace(n, shown()))
        grid.addWidget(button, *place)
    shop = QToolButton(parent)
    shop.setText(parent.tr("Add to shop"))
    shop.setAccessibleName(parent.tr("Add to shop"))
    shop.setToolTip(parent.tr("Shelve it in one of your shops"))
    shop.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    shop.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    menu = QMenu(shop)
    menu.aboutToShow.connect(lambda: actions.fill_shop_menu(menu, shown))
    shop.setMenu(menu)
    grid.addWidget(shop, 0, 1)
    return shop
