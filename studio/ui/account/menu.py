"""The platform in the main window: the Account and Catalog menus and the status bar's parts.

Account: Sign in…, Account and devices…, Sign out. Catalog: Update from platform (Ctrl+Shift+U).
The status bar shows the connection - a button naming the account (or "Signed out",
"Offline", "Sign in again") that opens the sign-in or the account dialog - and, while the
catalog updates, a progress bar with the products applied so far and a Cancel button. The
menus exist from the start; the controller's service is made after the first paint
(``start``), so opening the keyring costs the start-up nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QProgressBar, QToolButton

from studio.system.paths import Paths
from studio.ui.account.controller import AccountController
from studio.ui.tasks import TaskManager

if TYPE_CHECKING:
    from studio.services.workspace import Stores
    from studio.sync.tokens import TokenStore
    from studio.ui.account.account_dialog import AccountDialog
    from studio.ui.account.sign_in import SignInDialog


class AccountMenu(QObject):
    """Builds the menus and status bar parts on ``window`` (see the module docstring)."""

    def __init__(
        self,
        window: QMainWindow,
        tasks: TaskManager,
        paths: Paths,
        stores: Callable[[], Stores | None],
        *,
        tokens: TokenStore | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self.controller = AccountController(tasks, paths, stores, self, tokens=tokens)
        self.sign_in_dialog: SignInDialog | None = None
        self.account_dialog: AccountDialog | None = None
        bar = window.menuBar()
        catalog = bar.addMenu(self.tr("&Catalog"))
        self.update_action = QAction(self.tr("Update from &platform"), window)
        self.update_action.setShortcut(QKeySequence(self.tr("Ctrl+Shift+U")))
        self.update_action.setStatusTip(self.tr("Download the platform's latest catalog"))
        self.update_action.triggered.connect(lambda: self.controller.update_catalog())
        catalog.addAction(self.update_action)
        account = bar.addMenu(self.tr("&Account"))
        self.sign_in_action = QAction(self.tr("&Sign in…"), window)
        self.sign_in_action.triggered.connect(self.sign_in)
        self.account_action = QAction(self.tr("&Account and devices…"), window)
        self.account_action.triggered.connect(self.show_account)
        self.sign_out_action = QAction(self.tr("Sign &out"), window)
        self.sign_out_action.triggered.connect(self.controller.sign_out)
        account.addActions([self.sign_in_action, self.account_action])
        account.addSeparator()
        account.addAction(self.sign_out_action)

        status = window.statusBar()
        self.progress_label = QLabel(window)
        self.progress = QProgressBar(window)
        self.progress.setRange(0, 0)  # busy: the number of pages is not known ahead
        self.progress.setMaximumWidth(120)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName(self.tr("Catalog update progress"))
        self.cancel_button = QToolButton(window)
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setAccessibleName(self.tr("Cancel the catalog update"))
        self.cancel_button.clicked.connect(self.controller.cancel_update)
        self.indicator = QToolButton(window)
        self.indicator.setAutoRaise(True)
        self.indicator.setAccessibleName(self.tr("Account"))
        self.indicator.clicked.connect(self._indicator_clicked)
        for widget in (self.progress_label, self.progress, self.cancel_button, self.indicator):
            status.addPermanentWidget(widget)
        self.progress_label.hide()
        self.progress.hide()
        self.cancel_button.hide()
        self._ticker = QTimer(self, interval=200)
        self._ticker.timeout.connect(self._tick)
        self.controller.state_changed.connect(self._show_state)
        self.controller.updating_changed.connect(self._show_updating)
        self.controller.message.connect(lambda text: status.showMessage(text, 10_000))
        self._show_state(self.controller.state)
        # A window closing stops an update after its page: the writer lane finishes its jobs
        # before the app exits, and a long download must not hold the exit up.
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Close:
            self.controller.cancel_update()
        return False

    def start(self) -> None:
        """After the first paint, once the stores are open: make the service (keyring)."""
        self.controller.start()

    # -- the connection --------------------------------------------------------------------

    def _show_state(self, state: str) -> None:
        signed_in = self.controller.signed_in
        who = self.controller.email
        text = {
            "signed_in": self.tr("Signed in: {who}").format(who=who),
            "offline": self.tr("Offline: {who}").format(who=who),
            "sign_in_again": self.tr("Sign in again"),
        }.get(state, self.tr("Signed out"))
        # Elided: a long address must not widen the window (every workspace fits 1366 px).
        self.indicator.setText(
            self.indicator.fontMetrics().elidedText(text, Qt.TextElideMode.ElideMiddle, 240)
        )
        self.indicator.setToolTip(
            self.tr("{state}: your account and devices").format(state=text)
            if signed_in
            else self.tr("Sign in to the Vitrine platform")
        )
        self.sign_in_action.setEnabled(not signed_in)
        self.account_action.setEnabled(signed_in)
        self.sign_out_action.setEnabled(signed_in)
        self.update_action.setEnabled(signed_in and not self.controller.updating)

    def _indicator_clicked(self) -> None:
        (self.show_account if self.controller.signed_in else self.sign_in)()

    def sign_in(self) -> None:
        from studio.ui.account.sign_in import SignInDialog

        if self.sign_in_dialog is not None:
            self.sign_in_dialog.raise_()
            return
        dialog = self.sign_in_dialog = SignInDialog(self.controller, self._window)
        dialog.finished.connect(self._sign_in_closed)
        dialog.open()

    def _sign_in_closed(self) -> None:
        if self.sign_in_dialog is not None:
            self.sign_in_dialog.deleteLater()
            self.sign_in_dialog = None

    def show_account(self) -> None:
        from studio.ui.account.account_dialog import AccountDialog

        if self.account_dialog is not None:
            self.account_dialog.raise_()
            return
        dialog = self.account_dialog = AccountDialog(self.controller, self._window)
        dialog.finished.connect(self._account_closed)
        dialog.open()

    def _account_closed(self) -> None:
        if self.account_dialog is not None:
            self.account_dialog.deleteLater()
            self.account_dialog = None

    # -- the catalog's update ---------------------------------------------------------------

    def _show_updating(self, updating: bool) -> None:
        self.progress.setVisible(updating)
        self.cancel_button.setVisible(updating)
        self.cancel_button.setEnabled(True)
        self.update_action.setEnabled(self.controller.signed_in and not updating)
        self.progress_label.setVisible(updating)
        if updating:
            self.progress_label.setText(self.tr("Updating the catalog…"))
            self._ticker.start()
        else:
            self._ticker.stop()

    def _tick(self) -> None:
        progress = self.controller.progress
        if progress is None:
            return
        if self.controller.cancelling:
            self.progress_label.setText(self.tr("Stopping after this page…"))
            self.cancel_button.setEnabled(False)
            return
        self.progress_label.setText(
            self.tr("Catalog: {count} products updated").format(count=f"{progress.changes:,}")
        )
