"""The desktop's side of the platform: one ``AccountController`` per window.

It builds the ``PlatformService`` on a worker (opening the system keyring may wait on a
D-Bus service; never on the GUI thread), runs every call to the platform on a worker, and
keeps ``state`` - signed out, signed in, offline, sign in again - for the status bar and the
menu. The catalog's updates from the platform are catalog write jobs on the writer lane:
after a sign-in, on the Catalog menu's command, and every ``UPDATE_EVERY_MS`` while signed in;
one at a time, cancellable between pages (what was applied stays), followed like a feed
import by the job that re-links the curator's product references. A session that ended on
the server (revoked, signed out elsewhere) says "sign in again"; local work is never touched.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from studio.system.paths import Paths
from studio.ui.account.wording import describe
from studio.ui.tasks import TaskManager

if TYPE_CHECKING:
    from studio.services.platform import Account, PlatformService, UpdateProgress, UpdateReport
    from studio.services.workspace import Stores
    from studio.sync.models import SignedIn
    from studio.sync.tokens import TokenStore
    from studio.system.settings import PlatformSettings

log = logging.getLogger(__name__)
UPDATE_EVERY_MS = 30 * 60 * 1000  # the catalog's changes are asked for twice an hour


class AccountController(QObject):
    """Sign-in, the account and the catalog's updates for one window (module docstring)."""

    #: The connection's state changed: a ``ConnectionState`` value ("signed_in", ...).
    state_changed = Signal(str)
    #: Something to tell the user once (the keyring's absence, an update's outcome).
    message = Signal(str)
    #: An update started (True) or ended (False).
    updating_changed = Signal(bool)

    def __init__(
        self,
        tasks: TaskManager,
        paths: Paths,
        stores: Callable[[], Stores | None],
        parent: QObject | None = None,
        *,
        tokens: TokenStore | None = None,
        update_every_ms: int = UPDATE_EVERY_MS,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._paths = paths
        self._stores = stores
        self._tokens = tokens
        self.service: PlatformService | None = None
        self._waiting: list[Callable[[PlatformService], object]] = []
        self.state = "signed_out"
        # The remembered server and email (the sign-in form's, the status bar's), read by
        # ``start`` off this thread and kept by each sign-in.
        self.server = ""
        self.email = ""
        self.progress: UpdateProgress | None = None
        self._cancel = False
        self.last_report: UpdateReport | None = None
        self._timer = QTimer(self, interval=update_every_ms)
        self._timer.timeout.connect(lambda: self.update_catalog(auto=True))

    # -- the service (made once, on a worker) ----------------------------------------------

    def start(self) -> None:
        """Read the remembered account in the background; a studio signed in before then
        makes the service (the keyring is opened then) and updates the catalog. One never
        signed in waits for Sign in…"""
        self._tasks.run(self.settings, self._known, owner=self)

    def _known(self, known: PlatformSettings) -> None:
        self.server, self.email = known.server or "", known.email or ""
        self.state_changed.emit(self.state)  # the account's name, for the status bar
        if known.server is not None:
            self._with_service(lambda service: self._started(service))

    def _started(self, service: PlatformService) -> None:
        self._set_state(str(service.state))
        if self.signed_in:
            self._timer.start()
            self.update_catalog(auto=True)

    def _with_service(self, then: Callable[[PlatformService], object]) -> None:
        if self.service is not None:
            then(self.service)
            return
        self._waiting.append(then)
        if len(self._waiting) > 1:
            return  # being made
        paths, tokens = self._paths, self._tokens

        def make() -> PlatformService:
            from studio.services.platform import PlatformService

            return PlatformService(paths, tokens=tokens)

        self._tasks.run(make, self._made, self._failed_to_make, owner=self)

    def _made(self, service: PlatformService) -> None:
        self.service = service
        if service.tokens.notice:  # said once: the service is made once
            self.message.emit(
                self.tr(
                    "No system keyring: you stay signed in for this session only (nothing "
                    "is written to disk)."
                )
            )
        waiting, self._waiting = self._waiting, []
        for then in waiting:
            then(service)

    def _failed_to_make(self, exc: BaseException) -> None:
        self._waiting = []
        log.error("the platform client could not start: %s", exc)
        self.message.emit(self.tr("Signing in is not available: {why}").format(why=exc))

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)
        if state != "signed_in" and state != "offline":
            self._timer.stop()

    @property
    def signed_in(self) -> bool:
        return self.state in ("signed_in", "offline")

    def settings(self) -> PlatformSettings:
        """The remembered server, email and device (a file read: call it on a worker)."""
        from studio.system import settings

        return settings.load(self._paths.config)

    # -- calls to the platform (each on a worker) ------------------------------------------

    def call(
        self,
        fn: Callable[[PlatformService], Any],
        on_done: Callable[[Any], object] | None = None,
        on_error: Callable[[BaseException], object] | None = None,
    ) -> None:
        """Run ``fn(service)`` on a worker; the state follows how it ended."""

        def run(service: PlatformService) -> None:
            def done(value: Any) -> None:
                self._set_state(str(service.state))
                if on_done is not None:
                    on_done(value)

            def failed(exc: BaseException) -> None:
                self._set_state(str(service.state))
                if on_error is not None:
                    on_error(exc)
                else:
                    self.message.emit(describe(exc))

            self._tasks.run(lambda: fn(service), done, failed, owner=self)

        self._with_service(run)

    def sign_in(
        self,
        server: str,
        email: str,
        password: str,
        on_done: Callable[[SignedIn], object],
        on_error: Callable[[BaseException], object],
    ) -> None:
        def signed(result: SignedIn) -> None:
            self.server, self.email = server, email
            self.state_changed.emit(self.state)  # shown with the account's name now
            on_done(result)
            self.message.emit(
                self.tr("Signed in as @{handle}: the platform's catalog is on its way.").format(
                    handle=result.user.handle
                )
            )
            self._timer.start()
            self.update_catalog(auto=True)

        self.call(lambda s: s.sign_in(server, email, password), signed, on_error)

    def sign_out(self) -> None:
        self.cancel_update()

        def done(heard: bool) -> None:
            self.message.emit(
                self.tr("Signed out. Your looks, boards, shops and reviews stay here.")
                if heard
                else self.tr(
                    "Signed out here (the server could not be told: this device stays in "
                    "your account's list until you revoke it)."
                )
            )

        self.call(lambda s: s.sign_out(), done)

    def load_account(
        self, on_done: Callable[[Account], object], on_error: Callable[[BaseException], object]
    ) -> None:
        self.call(lambda s: s.account(), on_done, on_error)

    def revoke(
        self,
        device_id: str,
        on_done: Callable[[None], object],
        on_error: Callable[[BaseException], object],
    ) -> None:
        self.call(lambda s: s.revoke_device(device_id), on_done, on_error)

    # -- the catalog's updates -------------------------------------------------------------

    @property
    def updating(self) -> bool:
        return self.progress is not None

    @property
    def cancelling(self) -> bool:
        """Cancel was asked of the running update (it stops after the page it applies)."""
        return self.updating and self._cancel

    def update_catalog(self, *, auto: bool = False) -> None:
        """Download and apply the catalog's changes (one update at a time); ``auto``: a
        timer's or a sign-in's, which says nothing when there was nothing new."""
        stores = self._stores()
        if self.updating or stores is None or not self.signed_in:
            if not auto and not self.signed_in:
                self.message.emit(self.tr("Sign in to the platform first (Account > Sign in…)."))
            return
        self._with_service(lambda service: self._update(service, stores, auto))

    def _update(self, service: PlatformService, stores: Stores, auto: bool) -> None:
        from studio.services.platform import UpdateProgress

        if self.updating:
            return
        self.progress = progress = UpdateProgress()
        self._cancel = False
        self.updating_changed.emit(True)
        self._tasks.write(
            lambda: service.update_catalog(stores, progress, lambda: self._cancel),
            lambda report: self._updated(service, stores, report, auto),
            lambda exc: self._update_failed(service, exc),
            catalog=True,
            owner=self,
            origin=self,
        )

    def cancel_update(self) -> None:
        """Stop after the page being applied (what was applied is kept)."""
        self._cancel = True

    def _updated(
        self, service: PlatformService, stores: Stores, report: UpdateReport, auto: bool
    ) -> None:
        self.progress = None
        self.last_report = report
        self.updating_changed.emit(False)
        self._set_state(str(service.state))
        if report.upserts or report.unavailable:
            self._relink(stores)
        if report.cancelled:
            self.message.emit(self.tr("Catalog update stopped: what was downloaded is kept."))
        elif report.upserts or report.unavailable or not auto:
            self.message.emit(
                self.tr(
                    "Catalog updated from the platform: {changed} new or changed, {gone} no "
                    "longer sold."
                ).format(changed=f"{report.upserts:,}", gone=f"{report.unavailable:,}")
            )
        for merchant, count in report.held.items():
            self.message.emit(
                self.tr(
                    "“{merchant}” is a merchant you imported yourself: its {count} products "
                    "from the platform were left out."
                ).format(merchant=merchant, count=f"{count:,}")
            )

    def _update_failed(self, service: PlatformService, exc: BaseException) -> None:
        self.progress = None
        self.updating_changed.emit(False)
        self._set_state(str(service.state))
        log.info("catalog update failed: %s", exc)
        self.message.emit(self.tr("Catalog update failed: {why}").format(why=describe(exc)))

    def _relink(self, stores: Stores) -> None:
        from studio.services.feeds import relink_products

        self._tasks.write(
            lambda: relink_products(stores),
            on_error=lambda exc: log.error("re-linking after a catalog update failed: %s", exc),
            owner=self,
            origin=self,
        )
