"""Fetch a picture a merchant's feed names: over http(s), from public addresses only.

A feed is written by a stranger, and its image links are followed by the desktop (the catalog's
thumbnails, a product dropped on a board) and by the shop page's export. Followed blindly, a
link reads the curator's own files into a public page (``file:///home/me/.ssh/id_rsa``,
``/etc/passwd``, ``../notes.txt`` resolved from wherever the command ran) or makes the studio
ask the curator's network what a browser never could (``http://127.0.0.1:8080/admin``, the
router at ``http://192.168.1.1``, a cloud's metadata service at ``169.254.169.254``).

So a product picture comes only from an ``http`` or ``https`` URL, and only from an address on
the public internet:

- :func:`check_image_url` refuses any other scheme, a bare path and a URL without a host;
- every connection resolves its host ONCE and connects only to an address that
  :func:`is_public_address` accepts (not loopback, private, link-local, shared, multicast,
  reserved or unspecified; an IPv6 address that embeds an IPv4 one is judged by it). The
  vetted address is the one connected to - a name that resolves to a public address for the
  check and to 127.0.0.1 for the connection (DNS rebinding) cannot slip through, because
  there is no second resolution. A redirect makes a new connection and is vetted the same
  way. TLS still verifies the certificate against the host name.

A refusal is a :class:`MediaError` (the product is then shown without a picture) and is never
retried; network failures stay urllib3's errors. No proxy is used (urllib3 reads no proxy
settings), so the address vetted is the address reached.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from typing import Any
from urllib.parse import urlsplit

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.util import connection

from studio.media.errors import MediaError

MAX_DOWNLOAD_BYTES = 40 * 1024 * 1024  # larger than any product photo worth showing
FETCHED_SCHEMES = ("http", "https")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")

_http_lock = threading.Lock()
_http: urllib3.PoolManager | None = None

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def is_public_address(ip: IPAddress) -> bool:
    """Whether ``ip`` is an address on the public internet (see the module doc)."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public_address(embedded)
    return bool(ip.is_global) and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def check_image_url(url: str) -> str:
    """``url`` if it is an http(s) URL with a host; MediaError (refused) otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in FETCHED_SCHEMES or not parts.hostname:
        raise MediaError(
            "refused: product pictures are fetched from http(s) addresses only, "
            "never read from a file",
            source=url,
        )
    return url.strip()


def public_addresses(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to that are public, in the resolver's order.

    ``socket.gaierror`` when the name does not resolve; MediaError (refused) when none of its
    addresses is public."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    found = list(dict.fromkeys(str(info[4][0]) for info in infos))
    vetted = [a for a in found if is_public_address(ipaddress.ip_address(a.split("%", 1)[0]))]
    if not vetted:
        raise MediaError(
            f"refused: {host} is {', '.join(found) or 'nowhere'}, not a public address "
            "(a local, private or reserved address is never fetched)",
            source=host,
        )
    return vetted


class _PublicOnly:
    """What a urllib3 connection does instead of resolving the host itself (see the module
    doc): resolve once, keep the public addresses, connect to one of them."""

    host: str
    port: int
    timeout: Any
    source_address: Any
    socket_options: Any
    _dns_host: str  # urllib3's: the host as resolved (no brackets, no trailing dot)

    def _new_conn(self) -> socket.socket:
        try:
            addresses = public_addresses(self._dns_host, self.port)
        except socket.gaierror as exc:
            raise NameResolutionError(self.host, self, exc) from exc  # type: ignore[arg-type]
        error: OSError | None = None
        for address in addresses:
            try:
                # A numeric address: create_connection makes no DNS query for it.
                return connection.create_connection(
                    (address, self.port),
                    self.timeout,
                    source_address=self.source_address,
                    socket_options=self.socket_options,
                )
            except TimeoutError as exc:
                raise ConnectTimeoutError(
                    self, f"Connection to {self.host} timed out. (connect timeout={self.timeout})"
                ) from exc
            except OSError as exc:
                error = exc
        raise NewConnectionError(
            self,  # type: ignore[arg-type]
            f"Failed to establish a new connection: {error}",
        )


class _PublicHTTPConnection(_PublicOnly, HTTPConnection):
    pass


class _PublicHTTPSConnection(_PublicOnly, HTTPSConnection):
    pass


class _PublicHTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _PublicHTTPConnection


class _PublicHTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _PublicHTTPSConnection


def http_pool() -> urllib3.PoolManager:
    """One shared urllib3 pool (thread-safe) whose connections reach public addresses only."""
    global _http
    with _http_lock:
        if _http is None:
            # An unknown host will not resolve on a second try; a flaky server might.
            retry = urllib3.Retry(
                total=3,
                connect=1,
                read=2,
                backoff_factor=0.3,
                status_forcelist=(429, 500, 502, 503, 504),
            )
            pool = urllib3.PoolManager(
                num_pools=8,
                maxsize=4,
                retries=retry,
                timeout=urllib3.Timeout(connect=5.0, read=15.0),
                headers={"User-Agent": "VitrineStudio/0.1 (+https://vitrine.io)"},
            )
            pool.pool_classes_by_scheme = {"http": _PublicHTTPPool, "https": _PublicHTTPSPool}
            _http = pool
        return _http


def download(url: str, *, timeout: float | None = None) -> bytes:
    """The bytes at the http(s) ``url`` (checked by :func:`check_image_url`), at most
    ``MAX_DOWNLOAD_BYTES``; MediaError when refused, OSError or urllib3's errors when the
    download fails.

    ``timeout`` (seconds per connect and per read) also drops to one retry: a page export
    waits on hundreds of pictures and prefers a missing one to a stalled export.
    """
    url = check_image_url(url)
    options: dict[str, Any] = {}
    if timeout is not None:
        options = {
            "timeout": urllib3.Timeout(connect=timeout, read=timeout),
            "retries": urllib3.Retry(
                total=1,
                connect=0,
                read=0,
                backoff_factor=0.2,
                status_forcelist=(429, 502, 503, 504),
            ),
        }
    response = http_pool().request("GET", url, preload_content=False, **options)
    try:
        if response.status != 200:
            raise OSError(f"HTTP {response.status}")
        chunks: list[bytes] = []
        received = 0
        for chunk in response.stream(65536):
            received += len(chunk)
            if received > MAX_DOWNLOAD_BYTES:
                raise OSError("image larger than 40 MB")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        response.release_conn()
