"""The shelf tools of the shop editor (a mixin of ``ShopEditor``): buttons and shortcuts.

Shelves: add (Ctrl+Shift+N), rename (F2), move up and down (Ctrl+Up/Down), remove. Products
(the selection, Ctrl/Shift-click for several): remove (Delete), move to another shelf, replace
with the product chosen in the catalog picker, sort the shelf by price or by name. Delete on a
shelf header removes the shelf with its products; all of these are single undo steps.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QMenu, QPushButton, QToolButton, QWidget

from studio.core.shops import ShopItem

if TYPE_CHECKING:
    from studio.ui.shops.controller import ShopController
    from studio.ui.shops.decided_edits import SortBy
    from studio.ui.shops.view import ShelfView
    from studio.ui.widgets.catalog_picker import CatalogPicker


def _tr(text: str) -> str:
    return QCoreApplication.translate("ShopEditor", text)


class ShelfTools:
    """Needs the editor's ``controller``, ``view``, ``picker`` and ``selected_items``."""

    controller: ShopController
    view: ShelfView
    picker: CatalogPicker

    def selected_items(self) -> list[ShopItem]:
        raise NotImplementedError

    def _action(
        self,
        text: str,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None,
        slot: Callable[[], object],
        on: QWidget | None = None,
    ) -> QAction:
        widget: QWidget = on or self  # type: ignore[assignment]
        action = QAction(text, widget)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(
                Qt.ShortcutContext.WidgetShortcut
                if on is not None
                else Qt.ShortcutContext.WidgetWithChildrenShortcut
            )
        action.triggered.connect(slot)
        widget.addAction(action)
        return action

    def build_tools(self) -> tuple[QHBoxLayout, QHBoxLayout]:
        """The shelf's tools (a row above the shelves) and the chosen products' (a row below)."""
        widget: QWidget = self  # type: ignore[assignment]
        self.add_shelf_action = self._action(_tr("Add shelf"), "Ctrl+Shift+N", self.add_shelf)
        self.rename_action = self._action(_tr("Rename shelf"), "F2", self.rename_shelf)
        self.up_action = self._action(_tr("Move shelf up"), "Ctrl+Up", lambda: self.move_shelf(-1))
        self.down_action = self._action(
            _tr("Move shelf down"), "Ctrl+Down", lambda: self.move_shelf(1)
        )
        self.remove_shelf_action = self._action(_tr("Remove shelf"), None, self.remove_shelf)
        # On the shelves only: Delete in the note field deletes a character.
        self.delete_action = self._action(
            _tr("Remove"), QKeySequence.StandardKey.Delete, self.delete_selected, on=self.view
        )
        self.replace_action = self._action(
            _tr("Replace with the catalog's chosen product"), None, self.replace_selected
        )
        self.sort_price_action = self._action(
            _tr("Sort shelf by price"), None, lambda: self.sort_current("price")
        )
        self.sort_name_action = self._action(
            _tr("Sort shelf by name"), None, lambda: self.sort_current("name")
        )
        row = QHBoxLayout()
        for action, label in (
            (self.add_shelf_action, _tr("Add shelf")),
            (self.rename_action, _tr("Rename")),
            (self.remove_shelf_action, _tr("Remove shelf")),
        ):
            button = QPushButton(label, widget)
            button.setToolTip(
                action.text()
                + (f" ({action.shortcut().toString()})" if not action.shortcut().isEmpty() else "")
            )
            button.clicked.connect(action.trigger)
            row.addWidget(button)
        for action, arrow, name in (
            (self.up_action, "↑", _tr("Move shelf up")),
            (self.down_action, "↓", _tr("Move shelf down")),
        ):
            arrow_button = QToolButton(widget)
            arrow_button.setText(arrow)
            arrow_button.setAccessibleName(name)
            arrow_button.setToolTip(name + f" ({action.shortcut().toString()})")
            arrow_button.clicked.connect(action.trigger)
            row.addWidget(arrow_button)
        row.addStretch(1)
        self.sort_button = QToolButton(widget)
        self.sort_button.setText(_tr("Sort"))
        self.sort_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        sort_menu = QMenu(widget)
        sort_menu.addAction(self.sort_price_action)
        sort_menu.addAction(self.sort_name_action)
        self.sort_button.setMenu(sort_menu)
        self.move_button = QToolButton(widget)
        self.move_button.setText(_tr("Move to"))
        self.move_button.setToolTip(_tr("Move the chosen products to another shelf"))
        self.move_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.move_menu = QMenu(widget)
        self.move_menu.aboutToShow.connect(self._fill_move_menu)
        self.move_button.setMenu(self.move_menu)
        self.replace_button: QWidget = QPushButton(_tr("Replace"), widget)
        self.replace_button.setToolTip(self.replace_action.text())
        self.replace_button.clicked.connect(self.replace_action.trigger)
        self.remove_button = QPushButton(_tr("Remove"), widget)
        self.remove_button.setToolTip(_tr("Remove the chosen products (Delete)"))
        self.remove_button.clicked.connect(self.delete_action.trigger)
        row.addWidget(self.sort_button)
        items = QHBoxLayout()
        for w in (self.move_button, self.replace_button, self.remove_button):
            items.addWidget(w)
        return row, items

    def update_tools(self, items: list[ShopItem]) -> None:
        section = self.current_section()
        for action in (
            self.rename_action,
            self.up_action,
            self.down_action,
            self.remove_shelf_action,
            self.sort_price_action,
            self.sort_name_action,
        ):
            action.setEnabled(section is not None)
        self.sort_button.setEnabled(section is not None)
        for w in (self.move_button, self.replace_button, self.remove_button):
            w.setEnabled(bool(items))

    # -- shelves --------------------------------------------------------------------------------

    def current_section(self) -> str | None:
        section = self.controller.model.section_at(self.view.currentIndex().row())
        return None if section is None else str(section.id)

    def add_shelf(self) -> None:
        section = self.current_section()
        ids = [s.id for s in self.controller.model.sections]
        index = ids.index(section) + 1 if section in ids else None
        new_id = self.controller.add_section(_tr("New shelf"), index)
        if new_id is not None:
            view_index = self.controller.model.index(self.controller.model.section_row(new_id))
            self.view.setCurrentIndex(view_index)
            self.view.scrollTo(view_index)
            self.view.edit(view_index)

    def rename_shelf(self) -> None:
        section = self.current_section()
        if section is not None:
            index = self.controller.model.index(self.controller.model.section_row(section))
            self.view.setCurrentIndex(index)
            self.view.edit(index)

    def move_shelf(self, delta: int) -> None:
        section = self.current_section()
        if section is not None:
            self.controller.move_section(section, delta)
            self.view.setCurrentIndex(
                self.controller.model.index(self.controller.model.section_row(section))
            )

    def remove_shelf(self) -> None:
        section = self.current_section()
        if section is not None:
            self.controller.remove_section(section)

    def sort_current(self, by: SortBy) -> None:
        section = self.current_section()
        if section is not None:
            self.controller.sort_shelf(section, by)

    # -- products ---------------------------------------------------------------------------------

    def delete_selected(self) -> None:
        items = self.selected_items()
        if items:
            row = self.view.currentIndex().row()
            self.controller.remove_items_now([i.id for i in items])
            count = self.controller.model.rowCount()
            if count:
                self.view.setCurrentIndex(self.controller.model.index(min(row, count - 1)))
        elif self.controller.model.item_at(self.view.currentIndex().row()) is None:
            self.remove_shelf()

    def _fill_move_menu(self) -> None:
        self.move_menu.clear()
        for section in self.controller.model.sections:
            action = self.move_menu.addAction(section.title)
            action.setData(section.id)
            action.triggered.connect(partial(self.move_selected_to, str(section.id)))

    def move_selected_to(self, section_id: str) -> None:
        """The chosen products to the end of the shelf (one undo step)."""
        items = self.selected_items()
        if items:
            end = len(self.controller.model.items.get(section_id, []))
            self.controller.move_items(section_id, end, [i.id for i in items])

    def replace_selected(self) -> None:
        """Each chosen product's place goes to a product chosen in the catalog list, in
        order (a shop shows each product once, so one catalog product replaces one)."""
        items = self.selected_items()
        chosen = self.picker.selected_ids()
        if not items:
            return
        if len(chosen) < len(items):
            self.controller.message.emit(
                _tr(
                    "Choose {n} replacements in the catalog list first (one for each chosen "
                    "product)."
                ).format(n=len(items))
                if len(items) > 1
                else _tr("Choose the replacement in the catalog list first."),
                True,
            )
            return
        self.controller.replace_with_catalog([i.id for i in items], chosen[: len(items)])
