"""Account > Sign in…: the server's address, the email and the password.

The address and the email are remembered (the studio's settings); the password never is. The
sign-in runs on a worker; meanwhile the form is locked and says so. Each failure is said in
the dialog in its own words (``wording``): a wrong password, an unreachable server, too many
attempts with the wait, an address not safe for a password, a certificate that cannot be
verified; the password box is emptied only after a wrong password.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from studio.sync.errors import WrongCredentials
from studio.ui.account.controller import AccountController
from studio.ui.account.wording import describe
from studio.ui.widgets.colours import error_text, mute

DEFAULT_SERVER = "http://127.0.0.1:8750"


class SignInDialog(QDialog):
    """Signs in through ``controller``; accepted once signed in."""

    def __init__(self, controller: AccountController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle(self.tr("Sign in to Vitrine"))
        self.server = QLineEdit(controller.server or DEFAULT_SERVER, self)
        self.server.setAccessibleName(self.tr("Server address"))
        self.email = QLineEdit(controller.email, self)
        self.email.setAccessibleName(self.tr("Email"))
        self.email.setPlaceholderText(self.tr("you@example.com"))
        self.password = QLineEdit(self)
        self.password.setAccessibleName(self.tr("Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        intro = QLabel(
            self.tr(
                "Sign in to get the platform's catalog and, soon, to sync your work. Your "
                "looks, boards, shops and reviews stay on this computer either way."
            ),
            self,
        )
        intro.setWordWrap(True)
        mute(intro)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Sign-in message"))
        error_text(self.status)
        self.status.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.sign_in_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_in_button.setText(self.tr("Sign in"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Server"), self.server)
        form.addRow(self.tr("Email"), self.email)
        form.addRow(self.tr("Password"), self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        for box in (self.server, self.email, self.password):
            box.textChanged.connect(self._update_button)
        (self.password if controller.email else self.email).setFocus()
        self._update_button()

    def _update_button(self) -> None:
        filled = all(b.text().strip() for b in (self.server, self.email)) and self.password.text()
        self.sign_in_button.setEnabled(bool(filled) and self.server.isEnabled())

    def _lock(self, busy: bool) -> None:
        for widget in (self.server, self.email, self.password):
            widget.setEnabled(not busy)
        self.sign_in_button.setText(self.tr("Signing in…") if busy else self.tr("Sign in"))
        if busy:
            self.sign_in_button.setEnabled(False)
            self._say("")
        else:
            self._update_button()

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def submit(self) -> None:
        if not self.sign_in_button.isEnabled():
            return
        self._lock(True)
        self.controller.sign_in(
            self.server.text().strip(),
            self.email.text().strip(),
            self.password.text(),
            lambda _signed: self._signed_in(),
            self._failed,
        )

    def _signed_in(self) -> None:
        self.password.clear()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._lock(False)
        self._say(describe(exc))
        if isinstance(exc, WrongCredentials):
            self.password.clear()
            self.password.setFocus()
