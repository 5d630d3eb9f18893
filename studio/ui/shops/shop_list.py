"""The shop list: the curator's shops (or the trash), and the form that creates one.

A new shop needs a title and a handle - the last part of its web address. The handle field
suggests one from the title and shows the normalised form as it will be stored; a handle
that is taken or malformed is refused with the store's reason (the form keeps what was
typed). Summaries are read in a worker on a channel (the newest read wins): after the page
created, duplicated or restored a shop, and whenever a write from elsewhere (an import, an
archive, another page) touched a shop, the profile or the catalog (``TaskManager.changed``).
The page's own edits are shown from what the editor holds, without a read: the open shop's
counts (``show_counts``), its title (``show_shop``), a trashed shop's line (``drop_shop``).
Writes go through the controller so that create, duplicate, trash and restore are undoable
like every other edit.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.changes import Changes
from studio.core.shops import Shop, ShopSummary, normalise_handle
from studio.ui.tasks import TaskManager
from studio.ui.widgets.colours import mute
from studio.ui.widgets.id_list import ID_ROLE, current_id, id_item, refill

if TYPE_CHECKING:
    from studio.ui.shops.controller import ShopController


class ShopList(QWidget):
    """``shop_selected(id or "")`` when the current shop changes."""

    shop_selected = Signal(str)
    refreshed = Signal()

    def __init__(
        self, tasks: TaskManager, controller: ShopController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self.controller = controller
        self._want: str | None = None
        self.summaries: list[ShopSummary] = []
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Shops"))
        self.title = QLineEdit(self)
        self.title.setPlaceholderText(self.tr("My summer picks"))
        self.title.setAccessibleName(self.tr("New shop title"))
        self.handle = QLineEdit(self)
        self.handle.setPlaceholderText(self.tr("summer-picks"))
        self.handle.setAccessibleName(self.tr("New shop handle"))
        self.handle_hint = QLabel(self)
        mute(self.handle_hint)
        self.create_button = QPushButton(self.tr("Create shop"), self)
        self.create_button.setObjectName("shops_create")
        self.duplicate_button = QPushButton(self.tr("Duplicate"), self)
        self.duplicate_button.setObjectName("shops_duplicate")
        self.delete_button = QPushButton(self.tr("Trash"), self)
        self.delete_button.setObjectName("shops_delete")
        self.delete_button.setToolTip(self.tr("Move the shop to the trash"))
        self.restore_button = QPushButton(self.tr("Restore"), self)
        self.restore_button.setObjectName("shops_restore")
        self.trash_button = QPushButton(self.tr("Show trash"), self)
        self.trash_button.setObjectName("shops_trash")
        self.trash_button.setCheckable(True)
        self._handle_edited = False
        self._build()
        tasks.changed.connect(self._follow)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        heading = QLabel(self.tr("Shops"), self)
        heading.setStyleSheet("font-size: 15px; font-weight: 600;")
        layout.addWidget(heading)
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        for b in (
            self.duplicate_button,
            self.delete_button,
            self.restore_button,
            self.trash_button,
        ):
            row.addWidget(b)
        layout.addLayout(row)
        form = QFormLayout()
        form.addRow(self.tr("Title"), self.title)
        form.addRow(self.tr("Handle"), self.handle)
        layout.addWidget(QLabel(self.tr("New shop"), self))
        layout.addLayout(form)
        layout.addWidget(self.handle_hint)
        layout.addWidget(self.create_button)
        new = QAction(self.tr("New shop"), self)
        new.setShortcut(QKeySequence.StandardKey.New)
        new.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        new.triggered.connect(self.start_new)
        self.new_action = new
        self.create_button.clicked.connect(self.create_shop)
        self.title.returnPressed.connect(self.create_shop)
        self.handle.returnPressed.connect(self.create_shop)
        self.title.textEdited.connect(self._title_edited)
        self.handle.textEdited.connect(self._handle_typed)
        self.duplicate_button.clicked.connect(self.duplicate)
        self.delete_button.clicked.connect(self.trash)
        self.restore_button.clicked.connect(self.restore)
        self.trash_button.toggled.connect(lambda _on: self.refresh())
        self.list.currentItemChanged.connect(self._current_changed)
        self._update_buttons()

    # -- reading ----------------------------------------------------------------------------

    @property
    def trashed(self) -> bool:
        return self.trash_button.isChecked()

    def current_id(self) -> str | None:
        return current_id(self.list)

    def refresh(self, select: str | None = None) -> None:
        """Read the shops again (after the page's queued writes) and choose ``select``, else
        the one chosen now."""
        self._want = select or self.current_id()
        self._tasks.supersede("shop-list")  # a read under way may be from before those writes
        self.controller.when_written(self._read)

    def _read(self) -> None:
        shops, trashed = self.controller.shops, self.trashed
        self._tasks.run(
            lambda: shops.summaries(trashed=trashed),
            self._fill,
            lambda exc: self.controller.message.emit(str(exc), True),
            channel="shop-list",
            owner=self,
        )

    def _follow(self, changes: Changes, origin: object) -> None:
        """A write committed elsewhere: read the list again if it touched what it shows (the
        shops, their counts and health: the catalog and the profile's tier and ties)."""
        if self.controller.writes.own(origin):
            return
        if changes.touches("shop", "profile") or changes.catalog:
            self.refresh()

    def _text(self, s: ShopSummary) -> str:
        return (
            f"{s.title}\n{s.handle} · "
            + self.tr("%n products", "", s.item_count)
            + (" · " + self.tr("%n issues", "", s.health_issues) if s.health_issues else "")
        )

    def show_counts(
        self, shop_id: str, item_count: int, room_left: int, issues: int | None
    ) -> None:
        """The shop's counts as the editor has them, without a read (``issues`` None: as
        they were, not checked again yet)."""
        for n, old in enumerate(self.summaries or []):
            if old.id != shop_id:
                continue
            new = dataclasses.replace(
                old,
                item_count=item_count,
                room_left=room_left,
                health_issues=old.health_issues if issues is None else issues,
            )
            self.summaries[n] = new
            for row in range(self.list.count()):
                if self.list.item(row).data(ID_ROLE) == shop_id:
                    self.list.item(row).setText(self._text(new))
            return

    def show_shop(self, shop: Shop) -> None:
        """The shop's title or handle edited on this page: its line, without a read."""
        for n, old in enumerate(self.summaries):
            if old.id == shop.id and (old.title, old.handle) != (shop.title, shop.handle):
                self.summaries[n] = dataclasses.replace(old, title=shop.title, handle=shop.handle)
                self._want = self.current_id()
                self._fill(sorted(self.summaries, key=lambda s: (s.title.casefold(), s.id)))

    def drop_shop(self, shop_id: str, select: str) -> None:
        """The shop went to the trash from this page: its line goes now, ``select`` (or the
        first) is chosen."""
        if self.trashed:
            return
        self._want = select or None
        self._fill([s for s in self.summaries if s.id != shop_id])

    def _fill(self, summaries: list[ShopSummary]) -> None:
        self.summaries = summaries
        items = (id_item(self._text(s), s.id) for s in summaries)
        if refill(self.list, items, self._want):
            self._current_changed()
        self._update_buttons()
        self.refreshed.emit()

    def _current_changed(self, *_args: object) -> None:
        self._update_buttons()
        self.shop_selected.emit("" if self.trashed else (self.current_id() or ""))

    def _update_buttons(self) -> None:
        has = self.current_id() is not None
        self.duplicate_button.setEnabled(has and not self.trashed)
        self.delete_button.setEnabled(has and not self.trashed)
        self.restore_button.setVisible(self.trashed)
        self.restore_button.setEnabled(has and self.trashed)
        self.create_button.setEnabled(not self.trashed)

    # -- the new-shop form --------------------------------------------------------------------

    def start_new(self) -> None:
        """Ctrl+N: out of the trash, into the title field of the form."""
        if self.trashed:
            self.trash_button.setChecked(False)
        self.title.setFocus()
        self.title.selectAll()

    def _title_edited(self, text: str) -> None:
        if not self._handle_edited:
            try:
                self.handle.setText(normalise_handle(text))
            except ValueError:
                self.handle.setText("")
        self._show_hint()

    def _handle_typed(self, text: str) -> None:
        self._handle_edited = bool(text)
        self._show_hint()

    def _show_hint(self) -> None:
        text = self.handle.text()
        try:
            hint = self.tr("Address: …/{handle}").format(handle=normalise_handle(text))
        except ValueError as exc:
            hint = str(exc) if text else ""
        self.handle_hint.setText(hint)

    def create_shop(self) -> None:
        title = self.title.text().strip()
        handle = self.handle.text().strip() or title
        if not title:
            self.title.setFocus()
            self.handle_hint.setText(self.tr("A shop needs a title."))
            return
        self.controller.create_shop(handle, title, on_created=lambda _shop: self._created())

    def _created(self) -> None:
        for field in (self.title, self.handle):
            field.clear()
        self._handle_edited = False
        self.handle_hint.clear()

    # -- the list's edits ----------------------------------------------------------------------

    def duplicate(self) -> None:
        shop_id = self.current_id()
        if shop_id is not None and not self.trashed:
            self.controller.duplicate_shop(shop_id)

    def trash(self) -> None:
        shop_id = self.current_id()
        if shop_id is None or self.trashed:
            return
        row = self.list.currentRow()
        below = self.list.item(row + 1) or self.list.item(row - 1)
        self.controller.trash_shop(shop_id, str(below.data(ID_ROLE)) if below else "")

    def restore(self) -> None:
        shop_id = self.current_id()
        if shop_id is not None and self.trashed:
            self.trash_button.blockSignals(True)
            self.trash_button.setChecked(False)
            self.trash_button.blockSignals(False)
            self.controller.restore_shop(shop_id)
