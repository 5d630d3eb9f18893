"""A feed cannot make the studio read a local file or reach a local address for a picture.

Every source a hostile tester named: ``file://`` URLs, an absolute path, a relative path
(resolved from the current directory), a real local HTTP server on 127.0.0.1 and on ::1 that
records whether it was hit, the cloud metadata address, and a name resolving to loopback
("localhost"). Each is checked through the one shared fetch (``fetch_image``, which the
catalog's thumbnails, boards and the shop page all use) and end to end through ``studio shops
export``; an audit hook records every file opened and every socket connected meanwhile.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from studio.cli import main
from studio.core.looks import ProductRef
from studio.core.money import Money
from studio.core.product import ProductRecord
from studio.media import safe_fetch
from studio.media.errors import MediaError
from studio.media.library import MediaLibrary
from studio.media.product_images import fetch_image, product_image_uris
from studio.media.safe_fetch import is_public_address
from studio.store.catalog import CatalogStore
from studio.store.db import open_database
from studio.store.shops import ShopStore
from studio.system.paths import resolve_paths
from tests.media.picture_server import PictureServer, serving, watching


def _photo(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (300, 300), (200, 20, 20)).save(path, "JPEG")
    return path


class Hostile:
    """The hostile links, the files they name and the local servers they point at."""

    def __init__(self, secret: Path, v4: PictureServer, v6: PictureServer) -> None:
        self.secret, self.v4, self.v6 = secret, v4, v6
        self.links = {
            "file-url": secret.as_uri(),
            "file-localhost": f"file://localhost{secret}",
            "absolute": str(secret),
            "relative": "../secret.jpg",
            "passwd": "/etc/passwd",
            "loopback": f"{v4.base}/x.jpg",
            "loopback-v6": f"{v6.base}/x.jpg",
            "localhost": f"http://localhost:{v4.port}/x.jpg",
            "metadata": "http://169.254.169.254/latest/meta-data/x.jpg",
            "private": "http://192.168.1.1/x.jpg",
            "mapped": f"http://[::ffff:127.0.0.1]:{v4.port}/x.jpg",
            "zero": f"http://0.0.0.0:{v4.port}/x.jpg",
        }

    def untouched(self, watch: Any) -> None:
        assert self.v4.requests == [] and self.v6.requests == []
        assert str(self.secret) not in watch.opened and "/etc/passwd" not in watch.opened
        assert watch.connected == []


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Hostile]:
    secret = _photo(tmp_path / "secret.jpg")  # a real picture: read, it would be embedded
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)  # "../secret.jpg" names it from here
    with serving(tmp_path / "v4") as v4, serving(tmp_path / "v6", "::1") as v6:
        _photo(v4.root / "x.jpg")
        _photo(v6.root / "x.jpg")
        yield Hostile(secret, v4, v6)


def test_the_shared_fetch_refuses_every_local_source(hostile: Hostile, tmp_path: Path) -> None:
    with watching() as watch:
        for name, link in hostile.links.items():
            with pytest.raises(MediaError, match="refused") as refused:
                fetch_image(link, cache_dir=tmp_path / "cache", timeout=2.0)
            assert refused.value.source, name
    hostile.untouched(watch)


def test_a_shop_export_embeds_no_picture_a_feed_points_at_locally(
    hostile: Hostile, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    paths = resolve_paths(home).ensure()
    db = open_database(paths.database)
    try:
        CatalogStore(db).import_feed(
            "Evil",
            "google-xml",
            [
                ProductRecord(
                    "Evil",
                    name,
                    f"Product {name}",
                    price=Money(1000, "EUR"),
                    link=f"https://evil.example/{name}",
                    image_link=link,
                )
                for name, link in hostile.links.items()
            ],
        )
        shops = ShopStore(db)
        shop = shops.create_shop("Evil picks", "Evil picks", section_title="All")
        section = shops.document(shop.id).sections[0].id  # type: ignore[union-attr]
        shops.add_items(section, [ProductRef(None, "Evil", name) for name in hostile.links])
    finally:
        db.close()
    out = tmp_path / "site"
    with watching() as watch:
        code = main(["--home", str(home), "shops", "export", "evil-picks", "--out", str(out)])
    stdout, err = capsys.readouterr()
    assert code == 0, err
    count = len(hostile.links)
    assert f"({count} products, 0 with a picture)" in stdout
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "<img" not in html  # every product is shown, without a picture
    assert all(f"Product {name}" in html for name in hostile.links)
    hostile.untouched(watch)
    assert not any(resolve_paths(home).image_cache.rglob("*.jpg"))  # nothing cached either


def test_a_board_refuses_a_local_picture_with_the_reason(hostile: Hostile, tmp_path: Path) -> None:
    pytest.importorskip("PySide6")
    from studio.ui.boards.loader import import_product_image_job

    media = MediaLibrary(tmp_path / "media")
    with watching() as watch:
        results = [import_product_image_job(media, link) for link in hostile.links.values()]
    assert all(r.media_hash is None and "refused" in r.error for r in results)
    hostile.untouched(watch)
    assert not (tmp_path / "media").exists()


def test_the_address_connected_to_is_the_one_vetted(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """DNS rebinding: a name that answers with a public address first and 127.0.0.1 after is
    connected to at the public address it was vetted at, never resolved again for it."""
    with serving(tmp_path / "www") as local:
        _photo(local.root / "x.jpg")
        answers = iter(["93.184.215.14", "127.0.0.1", "127.0.0.1", "127.0.0.1"])
        real = socket.getaddrinfo

        def rebinding(host: str, port: int, *args: Any, **kwargs: Any) -> Any:
            if host != "rebind.example":
                return real(host, port, *args, **kwargs)
            address = next(answers)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

        connected: list[tuple[str, int]] = []

        def no_network(address: tuple[str, int], *args: Any, **kwargs: Any) -> Any:
            connected.append(address)
            raise OSError("no route to host (the test has no network)")

        monkeypatch.setattr(safe_fetch.socket, "getaddrinfo", rebinding)
        monkeypatch.setattr(safe_fetch.connection, "create_connection", no_network)
        url = f"http://rebind.example:{local.port}/x.jpg"
        assert product_image_uris({"p": url}, None, timeout=1.0) == {}
        with pytest.raises(MediaError, match=r"refused: rebind\.example is 127\.0\.0\.1"):
            fetch_image(url, timeout=1.0)  # asked again: resolved again, and refused
        assert connected == [("93.184.215.14", local.port)]
        assert local.requests == []


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", True),
        ("127.0.0.1", False),
        ("127.8.9.10", False),
        ("::1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.0.10", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),  # carrier-grade NAT
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("255.255.255.255", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:93.184.215.14", True),
        ("2002:7f00:1::", False),  # 6to4 around 127.0.0.1
        ("64:ff9b::a00:1", False),  # NAT64 around 10.0.0.1
        ("64:ff9b::5db8:d70e", True),
    ],
)
def test_is_public_address(address: str, public: bool) -> None:
    assert is_public_address(ipaddress.ip_address(address)) is public
