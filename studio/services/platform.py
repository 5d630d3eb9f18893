"""The studio signed in to the platform: what the desktop and the command line both call.

``PlatformService`` is built once per program by its composition root over the workspace's
``Paths``; it knows the account from the settings (``studio.system.settings``: server, email,
this device), the tokens from the keyring (``studio.sync.tokens``) and talks through
``studio.sync.client.PlatformClient``. Every method may block on the network: the desktop
calls them on a worker, never on the GUI thread. ``state`` says how the connection stands
after the last call (signed out, signed in, offline, sign in again), for a status bar.

``update_catalog`` is a catalog write job (the writer lane's catalog queue in the desktop, in
place in the command line): it downloads the catalog's changes page by page after the
stored cursor and applies each page, with its cursor, in one transaction
(``studio.store.platform_apply``). Progress is reported per page, a cancel is honoured
between pages (what was applied stays, its cursor with it) and a killed update resumes after
the last page applied. It reports ``Changes`` with ``catalog`` set, like a feed import.

Signing out or being revoked only forgets tokens: the curator's local work is never touched.
"""

from __future__ import annotations

import logging
import platform
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from studio.core.changes import CATALOG_CHANGED
from studio.sync.errors import NotSignedIn, Offline, ServerError, SignInAgain
from studio.system import settings as stored_settings
from studio.system.paths import Paths
from studio.system.settings import PlatformSettings

if TYPE_CHECKING:
    from studio.protocol.catalog_wire import ChangesPage
    from studio.services.workspace import Stores
    from studio.sync.client import PlatformClient
    from studio.sync.models import Device, SignedIn, User
    from studio.sync.tokens import TokenStore

log = logging.getLogger(__name__)
T = TypeVar("T")


class ConnectionState(StrEnum):
    SIGNED_OUT = "signed_out"
    SIGNED_IN = "signed_in"
    OFFLINE = "offline"  # signed in, but the last call could not reach the server
    SIGN_IN_AGAIN = "sign_in_again"  # the session ended on the server; tokens cleared


@dataclass(frozen=True, slots=True)
class Account:
    """The signed-in account and its devices (the current one flagged)."""

    server: str
    user: User
    devices: tuple[Device, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "server": self.server,
            "user": self.user.as_dict(),
            "devices": [d.as_dict() for d in self.devices],
        }


class UpdateProgress:
    """Written by the update job, read by whoever shows it (plain attribute writes): a window
    polls it; a terminal overrides ``tick``, called after each page applied."""

    def __init__(self) -> None:
        self.pages = 0
        self.changes = 0  # changes applied so far (products written, unchanged or gone)
        self.cursor = 0
        self.more = True

    def tick(self) -> None:
        """Called on the job's thread after each page."""


@dataclass(slots=True)
class UpdateReport:
    """What an update applied in all; ``cancelled``: it stopped between two pages."""

    cursor: int = 0
    upserts: int = 0
    unchanged: int = 0
    unavailable: int = 0
    pages: int = 0
    held: dict[str, int] = field(default_factory=dict)
    cancelled: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "upserts": self.upserts,
            "unavailable": self.unavailable,
            "cursor": self.cursor,
            "unchanged": self.unchanged,
            "pages": self.pages,
            "held": dict(self.held),
            "cancelled": self.cancelled,
        }


def fetch_ahead(fetch: Callable[[], T]) -> Future[T]:
    """``fetch()`` run on a daemon thread of its own, its result (or error) in the Future.

    Nobody has to wait for it: an update that stops (cancelled, failed) leaves a fetch in
    flight to end on its own, within the transport's timeouts, and a program may exit
    meanwhile. A window closing never waits for a server that does not answer."""
    future: Future[T] = Future()

    def run() -> None:
        future.set_running_or_notify_cancel()
        try:
            future.set_result(fetch())
        except BaseException as exc:  # handed to whoever asks for the page
            future.set_exception(exc)

    threading.Thread(target=run, name="catalog-fetch", daemon=True).start()
    return future


def default_device_name() -> str:
    return f"Vitrine Studio on {platform.node() or 'this computer'}"


class PlatformService:
    """Sign-in, the account, its devices and the catalog update (see the module docstring).

    Build it on a worker too: finding the keyring backend and reading it (a locked keychain
    may ask for its password) can take a while."""

    def __init__(
        self,
        paths: Paths,
        *,
        tokens: TokenStore | None = None,
        on_notice: Callable[[str], None] | None = None,
        page_limit: int | None = None,
    ) -> None:
        from studio.sync.tokens import TokenStore

        self.paths = paths
        self.tokens = tokens or TokenStore(on_notice=on_notice)
        self.page_limit = page_limit
        self._client: PlatformClient | None = None
        self.state = ConnectionState.SIGNED_IN if self._held() else ConnectionState.SIGNED_OUT

    # -- what is known locally -------------------------------------------------------------

    @property
    def settings(self) -> PlatformSettings:
        return stored_settings.load(self.paths.config)

    def _save(self, settings: PlatformSettings) -> None:
        stored_settings.save(self.paths.config, settings)

    def _held(self) -> bool:
        server = self.settings.server
        return server is not None and self.tokens.get(server) is not None

    def client(self) -> PlatformClient:
        """The client of the remembered server; NotSignedIn when there is none."""
        server = self.settings.server
        if server is None:
            raise NotSignedIn("not signed in: run `studio login --server URL --email E` first")
        if self.tokens.in_memory and self.tokens.get(server) is None:
            raise NotSignedIn(
                f"not signed in to {server}: without a system keyring a sign-in lasts only "
                "as long as the program that made it"
            )
        if self._client is None or self._client.base != server:
            from studio.sync.client import PlatformClient

            self._client = PlatformClient(server, self.tokens)
        return self._client

    def _track(self, call: Callable[[], T]) -> T:
        """Run a network call, keeping ``state`` in step with how it ended."""
        try:
            value = call()
        except SignInAgain:
            self.state = ConnectionState.SIGN_IN_AGAIN
            raise
        except NotSignedIn:
            self.state = ConnectionState.SIGNED_OUT
            raise
        except Offline:
            # Offline is a signed-in studio's state; a sign-in that could not reach the
            # server leaves a signed-out one signed out.
            self.state = ConnectionState.OFFLINE if self._held() else ConnectionState.SIGNED_OUT
            raise
        self.state = ConnectionState.SIGNED_IN if self._held() else ConnectionState.SIGNED_OUT
        return value

    # -- sessions --------------------------------------------------------------------------

    def sign_in(
        self, server: str, email: str, password: str, device_name: str | None = None
    ) -> SignedIn:
        """Sign in as a new device of ``email`` on ``server`` (remembered in the settings).
        WrongCredentials, RateLimited, Offline, TlsFailure, InsecureServer... on failure."""
        from studio.sync.client import PlatformClient

        client = PlatformClient(server, self.tokens)
        name = device_name or default_device_name()
        signed = self._track(lambda: client.sign_in(email, password, name))
        old = self.settings
        if old.server is not None and old.server != client.base:
            self.tokens.clear(old.server)  # one account at a time: the other server's goes
        self._save(
            PlatformSettings(
                server=client.base,
                email=email,
                device_id=signed.device.id,
                device_name=signed.device.name,
                tier=signed.user.tier,
            )
        )
        self._client = client
        self.state = ConnectionState.SIGNED_IN
        return signed

    def sign_out(self) -> bool:
        """Revoke this device on the server and forget the tokens (kept: the server and email,
        to sign in again). True when the server heard it; local work is untouched."""
        if self.settings.server is None:
            return False
        heard = self._track(self.client().sign_out)
        self.state = ConnectionState.SIGNED_OUT
        return heard

    def account(self) -> Account:
        """The account and its devices, asked of the server; the tier is remembered."""
        client = self.client()

        def ask() -> Account:
            return Account(client.base, client.me(), tuple(client.devices()))

        account = self._track(ask)
        settings = self.settings
        if settings.tier != account.user.tier:
            self._save(settings.replace(tier=account.user.tier))
        return account

    def revoke_device(self, device_id: str) -> None:
        """Revoke one of the account's devices; revoking this one signs it out."""
        client = self.client()
        self._track(lambda: client.revoke_device(device_id))
        if device_id == self.settings.device_id:
            self.tokens.clear(client.base)
            self.state = ConnectionState.SIGNED_OUT

    # -- the catalog -----------------------------------------------------------------------

    def update_catalog(
        self,
        ws: Stores,
        progress: UpdateProgress | None = None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> UpdateReport:
        """Download and apply the catalog's changes (see the module docstring). A catalog
        write job; the caller re-links content references afterwards, as after a feed."""
        from studio.store import tx
        from studio.store.platform_apply import StaleCursor

        client = self.client()
        shown = progress or UpdateProgress()
        report = UpdateReport()
        after = report.cursor = ws.catalog.platform_cursor(client.base)
        shown.cursor = after
        limit = {} if self.page_limit is None else {"limit": self.page_limit}
        # The next page is fetched and decoded on a thread of its own while this one is
        # applied: the server builds it and the network carries it meanwhile (measured in
        # docs/benchmarks.md, "catalog delivery").
        ahead: tuple[int, Future[ChangesPage]] | None = None  # (after, its page)
        while True:
            if cancelled():
                report.cancelled = True
                break
            if ahead is not None and ahead[0] == after:
                page = self._track(ahead[1].result)
            else:  # the first page, or the store moved on since the fetch was sent
                page = self._track(partial(client.changes, after, **limit))
            ahead = None
            if page.more and page.cursor == after:
                raise ServerError(f"the server's catalog cursor does not move on from {after}")
            if page.more:
                ahead = (page.cursor, fetch_ahead(partial(client.changes, page.cursor, **limit)))
            try:
                applied = ws.catalog.apply_platform_page(client.base, after, page)
            except StaleCursor as exc:  # another process applied pages meanwhile
                log.info("%s; asking again after %d", exc, exc.stored)
                after = exc.stored
                continue
            tx.note(CATALOG_CHANGED)
            report.pages += 1
            report.upserts += applied.upserts
            report.unchanged += applied.unchanged
            report.unavailable += applied.unavailable
            for name, count in applied.held.items():
                report.held[name] = report.held.get(name, 0) + count
            after = report.cursor = applied.cursor
            shown.pages, shown.cursor, shown.more = report.pages, after, page.more
            shown.changes += applied.upserts + applied.unchanged + applied.unavailable
            shown.tick()
            if not page.more:
                break
        if report.upserts:
            _seed_shipped_pictures(self.paths)
        return report


def _seed_shipped_pictures(paths: Paths) -> None:
    """The demo platform (``make server``) names its products' pictures with the demo's URLs,
    which only the pictures this studio ships answer: seed them into the image cache, as
    loading the demo catalog does, so those products show their pictures (entries already
    there are kept; a real platform's products name other URLs and are not concerned)."""
    from studio.media.demo import demo_images
    from studio.media.product_images import seed_cache

    try:
        seed_cache(paths.image_cache, demo_images())
    except OSError as exc:  # no pictures shipped (a trimmed install), a full disk
        log.info("the demo's pictures were not seeded: %s", exc)
