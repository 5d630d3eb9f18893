"""Account > Account and devices…: who is signed in, and every studio signed in to the account.

The account and its devices are asked of the server when the dialog opens (on a worker; the
list says "Loading…" meanwhile, and why it could not be read). Revoke signs the selected
device out on the server: a lost laptop loses its access at its next call; revoking this
device signs this studio out (asked first). Sign out revokes this device and keeps every
local look, board, shop and review.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.services.platform import Account
from studio.ui.account.controller import AccountController
from studio.ui.account.wording import describe
from studio.ui.widgets.colours import mute

ID_ROLE = Qt.ItemDataRole.UserRole


def when(stamp: str | None) -> str:
    """An ISO 8601 time as the user's locale shows a date and time ("" when unknown)."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return stamp
    return moment.strftime("%x %H:%M")


class AccountDialog(QDialog):
    """The signed-in account and its devices (see the module docstring)."""

    def __init__(self, controller: AccountController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.account: Account | None = None
        self.setWindowTitle(self.tr("Account and devices"))
        self.who = QLabel(self.tr("Loading…"), self)
        self.who.setWordWrap(True)
        self.who.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tier = QLabel(self)
        mute(self.tier)
        self.devices = QTreeWidget(self)
        self.devices.setAccessibleName(self.tr("Devices signed in to this account"))
        self.devices.setHeaderLabels(
            [self.tr("Device"), self.tr("Signed in"), self.tr("Last seen")]
        )
        self.devices.setRootIsDecorated(False)
        self.devices.itemSelectionChanged.connect(self._selection_changed)
        self.revoke_button = QPushButton(self.tr("Revoke"), self)
        self.revoke_button.setToolTip(self.tr("Sign the selected device out of this account"))
        self.revoke_button.setEnabled(False)
        self.revoke_button.clicked.connect(self.revoke_selected)
        self.sign_out_button = QPushButton(self.tr("Sign out"), self)
        self.sign_out_button.setToolTip(self.tr("Sign this studio out; your work stays here"))
        self.sign_out_button.clicked.connect(self.sign_out)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.revoke_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.sign_out_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.who)
        layout.addWidget(self.tier)
        layout.addWidget(self.devices, 1)
        layout.addWidget(buttons)
        self.resize(560, 360)
        self.refresh()

    def refresh(self) -> None:
        self.controller.load_account(self.show_account, self._failed)

    def show_account(self, account: Account) -> None:
        self.account = account
        user = account.user
        self.who.setText(
            self.tr("{name} (@{handle}) · {email} · on {server}").format(
                name=user.display_name, handle=user.handle, email=user.email, server=account.server
            )
        )
        tier = self.tr("Full tier") if user.tier == "full" else self.tr("Starter tier")
        self.tier.setText(self.tr("{tier} · {role}").format(tier=tier, role=user.role))
        self.devices.clear()
        for device in account.devices:
            name = device.name
            if device.current:
                name = self.tr("{name} (this studio)").format(name=name)
            item = QTreeWidgetItem([name, when(device.created_at), when(device.last_seen_at)])
            item.setData(0, ID_ROLE, device.id)
            self.devices.addTopLevelItem(item)
        for column in range(3):
            self.devices.resizeColumnToContents(column)
        self._selection_changed()

    def _failed(self, exc: BaseException) -> None:
        self.who.setText(describe(exc))
        self.devices.clear()
        self._selection_changed()

    def _selected(self) -> tuple[str, bool] | None:
        items = self.devices.selectedItems()
        if not items or self.account is None:
            return None
        device_id = str(items[0].data(0, ID_ROLE))
        current = any(d.id == device_id and d.current for d in self.account.devices)
        return device_id, current

    def _selection_changed(self) -> None:
        self.revoke_button.setEnabled(self._selected() is not None)

    def revoke_selected(self) -> None:
        chosen = self._selected()
        if chosen is None:
            return
        device_id, current = chosen
        if current:
            answer = QMessageBox.question(
                self,
                self.tr("Revoke this studio?"),
                self.tr(
                    "This studio will be signed out. Your looks, boards, shops and reviews "
                    "stay on this computer."
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.revoke_button.setEnabled(False)
        self.controller.revoke(
            device_id,
            lambda _none: self.reject() if current else self.refresh(),
            self._failed,
        )

    def sign_out(self) -> None:
        self.controller.sign_out()
        self.accept()
