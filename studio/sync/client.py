"""The platform API client: sign in and out, the account and its devices, the catalog's changes.

``PlatformClient`` speaks API v1 to one server through ``studio.sync.http.Transport`` and keeps
the device's tokens in a ``TokenStore``. Authenticated calls carry the access token; a 401
``unauthorized`` (the 15-minute token expired) refreshes the pair once and repeats the call.
A refresh answered ``token-reused`` or ``revoked`` (or ``unauthorized``: the refresh token
expired) means the session is over: the tokens are cleared and ``SignInAgain`` raised. Local
work is never touched here: a sign-out or a revoke only forgets tokens.

Refreshing is serialised: the refresh token rotates on every use, and two threads presenting
the same one would look like a replay to the server, which then revokes the device. A thread
that waited while another refreshed simply uses the new pair.
"""

from __future__ import annotations

import logging
import threading
from typing import Any
from urllib.parse import quote, urlsplit

from studio.protocol.catalog_wire import ChangesPage, WireError, page_from_wire
from studio.sync.errors import NotSignedIn, Offline, ServerError, SignInAgain
from studio.sync.http import Transport, is_loopback
from studio.sync.models import (
    Device,
    PlatformMerchant,
    SignedIn,
    User,
    devices_from,
    merchants_from,
    session_from,
    user_from,
)
from studio.sync.tokens import Tokens, TokenStore

log = logging.getLogger(__name__)

# Catalog pages: the server's maximum. 5,000 and 10,000 measured alike end to end (150,000
# products of a 1M catalog); 10,000 halves the requests and the store's commits.
PAGE_LIMIT = 10_000
# A server on this machine gets catalog pages uncompressed: gzip saves no network there, and
# compressing costs the server about half its CPU per page (level 5: ~110 ms per 10,000
# products) on the cores the studio is using (docs/benchmarks.md). Elsewhere, gzip.
_UNCOMPRESSED = {"Accept-Encoding": "identity"}


class PlatformClient:
    """API v1 of one server (``base``) for this device (see the module docstring)."""

    def __init__(self, base: str, tokens: TokenStore, transport: Transport | None = None):
        self.transport = transport or Transport(base)
        self.base = self.transport.base
        # The headers of a catalog page's request (None: the session's, asking for gzip).
        local = is_loopback(urlsplit(self.base).hostname or "")
        self.page_headers: dict[str, str] | None = _UNCOMPRESSED if local else None
        self.tokens = tokens
        self._refreshing = threading.Lock()

    def close(self) -> None:
        self.transport.close()

    @property
    def signed_in(self) -> bool:
        """Whether this studio holds tokens for the server (they may still be refused)."""
        return self.tokens.get(self.base) is not None

    # -- sessions --------------------------------------------------------------------------

    def sign_up(self, email: str, password: str, display_name: str, handle: str) -> User:
        body = {"email": email, "password": password, "display_name": display_name}
        body["handle"] = handle
        return user_from(self.transport.call("POST", "/v1/accounts", json_body=body))

    def sign_in(self, email: str, password: str, device_name: str) -> SignedIn:
        """A new device session; its tokens replace any this studio held for the server.
        WrongCredentials for a wrong email or password (``unauthorized`` on this route)."""
        from studio.sync.errors import WrongCredentials

        body = {"email": email, "password": password, "device_name": device_name}
        try:
            answer = self.transport.call("POST", "/v1/sessions", json_body=body)
        except NotSignedIn as exc:  # the one 401 of this route: no account enumeration
            if isinstance(exc, SignInAgain):
                raise
            raise WrongCredentials(
                "wrong email or password", status=exc.status, slug=exc.slug
            ) from exc
        signed, access, refresh = session_from(answer)
        self.tokens.put(self.base, Tokens(access, refresh))
        return signed

    def sign_out(self) -> bool:
        """Revoke this device on the server and forget its tokens; True when the server
        heard it. The tokens are forgotten in any case (offline, already revoked)."""
        held = self.tokens.get(self.base)
        if held is None:
            return False
        try:
            self._authed("DELETE", "/v1/sessions/current")
            return True
        except (NotSignedIn, Offline) as exc:
            log.info("sign-out not heard by %s: %s", self.base, exc)
            return False
        finally:
            self.tokens.clear(self.base)

    def refresh(self, stale: Tokens | None = None) -> Tokens:
        """A new pair for the held refresh token (see the module docstring). ``stale``: the
        pair the caller saw refused; when another thread has replaced it meanwhile, that
        newer pair is returned without asking the server."""
        with self._refreshing:
            held = self.tokens.get(self.base)
            if held is None:
                raise SignInAgain("not signed in: sign in again")
            if stale is not None and held != stale:
                return held
            try:
                answer = self.transport.call(
                    "POST", "/v1/sessions/refresh", json_body={"refresh_token": held.refresh}
                )
            except NotSignedIn as exc:
                # Replayed, revoked or expired: the session is over whatever the slug.
                self.tokens.clear(self.base)
                if isinstance(exc, SignInAgain):
                    raise
                raise SignInAgain(
                    "the session expired: sign in again", status=exc.status, slug=exc.slug
                ) from exc
            _signed, access, refresh = session_from(answer)
            fresh = Tokens(access, refresh)
            self.tokens.put(self.base, fresh)
            return fresh

    def _authed(self, method: str, path: str, **kwargs: Any) -> Any:
        held = self.tokens.get(self.base)
        if held is None:
            raise NotSignedIn(f"not signed in to {self.base}: run `studio login` first")
        try:
            return self._call_with(held, method, path, **kwargs)
        except SignInAgain:
            self.tokens.clear(self.base)
            raise
        except NotSignedIn:
            fresh = self.refresh(held)  # once: a second 401 is the answer
        try:
            return self._call_with(fresh, method, path, **kwargs)
        except NotSignedIn:
            self.tokens.clear(self.base)
            raise SignInAgain("the server refused the renewed session: sign in again") from None

    def _call_with(self, tokens: Tokens, method: str, path: str, **kwargs: Any) -> Any:
        return self.transport.call(method, path, token=tokens.access, **kwargs)

    # -- the account -----------------------------------------------------------------------

    def me(self) -> User:
        return user_from(self._authed("GET", "/v1/me"))

    def devices(self) -> list[Device]:
        return devices_from(self._authed("GET", "/v1/me/devices"))

    def revoke_device(self, device_id: str) -> None:
        """Revoke one of the account's devices (this one included: then sign in again)."""
        self._authed("DELETE", f"/v1/me/devices/{quote(device_id, safe='')}")

    # -- the catalog -----------------------------------------------------------------------

    def merchants(self) -> list[PlatformMerchant]:
        return merchants_from(self._authed("GET", "/v1/merchants"))

    def changes(self, after: int, limit: int = PAGE_LIMIT) -> ChangesPage:
        """One page of the catalog's changes after ``after`` (gzip-compressed on the wire,
        requests asks for it and decodes it; uncompressed from a server on this machine)."""
        answer = self._authed(
            "GET",
            "/v1/catalog/changes",
            params={"after": after, "limit": limit},
            headers=self.page_headers,
        )
        try:
            page = page_from_wire(answer)
        except WireError as exc:
            raise ServerError(f"the server sent a catalog page not of the API: {exc}") from exc
        if page.cursor < after:
            raise ServerError(f"the server's cursor went back ({after} -> {page.cursor})")
        return page
