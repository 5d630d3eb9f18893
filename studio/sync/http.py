"""The HTTP transport to the platform: one ``requests.Session`` with urllib3 ``Retry``.

What every call gets, so no caller has to remember it:

- a timeout (connect, read) on every request;
- retries with exponential backoff for idempotent methods only (GET, PUT, DELETE...): a
  sign-in or a refresh (POST) is never sent twice, since a second refresh would present an
  already rotated token and revoke the device. A connection that was never made is retried
  for any method (nothing reached the server);
- ``Retry-After`` honoured on 429/503, but a wait longer than ``MAX_RETRY_WAIT`` is not slept
  through: the response comes back and the caller raises ``RateLimited`` with the wait;
- TLS verified (requests' default, never turned off), and plain http refused unless the host
  is this machine (``check_server_url``): a password never crosses a network in clear;
- failures typed (``studio.sync.errors``): a refused connection, DNS or timeout is
  ``Offline``, a certificate problem ``TlsFailure``, an error response its problem's class.
"""

from __future__ import annotations

import ipaddress
import json
import logging
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError
from urllib3.util.retry import Retry

from studio import __version__
from studio.sync.errors import (
    InsecureServer,
    Offline,
    PlatformError,
    ServerError,
    TlsFailure,
    from_problem,
)

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 30.0
MAX_RETRY_WAIT = 10.0  # seconds: a longer Retry-After is reported to the user, not slept
RETRY_STATUSES = (429, 502, 503, 504)
_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def check_server_url(url: str) -> str:
    """``url`` normalised (no trailing slash) if the studio may talk to it; InsecureServer
    otherwise (plain http to another machine, no host, not http(s))."""
    text = url.strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InsecureServer(f"{url!r} is not a server address (https://host[:port])")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise InsecureServer(f"{url!r}: give the server's address alone (https://host[:port])")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise InsecureServer(
            f"{url}: plain http is only allowed to this machine (localhost); "
            "use https:// for another server"
        )
    return text.rstrip("/")


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine (127.0.0.0/8, ::1, localhost): never resolved
    through DNS, which could answer anything."""
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class _Retry(Retry):
    """urllib3's Retry that gives up (returning the response) instead of sleeping through a
    ``Retry-After`` longer than MAX_RETRY_WAIT: the caller tells the user to wait."""

    def increment(self, *args: Any, **kwargs: Any) -> _Retry:
        response = kwargs.get("response")
        if response is not None:
            wait = self.get_retry_after(response)
            if wait is not None and wait > MAX_RETRY_WAIT:
                pool: Any = kwargs.get("_pool")
                raise MaxRetryError(pool, kwargs.get("url") or "", None)
        return super().increment(*args, **kwargs)  # type: ignore[return-value]


def make_retry(total: int = 3) -> Retry:
    """The retry policy of every request (see the module docstring)."""
    return _Retry(
        total=total,
        connect=total,
        read=total,
        status=total,
        other=0,
        backoff_factor=0.25,
        backoff_max=4.0,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=Retry.DEFAULT_ALLOWED_METHODS,  # idempotent ones: never POST
        respect_retry_after_header=True,
        raise_on_status=False,  # the last response comes back, to be typed by its problem
        raise_on_redirect=False,
    )


def make_session(retries: int = 3) -> requests.Session:
    """A session with the retry policy mounted for http and https; TLS verified."""
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=make_retry(retries))
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers["User-Agent"] = f"vitrine-studio/{__version__}"
    session.headers["Accept"] = "application/json"
    session.verify = True
    return session


class Transport:
    """Requests to one server (``base``), answered as JSON or raised as typed errors."""

    def __init__(
        self,
        base: str,
        session: requests.Session | None = None,
        *,
        timeout: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT),
    ) -> None:
        self.base = check_server_url(base)
        self.session = session or make_session()
        self.timeout = timeout

    def close(self) -> None:
        self.session.close()

    def call(
        self,
        method: str,
        path: str,
        *,
        json_body: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        """The decoded JSON of a 2xx answer (None for 204); a PlatformError otherwise."""
        sent = dict(headers or {})
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        url = self.base + path
        try:
            response = self.session.request(
                method,
                url,
                json=json_body,
                params=params,
                headers=sent,
                timeout=self.timeout,
                allow_redirects=False,
            )
        except requests.exceptions.SSLError as exc:
            raise TlsFailure(f"{self.base}: the server's certificate cannot be trusted") from exc
        except requests.exceptions.Timeout as exc:
            raise Offline(f"{self.base}: the server did not answer in time") from exc
        except requests.exceptions.ConnectionError as exc:
            raise Offline(f"{self.base}: the server cannot be reached") from exc
        except requests.exceptions.RequestException as exc:
            raise Offline(f"{self.base}: the request failed ({type(exc).__name__})") from exc
        return _answer(response)


def _answer(response: requests.Response) -> Any:
    status = response.status_code
    if 200 <= status < 300:
        if status == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError as exc:
            raise ServerError(
                f"the server answered {status} with something that is not JSON", status=status
            ) from exc
    problem: dict[str, Any] | None = None
    try:
        body = response.json()
        if isinstance(body, dict):
            problem = body
    except (ValueError, json.JSONDecodeError):
        problem = None
    error: PlatformError = from_problem(
        status, problem, retry_after=response.headers.get("Retry-After")
    )
    log.info("%s %s -> %s (%s)", response.request.method, response.url, status, error.slug)
    raise error
