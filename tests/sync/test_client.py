"""studio.sync against a real ``studio-server`` process: sign-in, tokens, refresh, revocation,
and the typed errors a person sees (wrong password, rate limited, offline, TLS, insecure)."""

from __future__ import annotations

import pytest
import requests
from keyring.backends import fail

from studio import APP_ID
from studio.sync.client import PlatformClient
from studio.sync.errors import (
    InsecureServer,
    NotFound,
    NotSignedIn,
    Offline,
    RateLimited,
    SignInAgain,
    TlsFailure,
    WrongCredentials,
)
from studio.sync.http import Transport, check_server_url, make_session
from studio.sync.tokens import Tokens, TokenStore
from tests.platform_server import PASSWORD, Server, free_port
from tests.sync.test_keyrings import MemoryKeyring


def signed_in(platform: Server, device: str = "laptop") -> tuple[PlatformClient, str]:
    """A new account signed in on a studio of its own (its own keyring: one entry per server)."""
    email = platform.sign_up()
    client = PlatformClient(platform.url, TokenStore(backend=MemoryKeyring()))
    client.sign_in(email, PASSWORD, device)
    return client, email


def test_sign_in_keeps_the_tokens_in_the_keyring_and_reads_the_account(
    platform: Server, memory_keyring: MemoryKeyring
) -> None:
    email = platform.sign_up()
    client = PlatformClient(platform.url, TokenStore())
    signed = client.sign_in(email, PASSWORD, "studio laptop")
    assert signed.user.email == email and signed.device.name == "studio laptop"
    assert signed.device.current and signed.access_expires_in > 0
    # One entry: service = the app id, user = the server's address; no password in it.
    [(service, user)] = memory_keyring.entries
    assert (service, user) == (APP_ID, platform.url)
    assert PASSWORD not in memory_keyring.entries[(service, user)]
    assert client.me().email == email
    [device] = client.devices()
    assert device.id == signed.device.id and device.current


def test_wrong_password_and_unknown_email_read_the_same(platform: Server) -> None:
    email = platform.sign_up()
    client = PlatformClient(platform.url, TokenStore())
    with pytest.raises(WrongCredentials) as wrong_password:
        client.sign_in(email, "not the password", "laptop")
    with pytest.raises(WrongCredentials) as unknown:
        client.sign_in("nobody-" + email, PASSWORD, "laptop")
    assert str(wrong_password.value) == str(unknown.value) == "wrong email or password"
    assert not client.signed_in


def test_repeated_wrong_passwords_are_rate_limited_with_the_wait(platform: Server) -> None:
    email = platform.sign_up()
    client = PlatformClient(platform.url, TokenStore())
    with pytest.raises(RateLimited) as limited:  # POST is never retried: the 429 comes back
        for _ in range(20):
            with pytest.raises(WrongCredentials):
                client.sign_in(email, "not the password", "laptop")
    assert limited.value.retry_after is not None and limited.value.retry_after > 0
    assert "try again in" in str(limited.value)


def test_an_expired_access_token_is_refreshed_once_and_rotated(platform: Server) -> None:
    client, email = signed_in(platform)
    held = client.tokens.get(client.base)
    assert held is not None
    client.tokens.put(client.base, Tokens("not-a-valid-access-token", held.refresh))
    assert client.me().email == email
    fresh = client.tokens.get(client.base)
    assert fresh is not None and fresh.refresh != held.refresh and fresh.access != held.access


def test_a_replayed_refresh_token_ends_the_session_and_clears_the_tokens(
    platform: Server,
) -> None:
    client, _ = signed_in(platform)
    first = client.tokens.get(client.base)
    assert first is not None
    second = client.refresh()  # the first refresh token is now rotated
    client.tokens.put(client.base, Tokens("expired", first.refresh))  # a stolen, old copy
    with pytest.raises(SignInAgain, match="sign in again"):
        client.me()
    assert client.tokens.get(client.base) is None
    # The whole family was revoked: the pair issued by the rotation is refused too.
    other = PlatformClient(platform.url, TokenStore())
    other.tokens.put(platform.url, second)
    with pytest.raises(SignInAgain):
        other.me()
    assert other.tokens.get(platform.url) is None


def test_a_device_revoked_elsewhere_must_sign_in_again(platform: Server) -> None:
    email = platform.sign_up()
    laptop = PlatformClient(platform.url, TokenStore(backend=MemoryKeyring()))
    desk = PlatformClient(platform.url, TokenStore(backend=MemoryKeyring()))
    laptop_device = laptop.sign_in(email, PASSWORD, "laptop").device
    desk.sign_in(email, PASSWORD, "desk")
    assert {d.name for d in desk.devices()} == {"laptop", "desk"}
    desk.revoke_device(laptop_device.id)
    with pytest.raises(SignInAgain):
        laptop.me()
    assert not laptop.signed_in
    with pytest.raises(NotSignedIn):  # nothing held any more: asks for a sign-in
        laptop.me()
    assert [d.name for d in desk.devices()] == ["desk"]


def test_another_accounts_device_is_not_found(platform: Server) -> None:
    mine, _ = signed_in(platform)
    theirs, _ = signed_in(platform)
    their_device = theirs.devices()[0].id
    with pytest.raises(NotFound):
        mine.revoke_device(their_device)
    assert theirs.me()  # untouched


def test_sign_out_revokes_this_device_and_forgets_its_tokens(platform: Server) -> None:
    client, _ = signed_in(platform)
    held = client.tokens.get(client.base)
    assert held is not None
    assert client.sign_out() is True
    assert client.tokens.get(client.base) is None
    r = requests.get(
        f"{platform.url}/v1/me", headers={"Authorization": f"Bearer {held.access}"}, timeout=30
    )
    assert r.status_code == 401
    assert client.sign_out() is False  # nothing held: nothing to do


def test_without_a_usable_keyring_tokens_live_in_memory_and_it_is_said_once(
    platform: Server,
) -> None:
    notices: list[str] = []
    store = TokenStore(backend=fail.Keyring(), on_notice=notices.append)
    client = PlatformClient(platform.url, store)
    client.sign_in(platform.sign_up(), PASSWORD, "headless")
    client.me()
    client.refresh()
    client.me()
    assert len(notices) == 1 and "session only" in notices[0]
    assert store.in_memory and client.signed_in


def test_an_unreachable_server_is_offline(platform: Server) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    client = PlatformClient(closed, TokenStore(), Transport(closed, make_session(retries=1)))
    with pytest.raises(Offline, match="cannot be reached"):
        client.sign_in("a@example.com", PASSWORD, "laptop")


def test_a_certificate_that_cannot_be_verified_is_a_tls_failure(platform: Server) -> None:
    # The server speaks plain HTTP: a TLS handshake with it fails as any untrusted one does.
    https = platform.url.replace("http://", "https://")
    client = PlatformClient(https, TokenStore(), Transport(https, make_session(retries=0)))
    with pytest.raises(TlsFailure, match="certificate"):
        client.sign_in("a@example.com", PASSWORD, "laptop")


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com",
        "http://192.168.1.10:8750",
        "ftp://127.0.0.1",
        "127.0.0.1:8750",
        "https://",
        "https://user:pw@example.com",
    ],
)
def test_plain_http_beyond_this_machine_and_non_addresses_are_refused(url: str) -> None:
    with pytest.raises(InsecureServer):
        check_server_url(url)
    with pytest.raises(InsecureServer):
        PlatformClient(url, TokenStore())


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8750/",
        "http://127.8.0.1",
        "http://localhost:8750",
        "http://[::1]:8750",
        "https://vitrine.example",
    ],
)
def test_loopback_http_and_any_https_are_allowed(url: str) -> None:
    assert check_server_url(url) == url.rstrip("/")


def test_catalog_pages_come_uncompressed_from_this_machine_gzipped_from_another(
    platform: Server,
) -> None:
    """gzip saves no network to this machine and costs the server CPU: a loopback server's
    pages arrive uncompressed (and whole); another server is asked for gzip."""
    client, _ = signed_in(platform)
    encodings: list[str | None] = []
    client.transport.session.hooks["response"].append(
        lambda r, *_, **__: encodings.append(r.headers.get("Content-Encoding"))
    )
    page = client.changes(0, 30)
    assert len(page.changes) == 30 and page.more
    assert encodings == [None]
    client.me()  # other calls keep the session's Accept-Encoding (gzip)
    assert "gzip" in str(client.transport.session.headers["Accept-Encoding"])

    asked: list[dict[str, str] | None] = []

    class Remote(Transport):
        def call(self, method: str, path: str, **kw: object) -> object:
            asked.append(kw.get("headers"))  # type: ignore[arg-type]
            return {"changes": [], "cursor": 0, "more": False}

    tokens = TokenStore(backend=MemoryKeyring())
    tokens.put("https://platform.example", Tokens("access", "refresh"))
    remote = PlatformClient("https://platform.example", tokens, Remote("https://platform.example"))
    remote.changes(0)
    assert asked == [None]  # the session's default: gzip, deflate
